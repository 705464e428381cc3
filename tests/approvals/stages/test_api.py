"""The stages API: list, decisions, and what a wrong state, role, tenant or missing document answers."""

from __future__ import annotations

import datetime as dt

import pytest

from jurisdictions.models import Role
from tests.approvals.stages.conftest import give_opinions, in_review
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def url(project, tail=""):
    return f"/api/v1/projects/{project.pk}/stages/{tail}"


def test_a_project_through_the_api(staged):
    project = in_review(staged, "30")
    give_opinions(staged, project)
    staff, reviewer = client_for(staged.users[Role.DEPARTMENT_STAFF]), client_for(staged.users[Role.REVIEWER])
    listed = staff.get(url(project)).json()
    assert listed["track"] == "implementation_plan" and listed["stages"][0]["allowed"] == ["submit"]
    assert staff.post(url(project, "implementation_plan/submit/"), {}, format="json").status_code == 200
    # 403: staff do not pass reviews; 409: approve before the review passed, with what is allowed
    assert staff.post(url(project, "implementation_plan/pass-review/"), {}, format="json").status_code == 403
    body = {
        "document_number": "步政数审〔2026〕3号",
        "decision_date": dt.date.today().isoformat(),
        "amount_wan": "30",
    }
    wrong = reviewer.post(url(project, "implementation_plan/approve/"), body, format="json")
    assert wrong.status_code == 409 and "pass_review" in wrong.json()["allowed"]
    assert (
        reviewer.post(url(project, "implementation_plan/pass-review/"), {}, format="json").status_code == 200
    )
    missing = reviewer.post(
        url(project, "implementation_plan/approve/"), {**body, "document_number": ""}, format="json"
    )
    assert missing.status_code == 400
    done = reviewer.post(url(project, "implementation_plan/approve/"), body, format="json")
    assert done.status_code == 200, done.content
    data = done.json()
    assert data["baseline"]["amount_wan"] == "30.00"
    assert data["stages"][0]["latest"]["document_number"] == "步政数审〔2026〕3号"
    project.refresh_from_db()
    assert project.phase == "approved"


def test_missing_document_is_a_400_naming_it(staged):
    project = in_review(staged, "150")
    give_opinions(staged, project)
    staff, reviewer = client_for(staged.users[Role.DEPARTMENT_STAFF]), client_for(staged.users[Role.REVIEWER])
    today = dt.date.today().isoformat()
    staff.post(url(project, "fsr/submit/"), {}, format="json")
    reviewer.post(url(project, "fsr/pass-review/"), {}, format="json")
    reviewer.post(
        url(project, "fsr/approve/"),
        {"document_number": "1号", "decision_date": today, "amount_wan": "100"},
        format="json",
    )
    refused = staff.post(
        url(project, "preliminary_design/submit/"), {"requested_amount_wan": "120"}, format="json"
    )
    assert refused.status_code == 400
    assert (
        "初步设计超出可研批复的说明" in refused.json()["detail"] and "第二十三条" in refused.json()["detail"]
    )


def test_another_tenant_gets_404(staged, staged_other):
    project = in_review(staged, "30")
    outsider = client_for(staged_other.users[Role.REVIEWER])
    assert outsider.get(url(project)).status_code == 404
    assert (
        outsider.post(url(project, "implementation_plan/return/"), {"reason": "x"}, format="json").status_code
        == 404
    )


def test_return_and_reject_need_a_reason(staged):
    project = in_review(staged, "30")
    staff, reviewer = client_for(staged.users[Role.DEPARTMENT_STAFF]), client_for(staged.users[Role.REVIEWER])
    staff.post(url(project, "implementation_plan/submit/"), {}, format="json")
    assert (
        reviewer.post(url(project, "implementation_plan/return/"), {"reason": ""}, format="json").status_code
        == 400
    )
    assert (
        reviewer.post(url(project, "implementation_plan/reject/"), {"reason": " "}, format="json").status_code
        == 400
    )
    assert (
        reviewer.post(
            url(project, "implementation_plan/reject/"), {"reason": "不予批准"}, format="json"
        ).status_code
        == 200
    )
    project.refresh_from_db()
    assert project.phase == "rejected"


def test_plain_approve_is_a_409_for_a_staged_pack(staged):
    project = in_review(staged, "30")
    response = client_for(staged.users[Role.REVIEWER]).post(
        f"/api/v1/projects/{project.pk}/transitions/", {"transition": "approve"}, format="json"
    )
    assert response.status_code == 409
