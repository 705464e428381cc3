"""Pages of the approval stages: the project's stages, and one page per action (submit, pass review,
approve, file, return, reject, withdraw). Plain form posts; the services check role, state and rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from approvals.stages import forms, services
from approvals.stages.selectors import stage_section
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form

ACTIONS = {
    "submit": (gettext_lazy("Submit this stage"), forms.SubmitForm),
    "withdraw": (gettext_lazy("Withdraw"), forms.WithdrawForm),
    "pass-review": (gettext_lazy("Review passed"), forms.PassReviewForm),
    "approve": (gettext_lazy("Approve"), forms.ApproveForm),
    "file": (gettext_lazy("Record the filing"), forms.FileForm),
    "return": (gettext_lazy("Return"), forms.ReturnForm),
    "reject": (gettext_lazy("Reject"), forms.RejectForm),
}
MAY = {"pass-review": "pass_review"}


@login_required
@require_GET
def stage_list(request, pk: int):
    project = project_or_404(request.user, pk)
    context = stage_section(request.user, project)
    if context["stages"] is None:
        raise Http404
    return render(request, "approvals/stages/list.html", {"project": project, **context})


def _form(action: str, line, stages, data=None):
    form_class = ACTIONS[action][1]
    if action == "approve":
        return form_class(data, amount=line.amount)
    if action == "file":
        return form_class(data, amount=line.amount, fields=line.fields)
    if action == "return":
        choices = [(line.code, _("The applicant (this stage, a new round)"))]
        for earlier in stages["lines"]:
            if earlier.code == line.code:
                break
            choices.append((earlier.code, _("Earlier stage: %(stage)s") % {"stage": earlier.name}))
        return form_class(data, choices=choices)
    return form_class(data)


def _call(action: str, user, project, code: str, form):
    data = form.cleaned_data
    common = {"actor": user, "project_id": project.pk, "code": code}
    if action == "submit":
        return services.stage_submit(
            **common, requested_amount_wan=data.get("requested_amount_wan"), comment=data.get("comment", "")
        )
    if action == "withdraw":
        return services.stage_withdraw(**common, comment=data.get("comment", ""))
    if action == "pass-review":
        return services.stage_pass_review(**common, comment=data.get("comment", ""))
    if action == "approve":
        return services.stage_approve(
            **common,
            document_number=data["document_number"],
            decision_date=data["decision_date"],
            amount_wan=data.get("amount_wan"),
            conditions=data.get("conditions", ""),
        )
    if action == "file":
        return services.stage_file(
            **common,
            fields={c: data.get(f"field_{c}", "") for c in form.filing_codes},
            decision_date=data["decision_date"],
            amount_wan=data.get("amount_wan"),
            document_number=data.get("document_number", ""),
        )
    if action == "return":
        return services.stage_return(**common, reason=data["reason"], to_stage=data["to_stage"])
    return services.stage_reject(**common, reason=data["reason"])


@login_required
@require_http_methods(["GET", "POST"])
def stage_action(request, pk: int, code: str, action: str):
    project = project_or_404(request.user, pk)
    stages = stage_section(request.user, project)["stages"]
    line = next((line for line in (stages or {}).get("lines", []) if line.code == code), None)
    if line is None:
        raise Http404
    label = ACTIONS[action][0]
    form = _form(action, line, stages, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_on_form(
                request,
                form,
                lambda: _call(action, request.user, project, code, form),
                project_id=project.pk,
                action=f"stage_{action}"[:40],
            )
            if done is not REFUSED:
                messages.success(request, _("Done: %(action)s.") % {"action": label})
                return redirect("projects:detail", pk=project.pk)
        status = answer_status(request, form)
    allowed = line.current and stages["may"].get(MAY.get(action, action), False)
    return render(
        request,
        "approvals/stages/action.html",
        {
            "project": project,
            "stages": stages,
            "line": line,
            "form": form,
            "action": action,
            "action_label": label,
            "allowed": allowed,
        },
        status=status,
    )
