"""Pages of the construction records under /projects/<pk>/construction/: the overview, the supervision
contract, procurement and its contract, the yearly reports, and the incident reports with the
approver's answers. Plain form posts; the services check role, state and input."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from projects.construction import forms, services
from projects.construction.models import IncidentReport, ProgressReport
from projects.construction.rules import incident_requirement, report_requirement
from projects.construction.selectors import CONSTRUCTION_PHASES, construction_overview, incident_actions, may
from projects.documents.files import file_response
from projects.documents.models import ProjectDocument
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form


def _project(request, pk):
    project = project_or_404(request.user, pk)
    if project.phase not in CONSTRUCTION_PHASES:
        raise Http404
    return project


@login_required
@require_GET
def overview(request, pk: int):
    project = _project(request, pk)
    return render(
        request,
        "projects/construction/overview.html",
        {"project": project, "construction": construction_overview(request.user, project)},
    )


def _form_page(request, project, form, call, *, action, template, context, done):
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = run_on_form(
                request, form, lambda: call(form.cleaned_data), project_id=project.pk, action=action
            )
            if result is not REFUSED:
                messages.success(request, done)
                return redirect("projects:construction-overview", pk=project.pk)
        status = answer_status(request, form)
    return render(request, template, {"project": project, "form": form, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def supervision(request, pk: int):
    project = _project(request, pk)
    overview_ = construction_overview(request.user, project)
    row = overview_["supervision"]
    initial = (
        {"company": row.company, "contract_number": row.contract_number, "contract_date": row.contract_date}
        if row
        else None
    )
    form = forms.SupervisionForm(request.POST or None, request.FILES or None, initial=initial)

    def call(data):
        return services.supervision_record(
            actor=request.user,
            project_id=project.pk,
            company=data["company"],
            contract_number=data["contract_number"],
            contract_date=data["contract_date"],
            file=data.get("file"),
        )

    return _form_page(
        request,
        project,
        form,
        call,
        action="supervision_record",
        template="projects/construction/supervision.html",
        context={"construction": overview_, "allowed": overview_["may"]["supervision"]},
        done=_("The supervision contract is recorded."),
    )


@login_required
@require_GET
def supervision_file(request, pk: int):
    project = _project(request, pk)
    row = construction_overview(request.user, project)["supervision"]
    if row is None or not row.file:
        raise Http404
    return file_response(row.file, filename=row.file_name)


@login_required
@require_http_methods(["GET", "POST"])
def procurement(request, pk: int):
    project = _project(request, pk)
    overview_ = construction_overview(request.user, project)
    row = overview_["procurement"]
    initial = None
    if row is not None:
        initial = {
            name: getattr(row, name)
            for name in (
                "started_on",
                "method",
                "supplier",
                "contract_number",
                "contract_date",
                "contract_amount_wan",
                "ip_terms_stated",
                "free_om_years",
            )
        }
    form = forms.ProcurementForm(request.POST or None, initial=initial)

    def call(data):
        return services.procurement_record(actor=request.user, project_id=project.pk, **data)

    return _form_page(
        request,
        project,
        form,
        call,
        action="procurement_record",
        template="projects/construction/procurement.html",
        context={"construction": overview_, "allowed": overview_["may"]["procurement"]},
        done=_("Procurement and its contract are recorded."),
    )


def _report_years(overview_) -> list[int]:
    return [line["year"] for line in overview_["report_years"] if line["report"] is None]


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request, pk: int):
    project = _project(request, pk)
    overview_ = construction_overview(request.user, project)
    requirement = report_requirement(project)
    this_year = timezone.make_aware(dt.datetime(timezone.localdate().year, 1, 1))
    on_file = set(
        ProjectDocument.objects.filter(project=project, code__in=requirement.codes, created_at__gte=this_year)
        .current()
        .filter(rejected_at__isnull=True)
        .values_list("code", flat=True)
    )
    documents = [(code, requirement.names[code], code in on_file) for code in requirement.codes]
    years = _report_years(overview_) or [timezone.localdate().year]
    form = forms.ReportForm(request.POST or None, request.FILES or None, years=years, documents=documents)

    def call(data):
        return services.progress_report_submit(
            actor=request.user,
            project_id=project.pk,
            year=data["year"],
            progress=data["progress"],
            investment=data["investment"],
            problems=data.get("problems", ""),
            files=form.files_given(),
        )

    return _form_page(
        request,
        project,
        form,
        call,
        action="progress_report_submit",
        template="projects/construction/report_form.html",
        context={
            "construction": overview_,
            "requirement": requirement,
            "allowed": overview_["may"]["report"],
        },
        done=_("The yearly progress report is submitted."),
    )


@login_required
@require_GET
def report_detail(request, pk: int, year: int):
    project = _project(request, pk)
    row = ProgressReport.objects.filter(project=project, year=year).select_related("submitted_by").first()
    if row is None:
        raise Http404
    names = report_requirement(project).names
    documents = [{**d, "name": names.get(d["code"], d["code"])} for d in row.documents]
    return render(
        request,
        "projects/construction/report.html",
        {"project": project, "report": row, "documents": documents},
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_new(request, pk: int):
    project = _project(request, pk)
    overview_ = construction_overview(request.user, project)
    requirement = incident_requirement(project)
    form = forms.IncidentForm(request.POST or None, request.FILES or None)
    if requirement.codes:
        form.fields["file"].required = True
        form.fields["file"].label = requirement.names[requirement.codes[0]]

    def call(data):
        return services.incident_report(
            actor=request.user,
            project_id=project.pk,
            kind=data["kind"],
            happened=data["happened"],
            impact=data["impact"],
            measures=data["measures"],
            file=data.get("file"),
        )

    return _form_page(
        request,
        project,
        form,
        call,
        action="incident_report",
        template="projects/construction/incident_form.html",
        context={
            "construction": overview_,
            "requirement": requirement,
            "allowed": overview_["may"]["incident"],
        },
        done=_("The report is sent to the approving authority."),
    )


def _incident(project, incident_id) -> IncidentReport:
    row = (
        IncidentReport.objects.filter(project=project, pk=incident_id)
        .select_related(
            "reported_by", "decided_by", "on_behalf_of", "confirmed_by", "rectification_reported_by"
        )
        .select_related("document")
        .first()
    )
    if row is None:
        raise Http404
    return row


@login_required
@require_GET
def incident_detail(request, pk: int, incident_id: int):
    project = _project(request, pk)
    row = _incident(project, incident_id)
    allowed = may(request.user, project)
    return render(
        request,
        "projects/construction/incident.html",
        {
            "project": project,
            "incident": row,
            "actions": incident_actions(row, allowed),
            "requirement": incident_requirement(project),
        },
    )


@login_required
@require_GET
def incident_file(request, pk: int, incident_id: int):
    project = _project(request, pk)
    row = _incident(project, incident_id)
    if not row.file:
        raise Http404
    return file_response(row.file, filename=row.file_name)


INCIDENT_ACTIONS = {
    "rectify": (gettext_lazy("Order rectification"), forms.RectifyForm),
    "suspend": (gettext_lazy("Suspend the construction"), forms.SuspendForm),
    "report-done": (gettext_lazy("Report the rectification done"), forms.RectifiedForm),
    "confirm": (gettext_lazy("Confirm the rectification"), forms.ConfirmForm),
    "return": (gettext_lazy("Return the rectification"), forms.ReturnForm),
}


def _incident_call(action, user, project, row, data):
    common = {"actor": user, "project_id": project.pk, "incident_id": row.pk}
    if action == "rectify":
        return services.incident_order_rectification(
            **common, due_date=data["due_date"], reason=data["reason"]
        )
    if action == "suspend":
        return services.incident_suspend(**common, reason=data["reason"])
    if action == "report-done":
        return services.incident_report_rectified(**common, summary=data["summary"])
    if action == "confirm":
        return services.incident_confirm_rectified(**common, comment=data.get("comment", ""))
    return services.incident_return_rectification(**common, reason=data["reason"])


@login_required
@require_http_methods(["GET", "POST"])
def incident_action(request, pk: int, incident_id: int, action: str):
    project = _project(request, pk)
    row = _incident(project, incident_id)
    label, form_class = INCIDENT_ACTIONS[action]
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_on_form(
                request,
                form,
                lambda: _incident_call(action, request.user, project, row, form.cleaned_data),
                project_id=project.pk,
                action=f"incident_{action}"[:40],
            )
            if done is not REFUSED:
                messages.success(request, _("Done: %(action)s.") % {"action": label})
                return redirect("projects:construction-incident", pk=project.pk, incident_id=row.pk)
        status = answer_status(request, form)
    allowed = action in incident_actions(row, may(request.user, project))
    return render(
        request,
        "projects/construction/incident_action.html",
        {
            "project": project,
            "incident": row,
            "form": form,
            "action": action,
            "action_label": label,
            "allowed": allowed,
        },
        status=status,
    )
