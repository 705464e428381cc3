"""The `documents` fact comes from the current accepted uploads, one project at a time and in a batch."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jurisdictions.models import Role
from projects.documents import services
from projects.models import Project
from projects.selectors import evaluate_projects, project_facts, project_verdicts
from tests.conftest import make_project
from tests.projects.documents import files

AS_OF = dt.date(2026, 11, 23)


def upload(tenant, project, code, content=files.PDF, name="文件.pdf"):
    return services.document_upload(
        actor=tenant.users[Role.DEPARTMENT_STAFF],
        project_id=project.pk,
        code=code,
        file=files.upload(name, content),
    )


def declaration_verdict(verdicts):
    return next(v for v in verdicts if v.kind == "required_documents")


def test_without_records_the_stored_fact_stands_and_records_override_it(alpha):
    project = make_project(alpha)  # stored fact: proposal and fsr on file
    assert project_facts(project)["documents"] == {"proposal", "fsr"}
    assert declaration_verdict(project_verdicts(project, as_of=AS_OF)[1]).outcome == "pass"

    upload(alpha, project, "proposal")

    assert project_facts(project)["documents"] == {"proposal"}  # the stored fsr no longer counts
    verdict = declaration_verdict(project_verdicts(project, as_of=AS_OF)[1])
    assert verdict.outcome == "fail"
    assert [d["code"] for d in verdict.data["missing"]] == ["fsr"]


def test_a_rejected_document_is_not_on_file(alpha):
    project = make_project(alpha, facts={})
    document = upload(alpha, project, "proposal")
    upload(alpha, project, "fsr")
    assert project_facts(project)["documents"] == {"proposal", "fsr"}
    services.document_reject(
        actor=alpha.users[Role.REVIEWER], project_id=project.pk, document_id=document.pk, reason="缺章节"
    )
    assert project_facts(project)["documents"] == {"fsr"}


def test_batch_evaluation_derives_the_same_fact_in_a_fixed_number_of_queries(alpha):
    plain = make_project(alpha, title="无上传")  # stored fact only
    partial = make_project(alpha, title="部分上传")
    upload(alpha, partial, "proposal")
    rejected = make_project(alpha, title="被退回的文件", facts={})
    upload(alpha, rejected, "fsr", content=files.DOCX, name="可研.docx")
    services.document_reject(
        actor=alpha.users[Role.REVIEWER],
        project_id=rejected.pk,
        document_id=rejected.documents.get().pk,
        reason="不完整",
    )
    full = make_project(alpha, title="齐全", facts={})
    upload(alpha, full, "proposal")
    upload(alpha, full, "fsr")
    upload(alpha, full, "fsr", content=files.XLSX, name="可研.xlsx")  # a second version

    expected = {
        project.pk: project_verdicts(project, as_of=AS_OF)[1]
        for project in Project.objects.select_related("jurisdiction", "rule_pack").order_by("pk")
    }
    outcomes = {pk: declaration_verdict(v).outcome.value for pk, v in expected.items()}
    assert outcomes == {plain.pk: "pass", partial.pk: "fail", rejected.pk: "fail", full.pk: "pass"}

    def batch():
        return {
            e.project.pk: e.verdicts
            for e in evaluate_projects(Project.objects.all(), as_of=AS_OF, messages=True)
        }

    assert batch() == expected
    with CaptureQueriesContext(connection) as few:
        batch()
    for n in range(4):
        upload(alpha, make_project(alpha, title=f"更多{n}"), "proposal")
    with CaptureQueriesContext(connection) as many:
        assert len(batch()) == 8
    assert len(many) == len(few)
