# Placeholder of the issue-10 migration chain: its owner replaces the operations (keep the name and add
# dependencies only as needed; never depend on a later migration of another issue-10 part).
# Decommissioning (issue 10 §6, 莱州 第三十八条): the stop plan, filings and data disposals.
import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_construction"),
        ("jurisdictions", "0002_department_jurisdiction_fixed"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Decommission",
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
                    "status",
                    django_fsm.FSMField(
                        choices=[("planned", "Stop plan made"), ("done", "Decommissioned")],
                        default="planned",
                        max_length=50,
                        protected=True,
                        verbose_name="status",
                    ),
                ),
                ("reason", models.TextField(verbose_name="reason for stopping")),
                ("planned_stop_on", models.DateField(verbose_name="planned stop date")),
                ("successor", models.CharField(blank=True, max_length=200, verbose_name="successor system")),
                ("planned_at", models.DateTimeField(verbose_name="plan made at")),
                ("assets_disposal", models.TextField(blank=True, verbose_name="asset disposal")),
                (
                    "assets_recorded_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="asset disposal recorded at"),
                ),
                (
                    "data_bureau_reference",
                    models.CharField(blank=True, max_length=100, verbose_name="data bureau filing reference"),
                ),
                (
                    "data_bureau_filed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="filed with the data bureau at"),
                ),
                (
                    "finance_reference",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="finance bureau filing reference"
                    ),
                ),
                (
                    "finance_filed_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="filed with the finance bureau at"
                    ),
                ),
                (
                    "completed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decommissioned at"),
                ),
                (
                    "assets_recorded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="asset disposal recorded by",
                    ),
                ),
                (
                    "completed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decommissioned by",
                    ),
                ),
                (
                    "data_bureau_filed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="filing with the data bureau recorded by",
                    ),
                ),
                (
                    "finance_filed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="filing with the finance bureau recorded by",
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
                    "planned_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="plan made by",
                    ),
                ),
                (
                    "project",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="decommission_record",
                        to="projects.project",
                        verbose_name="project",
                    ),
                ),
            ],
            options={
                "verbose_name": "decommissioning",
                "verbose_name_plural": "decommissionings",
                "ordering": ["project"],
            },
            bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
        ),
        migrations.CreateModel(
            name="DataDisposal",
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
                ("data_kind", models.CharField(max_length=200, verbose_name="data kind")),
                (
                    "action",
                    models.CharField(
                        choices=[("backup", "Backed up"), ("migrate", "Migrated"), ("destroy", "Destroyed")],
                        max_length=10,
                        verbose_name="disposal",
                    ),
                ),
                ("done_by", models.CharField(max_length=200, verbose_name="done by")),
                ("done_on", models.DateField(verbose_name="done on")),
                ("verification", models.TextField(verbose_name="how it was verified")),
                ("recorded_at", models.DateTimeField(verbose_name="recorded at")),
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
                (
                    "decommission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="disposals",
                        to="projects.decommission",
                        verbose_name="decommissioning",
                    ),
                ),
            ],
            options={
                "verbose_name": "data disposal",
                "verbose_name_plural": "data disposals",
                "ordering": ["decommission", "recorded_at", "pk"],
            },
        ),
    ]
