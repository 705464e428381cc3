"""A tenant whose pack has a review and approval procedure (tests/fixtures/staged.yaml), and its people."""

from __future__ import annotations

from pathlib import Path

import pytest

from jurisdictions.models import Role
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from tests.conftest import Tenant
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

STAGED = Path(__file__).parent.parent / "fixtures" / "staged.yaml"


def make_staged_tenant(code: str) -> Tenant:
    """Like conftest.make_tenant, on the staged pack, plus the bodies its review section names.

    users: one per role (reviewer is the data bureau's), and
      "cloud_reviewer" (reviewer of cloud_centre, takes the pre-review),
      "secrecy_reviewer", "police_reviewer" (security reviewers of secrecy, police: the opinions),
      "expert_2" (a second expert), "own_expert" (an expert of the filing department: conflicted),
      "reviewer_2" (another data-bureau reviewer, for delegation).
    """
    text = STAGED.read_text(encoding="utf-8").replace("__CODE__", code)
    spec, content = load_pack_text(text, source=f"staged-{code}")
    jurisdiction = publish_rule_pack(spec, content, source=f"staged-{code}").pack.jurisdiction
    department = DepartmentFactory(jurisdiction=jurisdiction)
    other_department = DepartmentFactory(jurisdiction=jurisdiction)
    bodies = {
        body: DepartmentFactory(jurisdiction=jurisdiction, code=body, name_zh=name, name_en=body)
        for body, name in (("cloud_centre", "云计算中心"), ("secrecy", "保密局"), ("police", "公安局"))
    }
    tenant = Tenant(jurisdiction, department, other_department)
    for role in Role.values:
        user = UserFactory(username=f"{code}_{role}", first_name=f"{role[:4]}")
        MembershipFactory(
            user=user,
            jurisdiction=jurisdiction,
            role=role,
            department=department if role == Role.DEPARTMENT_STAFF else None,
        )
        tenant.users[role] = user
    extra = {
        "cloud_reviewer": (Role.REVIEWER, bodies["cloud_centre"]),
        "secrecy_reviewer": (Role.SECURITY_REVIEWER, bodies["secrecy"]),
        "police_reviewer": (Role.SECURITY_REVIEWER, bodies["police"]),
        "expert_2": (Role.EXPERT, None),
        "own_expert": (Role.EXPERT, department),
        "reviewer_2": (Role.REVIEWER, None),
    }
    for name, (role, body) in extra.items():
        user = UserFactory(username=f"{code}_{name}")
        MembershipFactory(user=user, jurisdiction=jurisdiction, role=role, department=body)
        tenant.users[name] = user
    tenant.other_staff = UserFactory(username=f"{code}_other_staff")
    MembershipFactory(
        user=tenant.other_staff,
        jurisdiction=jurisdiction,
        role=Role.DEPARTMENT_STAFF,
        department=other_department,
    )
    tenant.bodies = bodies
    return tenant


@pytest.fixture
def staged(db) -> Tenant:
    return make_staged_tenant("gamma")


@pytest.fixture
def staged_other(db) -> Tenant:
    return make_staged_tenant("delta")
