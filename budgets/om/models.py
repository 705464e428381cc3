"""O&M funding applications (运维经费申请) and the finance officer's decision on them (issue 10 §5).

A department applies for one year's O&M funds of a project in operation (amount, contract term, new
or continuing O&M). The finance officer approves, reduces (a granted amount below the request) or
refuses it with a reason; the decision keeps the verdicts and the pack version it applied, so a later
change of facts or rules never rewrites it. A refused application stays on record: the department
files a new one after rectification (`follows` links it to the refused one).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from projects.models import Project

__all__ = ["OmApplication", "OmStatus"]


class OmStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting the finance decision")
    APPROVED = "approved", _("Funds approved")
    REDUCED = "reduced", _("Approved with a reduced amount")
    REFUSED = "refused", _("Funds refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OM_STATUS_LABELS = dict(OmStatus.choices)
DECIDED = frozenset({OmStatus.APPROVED, OmStatus.REDUCED, OmStatus.REFUSED})
GRANTED = frozenset({OmStatus.APPROVED, OmStatus.REDUCED})
# An application in one of these is still the project's open one: only one at a time.
OPEN = frozenset({OmStatus.DRAFT, OmStatus.SUBMITTED})

_PERSON = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}
_MONEY = {"max_digits": 14, "decimal_places": 2}


class OmApplication(ConcurrentTransitionMixin, models.Model):
    """One year's O&M funding application of a project, and the finance officer's decision on it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="om_applications"
    )
    year = models.PositiveSmallIntegerField(_("O&M year"))
    amount_wan = models.DecimalField(_("annual O&M funds requested (10k CNY)"), **_MONEY)
    term_years = models.DecimalField(_("contract term (years)"), max_digits=5, decimal_places=2)
    is_continuation = models.BooleanField(_("continuing O&M"), default=False)
    period_end_date = models.DateField(_("current O&M period ends"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("resubmission of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resubmissions",
    )
    status = FSMField(
        _("status"), default=OmStatus.DRAFT, choices=OmStatus.choices, protected=True, db_index=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), **_PERSON)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), **_PERSON)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), **_PERSON)
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), **_PERSON)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    granted_wan = models.DecimalField(_("granted amount (10k CNY)"), null=True, blank=True, **_MONEY)
    reason = models.TextField(_("reason"), blank=True)
    # What the decision applied, kept as it was: the overall answer, each rule's verdict, the pack version.
    answer = models.CharField(_("overall answer"), max_length=20, blank=True)
    verdicts = models.JSONField(_("verdicts applied"), default=list, blank=True)
    rule_pack = models.ForeignKey(
        "jurisdictions.RulePack",
        verbose_name=_("rule pack version applied"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    pack_version = models.PositiveIntegerField(_("pack version applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("O&M funding application")
        verbose_name_plural = _("O&M funding applications")
        ordering = ["project_id", "id"]
        indexes = [models.Index(fields=["status", "submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_wan__gt=0), name="om_amount_positive"),
            models.CheckConstraint(condition=models.Q(term_years__gt=0), name="om_term_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.year}#{self.pk}"

    @property
    def status_label(self) -> str:
        return str(OM_STATUS_LABELS.get(self.status, self.status))

    @property
    def decided(self) -> bool:
        return self.status in DECIDED

    # The graph; the service checks roles, the project and the rules.
    @transition(field=status, source=OmStatus.DRAFT, target=OmStatus.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=status, source=[OmStatus.DRAFT, OmStatus.SUBMITTED], target=OmStatus.WITHDRAWN)
    def withdraw(self) -> None:
        pass

    @transition(field=status, source=OmStatus.SUBMITTED, target=OmStatus.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=status, source=OmStatus.SUBMITTED, target=OmStatus.REDUCED)
    def reduce(self) -> None:
        pass

    @transition(field=status, source=OmStatus.SUBMITTED, target=OmStatus.REFUSED)
    def refuse(self) -> None:
        pass
