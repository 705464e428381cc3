"""Records of trial run and acceptance (试运行与验收, issue 10 §3). Imported by the app's models module.

- `TrialRun`: the construction completed (建成), the trial run started and (where the measure counts
  from it, 红山 第二十八条) became stable. Recording its start moves the project to trial operation.
- `AcceptanceCheck`: a check the measure puts before acceptance, requested by the department and
  decided by the reviewer: the pre-acceptance review (包头 第二十二条) or the archive acceptance
  (鄂尔多斯 第二十二条). Which ones a project has is the pack's rules (the facts they read).
- `AcceptanceDelay`: an application for delayed acceptance (延期验收申请), granted with a date (the new
  deadline) or refused with a reason by the approver.
- `AcceptanceApplication`: one round of the application for acceptance and its decision; what
  follows acceptance (the standard published, the free O&M period) is kept on the passed round.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.models import Project

__all__ = ["AcceptanceApplication", "AcceptanceCheck", "AcceptanceDelay", "TrialRun"]

_PERSON = {"on_delete": models.PROTECT, "null": True, "blank": True, "related_name": "+"}


class TrialRun(models.Model):
    """The project's construction completion and trial run (one per project)."""

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="trial_run"
    )
    completion_date = models.DateField(_("construction completed on"))
    start_date = models.DateField(_("trial run started on"))
    stable_date = models.DateField(_("trial run stable since"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), **_PERSON)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    stable_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("stable date recorded by"), **_PERSON
    )
    stable_recorded_at = models.DateTimeField(_("stable date recorded at"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("trial run")
        verbose_name_plural = _("trial runs")

    def __str__(self) -> str:
        return f"{self.project_id}:trial_run"


class CheckKind(models.TextChoices):
    PRE_ACCEPTANCE = "pre_acceptance", _("Pre-acceptance review")
    ARCHIVE = "archive", _("Archive acceptance")


class CheckStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the review")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class AcceptanceCheck(models.Model):
    """One round of a check before acceptance; a round not passed is followed by a new one."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="acceptance_checks"
    )
    kind = models.CharField(_("check"), max_length=20, choices=CheckKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=CheckStatus.choices, default=CheckStatus.REQUESTED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), **_PERSON)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), **_PERSON)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)

    class Meta:
        verbose_name = _("acceptance check")
        verbose_name_plural = _("acceptance checks")
        ordering = ["project_id", "id"]
        indexes = [models.Index(fields=["status", "project"])]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.kind}:{self.pk}"


class DelayStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class AcceptanceDelay(models.Model):
    """An application for delayed acceptance (延期验收申请) and its decision."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="acceptance_delays"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DelayStatus.choices, default=DelayStatus.PENDING
    )
    reason = models.TextField(_("reason for the delay"))
    requested_date = models.DateField(_("acceptance requested by"))
    applied_date = models.DateField(_("applied on"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"), **_PERSON)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    original_due_date = models.DateField(_("due date when applied"), null=True, blank=True)
    granted_date = models.DateField(_("new due date granted"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), **_PERSON)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision comment or reason"), blank=True)

    class Meta:
        verbose_name = _("acceptance delay application")
        verbose_name_plural = _("acceptance delay applications")
        ordering = ["project_id", "id"]
        indexes = [models.Index(fields=["status", "project"])]

    def __str__(self) -> str:
        return f"{self.project_id}:delay:{self.pk}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting the acceptance decision")
    PASSED = "passed", _("Acceptance passed")
    NOT_PASSED = "not_passed", _("Acceptance not passed")


class AcceptanceApplication(models.Model):
    """One round of the application for acceptance (申请验收) and its decision (验收结论)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="acceptance_applications"
    )
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    applied_date = models.DateField(_("applied on"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("applied by"), **_PERSON)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    documents = models.JSONField(_("documents on file when applied"), default=list, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), **_PERSON)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_date = models.DateField(_("acceptance date"), null=True, blank=True)
    operation_start_date = models.DateField(_("operation started on"), null=True, blank=True)
    conditions = models.TextField(_("conditions or opinion"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    free_om_end_date = models.DateField(_("free O&M period ends"), null=True, blank=True)
    standard_published_date = models.DateField(_("standard published on"), null=True, blank=True)
    standard_name = models.CharField(_("standard"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("acceptance application")
        verbose_name_plural = _("acceptance applications")
        ordering = ["project_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "round"], name="acceptance_application_round_unique")
        ]
        indexes = [models.Index(fields=["status", "project"])]

    def __str__(self) -> str:
        return f"{self.project_id}:acceptance#{self.round}"
