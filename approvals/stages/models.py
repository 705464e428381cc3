"""Approval stages (审批环节): each document stage of a project's track, decided by the pack's decider.

A project in review goes through the stages its track lists (可研 → 初步设计, or 实施方案 …), in
order. Each stage is submitted by the department, passes its review (评审通过: the clock starts),
and is approved (批复文号, amount, conditions) or filed (备案: the pack's fields). A stage returned
for revision ends its round; the next round is a new row, so earlier rounds stay on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.models import Project


class StageStatus(models.TextChoices):
    OPEN = "open", _("Awaiting submission")
    SUBMITTED = "submitted", _("Submitted")
    REVIEW_PASSED = "review_passed", _("Review passed")
    APPROVED = "approved", _("Approved")
    FILED = "filed", _("Filed")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


STAGE_STATUS_LABELS = dict(StageStatus.choices)
# A round in one of these is over; the stage is decided when approved or filed.
DECIDED = frozenset({StageStatus.APPROVED, StageStatus.FILED})
ENDED = frozenset({StageStatus.RETURNED, StageStatus.REJECTED}) | DECIDED
LIVE = frozenset({StageStatus.OPEN, StageStatus.SUBMITTED, StageStatus.REVIEW_PASSED, StageStatus.WITHDRAWN})

_PERSON = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class ApprovalStage(models.Model):
    """One round of one approval stage of a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="approval_stages"
    )
    code = models.CharField(_("stage"), max_length=40)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    track = models.CharField(_("track"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=StageStatus.choices, default=StageStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    requested_amount_wan = models.DecimalField(
        _("requested amount (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), **_PERSON)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    review_passed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("review passed by"), **_PERSON
    )
    review_passed_at = models.DateTimeField(_("review passed at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), **_PERSON)
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("on behalf of"), **_PERSON)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    document_number = models.CharField(_("approval document number"), max_length=100, blank=True)
    approved_amount_wan = models.DecimalField(
        _("approved amount (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    filing_fields = models.JSONField(_("filing record"), default=dict, blank=True)
    reason = models.TextField(_("comment or reason"), blank=True)

    class Meta:
        verbose_name = _("approval stage")
        verbose_name_plural = _("approval stages")
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code", "round"], name="approval_stage_round_unique")
        ]
        indexes = [models.Index(fields=["status", "project"])]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.code}#{self.round}"

    @property
    def status_label(self) -> str:
        return str(STAGE_STATUS_LABELS.get(self.status, self.status))
