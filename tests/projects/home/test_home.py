"""The home page per role (issue 11 §5): 待办, due within 30 days, overdue (with 催办), recent activity,
the finance officer's O&M queue, the header's overdue count; constant queries; other tenants see none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jurisdictions.models import Role
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.deadlines.sync import deadlines_sync
from projects.models import AuditEvent
from projects.nudges.services import nudge_send
from tests.budgets.om.helpers import laizhou_project
from tests.conftest import advance, make_project

pytestmark = pytest.mark.django_db
REPORT = "laizhou.construction.performance_report_due"
REPORT_TITLE = "建设期内每年年底前提交绩效评价报告"
SOON_TITLE = "测试：30天内到期的期限"
TITLE = "莱州市智慧城管平台"


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _deadline(project, rule_id: str, due: dt.date, *, title: str = SOON_TITLE, status=DeadlineStatus.OPEN):
    return Deadline.objects.create(
        project=project,
        jurisdiction=project.jurisdiction,
        rule_id=rule_id,
        kind="deadline",
        article="第二十四条",
        title_zh=title,
        title_en="test",
        due_date=due,
        status=status,
        responsible_role=Role.DEPARTMENT_STAFF,
        responsible_department=project.department,
        responsible_name=project.department.name,
    )


@pytest.fixture
def world(pack_tenant):
    """莱州: a project building since last year (its yearly report overdue), one due in 10 days, and a
    declaration waiting on the reviewers."""
    tenant = pack_tenant("laizhou")
    started = timezone.localdate() - dt.timedelta(days=400)
    project = advance(
        make_project(tenant, title=TITLE, category="digital_infrastructure", facts=None),
        "in_construction",
        on=started,
    )
    deadlines_sync(project.pk)
    soon = _deadline(project, "laizhou.test.soon", timezone.localdate() + dt.timedelta(days=10))
    declared = advance(
        make_project(tenant, title="莱州市待入库项目", category="digital_infrastructure", facts=None),
        "declared",
    )
    return tenant, project, soon, declared


def _section(body: str, anchor: str) -> str:
    return body.split(f'id="{anchor}"')[1].split("</section>")[0]


def test_a_visitor_is_sent_to_sign_in_and_signing_in_lands_home(world):
    tenant = world[0]
    assert Client().get("/")["Location"] == reverse("login")
    tenant.users[Role.REVIEWER].set_password("pw-for-tests-2026")
    tenant.users[Role.REVIEWER].save()
    signed_in = Client().post(
        reverse("login"), {"username": tenant.users[Role.REVIEWER].username, "password": "pw-for-tests-2026"}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")


def test_the_reviewers_home(world):
    tenant, project, soon, declared = world
    page = _browser(tenant.users[Role.REVIEWER]).get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "我的工作台" in body and reverse("projects:list") in body and "项目列表" in body
    todo = _section(body, "todo")
    assert "待办" in todo and declared.title in todo and "（1）" in todo
    due = _section(body, "due-soon")
    assert "30天内到期" in due and SOON_TITLE in due and TITLE in due
    assert soon.due_date.isoformat() in due and "个工作日" in due and project.department.name in due
    late = _section(body, "overdue")
    assert "已逾期" in late and REPORT_TITLE in late and "第二十四条" in late and "逾期" in late
    row = Deadline.objects.get(project=project, rule_id=REPORT)
    assert f"{reverse('projects:nudge', args=[project.pk])}?deadline={row.pk}" in late
    assert SOON_TITLE not in late and REPORT_TITLE not in due
    activity = _section(body, "activity")
    assert "我的项目最近动态" in activity and TITLE in activity
    assert tenant.users[Role.DEPARTMENT_STAFF].get_full_name() in activity  # who, by name
    assert REPORT not in body and "laizhou.test" not in body  # no rule id for a person to read
    assert "om-queue" not in body  # not a finance officer


def test_overdue_comes_most_overdue_first_and_shows_todays_nudge(world):
    tenant, project, _soon, _declared = world
    older = _deadline(
        project,
        "laizhou.test.older",
        timezone.localdate() - dt.timedelta(days=800),
        title="更早逾期的期限",
        status=DeadlineStatus.OVERDUE,
    )
    # Open but past due: the daily scan has not marked it yet; it is overdue all the same.
    _deadline(
        project, "laizhou.test.unscanned", timezone.localdate() - dt.timedelta(days=1), title="昨日到期"
    )
    reviewer = tenant.users[Role.REVIEWER]
    reviewer.first_name = "王芳"
    reviewer.save()
    nudge_send(actor=reviewer, project_id=project.pk, deadline_id=older.pk, message="请尽快办理")
    late = _section(_browser(reviewer).get("/").content.decode(), "overdue")
    assert late.index("更早逾期的期限") < late.index(REPORT_TITLE) < late.index("昨日到期")
    assert "今日已由王芳于" in late and "（3）" in late
    assert f"?deadline={older.pk}" not in late  # nudged today: no button that can only be refused


def test_staff_see_their_departments_deadlines_and_no_nudge_button(world):
    tenant, project, _soon, _declared = world
    body = _browser(tenant.users[Role.DEPARTMENT_STAFF]).get("/").content.decode()
    assert 'id="todo"' not in body  # department staff decide nothing in the inbox
    assert SOON_TITLE in _section(body, "due-soon")
    late = _section(body, "overdue")
    assert REPORT_TITLE in late and reverse("projects:nudge", args=[project.pk]) not in late
    other = _browser(tenant.other_staff).get("/").content.decode()
    assert SOON_TITLE not in other and REPORT_TITLE not in other and TITLE not in other


def test_another_jurisdiction_sees_none_of_it(world, pack_tenant):
    other = pack_tenant("ordos")
    for role in Role.values:
        body = _browser(other.users[role]).get("/").content.decode()
        assert TITLE not in body and SOON_TITLE not in body and REPORT_TITLE not in body, role


def test_an_expert_gets_no_deadlines(world):
    tenant = world[0]
    page = _browser(tenant.users[Role.EXPERT]).get("/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="overdue"' not in body and 'id="due-soon"' not in body
    count = _browser(tenant.users[Role.EXPERT]).get(reverse("projects:overdue-count"))
    assert count.status_code == 200 and count.content.strip() == b""


def test_the_header_counts_overdue_items(world):
    tenant, _project, _soon, _declared = world
    count = _browser(tenant.users[Role.REVIEWER]).get(reverse("projects:overdue-count")).content.decode()
    assert "逾期" in count and '<span class="badge" title="1">1</span>' in count
    assert reverse("home") + "#overdue" in count
    assert _browser(tenant.other_staff).get(reverse("projects:overdue-count")).content.strip() == b""
    page = _browser(tenant.users[Role.REVIEWER]).get(reverse("projects:list")).content.decode()
    assert reverse("projects:overdue-count") in page  # every page asks for it once loaded


def test_the_finance_officers_home_keeps_the_om_queue(world):
    tenant = world[0]
    project = laizhou_project(tenant, title="莱州市运维项目")
    staff = _browser(tenant.users[Role.DEPARTMENT_STAFF])
    staff.post(
        reverse("projects:om-apply", args=[project.pk]),
        {"year": 2028, "amount_wan": "50", "term_years": "1", "comment": "", "confirm": "on"},
    )
    body = _browser(tenant.users[Role.FINANCE_OFFICER]).get("/").content.decode()
    om = _section(body, "om")
    assert "运维经费申请" in om and 'class="list stack om-queue"' in om and "om-decisions" in om
    assert "莱州市运维项目" in om and reverse("projects:om-queue") in body
    assert 'id="overdue"' in body  # the jurisdiction's deadlines too


def test_the_home_costs_the_same_for_5_and_50_deadlines_and_events(world, django_assert_max_num_queries):
    tenant, project, _soon, _declared = world
    reviewer = tenant.users[Role.REVIEWER]
    browser = _browser(reviewer)
    today = timezone.localdate()

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            _deadline(project, f"laizhou.test.s{i}", today + dt.timedelta(days=1 + i % 29))
            _deadline(
                project,
                f"laizhou.test.o{i}",
                today - dt.timedelta(days=1 + i),
                status=DeadlineStatus.OVERDUE,
            )
            AuditEvent.objects.record(project, reviewer, "update", comment=f"第{i}次修改")

    add(5, 0)
    browser.get("/")
    with CaptureQueriesContext(connection) as few:
        browser.get("/")
    add(45, 5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = browser.get("/").content.decode()
    assert "（51）" in _section(body, "due-soon")  # 50 added and the one of the fixture
    assert "共 51 项" in _section(body, "due-soon")
    count_url = reverse("projects:overdue-count")
    browser.get(count_url)
    with CaptureQueriesContext(connection) as counted:
        assert ">51<" in browser.get(count_url).content.decode()  # 50 added and the yearly report
    assert len([q for q in counted.captured_queries if "projects_deadline" in q["sql"]]) == 1


def test_the_home_fits_the_phone_markup(world):
    """Every table of the home stacks on a phone (table.stack) and every cell names its column."""
    tenant = world[0]
    body = _browser(tenant.users[Role.REVIEWER]).get("/").content.decode()
    assert body.count("<table") == body.count('class="list stack')
    assert "<td>" not in body.replace("<td colspan", "")
