"""The approval stages' texts are written as the stages come (the design after the FSR's reply): uploaded
in review until their stage is submitted, held while it is under review, free again once it is decided."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from approvals.stages import services
from govproj.errors import InvalidTransition
from jurisdictions.models import Role
from projects.documents.services import document_upload
from projects.services import transition_project
from tests.approvals.stages.conftest import in_review
from tests.conftest import make_project

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 100 + b"\n%%EOF\n"


def upload(tenant, project, code):
    return document_upload(
        actor=tenant.users[Role.DEPARTMENT_STAFF],
        project_id=project.pk,
        code=code,
        file=ContentFile(PDF, name=f"{code}.pdf"),
    )


def test_a_stage_text_is_uploaded_in_review_and_held_while_its_stage_is_under_review(staged):
    project = in_review(staged)
    upload(staged, project, "preliminary_design")  # the next stage's text, before it is submitted
    services.stage_submit(actor=staged.users[Role.DEPARTMENT_STAFF], project_id=project.pk, code="fsr")
    with pytest.raises(InvalidTransition) as held:
        upload(staged, project, "fsr")
    assert "可行性研究报告审批" in held.value.message
    upload(staged, project, "preliminary_design")  # another stage's text is not held
    services.stage_withdraw(actor=staged.users[Role.DEPARTMENT_STAFF], project_id=project.pk, code="fsr")
    upload(staged, project, "fsr")  # withdrawn: the department may replace it


def test_a_declared_project_still_keeps_its_documents_as_filed(staged):
    project = make_project(staged, facts={"documents": ["proposal"]})
    transition_project(actor=staged.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare")
    with pytest.raises(InvalidTransition):
        upload(staged, project, "proposal")


def test_what_the_plan_asks_for_is_uploaded_in_the_library(staged):
    """莱州 第十条's cost evaluation comes after library entry and before the plan."""
    from projects.models import Project

    project = make_project(staged, facts={"documents": ["proposal"]})
    Project.objects.filter(pk=project.pk).update(phase="in_library")
    assert upload(staged, project, "fsr").code == "fsr"
