"""本级管理员 The jurisdiction admin of 包头市: creates an account with its role, unlocks a colleague
who locked themselves out, and revokes a role with a reason, all without the platform superuser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_speaks_chinese,
    fail_to_log_in,
    log_in,
    log_out,
    messages,
)

NEW_PASSWORD = "Caoyuan-lvye-2026!"


def _people_row(page, name):
    return page.get_by_role("row").filter(has_text=name)


def test_admin_creates_an_account_the_person_then_signs_in(page, demo):
    log_in(page, "baotou_admin")
    page.get_by_role("navigation").get_by_role("link", name="人员", exact=True).click()
    expect(page.get_by_role("heading", name="人员与角色")).to_be_visible()
    assert_speaks_chinese(page)

    account = page.locator("section").filter(has=page.get_by_role("heading", name="新建账号"))
    account.get_by_label("用户名").fill("baotou_zhangsan")
    account.get_by_label("姓名").fill("张三")
    account.get_by_label("初始密码").fill(NEW_PASSWORD)
    account.get_by_label("再次输入密码").fill(NEW_PASSWORD)
    account.get_by_label("角色").select_option(label="部门经办人")
    account.get_by_label("部门").select_option(index=1)
    account.get_by_role("button", name="创建账号").click()

    expect(messages(page)).to_contain_text("已创建账号张三")
    expect(_people_row(page, "张三")).to_contain_text("部门经办人")
    log_out(page)

    log_in(page, "baotou_zhangsan", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="项目", exact=True)).to_be_visible()


@pytest.mark.browser_errors_allowed(r"status of 400")  # the refused form answers 400, on purpose
def test_a_weak_password_is_refused_with_the_reason(page, demo):
    log_in(page, "baotou_admin")
    page.goto("/people/")
    account = page.locator("section").filter(has=page.get_by_role("heading", name="新建账号"))
    account.get_by_label("用户名").fill("baotou_lisi")
    account.get_by_label("姓名").fill("李四")
    account.get_by_label("初始密码").fill("12345678")
    account.get_by_label("再次输入密码").fill("12345678")
    account.get_by_label("角色").select_option(label="审计人员")
    account.get_by_role("button", name="创建账号").click()

    expect(page.locator("main")).to_contain_text("密码")
    expect(_people_row(page, "李四")).to_have_count(0)


@pytest.mark.browser_errors_allowed(r"status of 429")  # the lockout page answers 429, on purpose
def test_admin_unlocks_a_colleague_who_locked_themselves_out(page, new_context, demo):
    log_in(page, "baotou_admin")  # at their own desk (every browser here shares one address)
    colleague = new_context().new_page()
    fail_to_log_in(colleague, "baotou_reviewer", times=5)
    expect(colleague.get_by_role("heading", name="登录已暂时锁定")).to_be_visible()
    expect(colleague.locator("main")).to_contain_text("请联系本级管理员")

    page.goto("/people/")
    row = _people_row(page, "李娜")
    expect(row).to_contain_text("有登录失败记录")
    row.get_by_role("button", name="解锁").click()
    expect(messages(page)).to_contain_text("李娜已可重新登录")

    log_in(colleague, "baotou_reviewer")


def test_admin_revokes_a_role_after_confirming_with_a_reason(page, demo):
    log_in(page, "baotou_admin")
    page.goto("/people/")
    row = _people_row(page, "赵敏")
    row.get_by_role("link", name="撤销…").click()

    expect(page.get_by_role("heading", name="撤销角色")).to_be_visible()
    expect(page.locator("main")).to_contain_text("赵敏将不再担任包头市本级的审计人员")
    page.get_by_role("button", name="撤销该角色").click()  # no reason yet: the browser asks for one
    expect(page.get_by_label("原因")).to_have_js_property("validity.valueMissing", True)
    page.get_by_label("原因").fill("调离审计岗位")
    page.get_by_role("button", name="撤销该角色").click()

    expect(messages(page)).to_contain_text("已撤销角色")
    expect(_people_row(page, "赵敏")).to_have_count(0)


def test_the_people_page_fits_a_phone(phone, demo):
    log_in(phone, "baotou_admin")
    phone.goto("/people/")
    expect(phone.get_by_role("heading", name="人员与角色")).to_be_visible()
    assert_fits_phone(phone)
