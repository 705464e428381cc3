"""The 「期限」 section, waiving a deadline on its page and through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Role
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.deadlines.sync import deadlines_sync
from projects.models import AuditEvent
from tests.conftest import advance, client_for, make_project

pytestmark = pytest.mark.django_db
REPORT = "laizhou.construction.performance_report_due"


@pytest.fixture
def building(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = advance(make_project(tenant, category="digital_infrastructure", facts=None), "in_construction")
    deadlines_sync(project.pk)
    return tenant, project, Deadline.objects.get(project=project, rule_id=REPORT)


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_project_page_lists_its_deadlines_in_chinese(building):
    tenant, project, row = building
    page = _browser(tenant.users[Role.DEPARTMENT_STAFF]).get(reverse("projects:detail", args=[project.pk]))
    text = page.content.decode()
    section = text.split('id="deadlines"')[1].split("</section>")[0]
    assert "建设期内每年年底前提交绩效评价报告" in section and "第二十四条" in section
    assert row.due_date.isoformat() in section
    assert "未到期" in section
    assert "豁免" not in section  # staff may not waive
    assert REPORT not in section


def test_a_reviewer_waives_with_a_reason_and_the_timeline_says_so(building):
    tenant, project, row = building
    reviewer = _browser(tenant.users[Role.REVIEWER])
    url = reverse("projects:deadline-waive", args=[project.pk, row.pk])
    assert reviewer.post(url, {"reason": "项目暂停建设"}).status_code == 400  # no confirmation
    done = reviewer.post(url, {"reason": "项目暂停建设", "confirm": "on"})
    assert done.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.waived_reason, row.waived_by) == (
        DeadlineStatus.WAIVED,
        "项目暂停建设",
        tenant.users[Role.REVIEWER],
    )
    assert AuditEvent.objects.filter(project=project).last().action == "deadline_waived"
    deadlines_sync(project.pk)
    row.refresh_from_db()
    assert row.status == DeadlineStatus.WAIVED  # a resync keeps the waiver
    assert reviewer.post(url, {"reason": "再次", "confirm": "on"}).status_code == 409


def test_the_api_lists_and_waives(building, pack_tenant):
    tenant, project, row = building
    api = client_for(tenant.users[Role.REVIEWER])
    listed = api.get(f"/api/v1/projects/{project.pk}/deadlines/").json()
    report = next(d for d in listed if d["rule_id"] == REPORT)
    assert report["article"] == "第二十四条" and report["certain"] is True
    url = f"/api/v1/projects/{project.pk}/deadlines/{row.pk}/waive/"
    assert api.post(url, {}, format="json").status_code == 400
    assert (
        client_for(tenant.users[Role.DEPARTMENT_STAFF]).post(url, {"reason": "x"}, format="json").status_code
        == 403
    )
    other = pack_tenant("ordos")
    assert client_for(other.users[Role.REVIEWER]).post(url, {"reason": "x"}, format="json").status_code == 404
    assert (
        api.post(
            f"/api/v1/projects/{project.pk}/deadlines/abc/waive/", {"reason": "x"}, format="json"
        ).status_code
        == 404
    )
    done = api.post(url, {"reason": "项目暂停"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "waived"


def test_the_section_costs_the_same_for_few_and_many_deadlines(building, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tenant, project, _row = building
    browser = _browser(tenant.users[Role.REVIEWER])
    url = reverse("projects:detail", args=[project.pk])
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for i in range(20):
        Deadline.objects.create(
            project=project,
            jurisdiction=project.jurisdiction,
            rule_id=f"laizhou.x.r{i}",
            kind="deadline",
            article="第二十四条",
            title_zh="测试期限",
            title_en="test",
            due_date=dt.date(2027, 1, 1) + dt.timedelta(days=i),
            responsible_role=Role.DEPARTMENT_STAFF,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        browser.get(url)
