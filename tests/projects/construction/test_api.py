"""The construction API: each door answers as the conventions say (201/200, 400, 403, 404, 409)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jurisdictions.models import Role
from projects.construction.rules import report_requirement
from tests.conftest import client_for
from tests.projects.construction.conftest import approved, reviewer, staff

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 64 + b"\n%%EOF\n"
TODAY = timezone.localdate()


def base(project) -> str:
    return f"/api/v1/projects/{project.pk}/construction/"


def test_supervision_and_procurement(pack_tenant):
    tenant = pack_tenant("laizhou")
    other = pack_tenant("ordos")
    project = approved(tenant, "laizhou", "600")
    api = client_for(staff(tenant))
    overview = api.get(base(project)).json()
    assert overview["supervision_status"] == "required" and overview["supervision_articles"] == ["第二十三条"]
    body = {"company": "信诚监理", "contract_number": "JL-1", "contract_date": TODAY.isoformat()}
    assert (
        client_for(reviewer(tenant)).post(base(project) + "supervision/", body, format="json").status_code
        == 403
    )
    assert (
        client_for(other.users[Role.DEPARTMENT_STAFF])
        .post(base(project) + "supervision/", body, format="json")
        .status_code
        == 404
    )
    bad = api.post(base(project) + "supervision/", {**body, "contract_date": "2026-13-01"}, format="json")
    assert bad.status_code == 400 and "contract_date" in bad.json()["errors"]
    done = api.post(base(project) + "supervision/", body, format="json")
    assert done.status_code == 201 and done.json()["supervision"]["company"] == "信诚监理"
    done = api.post(
        base(project) + "procurement/",
        {
            "started_on": (TODAY - dt.timedelta(days=5)).isoformat(),
            "method": "public_tender",
            "supplier": "数智科技",
            "contract_number": "HT-1",
            "contract_date": TODAY.isoformat(),
            "contract_amount_wan": "590.00",
            "ip_terms_stated": True,
        },
        format="json",
    )
    assert done.status_code == 201, done.content
    assert done.json()["procurement"]["contract_amount_wan"] == "590.00"
    assert api.get("/api/v1/projects/abc/construction/").status_code == 400


def test_reports_and_incidents(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "400", phase="in_construction")
    api = client_for(staff(tenant))
    body = {"year": TODAY.year, "progress": "进展", "investment": "投资"}
    missing = api.post(base(project) + "reports/", body, format="multipart")
    assert missing.status_code == 400 and "第二十四条" in missing.json()["detail"]
    files = {
        f"file_{code}": SimpleUploadedFile(f"{code}.pdf", PDF) for code in report_requirement(project).codes
    }
    done = api.post(base(project) + "reports/", {**body, **files}, format="multipart")
    assert done.status_code == 201, done.content
    assert done.json()["report_years"][-1] == {"year": TODAY.year, "submitted": True, "missing": False}
    again = api.post(base(project) + "reports/", {**body, **files}, format="multipart")
    assert again.status_code == 409
    incident = {"kind": "major_change", "happened": "需求变化", "impact": "工期", "measures": "调整"}
    assert (
        api.post(base(project) + "incidents/", incident, format="multipart").status_code == 400
    )  # no report
    done = api.post(
        base(project) + "incidents/",
        {**incident, "file": SimpleUploadedFile("报告.pdf", PDF)},
        format="multipart",
    )
    assert done.status_code == 201
    pk = done.json()["incidents"][0]["id"]
    approver = client_for(reviewer(tenant))
    action = f"{base(project)}incidents/{pk}/"
    assert approver.post(action + "confirm/", {}, format="json").status_code == 409
    assert (
        api.post(action + "rectify/", {"due_date": "2099-01-01", "reason": "x"}, format="json").status_code
        == 403
    )
    assert (
        approver.post(
            action + "rectify/", {"due_date": "2099-01-01", "reason": ""}, format="json"
        ).status_code
        == 400
    )
    assert approver.post(f"{base(project)}incidents/x/confirm/", {}, format="json").status_code == 404
    due = (TODAY + dt.timedelta(days=20)).isoformat()
    ordered = approver.post(action + "rectify/", {"due_date": due, "reason": "整改"}, format="json")
    assert ordered.status_code == 200 and ordered.json()["incidents"][0]["rectification_due_date"] == due
    assert api.post(action + "report-done/", {"summary": "已完成"}, format="json").status_code == 200
    confirmed = approver.post(action + "confirm/", {"comment": "同意"}, format="json")
    assert confirmed.status_code == 200 and confirmed.json()["incidents"][0]["status"] == "closed"


def test_the_schema_documents_the_construction_routes(pack_tenant):
    tenant = pack_tenant("laizhou")
    schema = client_for(staff(tenant)).get("/api/schema/", {"format": "json"})
    paths = schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(schema.content)["paths"]
    for path in (
        "/api/v1/projects/{id}/construction/",
        "/api/v1/projects/{id}/construction/supervision/",
        "/api/v1/projects/{id}/construction/reports/",
        "/api/v1/projects/{id}/construction/incidents/{incident}/rectify/",
    ):
        assert path in paths, path
    rectify = paths["/api/v1/projects/{id}/construction/incidents/{incident}/rectify/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(rectify["responses"])


@pytest.mark.parametrize("body", [[None, None], "text", 7])
def test_a_report_body_that_is_not_an_object_is_a_400(pack_tenant, body):
    # The fuzzer sent `[null, null]` (a JSON list) and the view took it for an object: a 500.
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600")
    answer = client_for(staff(tenant)).post(base(project) + "reports/", body, format="json")
    assert answer.status_code == 400, answer.content
