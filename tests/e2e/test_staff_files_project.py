"""部门经办人 Department staff of 包头市大数据管理局: their projects, one project, declaring a draft."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import assert_speaks_chinese, detail, log_in, messages, section, untranslated

BAOTOU_PROJECTS = [  # seed_demo's projects of the staff's own department
    "包头市“一网通办”移动端建设",
    "包头市住房公积金业务系统改造",
    "包头市公共数据共享交换平台升级",
    "包头市智慧医疗影像云",
    "包头市公安视频资源整合",
]
READY_DRAFT = "包头市政务服务“好差评”系统"  # complete: every fact the measure asks for at declaration
INCOMPLETE_DRAFT = "包头市“一网通办”移动端建设"  # the demo draft: who declares it (第六条) is not stated


def test_staff_sees_their_projects_and_declares_a_draft(page, demo):
    demo.given_draft("baotou", READY_DRAFT, category="business", investment=60)

    log_in(page, "baotou_staff")

    expect(page.get_by_role("heading", name="项目", exact=True)).to_be_visible()
    table = page.get_by_role("table")
    for title in [READY_DRAFT, *BAOTOU_PROJECTS]:
        expect(table.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(table).not_to_contain_text("红山区")  # another jurisdiction's projects stay out of sight
    expect(table).not_to_contain_text("南充市")
    assert_speaks_chinese(page)

    table.get_by_role("link", name=READY_DRAFT, exact=True).click()
    expect(page.get_by_role("heading", name=READY_DRAFT)).to_be_visible()
    expect(detail(page, "阶段")).to_have_text("草稿")
    expect(detail(page, "部门")).to_have_text("包头市大数据管理局")

    page.get_by_label("意见").fill("材料已齐，请审核")
    page.get_by_role("button", name="申报", exact=True).click()

    expect(messages(page)).to_contain_text("已完成：申报。")
    expect(detail(page, "阶段")).to_have_text("已申报")
    entry = section(page, "办理记录").get_by_role("listitem").last
    expect(entry).to_contain_text("申报")
    expect(entry).to_contain_text("草稿 → 已申报")
    expect(entry).to_contain_text("张伟")  # people by name: the demo staff member
    expect(entry).to_contain_text("材料已齐，请审核")
    expect(page.get_by_role("button", name="申报", exact=True)).to_have_count(0)  # nothing left to do


def test_staff_is_told_why_a_draft_cannot_be_declared(page, demo):
    log_in(page, "baotou_staff")
    page.get_by_role("link", name=INCOMPLETE_DRAFT, exact=True).click()

    page.get_by_role("button", name="申报", exact=True).click()

    expect(messages(page)).to_contain_text("申报主体")  # what is missing, in words
    expect(messages(page)).to_contain_text("第六条")  # and the article that asks for it
    expect(detail(page, "阶段")).to_have_text("草稿")
    expect(section(page, "办理记录")).not_to_contain_text("已申报")  # nothing was declared


def test_refusal_names_missing_facts_in_words_not_codes(page, demo):
    log_in(page, "baotou_staff")
    page.get_by_role("link", name=INCOMPLETE_DRAFT, exact=True).click()
    page.get_by_role("button", name="申报", exact=True).click()
    expect(messages(page)).to_contain_text("第六条")

    assert untranslated(messages(page).inner_text()) == []


def test_project_page_shows_no_codes_to_staff(page, demo):
    log_in(page, "baotou_staff")
    page.get_by_role("link", name=INCOMPLETE_DRAFT, exact=True).click()
    expect(page.get_by_role("heading", name=INCOMPLETE_DRAFT)).to_be_visible()

    assert_speaks_chinese(page)
