# Placeholder of the issue-10 migration chain: its owner replaces the operations (keep the name and add
# dependencies only as needed; never depend on a later migration of another issue-10 part).
# Evaluation (issue 10 §4): self-evaluation, post-evaluation and its experts, 莱州's random checks.
import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

import acceptance.evaluation.models


class Migration(migrations.Migration):
    dependencies = [
        ("acceptance", "0001_acceptance"),
        ("jurisdictions", "0002_department_jurisdiction_fixed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PostEvaluation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "method",
                    models.CharField(
                        choices=[("experts", "Experts"), ("third_party", "Third-party organisation")],
                        max_length=20,
                        verbose_name="method",
                    ),
                ),
                (
                    "status",
                    django_fsm.FSMField(
                        choices=[("open", "Under evaluation"), ("concluded", "Concluded")],
                        default="open",
                        max_length=50,
                        protected=True,
                        verbose_name="status",
                    ),
                ),
                ("organised_at", models.DateTimeField(verbose_name="organised at")),
                ("organisation", models.CharField(blank=True, max_length=200, verbose_name="organisation")),
                (
                    "organisation_rating",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("excellent", "Excellent"),
                            ("good", "Good"),
                            ("pass", "Passing"),
                            ("poor", "Poor"),
                        ],
                        max_length=10,
                        verbose_name="organisation's rating",
                    ),
                ),
                ("organisation_comment", models.TextField(blank=True, verbose_name="organisation's opinion")),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=acceptance.evaluation.models.evaluation_file_path,
                        verbose_name="report",
                    ),
                ),
                ("file_name", models.CharField(blank=True, max_length=255, verbose_name="file name")),
                (
                    "rating",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("excellent", "Excellent"),
                            ("good", "Good"),
                            ("pass", "Passing"),
                            ("poor", "Poor"),
                        ],
                        max_length=10,
                        verbose_name="final rating",
                    ),
                ),
                ("conclusion", models.TextField(blank=True, verbose_name="conclusion")),
                ("concluded_at", models.DateTimeField(blank=True, null=True, verbose_name="concluded at")),
                (
                    "concluded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="concluded by",
                    ),
                ),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="jurisdictions.jurisdiction",
                        verbose_name="jurisdiction",
                    ),
                ),
                (
                    "organised_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="organised by",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="post_evaluations",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "post-evaluation",
                "verbose_name_plural": "post-evaluations",
                "ordering": ["project", "organised_at", "pk"],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name="PostEvaluationExpert",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("assigned_at", models.DateTimeField(verbose_name="assigned at")),
                (
                    "no_conflict_declared_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="no conflict declared at"),
                ),
                (
                    "rating",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("excellent", "Excellent"),
                            ("good", "Good"),
                            ("pass", "Passing"),
                            ("poor", "Poor"),
                        ],
                        max_length=10,
                        verbose_name="rating",
                    ),
                ),
                ("opinion", models.TextField(blank=True, verbose_name="opinion")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="submitted at")),
                (
                    "assigned_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned by",
                    ),
                ),
                (
                    "evaluation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="experts",
                        to="acceptance.postevaluation",
                        verbose_name="post-evaluation",
                    ),
                ),
                (
                    "expert",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="expert",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "post-evaluation expert",
                "verbose_name_plural": "post-evaluation experts",
                "ordering": ["evaluation", "assigned_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="RandomCheckDraw",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("year", models.PositiveIntegerField(verbose_name="year")),
                ("seed", models.CharField(max_length=64, verbose_name="seed")),
                (
                    "population",
                    models.JSONField(
                        default=list, help_text="ids of the projects drawn from", verbose_name="population"
                    ),
                ),
                ("chosen", models.JSONField(default=list, verbose_name="chosen projects")),
                ("count", models.PositiveIntegerField(verbose_name="sample size")),
                (
                    "share",
                    models.DecimalField(
                        blank=True, decimal_places=4, max_digits=5, null=True, verbose_name="sample share"
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("drawn_at", models.DateTimeField(verbose_name="drawn at")),
                ("superseded", models.BooleanField(default=False, verbose_name="superseded")),
                (
                    "drawn_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="drawn by",
                    ),
                ),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="jurisdictions.jurisdiction",
                        verbose_name="jurisdiction",
                    ),
                ),
            ],
            options={
                "verbose_name": "random-check draw",
                "verbose_name_plural": "random-check draws",
                "ordering": ["jurisdiction", "-year", "-drawn_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="RandomCheckResult",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "rating",
                    models.CharField(
                        choices=[
                            ("excellent", "Excellent"),
                            ("good", "Good"),
                            ("pass", "Passing"),
                            ("poor", "Poor"),
                        ],
                        max_length=10,
                        verbose_name="rating",
                    ),
                ),
                ("finding", models.TextField(blank=True, verbose_name="finding")),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
                (
                    "draw",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="results",
                        to="acceptance.randomcheckdraw",
                        verbose_name="draw",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "random-check result",
                "verbose_name_plural": "random-check results",
                "ordering": ["draw", "project_id"],
            },
        ),
        migrations.CreateModel(
            name="SelfEvaluation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("evaluated_on", models.DateField(verbose_name="evaluation date")),
                (
                    "rating",
                    models.CharField(
                        choices=[
                            ("excellent", "Excellent"),
                            ("good", "Good"),
                            ("pass", "Passing"),
                            ("poor", "Poor"),
                        ],
                        max_length=10,
                        verbose_name="rating",
                    ),
                ),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=acceptance.evaluation.models.evaluation_file_path,
                        verbose_name="report",
                    ),
                ),
                ("file_name", models.CharField(blank=True, max_length=255, verbose_name="file name")),
                ("submitted_at", models.DateTimeField(verbose_name="submitted at")),
                (
                    "outside_window",
                    models.BooleanField(
                        default=False,
                        help_text="submitted before the window opened or after it closed",
                        verbose_name="outside the window",
                    ),
                ),
                ("window_rule", models.CharField(blank=True, max_length=120, verbose_name="window rule")),
                ("window_article", models.CharField(blank=True, max_length=60, verbose_name="article")),
                (
                    "jurisdiction",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="jurisdictions.jurisdiction",
                        verbose_name="jurisdiction",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="self_evaluations",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
            ],
            options={
                "verbose_name": "self-evaluation",
                "verbose_name_plural": "self-evaluations",
                "ordering": ["project", "submitted_at", "pk"],
            },
        ),
        migrations.AddConstraint(
            model_name="postevaluation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")), fields=("project",), name="post_evaluation_one_open"
            ),
        ),
        migrations.AddIndex(
            model_name="postevaluationexpert",
            index=models.Index(fields=["expert", "submitted_at"], name="acceptance__expert__a60c82_idx"),
        ),
        migrations.AddConstraint(
            model_name="postevaluationexpert",
            constraint=models.UniqueConstraint(
                fields=("evaluation", "expert"), name="post_evaluation_expert_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="randomcheckdraw",
            constraint=models.UniqueConstraint(
                condition=models.Q(("superseded", False)),
                fields=("jurisdiction", "year"),
                name="random_check_one_standing",
            ),
        ),
        migrations.AddConstraint(
            model_name="randomcheckresult",
            constraint=models.UniqueConstraint(fields=("draw", "project"), name="random_check_result_once"),
        ),
    ]
