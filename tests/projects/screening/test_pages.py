"""The screening section and its pages: input kept on errors, hits shown with why, the review."""

from __future__ import annotations

import re

from django.test import Client

from jurisdictions.models import Role
from projects.screening.models import ScreeningAnswer
from projects.services import transition_project
from tests.conftest import make_project
from tests.projects.test_project_form import assert_no_codes


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_staff_answer_on_the_questionnaire_and_the_project_page_shows_the_hit(alpha):
    project = make_project(alpha)
    staff = browser(alpha.users[Role.DEPARTMENT_STAFF])
    detail = staff.get(f"/projects/{project.pk}/").content.decode()
    assert "负面清单筛查" in detail or "Negative-list screening" in detail
    assert f"/projects/{project.pk}/screening/" in detail

    page = staff.get(f"/projects/{project.pk}/screening/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "（一）重复建设" in html and "第九条" in html
    assert_no_codes(html)

    refused = staff.post(
        f"/projects/{project.pk}/screening/",
        {"screening-applies_duplicate": "applies", "screening-explanation_duplicate": ""},
    )
    assert refused.status_code == 400
    assert re.search(r'<input[^>]*value="applies"[^>]*checked', refused.content.decode())
    assert not ScreeningAnswer.objects.exists()

    saved = staff.post(
        f"/projects/{project.pk}/screening/",
        {"screening-applies_duplicate": "applies", "screening-explanation_duplicate": "与市级平台功能重复"},
    )
    assert saved.status_code == 302
    detail = staff.get(f"/projects/{project.pk}/").content.decode()
    assert "screening-hits" in detail and "与市级平台功能重复" in detail
    assert_no_codes(detail)


def test_reviewer_overrules_on_the_review_page(alpha):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    browser(staff).post(f"/projects/{project.pk}/screening/", {"screening-applies_duplicate": "not_applies"})
    transition_project(actor=staff, project_id=project.pk, name="declare")
    reviewer = browser(alpha.users[Role.REVIEWER])
    assert (
        f"/projects/{project.pk}/screening/review/"
        in reviewer.get(f"/projects/{project.pk}/").content.decode()
    )

    refused = reviewer.post(
        f"/projects/{project.pk}/screening/review/", {"review-decision_duplicate": "overrule"}
    )
    assert refused.status_code == 400
    saved = reviewer.post(
        f"/projects/{project.pk}/screening/review/",
        {"review-decision_duplicate": "overrule", "review-comment_duplicate": "与市级平台重复"},
    )
    assert saved.status_code == 302
    row = ScreeningAnswer.objects.get(project=project)
    assert row.reviewed_applies is True and row.review_comment == "与市级平台重复"
    assert "与市级平台重复" in reviewer.get(f"/projects/{project.pk}/").content.decode()


def test_staff_may_not_review_and_another_tenant_gets_404(alpha, beta):
    project = make_project(alpha)
    staff = browser(alpha.users[Role.DEPARTMENT_STAFF])
    staff.post(f"/projects/{project.pk}/screening/", {"screening-applies_duplicate": "not_applies"})
    transition_project(actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare")
    refused = staff.post(
        f"/projects/{project.pk}/screening/review/", {"review-decision_duplicate": "confirm"}
    )
    assert refused.status_code == 403  # a role without the right, said as such
    assert ScreeningAnswer.objects.get(project=project).reviewed_at is None
    assert (
        browser(beta.users[Role.DEPARTMENT_STAFF]).get(f"/projects/{project.pk}/screening/").status_code
        == 404
    )
