# The investment baseline (budgets.baseline): one row per approval that states an amount.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("projects", "0008_annual_plans"),
        ("approvals", "0004_stages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="InvestmentBaseline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount_wan",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="amount (10k CNY)"),
                ),
                (
                    "previous_amount_wan",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=14,
                        null=True,
                        verbose_name="previous amount (10k CNY)",
                    ),
                ),
                ("set_at", models.DateTimeField(auto_now_add=True, verbose_name="set at")),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="baselines",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="set by",
                    ),
                ),
                (
                    "source_stage",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="baselines",
                        to="approvals.approvalstage",
                        verbose_name="set by the approval of",
                    ),
                ),
            ],
            options={
                "verbose_name": "investment baseline",
                "verbose_name_plural": "investment baselines",
                "ordering": ["project_id", "id"],
            },
        ),
    ]
