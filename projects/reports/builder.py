"""Building a requested report, in the Celery task (projects.reports.tasks.build_report).

`report_build` claims the report (queued → running, one worker only), asks its kind for the file —
a PDF rendered from the kind's template and context, or the kind's own file (the dossier's ZIP) —
written to a temporary directory on disk, stores it through Django's storage API in chunks (the
file is never read whole into memory), and marks it done with its size and SHA-256. Any error
marks it failed with a message a person can read; the page then offers to try again.

Progress is written with plain UPDATEs outside any transaction, so the page that polls it sees each
step as it happens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from projects.reports import render
from projects.reports.kinds import Built, kind_of
from projects.reports.models import Report, ReportStatus
from security.selectors import person_name

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
# A running report whose worker died (killed, machine restarted) is taken up again after this long.
STALE_AFTER = dt.timedelta(minutes=getattr(settings, "REPORT_STALE_MINUTES", 30))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def progress_of(report_id: int):
    """progress(percent, step): one UPDATE, seen at once by the page polling it."""

    def progress(percent: int, step: str = "") -> None:
        Report.objects.filter(pk=report_id, status=ReportStatus.RUNNING).update(
            progress=max(0, min(100, int(percent))), step=str(step)[:200], updated_at=timezone.now()
        )

    return progress


def _claim(report_id: int) -> bool:
    """queued (or running with a dead worker) → running; False when another worker has it or it is over."""
    now = timezone.now()
    return bool(
        Report.objects.filter(pk=report_id)
        .filter(
            Q(status=ReportStatus.QUEUED) | Q(status=ReportStatus.RUNNING, updated_at__lt=now - STALE_AFTER)
        )
        .update(
            status=ReportStatus.RUNNING,
            started_at=now,
            updated_at=now,
            progress=1,
            step=_("Started"),
            error="",
        )
    )


def pdf_context(report: Report, kind_context: dict) -> dict:
    """What templates/reports/pdf/base.html reads, around the kind's own context."""
    requested = timezone.localtime(report.created_at)
    return {
        "report": report,
        "jurisdiction": report.jurisdiction,
        "rule_pack": report.rule_pack,
        "requested_by": person_name(report.requested_by),
        "printed_on": requested.strftime("%Y年%m月%d日"),
        "printed_at": requested.strftime("%Y-%m-%d %H:%M"),
        **kind_context,
    }


def build_pdf(report: Report, kind, progress, directory: Path) -> Built:
    progress(10, _("Collecting the records"))
    context = kind.context(report, progress)
    progress(50, _("Typesetting the PDF"))
    html = render.render_html(kind.template, pdf_context(report, context))
    target = directory / "report.pdf"
    render.write_pdf(html, target)
    return Built(target, f"{report.title}.pdf")


def _tell(report: Report, status: str) -> None:
    """The requester is told the report is ready (or failed), with a link to its page."""
    from projects.notifications.services import notify

    with translation.override(settings.LANGUAGE_CODE):
        title = (
            _("Report ready: %(title)s") if status == ReportStatus.DONE else _("Report failed: %(title)s")
        ) % {"title": report.title}
    try:
        notify(
            [report.requested_by_id],
            kind="report",
            title=title[:200],
            url=reverse("reports:detail", args=[report.pk]),
            project=report.project,
            jurisdiction=None if report.project_id else report.jurisdiction,
            key=f"report:{report.pk}:{report.attempts}:{status}",
        )
    except Exception:  # the report stands whether or not the notice could be written
        log.exception("report %s: the requester could not be told", report.pk)


def report_build(report_id: int) -> str:
    """Build the report if it is still to be built; returns its status afterwards."""
    if not _claim(report_id):
        return Report.objects.filter(pk=report_id).values_list("status", flat=True).first() or "missing"
    report = Report.objects.select_related("jurisdiction", "project", "rule_pack", "requested_by").get(
        pk=report_id
    )
    progress = progress_of(report_id)
    kind = kind_of(report.kind)
    try:
        with (
            translation.override(settings.LANGUAGE_CODE),
            tempfile.TemporaryDirectory(prefix="govproj-report-") as scratch,
        ):
            if kind is None:
                raise LookupError(_("This kind of report is no longer offered."))
            directory = Path(scratch)
            built = (
                build_pdf(report, kind, progress, directory)
                if kind.context
                else kind.build(report, progress, directory)
            )
            progress(95, _("Storing the file"))
            size = built.path.stat().st_size
            digest = sha256_of(built.path)
            with open(built.path, "rb") as stream:
                report.file.save(built.file_name, File(stream), save=False)  # the storage copies in chunks
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.DONE,
            progress=100,
            step=_("Ready"),
            file=report.file.name,
            file_name=built.file_name[:255],
            size=size,
            sha256=digest,
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        _tell(report, ReportStatus.DONE)
        return ReportStatus.DONE
    except Exception as exc:  # any failure is the report's, shown on its page and retried from there
        log.exception("report %s (%s) failed", report_id, report.kind)
        if report.file.name:
            report.file.delete(save=False)
        with translation.override(settings.LANGUAGE_CODE):
            message = _("The report could not be built: %(error)s") % {
                "error": str(exc) or type(exc).__name__
            }
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            error=message[:2000],
            step="",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )
        _tell(report, ReportStatus.FAILED)
        return ReportStatus.FAILED
