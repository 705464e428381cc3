"""Pages of intake review: the reviewer's queue (待审核申报) and the decisions on a declared project.

Each decision is a plain form post with its own page, so it works without JavaScript: the page
shows the project's late mark and what blocks library entry, the form asks for the reason where
one is required and for a tick before a final step. The service (`transition_project`) checks role,
phase, separation of duties, the reason and the rules again; a refusal is shown on the form with
the typed text kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from govproj.i18n import in_language
from projects import services
from projects.intake.forms import DECISION_FORMS, EnterLibraryForm, RejectForm, ReturnForm, WithdrawForm
from projects.intake.selectors import (
    blocking_library_entry,
    late_messages,
    may_see_queue,
    queue_projects,
    queue_rows,
)
from projects.models import TRANSITION_LABELS, Phase, Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.selectors import FILING_ACTIONS, available_transitions, may_run, project_verdicts, roles_of

QUEUE_PAGE_SIZE = 50
DECIDED = ("return_for_revision", "reject")


def _prefixed(form_class, data=None):
    """Forms of one page share field names; the ids differ (`return_comment`, `reject_comment`)."""
    return form_class(data, auto_id=f"{form_class.transition}_%s")


INTAKE_PHASES = frozenset({Phase.DRAFT, Phase.DECLARED, Phase.RETURNED})


def intake_section(*, user, project: Project, verdicts, events) -> dict:
    """The context of templates/projects/intake/_decision.html (no query: the caller read it all).

    `verdicts`: the project's Verdict objects now (`project_verdicts`); `events`: its audit events,
    oldest first (who filed it, the latest return or rejection and its reason).
    """
    filers = {project.created_by_id} | {e.actor_id for e in events if e.action in FILING_ACTIONS}
    roles = roles_of(user, project)
    declared = project.phase == Phase.DECLARED

    def may(name: str) -> bool:
        return declared and may_run(user, project, name, filers=filers, roles=roles)

    latest_decision = None
    if project.phase in (Phase.RETURNED, Phase.REJECTED):
        latest_decision = next((e for e in reversed(list(events)) if e.action in DECIDED), None)
    blocking = [
        {"message": in_language(v.message) or in_language(v.title), "citation": v.citation.get("text", "")}
        for v in blocking_library_entry(verdicts)
    ]
    return {
        "intake_declared": declared,
        # late matters while intake is being decided; once in the library it is history (the timeline)
        "intake_late": late_messages(verdicts) if project.phase in INTAKE_PHASES else [],
        "intake_blocking": blocking if declared else [],
        "intake_latest_decision": latest_decision,
        "intake_may_return": may("return_for_revision"),
        "intake_may_enter_library": may("enter_library"),
        "intake_may_reject": may("reject"),
        "intake_may_withdraw": may("withdraw"),
        "intake_return_form": _prefixed(ReturnForm),
        "intake_enter_library_form": _prefixed(EnterLibraryForm),
        "intake_reject_form": _prefixed(RejectForm),
        "intake_withdraw_form": _prefixed(WithdrawForm),
    }


@login_required
@require_GET
def queue(request):
    """待审核申报: the declared projects the reviewer may decide on, oldest declaration first."""
    if not may_see_queue(request.user):
        raise PermissionDenied(_("The intake queue is the reviewers' page."))
    paginator = Paginator(queue_projects(user=request.user), QUEUE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))  # past the end: the last page
    return render(
        request,
        "projects/intake/queue.html",
        {"rows": queue_rows(list(page.object_list)), "page": page, "paginator": paginator},
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk: int, action: str):
    """A decision's own page: GET shows it with the project's intake state, POST takes it."""
    project = project_or_404(request.user, pk)
    form_class = DECISION_FORMS[action]
    name = form_class.transition
    form = _prefixed(form_class, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_on_form(
                request,
                form,
                lambda: services.transition_project(
                    actor=request.user,
                    project_id=project.pk,
                    name=name,
                    comment=form.cleaned_data.get("comment", ""),
                ),
                project_id=project.pk,
                action=name,
            )
            if done is not REFUSED:
                messages.success(request, _("Done: %(action)s.") % {"action": TRANSITION_LABELS[name]})
                return redirect("projects:detail", pk=project.pk)
        status = answer_status(request, form)
    _pack, verdicts = project_verdicts(project)
    return render(
        request,
        "projects/intake/decide.html",
        {
            "project": project,
            "form": form,
            "action": action,
            "action_label": TRANSITION_LABELS[name],
            "allowed": name in available_transitions(project, request.user),
            "late": late_messages(verdicts),
            "blocking": [
                {
                    "message": in_language(v.message) or in_language(v.title),
                    "citation": v.citation.get("text", ""),
                }
                for v in blocking_library_entry(verdicts)
            ]
            if name == "enter_library"
            else [],
        },
        status=status,
    )
