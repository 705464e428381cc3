"""The opinions API: list, request, 加签, answer, re-request; 404 / 403 / 409 / 400; the approve gate."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.opinions.models import OpinionRequest
from jurisdictions.models import Role
from projects.gates import gates_error, open_gates
from projects.models import AuditEvent
from projects.selectors import pack_for_project
from tests.approvals.opinions.conftest import in_review, requested
from tests.conftest import client_for

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(project, suffix=""):
    return f"/api/v1/projects/{project.pk}/opinions/{suffix}"


def request_id(project, code):
    return OpinionRequest.objects.filter(project=project, code=code).order_by("-round").first().pk


def test_request_list_answer_and_the_date(staged, project):
    reviewer = client_for(staged.users[Role.REVIEWER])
    listed = reviewer.get(url(project)).json()
    assert (listed["mode"], listed["article"], listed["round"], listed["requests"]) == (
        "all",
        "第十一条",
        0,
        [],
    )

    posted = reviewer.post(url(project, "request/"))
    assert posted.status_code == 200, posted.content
    assert [r["code"] for r in posted.json()["requests"]] == ["crypto", "protection_level"]
    assert reviewer.post(url(project, "request/")).status_code == 409

    secrecy = client_for(staged.users["secrecy_reviewer"])
    answered = secrecy.post(
        url(project, f"{request_id(project, 'crypto')}/answer/"),
        {
            "answer": "agree_with_conditions",
            "comment": "须通过密评",
            "file": SimpleUploadedFile("意见.pdf", PDF),
        },
        format="multipart",
    )
    assert answered.status_code == 200, answered.content
    crypto = next(r for r in answered.json()["requests"] if r["code"] == "crypto")
    assert (crypto["answer"], crypto["comment"], crypto["file_name"]) == (
        "agree_with_conditions",
        "须通过密评",
        "意见.pdf",
    )
    assert answered.json()["prerequisites_complete_date"] is None

    done = client_for(staged.users["police_reviewer"]).post(
        url(project, f"{request_id(project, 'protection_level')}/answer/"), {"answer": "agree"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["complete"] is True and done.json()["prerequisites_complete_date"]


def test_refusals_are_404_403_409_400(staged, staged_other, alpha):
    project = requested(staged)
    crypto = request_id(project, "crypto")
    # another tenant: 404, the project is not there for them
    assert client_for(staged_other.users[Role.REVIEWER]).get(url(project)).status_code == 404
    assert (
        client_for(staged_other.users["secrecy_reviewer"])
        .post(url(project, f"{crypto}/answer/"), {"answer": "agree"}, format="json")
        .status_code
        == 404
    )
    # a request of no such id: 404; a bad id: 404
    secrecy = client_for(staged.users["secrecy_reviewer"])
    assert secrecy.post(url(project, "999999/answer/"), {"answer": "agree"}, format="json").status_code == 404
    # the wrong body, the filer, a role without the right: 403
    assert (
        client_for(staged.users["police_reviewer"])
        .post(url(project, f"{crypto}/answer/"), {"answer": "agree"}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(staged.users[Role.DEPARTMENT_STAFF])
        .post(url(project, "rerequest/"), {"reason": "x"})
        .status_code
        == 403
    )
    assert client_for(staged.users["secrecy_reviewer"]).post(url(project, "request/")).status_code == 403
    # input: 400 (no comment to disagree, unknown answer, no reason)
    assert (
        secrecy.post(url(project, f"{crypto}/answer/"), {"answer": "disagree"}, format="json").status_code
        == 400
    )
    assert (
        secrecy.post(url(project, f"{crypto}/answer/"), {"answer": "perhaps"}, format="json").status_code
        == 400
    )
    reviewer = client_for(staged.users[Role.REVIEWER])
    assert reviewer.post(url(project, "rerequest/"), {"reason": ""}, format="json").status_code == 400
    assert (
        reviewer.post(
            url(project, "signers/"),
            {"department": staged.bodies["cloud_centre"].pk, "role": "reviewer"},
            format="json",
        ).status_code
        == 400
    )
    # state: nothing answered yet → re-request 409; answered twice → 409
    assert reviewer.post(url(project, "rerequest/"), {"reason": "再议"}, format="json").status_code == 409
    assert (
        secrecy.post(url(project, f"{crypto}/answer/"), {"answer": "agree"}, format="json").status_code == 200
    )
    assert (
        secrecy.post(url(project, f"{crypto}/answer/"), {"answer": "agree"}, format="json").status_code == 409
    )
    # a pack without opinions has none: 404
    plain = in_review(alpha)
    assert client_for(alpha.users[Role.REVIEWER]).get(url(plain)).status_code == 404
    assert client_for(alpha.users[Role.REVIEWER]).post(url(plain, "request/")).status_code == 404


def test_add_signer_and_rerequest_keep_the_rounds(staged):
    project = requested(staged)
    reviewer = client_for(staged.users[Role.REVIEWER])
    added = reviewer.post(
        url(project, "signers/"),
        {"department": staged.bodies["cloud_centre"].pk, "role": "reviewer", "reason": "涉及云资源"},
        format="json",
    )
    assert added.status_code == 200, added.content
    assert [r["code"] for r in added.json()["requests"]][-1] == "added-1"
    client_for(staged.users["cloud_reviewer"]).post(
        url(project, f"{request_id(project, 'added-1')}/answer/"),
        {"answer": "disagree", "comment": "资源不足"},
        format="json",
    )
    again = reviewer.post(url(project, "rerequest/"), {"reason": "已调整资源"}, format="json")
    assert again.status_code == 200
    rounds = sorted({(r["round"], r["code"]) for r in again.json()["requests"]})
    assert rounds == [
        (1, "added-1"),
        (1, "crypto"),
        (1, "protection_level"),
        (2, "added-1"),
        (2, "crypto"),
        (2, "protection_level"),
    ]
    assert (
        AuditEvent.objects.filter(project=project, action="opinions_rerequested").get().comment
        == "已调整资源"
    )


def test_approve_is_refused_naming_the_departments_and_the_article(staged):
    """Approval is decided stage by stage (approvals.stages): before each, open_gates is asked with the
    stage; the refusal it makes is a 400 naming the bodies and the article, whatever the stage."""
    project = requested(staged)
    spec = pack_for_project(project).spec
    for stage in (None, "fsr", "implementation_plan"):
        owed = open_gates(project, "approve", spec, stage=stage)
        error = gates_error("approve", owed, pack_for_project(project))
        assert error.http_status == 400
        assert "尚未收到保密局、公安局的会签意见（第十一条）" in error.message
    assert open_gates(project, "enter_library", spec) == [] or all(
        g.kind != "opinions" for g in open_gates(project, "enter_library", spec)
    )
