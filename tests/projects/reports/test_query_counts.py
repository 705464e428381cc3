"""The report lists take a constant number of queries however many reports they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jurisdictions.models import Role
from projects.reports.models import Report, ReportStatus
from tests.conftest import client_for, make_project
from tests.test_query_counts import page_client, queries

pytestmark = pytest.mark.django_db


def _printed(tenant, project, count: int) -> None:
    """`count` finished reports of the project, each requested by another person of the jurisdiction."""
    people = [tenant.users[role] for role in (Role.REVIEWER, Role.AUDITOR, Role.DEPARTMENT_STAFF)]
    start = Report.objects.count()
    Report.objects.bulk_create(
        Report(
            jurisdiction=tenant.jurisdiction,
            project=project,
            kind="review_summary",
            subject_key=f"project:{project.pk}",
            subject_label="项目评审与会签意见",
            title=f"{project.title} · 评审意见汇总",
            document_number=f"测试〔2026〕{start + n}号",
            rule_pack=project.rule_pack,
            requested_by=people[n % len(people)],
            status=ReportStatus.DONE,
            progress=100,
            file=f"reports/{tenant.jurisdiction.pk}/walk{start + n}.pdf",
            file_name="评审意见汇总.pdf",
            size=100,
            sha256="0" * 64,
        )
        for n in range(count)
    )


@pytest.mark.parametrize(
    ("door", "ceiling"),
    [("api", 3), ("api-project", 4), ("centre", 11), ("offers", 20)],
)
def test_report_lists(alpha, door, ceiling):
    reviewer = alpha.users[Role.REVIEWER]
    project = make_project(alpha)
    page = page_client(reviewer)
    call = {
        "api": lambda: client_for(reviewer).get("/api/v1/reports/"),
        "api-project": lambda: client_for(reviewer).get("/api/v1/reports/", {"project": project.pk}),
        "centre": lambda: page.get(reverse("reports:centre")),
        "offers": lambda: page.get(
            reverse("projects:report-offers", args=[project.pk]), HTTP_HX_REQUEST="true"
        ),
    }[door]
    _printed(alpha, project, 1)
    few = queries(call)
    _printed(alpha, project, 9)
    assert queries(call) == few <= ceiling
