"""Delegation (代理审批): who may delegate to whom and when, ending early, the security log, and
whom the delegate acts for (acting_as / acting_memberships) while it is in force, expired or ended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from approvals.acting import acting_as, acting_memberships
from approvals.delegation.models import Delegation
from approvals.delegation.services import (
    DELEGATION_CREATED,
    DELEGATION_ENDED,
    delegation_create,
    delegation_end,
)
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from jurisdictions.rules.schema import Taker
from security.models import SecurityEvent
from tests.factories import MembershipFactory, UserFactory

TODAY = dt.date(2026, 11, 24)
WEEK = TODAY + dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def second_reviewer(tenant):
    user = UserFactory(username=f"{tenant.jurisdiction.code}_reviewer_b", first_name="钱进")
    MembershipFactory(user=user, jurisdiction=tenant.jurisdiction, role=Role.REVIEWER)
    return user


def create(tenant, delegate, **overrides):
    values = {
        "actor": tenant.users[Role.REVIEWER],
        "jurisdiction_id": tenant.jurisdiction.pk,
        "delegate_id": delegate.pk,
        "starts_on": TODAY,
        "ends_on": WEEK,
        "reason": "出差",
        "today": TODAY,
    }
    values.update(overrides)
    return delegation_create(**values)


def test_a_reviewer_delegates_to_another_reviewer_and_the_security_log_says_so(alpha):
    delegate = second_reviewer(alpha)
    delegation = create(alpha, delegate)
    assert (delegation.delegator, delegation.delegate) == (alpha.users[Role.REVIEWER], delegate)
    assert (delegation.starts_on, delegation.ends_on, delegation.reason) == (TODAY, WEEK, "出差")
    event = SecurityEvent.objects.get(kind=DELEGATION_CREATED)
    assert event.actor == alpha.users[Role.REVIEWER]
    assert event.subject_user == delegate
    assert event.jurisdiction_id == alpha.jurisdiction.pk
    assert event.data["new"]["delegate"] == delegate.pk


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("self", "delegate"),
        ("other_jurisdiction", "delegate"),
        ("no_role", "delegate"),
        ("end_before_start", "ends_on"),
        ("past_start", "starts_on"),
        ("no_reason", "reason"),
    ],
)
def test_refused_delegations(alpha, beta, case, field):
    reviewer = alpha.users[Role.REVIEWER]
    delegate = {
        "self": reviewer,
        "other_jurisdiction": beta.users[Role.REVIEWER],
        "no_role": alpha.users[Role.DEPARTMENT_STAFF],
    }.get(case) or second_reviewer(alpha)
    overrides = {
        "end_before_start": {"starts_on": WEEK, "ends_on": TODAY},
        "past_start": {"starts_on": TODAY - dt.timedelta(days=1)},
        "no_reason": {"reason": "  "},
    }.get(case, {})
    with pytest.raises(ValidationFailed) as refused:
        create(alpha, delegate, **overrides)
    assert field in refused.value.extra["errors"]
    assert not Delegation.objects.exists()
    assert not SecurityEvent.objects.filter(kind=DELEGATION_CREATED).exists()


def test_overlapping_delegations_of_one_delegator_are_refused_and_adjacent_ones_allowed(alpha):
    delegate = second_reviewer(alpha)
    create(alpha, delegate)
    with pytest.raises(ValidationFailed):
        create(alpha, delegate, starts_on=WEEK, ends_on=WEEK + dt.timedelta(days=3))
    create(alpha, delegate, starts_on=WEEK + dt.timedelta(days=1), ends_on=WEEK + dt.timedelta(days=3))
    assert Delegation.objects.count() == 2


def test_a_role_that_decides_nothing_cannot_delegate(alpha):
    with pytest.raises(NotPermitted):
        create(alpha, alpha.other_staff, actor=alpha.users[Role.DEPARTMENT_STAFF])


def test_a_finance_officer_delegates_to_a_finance_officer_not_to_a_reviewer(alpha):
    finance = alpha.users[Role.FINANCE_OFFICER]
    with pytest.raises(ValidationFailed):
        create(alpha, alpha.users[Role.REVIEWER], actor=finance)
    colleague = UserFactory(username="alpha_finance_b")
    MembershipFactory(user=colleague, jurisdiction=alpha.jurisdiction, role=Role.FINANCE_OFFICER)
    assert create(alpha, colleague, actor=finance).delegate == colleague


@pytest.mark.parametrize("who", [Role.REVIEWER, Role.JURISDICTION_ADMIN])
def test_the_delegator_or_the_admin_ends_it_early(alpha, who):
    delegation = create(alpha, second_reviewer(alpha))
    ended = delegation_end(actor=alpha.users[who], delegation_id=delegation.pk, today=TODAY)
    assert ended.ended_at is not None and ended.ended_by == alpha.users[who]
    event = SecurityEvent.objects.get(kind=DELEGATION_ENDED)
    assert event.actor == alpha.users[who] and event.subject_user == alpha.users[Role.REVIEWER]
    with pytest.raises(InvalidTransition):  # once
        delegation_end(actor=alpha.users[who], delegation_id=delegation.pk, today=TODAY)


def test_the_delegate_may_not_end_it_and_others_do_not_see_it(alpha, beta):
    delegate = second_reviewer(alpha)
    delegation = create(alpha, delegate)
    with pytest.raises(NotPermitted):
        delegation_end(actor=delegate, delegation_id=delegation.pk, today=TODAY)
    for outsider in (alpha.users[Role.DEPARTMENT_STAFF], beta.users[Role.JURISDICTION_ADMIN]):
        with pytest.raises(NotFound):
            delegation_end(actor=outsider, delegation_id=delegation.pk, today=TODAY)
    with pytest.raises(NotFound):
        delegation_end(actor=alpha.users[Role.REVIEWER], delegation_id="x", today=TODAY)
    delegation.refresh_from_db()
    assert delegation.ended_at is None
    assert not SecurityEvent.objects.filter(kind=DELEGATION_ENDED).exists()


def _delegation(staged, starts_on, ends_on, ended=False):
    cloud = staged.users["cloud_reviewer"]
    return Delegation.objects.create(
        jurisdiction=staged.jurisdiction,
        delegator=cloud,
        delegate=staged.users["reviewer_2"],
        starts_on=starts_on,
        ends_on=ends_on,
        reason="休假",
        created_by=cloud,
        ended_at=timezone.now() if ended else None,
    )


PRE_REVIEW = Taker(
    name={"zh": "云计算中心", "en": "cloud centre"}, role="reviewer", department="cloud_centre"
)


@pytest.mark.parametrize(
    ("dates", "ended", "acts"),
    [
        ((TODAY, WEEK), False, True),  # in force
        ((TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1)), False, False),  # expired
        ((TODAY + dt.timedelta(days=1), WEEK), False, False),  # not yet
        ((TODAY, WEEK), True, False),  # ended early
    ],
    ids=["active", "expired", "upcoming", "ended"],
)
def test_acting_as_a_department_body_through_a_delegation(staged, dates, ended, acts):
    delegate, cloud = staged.users["reviewer_2"], staged.users["cloud_reviewer"]
    assert acting_as(delegate, staged.jurisdiction.pk, PRE_REVIEW, on=TODAY) is None
    _delegation(staged, *dates, ended=ended)
    acting = acting_as(delegate, staged.jurisdiction.pk, PRE_REVIEW, on=TODAY)
    pairs = [(m.role, m.department_id, p) for m, p in acting_memberships(delegate, on=TODAY)]
    cloud_body = staged.bodies["cloud_centre"].pk
    if acts:
        assert acting.principal == cloud and acting.user == delegate
        assert acting.audit() == {
            "on_behalf_of": {"id": cloud.pk, "name": cloud.get_full_name() or cloud.username}
        }
        assert "（代" in acting.label
        assert (Role.REVIEWER, cloud_body, cloud) in pairs
    else:
        assert acting is None
        assert all(p == delegate for _r, _d, p in pairs)
    # the delegator keeps acting for themselves
    assert acting_as(cloud, staged.jurisdiction.pk, PRE_REVIEW, on=TODAY).principal == cloud
