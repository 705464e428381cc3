"""Pages of reports: the project page's 「报告与档案」 section, the report page with its progress bar,
the download, a retry, and 报告中心 (/reports/: one's reports and the jurisdiction's reports).

Requesting is a plain POST (a button per printable subject); the report page then polls its
progress with HTMX (`hx-trigger="every 1s"` on the bar) until the file is ready or the build has
failed. Downloads go through report_for (404 for what the person may not see) and are streamed
from Django's storage as attachments that are never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govproj.errors import ApplicationError, NotFound
from jurisdictions.models import Jurisdiction
from projects.documents.files import file_response
from projects.models import Project
from projects.pages import project_or_404
from projects.records import project_section
from projects.reports import services
from projects.reports.selectors import printable, printable_in, project_reports, report_for, reports_for
from security.services import project_refusal_record

ANCHOR = "#reports"


@project_section(95, "projects/reports/_section.html")
def reports_section(user, project: Project, *, pack, verdicts, events) -> dict | None:
    """The section's frame: its content (what can be printed, what was) loads with the page from
    `offers`, so the records each kind reads cost the project page no query."""
    return {"reports": {"shown": True}}


@login_required
@require_GET
def offers(request, pk: int):
    """The section's content: each kind with its printable subjects, and the project's reports."""
    project = project_or_404(request.user, pk)
    return render(
        request,
        "projects/reports/_offers.html" if request.htmx else "projects/reports/offers.html",
        {
            "project": project,
            "offered": [
                {"kind": kind, "subjects": subjects} for kind, subjects in printable(request.user, project)
            ],
            "rows": project_reports(project, request.user, limit=10),
        },
    )


def _report_or_404(user, pk):
    try:
        return report_for(user, pk)
    except NotFound as exc:
        raise Http404 from exc


def _refused(request, error: ApplicationError, project_id=None) -> None:
    if project_id is not None:
        project_refusal_record(request=request, project_id=project_id, action="report", error=error)
    messages.error(request, error.message)


@login_required
@require_POST
def request_project_report(request, pk: int):
    project = project_or_404(request.user, pk)
    try:
        report = services.report_request(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            project_id=project.pk,
            subject=request.POST.get("subject", ""),
        )
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as error:
        _refused(request, error, project.pk)
        return redirect(reverse("projects:detail", args=[project.pk]) + ANCHOR)
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def request_jurisdiction_report(request):
    try:
        report = services.report_request(
            actor=request.user,
            kind=request.POST.get("kind", ""),
            jurisdiction=request.POST.get("jurisdiction", ""),
            subject=request.POST.get("subject", ""),
        )
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as error:
        _refused(request, error)
        return redirect("reports:centre")
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_GET
def centre(request):
    """报告中心: the jurisdictions' reports one may print, and the reports one sees, newest first."""
    places = Jurisdiction.objects.for_user(request.user).order_by("name_zh")
    offered = [
        {
            "jurisdiction": place,
            "kinds": [{"kind": k, "subjects": s} for k, s in printable_in(request.user, place)],
        }
        for place in places
    ]
    rows = list(reports_for(request.user).order_by("-created_at", "-pk")[:50])
    return render(request, "projects/reports/centre.html", {"offered": offered, "rows": rows})


@login_required
@require_GET
def detail(request, pk: int):
    report = _report_or_404(request.user, pk)
    return render(request, "projects/reports/detail.html", {"report": report})


@login_required
@require_GET
def progress(request, pk: int):
    """The progress bar alone (HTMX polls it; it stops polling once the report is done or failed)."""
    report = _report_or_404(request.user, pk)
    response = render(request, "projects/reports/_progress.html", {"report": report})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def download(request, pk: int):
    report = _report_or_404(request.user, pk)
    if not report.downloadable:
        raise Http404
    return file_response(
        report.file,
        filename=report.file_name,
        sha256=report.sha256,
    )


@login_required
@require_POST
def retry(request, pk: int):
    report = _report_or_404(request.user, pk)
    try:
        services.report_retry(actor=request.user, report_id=report.pk)
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as error:
        _refused(request, error, report.project_id)
    else:
        messages.success(request, _("The report is being prepared again."))
    return redirect("reports:detail", pk=report.pk)
