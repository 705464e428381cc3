"""Who acts, and for whom: a person taking a step the pack gives to a body (a department and a role).

A reviewer may act for themselves, or as the delegate of someone who may (代理审批, a Delegation in
force today). Every service of the approvals app asks `acting_as` who the actor is acting as,
checks separation of duties against both people, and records `acting.audit()` with its event, so
the timeline reads 「受托人（代委托人）」.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone

from approvals.delegation.models import Delegation
from govproj.caching import per_request
from jurisdictions.models import Department, Membership, memberships_of
from security.selectors import person_name


@dataclass(frozen=True)
class Acting:
    """`user` does it; `principal` is whose authority it is (the user, or the delegator)."""

    user: object
    principal: object

    @property
    def on_behalf(self) -> bool:
        return self.principal.pk != self.user.pk

    def people(self) -> set[int]:
        return {self.user.pk, self.principal.pk}

    def audit(self) -> dict:
        """What the audit event's `changes` carries so the timeline names both people."""
        if not self.on_behalf:
            return {}
        return {"on_behalf_of": {"id": self.principal.pk, "name": person_name(self.principal)}}

    @property
    def label(self) -> str:
        """「受托人（代委托人）」, or just the person."""
        if not self.on_behalf:
            return person_name(self.user)
        return f"{person_name(self.user)}（代{person_name(self.principal)}）"


def _department_id(jurisdiction_id: int, code: str | None) -> int | None:
    if code is None:
        return None
    found = Department.objects.filter(jurisdiction_id=jurisdiction_id, code=code).values_list("id", flat=True)
    return next(iter(found), -1)  # -1: a department the pack names and nobody has set up


def fits(membership, jurisdiction_id: int, role: str, department_id: int | None) -> bool:
    """Whether a membership lets its holder act for the body (role; department when the body has one)."""
    return (
        membership.jurisdiction_id == jurisdiction_id
        and membership.role == role
        and (department_id is None or membership.department_id == department_id)
    )


def acting_as(user, jurisdiction_id: int, taker, *, on: dt.date | None = None) -> Acting | None:
    """The user acting for `taker` (a pack Taker: role, optional department), or None if they may not.

    Themselves first; otherwise as the delegate of someone who fits, by a delegation in force `on`.
    """
    if not user.is_authenticated:
        return None
    department_id = _department_id(jurisdiction_id, taker.department)
    if user.is_superuser or any(
        fits(m, jurisdiction_id, taker.role, department_id) for m in memberships_of(user)
    ):
        return Acting(user, user)
    on = on or timezone.localdate()
    delegators = (
        Delegation.objects.active_on(on)
        .filter(jurisdiction_id=jurisdiction_id, delegate_id=user.pk)
        .values_list("delegator_id", flat=True)
    )
    holders = Membership.objects.filter(
        user_id__in=delegators, jurisdiction_id=jurisdiction_id, role=taker.role
    )
    if department_id is not None:
        holders = holders.filter(department_id=department_id)
    principal_id = holders.order_by("user_id").values_list("user_id", flat=True).first()
    if principal_id is None:
        return None
    return Acting(user, get_user_model().objects.get(pk=principal_id))


def takers(jurisdiction_id: int, taker):
    """The users who may act for `taker` themselves (for requests and the inbox)."""
    department_id = _department_id(jurisdiction_id, taker.department)
    holders = Membership.objects.filter(jurisdiction_id=jurisdiction_id, role=taker.role)
    if department_id is not None:
        holders = holders.filter(department_id=department_id)
    return get_user_model().objects.filter(pk__in=holders.values("user_id")).order_by("pk")


def acting_memberships(user, *, on: dt.date | None = None) -> list[tuple[object, object]]:
    """(membership, principal) pairs the user acts with today: their own (principal = the user), then
    those of each person whose delegation to the user is in force (principal = that person).

    One query a request (memberships_of is cached likewise); the inbox sources find what waits on the user.
    """
    if not user.is_authenticated:
        return []
    own = [(m, user) for m in memberships_of(user)]
    on = on or timezone.localdate()
    return own + per_request(("delegated-memberships", user.pk, on), lambda: _delegated(user, on))


def _delegated(user, on: dt.date) -> list[tuple[object, object]]:
    in_force = Delegation.objects.active_on(on).filter(
        delegate_id=user.pk, delegator_id=OuterRef("user_id"), jurisdiction_id=OuterRef("jurisdiction_id")
    )
    delegated = Membership.objects.filter(Exists(in_force)).select_related("user").order_by("user_id", "pk")
    return [(m, m.user) for m in delegated]
