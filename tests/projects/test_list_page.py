"""The project list page (issue 8): sortable columns, paging past the end, filters in the URL, Excel export.

Given projects of two jurisdictions, when a reviewer sorts, pages, filters or exports, then the
page (and the workbook) shows what they asked for, in a total order, and nothing of the other tenant.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from jurisdictions.models import Role
from projects.models import Phase, Project
from tests.conftest import client_for, make_project

ROW_LINK = re.compile(r'<tr><td data-label="[^"]*"><a href="/projects/(\d+)/">')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["项目编号", "项目名称", "地区", "部门", "计划年度", "阶段", "总投资（万元）", "创建时间"]


def project(tenant, **values):
    """A draft with no declared facts (the list does not read them)."""
    return make_project(tenant, **{"facts": {}, **values})


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ids_on(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [int(pk) for pk in ROW_LINK.findall(response.content.decode())]


@pytest.fixture
def listed(alpha, beta):
    """Five alpha projects with ties on year and amount, filed a minute apart; one of beta's."""
    rows = [
        ("乙系统", 2026, "80.00"),
        ("甲系统", 2025, "1234567.50"),
        ("丙系统", 2026, "80.00"),
        ("丁系统", 2027, "0.50"),
        ("戊系统", 2025, "300.00"),
    ]
    projects = [
        project(alpha, title=title, year=year, total_investment_wan=Decimal(amount))
        for title, year, amount in rows
    ]
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    for minutes, filed in enumerate(projects):
        Project.objects.filter(pk=filed.pk).update(created_at=start + dt.timedelta(minutes=minutes))
    # Later phases, set directly: the list reads the phase, not how it got there.
    Project.objects.filter(pk=projects[4].pk).update(phase=Phase.DECLARED)
    Project.objects.filter(pk=projects[1].pk).update(phase=Phase.values[-1])
    project(beta, title="外地系统", total_investment_wan=Decimal("99999999.99"))
    return [Project.objects.get(pk=p.pk) for p in projects]


def expected(projects, key: str, descending: bool) -> list[int]:
    def value(p):
        if key == "phase":
            return Phase.values.index(p.phase)
        return getattr(p, key)

    return [p.pk for p in sorted(projects, key=lambda p: (value(p), p.pk), reverse=descending)]


SORT_KEYS = ["code", "title", "year", "phase", "total_investment_wan", "created_at"]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("key", SORT_KEYS)
def test_each_column_sorts_both_ways_in_a_total_order(alpha, listed, key, descending):
    sort = f"-{key}" if descending else key
    shown = ids_on(browser(alpha.users[Role.REVIEWER]).get("/projects/", {"sort": sort}))
    assert shown == expected(listed, key, descending)


def test_the_default_order_is_newest_first(alpha, listed):
    shown = ids_on(browser(alpha.users[Role.REVIEWER]).get("/projects/"))
    assert shown == [p.pk for p in reversed(listed)]


@pytest.mark.parametrize(
    "sort",
    ["password", "-", "--code", "code,title", "jurisdiction__name_zh", "facts", "id'; --", "%00", "ＣＯＤＥ"],
)
def test_a_sort_we_do_not_offer_gives_the_default_order(alpha, listed, sort):
    client = browser(alpha.users[Role.REVIEWER])
    assert ids_on(client.get("/projects/", {"sort": sort})) == [p.pk for p in reversed(listed)]
    assert client.get("/projects/export.xlsx", {"sort": sort}).status_code == 200


def test_the_header_says_the_direction_and_links_to_the_reverse(alpha, listed):
    body = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"sort": "-total_investment_wan"}).content
    page = body.decode()
    header = re.search(r'<th class="num" aria-sort="descending">(.*?)</th>', page).group(1)
    assert "投资额（万元）" in header and "▼" in header
    assert "降序排列" in header  # spoken to a screen reader
    assert 'role="button"' in header  # it sorts the table; the table's links are the projects'
    assert 'href="/projects/?sort=total_investment_wan"' in header  # again: ascending
    assert page.count("aria-sort=") == 1
    # Another column's first click: words from A, amounts biggest first.
    assert 'href="/projects/?sort=code"' in page
    ascending = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"sort": "total_investment_wan"})
    assert 'aria-sort="ascending"' in ascending.content.decode() and "▲" in ascending.content.decode()


def test_the_sort_links_keep_the_filters(alpha, listed):
    page = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"year": 2026, "q": "系统"}).content.decode()
    assert 'href="/projects/?year=2026&amp;q=%E7%B3%BB%E7%BB%9F&amp;sort=-total_investment_wan"' in page


def test_amounts_are_right_aligned_with_thousands_separators(alpha, listed):
    page = browser(alpha.users[Role.REVIEWER]).get("/projects/").content.decode()
    assert 'class="num">1,234,567.50</td>' in page


# --- paging ---------------------------------------------------------------------------------------


@pytest.fixture
def many(alpha):
    projects = [project(alpha, title=f"项目{n:02d}", total_investment_wan=Decimal(n)) for n in range(45)]
    return projects


@pytest.mark.parametrize(("asked", "shown"), [("999", 3), ("3", 3), ("abc", 1), ("-1", 1), ("0", 1), ("", 1)])
def test_a_page_past_the_end_or_not_a_number_shows_the_last_or_first(alpha, many, asked, shown):
    response = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"page": asked})
    assert response.status_code == 200
    assert response.context["page_obj"].number == shown
    assert f"第 {shown} 页，共 3 页" in response.content.decode()


def test_a_huge_page_number_is_the_last_page(alpha, many):
    response = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"page": "9" * 5000})
    assert response.status_code == 200 and response.context["page_obj"].number == 1  # not an int: first
    response = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"page": "9" * 30})
    assert response.context["page_obj"].number == 3


def test_the_page_links_keep_the_filters_and_the_sort(alpha, many):
    page = browser(alpha.users[Role.REVIEWER]).get(
        "/projects/", {"q": "项目", "sort": "total_investment_wan", "page": 2}
    )
    links = {
        html.unescape(link)
        for link in re.findall(r'<nav class="pages">.*?</nav>', page.content.decode(), re.S)[0].split(
            'href="'
        )[1:]
    }
    query = "q=%E9%A1%B9%E7%9B%AE&sort=total_investment_wan"
    assert {link.split('"')[0] for link in links} == {f"?{query}&page=1", f"?{query}&page=3"}
    assert ids_on(page) == [p.pk for p in many[20:40]]


def test_an_empty_list_is_one_empty_page(alpha):
    response = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"page": 5})
    assert response.status_code == 200 and "没有符合条件的项目" in response.content.decode()


# --- filters in the URL, HTMX -----------------------------------------------------------------------


def test_the_form_is_filled_from_the_url(alpha, listed):
    page = browser(alpha.users[Role.REVIEWER]).get(
        "/projects/", {"phase": "draft", "year": 2026, "q": "乙", "sort": "-year"}
    )
    body = page.content.decode()
    assert '<option value="draft" selected>' in body
    assert '<option value="2026" selected>' in body
    assert 'name="q" value="乙"' in body
    assert '<option value="-year" selected>' in body
    assert ids_on(page) == [listed[0].pk]
    assert 'hx-push-url="true"' in body and 'method="get"' in body


def test_the_htmx_swap_sends_the_table_and_the_chosen_sort(alpha, listed):
    client = browser(alpha.users[Role.REVIEWER])
    response = client.get("/projects/", {"sort": "title"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "<table" in body
    assert 'id="list-sort" class="sort-field" hx-swap-oob="true"' in body
    assert '<option value="title" selected>' in body
    assert "HX-Request" in response["Vary"]


def test_going_back_to_a_list_htmx_did_not_keep_gets_the_whole_page(alpha, listed):
    response = browser(alpha.users[Role.REVIEWER]).get(
        "/projects/", {"phase": "draft"}, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" in body and '<option value="draft" selected>' in body
    assert "hx-swap-oob" not in body


# --- Excel ------------------------------------------------------------------------------------------


def workbook_rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content[:300] if not response.streaming else ""
    assert response["Content-Type"] == XLSX
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_the_export_is_the_filtered_sorted_list_in_chinese(alpha, listed):
    response = browser(alpha.users[Role.REVIEWER]).get(
        "/projects/export.xlsx", {"year": 2026, "sort": "-total_investment_wan", "page": 1}
    )
    today = timezone.localdate().strftime("%Y%m%d")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f'filename="projects-{today}.xlsx"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"项目清单-{today}.xlsx"
    rows = workbook_rows(response)
    assert list(rows[0]) == HEADERS
    first, second = listed[0], listed[2]  # both 80.00 in 2026: the tie broken by id, descending
    assert [row[0] for row in rows[1:]] == [second.code, first.code]
    code, title, region, department, year, phase, amount, created = rows[2]
    assert (code, title, region, department, year, phase) == (
        first.code,
        "乙系统",
        alpha.jurisdiction.name_zh,
        alpha.department.name_zh,
        2026,
        "草稿",
    )
    assert Decimal(str(amount)) == Decimal("80.00")
    assert created == timezone.localtime(first.created_at).replace(tzinfo=None, microsecond=0)


def test_the_export_has_every_row_as_numbers_and_none_of_another_tenant(alpha, beta, listed):
    project(alpha, title="大数额", total_investment_wan=Decimal("123456789012.34"))
    response = browser(alpha.users[Role.REVIEWER]).get("/projects/export.xlsx")
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 6
    assert "外地系统" not in {row[1].value for row in rows}
    big = next(row for row in rows if row[1].value == "大数额")
    assert big[6].data_type == "n" and big[6].number_format == "#,##0.00"
    assert Decimal(str(big[6].value)) == Decimal("123456789012.34")  # 14 digits survive
    assert big[7].is_date and big[7].number_format == "yyyy-mm-dd hh:mm"
    assert sum(Decimal(str(row[6].value)) for row in rows) == sum(
        p.total_investment_wan for p in Project.objects.filter(jurisdiction=alpha.jurisdiction)
    )


def test_staff_export_only_their_department(alpha, listed):
    theirs = project(alpha, title="他部门项目", actor=alpha.other_staff, department=alpha.other_department)
    rows = workbook_rows(browser(alpha.users[Role.DEPARTMENT_STAFF]).get("/projects/export.xlsx"))
    assert theirs.title not in {row[1] for row in rows} and len(rows) == 6


def test_a_title_that_looks_like_a_formula_stays_text(alpha):
    project(alpha, title='=HYPERLINK("http://evil.example","点我")')
    project(alpha, title="控制\x01字符")
    content = b"".join(browser(alpha.users[Role.REVIEWER]).get("/projects/export.xlsx").streaming_content)
    assert b"<f>" not in content  # no formula anywhere in the sheet
    titles = {
        row[1] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)
    }
    assert titles == {'=HYPERLINK("http://evil.example","点我")', "控制字符"}


def test_the_export_with_a_bad_filter_goes_back_to_the_list_that_says_why(alpha, listed):
    client = browser(alpha.users[Role.REVIEWER])
    response = client.get("/projects/export.xlsx", {"year": "²"})
    assert response.status_code == 302 and response.url == "/projects/?year=%C2%B2"
    assert client.get(response.url).status_code == 400


def test_the_export_needs_a_login(alpha):
    response = Client().get("/projects/export.xlsx")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_list_links_to_the_export_with_its_filters(alpha, listed):
    body = browser(alpha.users[Role.REVIEWER]).get("/projects/", {"year": 2026, "sort": "title", "page": 1})
    assert 'href="/projects/export.xlsx?year=2026&amp;sort=title">导出Excel</a>' in body.content.decode()


def test_the_export_reads_a_constant_number_of_queries(alpha, listed):
    client = browser(alpha.users[Role.REVIEWER])

    def count() -> int:
        client.get("/projects/export.xlsx")
        with CaptureQueriesContext(connection) as captured:
            rows = workbook_rows(client.get("/projects/export.xlsx"))
        return len(captured), len(rows)

    few, rows_before = count()
    for n in range(30):
        project(alpha, title=f"更多{n}")
    many, rows_after = count()
    assert rows_after == rows_before + 30
    assert many == few <= 8


# --- the API's door ---------------------------------------------------------------------------------


def test_the_api_export_is_the_same_workbook(alpha, listed):
    client = client_for(alpha.users[Role.REVIEWER])
    response = client.get("/api/v1/projects/export.xlsx", {"phase": "draft", "sort": "code"})
    rows = workbook_rows(response)
    assert list(rows[0]) == HEADERS
    assert [row[0] for row in rows[1:]] == sorted(p.code for p in listed if p.phase == Phase.DRAFT)
    assert len(rows) == 4
    by_accept = client.get("/api/v1/projects/export.xlsx", HTTP_ACCEPT=XLSX)
    assert len(workbook_rows(by_accept)) == 6


@pytest.mark.parametrize("accept", ["application/json", XLSX])
def test_the_api_export_names_a_bad_filter_in_json(alpha, accept):
    response = client_for(alpha.users[Role.REVIEWER]).get(
        "/api/v1/projects/export.xlsx", {"year": "²"}, HTTP_ACCEPT=accept
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "year" in response.json()["errors"]


def test_the_api_export_is_documented(alpha):
    schema = client_for(alpha.users[Role.REVIEWER]).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/projects/export.xlsx"]["get"]
    assert XLSX in operation["responses"]["200"]["content"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"q", "phase", "department", "year", "sort"} <= names
