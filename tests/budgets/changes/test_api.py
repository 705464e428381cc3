"""The change requests' API: what it answers, and how it refuses (400 naming fields, 403, 404, 409 with
`allowed`); the inbox items the changes put before the approver."""

from __future__ import annotations

import pytest
from django.utils import timezone

from approvals.inbox.services import pending_items
from budgets.changes.inbox import changes as change_source
from budgets.changes.models import ChangeRequest, ChangeStatus
from tests.budgets.changes.conftest import in_construction, reviewer, staff
from tests.budgets.changes.test_routing import terms
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_draft_preview_submit_and_decide(tenants):
    tenant = tenants("hongshan")
    project = in_construction(tenant, "hongshan", "1000")
    api = client_for(staff(tenant))
    base = f"/api/v1/projects/{project.pk}/changes/"
    preview = api.post(base + "preview/", terms(inc="200", dec="200"), format="json")
    assert preview.status_code == 200
    assert preview.json()["route"] == "follow_procedures" and preview.json()["article"] == "第二十三条"
    assert ChangeRequest.objects.count() == 0
    created = api.post(base, terms(inc="200", dec="200"), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (
        body["status"] == "draft"
        and body["ratio_percent"] == "20.00"
        and body["allowed"]
        == [
            "edit",
            "submit",
            "withdraw",
        ]
    )
    pk = body["id"]
    decide = client_for(reviewer(tenant))
    early = decide.post(
        f"{base}{pk}/approve/",
        {"document_number": "红政数〔2026〕1号", "decision_date": "2026-01-05", "amount_wan": "1000"},
        format="json",
    )
    assert early.status_code == 409 and early.json()["allowed"] == ["edit", "submit", "withdraw"]
    assert api.post(f"{base}{pk}/submit/", {}, format="json").json()["status"] == "submitted"
    assert decide.post(f"{base}{pk}/reject/", {"reason": ""}, format="json").json()["errors"]["reason"]
    assert api.post(f"{base}{pk}/return/", {"reason": "x"}, format="json").status_code == 403
    approved = decide.post(
        f"{base}{pk}/approve/",
        {
            "document_number": "红政数〔2026〕1号",
            "decision_date": str(timezone.localdate()),
            "amount_wan": "1000",
        },
        format="json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    listed = api.get(base).json()
    assert listed["baseline"]["amount_wan"] == "1000.00" and listed["baseline"]["change_request"] == pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": "", "increases_wan": "1", "reason": "business_need"}, "content"),
        ({"content": "x", "increases_wan": "-1", "reason": "business_need"}, "increases_wan"),
        ({"content": "x", "increases_wan": "1e99", "reason": "business_need"}, "increases_wan"),
        ({"content": "x", "increases_wan": "1", "reason": "whim"}, "reason"),
        ({"content": "x", "reason": "business_need"}, "increases_wan"),
        (
            {"content": "x", "increases_wan": "1", "new_content_wan": "2", "reason": "business_need"},
            "new_content_wan",
        ),
        ({"content": "x\x00", "increases_wan": "1", "reason": "business_need"}, "content"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(tenants, body, field):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    response = client_for(staff(tenant)).post(f"/api/v1/projects/{project.pk}/changes/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


@pytest.mark.parametrize("request_id", ["abc", "²", str(2**64), "0", "999999"])
def test_a_request_that_cannot_be_there_is_a_404(tenants, request_id):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    api = client_for(staff(tenant))
    assert api.get(f"/api/v1/projects/{project.pk}/changes/{request_id}/").status_code == 404
    assert (
        api.post(f"/api/v1/projects/{project.pk}/changes/{request_id}/submit/", {}, format="json").status_code
        == 404
    )


def test_another_projects_request_is_not_there(tenants):
    tenant = tenants("baotou")
    one, two = in_construction(tenant, "baotou", "1000"), in_construction(tenant, "baotou", "800")
    api = client_for(staff(tenant))
    pk = api.post(f"/api/v1/projects/{one.pk}/changes/", terms(inc="1", dec="1"), format="json").json()["id"]
    assert api.get(f"/api/v1/projects/{two.pk}/changes/{pk}/").status_code == 404


def test_the_schema_documents_the_routes(tenants):
    tenant = tenants("baotou")
    schema = client_for(staff(tenant)).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for suffix in (
        "",
        "preview/",
        "{request_id}/",
        "{request_id}/submit/",
        "{request_id}/approve/",
        "accounts/",
    ):
        assert f"/api/v1/projects/{{id}}/changes/{suffix}" in paths, suffix


def test_the_inbox_holds_changes_to_decide_and_to_acknowledge(tenants):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    api = client_for(staff(tenant))
    base = f"/api/v1/projects/{project.pk}/changes/"
    filed = api.post(base, terms(inc="50", dec="50"), format="json").json()["id"]
    assert api.post(f"{base}{filed}/submit/", {}, format="json").json()["status"] == ChangeStatus.FILED
    submitted = api.post(base, terms(inc="300", dec="300"), format="json").json()["id"]
    assert (
        api.post(f"{base}{submitted}/submit/", {}, format="json").json()["status"] == ChangeStatus.SUBMITTED
    )
    items = [i for i in pending_items(reviewer(tenant)) if i.kind == "change"]
    assert sorted((int(i.key), i.what) for i in items) == [
        (filed, "项目调整备案（待知悉）"),
        (submitted, "项目调整申请（待审批）"),
    ]
    assert change_source.count(reviewer(tenant)) == 2
    assert change_source.pending(staff(tenant)) == []  # nothing waits on whoever filed it
    change_source.decide(reviewer(tenant), str(filed), "approve", "")
    assert [int(i.key) for i in change_source.pending(reviewer(tenant))] == [submitted]
    assert [int(i.key) for i in change_source.done(reviewer(tenant))] == [filed]
