from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from approvals.delegation.models import Delegation
from jurisdictions.models import Role
from projects import services
from tests.conftest import make_project
from tests.factories import MembershipFactory, UserFactory


def declared(tenant, **overrides):
    project = make_project(tenant, **overrides)
    services.transition_project(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    return project


def second_reviewer(tenant):
    user = UserFactory(username=f"{tenant.jurisdiction.code}_reviewer_b", first_name="进", last_name="钱")
    MembershipFactory(user=user, jurisdiction=tenant.jurisdiction, role=Role.REVIEWER)
    return user


def delegate(tenant, to, *, starts=0, days=7, ended=False):
    reviewer = tenant.users[Role.REVIEWER]
    today = timezone.localdate()
    return Delegation.objects.create(
        jurisdiction=tenant.jurisdiction,
        delegator=reviewer,
        delegate=to,
        starts_on=today + dt.timedelta(days=starts),
        ends_on=today + dt.timedelta(days=starts + days),
        reason="出差",
        created_by=reviewer,
        ended_at=timezone.now() if ended else None,
    )


@pytest.fixture
def qian(alpha):
    return second_reviewer(alpha)
