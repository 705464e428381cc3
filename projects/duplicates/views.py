"""Pages for duplicate detection: the 疑似重复项目 section of the project page, and the reviewer's decision.

The decision page is the confirmation: the section links to it, the reviewer reads which project
is named and posts the form there; the service checks role and separation of duties again.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.duplicates import services
from projects.duplicates.forms import DuplicateDecisionForm
from projects.duplicates.models import Verdict
from projects.duplicates.selectors import duplicate_findings, may_see_similar, similar_projects
from projects.models import Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.selectors import FILING_ACTIONS


def duplicate_section(*, user, project: Project, events) -> dict:
    """The context of templates/projects/duplicates/_section.html; empty for those who may not see it.

    `events`: the project's audit events, read already (who filed it, for separation of duties).
    """
    if not may_see_similar(user, project):
        return {"duplicate_section": False}
    filers = {project.created_by_id} | {e.actor_id for e in events if e.action in FILING_ACTIONS}
    return {
        "duplicate_section": True,
        "similar_projects": similar_projects(user=user, project=project),
        "duplicate_findings": duplicate_findings(project),
        "may_decide_duplicate": services.may_decide(user, project, filers=filers),
    }


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk: int):
    """Confirm the finding (not a duplicate / duplicate of X, with a comment) before it is recorded."""
    project = project_or_404(request.user, pk)
    similar = (
        similar_projects(user=request.user, project=project) if may_see_similar(request.user, project) else []
    )
    choices = [(s.project.pk, f"{s.project.code} {s.project.title}") for s in similar]
    initial = {"verdict": request.GET.get("verdict") or Verdict.NOT_DUPLICATE}
    if request.GET.get("other", "").isdigit():
        other = int(request.GET["other"])
        if other not in dict(choices):  # a project no longer listed as similar may still be named
            named = Project.objects.filter(jurisdiction_id=project.jurisdiction_id, pk=other).first()
            if named is not None and named.pk != project.pk:
                choices.append((named.pk, f"{named.code} {named.title}"))
        initial["other"] = other
    form = DuplicateDecisionForm(request.POST or None, projects=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        finding = run_on_form(
            request,
            form,
            lambda: services.duplicate_decide(
                actor=request.user,
                project_id=project.pk,
                verdict=data["verdict"],
                other_project_id=data["other"],
                comment=data["comment"],
            ),
            project_id=pk,
            action="duplicate_decision",
        )
        if finding is not REFUSED:
            messages.success(request, _("Duplicate check recorded."))
            return redirect(reverse("projects:detail", kwargs={"pk": pk}) + "#duplicates")
    return render(
        request,
        "projects/duplicates/decide.html",
        {"project": project, "form": form},
        status=answer_status(request, form),
    )
