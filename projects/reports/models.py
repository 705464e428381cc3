"""Reports people print and auditors keep (issue 12): one row per requested document.

A report is requested (queued), built by a Celery task (running, with a progress the page polls),
and then holds its file (done) or the error (failed, which may be retried). The file is kept
through Django's storage API and served only by the permission-checked download view. A report is
never rebuilt once done: it keeps the rule-pack version it applied, so an old 批复 still reads as it
did when printed.

`kind` names one of the registered report kinds (projects.reports.kinds); `subject_key` names what
it is about ("stage:12", "plan:3", "project:7" …), so at most one report of a kind and subject is
being built at a time (a second request gets the one in progress).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govproj.models import TimeStampedModel

__all__ = ["Report", "ReportStatus"]


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


ACTIVE = frozenset({ReportStatus.QUEUED, ReportStatus.RUNNING})


def report_path(instance: Report, filename: str) -> str:
    """A name nobody chooses: the jurisdiction, then a random name keeping the extension."""
    suffix = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "bin"
    return f"reports/{instance.jurisdiction_id}/{uuid.uuid4().hex}.{suffix}"


class Report(TimeStampedModel):
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        help_text=_("empty for a jurisdiction's report (the plan table, the rule-pack summary)"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    subject_key = models.CharField(_("subject"), max_length=60, help_text=_("what the report is about"))
    subject_label = models.CharField(_("about"), max_length=300)
    title = models.CharField(_("title"), max_length=300)
    document_number = models.CharField(_("document number"), max_length=100)
    rule_pack = models.ForeignKey(
        "jurisdictions.RulePack",
        verbose_name=_("rule pack version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "-created_at"], name="report_project_latest")]
        constraints = [
            # One build of a kind and subject at a time: a second request joins the first.
            models.UniqueConstraint(
                fields=["jurisdiction", "kind", "subject_key"],
                condition=Q(status__in=["queued", "running"]),
                name="report_one_active_build",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_percent"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="report_done_has_file"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_done(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def downloadable(self) -> bool:
        return self.status == ReportStatus.DONE and bool(self.file)

    @property
    def is_failed(self) -> bool:
        return self.status == ReportStatus.FAILED

    def status_label(self) -> str:
        return ReportStatus(self.status).label
