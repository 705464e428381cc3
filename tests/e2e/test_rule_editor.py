"""包头's admin changes a number of the measure in the browser, and new declarations follow it from its day.

刘洋 (baotou_admin) lowers the supervision threshold (第十九条, 200 万元) to 100 万元 in a draft,
sees on the impact preview which project in flight the draft would decide differently, and
publishes version 2, applying from the first day of next month. A project declared today keeps
version 1; one declared after that day pins version 2 (the server's clock is moved there with
time-machine: the live server runs in this process). The comparison of the five measures, made
from the packs in force, shows 200 today and 100 from that day.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, detail, log_in, log_out, messages

SUPERVISION = "监理制"  # 包头 第十九条: 200 万元及以上原则上实行监理制
IN_FLIGHT_120 = "包头市公共数据共享交换平台升级"  # seed_demo: 120 万元, in the project library
EARLY = "包头市社区网格化管理系统"  # declared today: keeps version 1
LATE = "包头市城市部件物联感知平台"  # declared next month: pins version 2
CHINA = zoneinfo.ZoneInfo("Asia/Shanghai")


def _first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _supervision_cell(page):
    """The comparison's 「监理」 row, 包头's column."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile("监理")))
    header = page.get_by_role("columnheader").all_inner_texts()
    column = next(index for index, text in enumerate(header) if text.strip().startswith("包头市"))
    return row.get_by_role("cell").nth(column - 1)  # the first column is the row's header


def _declare(page, title: str) -> None:
    page.goto("/projects/")
    page.get_by_role("link", name=title, exact=True).click()
    page.get_by_role("button", name="申报", exact=True).click()
    expect(messages(page)).to_contain_text("已完成：申报。")


@pytest.mark.browser_errors_allowed(r"status of 400 \(Bad Request\).*/rules/drafts/")  # the refused value
def test_admin_lowers_the_supervision_threshold_from_next_month(page, phone, demo):
    today = timezone.localdate()
    next_month = _first_of_next_month(today)
    demo.given_draft("baotou", EARLY, category="business", investment=150)
    demo.given_draft("baotou", LATE, category="business", investment=150)

    log_in(page, "baotou_admin")
    page.get_by_role("link", name="规则包", exact=True).click()
    expect(page.get_by_role("heading", name="规则包", exact=True)).to_be_visible()
    assert_speaks_chinese(page)

    # The comparison, from the packs in force today: 包头 asks for supervision from 200 万元.
    page.get_by_role("link", name="各地办法对比").first.click()
    expect(_supervision_cell(page)).to_contain_text("200")
    expect(_supervision_cell(page)).to_contain_text("第十九条")
    page.go_back()

    page.get_by_role("button", name="编辑规则").click()
    card = page.locator("article.rule-card").filter(has=page.get_by_role("heading", name=SUPERVISION))
    expect(card).to_contain_text("200")
    expect(card).to_contain_text("第十九条")
    card.get_by_role("link", name="编辑", exact=True).click()
    edit_url = page.url

    value = page.get_by_label(re.compile(r"^数值"))
    value.fill("2000000000000")  # out of any range: said beside the field, nothing saved
    page.get_by_role("button", name="保存到草稿").click()
    expect(page.locator(".field", has=value)).to_contain_text("确保该值小于或等于")
    value.fill("100")
    page.get_by_role("button", name="保存到草稿").click()
    expect(messages(page)).to_contain_text("规则「监理制」已保存到草稿。")
    expect(card).to_contain_text("100")

    # What the draft would change for the projects in flight: the 120 万元 project now needs supervision.
    page.get_by_role("link", name="影响预览").first.click()
    changed = page.locator("main")
    expect(changed).to_contain_text(IN_FLIGHT_120)
    expect(changed.locator("section, article, tr", has_text=IN_FLIGHT_120).first).to_contain_text(SUPERVISION)
    assert_speaks_chinese(page)

    # The editor's pages on a phone: the impact list, the draft, a rule's form, the comparison.
    log_in(phone, "baotou_admin")
    impact_url = page.url
    for url in (impact_url, impact_url.replace("impact/", ""), edit_url, "/rules/compare/"):
        phone.goto(url)
        assert_fits_phone(phone)

    page.get_by_role("link", name="返回草稿").click()
    page.get_by_role("link", name="发布", exact=True).click()
    expect(page.get_by_label("施行日期")).to_have_value(next_month.isoformat())
    page.get_by_label(re.compile("^修订说明")).fill("监理门槛由200万元降至100万元")
    confirm = page.get_by_label(re.compile("确认发布"))
    expect(confirm).to_have_attribute("required", "")  # publishing is final: it must be confirmed
    confirm.check()
    page.get_by_role("button", name="发布", exact=True).click()
    expect(messages(page)).to_contain_text("第 2 版")
    versions = page.get_by_role("table")
    expect(versions).to_contain_text("监理门槛由200万元降至100万元")
    expect(versions).to_contain_text(next_month.isoformat())
    expect(versions).to_contain_text("刘洋")
    log_out(page)

    # Declared today: version 1 is the one in force, and it stays pinned.
    log_in(page, "baotou_staff")
    _declare(page, EARLY)
    expect(detail(page, "规则包")).to_contain_text("第1版")

    # From the first day of next month, a declaration pins version 2.
    later = dt.datetime.combine(next_month + dt.timedelta(days=1), dt.time(10, 0), tzinfo=CHINA)
    page.wait_for_load_state("networkidle")  # no request of today's page may be answered next month
    with time_machine.travel(later, tick=True):
        log_in(page, "baotou_staff")  # yesterday's session ran out long ago
        _declare(page, LATE)
        expect(detail(page, "规则包")).to_contain_text("第2版")
        page.goto("/projects/")
        page.get_by_role("link", name=EARLY, exact=True).click()
        expect(detail(page, "规则包")).to_contain_text("第1版")

        page.get_by_role("link", name="规则包", exact=True).click()
        page.get_by_role("link", name="各地办法对比").first.click()
        expect(_supervision_cell(page)).to_contain_text("100")
        expect(_supervision_cell(page)).not_to_contain_text("200")
