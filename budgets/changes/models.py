"""Change requests (调整) and the final accounts' surplus (结余资金). Imported by the app's models module.

A change request states what changes (content, the investment it increases and decreases, new
content, tender savings, whether the goal changes and which of the measure's conditions it rests
on). On submission the pack's change rules route it (budgets/changes/routing.py): the unit adjusts
and files it (备案, the approver acknowledges it), it goes back through approval (批复 with a new
amount, or return / rejection with a reason), or a new declaration is needed (closed here; a new
project draft may be started from it). The graph is here; roles, rules and locking are the services'.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from projects.models import Project

__all__ = ["ChangeRequest", "FinalAccount"]


class ChangeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    FILED = "filed", _("Filed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for revision")
    REJECTED = "rejected", _("Rejected")
    NEW_DECLARATION_REQUIRED = "new_declaration_required", _("New declaration required")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ChangeReason(models.TextChoices):
    """The conditions of the measures' change articles (情形一至三), and none of them."""

    HIGHER_ORDER = "higher_order", _("Required by higher-level deployment or orders")
    TECHNICAL_OPTIMISATION = "technical_optimisation", _("Improving or optimising the technical plan")
    BUSINESS_NEED = "business_need", _("Business needs within the approved framework")
    OTHER = "other", _("None of the listed conditions")


class Disposition(models.TextChoices):
    """What the route the engine gave means for the request."""

    FILING = "filing", _("The unit adjusts and files")
    APPROVAL = "approval", _("Back through approval")
    NEW_DECLARATION = "new_declaration", _("New declaration required")


CHANGE_STATUS_LABELS = dict(ChangeStatus.choices)
# A request in one of these may still move; one such request per project at a time.
OPEN = (ChangeStatus.DRAFT, ChangeStatus.SUBMITTED, ChangeStatus.RETURNED)
# A decided change that set the baseline.
DECIDED = (ChangeStatus.FILED, ChangeStatus.APPROVED)

_MONEY = {"max_digits": 14, "decimal_places": 2}
_PERSON = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """调整申请: one proposed change of a project's content and investment."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="change_requests"
    )
    status = FSMField(
        _("status"), max_length=30, choices=ChangeStatus.choices, default=ChangeStatus.DRAFT, protected=True
    )
    content = models.TextField(_("content changed"))
    increases_wan = models.DecimalField(_("increased investment (10k CNY)"), default=0, **_MONEY)
    decreases_wan = models.DecimalField(_("decreased investment (10k CNY)"), default=0, **_MONEY)
    new_content_wan = models.DecimalField(_("new content (10k CNY)"), default=0, **_MONEY)
    tender_savings_wan = models.DecimalField(_("of which tender savings (10k CNY)"), default=0, **_MONEY)
    goal_changed = models.BooleanField(_("the construction goal changes"), default=False)
    reason = models.CharField(_("condition it rests on"), max_length=30, choices=ChangeReason.choices)
    explanation = models.TextField(_("why the change is needed"), blank=True)
    # What the engine saw and said when the request was last routed (submission, or the preview)
    estimate_wan = models.DecimalField(_("approved estimate (10k CNY)"), null=True, blank=True, **_MONEY)
    resulting_total_wan = models.DecimalField(_("resulting total (10k CNY)"), null=True, blank=True, **_MONEY)
    adjustment_wan = models.DecimalField(_("adjustment counted (10k CNY)"), null=True, blank=True, **_MONEY)
    ratio_percent = models.DecimalField(
        _("adjustment ratio (%)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    route = models.CharField(_("route"), max_length=60, blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices, blank=True)
    rule_id = models.CharField(_("rule"), max_length=120, blank=True)
    article = models.CharField(_("article"), max_length=60, blank=True)
    route_message = models.TextField(_("what the measure says"), blank=True)
    beyond_because = models.JSONField(_("beyond the unit's power because"), default=list, blank=True)
    rule_pack = models.ForeignKey("jurisdictions.RulePack", verbose_name=_("rule pack version"), **_PERSON)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), **_PERSON)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), **_PERSON)
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), **_PERSON)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    document_number = models.CharField(_("approval document number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    approved_amount_wan = models.DecimalField(
        _("approved new amount (10k CNY)"), null=True, blank=True, **_MONEY
    )
    decision_reason = models.TextField(_("comment or reason"), blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("acknowledged by"), **_PERSON
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    new_project = models.ForeignKey(
        Project, verbose_name=_("new project started from it"), **{**_PERSON, "related_name": "+"}
    )

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["project_id", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="change_request_one_open_per_project",
            ),
            models.CheckConstraint(
                condition=Q(increases_wan__gte=0)
                & Q(decreases_wan__gte=0)
                & Q(new_content_wan__gte=0)
                & Q(tender_savings_wan__gte=0),
                name="change_request_amounts_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["status", "project"], name="change_request_status_idx")]

    def __str__(self) -> str:
        return f"{self.project_id}:change#{self.pk}"

    @property
    def status_label(self) -> str:
        return str(CHANGE_STATUS_LABELS.get(self.status, self.status))

    @property
    def reason_label(self) -> str:
        return str(dict(ChangeReason.choices).get(self.reason, self.reason))

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    # ------------------------------------------------------------------ the graph
    @transition(field=status, source=[ChangeStatus.DRAFT, ChangeStatus.RETURNED], target=ChangeStatus.FILED)
    def file(self):
        """The engine's route: the unit adjusts and files (备案)."""

    @transition(
        field=status, source=[ChangeStatus.DRAFT, ChangeStatus.RETURNED], target=ChangeStatus.SUBMITTED
    )
    def submit(self):
        """The engine's route: back through approval; the approver decides."""

    @transition(
        field=status,
        source=[ChangeStatus.DRAFT, ChangeStatus.RETURNED],
        target=ChangeStatus.NEW_DECLARATION_REQUIRED,
    )
    def require_new_declaration(self):
        """The engine's route: a new declaration (or a new project) is needed; closed here."""

    @transition(field=status, source=ChangeStatus.SUBMITTED, target=ChangeStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=ChangeStatus.SUBMITTED, target=ChangeStatus.RETURNED)
    def return_for_revision(self):
        pass

    @transition(field=status, source=ChangeStatus.SUBMITTED, target=ChangeStatus.REJECTED)
    def reject(self):
        pass

    @transition(
        field=status,
        source=[ChangeStatus.DRAFT, ChangeStatus.SUBMITTED, ChangeStatus.RETURNED],
        target=ChangeStatus.WITHDRAWN,
    )
    def withdraw(self):
        pass


class FinalAccount(models.Model):
    """决算: what the project actually spent, the surplus (结余资金) against the baseline, and its return."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="final_account"
    )
    actual_spend_wan = models.DecimalField(_("actual spend (10k CNY)"), **_MONEY)
    baseline_wan = models.DecimalField(_("baseline at the time (10k CNY)"), **_MONEY)
    surplus_wan = models.DecimalField(_("surplus (10k CNY)"), **_MONEY)
    must_return = models.BooleanField(_("the measure says it must be returned"), default=False)
    return_rule_id = models.CharField(_("rule"), max_length=120, blank=True)
    return_article = models.CharField(_("article"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("return confirmed by"), **_PERSON
    )
    returned_at = models.DateTimeField(_("return confirmed at"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    return_reference = models.CharField(_("voucher or reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("final accounts")
        verbose_name_plural = _("final accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_spend_wan__gte=0) & Q(surplus_wan__gte=0),
                name="final_account_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.surplus_wan}"
