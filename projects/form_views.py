"""Pages to create and edit a draft (新建项目, 编辑), and the live preview of what the rules make of it.

Thin doors (STYLE.md, "Pages and journeys"): the form validates, projects.services writes, the
preview asks the engine through projects.selectors without saving anything.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govproj.errors import ApplicationError, NotFound, PreconditionFailed
from govproj.i18n import english, in_language
from jurisdictions.models import Department, Role
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.facts import FACTS, FactSource, fact_info
from jurisdictions.rules.schema import Outcome
from jurisdictions.rules.schema import Phase as RulePhase
from jurisdictions.selectors import rule_pack
from projects import services
from projects.duplicates.selectors import similar_projects
from projects.forms import ProjectForm, same_fact
from projects.models import TRANSITION_LABELS, Phase, Project
from projects.selectors import pack_for_project, project_for, project_verdicts
from security.services import project_refusal_record

# A draft is judged by the rules of the measure's scope and of intake; later phases' rules
# (approval, acceptance, …) would only read as failures of a project that is not there yet,
# except a rule that names the next step in its `blocks` (e.g. 红山区 第十五条: a cross-department
# project's framework plan before it is declared): that one does stop the step, so it is shown.
PREVIEW_PHASES = frozenset({RulePhase.SCOPE.value, RulePhase.INTAKE.value})


def _staff_departments(user):
    """The departments the user files projects for (department staff)."""
    return (
        Department.objects.filter(memberships__user=user, memberships__role=Role.DEPARTMENT_STAFF)
        .select_related("jurisdiction")
        .distinct()
        .order_by("pk")
    )


def _chosen(departments, raw) -> Department:
    """The department the form names when it is one of the user's, else their first."""
    listed = list(departments)
    return next((d for d in listed if str(d.pk) == str(raw)), listed[0])


def _apply_errors(form: ProjectForm, error: ApplicationError) -> None:
    """A service's refusal on the form, in the reader's language (the message, not the raw details)."""
    fields = [name for name in (error.extra.get("errors") or {}) if name in form.fields]
    for name in fields:
        form.add_error(name, error.message)
    if not fields:
        form.add_error(None, error.message)


def _next_step(project: Project) -> str:
    return "resubmit" if project.phase == Phase.RETURNED else "declare"


# ---------------------------------------------------------------------------- preview


def _candidate(form: ProjectForm, *, department: Department, project: Project | None, user) -> Project:
    """The project as it would be saved with the form's valid input (never saved here)."""
    if project is None:
        candidate = Project(jurisdiction=department.jurisdiction, department=department, created_by=user)
        facts: dict = {}
    else:
        candidate = copy.copy(project)
        facts = dict(project.facts or {}) if isinstance(project.facts, dict) else {}
    for name, value in form.service_fields().items():
        setattr(candidate, name, value)
    for name, answer in form.declared_facts().items():
        if answer is None:
            facts.pop(name, None)
        else:
            facts[name] = answer
    candidate.facts = facts
    return candidate


def _where_from(name: str) -> str:
    """Where a missing fact will come from: this form, or a record someone else keeps."""
    info = fact_info(name)
    if info.source is FactSource.DECLARED:
        return _("Answer it in this form.")
    return info.help(english=english())


def preview(form: ProjectForm, *, department: Department, project: Project | None, user) -> dict:
    """What the rules make of the form: what blocks the next step first, then what is missing."""
    form.is_valid()  # validates without saving; the valid fields are previewed, the rest are missing
    candidate = _candidate(form, department=department, project=project, user=user)
    step = _next_step(candidate)
    pack, verdicts = project_verdicts(candidate, transition=step)
    shown = [v for v in verdicts if v.phase in PREVIEW_PHASES or step in v.blocks]
    blocking = [v for v in shown if v.blocks_transition(step) and v.outcome is not Outcome.UNKNOWN]
    missing: dict[str, dict] = {}
    for verdict in shown:
        if verdict.outcome is not Outcome.UNKNOWN:
            continue
        for name in verdict.data.get("missing_facts", []):
            if name not in FACTS:
                continue
            entry = missing.setdefault(
                name,
                {
                    "label": fact_info(name).label(english=english()),
                    "where": _where_from(name),
                    "citations": [],
                    "blocks": False,
                },
            )
            if verdict.citation["text"] not in entry["citations"]:
                entry["citations"].append(verdict.citation["text"])
            entry["blocks"] = entry["blocks"] or verdict.blocks_transition(step)
    excluded_by = next((v.data["excluded_by"] for v in verdicts if "excluded_by" in v.data), None)
    outside = next((_said(v) for v in verdicts if v.rule_id == excluded_by), None)
    similar = [
        found
        for found in similar_projects(
            user=user,
            jurisdiction=department.jurisdiction_id,
            year=candidate.year,
            title=candidate.title or "",
            description=candidate.description or "",
            limit=6,
        )
        if project is None or found.project.pk != project.pk
    ]
    return {
        "preview_ready": True,
        "similar_projects": similar,  # 包头 第十条（五）, 红山 第六条, 南充 第八条（四）
        "outside": outside,  # the project falls outside the measure (e.g. no fiscal funds): say why
        "step_label": TRANSITION_LABELS[step],
        "measure_title": in_language(pack.spec.measure.title),
        "blocking": [_said(v) for v in blocking],
        "missing": sorted(missing.values(), key=lambda entry: not entry["blocks"]),
        "invalid_fields": [form[name].label for name in form.errors if name in form.fields],
    }


def _said(verdict: Verdict) -> dict:
    title, message = in_language(verdict.title), in_language(verdict.message)
    if message.startswith(title):  # e.g. "负面清单：尚未回答…" says its title already
        message = message[len(title) :].lstrip("：: ")
    return {
        "title": title,
        "message": message,
        "citation": verdict.citation["text"],
        "outcome": verdict.outcome.value,
    }


# ---------------------------------------------------------------------------- pages


def _render(request, form, *, project, department, preview_context, status=200):
    preview_url = (
        reverse("projects:edit_preview", args=[project.pk]) if project else reverse("projects:preview")
    )
    context = {
        "form": form,
        "project": project,
        "department": department,
        "preview_url": preview_url,
        **preview_context,
    }
    return render(request, "projects/project_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    """新建项目: a draft of one of the user's departments, through services.create_project."""
    departments = _staff_departments(request.user)
    if not departments.exists():
        raise PermissionDenied(_("Only department staff file projects."))
    bound = request.method == "POST"
    department = _chosen(departments, request.POST.get("department") if bound else None)
    spec = _pack_in_force(department).spec
    form = ProjectForm(request.POST if bound else None, departments=departments, spec=spec)
    if not bound:
        return _render(request, form, project=None, department=department, preview_context={})
    if form.is_valid():
        data = form.cleaned_data
        facts = {name: value for name, value in form.declared_facts().items() if value is not None}
        try:
            project = services.create_project(
                actor=request.user, department=data["department"], facts=facts, **form.service_fields()
            )
        except ApplicationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Project %(code)s created as a draft.") % {"code": project.code})
            return redirect("projects:detail", pk=project.pk)
    context = preview(form, department=department, project=None, user=request.user)
    return _render(request, form, project=None, department=department, preview_context=context, status=400)


def _pack_in_force(department: Department):
    try:
        return rule_pack(department.jurisdiction)
    except NotFound as exc:  # a jurisdiction without a measure loaded has no form to offer
        raise Http404 from exc


def _editable(request, pk) -> Project:
    try:
        return project_for(request.user, pk, "change")
    except NotFound as exc:
        raise Http404 from exc


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk: int):
    """编辑: a draft or returned project of the user's department, through services.update_project."""
    project = _editable(request, pk)
    if project.phase not in services.EDITABLE_PHASES:
        messages.error(
            request, _("A project can only be edited while it is a draft or returned for revision.")
        )
        return redirect("projects:detail", pk=project.pk)
    departments = Department.objects.filter(pk=project.department_id)
    spec = pack_for_project(project).spec
    options = {"departments": departments, "spec": spec, "project": project}
    initial = ProjectForm.initial_for(project)
    if request.method != "POST":
        form = ProjectForm(initial=initial, **options)
        form.fields["version"].required = True
        bound_for_preview = ProjectForm(_as_data(form), **options)
        context = preview(
            bound_for_preview, department=project.department, project=project, user=request.user
        )
        return _render(request, form, project=project, department=project.department, preview_context=context)
    form = ProjectForm(request.POST, initial=initial, **options)
    form.fields["version"].required = True
    if form.is_valid():
        changes = _changes(form, project)
        if not changes:
            messages.info(request, _("Nothing changed."))
            return redirect("projects:detail", pk=project.pk)
        try:
            services.update_project(
                actor=request.user,
                project_id=project.pk,
                changes=changes,
                expected_versions={form.cleaned_data["version"]},
            )
        except PreconditionFailed as error:
            form = _after_conflict(request, error, options, initial)
        except ApplicationError as error:
            project_refusal_record(request=request, project_id=project.pk, action="update", error=error)
            _apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("projects:detail", pk=project.pk)
    context = preview(form, department=project.department, project=project, user=request.user)
    return _render(
        request, form, project=project, department=project.department, preview_context=context, status=400
    )


def _as_data(form: ProjectForm) -> dict:
    """An unbound form's initial values as posted data (to preview the stored project as it is)."""
    data = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is None:
            continue
        data[name] = value.pk if hasattr(value, "pk") else value
    return data


def _after_conflict(request, error: PreconditionFailed, options: dict, initial: dict) -> ProjectForm:
    """Someone saved first: keep every answer of this person, move the form to the current version.

    The next save then applies this input knowingly, after the message has said so.
    """
    data = request.POST.copy()
    data["version"] = str(error.extra.get("version", ""))
    form = ProjectForm(data, initial=initial, **options)
    form.fields["version"].required = True
    form.is_valid()
    form.add_error(
        None,
        "{} {}".format(
            error.message,
            _(
                "Someone else saved this project while you were editing it. Your input is kept below; "
                "compare it with the project page and save again to apply it."
            ),
        ),
    )
    return form


def _changes(form: ProjectForm, project: Project) -> dict:
    """Only what differs from the stored project; facts as a merge patch (None removes one)."""
    changes = {
        name: value for name, value in form.service_fields().items() if getattr(project, name) != value
    }
    stored = project.facts if isinstance(project.facts, dict) else {}
    patch = {}
    for name, answer in form.declared_facts().items():
        if answer is None and name in stored:
            patch[name] = None
        elif answer is not None and not same_fact(stored.get(name), answer):
            patch[name] = answer
    if patch:
        changes["facts"] = patch
    return changes


@login_required
@require_POST
def project_preview(request, pk: int | None = None):
    """The HTMX partial beside the form: the form's input as the rules see it, nothing saved."""
    if pk is None:
        departments = _staff_departments(request.user)
        if not departments.exists():
            raise PermissionDenied(_("Only department staff file projects."))
        department = _chosen(departments, request.POST.get("department"))
        project = None
        spec = _pack_in_force(department).spec
    else:
        project = _editable(request, pk)
        department = project.department
        departments = Department.objects.filter(pk=department.pk)
        spec = pack_for_project(project).spec
    form = ProjectForm(
        request.POST,
        departments=departments,
        spec=spec,
        project=project,
        initial=ProjectForm.initial_for(project) if project else None,
    )
    context = preview(form, department=department, project=project, user=request.user)
    return render(request, "projects/_preview.html", context)
