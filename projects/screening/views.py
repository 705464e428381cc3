"""Pages for negative-list screening: the section on the project page, the questionnaire, the review.

Each is a door like the API: the form checks the input, the service does the work and checks role,
phase and separation of duties again, a refusal is shown with its reason and the input kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govproj.errors import ApplicationError
from projects.models import Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.screening import services
from projects.screening.forms import ScreeningAnswerForm, ScreeningReviewForm
from projects.screening.models import ScreeningAnswer
from projects.screening.selectors import project_screening, screening_lines
from projects.selectors import FILING_ACTIONS, filer_ids


def screening_section(*, user, project: Project, pack, answers: list[ScreeningAnswer], events):
    """The context of templates/projects/screening/_section.html (no query: the caller read it all).

    `answers`: `project_screening(project)`; `events`: the project's audit events (who filed it).
    """
    filers = {project.created_by_id} | {e.actor_id for e in events if e.action in FILING_ACTIONS}
    lines = screening_lines(project, answers, pack)
    return {
        "screening_lines": lines,
        "screening_hits": [line for line in lines if line.hit],
        "screening_unanswered": [line for line in lines if line.answer is None],
        "may_answer_screening": services.may_answer(user, project),
        "may_review_screening": any(line.answer for line in lines)
        and services.may_review(user, project, filers=filers),
    }


def _form_errors(form, error: ApplicationError) -> None:
    """A service's refusal on the form: each item's problems beside it, else the message."""
    fields = error.extra.get("errors") or {}
    for code, problems in fields.items():
        name = form.error_field(code)
        form.add_error(name if name in form.fields else None, problems)
    if not fields:
        form.add_error(None, error.message)


def _back(pk: int):
    return redirect(reverse("projects:detail", kwargs={"pk": pk}) + "#screening")


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    """The questionnaire: each item verbatim, applies / does not apply, and an explanation."""
    project = project_or_404(request.user, pk)
    lines = screening_lines(project, project_screening(project))
    form = ScreeningAnswerForm(request.POST or None, lines=lines, prefix="screening")
    if request.method == "POST" and form.is_valid():
        saved = run_on_form(
            request,
            form,
            lambda: services.screening_answer(
                actor=request.user, project_id=project.pk, answers=form.answers()
            ),
            project_id=pk,
            action="screening_answer",
            show=_form_errors,
        )
        if saved is not REFUSED:
            messages.success(request, _("The screening answers are saved."))
            return _back(pk)
    return render(
        request,
        "projects/screening/answer.html",
        {"project": project, "form": form, "may_answer": services.may_answer(request.user, project)},
        status=answer_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """The reviewer confirms or overrules each answer, with a comment when overruling."""
    project = project_or_404(request.user, pk)
    lines = [line for line in screening_lines(project, project_screening(project)) if line.answer]
    form = ScreeningReviewForm(request.POST or None, lines=lines, prefix="review")
    if request.method == "POST" and form.is_valid():
        saved = run_on_form(
            request,
            form,
            lambda: services.screening_review(
                actor=request.user, project_id=project.pk, decisions=form.decisions()
            ),
            project_id=pk,
            action="screening_review",
            show=_form_errors,
        )
        if saved is not REFUSED:
            messages.success(request, _("The screening review is saved."))
            return _back(pk)
    may_review = bool(lines) and services.may_review(request.user, project, filers=filer_ids(project))
    return render(
        request,
        "projects/screening/review.html",
        {"project": project, "form": form, "may_review": may_review},
        status=answer_status(request, form),
    )
