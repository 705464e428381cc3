"""Pages of department opinions: the section on the project page, request / 加签 / re-request (a
reviewer), the answer (a giver), the file, and 「待我答复的会签」.

Each is a door like the API: the form checks the input, the service does the work and checks role,
phase and separation of duties again; a refusal is shown with its reason and the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from approvals.acting import Acting, acting_as, acting_memberships
from approvals.opinions import services
from approvals.opinions.forms import AddSignerForm, AnswerForm, RequestForm, RerequestForm
from approvals.opinions.inbox import opinions as opinion_source
from approvals.opinions.models import Answer, OpinionRequest
from approvals.opinions.selectors import (
    applicable_items,
    opinion_state,
    opinions_spec,
    project_requests,
    taker_of,
)
from govproj.i18n import in_language
from jurisdictions.models import Department
from jurisdictions.rules.schema import TAKER_ROLES
from projects.documents.files import file_response
from projects.models import Phase
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.selectors import filer_ids, pack_for_project, project_facts


def status_label(request: OpinionRequest) -> str:
    """待答复 / 同意 / 有条件同意 / 不同意 (or closed, when a later round opened first)."""
    if request.answer == Answer.AGREE:
        return _("Agreed")
    if request.answer == Answer.AGREE_WITH_CONDITIONS:
        return _("Agreed with conditions")
    if request.answer == Answer.DISAGREE:
        return _("Disagreed")
    if request.closed_at:
        return _("Closed (a new round was opened)")
    return _("Awaiting answer")


def answered_label(request: OpinionRequest) -> str:
    """「受托人（代委托人）」 when a delegate answered, else the person's name."""
    if not request.answered_by_id:
        return ""
    return Acting(request.answered_by, request.on_behalf_of or request.answered_by).label


def _row(request: OpinionRequest, answerable: set[int]) -> dict:
    return {
        "request": request,
        "title": request.title,
        "giver": request.giver,
        "department": request.department.name if request.department_id else "",
        "status": status_label(request),
        "answer": request.answer,
        "answered": answered_label(request),
        "may_answer": request.pk in answerable,
        "article": (request.citation or {}).get("article", ""),
    }


def _is_reviewer(user, project) -> bool:
    acting = acting_as(user, project.jurisdiction_id, services.REVIEWER)
    return acting is not None and not (acting.people() & filer_ids(project))


def answerable_ids(user, project, requests) -> set[int]:
    """The open requests the user may answer (acting for the body; not a filer)."""
    if not user.is_authenticated or project.phase != Phase.IN_REVIEW:
        return set()
    found, seen, filers = set(), {}, None
    for request in requests:
        if not request.is_open:
            continue
        key = (request.role, request.department_code)
        if key not in seen:
            acting = acting_as(user, project.jurisdiction_id, taker_of(request))
            if acting is not None:
                filers = filer_ids(project) if filers is None else filers
                acting = None if acting.people() & filers else acting
            seen[key] = acting
        if seen[key] is not None:
            found.add(request.pk)
    return found


def opinion_section(user, project, *, pack=None) -> dict:
    """The context of templates/approvals/opinions/_section.html (empty for packs without opinions).

    `pack`: the project's pack when the caller has it (no query then for a pack without opinions).
    """
    opinions = opinions_spec((pack or pack_for_project(project)).spec)
    if opinions is None:
        return {"opinions": None}
    requests = project_requests(project)
    if not requests and project.phase != Phase.IN_REVIEW:
        return {"opinions": None}
    state = opinion_state(requests, opinions.mode)
    in_review = project.phase == Phase.IN_REVIEW
    reviewer = in_review and _is_reviewer(user, project)
    answerable = answerable_ids(user, project, state.current)
    pending_items = []
    if not state.requested:
        pending_items = [
            {"title": in_language(item.name), "giver": in_language(item.giver.name)}
            for item in applicable_items(opinions, project_facts(project))
        ]
    return {
        "opinions": opinions,
        "opinion_mode": opinions.mode,
        "opinion_article": opinions.citation.article,
        "opinion_quote": opinions.citation.quote or "",
        "opinion_state": state,
        "opinion_rows": [_row(r, answerable) for r in state.current],
        "opinion_earlier": [
            {"round": number, "rows": [_row(r, set()) for r in rows]}
            for number, rows in state.earlier.items()
        ],
        "opinion_pending_items": pending_items,
        "opinion_complete_date": state.complete_date,
        "may_request_opinions": reviewer and not state.requested,  # later rounds: 重新征求, with a reason
        "may_add_signer": reviewer and state.requested,
        "may_rerequest_opinions": reviewer and state.answered_any,
    }


def _posted(request):
    """The form's data: bound on any POST (an empty one too, so it says what is missing)."""
    return request.POST if request.method == "POST" else None


def _back(pk: int):
    return redirect(reverse("projects:detail", kwargs={"pk": pk}) + "#opinions")


def _page(request, pk, template: str, form, call, action: str, done: str, extra=None):
    project = project_or_404(request.user, pk)
    if request.method == "POST" and form.is_valid():
        result = run_on_form(request, form, lambda: call(project), project_id=pk, action=action)
        if result is not REFUSED:
            messages.success(request, done)
            return _back(pk)
    context = {"project": project, "form": form, **opinion_section(request.user, project), **(extra or {})}
    return render(request, template, context, status=answer_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def request_page(request, pk: int):
    """发起会签: the items that apply, the bodies, and a tick to confirm."""
    form = RequestForm(_posted(request))
    return _page(
        request,
        pk,
        "approvals/opinions/request.html",
        form,
        lambda project: services.request_opinions(actor=request.user, project_id=project.pk),
        "opinions_requested",
        _("The department opinions are requested."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def rerequest_page(request, pk: int):
    """重新征求: a new round, with the reason; the earlier round stays on the page."""
    form = RerequestForm(_posted(request))
    return _page(
        request,
        pk,
        "approvals/opinions/rerequest.html",
        form,
        lambda project: services.rerequest_opinions(
            actor=request.user, project_id=project.pk, reason=form.cleaned_data["reason"]
        ),
        "opinions_rerequested",
        _("The department opinions are requested again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_page(request, pk: int):
    """加签: another department of the jurisdiction, the role whose people answer, and why."""
    project = project_or_404(request.user, pk)
    departments = Department.objects.filter(jurisdiction_id=project.jurisdiction_id).order_by("code")
    form = AddSignerForm(_posted(request), departments=departments)
    return _page(
        request,
        pk,
        "approvals/opinions/add.html",
        form,
        lambda project: services.add_signer(
            actor=request.user,
            project_id=project.pk,
            department_id=form.cleaned_data["department"],
            role=form.cleaned_data["role"],
            reason=form.cleaned_data["reason"],
            name=form.cleaned_data["name"],
        ),
        "opinion_signer_added",
        _("The department is asked for its opinion."),
    )


def _request_or_404(user, pk: int, request_id: int):
    project = project_or_404(user, pk)
    found = OpinionRequest.objects.filter(project=project, pk=request_id).select_related("department").first()
    if found is None:
        raise Http404
    return project, found


@login_required
@require_http_methods(["GET", "POST"])
def answer_page(request, pk: int, request_id: int):
    """答复: agree, agree with conditions or disagree, a comment, and a file if the body has one."""
    project, opinion = _request_or_404(request.user, pk, request_id)
    form = AnswerForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_on_form(
            request,
            form,
            lambda: services.answer_opinion(
                actor=request.user,
                project_id=project.pk,
                request_id=opinion.pk,
                answer=data["answer"],
                comment=data["comment"],
                file=data.get("file"),
            ),
            project_id=pk,
            action="opinion_answer",
        )
        if result is not REFUSED:
            messages.success(request, _("Your opinion is recorded."))
            return _back(pk)
    may_answer = opinion.pk in answerable_ids(request.user, project, [opinion])
    return render(
        request,
        "approvals/opinions/answer.html",
        {"project": project, "opinion": _row(opinion, {opinion.pk} if may_answer else set()), "form": form},
        status=answer_status(request, form),
    )


@login_required
@require_GET
def file_page(request, pk: int, request_id: int):
    """The answer's file, for anyone who may see the project: never a public media URL."""
    _project, opinion = _request_or_404(request.user, pk, request_id)
    if not opinion.file:
        raise Http404
    return file_response(opinion.file, filename=opinion.file_name or "opinion", kind=opinion.file_kind)


@login_required
@require_GET
def mine_page(request):
    """「待我答复的会签」: the requests waiting on the user's bodies (and on those they stand in for)."""
    items = opinion_source.pending(request.user)
    gives = any(m.role in TAKER_ROLES for m, _principal in acting_memberships(request.user))
    return render(request, "approvals/opinions/mine.html", {"items": items, "gives_opinions": gives})
