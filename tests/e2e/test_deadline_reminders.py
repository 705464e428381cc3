"""Deadlines that remind (issue 11 §8), on 鄂尔多斯's measure, in the browser.

鄂尔多斯's administrator sets the reminders (two working days before, every working day overdue,
escalated after two to the reviewer lead 李娜). Staff report a serious delay; the reviewer orders
rectification two working days out (第二十七条): the project's 期限 shows it. The morning scan reminds
the staff member in the notification centre and by e-mail; two working days past the due date it
escalates to the lead; the reviewer sends a 催办 that reaches the staff member, and a second one the
same day is refused; the rectification reported and confirmed closes the deadline.

Set up outside the pages: the project put in 建设中 (how it got there is other journeys' business) and
the staff member's e-mail address. The scan is what beat runs each morning: the journey runs its task
for today and for a day two working days past the due date, as the days would.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, log_out, messages, section
from tests.e2e.test_construction import _attach_all

TITLE = "鄂尔多斯市城市运行监测平台"
DUTY = "限期整改（第二十七条）"


def _building(demo):
    from projects.notifications.services import notification_mark_all_read
    from tests.conftest import advance

    project = demo.given_draft("ordos", TITLE, category="software", investment=150)
    project = advance(project, "in_construction")
    staff = demo.user("ordos_staff")
    staff.email = "ordos_staff@example.gov.cn"
    staff.save()
    for name in ("ordos_staff", "ordos_reviewer"):
        notification_mark_all_read(user=demo.user(name))  # what the demo told them before is read
    return project, staff


def _morning_scan(day) -> None:
    """What Celery beat runs each morning (projects.deadlines.scan), on `day`."""
    from projects.deadlines.tasks import scan_deadlines

    scan_deadlines.delay(day.isoformat())


def _centre(page):
    page.locator("header a.notifications-link").click()
    return page.locator("li.notification")


@pytest.mark.browser_errors_allowed(r"status of 409 .*/nudges/")  # the second 催办 the same day, refused
def test_a_deadline_reminds_escalates_is_nudged_and_closes(page, phone, demo, tmp_path):
    from jurisdictions.models import Jurisdiction
    from jurisdictions.selectors import add_working_days

    project, staff = _building(demo)
    ordos = Jurisdiction.objects.get(code="ordos")
    today = timezone.localdate()
    due = add_working_days(today, 2, ordos).date

    # the administrator sets the reminders
    log_in(page, "ordos_admin")
    page.get_by_role("link", name="提醒设置").click()
    page.get_by_label("到期前提醒（工作日）").fill("2, 0")
    page.get_by_label("逾期后每隔几个工作日提醒一次").fill("1")
    page.get_by_label("逾期多少个工作日后督办").fill("2")
    page.get_by_label("接收督办的审核负责人").select_option(label="李娜")
    assert_speaks_chinese(page)
    page.get_by_role("button", name="保存").click()
    expect(messages(page)).to_contain_text("提醒设置已保存")
    log_out(page)

    # staff report a serious delay
    log_in(page, "ordos_staff")
    page.goto(f"/projects/{project.pk}/")
    page.get_by_role("link", name="报告严重逾期、重大损失或重大变更").click()
    page.get_by_label("类型").select_option(label="工程严重逾期")
    page.get_by_label("发生的情况").fill("数据中台供货延迟，关键节点逾期两个月")
    page.get_by_label("影响").fill("年度建设目标无法按期完成")
    page.get_by_label("已采取或拟采取的措施").fill("督促供应商增派人员")
    _attach_all(page, tmp_path)
    page.get_by_label(re.compile("我确认将本报告报送")).check()
    page.get_by_role("button", name="报送报告").click()
    expect(messages(page)).to_contain_text("报告已报送项目审批部门")
    log_out(page)

    # the reviewer orders rectification two working days out: the project's deadlines show it
    log_in(page, "ordos_reviewer")
    page.goto("/projects/inbox/")
    page.locator("tr", has_text="工程严重逾期报告").get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="责令限期整改").click()
    page.get_by_label("整改期限").fill(due.isoformat())
    page.get_by_label("整改要求").fill("两个工作日内完成供货并提交整改报告")
    page.get_by_role("button", name="责令限期整改").click()
    expect(page.locator(".rectify-by")).to_have_text(due.isoformat())
    page.goto(f"/projects/{project.pk}/")
    row = (
        section(page, "期限")
        .locator("tr.deadline-row")
        .filter(has_text="限期整改")
        .filter(has_text="第二十七条")
    )
    expect(row.locator(".deadline-due")).to_contain_text(due.isoformat())
    expect(row.locator(".deadline-status")).to_have_text("未到期")
    log_out(page)

    # the morning scan: two working days before, the staff member is reminded, in the centre and by mail
    _morning_scan(today)
    log_in(page, "ordos_staff")
    expect(page.locator("header a.notifications-link .badge")).to_have_text("2")  # the order, the reminder
    reminder = _centre(page).filter(has_text="还剩2个工作日")
    expect(reminder).to_contain_text(TITLE)
    expect(reminder).to_contain_text(DUTY)
    assert_speaks_chinese(page)
    [mailed] = [m for m in mail.outbox if m.to == [staff.email] and "还剩2个工作日" in m.subject]
    assert TITLE in mailed.subject and "/notifications/" in mailed.body
    log_out(page)

    # two working days past the due date: overdue, and escalated to the lead
    _morning_scan(add_working_days(due, 2, ordos).date)
    log_in(phone, "ordos_reviewer")
    escalation = _centre(phone).filter(has_text="逾期督办")
    expect(escalation).to_contain_text(TITLE)
    assert_fits_phone(phone)

    # the lead sends a 催办 about the deadline; a second one the same day is refused
    escalation.get_by_role("link").first.click()
    phone.goto(f"/projects/{project.pk}/")
    phone.get_by_role("link", name="催办", exact=True).click()
    phone.get_by_label(re.compile("限期整改")).check()
    phone.get_by_label("催办内容").fill("请今日内报告整改情况")
    phone.get_by_role("button", name="发送催办").click()
    expect(messages(phone)).to_contain_text("催办已发送")
    phone.goto(f"/projects/{project.pk}/")
    phone.get_by_role("link", name="催办", exact=True).click()
    phone.get_by_label(re.compile("限期整改")).check()
    phone.get_by_label("催办内容").fill("再次催办")
    phone.get_by_role("button", name="发送催办").click()
    expect(messages(phone)).to_contain_text("今天已")
    log_out(phone)

    # the staff member reads the 催办, reports the rectification; the reviewer confirms; it is met
    log_in(page, "ordos_staff")
    expect(_centre(page).filter(has_text="请今日内报告整改情况")).to_have_count(1)
    page.goto(f"/projects/{project.pk}/construction/")
    page.locator(".incident-list a").first.click()
    page.get_by_role("link", name="报告整改完成").click()
    page.get_by_label("整改情况").fill("设备已到货安装，关键节点追回")
    page.get_by_role("button", name="报告整改完成").click()
    expect(page.locator("h1 .status")).to_have_text("整改已报告，待审批部门确认")
    log_out(page)
    log_in(page, "ordos_reviewer")
    page.goto("/projects/inbox/")
    page.locator("tr", has_text="工程严重逾期报告").get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="确认整改完成").click()
    page.get_by_label(re.compile("我确认整改已完成")).check()
    page.get_by_role("button", name="确认整改完成").click()
    expect(page.locator("h1 .status")).to_have_text("整改已确认")
    page.goto(f"/projects/{project.pk}/")
    row = (
        section(page, "期限")
        .locator("tr.deadline-row")
        .filter(has_text="限期整改")
        .filter(has_text="第二十七条")
    )
    expect(row.locator(".deadline-status")).to_contain_text("已完成")
    expect(section(page, "办理记录")).to_contain_text("催办")
    assert_speaks_chinese(page)
