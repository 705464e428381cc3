"""审核人员 A reviewer of 包头市: enters a declared project into the library; a rule refuses a decision."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_speaks_chinese, detail, log_in, messages, section

RESUBMITTED = "包头市住房公积金业务系统改造"  # returned for revision earlier, now declared again
OVERDUE = "包头市不动产登记信息平台升级"  # in the library, with a rectification past its deadline


def test_reviewer_enters_a_declared_project_into_the_library(page, demo):
    demo.given_transition("baotou_staff", RESUBMITTED, "resubmit")

    log_in(page, "baotou_reviewer")
    page.get_by_label("阶段").select_option(label="已申报")  # filters in place (htmx)

    table = page.get_by_role("table")
    expect(table.get_by_role("link", name=RESUBMITTED, exact=True)).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the one declared project
    assert_speaks_chinese(page)
    table.get_by_role("link", name=RESUBMITTED, exact=True).click()

    expect(detail(page, "阶段")).to_have_text("已申报")
    decision = page.locator("form.intake-enter-library")
    decision.get_by_label("意见").fill("符合入库条件")
    decision.get_by_label(re.compile("确认")).check()  # a final step asks for confirmation
    decision.get_by_role("button", name="纳入项目库").click()

    expect(messages(page)).to_contain_text("纳入项目库")
    expect(detail(page, "阶段")).to_have_text("已入库")
    entry = section(page, "办理记录").get_by_role("listitem").last
    expect(entry).to_contain_text("纳入项目库")
    expect(entry).to_contain_text("已申报 → 已入库")
    expect(entry).to_contain_text("李娜")  # people by name: the demo reviewer
    expect(entry).to_contain_text("符合入库条件")


def _overdue_project_in_the_library(demo):
    overdue = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    demo.given_draft(
        "baotou", OVERDUE, category="business", investment=150, facts={"rectification_due_date": overdue}
    )
    demo.given_transition("baotou_staff", OVERDUE, "declare")
    demo.given_transition("baotou_reviewer", OVERDUE, "enter_library")


def test_a_decision_refused_by_a_rule_shows_the_reason_and_the_article(page, demo):
    _overdue_project_in_the_library(demo)

    log_in(page, "baotou_reviewer")  # projects enter the annual plan when the plan is published
    page.get_by_role("link", name="年度计划").click()
    page.get_by_label("计划年度").fill("2030")
    page.get_by_role("button", name="新建计划").click()
    page.get_by_label(re.compile(OVERDUE)).check()
    page.get_by_role("button", name="加入计划").click()
    page.get_by_role("link", name="发布计划").click()
    page.get_by_label(re.compile("我确认")).check()
    page.get_by_role("button", name="发布", exact=True).click()

    expect(messages(page)).to_contain_text(OVERDUE)  # the refusal names the project
    expect(messages(page)).to_contain_text("第二十五条")  # 包头 第二十五条: rectify by the deadline
    expect(messages(page)).to_contain_text("前完成整改")
    expect(detail(page, "状态")).to_have_text("编制中")
    page.get_by_role("link", name=OVERDUE, exact=True).click()
    expect(detail(page, "阶段")).to_have_text("已入库")
    expect(section(page, "办理记录").get_by_role("listitem").last).not_to_contain_text("列入年度计划")
