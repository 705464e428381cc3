"""审核人员 A reviewer of 包头市 works the project list: sorts, filters, opens a project and comes Back
to the same filtered list, pages past the end, and exports the list to Excel (issue 8, "Lists")."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from jurisdictions.models import Jurisdiction
from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in

BIGGEST = "包头市公安视频资源整合"  # 860 万元: the biggest of 包头's demo projects
BIGGEST_DRAFT = "包头市“一网通办”移动端建设"  # 45 万元: the demo's only 包头 draft
IN_LIBRARY = "包头市公共数据共享交换平台升级"
EXTRA_DRAFTS = 20  # with the demo's draft, 21: two pages of 20


def given_more_drafts(demo) -> None:
    """Twenty small drafts filed earlier by 包头's staff, so that the drafts fill two pages."""
    from projects import services

    staff = demo.user("baotou_staff")
    department = staff.memberships.get(role="department_staff").department
    for n in range(EXTRA_DRAFTS):
        services.create_project(
            actor=staff,
            department=department,
            title=f"包头市街道便民服务系统{n + 1:02d}",
            category="business",
            total_investment_wan=Decimal(10 + n),
            funding_source="fiscal",
            year=2026,
            facts={},
        )


def rows(page: Page):
    return page.locator("#project-table tbody tr")


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_reviewer_sorts_filters_goes_back_pages_and_exports(page, demo, tmp_path):
    given_more_drafts(demo)
    log_in(page, "baotou_reviewer")
    table = page.locator("#project-table table")

    # Sort by amount: the first click puts the biggest first, and the header says so.
    amount = table.get_by_role("columnheader", name=re.compile("投资额"))
    amount.get_by_role("button").click()
    expect(amount).to_have_attribute("aria-sort", "descending")
    expect(rows(page).first).to_contain_text(BIGGEST)
    expect(amount).to_contain_text("▼")
    assert query(page)["sort"] == ["-total_investment_wan"]
    assert_speaks_chinese(page)

    # Again, by keyboard: the header is a link a person can reach and press.
    amount.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(amount).to_have_attribute("aria-sort", "ascending")
    expect(rows(page).first).to_contain_text("包头市街道便民服务系统01")  # 10 万元
    amount.get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(amount).to_have_attribute("aria-sort", "descending")
    expect(page.get_by_label("排序")).to_have_value("-total_investment_wan")  # the form knows the sort

    # Filter by phase: the sort stays, the URL says both.
    page.get_by_label("阶段").select_option(label="草稿")
    expect(rows(page).first).to_contain_text(BIGGEST_DRAFT)
    expect(page.get_by_text("共 21 个项目")).to_be_visible()
    assert query(page)["phase"] == ["draft"] and query(page)["sort"] == ["-total_investment_wan"]

    # Another filter in place (htmx), then Back within the page: the drafts again, and the form says so.
    page.get_by_label("阶段").select_option(label="已入库")
    expect(table.get_by_role("link", name=IN_LIBRARY, exact=True)).to_be_visible()
    page.go_back()
    expect(page.get_by_label("阶段")).to_have_value("draft")
    expect(page.get_by_text("共 21 个项目")).to_be_visible()
    expect(rows(page).first).to_contain_text(BIGGEST_DRAFT)

    # Open a project, then Back: the same filtered, sorted list, and the form shows the filter.
    table.get_by_role("link", name=BIGGEST_DRAFT, exact=True).click()
    expect(page.get_by_role("heading", name=BIGGEST_DRAFT)).to_be_visible()
    page.go_back()
    expect(page.get_by_label("阶段")).to_have_value("draft")
    expect(page.get_by_label("排序")).to_have_value("-total_investment_wan")
    expect(page.get_by_text("共 21 个项目")).to_be_visible()
    expect(rows(page).first).to_contain_text(BIGGEST_DRAFT)
    expect(rows(page)).to_have_count(20)

    # A link to a page past the end shows the last page, with the filter and the sort.
    page.goto("/projects/?phase=draft&sort=-total_investment_wan&page=999")
    expect(page.get_by_text("第 2 页，共 2 页")).to_be_visible()
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("包头市街道便民服务系统01")  # the smallest, last
    page.get_by_role("link", name="上一页").click()
    expect(page.get_by_text("第 1 页，共 2 页")).to_be_visible()
    expect(rows(page).first).to_contain_text(BIGGEST_DRAFT)

    # Export: every draft (both pages), in the list's order, as a workbook Excel opens.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出Excel").click()
    download = download_info.value
    assert download.suggested_filename == f"项目清单-{timezone.localdate():%Y%m%d}.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    sheet = load_workbook(saved).active
    lines = list(sheet.iter_rows(values_only=True))
    assert lines[0][:2] == ("项目编号", "项目名称") and lines[0][6] == "总投资（万元）"
    assert len(lines) == 1 + 21
    assert lines[1][1] == BIGGEST_DRAFT and lines[1][5] == "草稿" and Decimal(str(lines[1][6])) == 45
    region = Jurisdiction.objects.get(code="baotou").name_zh
    assert {line[2] for line in lines[1:]} == {region}  # no other jurisdiction's project
    assert BIGGEST not in {line[1] for line in lines[1:]}  # not a draft: filtered out


def test_the_list_fits_a_phone_and_sorts_there(phone, demo):
    given_more_drafts(demo)
    log_in(phone, "baotou_reviewer")
    expect(rows(phone)).to_have_count(20)
    assert_fits_phone(phone)

    # The headers are hidden on a phone (one card per project); the sort is a field of the form.
    phone.get_by_label("排序").select_option(label="总投资从高到低")
    expect(rows(phone).first).to_contain_text(BIGGEST)
    assert query(phone)["sort"] == ["-total_investment_wan"]
    expect(rows(phone).first).to_contain_text("860.00")
    assert_fits_phone(phone)
    expect(phone.get_by_role("link", name="导出Excel")).to_be_visible()
