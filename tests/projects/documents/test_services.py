"""Upload and reject: typed by content, versions kept, the `documents` fact derived, audit events written."""

from __future__ import annotations

import hashlib

import pytest

from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects import services as project_services
from projects.documents import services
from projects.documents.models import ProjectDocument
from projects.models import AuditEvent
from projects.selectors import project_facts
from tests.conftest import make_project
from tests.projects.documents import files


def upload(tenant, project, code="proposal", name="项目建议书.pdf", content=files.PDF, **kwargs):
    return services.document_upload(
        actor=kwargs.pop("actor", tenant.users[Role.DEPARTMENT_STAFF]),
        project_id=project.pk,
        code=code,
        file=files.upload(name, content),
        **kwargs,
    )


def test_a_pdf_is_kept_with_its_digest_size_uploader_and_an_audit_event(alpha):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]

    document = upload(alpha, project, note="第一稿")

    document.refresh_from_db()
    assert (document.code, document.version, document.kind) == ("proposal", 1, "pdf")
    assert document.sha256 == hashlib.sha256(files.PDF).hexdigest()
    assert document.size == len(files.PDF)
    assert document.original_name == "项目建议书.pdf"
    assert document.uploaded_by == staff and document.created_at is not None
    assert document.is_current and not document.is_rejected
    with document.file.open("rb") as stored:
        assert stored.read() == files.PDF
    assert "项目建议书" not in document.file.name  # stored under a name the uploader did not choose
    event = AuditEvent.objects.filter(project=project).last()
    assert (event.action, event.actor, event.comment) == ("document_upload", staff, "第一稿")
    assert event.changes["document"] == "proposal"
    assert event.changes["sha256"] == document.sha256
    assert event.from_phase == event.to_phase == "draft"


def test_a_new_upload_supersedes_the_current_one_and_history_is_kept(alpha):
    project = make_project(alpha)
    first = upload(alpha, project, content=files.PDF)
    second = upload(alpha, project, name="项目建议书（修改）.docx", content=files.DOCX)

    first.refresh_from_db()
    assert first.superseded_at is not None and not first.is_current
    assert (second.version, second.kind, second.is_current) == (2, "docx", True)
    assert list(ProjectDocument.objects.filter(project=project).values_list("version", flat=True)) == [2, 1]
    with first.file.open("rb") as stored:
        assert stored.read() == files.PDF  # the earlier version's file is still there
    uploads = AuditEvent.objects.filter(project=project, action="document_upload")
    assert [e.changes["version"] for e in uploads] == [1, 2]
    assert uploads.last().changes["supersedes"] == first.pk


@pytest.mark.parametrize(
    ("name", "content", "field"),
    [
        ("项目建议书.pdf", files.EXE, "file"),  # a program renamed .pdf
        ("项目建议书.pdf", files.TEXT, "file"),  # text renamed .pdf
    ],
)
def test_a_renamed_file_is_refused_by_its_content(alpha, name, content, field):
    project = make_project(alpha)
    with pytest.raises(ValidationFailed) as refused:
        upload(alpha, project, name=name, content=content)
    assert field in refused.value.extra["errors"]
    assert not ProjectDocument.objects.exists()
    assert not AuditEvent.objects.filter(action="document_upload").exists()


def test_an_oversize_file_is_refused(alpha, settings):
    settings.DOCUMENT_MAX_MB = 1
    project = make_project(alpha)
    with pytest.raises(ValidationFailed) as refused:
        upload(alpha, project, content=files.PDF + b"x" * (1024 * 1024))
    assert "1 MB" in refused.value.message
    assert not ProjectDocument.objects.exists()


def test_an_unknown_document_code_is_refused(alpha):
    project = make_project(alpha)
    with pytest.raises(ValidationFailed) as refused:
        upload(alpha, project, code="selfie")
    assert "code" in refused.value.extra["errors"]


def test_only_the_departments_staff_upload_and_only_while_draft_or_returned(alpha, beta):
    project = make_project(alpha)
    with pytest.raises(NotPermitted):
        upload(alpha, project, actor=alpha.users[Role.REVIEWER])
    with pytest.raises(NotFound):
        upload(alpha, project, actor=alpha.other_staff)  # another department does not see it
    with pytest.raises(NotFound):
        upload(alpha, project, actor=beta.users[Role.DEPARTMENT_STAFF])  # nor another jurisdiction
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    project_services.transition_project(actor=staff, project_id=project.pk, name="declare")
    with pytest.raises(InvalidTransition):
        upload(alpha, project)
    project_services.transition_project(
        actor=alpha.users[Role.REVIEWER], project_id=project.pk, name="return_for_revision", comment="请补充"
    )
    assert upload(alpha, project).version == 1  # returned for revision: uploads allowed again


def test_reject_needs_a_reason_and_then_the_code_leaves_the_documents_fact(alpha):
    project = make_project(alpha)
    proposal = upload(alpha, project, code="proposal")
    upload(alpha, project, code="fsr", name="可研.pdf")
    reviewer = alpha.users[Role.REVIEWER]
    assert project_facts(project)["documents"] == {"proposal", "fsr"}

    with pytest.raises(ValidationFailed) as refused:
        services.document_reject(actor=reviewer, project_id=project.pk, document_id=proposal.pk, reason="  ")
    assert "reason" in refused.value.extra["errors"]

    rejected = services.document_reject(
        actor=reviewer, project_id=project.pk, document_id=proposal.pk, reason="缺少建设内容章节"
    )

    assert rejected.is_rejected and rejected.rejected_by == reviewer
    assert rejected.rejection_reason == "缺少建设内容章节"
    assert project_facts(project)["documents"] == {"fsr"}
    event = AuditEvent.objects.filter(project=project).last()
    assert (event.action, event.actor, event.comment) == ("document_reject", reviewer, "缺少建设内容章节")
    assert event.changes["document"] == "proposal"
    with pytest.raises(InvalidTransition):  # once is enough
        services.document_reject(
            actor=reviewer, project_id=project.pk, document_id=proposal.pk, reason="再次"
        )


def test_separation_of_duties_and_roles_on_reject(alpha):
    project = make_project(alpha)
    document = upload(alpha, project)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    for actor in (staff, alpha.users[Role.FINANCE_OFFICER]):
        with pytest.raises(NotPermitted):
            services.document_reject(
                actor=actor, project_id=project.pk, document_id=document.pk, reason="不行"
            )
    reviewer = alpha.users[Role.REVIEWER]
    # A reviewer who filed the project (here: its creator also holds a reviewer role) may not decide on it.
    from tests.factories import MembershipFactory

    MembershipFactory(user=staff, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER, department=None)
    with pytest.raises(NotPermitted):
        services.document_reject(actor=staff, project_id=project.pk, document_id=document.pk, reason="不行")
    assert not ProjectDocument.objects.get(pk=document.pk).is_rejected
    services.document_reject(actor=reviewer, project_id=project.pk, document_id=document.pk, reason="不行")


def test_a_superseded_version_cannot_be_rejected_and_an_upload_replaces_a_rejected_one(alpha):
    project = make_project(alpha)
    first = upload(alpha, project)
    reviewer = alpha.users[Role.REVIEWER]
    services.document_reject(actor=reviewer, project_id=project.pk, document_id=first.pk, reason="模糊")
    assert project_facts(project)["documents"] == frozenset()
    second = upload(alpha, project)
    assert project_facts(project)["documents"] == {"proposal"}
    with pytest.raises(InvalidTransition):
        services.document_reject(actor=reviewer, project_id=project.pk, document_id=first.pk, reason="旧的")
    assert second.version == 2
