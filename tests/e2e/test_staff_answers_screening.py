"""包头 department staff answer the negative-list screening (负面清单筛查), then try to declare (申报)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_on_screen,
    assert_speaks_chinese,
    log_in,
    messages,
    section,
)

DRAFT = "包头市“一网通办”移动端建设"  # the demo draft of baotou_staff's department
INFRASTRUCTURE = "含有新建机房、网络、云平台等政务信息化基础设施的项目"  # 第十条（一）, verbatim


def _open_questionnaire(page):
    log_in(page, "baotou_staff")
    page.get_by_role("link", name=DRAFT, exact=True).click()
    expect(page.get_by_role("heading", name=DRAFT)).to_be_visible()
    screening = section(page, "负面清单筛查")
    expect(screening).to_contain_text(INFRASTRUCTURE)
    expect(screening).to_contain_text("第十条")
    screening.get_by_role("link", name="填写筛查").click()
    expect(page.get_by_role("heading", name="负面清单筛查")).to_be_visible()


def test_staff_answer_with_item_one_applying_and_declaring_quotes_it(page, demo):
    _open_questionnaire(page)
    items = page.locator("fieldset.screening-item")
    assert items.count() >= 7
    expect(items.filter(has_text=INFRASTRUCTURE)).to_contain_text("第十条")
    for n in range(items.count()):
        item = items.nth(n)
        if INFRASTRUCTURE in item.locator("legend").inner_text():
            item.get_by_label("适用", exact=True).check()
            item.get_by_label("情况说明").fill("需新建区级机房")
        else:
            item.get_by_label("不适用", exact=True).check()
    assert_speaks_chinese(page)
    page.get_by_role("button", name="保存答复").click()

    expect(messages(page)).to_contain_text("筛查答复已保存")
    screening = section(page, "负面清单筛查")
    hits = screening.locator(".screening-hits")
    expect(hits).to_contain_text("（一）" + INFRASTRUCTURE)
    expect(hits).to_contain_text("需新建区级机房")  # why
    expect(hits).to_have_css("color", "rgb(180, 35, 24)")  # in red
    page.get_by_role("button", name="申报").click()

    expect(messages(page)).to_contain_text(INFRASTRUCTURE)  # the rule quotes the item that hits
    expect(messages(page)).to_contain_text("第十条")
    timeline = section(page, "办理记录")
    expect(timeline).to_contain_text("填写负面清单筛查")
    assert_speaks_chinese(page)


@pytest.mark.browser_errors_allowed(r"status of 400")  # the refused answers answer 400, on purpose
def test_an_item_that_applies_without_explanation_keeps_the_answers(page, demo):
    _open_questionnaire(page)
    item = page.locator("fieldset.screening-item").filter(has_text=INFRASTRUCTURE)
    item.get_by_label("适用", exact=True).check()
    page.get_by_role("button", name="保存答复").click()

    expect(item).to_contain_text("请说明该项如何适用")
    expect(item.get_by_label("适用", exact=True)).to_be_checked()
    assert_speaks_chinese(page)


def test_the_questionnaire_works_on_a_phone(phone, demo):
    _open_questionnaire(phone)
    assert_fits_phone(phone)
    assert_on_screen(phone, phone.get_by_role("button", name="保存答复"))
