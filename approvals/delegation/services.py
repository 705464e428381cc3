"""Delegation (代理审批): a decider's work handed to a colleague of the same role for a while.

A delegation belongs to no project, so creating and ending one is written to the security log
(like granting a role), with the delegator as the person concerned.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.delegation.models import Delegation
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Membership, Role, memberships_of
from security.models import Kind
from security.services import security_event_record

# Roles whose holders decide on something (intake, review steps, opinions, stages): they may delegate.
DECIDING_ROLES = frozenset({Role.REVIEWER, Role.SECURITY_REVIEWER, Role.FINANCE_OFFICER})
DELEGATION_CREATED = Kind.DELEGATION_CREATED
DELEGATION_ENDED = Kind.DELEGATION_ENDED


def deciding_roles(user, jurisdiction_id: int) -> set[str]:
    return {
        m.role
        for m in memberships_of(user)
        if m.jurisdiction_id == jurisdiction_id and m.role in DECIDING_ROLES
    }


def delegating_jurisdictions(user) -> list[int]:
    """Jurisdictions where the user holds a deciding role (where they may delegate)."""
    return sorted({m.jurisdiction_id for m in memberships_of(user) if m.role in DECIDING_ROLES})


def candidate_delegates(user, jurisdiction_id: int) -> QuerySet:
    """People holding one of the user's deciding roles in the jurisdiction, the user excepted."""
    roles = deciding_roles(user, jurisdiction_id)
    holders = Membership.objects.filter(jurisdiction_id=jurisdiction_id, role__in=sorted(roles)).values(
        "user_id"
    )
    return (
        get_user_model()
        .objects.filter(pk__in=holders, is_active=True)
        .exclude(pk=user.pk)
        .order_by("last_name", "first_name", "username")
    )


def delegations_for(user) -> QuerySet:
    """Delegations the user may see: given, received, and (jurisdiction admins) all of their jurisdictions."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    if user.is_superuser:
        return Delegation.objects.all()
    administered = sorted(
        {m.jurisdiction_id for m in memberships_of(user) if m.role == Role.JURISDICTION_ADMIN}
    )
    condition = Q(delegator_id=user.pk) | Q(delegate_id=user.pk)
    if administered:
        condition |= Q(jurisdiction_id__in=administered)
    return Delegation.objects.filter(condition)


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"errors": {field: [message]}})


def _state(delegation: Delegation) -> dict:
    return {
        "delegator": delegation.delegator_id,
        "delegate": delegation.delegate_id,
        "starts_on": delegation.starts_on.isoformat(),
        "ends_on": delegation.ends_on.isoformat(),
        "reason": delegation.reason,
    }


@transaction.atomic
def delegation_create(
    *,
    actor,
    jurisdiction_id: int,
    delegate_id,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str,
    request=None,
    today: dt.date | None = None,
) -> Delegation:
    """`actor` hands their deciding work in the jurisdiction to `delegate` from `starts_on` to `ends_on`."""
    today = today or timezone.localdate()
    roles = deciding_roles(actor, jurisdiction_id)
    if not roles:
        raise NotPermitted(
            _("Only people who decide (reviewers, security reviewers, finance officers) delegate.")
        )
    # One delegation at a time per delegator: serialise on the delegator's row.
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("A reason is required."))
    if starts_on < today:
        raise _invalid("starts_on", _("A delegation cannot start in the past."))
    if ends_on < starts_on:
        raise _invalid("ends_on", _("The end date is before the start date."))
    try:
        delegate_pk = int(delegate_id)
    except (TypeError, ValueError):
        raise _invalid("delegate", _("Choose the person to delegate to.")) from None
    if delegate_pk == actor.pk:
        raise _invalid("delegate", _("You cannot delegate to yourself."))
    delegate = get_user_model().objects.filter(pk=delegate_pk, is_active=True).first()
    held = (
        set(
            Membership.objects.filter(user_id=delegate_pk, jurisdiction_id=jurisdiction_id).values_list(
                "role", flat=True
            )
        )
        if delegate
        else set()
    )
    if not held:
        raise _invalid("delegate", _("This person does not work in your jurisdiction."))
    if not held & roles:
        raise _invalid("delegate", _("This person does not hold your role."))
    overlapping = Delegation.objects.filter(
        jurisdiction_id=jurisdiction_id,
        delegator_id=actor.pk,
        ended_at__isnull=True,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    if overlapping.exists():
        raise _invalid("starts_on", _("You have already delegated your work for part of these dates."))
    delegation = Delegation.objects.create(
        jurisdiction_id=jurisdiction_id,
        delegator=actor,
        delegate=delegate,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason[:200],
        created_by=actor,
    )
    security_event_record(
        kind=DELEGATION_CREATED,
        request=request,
        actor=actor,
        subject_user=delegate,
        jurisdiction=jurisdiction_id,
        target=f"approvals.delegation:{delegation.pk} {actor.username}→{delegate.username}",
        reason=reason,
        data={"old": None, "new": _state(delegation)},
    )
    return delegation


def may_end(user, delegation: Delegation) -> bool:
    if user.is_superuser or delegation.delegator_id == user.pk:
        return True
    return any(
        m.role == Role.JURISDICTION_ADMIN and m.jurisdiction_id == delegation.jurisdiction_id
        for m in memberships_of(user)
    )


def is_over(delegation: Delegation, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return delegation.ended_at is not None or delegation.ends_on < today


@transaction.atomic
def delegation_end(*, actor, delegation_id, request=None, today: dt.date | None = None) -> Delegation:
    """End a delegation early (the delegator, or the jurisdiction's admin)."""
    try:
        pk = int(delegation_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    delegation = (
        delegations_for(actor)
        .select_for_update(of=("self",))
        .select_related("delegator", "delegate")
        .filter(pk=pk)
        .first()
    )
    if delegation is None:
        raise NotFound()
    if not may_end(actor, delegation):
        raise NotPermitted(_("Only the delegator or the jurisdiction's administrator may end a delegation."))
    if is_over(delegation, today):
        raise InvalidTransition(_("This delegation has already ended."), extra={"allowed": []})
    before = _state(delegation)
    delegation.ended_at = timezone.now()
    delegation.ended_by = actor
    delegation.save(update_fields=["ended_at", "ended_by", "updated_at"])
    security_event_record(
        kind=DELEGATION_ENDED,
        request=request,
        actor=actor,
        subject_user=delegation.delegator,
        jurisdiction=delegation.jurisdiction_id,
        target=(
            f"approvals.delegation:{delegation.pk} "
            f"{delegation.delegator.username}→{delegation.delegate.username}"
        ),
        data={"old": before, "new": {**before, "ended_at": delegation.ended_at.isoformat()}},
    )
    return delegation
