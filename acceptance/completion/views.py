"""Pages of the trial run and acceptance: the overview, and one page per action. Plain form posts;
the services check role, state and rules and their refusals show on the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from acceptance.completion import forms, services
from acceptance.completion.models import CheckKind
from acceptance.completion.selectors import acceptance_overview
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form

ACTIONS = {
    "trial-run": (gettext_lazy("Record the trial run"), forms.TrialRunForm, "record_trial_run"),
    "stable": (gettext_lazy("Record the stable trial run"), forms.StableForm, "record_stable"),
    "check-request": (gettext_lazy("Ask for the check"), forms.CheckRequestForm, None),
    "check-decide": (gettext_lazy("Decide the check"), forms.CheckDecideForm, None),
    "delay": (gettext_lazy("Apply for delayed acceptance"), forms.DelayForm, "apply_delay"),
    "delay-decide": (gettext_lazy("Decide the delay application"), forms.DelayDecideForm, "decide_delay"),
    "apply": (gettext_lazy("Apply for acceptance"), forms.ApplyForm, "apply"),
    "decide": (gettext_lazy("Record the acceptance conclusion"), forms.DecideForm, "decide"),
    "standard": (gettext_lazy("Record the published standard"), forms.StandardForm, "record_standard"),
}
DANGER = {"decide", "check-decide", "delay-decide"}


@login_required
@require_GET
def overview(request, pk: int):
    project = project_or_404(request.user, pk)
    return render(
        request,
        "acceptance/completion/overview.html",
        {"project": project, "acceptance": acceptance_overview(request.user, project)},
    )


def _call(action: str, user, project, data, kind: str | None, delay_id: int | None):
    common = {"actor": user, "project_id": project.pk}
    if action == "trial-run":
        return services.trial_run_record(
            **common,
            completion_date=data["completion_date"],
            start_date=data["start_date"],
            comment=data.get("comment", ""),
        )
    if action == "stable":
        return services.trial_run_stable(
            **common, stable_date=data["stable_date"], comment=data.get("comment", "")
        )
    if action == "check-request":
        return services.check_request(**common, kind=kind, comment=data.get("comment", ""))
    if action == "check-decide":
        return services.check_decide(
            **common,
            kind=kind,
            passed=data["decision"] == "pass",
            decision_date=data["decision_date"],
            opinion=data.get("opinion", ""),
        )
    if action == "delay":
        return services.delay_apply(**common, reason=data["reason"], requested_date=data["requested_date"])
    if action == "delay-decide":
        return services.delay_decide(
            **common,
            delay_id=delay_id,
            granted=data["decision"] == "grant",
            granted_date=data.get("granted_date"),
            reason=data.get("reason", ""),
        )
    if action == "apply":
        return services.acceptance_apply(
            **common, applied_date=data["applied_date"], comment=data.get("comment", "")
        )
    if action == "decide":
        passed = data["decision"] == "pass"
        return services.acceptance_decide(
            **common,
            passed=passed,
            decision_date=data["decision_date"],
            conditions=data.get("conditions", ""),
            reason=data.get("reason", ""),
            operation_start_date=data.get("operation_start_date") if passed else None,
        )
    return services.standard_record(**common, published_date=data["published_date"], name=data["name"])


def _allowed(action: str, overview: dict, kind: str | None, delay_id: int | None) -> bool:
    may_key = ACTIONS[action][2]
    if may_key is not None:
        if action == "delay-decide":
            pending = overview["pending_delay"]
            return overview["may"][may_key] and pending is not None and pending.pk == delay_id
        return overview["may"][may_key]
    line = next((c for c in overview["checks"] if c["kind"] == kind), None)
    if line is None:
        return False
    return line["may_request"] if action == "check-request" else line["may_decide"]


@login_required
@require_http_methods(["GET", "POST"])
def action(request, pk: int, action: str, kind: str | None = None, delay_id: int | None = None):
    project = project_or_404(request.user, pk)
    overview = acceptance_overview(request.user, project)
    check = None
    if kind is not None:
        check = next((c for c in overview["checks"] if c["kind"] == kind), None)
        if kind not in CheckKind.values or check is None:
            raise Http404
    delay = None
    if delay_id is not None:
        delay = next((d for d in overview["delays"] if d.pk == delay_id), None)
        if delay is None:
            raise Http404
    label, form_class, _may = ACTIONS[action]
    form = form_class(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_on_form(
                request,
                form,
                lambda: _call(action, request.user, project, form.cleaned_data, kind, delay_id),
                project_id=project.pk,
                action=f"acceptance_{action}"[:40],
            )
            if done is not REFUSED:
                messages.success(request, _("Done: %(action)s.") % {"action": label})
                return redirect("projects:detail", pk=project.pk)
        status = answer_status(request, form)
    return render(
        request,
        "acceptance/completion/action.html",
        {
            "project": project,
            "acceptance": overview,
            "form": form,
            "action": action,
            "action_label": label,
            "allowed": _allowed(action, overview, kind, delay_id),
            "check": check,
            "delay": delay,
            "danger": action in DANGER,
        },
        status=status,
    )
