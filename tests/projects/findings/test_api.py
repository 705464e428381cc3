"""/api/v1/projects/{id}/findings/: what the measure reads, its values, and recording one."""

from __future__ import annotations

import pytest

from jurisdictions.models import Role
from projects.findings.models import Finding
from tests.acceptance.evaluation.helpers import operating
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def test_the_reviewer_records_and_reads_a_finding(laizhou):
    project = operating(laizhou, facts={"shares_data": False})
    api = client_for(laizhou.users[Role.REVIEWER])
    url = f"/api/v1/projects/{project.pk}/findings/"
    listed = api.get(url).json()
    rows = {row["fact"]: row for row in listed["facts"]}
    assert rows["shares_data"] == {
        "fact": "shares_data",
        "label": "按要求共享数据",
        "source": "declared",
        "value": False,
        "may_record": True,
    }
    assert rows["major_security_hazard"]["source"] == "decided"

    created = api.post(
        url,
        {"fact": "major_security_hazard", "value": False, "reason": "复查无隐患", "basis": "莱数检8号"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert {row["fact"]: row["value"] for row in body["facts"]}["major_security_hazard"] is False
    assert body["history"][0]["reason"] == "复查无隐患"
    assert body["history"][0]["recorded_by"]["username"] == "laizhou_reviewer"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"fact": "shares_data", "value": True}, 400),  # no reason
        ({"fact": "city_government_approved", "value": True, "reason": "x"}, 400),
        ({"fact": "shares_data", "value": "maybe", "reason": "x"}, 400),
        ({"fact": ["shares_data"], "value": True, "reason": "x"}, 400),
        ({"fact": "shares_data", "value": True, "reason": "a\x00b"}, 400),
        ([], 400),
    ],
)
def test_bad_input_is_a_400_and_keeps_nothing(laizhou, body, status):
    project = operating(laizhou)
    response = client_for(laizhou.users[Role.REVIEWER]).post(
        f"/api/v1/projects/{project.pk}/findings/", body, format="json"
    )
    assert response.status_code == status, response.content
    assert not Finding.objects.exists()


def test_staff_may_not_find_and_finance_may_not_state(laizhou):
    project = operating(laizhou)
    url = f"/api/v1/projects/{project.pk}/findings/"
    staff = client_for(laizhou.users[Role.DEPARTMENT_STAFF])
    assert (
        staff.post(
            url, {"fact": "major_security_hazard", "value": True, "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    assert (
        staff.post(url, {"fact": "shares_data", "value": True, "reason": "x"}, format="json").status_code
        == 201
    )
    finance = client_for(laizhou.users[Role.FINANCE_OFFICER])
    assert (
        finance.post(url, {"fact": "shares_data", "value": True, "reason": "x"}, format="json").status_code
        == 403
    )
