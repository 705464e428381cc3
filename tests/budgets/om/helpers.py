"""A 莱州 governance project of 600万元 in operation, with the facts other records provide set clean."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from jurisdictions.models import Role
from projects.models import Project
from projects.records import record_facts
from tests.conftest import advance, make_project

ACCEPTED_ON = dt.date(2024, 3, 1)  # free O&M of 3 years (第二十九条) ends 2027-03-01
# Facts the department states (declared) and those acceptance, evaluation and the data bureau record.
LAIZHOU_DECLARED = {
    "laizhou_class": "governance",
    "free_om_years": 3,
    "shares_data": True,
    "duplicates_data_collection": False,
    "in_system_catalogue": True,
    "uses_resource_catalogue": True,
    "crypto_compliant": True,
    "security_compliant": True,
}
LAIZHOU_RECORDED = {
    "major_security_hazard": False,
    "performance_poor": False,
    "is_zombie": False,
    "accepted": True,
}


def set_facts(project: Project, facts: dict) -> None:
    """What another record (acceptance, evaluation, the data bureau's flags) would record."""
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        record_facts(locked, facts)


def laizhou_project(tenant, *, investment="600", title="莱州市城市治理平台", **facts) -> Project:
    project = make_project(
        tenant,
        title=title,
        category="e_government",
        total_investment_wan=Decimal(investment),
        facts={**LAIZHOU_DECLARED, **facts},
    )
    advance(project, "in_operation", on=ACCEPTED_ON)
    set_facts(project, LAIZHOU_RECORDED)
    project.refresh_from_db()
    return project


def staff(tenant):
    return tenant.users[Role.DEPARTMENT_STAFF]


def finance(tenant):
    return tenant.users[Role.FINANCE_OFFICER]
