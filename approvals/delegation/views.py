"""Delegation pages: my delegations (given, received; in force, ended), create one, end one early."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from approvals.delegation import services
from approvals.delegation.models import Delegation
from govproj.errors import ApplicationError, NotFound, NotPermitted
from jurisdictions.models import Jurisdiction
from security.selectors import person_name


class DelegationForm(forms.Form):
    jurisdiction = forms.TypedChoiceField(label=gettext_lazy("Jurisdiction"), coerce=int)
    delegate = forms.TypedChoiceField(label=gettext_lazy("Delegate to"), coerce=int)
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        jurisdictions = Jurisdiction.objects.filter(pk__in=services.delegating_jurisdictions(user))
        self.fields["jurisdiction"].choices = [(j.pk, j.name) for j in jurisdictions]
        choices = []
        for jurisdiction in jurisdictions:
            people = services.candidate_delegates(user, jurisdiction.pk)
            choices += [(p.pk, person_name(p)) for p in people]
        self.fields["delegate"].choices = choices
        if len(self.fields["jurisdiction"].choices) == 1:
            self.fields["jurisdiction"].initial = self.fields["jurisdiction"].choices[0][0]
            self.fields["jurisdiction"].widget = forms.HiddenInput()
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(days=7)


def _state(delegation: Delegation, today) -> str:
    if delegation.ended_at is not None:
        return "ended"
    if delegation.ends_on < today:
        return "expired"
    if delegation.starts_on > today:
        return "upcoming"
    return "active"


STATE_LABELS = {
    "ended": gettext_lazy("Ended early"),
    "expired": gettext_lazy("Expired"),
    "upcoming": gettext_lazy("Not yet started"),
    "active": gettext_lazy("In force"),
}


def _rows(user, delegations, today):
    return [
        {
            "delegation": d,
            "delegator": person_name(d.delegator),
            "delegate": person_name(d.delegate),
            "ended_by": person_name(d.ended_by) if d.ended_by_id else "",
            "state": _state(d, today),
            "state_label": STATE_LABELS[_state(d, today)],
            "may_end": _state(d, today) in ("active", "upcoming") and services.may_end(user, d),
        }
        for d in delegations
    ]


@login_required
@require_GET
def delegation_list(request):
    user = request.user
    today = timezone.localdate()
    visible = services.delegations_for(user).select_related(
        "delegator", "delegate", "ended_by", "jurisdiction"
    )
    given = [d for d in visible if d.delegator_id == user.pk]
    received = [d for d in visible if d.delegate_id == user.pk]
    others = [d for d in visible if user.pk not in (d.delegator_id, d.delegate_id)]
    return render(
        request,
        "approvals/delegation/list.html",
        {
            "given": _rows(user, given, today),
            "received": _rows(user, received, today),
            "others": _rows(user, others, today),
            "may_delegate": bool(services.delegating_jurisdictions(user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_create(request):
    if not services.delegating_jurisdictions(request.user):
        raise PermissionDenied(_("Only people who decide may delegate their work."))
    form = DelegationForm(request.user, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.delegation_create(
                    actor=request.user,
                    jurisdiction_id=data["jurisdiction"],
                    delegate_id=data["delegate"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data["reason"],
                    request=request,
                )
            except ApplicationError as exc:
                errors = exc.extra.get("errors") or {}
                for field, problems in errors.items():
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
                if not errors:
                    form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Delegation created."))
                return redirect("projects:delegation-list")
        else:
            status = 400
    return render(request, "approvals/delegation/create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delegation_end(request, pk: int):
    delegation = (
        services.delegations_for(request.user).select_related("delegator", "delegate").filter(pk=pk).first()
    )
    if delegation is None:
        raise Http404
    error = ""
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") != "on":
            error, status = _("Tick the box to confirm."), 400
        else:
            try:
                services.delegation_end(actor=request.user, delegation_id=pk, request=request)
            except NotFound as exc:
                raise Http404 from exc
            except NotPermitted as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                error, status = exc.message, exc.http_status
            else:
                messages.success(request, _("Delegation ended."))
                return redirect("projects:delegation-list")
    elif not services.may_end(request.user, delegation):
        raise PermissionDenied(
            _("Only the delegator or the jurisdiction's administrator may end a delegation.")
        )
    return render(
        request,
        "approvals/delegation/end.html",
        {
            "delegation": delegation,
            "delegator": person_name(delegation.delegator),
            "delegate": person_name(delegation.delegate),
            "over": services.is_over(delegation),
            "error": error,
        },
        status=status,
    )
