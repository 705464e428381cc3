"""The documents API: upload, list, checklist, download through the permission check, reject."""

from __future__ import annotations

import hashlib

import pytest
from rest_framework.test import APIClient

from jurisdictions.models import Role
from projects.documents.models import ProjectDocument
from projects.models import AuditEvent
from security.models import SecurityEvent
from tests.conftest import client_for, make_project
from tests.projects.documents import files


def post_file(client, project, code="proposal", name="项目建议书.pdf", content=files.PDF, note=""):
    return client.post(
        f"/api/v1/projects/{project.pk}/documents/",
        {"code": code, "file": files.upload(name, content), "note": note},
        format="multipart",
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_upload_then_download_the_same_bytes(alpha):
    project = make_project(alpha)
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])

    created = post_file(staff, project, note="第一稿")

    assert created.status_code == 201, created.content
    document = created.json()
    assert document["sha256"] == hashlib.sha256(files.PDF).hexdigest()
    assert document["size"] == len(files.PDF)
    assert document["kind"] == "pdf"
    assert document["name"] == {"zh": "项目建议书", "en": "Project proposal"}
    assert document["uploaded_by"]["username"] == "alpha_department_staff"
    assert document["current"] is True and document["rejected"] is False
    for role in (Role.REVIEWER, Role.AUDITOR, Role.DEPARTMENT_STAFF):
        response = client_for(alpha.users[role]).get(document["download"])
        assert response.status_code == 200
        assert body(response) == files.PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        assert response["X-Document-SHA256"] == document["sha256"]


def test_download_is_404_for_another_tenant_an_unknown_id_and_a_role_without_the_project(alpha, beta):
    project = make_project(alpha)
    document = post_file(client_for(alpha.users[Role.DEPARTMENT_STAFF]), project).json()
    for user in (beta.users[Role.REVIEWER], beta.users[Role.JURISDICTION_ADMIN], alpha.users[Role.EXPERT]):
        response = client_for(user).get(document["download"])
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert client_for(alpha.other_staff).get(document["download"]).status_code == 404
    unknown = f"/api/v1/projects/{project.pk}/documents/999999/download"
    assert client_for(alpha.users[Role.REVIEWER]).get(unknown).status_code == 404
    assert APIClient().get(document["download"]).status_code == 401
    # A document id of another project (one of the same tenant the reader may see) is not found either.
    other = make_project(alpha, title="另一个")
    assert (
        client_for(alpha.users[Role.REVIEWER])
        .get(f"/api/v1/projects/{other.pk}/documents/{document['id']}/download")
        .status_code
        == 404
    )


def test_a_renamed_program_is_refused_with_the_reason(alpha):
    project = make_project(alpha)
    response = post_file(client_for(alpha.users[Role.DEPARTMENT_STAFF]), project, content=files.EXE)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "file" in response.json()["errors"]
    assert not ProjectDocument.objects.exists()


def test_oversize_and_unknown_code_are_refused(alpha, settings):
    settings.DOCUMENT_MAX_MB = 1
    project = make_project(alpha)
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    big = post_file(staff, project, content=files.PDF + b"x" * (1024 * 1024))
    assert big.status_code == 400 and "file" in big.json()["errors"]
    unknown = post_file(staff, project, code="selfie")
    assert unknown.status_code == 400 and "code" in unknown.json()["errors"]


def test_a_reviewer_may_not_upload_and_the_refusal_is_logged(alpha):
    project = make_project(alpha)
    response = post_file(client_for(alpha.users[Role.REVIEWER]), project)
    assert response.status_code == 403
    assert SecurityEvent.objects.filter(data__action="document_upload").exists()


def test_list_keeps_every_version_and_checklist_follows_the_uploads(alpha):
    project = make_project(alpha, facts={})
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    post_file(staff, project)
    post_file(staff, project, name="项目建议书v2.pdf")
    listed = staff.get(f"/api/v1/projects/{project.pk}/documents/").json()
    assert [(d["version"], d["current"]) for d in listed] == [(2, True), (1, False)]

    checklist = staff.get(f"/api/v1/projects/{project.pk}/documents/checklist/").json()
    (stage,) = checklist
    assert stage["title"] == "申报材料"
    assert stage["citation"].endswith("第八条")
    assert [(i["code"], i["status"]) for i in stage["items"]] == [("proposal", "on_file"), ("fsr", "missing")]
    assert stage["items"][0]["document"] == listed[0]["id"]


def test_reject_needs_a_reason_and_is_audited(alpha):
    project = make_project(alpha)
    document = post_file(client_for(alpha.users[Role.DEPARTMENT_STAFF]), project).json()
    reviewer = client_for(alpha.users[Role.REVIEWER])
    url = f"/api/v1/projects/{project.pk}/documents/{document['id']}/reject/"

    assert reviewer.post(url, {}, format="json").status_code == 400
    assert reviewer.post(url, {"reason": ""}, format="json").status_code == 400
    response = reviewer.post(url, {"reason": "签章缺失"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["rejected"] is True
    assert response.json()["rejection_reason"] == "签章缺失"
    assert AuditEvent.objects.filter(project=project, action="document_reject", comment="签章缺失").exists()
    checklist = reviewer.get(f"/api/v1/projects/{project.pk}/documents/checklist/").json()
    assert checklist[0]["items"][0]["status"] == "missing"


@pytest.mark.parametrize("path", ["documents/", "documents/checklist/", "documents/1/download"])
def test_a_project_id_that_is_not_a_number_is_a_400(alpha, path):
    response = client_for(alpha.users[Role.REVIEWER]).get(f"/api/v1/projects/abc/{path}")
    assert response.status_code == 400


def test_ids_out_of_range_are_not_found_and_odd_file_names_are_cleaned(alpha):
    project = make_project(alpha)
    reviewer = client_for(alpha.users[Role.REVIEWER])
    huge = "9" * 30
    assert reviewer.get(f"/api/v1/projects/{project.pk}/documents/{huge}/download").status_code == 404
    assert (
        reviewer.post(
            f"/api/v1/projects/{project.pk}/documents/{huge}/reject/", {"reason": "无"}, format="json"
        ).status_code
        == 404
    )
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    created = post_file(staff, project, name="项目\x00建议\x07书.pdf")
    assert created.status_code == 201, created.content
    assert created.json()["original_name"] == "项目建议书.pdf"
