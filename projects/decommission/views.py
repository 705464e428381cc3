"""Pages of decommissioning: the 「停用」 section of the project page and each step's page.

Each action is a plain form post with its own page; the services check role and phase again, and a
refusal (the gate naming what is missing, a rule naming the documents) is shown on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govproj.i18n import in_language
from projects.decommission import forms, services
from projects.decommission.gates import STEPS
from projects.decommission.models import DataDisposal, Decommission, DecommissionStatus, DisposalAction
from projects.models import Phase, Project
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.records import project_section
from security.selectors import person_name

ANCHOR = "#decommission"
ACTION_LABELS = dict(DisposalAction.choices)


def _documents(pack, verdicts) -> dict | None:
    """The pack's decommissioning documents rule (莱州 第三十八条) and what it still misses."""
    rule = next(
        (r for r in pack.spec.rules if r.phase == "decommission" and r.kind == "required_documents"), None
    )
    if rule is None:
        return None
    verdict = next((v for v in verdicts if v.rule_id == rule.id), None)
    names = {d.code: in_language(d.name) for d in pack.spec.documents}
    missing = [
        item.get("code") if isinstance(item, dict) else item
        for item in ((verdict.data or {}).get("missing", ()) if verdict else ())
    ]
    return {
        "article": rule.citation.article,
        "title": in_language(rule.title),
        "missing": [names.get(code, code) for code in missing],
        "all": [names.get(d.code, d.code) for d in rule.documents],
    }


@project_section(60, "projects/decommission/_section.html")
def decommission_section(user, project: Project, *, pack, verdicts, events) -> dict | None:
    """The context of templates/projects/decommission/_section.html (None before operation)."""
    if project.phase not in (Phase.IN_OPERATION, Phase.DECOMMISSIONED):
        return None
    record = Decommission.objects.filter(project=project).select_related("planned_by").first()
    disposals = (
        list(DataDisposal.objects.filter(decommission=record).order_by("recorded_at", "pk")) if record else []
    )
    for d in disposals:
        d.action_label = str(ACTION_LABELS.get(d.action, d.action))
    missing = services.missing_steps(record, len(disposals)) if project.phase == Phase.IN_OPERATION else []
    facts = project.facts or {}
    citations = {
        v.rule_id: v.citation.get("article", "")
        for v in verdicts
        if v.rule_id.endswith((".zombie_system", ".replaceable_system"))
    }
    return {
        "decommission": {
            "record": record,
            "planned_by_name": person_name(record.planned_by) if record else "",
            "done": record is not None and record.status == DecommissionStatus.DONE,
            "disposals": disposals,
            "missing": [in_language(STEPS[code][1]) for code in missing],
            "actions": services.allowed_actions(user, project, record),
            "documents": _documents(pack, verdicts),
            "is_zombie": bool(facts.get("is_zombie")),
            "replaceable": bool(facts.get("replaceable_by_unified_system")),
            "zombie_article": next((a for r, a in citations.items() if r.endswith(".zombie_system")), ""),
            "replaceable_article": next(
                (a for r, a in citations.items() if r.endswith(".replaceable_system")), ""
            ),
        }
    }


def _posted(request):
    return request.POST if request.method == "POST" else None


def _action_page(request, project, *, form, title, action, call, done, intro=""):
    if request.method == "POST" and form.is_valid():
        result = run_on_form(
            request, form, lambda: call(form.cleaned_data), project_id=project.pk, action=action
        )
        if result is not REFUSED:
            messages.success(request, done)
            return redirect(reverse("projects:detail", kwargs={"pk": project.pk}) + ANCHOR)
    return render(
        request,
        "projects/decommission/action.html",
        {"project": project, "title": title, "form": form, "intro": intro},
        status=answer_status(request, form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, pk: int):
    project = project_or_404(request.user, pk)
    record = Decommission.objects.filter(project=project).first()
    initial = (
        {"reason": record.reason, "planned_stop_on": record.planned_stop_on, "successor": record.successor}
        if record
        else None
    )
    return _action_page(
        request,
        project,
        form=forms.PlanForm(_posted(request), initial=initial),
        title=_("Make the stop plan"),
        action="decommission_plan",
        call=lambda data: services.decommission_plan(
            actor=request.user,
            project_id=pk,
            reason=data["reason"],
            planned_stop_on=data["planned_stop_on"],
            successor=data["successor"],
        ),
        done=_("The stop plan is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def data_disposal(request, pk: int):
    project = project_or_404(request.user, pk)
    return _action_page(
        request,
        project,
        form=forms.DataDisposalForm(_posted(request)),
        title=_("Record a data disposal"),
        action="data_disposal",
        call=lambda data: services.data_disposal_record(actor=request.user, project_id=pk, **data),
        done=_("The data disposal is recorded."),
        intro=_(
            "For each kind of data: backed up, migrated or destroyed; who did it, when, how it was verified."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assets(request, pk: int):
    project = project_or_404(request.user, pk)
    return _action_page(
        request,
        project,
        form=forms.AssetsForm(_posted(request)),
        title=_("Record the asset disposal"),
        action="asset_disposal",
        call=lambda data: services.assets_disposal_record(
            actor=request.user, project_id=pk, disposal=data["disposal"]
        ),
        done=_("The asset disposal is recorded."),
    )


FILING_TITLES = {
    "data_bureau": lambda: _("Record the filing with the data bureau"),
    "finance": lambda: _("Record the filing with the finance bureau"),
}


@login_required
@require_http_methods(["GET", "POST"])
def filing(request, pk: int, body: str):
    project = project_or_404(request.user, pk)
    if body not in FILING_TITLES:
        raise Http404
    return _action_page(
        request,
        project,
        form=forms.FilingForm(_posted(request)),
        title=FILING_TITLES[body](),
        action="decommission_filing",
        call=lambda data: services.decommission_filing(
            actor=request.user, project_id=pk, body=body, reference=data["reference"]
        ),
        done=_("The filing is recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def complete(request, pk: int):
    project = project_or_404(request.user, pk)
    record = Decommission.objects.filter(project=project).first()
    missing = services.missing_steps(record) if project.phase == Phase.IN_OPERATION else []
    intro = (
        _("Still to record: %(steps)s.") % {"steps": "、".join(in_language(STEPS[c][0]) for c in missing)}
        if missing
        else _("Everything is recorded: the project moves to decommissioned.")
    )
    return _action_page(
        request,
        project,
        form=forms.CompleteForm(_posted(request)),
        title=_("Decommission the system"),
        action="decommission",
        call=lambda data: services.decommission_complete(
            actor=request.user, project_id=pk, comment=data["comment"]
        ),
        done=_("The system is decommissioned."),
        intro=intro,
    )


FLAG_TITLES = {
    ("zombie", "on"): lambda: _("Flag as a stopped or zombie system"),
    ("zombie", "off"): lambda: _("Remove the stopped or zombie flag"),
    ("replaceable", "on"): lambda: _("Flag as replaceable by a unified system"),
    ("replaceable", "off"): lambda: _("Remove the replaceable flag"),
}


@login_required
@require_http_methods(["GET", "POST"])
def flag(request, pk: int, flag: str, turn: str):
    project = project_or_404(request.user, pk)
    if (flag, turn) not in FLAG_TITLES:
        raise Http404
    return _action_page(
        request,
        project,
        form=forms.FlagForm(_posted(request)),
        title=FLAG_TITLES[(flag, turn)](),
        action="system_flag",
        call=lambda data: services.system_flag(
            actor=request.user, project_id=pk, flag=flag, on=turn == "on", reason=data["reason"]
        ),
        done=_("The flag is recorded."),
    )
