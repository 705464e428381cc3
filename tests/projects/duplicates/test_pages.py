"""The 疑似重复项目 section of the project page and the reviewer's confirmation page."""

from __future__ import annotations

from django.test import Client

from jurisdictions.models import Role
from projects.duplicates.models import DuplicateFinding
from projects.models import AuditEvent
from tests.conftest import make_project


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_section_lists_similar_projects_in_chinese(alpha):
    project = make_project(alpha, title="全市统一身份认证平台")
    near = make_project(
        alpha, title="全市统一身份认证平台扩容", actor=alpha.other_staff, department=alpha.other_department
    )

    page = browser(alpha.users[Role.DEPARTMENT_STAFF]).get(f"/projects/{project.pk}/").content.decode()

    assert 'id="duplicates"' in page
    assert near.code in page and near.title in page and alpha.other_department.name in page
    assert "草稿" in page  # the phase in Chinese
    assert "疑似重复项目" in page and "相似度" in page  # the section speaks Chinese
    assert "%</td>" in page
    assert "duplicate-decide" not in page and "/duplicates/decide/" not in page  # staff do not decide


def test_other_roles_do_not_see_the_section(alpha):
    project = make_project(alpha)
    page = browser(alpha.users[Role.FINANCE_OFFICER]).get(f"/projects/{project.pk}/").content.decode()
    assert 'id="duplicates"' not in page


def test_a_reviewer_confirms_a_duplicate_and_sees_it_on_the_page(alpha):
    project = make_project(alpha, title="全市统一身份认证平台")
    near = make_project(alpha, title="全市统一身份认证平台扩容")
    reviewer = browser(alpha.users[Role.REVIEWER])
    page = reviewer.get(f"/projects/{project.pk}/").content.decode()
    decide = f"/projects/{project.pk}/duplicates/decide/"
    assert f"{decide}?verdict=duplicate_of&amp;other={near.pk}" in page

    confirm = reviewer.get(f"{decide}?verdict=duplicate_of&other={near.pk}").content.decode()
    assert near.code in confirm

    refused = reviewer.post(decide, {"verdict": "duplicate_of", "other": near.pk, "comment": ""})
    assert refused.status_code == 400
    assert not DuplicateFinding.objects.exists()

    done = reviewer.post(decide, {"verdict": "duplicate_of", "other": near.pk, "comment": "内容重复"})
    assert done.status_code == 302 and done["Location"] == f"/projects/{project.pk}/#duplicates"
    page = reviewer.get(f"/projects/{project.pk}/").content.decode()
    assert "内容重复" in page
    assert AuditEvent.objects.filter(project=project, action="duplicate_decision").exists()


def test_staff_cannot_post_a_decision(alpha):
    project = make_project(alpha)
    response = browser(alpha.users[Role.DEPARTMENT_STAFF]).post(
        f"/projects/{project.pk}/duplicates/decide/", {"verdict": "not_duplicate"}
    )
    assert response.status_code == 403
    assert not DuplicateFinding.objects.exists()
