# Trial run and acceptance (issue 10 §3): acceptance.completion's records.
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0008_annual_plans"),
        ("budgets", "0001_baseline"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TrialRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("completion_date", models.DateField(verbose_name="construction completed on")),
                ("start_date", models.DateField(verbose_name="trial run started on")),
                (
                    "stable_date",
                    models.DateField(blank=True, null=True, verbose_name="trial run stable since"),
                ),
                ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="recorded at")),
                (
                    "stable_recorded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="stable date recorded at"),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="trial_run",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="recorded by",
                    ),
                ),
                (
                    "stable_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="stable date recorded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "trial run",
                "verbose_name_plural": "trial runs",
            },
        ),
        migrations.CreateModel(
            name="AcceptanceApplication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("round", models.PositiveSmallIntegerField(default=1, verbose_name="round")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("submitted", "Awaiting the acceptance decision"),
                            ("passed", "Acceptance passed"),
                            ("not_passed", "Acceptance not passed"),
                        ],
                        default="submitted",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("applied_date", models.DateField(verbose_name="applied on")),
                ("applied_at", models.DateTimeField(auto_now_add=True, verbose_name="applied at")),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "documents",
                    models.JSONField(blank=True, default=list, verbose_name="documents on file when applied"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("decision_date", models.DateField(blank=True, null=True, verbose_name="acceptance date")),
                (
                    "operation_start_date",
                    models.DateField(blank=True, null=True, verbose_name="operation started on"),
                ),
                ("conditions", models.TextField(blank=True, verbose_name="conditions or opinion")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                (
                    "free_om_end_date",
                    models.DateField(blank=True, null=True, verbose_name="free O&M period ends"),
                ),
                (
                    "standard_published_date",
                    models.DateField(blank=True, null=True, verbose_name="standard published on"),
                ),
                ("standard_name", models.CharField(blank=True, max_length=200, verbose_name="standard")),
                (
                    "applied_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="applied by",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptance_applications",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "acceptance application",
                "verbose_name_plural": "acceptance applications",
                "ordering": ["project_id", "id"],
                "indexes": [models.Index(fields=["status", "project"], name="acceptance__status_44eb2e_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("project", "round"), name="acceptance_application_round_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="AcceptanceCheck",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("pre_acceptance", "Pre-acceptance review"),
                            ("archive", "Archive acceptance"),
                        ],
                        max_length=20,
                        verbose_name="check",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("requested", "Awaiting the review"),
                            ("passed", "Passed"),
                            ("failed", "Not passed"),
                        ],
                        default="requested",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("requested_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("decision_date", models.DateField(blank=True, null=True, verbose_name="decision date")),
                ("opinion", models.TextField(blank=True, verbose_name="opinion")),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptance_checks",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
            options={
                "verbose_name": "acceptance check",
                "verbose_name_plural": "acceptance checks",
                "ordering": ["project_id", "id"],
                "indexes": [models.Index(fields=["status", "project"], name="acceptance__status_465094_idx")],
            },
        ),
        migrations.CreateModel(
            name="AcceptanceDelay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting the decision"),
                            ("granted", "Granted"),
                            ("refused", "Refused"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason for the delay")),
                ("requested_date", models.DateField(verbose_name="acceptance requested by")),
                ("applied_date", models.DateField(verbose_name="applied on")),
                ("applied_at", models.DateTimeField(auto_now_add=True, verbose_name="applied at")),
                (
                    "original_due_date",
                    models.DateField(blank=True, null=True, verbose_name="due date when applied"),
                ),
                (
                    "granted_date",
                    models.DateField(blank=True, null=True, verbose_name="new due date granted"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                ("decision_reason", models.TextField(blank=True, verbose_name="decision comment or reason")),
                (
                    "applied_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="applied by",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acceptance_delays",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "acceptance delay application",
                "verbose_name_plural": "acceptance delay applications",
                "ordering": ["project_id", "id"],
                "indexes": [models.Index(fields=["status", "project"], name="acceptance__status_60bdf5_idx")],
            },
        ),
    ]
