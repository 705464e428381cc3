"""审核人员 红山区's reviewer works through 待审核申报: returns a declaration with a reason staff then read;
staff withdraw another declaration after confirming it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_on_screen,
    assert_speaks_chinese,
    detail,
    log_in,
    log_out,
    messages,
    section,
)

QUEUED = "红山区社区养老服务信息平台"  # declared by 红山 staff before the journey
WITHDRAWN = "红山区政务热线知识库"  # declared too; its department takes it back
REASON = "一、可行性研究报告缺少投资估算明细；\n二、请说明与市级养老平台的数据共享方式。"


def _declared(demo, title: str, investment: int):
    demo.given_draft("hongshan", title, category="construction", investment=investment)
    demo.given_transition("hongshan_staff", title, "declare")


@pytest.mark.browser_errors_allowed(r"status of 400")  # the refused form answers 400, on purpose
def test_reviewer_returns_a_declaration_with_a_reason_that_staff_read(page, demo):
    _declared(demo, QUEUED, 1280)

    log_in(page, "hongshan_reviewer")
    page.get_by_role("link", name="待审核申报").click()
    expect(page.get_by_role("heading", name="待审核申报")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=QUEUED, exact=True))
    expect(row).to_contain_text("1,280.00")  # 万元, with separators
    expect(row).to_contain_text("红山区大数据中心")
    expect(row).to_contain_text("申请入库文件")  # 第八条: missing for library entry
    expect(row).to_contain_text("逾期申报")  # 第七条: a 2027 project declared after the end of June
    assert_speaks_chinese(page)

    row.get_by_role("link", name="退回修改").click()
    comment = page.get_by_label("退回意见")
    page.get_by_role("button", name="退回修改").click()  # nothing typed: the browser asks first
    assert comment.evaluate("field => field.validationMessage")
    comment.fill("   ")  # only blanks: the page itself says a reason is required
    page.get_by_role("button", name="退回修改").click()
    expect(page.locator("main")).to_contain_text("必须填写原因")
    expect(detail(page, "阶段")).to_have_text("已申报")

    page.get_by_label("退回意见").fill(REASON)
    page.get_by_role("button", name="退回修改").click()
    expect(messages(page)).to_contain_text("已完成：退回修改。")
    expect(detail(page, "阶段")).to_have_text("退回修改")
    log_out(page)

    log_in(page, "hongshan_staff")
    page.get_by_role("link", name=QUEUED, exact=True).click()
    intake = section(page, "申报审核")
    expect(intake).to_contain_text("退回意见")
    expect(intake).to_contain_text("李娜")  # the reviewer, by name
    expect(intake).to_contain_text("可行性研究报告缺少投资估算明细")
    expect(intake).to_contain_text("请说明与市级养老平台的数据共享方式")  # the second line kept
    assert_speaks_chinese(page)


def test_the_queue_and_a_decision_fit_a_phone(phone, demo):
    _declared(demo, QUEUED, 1280)

    log_in(phone, "hongshan_reviewer")
    phone.goto("/projects/intake/")
    expect(phone.get_by_role("link", name=QUEUED, exact=True)).to_be_visible()
    assert_fits_phone(phone)
    phone.get_by_role("row").filter(has_text=QUEUED).get_by_role("link", name="驳回").click()
    expect(phone.get_by_label("驳回理由")).to_be_visible()
    assert_fits_phone(phone)
    assert_on_screen(phone, phone.get_by_role("button", name="驳回"))


def test_staff_withdraw_a_declaration_after_confirming(page, demo):
    _declared(demo, WITHDRAWN, 45)

    log_in(page, "hongshan_staff")
    page.get_by_role("link", name=WITHDRAWN, exact=True).click()
    section(page, "申报审核").get_by_role("link", name="撤回申报").click()
    expect(page.get_by_role("heading", name="撤回申报")).to_be_visible()
    assert_speaks_chinese(page)
    page.get_by_role("button", name="撤回申报").click()  # not confirmed yet: nothing happens
    expect(detail(page, "阶段")).to_have_text("已申报")

    page.get_by_label("确认撤回申报，项目回到草稿状态。").check()
    page.get_by_role("button", name="撤回申报").click()
    expect(messages(page)).to_contain_text("已完成：撤回申报。")
    expect(detail(page, "阶段")).to_have_text("草稿")
    entry = section(page, "办理记录").get_by_role("listitem").last
    expect(entry).to_contain_text("撤回申报")
    expect(entry).to_contain_text("已申报 → 草稿")
