"""部门经办人 Staff of 红山区大数据中心: file a project in the browser, watch the preview, edit it."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, detail, log_in, messages

TITLE = "红山区智慧停车管理平台"


def fact(page, label: str):
    """The yes / no / not known group of one declared fact, by its Chinese name."""
    return page.get_by_role("group", name=label, exact=True)


def test_staff_creates_a_project_and_edits_it(page, demo):
    log_in(page, "hongshan_staff")
    page.get_by_role("link", name="新建项目").click()
    expect(page.get_by_role("heading", name="新建项目")).to_be_visible()
    assert_speaks_chinese(page)

    page.get_by_label("项目名称").fill(TITLE)
    page.get_by_label("类别").select_option(label="建设类项目")  # the measure's own words
    page.get_by_label("总投资（万元）").fill("80")
    page.get_by_label("资金来源").select_option(label="财政资金")
    page.get_by_label("计划年度").fill("2027")
    preview = page.locator("#preview")

    fact(page, "新建项目").get_by_label("是").check()  # a new build: the measure's 第六条 list applies
    expect(preview).to_contain_text("不支持新建的项目（负面清单）")
    expect(preview).to_contain_text("第六条")
    fact(page, "新建项目").get_by_label("否").check()  # the preview reacts as the answer changes
    expect(preview).not_to_contain_text("不支持新建的项目（负面清单）")
    expect(preview).to_contain_text("申报主体")  # still missing, by its name
    assert_speaks_chinese(page)

    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(detail(page, "阶段")).to_have_text("草稿")
    expect(detail(page, "部门")).to_have_text("红山区大数据中心")
    expect(detail(page, "总投资（万元）")).to_have_text("80.00")
    expect(messages(page)).to_contain_text("草稿")

    page.get_by_role("link", name="编辑", exact=True).click()
    expect(page.get_by_label("总投资（万元）")).to_have_value("80.00")
    expect(fact(page, "新建项目").get_by_label("否")).to_be_checked()
    page.get_by_label("项目名称").fill(TITLE + "（一期）")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_role("heading", name=TITLE + "（一期）")).to_be_visible()
    expect(messages(page)).to_contain_text("已保存")


def test_the_form_fits_a_phone(phone, demo):
    log_in(phone, "hongshan_staff")
    phone.get_by_role("link", name="新建项目").click()
    expect(phone.get_by_role("heading", name="新建项目")).to_be_visible()
    assert_fits_phone(phone)
    phone.get_by_label("总投资（万元）").fill("1,234.50")
    fact(phone, "新建项目").get_by_label("是").check()
    expect(phone.locator("#preview")).to_contain_text("第六条")
    assert_fits_phone(phone)
