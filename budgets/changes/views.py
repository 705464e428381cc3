"""Pages of the change requests (调整) and final accounts (结余资金): plain form posts; the services check
role, state and rules, and a refusal is shown on the form (and written to the security log)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from budgets.changes import forms, services
from budgets.changes.models import ChangeRequest
from budgets.changes.selectors import change_overview, decorate
from projects.pages import REFUSED, answer_status, project_or_404, run_on_form
from projects.selectors import project_verdicts

ACTIONS = {
    "submit": (gettext_lazy("Submit the change request"), forms.SubmitForm, "staff"),
    "withdraw": (gettext_lazy("Withdraw"), forms.WithdrawForm, "staff"),
    "approve": (gettext_lazy("Approve the change"), forms.ApproveForm, "decide"),
    "return": (gettext_lazy("Return for revision"), forms.ReturnForm, "decide"),
    "reject": (gettext_lazy("Reject the change"), forms.RejectForm, "decide"),
    "acknowledge": (gettext_lazy("Acknowledge (已知悉)"), forms.AcknowledgeForm, "decide"),
    "new-project": (gettext_lazy("Start a new project draft from it"), forms.NewProjectForm, "staff"),
}
DANGER = {"reject", "return", "withdraw"}


def _overview(request, project):
    pack, verdicts = project_verdicts(project)
    return change_overview(request.user, project, pack=pack, verdicts=verdicts)


def _request_or_404(project, request_id) -> ChangeRequest:
    found = (
        ChangeRequest.objects.filter(project=project, pk=request_id)
        .select_related(
            "created_by", "submitted_by", "decided_by", "on_behalf_of", "acknowledged_by", "new_project"
        )
        .first()
    )
    if found is None:
        raise Http404
    return decorate(found)


@login_required
@require_GET
def change_list(request, pk: int):
    project = project_or_404(request.user, pk)
    return render(
        request, "budgets/changes/list.html", {"project": project, "changes": _overview(request, project)}
    )


def _edit(request, project, change: ChangeRequest | None):
    overview = _overview(request, project)
    initial = None
    if change is not None:
        initial = {
            name: getattr(change, name)
            for name in (
                "content",
                "increases_wan",
                "decreases_wan",
                "new_content_wan",
                "tender_savings_wan",
                "goal_changed",
                "reason",
                "explanation",
            )
        }
    form = forms.ChangeRequestForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if change is None:
                call = lambda: services.change_request_create(  # noqa: E731
                    actor=request.user, project_id=project.pk, **form.data_for_service()
                )
            else:
                call = lambda: services.change_request_update(  # noqa: E731
                    actor=request.user, project_id=project.pk, request_id=change.pk, **form.data_for_service()
                )
            done = run_on_form(
                request,
                form,
                call,
                project_id=project.pk,
                action="change_create" if change is None else "change_update",
            )
            if done is not REFUSED:
                messages.success(request, _("Saved. Check the route the measure gives it, then submit it."))
                return redirect("projects:change-detail", pk=project.pk, request_id=done.pk)
        status = answer_status(request, form)
    return render(
        request,
        "budgets/changes/form.html",
        {"project": project, "changes": overview, "form": form, "change": change},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def change_create(request, pk: int):
    project = project_or_404(request.user, pk)
    return _edit(request, project, None)


@login_required
@require_http_methods(["GET", "POST"])
def change_edit(request, pk: int, request_id: int):
    project = project_or_404(request.user, pk)
    return _edit(request, project, _request_or_404(project, request_id))


@login_required
@require_GET
def change_detail(request, pk: int, request_id: int):
    project = project_or_404(request.user, pk)
    change = _request_or_404(project, request_id)
    return render(
        request,
        "budgets/changes/detail.html",
        {"project": project, "change": change, "changes": _overview(request, project)},
    )


def _call(action: str, user, project, change, form):
    data = form.cleaned_data
    common = {"actor": user, "project_id": project.pk, "request_id": change.pk}
    if action == "submit":
        return services.change_request_submit(**common, comment=data.get("comment", ""))
    if action == "withdraw":
        return services.change_request_withdraw(**common, comment=data.get("comment", ""))
    if action == "approve":
        return services.change_request_approve(
            **common,
            document_number=data["document_number"],
            decision_date=data["decision_date"],
            amount_wan=data["amount_wan"],
            comment=data.get("comment", ""),
        )
    if action == "return":
        return services.change_request_return(**common, reason=data["reason"])
    if action == "reject":
        return services.change_request_reject(**common, reason=data["reason"])
    if action == "acknowledge":
        return services.change_request_acknowledge(**common, comment=data.get("comment", ""))
    return services.change_request_start_new_project(**common)


DONE = {
    "submit": gettext_lazy("Submitted: %(route)s."),
    "new-project": gettext_lazy("A new project draft was started: complete it and declare it."),
}


@login_required
@require_http_methods(["GET", "POST"])
def change_action(request, pk: int, request_id: int, action: str):
    project = project_or_404(request.user, pk)
    change = _request_or_404(project, request_id)
    overview = _overview(request, project)
    label, form_class, who = ACTIONS[action]
    data = request.POST if request.method == "POST" else None
    if action == "approve":
        form = form_class(data, amount=change.resulting_total_wan)
    else:
        form = form_class(data)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_on_form(
                request,
                form,
                lambda: _call(action, request.user, project, change, form),
                project_id=project.pk,
                action=f"change_{action}"[:40],
            )
            if done is not REFUSED:
                if action == "new-project":
                    messages.success(request, DONE[action])
                    return redirect("projects:edit", pk=done.pk)
                if action == "submit":
                    messages.success(request, DONE["submit"] % {"route": decorate(done).route_label})
                else:
                    messages.success(request, _("Done: %(action)s.") % {"action": label})
                return redirect("projects:change-detail", pk=project.pk, request_id=change.pk)
        status = answer_status(request, form)
    wanted = {"new-project": "start_new_project"}.get(action, action)
    allowed = overview["may"][who] and wanted in change.allowed
    return render(
        request,
        "budgets/changes/action.html",
        {
            "project": project,
            "change": change,
            "changes": overview,
            "form": form,
            "action": action,
            "action_label": label,
            "allowed": allowed,
            "danger": action in DANGER,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def final_account(request, pk: int):
    """决算: the department records the actual spend; the surplus and whether it must be returned follow."""
    project = project_or_404(request.user, pk)
    overview = _overview(request, project)
    account = overview["account"]
    initial = {"actual_spend_wan": account.actual_spend_wan} if account else None
    form = forms.FinalAccountForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_on_form(
                request,
                form,
                lambda: services.final_account_record(
                    actor=request.user,
                    project_id=project.pk,
                    actual_spend_wan=form.cleaned_data["actual_spend_wan"],
                ),
                project_id=project.pk,
                action="final_account_record",
            )
            if done is not REFUSED:
                messages.success(request, _("Final accounts recorded."))
                return redirect("projects:change-list", pk=project.pk)
        status = answer_status(request, form)
    return render(
        request,
        "budgets/changes/account.html",
        {
            "project": project,
            "changes": overview,
            "form": form,
            "action_label": _("Final accounts"),
            "allowed": overview["may"]["record_account"],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def surplus_return(request, pk: int):
    """The finance officer confirms that the surplus has been returned."""
    project = project_or_404(request.user, pk)
    overview = _overview(request, project)
    account = overview["account"]
    form = forms.SurplusReturnForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            done = run_on_form(
                request,
                form,
                lambda: services.surplus_return_confirm(
                    actor=request.user,
                    project_id=project.pk,
                    returned_on=form.cleaned_data["returned_on"],
                    reference=form.cleaned_data.get("reference", ""),
                ),
                project_id=project.pk,
                action="surplus_return",
            )
            if done is not REFUSED:
                messages.success(request, _("The return of the surplus is confirmed."))
                return redirect("projects:change-list", pk=project.pk)
        status = answer_status(request, form)
    allowed = (
        overview["may"]["confirm_return"]
        and account is not None
        and account.must_return
        and account.returned_at is None
    )
    return render(
        request,
        "budgets/changes/account.html",
        {
            "project": project,
            "changes": overview,
            "form": form,
            "action_label": _("Confirm the surplus returned"),
            "allowed": allowed,
        },
        status=status,
    )
