"""Pages of findings: the 「审核认定与运行情况」 section of the project page and one page per fact."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jurisdictions.rules.facts import FACT_SOURCES, FactSource, fact_label
from projects.findings import services
from projects.findings.catalog import facts_to_record
from projects.findings.forms import FindingForm
from projects.findings.selectors import finding_rows, rules_reading
from projects.models import Phase, Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.records import project_section
from projects.selectors import pack_for_project

ANCHOR = "#findings"


@project_section(55, "projects/findings/_section.html")
def findings_section(user, project: Project, *, pack, verdicts, events) -> dict | None:
    """The context of templates/projects/findings/_section.html (None for a draft or a measure with none)."""
    facts = facts_to_record(pack.spec)
    if project.phase == Phase.DRAFT or not facts:
        return None
    rows, history = finding_rows(project, facts, set(services.recordable(user, project, pack.spec)))
    return {"findings": {"rows": rows, "history": history, "may": any(r.may_record for r in rows)}}


def _title(fact: str, decided: bool) -> str:
    if decided:
        return _("Record a finding: %(fact)s") % {"fact": fact_label(fact)}
    return _("Update how the system stands: %(fact)s") % {"fact": fact_label(fact)}


@login_required
@require_http_methods(["GET", "POST"])
def record(request, pk: int, fact: str):
    project = project_or_404(request.user, pk)
    spec = pack_for_project(project).spec
    if fact not in facts_to_record(spec):
        raise Http404
    decided = FACT_SOURCES[fact] is FactSource.DECIDED
    rules = rules_reading(spec, fact)
    form = FindingForm(
        request.POST if request.method == "POST" else None,
        fact=fact,
        current=(project.facts or {}).get(fact),
    )
    if request.method == "POST" and form.is_valid():
        result = run_on_form(
            request,
            form,
            lambda: services.finding_record(
                actor=request.user,
                project_id=project.pk,
                fact=fact,
                value=form.cleaned_data["value"],
                reason=form.cleaned_data["reason"],
                basis=form.cleaned_data["basis"],
            ),
            project_id=project.pk,
            action="finding",
        )
        if result is not REFUSED:
            messages.success(request, _("Recorded: %(fact)s.") % {"fact": fact_label(fact)})
            return redirect(reverse("projects:detail", kwargs={"pk": project.pk}) + ANCHOR)
    return render(
        request,
        "projects/findings/record.html",
        {
            "project": project,
            "title": _title(fact, decided),
            "form": form,
            "rules": rules,
            "may_record": fact in services.recordable(request.user, project, spec),
        },
        status=answer_status(request, form),
    )
