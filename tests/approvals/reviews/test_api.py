"""The review steps API on the staged pack: 404 other tenant, 403 wrong role, 409 wrong state, 400 input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.reviews.models import ExpertAssignment, ReviewStep
from jurisdictions.models import Role
from projects.models import Project
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(project, suffix=""):
    return f"/api/v1/projects/{project.pk}/reviews/{suffix}"


def test_the_list_shows_the_steps_and_what_the_caller_may_do(staged, declared):
    steps = client_for(staged.users["cloud_reviewer"]).get(url(declared)).json()
    assert [s["code"] for s in steps] == ["pre_review", "expert_review"]
    pre, expert = steps
    assert pre["owed"] and pre["allowed"] == ["pass", "fail"] and pre["article"] == "第九条"
    assert not expert["owed"] and expert["allowed"] == ["organise"]  # any reviewer takes the data bureau's
    staff_view = client_for(staged.users[Role.DEPARTMENT_STAFF]).get(url(declared)).json()
    assert staff_view[0]["allowed"] == []


def test_another_tenant_gets_404(staged, staged_other, declared):
    outsider = client_for(staged_other.users[Role.REVIEWER])
    assert outsider.get(url(declared)).status_code == 404
    answer = outsider.post(url(declared, "pre_review/decide/"), {"outcome": "pass"}, format="json")
    assert answer.status_code == 404
    assert not ReviewStep.objects.exists()


def test_a_role_without_the_right_gets_403(staged, declared):
    for role in (Role.DEPARTMENT_STAFF, Role.AUDITOR, Role.FINANCE_OFFICER):
        answer = client_for(staged.users[role]).post(
            url(declared, "pre_review/decide/"), {"outcome": "pass"}, format="json"
        )
        assert answer.status_code == 403, role
        assert answer.json()["code"] == "permission_denied"
    assert not ReviewStep.objects.exists()


def test_a_reason_is_required_to_fail_and_a_wrong_state_is_409(staged, declared):
    client = client_for(staged.users["cloud_reviewer"])
    missing = client.post(
        url(declared, "pre_review/decide/"), {"outcome": "fail", "comment": ""}, format="json"
    )
    assert missing.status_code == 400 and "comment" in missing.json()["errors"]
    done = client.post(
        url(declared, "pre_review/decide/"),
        {"outcome": "fail", "comment": "不足", "file": SimpleUploadedFile("意见.pdf", PDF)},
        format="multipart",
    )
    assert done.status_code == 200, done.content
    assert done.json()[0]["rounds"][0]["file"].endswith(f"/file/step/{ReviewStep.objects.get().pk}/")
    again = client.post(url(declared, "pre_review/decide/"), {"outcome": "pass"}, format="json")
    assert again.status_code == 409 and again.json()["allowed"] == ["reopen"]
    assert client.post(url(declared, "pre_review/organise/"), {}, format="json").status_code == 409
    reopened = client.post(url(declared, "pre_review/reopen/"), {}, format="json")
    assert [r["status"] for r in reopened.json()[0]["rounds"]] == ["failed", "open"]


def test_experts_and_third_party_through_the_api(staged, declared):
    reviewer = client_for(staged.users[Role.REVIEWER])
    expert = staged.users[Role.EXPERT]
    # not organised yet: assigning is a wrong state
    assert (
        reviewer.post(
            url(declared, "expert_review/experts/"), {"expert": expert.pk}, format="json"
        ).status_code
        == 409
    )
    assert reviewer.post(url(declared, "expert_review/organise/"), {}, format="json").status_code == 200
    conflicted = reviewer.post(
        url(declared, "expert_review/experts/"), {"expert": staged.users["own_expert"].pk}, format="json"
    )
    assert conflicted.status_code == 400 and "申报部门" in conflicted.json()["detail"]
    made = reviewer.post(url(declared, "expert_review/experts/"), {"expert": expert.pk}, format="json")
    assert made.status_code == 201
    assignment = made.json()["id"]
    assert list(Project.objects.for_user(expert).values_list("pk", flat=True)) == [declared.pk]
    # the expert reads the project's steps, and answers only with the declaration
    as_expert = client_for(expert)
    assert as_expert.get(url(declared)).status_code == 200
    refused = as_expert.post(
        url(declared, f"assignments/{assignment}/opinion/"),
        {"no_conflict": False, "opinion": "agree"},
        format="json",
    )
    assert refused.status_code == 400 and "no_conflict" in refused.json()["errors"]
    assert (
        client_for(staged.users["expert_2"])
        .post(
            url(declared, f"assignments/{assignment}/opinion/"),
            {"no_conflict": True, "opinion": "agree"},
            format="json",
        )
        .status_code
        == 404
    )
    given = as_expert.post(
        url(declared, f"assignments/{assignment}/opinion/"),
        {"no_conflict": True, "opinion": "agree"},
        format="json",
    )
    assert given.status_code == 200 and given.json()["opinion"] == "agree"
    assert given.json()["no_conflict_declared_at"]
    recorded = reviewer.post(
        url(declared, "expert_review/third-party/"),
        {
            "organisation": "某咨询公司",
            "conclusion": "conditional",
            "file": SimpleUploadedFile("报告.pdf", PDF),
        },
        format="multipart",
    )
    assert recorded.status_code == 201 and recorded.json()["file"]
    passed = reviewer.post(url(declared, "expert_review/decide/"), {"outcome": "pass"}, format="json")
    assert passed.status_code == 200
    step = passed.json()[1]
    assert step["status"] == "passed" and step["rounds"][0]["assignments"][0]["expert"]["id"] == expert.pk
    assert ExpertAssignment.objects.get().submitted_at


def test_withdraw_through_the_api(staged, declared):
    reviewer = client_for(staged.users[Role.REVIEWER])
    expert = staged.users["expert_2"]
    reviewer.post(url(declared, "expert_review/organise/"), {}, format="json")
    assignment = reviewer.post(
        url(declared, "expert_review/experts/"), {"expert": expert.pk}, format="json"
    ).json()["id"]
    assert (
        client_for(staged.users[Role.DEPARTMENT_STAFF])
        .post(url(declared, f"assignments/{assignment}/withdraw/"), {}, format="json")
        .status_code
        == 403
    )
    done = reviewer.post(url(declared, f"assignments/{assignment}/withdraw/"), {}, format="json")
    assert done.status_code == 200 and done.json()["withdrawn"]
    assert not Project.objects.for_user(expert).exists()
    assert (
        reviewer.post(url(declared, f"assignments/{assignment}/withdraw/"), {}, format="json").status_code
        == 409
    )
    assert reviewer.post(url(declared, "assignments/abc/withdraw/"), {}, format="json").status_code == 404


def test_the_schema_documents_the_review_endpoints(staged):
    schema = client_for(staged.users[Role.REVIEWER]).get("/api/schema/")
    if schema.status_code == 404:
        pytest.skip("no schema URL")
    text = schema.content.decode()
    assert "/api/v1/projects/{id}/reviews/{code}/decide/" in text
