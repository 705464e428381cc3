"""催办 from the home page (issue 11 §3, §5): 莱州's reviewer 李娜 opens her home, sees a project whose
yearly performance report (第二十四条) is overdue, and nudges its department with a message; a second
nudge the same day is refused, saying who nudged and when. The department's 张伟 then sees the
notification count, the overdue deadline on his own home, and the nudge in the project's timeline.
Also on a 375 px phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from projects.notifications.services import notification_mark_all_read
from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, log_out, messages

TITLE = "莱州市智慧城管平台"
REPORT = "laizhou.construction.performance_report_due"
DUTY = "建设期内每年年底前提交绩效评价报告"
MESSAGE = "请于本周五前报送本年度绩效评价报告。"


def _building_since_last_year(demo):
    """A project building for 400 days without its yearly report: the report is overdue."""
    from projects.deadlines.models import Deadline
    from projects.deadlines.sync import deadlines_sync
    from tests.conftest import advance

    project = demo.given_draft("laizhou", TITLE, category="digital_infrastructure", investment=300)
    advance(project, "in_construction", on=timezone.localdate() - dt.timedelta(days=400))
    deadlines_sync(project.pk)
    assert Deadline.objects.get(project=project, rule_id=REPORT).status == "overdue"
    return project


def _overdue_row(page):
    return page.locator("section#overdue tr").filter(has_text=DUTY).filter(has_text=TITLE)


@pytest.mark.browser_errors_allowed(r"status of 409 .*/nudges/")  # the second nudge is refused, on purpose
def test_a_reviewer_nudges_an_overdue_deadline_and_the_department_sees_it(page, phone, demo):
    project = _building_since_last_year(demo)
    notification_mark_all_read(user=demo.user("laizhou_staff"))  # what the demo told him before is read

    log_in(page, "laizhou_reviewer")
    page.goto("/")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()
    expect(page.get_by_role("link", name="项目列表")).to_be_visible()
    expect(page.locator("header a.overdue-link .badge")).to_be_visible()  # 逾期 N in the navigation
    row = _overdue_row(page)
    expect(row).to_contain_text("第二十四条")
    expect(row).to_contain_text("逾期")
    assert_speaks_chinese(page)

    row.get_by_role("link", name="催办").click()
    expect(page.get_by_role("heading", name="催办")).to_be_visible()
    expect(page.get_by_label(re.compile(DUTY))).to_be_checked()  # the deadline chosen on the home page
    page.get_by_label("催办内容").fill(MESSAGE)
    page.get_by_role("button", name="发送催办").click()
    expect(messages(page)).to_contain_text("催办已发送：张伟")
    expect(page.locator("section#nudges")).to_contain_text(MESSAGE)

    page.goto("/")
    expect(_overdue_row(page)).to_contain_text("今日已由李娜于")  # no button that could only be refused

    # A second nudge the same day: refused, naming who nudged and when.
    page.goto(f"/projects/{project.pk}/")
    page.locator("section#nudges").get_by_role("link", name="催办", exact=True).click()
    page.get_by_label(re.compile(DUTY)).check()
    page.get_by_label("催办内容").fill("再次催办")
    page.get_by_role("button", name="发送催办").click()
    refusal = messages(page)
    expect(refusal).to_contain_text("今天已催办过此项：李娜 已于")
    expect(refusal).to_contain_text("每项每天最多催办一次")
    assert_speaks_chinese(page)
    log_out(page)

    log_in(page, "laizhou_staff")
    page.goto("/")
    header = page.locator("header a.notifications-link")
    expect(header.locator(".badge")).to_have_text("1")
    expect(_overdue_row(page)).to_contain_text("莱州市大数据中心")  # his department owes it
    expect(_overdue_row(page).get_by_role("link", name="催办")).to_have_count(0)
    assert_speaks_chinese(page)

    header.click()
    notice = page.locator("li.notification").filter(has_text="催办（李娜）")
    expect(notice).to_contain_text(MESSAGE)
    notice.get_by_role("link", name=re.compile("催办（李娜）")).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    timeline = page.locator("section#timeline")
    expect(timeline).to_contain_text("李娜 催办")
    expect(timeline).to_contain_text(MESSAGE)
    expect(timeline).to_contain_text(f"催办事项：{DUTY}（第二十四条）")
    expect(timeline).to_contain_text("催办对象：张伟")

    log_in(phone, "laizhou_staff")
    phone.goto("/")
    expect(phone.locator("section#overdue")).to_contain_text(DUTY)
    assert_fits_phone(phone)
