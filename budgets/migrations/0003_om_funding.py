# O&M funding applications (budgets.om, issue 10 §5) and the finance officer's decisions on them.
import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0002_changes"),
        ("jurisdictions", "0002_department_jurisdiction_fixed"),
        ("projects", "0008_annual_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="OmApplication",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="O&M year")),
                (
                    "amount_wan",
                    models.DecimalField(
                        decimal_places=2, max_digits=14, verbose_name="annual O&M funds requested (10k CNY)"
                    ),
                ),
                (
                    "term_years",
                    models.DecimalField(decimal_places=2, max_digits=5, verbose_name="contract term (years)"),
                ),
                ("is_continuation", models.BooleanField(default=False, verbose_name="continuing O&M")),
                (
                    "period_end_date",
                    models.DateField(blank=True, null=True, verbose_name="current O&M period ends"),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                (
                    "status",
                    django_fsm.FSMField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Awaiting the finance decision"),
                            ("approved", "Funds approved"),
                            ("reduced", "Approved with a reduced amount"),
                            ("refused", "Funds refused"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        db_index=True,
                        default="draft",
                        max_length=50,
                        protected=True,
                        verbose_name="status",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="submitted at")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                (
                    "granted_wan",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="granted amount (10k CNY)",
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("answer", models.CharField(blank=True, max_length=20, verbose_name="overall answer")),
                ("verdicts", models.JSONField(blank=True, default=list, verbose_name="verdicts applied")),
                (
                    "pack_version",
                    models.PositiveIntegerField(blank=True, null=True, verbose_name="pack version applied"),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="filed by",
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
                    "follows",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="resubmissions",
                        to="budgets.omapplication",
                        verbose_name="resubmission of",
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
                        related_name="om_applications",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "rule_pack",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="jurisdictions.rulepack",
                        verbose_name="rule pack version applied",
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
                "verbose_name": "O&M funding application",
                "verbose_name_plural": "O&M funding applications",
                "ordering": ["project_id", "id"],
                "indexes": [
                    models.Index(fields=["status", "submitted_at"], name="budgets_oma_status_dc3c18_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("amount_wan__gt", 0)), name="om_amount_positive"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("term_years__gt", 0)), name="om_term_positive"
                    ),
                ],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
    ]
