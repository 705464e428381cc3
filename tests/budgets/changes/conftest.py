"""Projects in construction on the real packs, with an approved estimate, for the change requests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction

from jurisdictions.models import Role
from projects.models import Project
from projects.records import record_facts
from tests.conftest import advance, make_project

CATEGORY = {
    "baotou": "business",
    "hongshan": "construction",
    "nanchong": "resource_library",
    "laizhou": "e_government",
    "ordos": "software",
}


def set_facts(project: Project, facts: dict) -> None:
    """What another record (the approval's baseline, procurement, the reviewer) would record."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        record_facts(locked, facts)
    project.refresh_from_db()


def in_construction(tenant, code: str, estimate, **facts) -> Project:
    project = make_project(
        tenant,
        title=f"{code}政务平台建设",
        category=CATEGORY[code],
        total_investment_wan=Decimal(str(estimate)),
        facts={},
    )
    advance(project, "in_construction")
    set_facts(project, {"approved_estimate_wan": Decimal(str(estimate)), **facts})
    return project


@pytest.fixture
def tenants(pack_tenant):
    made = {}

    def tenant(code):
        if code not in made:
            made[code] = pack_tenant(code)
            for n, user in enumerate(made[code].users.values()):  # people by their (Chinese) names
                user.first_name, user.last_name = "一二三四五六七八九"[n % 9], "王"
                user.save(update_fields=["first_name", "last_name"])
        return made[code]

    return tenant


def staff(tenant):
    return tenant.users[Role.DEPARTMENT_STAFF]


def reviewer(tenant):
    return tenant.users[Role.REVIEWER]
