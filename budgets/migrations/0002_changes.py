# Change requests (调整, budgets.changes, issue 10 §2), the final accounts' surplus (结余资金), and the
# investment baseline set by either an approval stage or a change request.
import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


def _money(verbose_name, **extra):
    return models.DecimalField(decimal_places=2, max_digits=14, verbose_name=verbose_name, **extra)


def _person(verbose_name):
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0001_baseline"),
        ("jurisdictions", "0002_department_jurisdiction_fixed"),
        ("projects", "0008_annual_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ChangeRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    django_fsm.FSMField(
                        choices=[
                            ("draft", "Draft"),
                            ("submitted", "Awaiting approval"),
                            ("filed", "Filed"),
                            ("approved", "Approved"),
                            ("returned", "Returned for revision"),
                            ("rejected", "Rejected"),
                            ("new_declaration_required", "New declaration required"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="draft",
                        max_length=30,
                        protected=True,
                        verbose_name="status",
                    ),
                ),
                ("content", models.TextField(verbose_name="content changed")),
                ("increases_wan", _money("increased investment (10k CNY)", default=0)),
                ("decreases_wan", _money("decreased investment (10k CNY)", default=0)),
                ("new_content_wan", _money("new content (10k CNY)", default=0)),
                ("tender_savings_wan", _money("of which tender savings (10k CNY)", default=0)),
                (
                    "goal_changed",
                    models.BooleanField(default=False, verbose_name="the construction goal changes"),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("higher_order", "Required by higher-level deployment or orders"),
                            ("technical_optimisation", "Improving or optimising the technical plan"),
                            ("business_need", "Business needs within the approved framework"),
                            ("other", "None of the listed conditions"),
                        ],
                        max_length=30,
                        verbose_name="condition it rests on",
                    ),
                ),
                ("explanation", models.TextField(blank=True, verbose_name="why the change is needed")),
                ("estimate_wan", _money("approved estimate (10k CNY)", blank=True, null=True)),
                ("resulting_total_wan", _money("resulting total (10k CNY)", blank=True, null=True)),
                ("adjustment_wan", _money("adjustment counted (10k CNY)", blank=True, null=True)),
                (
                    "ratio_percent",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=12,
                        null=True,
                        verbose_name="adjustment ratio (%)",
                    ),
                ),
                ("route", models.CharField(blank=True, max_length=60, verbose_name="route")),
                (
                    "disposition",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("filing", "The unit adjusts and files"),
                            ("approval", "Back through approval"),
                            ("new_declaration", "New declaration required"),
                        ],
                        max_length=20,
                        verbose_name="disposition",
                    ),
                ),
                ("rule_id", models.CharField(blank=True, max_length=120, verbose_name="rule")),
                ("article", models.CharField(blank=True, max_length=60, verbose_name="article")),
                ("route_message", models.TextField(blank=True, verbose_name="what the measure says")),
                (
                    "beyond_because",
                    models.JSONField(
                        blank=True, default=list, verbose_name="beyond the unit's power because"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("submitted_at", models.DateTimeField(blank=True, null=True, verbose_name="submitted at")),
                ("decided_at", models.DateTimeField(blank=True, null=True, verbose_name="decided at")),
                (
                    "document_number",
                    models.CharField(blank=True, max_length=100, verbose_name="approval document number"),
                ),
                ("decision_date", models.DateField(blank=True, null=True, verbose_name="decision date")),
                ("approved_amount_wan", _money("approved new amount (10k CNY)", blank=True, null=True)),
                ("decision_reason", models.TextField(blank=True, verbose_name="comment or reason")),
                (
                    "acknowledged_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at"),
                ),
                ("acknowledged_by", _person("acknowledged by")),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="created by",
                    ),
                ),
                ("decided_by", _person("decided by")),
                (
                    "new_project",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="projects.project",
                        verbose_name="new project started from it",
                    ),
                ),
                ("on_behalf_of", _person("on behalf of")),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="change_requests",
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
                        verbose_name="rule pack version",
                    ),
                ),
                ("submitted_by", _person("submitted by")),
            ],
            options={
                "verbose_name": "change request",
                "verbose_name_plural": "change requests",
                "ordering": ["project_id", "-id"],
                "indexes": [models.Index(fields=["status", "project"], name="change_request_status_idx")],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["draft", "submitted", "returned"])),
                        fields=("project",),
                        name="change_request_one_open_per_project",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("increases_wan__gte", 0),
                            ("decreases_wan__gte", 0),
                            ("new_content_wan__gte", 0),
                            ("tender_savings_wan__gte", 0),
                        ),
                        name="change_request_amounts_not_negative",
                    ),
                ],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name="FinalAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("actual_spend_wan", _money("actual spend (10k CNY)")),
                ("baseline_wan", _money("baseline at the time (10k CNY)")),
                ("surplus_wan", _money("surplus (10k CNY)")),
                (
                    "must_return",
                    models.BooleanField(default=False, verbose_name="the measure says it must be returned"),
                ),
                ("return_rule_id", models.CharField(blank=True, max_length=120, verbose_name="rule")),
                ("return_article", models.CharField(blank=True, max_length=60, verbose_name="article")),
                ("recorded_at", models.DateTimeField(auto_now=True, verbose_name="recorded at")),
                (
                    "returned_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="return confirmed at"),
                ),
                ("returned_on", models.DateField(blank=True, null=True, verbose_name="returned on")),
                (
                    "return_reference",
                    models.CharField(blank=True, max_length=100, verbose_name="voucher or reference"),
                ),
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="final_account",
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
                ("returned_by", _person("return confirmed by")),
            ],
            options={
                "verbose_name": "final accounts",
                "verbose_name_plural": "final accounts",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("actual_spend_wan__gte", 0), ("surplus_wan__gte", 0)),
                        name="final_account_amounts_not_negative",
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="investmentbaseline",
            name="source_stage",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="baselines",
                to="approvals.approvalstage",
                verbose_name="set by the approval of",
            ),
        ),
        migrations.AddField(
            model_name="investmentbaseline",
            name="source_change",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="baselines",
                to="budgets.changerequest",
                verbose_name="set by the change",
            ),
        ),
        migrations.AddConstraint(
            model_name="investmentbaseline",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("source_change__isnull", True), ("source_stage__isnull", False)),
                    models.Q(("source_change__isnull", False), ("source_stage__isnull", True)),
                    _connector="OR",
                ),
                name="investment_baseline_one_source",
            ),
        ),
    ]
