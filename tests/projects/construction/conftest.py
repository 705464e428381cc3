"""Projects on the real measures put in `approved` (the phases before are other modules' business)."""

from __future__ import annotations

from decimal import Decimal

from jurisdictions.models import Role
from tests.conftest import advance, make_project

# What each measure's projects state on the form (declared), so only the records under test decide.
DECLARED = {
    "baotou": {"category": "business", "implementation_body_assigned": True},
    "hongshan": {"category": "construction", "implementation_body_assigned": True, "free_om_years": 2},
    "nanchong": {"category": "business_system", "is_service_procurement": False},
    "laizhou": {"category": "digital_infrastructure", "implementation_body_assigned": True},
    "ordos": {"category": "infrastructure"},
}


def approved(tenant, code: str, amount="600", *, phase="approved", on=None, **facts):
    declared = dict(DECLARED[code])
    category = declared.pop("category")
    project = make_project(
        tenant,
        category=category,
        total_investment_wan=Decimal(str(amount)),
        facts={**declared, **facts},
    )
    return advance(project, phase, on=on)


def staff(tenant):
    return tenant.users[Role.DEPARTMENT_STAFF]


def reviewer(tenant):
    return tenant.users[Role.REVIEWER]
