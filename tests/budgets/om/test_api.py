"""The O&M funding API: apply, read the answer rule by rule, decide; the finance queue and its queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgets.om.models import OmApplication, OmStatus
from tests.budgets.om.helpers import finance, laizhou_project, staff
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BODY = {"year": 2028, "amount_wan": "50", "term_years": "1", "submit": True}


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def test_apply_read_and_decide(laizhou):
    project = laizhou_project(laizhou, shares_data=False)
    created = client_for(staff(laizhou)).post(f"/api/v1/projects/{project.pk}/om/", BODY, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["application"]["status"] == "submitted"
    assert body["answer"]["code"] == "refused" and body["answer"]["label"] == "不予安排"
    first = body["answer"]["lines"][0]
    assert (first["rule_id"], first["article"]) == ("laizhou.om_funding.data_sharing", "第二十六条")
    assert "第二十六条" in first["citation"] and first["level"] == "refuse"
    assert body["answer"]["cap_wan"] == "60.00"
    pk = body["application"]["id"]
    url = f"/api/v1/projects/{project.pk}/om/{pk}/decide/"
    officer = client_for(finance(laizhou))
    refused = officer.post(url, {"decision": "approve"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "rule_violation"
    assert "第二十六条" in refused.json()["detail"]
    no_reason = officer.post(url, {"decision": "refuse"}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    done = officer.post(url, {"decision": "refuse", "reason": "数据未共享"}, format="json")
    assert done.status_code == 200 and done.json()["application"]["status"] == "refused"
    again = officer.post(url, {"decision": "refuse", "reason": "数据未共享"}, format="json")
    assert again.status_code == 409 and again.json()["allowed"] == ["create"]
    assert client_for(staff(laizhou)).post(url, {"decision": "approve"}, format="json").status_code == 403


def test_another_jurisdiction_gets_404(laizhou, pack_tenant):
    project = laizhou_project(laizhou)
    application = OmApplication.objects.get(
        pk=client_for(staff(laizhou))
        .post(f"/api/v1/projects/{project.pk}/om/", BODY, format="json")
        .json()["application"]["id"]
    )
    other = pack_tenant("nanchong")
    for url in (
        f"/api/v1/projects/{project.pk}/om/",
        f"/api/v1/projects/{project.pk}/om/{application.pk}/",
    ):
        assert client_for(finance(other)).get(url).status_code == 404
    decided = client_for(finance(other)).post(
        f"/api/v1/projects/{project.pk}/om/{application.pk}/decide/", {"decision": "approve"}, format="json"
    )
    assert decided.status_code == 404
    assert client_for(finance(other)).get("/api/v1/om/applications/").json()["results"] == []
    assert OmApplication.objects.get(pk=application.pk).status == OmStatus.SUBMITTED


@pytest.mark.parametrize(
    "body", [{"year": "abc"}, {"amount_wan": "1e999"}, {"term_years": -1}, {"year": 1e30}]
)
def test_bad_input_is_400(laizhou, body):
    project = laizhou_project(laizhou)
    response = client_for(staff(laizhou)).post(
        f"/api/v1/projects/{project.pk}/om/", {**BODY, **body}, format="json"
    )
    assert response.status_code == 400, response.content


def _fill_queue(tenant, count):
    for n in range(count):
        project = laizhou_project(tenant, title=f"莱州市治理平台{n}", shares_data=n % 2 == 0)
        client_for(staff(tenant)).post(f"/api/v1/projects/{project.pk}/om/", BODY, format="json")


def test_queue_lists_answers_in_constant_queries(laizhou):
    officer = client_for(finance(laizhou))
    _fill_queue(laizhou, 1)
    officer.get("/api/v1/om/applications/")
    with CaptureQueriesContext(connection) as one:
        first = officer.get("/api/v1/om/applications/")
    _fill_queue(laizhou, 11)
    officer.get("/api/v1/om/applications/")
    with CaptureQueriesContext(connection) as many:
        response = officer.get("/api/v1/om/applications/")
    assert first.json()["count"] == 1 and response.json()["count"] == 12
    assert len(many) <= len(one), (len(one), len(many))
    codes = [row["answer"]["code"] for row in response.json()["results"]]
    assert set(codes) == {"fundable", "refused"}
    assert client_for(staff(laizhou)).get("/api/v1/om/applications/").status_code == 403
    assert officer.get("/api/v1/om/applications/?page=²").status_code == 400
