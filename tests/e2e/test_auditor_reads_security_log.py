"""审计人员 The auditor of 包头市: reads who signed in, who was locked out and which action was refused,
filters by person and kind, and cannot change anything; department staff cannot open the log."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, fail_to_log_in, log_in, log_out

DRAFT = "包头市智慧医疗影像云"


@pytest.mark.browser_errors_allowed(r"status of 429")  # the lockout page answers 429, on purpose
def test_auditor_sees_a_lockout_and_filters_the_log(page, new_context, demo):
    log_in(page, "baotou_auditor")  # at their own desk (every browser here shares one address)
    # Someone guesses the finance officer's password until the account locks.
    guesser = new_context().new_page()
    fail_to_log_in(guesser, "baotou_finance", times=5)
    expect(guesser.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()

    page.get_by_role("navigation").get_by_role("link", name="安全审计日志").click()
    expect(page.get_by_role("heading", name="安全审计日志")).to_be_visible()
    assert_speaks_chinese(page)
    table = page.get_by_role("table")
    expect(table.get_by_role("row").filter(has_text="账号锁定").first).to_contain_text("王芳")
    expect(table.get_by_role("row").filter(has_text="登录失败").first).to_contain_text("127.0.0.1")

    page.get_by_label("类型").select_option(label="账号锁定")
    page.get_by_role("button", name="筛选").click()
    expect(table.locator('td[data-label="类型"]')).to_have_text(["账号锁定"])  # one lockout, nothing else

    page.get_by_label("类型").select_option(label="全部")
    page.get_by_label("人员").select_option(label="赵敏")  # herself: her own sign-in
    page.get_by_role("button", name="筛选").click()
    expect(table.get_by_role("row").filter(has_text="登录成功").first).to_contain_text("赵敏")
    expect(table.get_by_role("row").filter(has_text="王芳")).to_have_count(0)
    expect(page.get_by_role("button", name="删除")).to_have_count(0)


def test_a_refused_action_shows_in_the_log_by_name(page, demo):
    log_in(page, "baotou_staff")
    page.goto("/projects/?phase=draft")
    page.get_by_role("table").get_by_role("link").nth(1).click()
    code = page.get_by_role("heading", level=1).locator("small").inner_text()  # the project code
    page.get_by_role("button", name="申报").click()  # the demo draft lacks what 申报 needs: refused
    log_out(page)

    log_in(page, "baotou_auditor")
    page.goto("/security/log/")
    row = page.get_by_role("row").filter(has_text="操作被拒绝").first
    expect(row).to_contain_text("张伟")
    expect(row).to_contain_text("操作：申报")
    expect(row).to_contain_text("第")  # the article the refusing rule cites
    expect(row).to_contain_text(f"项目 {code}")


@pytest.mark.browser_errors_allowed(r"status of 403")  # the refusal page answers 403, on purpose
def test_staff_cannot_open_the_log(page, demo):
    log_in(page, "baotou_staff")
    expect(page.get_by_role("navigation").get_by_role("link", name="安全审计日志")).to_have_count(0)
    response = page.goto("/security/log/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("权限")


def test_the_log_fits_a_phone(phone, demo):
    log_in(phone, "baotou_auditor")
    phone.goto("/security/log/")
    expect(phone.get_by_role("heading", name="安全审计日志")).to_be_visible()
    assert_fits_phone(phone)
