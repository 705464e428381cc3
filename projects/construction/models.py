"""Records of projects.construction (issue 10 §1): the supervision contract (监理合同), procurement and
its contract (采购与合同), the yearly progress / performance report (年度进展、绩效报告) and the report of
a serious delay, major loss or major change (严重逾期、重大损失、重大变更报告) with the approver's answer.

Each record decides facts the rules read (`supervisor_engaged`, `procurement_started`,
`ip_terms_in_contract`, `progress_report_date`, `serious_delay_or_loss`, `rectification_due_date`,
`rectification_done_date`): its service stores them on the project (projects.records.record_facts).
Imported by the app's models module.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from govproj.models import TimeStampedModel

__all__ = [
    "IncidentKind",
    "IncidentReport",
    "IncidentStatus",
    "ProcurementMethod",
    "ProcurementRecord",
    "ProgressReport",
    "SupervisionContract",
]

TEXT_MAX = 2000


class SupervisionContract(TimeStampedModel):
    """监理合同: the supervision firm the unit entrusted, one per project (a correction replaces it)."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="supervision_contract",
    )
    company = models.CharField(_("supervision company"), max_length=200)
    contract_number = models.CharField(_("contract number"), max_length=100)
    contract_date = models.DateField(_("contract date"))
    file = models.FileField(_("contract file"), upload_to="construction/supervision/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("supervision contract")
        verbose_name_plural = _("supervision contracts")

    def __str__(self) -> str:
        return f"{self.project_id} {self.company} {self.contract_number}"


class ProcurementMethod(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("Public tender")
    INVITED_TENDER = "invited_tender", _("Invited tender")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation")
    SINGLE_SOURCE = "single_source", _("Single source")
    INQUIRY = "inquiry", _("Request for quotation")
    FRAMEWORK = "framework", _("Framework agreement")
    OTHER = "other", _("Other")


class ProcurementRecord(TimeStampedModel):
    """采购与合同: when procurement started (莱州 第十九条: adjustments only before it), how, who won,
    and the contract (its number, date, amount, whether it states IP ownership, the free O&M term)."""

    project = models.OneToOneField(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="procurement"
    )
    started_on = models.DateField(_("procurement started on"))
    method = models.CharField(_("procurement method"), max_length=30, choices=ProcurementMethod.choices)
    supplier = models.CharField(_("winning supplier"), max_length=200, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)
    contract_amount_wan = models.DecimalField(
        _("contract amount (10k CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    ip_terms_stated = models.BooleanField(
        _("the tender documents and contract state IP ownership"), default=False
    )
    free_om_years = models.DecimalField(
        _("free O&M period agreed (years)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("procurement and contract")
        verbose_name_plural = _("procurement and contracts")

    def __str__(self) -> str:
        return f"{self.project_id} {self.started_on} {self.contract_number}"

    @property
    def has_contract(self) -> bool:
        return bool(self.contract_number)


class ProgressReport(TimeStampedModel):
    """年度进展（绩效）报告: one per project and year; the report for a year counts for that year only."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="progress_reports",
    )
    year = models.PositiveIntegerField(_("year reported on"))
    submitted_on = models.DateField(_("submitted on"))
    progress = models.TextField(_("construction progress"), max_length=TEXT_MAX)
    investment = models.TextField(_("investment plan execution"), max_length=TEXT_MAX)
    problems = models.TextField(_("problems and trial-run effect"), max_length=TEXT_MAX, blank=True)
    documents = models.JSONField(_("documents submitted with it"), default=list, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("yearly progress report")
        verbose_name_plural = _("yearly progress reports")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="progress_report_one_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"

    @property
    def on_time(self) -> bool:
        """Submitted within the year it reports on (every pack's deadline is the year's end)."""
        return self.submitted_on.year == self.year


class IncidentKind(models.TextChoices):
    SERIOUS_DELAY = "serious_delay", _("Serious delay")
    MAJOR_LOSS = "major_loss", _("Major investment loss")
    MAJOR_CHANGE = "major_change", _("Major change")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported, awaiting the approver")
    RECTIFYING = "rectifying", _("Rectification ordered")
    RECTIFICATION_REPORTED = "rectification_reported", _("Rectification reported, awaiting confirmation")
    CLOSED = "closed", _("Rectification confirmed")
    SUSPENDED = "suspended", _("Construction suspended")


INCIDENT_STATUS_LABELS = dict(IncidentStatus.choices)
INCIDENT_KIND_LABELS = dict(IncidentKind.choices)
# The approver has yet to act on it: a new report, or a rectification reported done.
INCIDENT_WAITING = (IncidentStatus.REPORTED, IncidentStatus.RECTIFICATION_REPORTED)
# A rectification ordered and not confirmed: resuming waits for it.
INCIDENT_RECTIFICATION_OPEN = (IncidentStatus.RECTIFYING, IncidentStatus.RECTIFICATION_REPORTED)


class IncidentReport(ConcurrentTransitionMixin, TimeStampedModel):
    """A serious delay, major loss or major change reported to the approver, and the approver's answer:
    rectification by a date (整改, then confirmed) or suspension of the construction (暂停建设)."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="incidents"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IncidentKind.choices)
    happened = models.TextField(_("what happened"), max_length=TEXT_MAX)
    impact = models.TextField(_("impact"), max_length=TEXT_MAX)
    measures = models.TextField(_("measures taken or proposed"), max_length=TEXT_MAX)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        "projects.ProjectDocument",
        verbose_name=_("report document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("report file"), upload_to="construction/incidents/%Y/%m/", blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    status = FSMField(
        _("status"), default=IncidentStatus.REPORTED, choices=IncidentStatus.choices, protected=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), max_length=TEXT_MAX, blank=True)
    rectification_due_date = models.DateField(_("rectify by"), null=True, blank=True)
    rectification_summary = models.TextField(_("rectification done"), max_length=TEXT_MAX, blank=True)
    rectification_reported_at = models.DateTimeField(_("rectification reported at"), null=True, blank=True)
    rectification_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rectification reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_comment = models.TextField(_("confirmation comment"), max_length=TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("incident report")
        verbose_name_plural = _("incident reports")
        ordering = ["project", "-reported_on", "-pk"]
        indexes = [models.Index(fields=["status"], name="incident_status")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind} {self.status}"

    @property
    def status_label(self) -> str:
        return str(INCIDENT_STATUS_LABELS.get(self.status, self.status))

    @property
    def kind_label(self) -> str:
        return str(INCIDENT_KIND_LABELS.get(self.kind, self.kind))

    # The graph only; the services check roles, the project's phase and the input.

    @transition(
        field=status,
        source=[IncidentStatus.REPORTED, IncidentStatus.SUSPENDED],
        target=IncidentStatus.RECTIFYING,
    )
    def order_rectification(self):
        pass

    @transition(field=status, source=IncidentStatus.REPORTED, target=IncidentStatus.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=status, source=IncidentStatus.RECTIFYING, target=IncidentStatus.RECTIFICATION_REPORTED)
    def report_rectified(self):
        pass

    @transition(field=status, source=IncidentStatus.RECTIFICATION_REPORTED, target=IncidentStatus.CLOSED)
    def confirm_rectified(self):
        pass

    @transition(field=status, source=IncidentStatus.RECTIFICATION_REPORTED, target=IncidentStatus.RECTIFYING)
    def return_rectification(self):
        pass
