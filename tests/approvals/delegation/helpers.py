"""A delegation for the permission walks: the tenant's reviewer hands their work to its finance officer."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from approvals.delegation.models import Delegation
from jurisdictions.models import Role


def delegation_for_walk(tenant) -> Delegation:
    """In force from today for a week (the model's own checks only: the walk is about who may see it)."""
    reviewer = tenant.users[Role.REVIEWER]
    today = timezone.localdate()
    return Delegation.objects.create(
        jurisdiction=tenant.jurisdiction,
        delegator=reviewer,
        delegate=tenant.users[Role.FINANCE_OFFICER],
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
        reason="出差",
        created_by=reviewer,
    )
