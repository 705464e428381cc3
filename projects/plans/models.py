"""The annual plan (年度计划): one record per jurisdiction and year, and the library projects in it.

A reviewer compiles the plan from projects in the library (draft), publishes it (every project in
it moves in_library → planned, one audit event each), and may reopen it for revision to add or
remove projects, then publish again. An emergency addition (紧急增补) enters a published plan
directly, with the approval its measure requires on record (who agreed, document number, date).
The state graph is here; roles, rules and locking are the services' (projects/plans/services.py).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from govproj.models import TimeStampedModel
from jurisdictions.models import Jurisdiction, Role, memberships_of


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Being compiled")
    PUBLISHED = "published", _("Published")
    REVISED = "revised", _("Being revised")


PLAN_STATUS_LABELS = dict(PlanStatus.choices)
# Roles that see every plan of their jurisdiction, drafts included; department staff see a plan
# once it has been published (read-only).
PLAN_WIDE_ROLES = frozenset(
    {Role.REVIEWER, Role.FINANCE_OFFICER, Role.JURISDICTION_ADMIN, Role.SECURITY_REVIEWER, Role.AUDITOR}
)


class AnnualPlanQuerySet(models.QuerySet):
    def for_user(self, user, action: str = "view") -> AnnualPlanQuerySet:
        """Plans the user may see: all of a jurisdiction-wide role's, published ones for its staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        memberships = memberships_of(user)
        wide = sorted({m.jurisdiction_id for m in memberships if m.role in PLAN_WIDE_ROLES})
        staff = sorted(
            {m.jurisdiction_id for m in memberships if m.role == Role.DEPARTMENT_STAFF} - set(wide)
        )
        condition = Q(pk__in=[])
        if wide:
            condition |= Q(jurisdiction_id__in=wide)
        if staff:
            condition |= Q(jurisdiction_id__in=staff, published_at__isnull=False)
        return self.filter(condition)


class AnnualPlan(TimeStampedModel):
    """年度计划: the projects of a jurisdiction's library that go ahead in a year."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="annual_plans"
    )
    year = models.PositiveIntegerField(_("plan year"))
    status = FSMField(
        _("status"), default=PlanStatus.DRAFT, choices=PlanStatus.choices, protected=True, db_index=True
    )
    ceiling_wan = models.DecimalField(
        _("ceiling (10k CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("optional: the total the plan should not exceed, in 万元"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("how many times the plan has been published")
    )

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("annual plan")
        verbose_name_plural = _("annual plans")
        ordering = ["-year", "jurisdiction_id"]
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "year"], name="annual_plan_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id}/{self.year}"

    @property
    def status_label(self) -> str:
        return str(PLAN_STATUS_LABELS.get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        """Projects may be added and removed (draft, or reopened for revision)."""
        return self.status in (PlanStatus.DRAFT, PlanStatus.REVISED)

    @transition(field=status, source=[PlanStatus.DRAFT, PlanStatus.REVISED], target=PlanStatus.PUBLISHED)
    def publish(self):
        pass

    @transition(field=status, source=PlanStatus.PUBLISHED, target=PlanStatus.REVISED)
    def revise(self):
        pass


class AnnualPlanEntry(models.Model):
    """A project in a plan; an emergency addition (紧急增补) carries the approval it entered with."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("annual plan"), on_delete=models.PROTECT, related_name="entries"
    )
    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="plan_entry",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))
    is_emergency = models.BooleanField(_("emergency addition"), default=False)
    approved_by = models.CharField(
        _("agreed by"), max_length=100, blank=True, help_text=_("who agreed, e.g. 区政府")
    )
    approval_document_no = models.CharField(_("approval document number"), max_length=100, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual plan entry")
        verbose_name_plural = _("annual plan entries")
        ordering = ["plan", "added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_emergency=False)
                | (~Q(approved_by="") & ~Q(approval_document_no="") & Q(approval_date__isnull=False)),
                name="annual_plan_entry_emergency_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.project_id}"
