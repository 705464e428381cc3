"""Pages of review steps: the 「评审」 section of the project page, each action's page, the files,
and the expert's 「我的评审任务」.

Each action is a plain form post with its own page (it works without JavaScript); the section on
the project page shows the same forms. The services check taker, phase, separation of duties and
the reason again; a refusal is shown on the form with what was typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from approvals.acting import acting_as
from approvals.reviews import forms, services
from approvals.reviews.models import (
    Conclusion,
    ExpertAssignment,
    Opinion,
    ReviewStep,
    StepStatus,
    ThirdPartyReview,
)
from approvals.reviews.selectors import applicable_steps, in_step_phase, step_rounds, step_spec
from govproj.i18n import in_language
from jurisdictions.models import Role, memberships_of
from projects.documents.files import file_response
from projects.models import Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.selectors import filer_ids, pack_for_project
from security.selectors import person_name

SECTION_ANCHOR = "#reviews"


def _status_label(step, latest: ReviewStep | None) -> str:
    if latest is None:
        return _("Not organised") if step.optional else _("Waiting for review")
    return str(StepStatus(latest.status).label)


def _summary(assignments: list[ExpertAssignment]) -> dict:
    given = [a for a in assignments if a.submitted_at and not a.withdrawn]
    return {
        "agree": sum(a.opinion == Opinion.AGREE for a in given),
        "conditions": sum(a.opinion == Opinion.AGREE_WITH_CONDITIONS for a in given),
        "disagree": sum(a.opinion == Opinion.DISAGREE for a in given),
        "waiting": sum(not a.submitted_at and not a.withdrawn for a in assignments),
    }


def review_section(user, project: Project, *, pack=None) -> dict:
    """The context of templates/approvals/reviews/_section.html for one viewer (`pack`: the project's,
    when the caller has it; no query for a pack without review steps)."""
    spec = (pack or pack_for_project(project)).spec
    steps = applicable_steps(project, spec)
    if not steps:
        return {"review_steps": []}
    rounds = step_rounds(project)
    assignments: dict[int, list[ExpertAssignment]] = {}
    for a in (
        ExpertAssignment.objects.filter(project=project)
        .select_related("expert")
        .order_by("assigned_at", "pk")
    ):
        a.expert_name = person_name(a.expert)
        a.opinion_label = str(Opinion(a.opinion).label) if a.opinion else ""
        assignments.setdefault(a.step_id, []).append(a)
    reviews: dict[int, list[ThirdPartyReview]] = {}
    for r in ThirdPartyReview.objects.filter(project=project).order_by("recorded_at", "pk"):
        r.conclusion_label = str(Conclusion(r.conclusion).label)
        reviews.setdefault(r.step_id, []).append(r)
    decided = {p for rs in rounds.values() for r in rs for p in (r.decided_by_id, r.on_behalf_of_id)} - {None}
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=decided)} if decided else {}
    filers = filer_ids(project)
    experts = None
    shown = []
    for step in steps:
        history = rounds.get(step.code, [])
        latest = history[-1] if history else None
        acting = acting_as(user, project.jurisdiction_id, step.taker) if user.is_authenticated else None
        may_take = bool(acting) and not (acting.people() & filers) and in_step_phase(project, step)
        actions = services.allowed_actions(step, latest) if may_take else []
        for row in history:
            row.status_label = str(StepStatus(row.status).label)
            row.decided_by_name = person_name(people.get(row.decided_by_id))
            row.on_behalf_name = person_name(people.get(row.on_behalf_of_id))
            row.assignment_list = assignments.get(row.pk, [])
            row.review_list = reviews.get(row.pk, [])
            row.summary = _summary(row.assignment_list)
            for a in row.assignment_list:
                a.may_withdraw = (
                    may_take and row.status == StepStatus.OPEN and not a.submitted_at and not a.withdrawn
                )
        mine = [
            a
            for a in (assignments.get(latest.pk, []) if latest else [])
            if a.expert_id == user.pk
            and not a.withdrawn
            and not a.submitted_at
            and latest.status == StepStatus.OPEN
        ]
        if "assign_expert" in actions and experts is None:
            experts = [(u.pk, person_name(u)) for u in services.jurisdiction_experts(project)]
        shown.append(
            {
                "code": step.code,
                "name": in_language(step.name),
                "taker": in_language(step.taker.name),
                "article": step.citation.article,
                "optional": step.optional,
                "ways": step.ways,
                "status": latest.status if latest else "",
                "status_label": _status_label(step, latest),
                "rounds": list(reversed(history)),
                "actions": actions,
                "acting_label": acting.label if acting and acting.on_behalf else "",
                "my_assignments": mine,
                "assign_form": (
                    forms.AssignForm(experts=experts, auto_id=f"assign_{step.code}_%s")
                    if "assign_expert" in actions
                    else None
                ),
                "third_party_form": (
                    forms.ThirdPartyForm(auto_id=f"third_{step.code}_%s")
                    if "record_third_party" in actions
                    else None
                ),
                "fail_form": forms.FailForm(auto_id=f"fail_{step.code}_%s") if "fail" in actions else None,
                "pass_form": forms.PassForm(auto_id=f"pass_{step.code}_%s") if "pass" in actions else None,
            }
        )
    return {"review_steps": shown}


# --- pages ---------------------------------------------------------------------------------------


def _posted(request) -> tuple:
    """The form's data and files: bound on every POST (an empty form posted is still a submission)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _step_or_404(project: Project, code: str):
    spec = pack_for_project(project).spec
    step = step_spec(spec, code)
    if step is None or step not in applicable_steps(project, spec):
        raise Http404
    return step


def _back(pk: int):
    return redirect(reverse("projects:detail", kwargs={"pk": pk}) + SECTION_ANCHOR)


def _action_page(
    request, project, step, *, form, title, action, call, done, template="approvals/reviews/action.html"
):
    """GET shows the form; POST runs `call(form.cleaned_data)` and goes back to the section when done."""
    if request.method == "POST" and form.is_valid():
        result = run_on_form(
            request, form, lambda: call(form.cleaned_data), project_id=project.pk, action=action
        )
        if result is not REFUSED:
            messages.success(request, done)
            return _back(project.pk)
    latest = (
        ReviewStep.objects.filter(project=project, code=step.code).order_by("-round").first()
        if step
        else None
    )
    return render(
        request,
        template,
        {
            "project": project,
            "step_name": in_language(step.name) if step else "",
            "taker": in_language(step.taker.name) if step else "",
            "status_label": _status_label(step, latest) if step else "",
            "title": title,
            "form": form,
        },
        status=answer_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def organise(request, pk: int, code: str):
    project = project_or_404(request.user, pk)
    step = _step_or_404(project, code)
    return _action_page(
        request,
        project,
        step,
        form=forms.OrganiseForm(_posted(request)[0]),
        title=_("Organise this review"),
        action="review_organise",
        call=lambda data: services.organise_step(
            actor=request.user, project_id=pk, code=code, comment=data["comment"]
        ),
        done=_("The review is organised."),
    )


def _decide(request, pk: int, code: str, outcome: str):
    project = project_or_404(request.user, pk)
    step = _step_or_404(project, code)
    form_class = forms.PassForm if outcome == "pass" else forms.FailForm
    return _action_page(
        request,
        project,
        step,
        form=form_class(*_posted(request)),
        title=_("Pass this review step") if outcome == "pass" else _("This review step does not pass"),
        action=f"review_{outcome}",
        call=lambda data: services.decide_step(
            actor=request.user,
            project_id=pk,
            code=code,
            outcome=outcome,
            comment=data["comment"],
            file=data.get("file"),
        ),
        done=_("Review step passed.") if outcome == "pass" else _("Review step recorded as not passed."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide_pass(request, pk: int, code: str):
    return _decide(request, pk, code, "pass")


@login_required
@require_http_methods(["GET", "POST"])
def decide_fail(request, pk: int, code: str):
    return _decide(request, pk, code, "fail")


@login_required
@require_http_methods(["GET", "POST"])
def reopen(request, pk: int, code: str):
    project = project_or_404(request.user, pk)
    step = _step_or_404(project, code)
    return _action_page(
        request,
        project,
        step,
        form=forms.ReopenForm(_posted(request)[0]),
        title=_("Take this review step again"),
        action="review_reopen",
        call=lambda data: services.reopen_step(
            actor=request.user, project_id=pk, code=code, comment=data["comment"]
        ),
        done=_("A new round of the review step is open."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk: int, code: str):
    project = project_or_404(request.user, pk)
    step = _step_or_404(project, code)
    experts = [(u.pk, person_name(u)) for u in services.jurisdiction_experts(project)]
    return _action_page(
        request,
        project,
        step,
        form=forms.AssignForm(_posted(request)[0], experts=experts),
        title=_("Assign an expert"),
        action="expert_assign",
        call=lambda data: services.assign_expert(
            actor=request.user, project_id=pk, code=code, expert_id=data["expert"]
        ),
        done=_("The expert is assigned and can now see this project."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def third_party(request, pk: int, code: str):
    project = project_or_404(request.user, pk)
    step = _step_or_404(project, code)
    return _action_page(
        request,
        project,
        step,
        form=forms.ThirdPartyForm(*_posted(request)),
        title=_("Record a third-party review"),
        action="third_party_review",
        call=lambda data: services.record_third_party(
            actor=request.user,
            project_id=pk,
            code=code,
            organisation=data["organisation"],
            conclusion=data["conclusion"],
            comment=data["comment"],
            file=data.get("file"),
        ),
        done=_("The third-party review is recorded."),
    )


def _assignment_or_404(project: Project, assignment_id: int) -> ExpertAssignment:
    found = (
        ExpertAssignment.objects.select_related("step", "expert")
        .filter(project=project, pk=assignment_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int, assignment_id: int):
    project = project_or_404(request.user, pk)
    assignment = _assignment_or_404(project, assignment_id)
    step = step_spec(pack_for_project(project).spec, assignment.step.code)
    return _action_page(
        request,
        project,
        step,
        form=forms.WithdrawForm(_posted(request)[0]),
        title=_("Withdraw the assignment of %(expert)s") % {"expert": person_name(assignment.expert)},
        action="expert_withdraw",
        call=lambda data: services.withdraw_expert(
            actor=request.user, project_id=pk, assignment_id=assignment_id, comment=data["comment"]
        ),
        done=_("The assignment is withdrawn."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def opinion(request, pk: int, assignment_id: int):
    """The expert's opinion: the declaration of no conflict first, then the opinion."""
    project = project_or_404(request.user, pk)
    assignment = _assignment_or_404(project, assignment_id)
    if assignment.expert_id != request.user.pk:
        raise PermissionDenied(_("Only the assigned expert gives this opinion."))
    step = step_spec(pack_for_project(project).spec, assignment.step.code)
    form = forms.OpinionForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_on_form(
            request,
            form,
            lambda: services.submit_opinion(
                actor=request.user,
                project_id=pk,
                assignment_id=assignment_id,
                no_conflict=data["no_conflict"],
                opinion=data["opinion"],
                comment=data["comment"],
                file=data.get("file"),
            ),
            project_id=pk,
            action="expert_opinion",
        )
        if result is not REFUSED:
            messages.success(request, _("Your opinion is submitted. Thank you."))
            return redirect("projects:review-mine")
    return render(
        request,
        "approvals/reviews/opinion.html",
        {
            "project": project,
            "assignment": assignment,
            "step_name": in_language(step.name) if step else assignment.step.code,
            "opinion_label": str(Opinion(assignment.opinion).label) if assignment.opinion else "",
            "form": form,
        },
        status=answer_status(request, form),
    )


FILE_KINDS = {"step": ReviewStep, "opinion": ExpertAssignment, "third_party": ThirdPartyReview}


@login_required
@require_GET
def download(request, pk: int, kind: str, record_id: int):
    """A review file, for anyone who may see the project: never a public media URL."""
    project = project_or_404(request.user, pk)
    model = FILE_KINDS.get(kind)
    row = model.objects.filter(project=project, pk=record_id).first() if model else None
    if row is None or not row.file:
        raise Http404
    return file_response(row.file, filename=row.file_name or "file")


def is_expert_only(user) -> bool:
    """Whether every role the user holds is an expert's (their lists show only what they are assigned)."""
    held = memberships_of(user) if user.is_authenticated else ()
    return bool(held) and all(m.role == Role.EXPERT for m in held)


@login_required
@require_GET
def mine(request):
    """我的评审任务: the expert's assignments, waiting first."""
    rows = list(
        ExpertAssignment.objects.filter(expert=request.user, withdrawn=False)
        .select_related("project__department", "project__rule_pack", "step")
        .order_by("submitted_at", "-assigned_at")
    )
    for a in rows:
        spec = a.project.rule_pack.spec if a.project.rule_pack else None
        step = step_spec(spec, a.step.code) if spec else None
        a.step_name = in_language(step.name) if step else a.step.code
        a.opinion_label = str(Opinion(a.opinion).label) if a.opinion else ""
        a.open = a.step.status == StepStatus.OPEN and not a.submitted_at
    return render(
        request,
        "approvals/reviews/mine.html",
        {
            "waiting": [a for a in rows if a.open],
            "done": [a for a in rows if a.submitted_at],
            "closed": [a for a in rows if not a.open and not a.submitted_at],
        },
    )
