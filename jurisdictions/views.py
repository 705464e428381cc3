"""The people page: a jurisdiction admin manages accounts and roles without the platform superuser."""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govproj.errors import ApplicationError
from govproj.pages import form_errors
from jurisdictions import services
from jurisdictions.forms import AccountForm, GrantForm, RevokeForm
from jurisdictions.models import Jurisdiction, Membership
from security.signin import signin_unlock


def _administered(request):
    administered = Jurisdiction.objects.for_user(request.user, "change")
    if not administered.exists():
        raise PermissionDenied(_("Only jurisdiction administrators manage people."))
    return administered


def _people(administered):
    memberships = Membership.objects.filter(jurisdiction__in=administered).select_related(
        "jurisdiction", "department"
    )
    return (
        get_user_model()
        .objects.filter(memberships__jurisdiction__in=administered)
        .distinct()
        .order_by("username")
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="roles_here"))
    )


@login_required
def people(request):
    """人员与角色: everyone with a role in the admin's jurisdictions, a new account, a new role."""
    administered = _administered(request)
    people = _people(administered)
    others = people.exclude(pk=request.user.pk)
    account_form = AccountForm(administered=administered, prefix="account")
    grant_form = GrantForm(administered=administered, people=others, prefix="grant")
    if request.method == "POST" and "account-username" in request.POST:
        account_form = AccountForm(request.POST, administered=administered, prefix="account")
        if account_form.is_valid():
            data = account_form.cleaned_data
            try:
                user = services.user_create(
                    actor=request.user,
                    username=data["username"],
                    password=data["password"],
                    first_name=data["name"],
                    email=data["email"],
                    jurisdiction=data["jurisdiction"],
                    role=data["role"],
                    department=data["department"],
                    request=request,
                )
            except ApplicationError as error:
                form_errors(account_form, error)
            else:
                messages.success(request, _("Account %(name)s created.") % {"name": user.get_full_name()})
                return redirect("people")
    elif request.method == "POST":
        grant_form = GrantForm(request.POST, administered=administered, people=others, prefix="grant")
        if grant_form.is_valid():
            data = grant_form.cleaned_data
            membership = Membership(
                user=data["user"],
                jurisdiction=data["jurisdiction"],
                role=data["role"],
                department=data["department"],
            )
            try:
                services.membership_save(actor=request.user, membership=membership, request=request)
            except ApplicationError as error:
                form_errors(grant_form, error)
            else:
                messages.success(request, _("Role granted."))
                return redirect("people")
    listed = list(people)  # once: the table and the lockout check read the same rows
    return render(
        request,
        "jurisdictions/people.html",
        {
            "people": listed,
            "failing": _failing_usernames(listed),
            "account_form": account_form,
            "grant_form": grant_form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _failing_usernames(people) -> set[str]:
    """People with failed sign-ins still counted against them (locked, or on their way to it)."""
    since = timezone.now() - get_cool_off()
    return set(
        AccessAttempt.objects.filter(
            username__in=[person.username for person in people], attempt_time__gte=since
        ).values_list("username", flat=True)
    )


@login_required
@require_POST
def unlock(request, pk: int):
    """Clear a person's failed sign-ins (and the lock they caused); recorded as UNLOCK."""
    person = _people(_administered(request)).filter(pk=pk).first()
    if person is None:
        raise Http404
    signin_unlock(
        actor=request.user, attempts=AccessAttempt.objects.filter(username=person.username), request=request
    )
    messages.success(
        request, _("%(name)s can sign in again.") % {"name": person.get_full_name() or person.username}
    )
    return redirect("people")


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk: int):
    """Confirm, with a reason, before a role is taken away."""
    administered = _administered(request)
    membership = (
        Membership.objects.filter(jurisdiction__in=administered, pk=pk)
        .select_related("user", "jurisdiction", "department")
        .first()
    )
    if membership is None:
        raise Http404
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_revoke(
                actor=request.user, membership_id=pk, reason=form.cleaned_data["reason"], request=request
            )
        except ApplicationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Role revoked."))
            return redirect("people")
    return render(
        request,
        "jurisdictions/revoke.html",
        {"membership": membership, "form": form},
        status=400 if request.method == "POST" else 200,
    )
