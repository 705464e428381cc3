# Approval stages (approvals.stages): one row per round of each stage of a project's track.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0003_opinions"),
        ("projects", "0008_annual_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApprovalStage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.CharField(max_length=40, verbose_name="stage")),
                ("round", models.PositiveSmallIntegerField(default=1, verbose_name="round")),
                ("track", models.CharField(max_length=40, verbose_name="track")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Awaiting submission"),
                            ("submitted", "Submitted"),
                            ("review_passed", "Review passed"),
                            ("approved", "Approved"),
                            ("filed", "Filed"),
                            ("returned", "Returned"),
                            ("rejected", "Rejected"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="open",
                        max_length=20,
                        verbose_name="status",
                    ),
                ),
                ("opened_at", models.DateTimeField(auto_now_add=True, verbose_name="opened at")),
                (
                    "requested_amount_wan",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="requested amount (10k CNY)",
                    ),
                ),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="submitted at")),
                (
                    "review_passed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="review passed at"),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                (
                    "document_number",
                    models.CharField(blank=True, max_length=100, verbose_name="approval document number"),
                ),
                (
                    "approved_amount_wan",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="approved amount (10k CNY)",
                    ),
                ),
                ("decision_date", models.DateField(blank=True, null=True, verbose_name="decision date")),
                ("conditions", models.TextField(blank=True, verbose_name="conditions")),
                ("filing_fields", models.JSONField(blank=True, default=dict, verbose_name="filing record")),
                ("reason", models.TextField(blank=True, verbose_name="comment or reason")),
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
                    "on_behalf_of",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="on behalf of",
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="approval_stages",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "review_passed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="review passed by",
                    ),
                ),
                (
                    "submitted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="submitted by",
                    ),
                ),
            ],
            options={
                "verbose_name": "approval stage",
                "verbose_name_plural": "approval stages",
                "ordering": ["project_id", "id"],
                "indexes": [models.Index(fields=["status", "project"], name="approvals_a_status_56b7d7_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("project", "code", "round"), name="approval_stage_round_unique"
                    )
                ],
            },
        ),
    ]
