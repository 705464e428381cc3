"""The year view (工作日历): twelve month grids, a day toggled by htmx (its cell swapped) or by a plain form
post, a year marked complete after a tick; the banner; who sees what; a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jurisdictions.models import CalendarDay, CalendarYear, Role
from jurisdictions.rules.calendar import library_years
from security.models import Kind, SecurityEvent
from tests.jurisdictions.workdays.conftest import browser

pytestmark = pytest.mark.django_db
YEAR_2027 = reverse("calendar:year", args=[2027])
TOGGLE_2027 = reverse("calendar:toggle", args=[2027])
FRIDAY_BUTTON = 'aria-label="1月1日 星期五：工作日"'


def admin_browser(tenant):
    return browser(tenant.users[Role.JURISDICTION_ADMIN])


def test_the_admin_finds_the_calendar_in_the_navigation_and_lands_on_this_year(alpha):
    client = admin_browser(alpha)
    home = client.get(reverse("projects:list")).content.decode()
    assert f'href="{reverse("calendar:index")}">工作日历</a>' in home
    response = client.get(reverse("calendar:index"))
    this_year = timezone.localdate().year
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar:year", args=[this_year]) + "?jurisdiction=alpha"
    reviewer_home = browser(alpha.users[Role.REVIEWER]).get(reverse("projects:list")).content.decode()
    assert "工作日历" not in reviewer_home


def test_the_year_view_of_a_year_nobody_entered(alpha):
    page = admin_browser(alpha).get(YEAR_2027).content.decode()
    assert "<h1>2027年工作日历 · 测试市</h1>" in page
    assert "上一年（2026年）" in page and "下一年（2028年）" in page
    assert page.count('class="month"') == 12 and "一月" in page and "十二月" in page
    assert page.count('class="day-button"') == 365
    assert FRIDAY_BUTTON in page
    assert "1月2日 星期六：休息日（周末）" in page
    assert "尚未完整录入" in page and "标记为录入完整" in page
    assert "您的修改只对测试市生效" in page


def test_a_shipped_year_is_read_only_nationally_and_open_to_local_adjustments(alpha, superuser):
    national = browser(superuser).get(reverse("calendar:year", args=[2026])).content.decode()
    assert "全国日期只读" in national and 'class="day-button"' not in national
    assert "1月1日 星期四：休息日（法定节假日 元旦）" in national
    assert "标记为录入完整" not in national
    local = admin_browser(alpha).get(reverse("calendar:year", args=[2026])).content.decode()
    assert "民族自治地方" in local and local.count('class="day-button"') == 365


def test_an_htmx_click_swaps_only_the_days_cell(alpha):
    client = admin_browser(alpha)
    response = client.post(TOGGLE_2027, {"date": "2027-01-01", "name": "元旦"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    cell = response.content.decode()
    assert cell.startswith('<div class="day off local" id="day-2027-01-01">')
    assert 'aria-label="1月1日 星期五：休息日（本地调整 元旦）"' in cell and "<h1>" not in cell
    row = CalendarDay.objects.get()
    assert (row.jurisdiction, row.is_working_day, row.name) == (alpha.jurisdiction, False, "元旦")
    # clicked again: back to a working day, the row gone
    again = client.post(TOGGLE_2027, {"date": "2027-01-01", "name": "元旦"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and FRIDAY_BUTTON in again.content.decode()
    assert not CalendarDay.objects.exists()
    assert SecurityEvent.objects.filter(kind__in=[Kind.ADMIN_ADDED, Kind.ADMIN_DELETED]).count() == 2


def test_without_javascript_the_form_post_comes_back_to_the_year(alpha):
    client = admin_browser(alpha)
    response = client.post(TOGGLE_2027, {"date": "2027-01-02", "name": "春节调休"})
    assert response.status_code == 302
    assert response["Location"] == f"{YEAR_2027}?jurisdiction=alpha#day-2027-01-02"
    page = client.get(response["Location"]).content.decode()
    assert "已修改：1月2日 星期六：工作日（本地调整 春节调休）" in page
    assert CalendarDay.objects.get().is_working_day is True


@pytest.mark.parametrize(
    "data",
    [
        {"date": "2028-01-01"},
        {"date": "2027-02-30"},
        {"date": ""},
        {"date": "2027-01-01", "name": "长" * 101},
    ],
)
def test_bad_input_is_a_400_with_the_form(alpha, data):
    response = admin_browser(alpha).post(TOGGLE_2027, data)
    assert response.status_code == 400
    assert "<h1>2027年工作日历" in response.content.decode()
    htmx = admin_browser(alpha).post(TOGGLE_2027, data, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 400 and 'role="alert"' in htmx.content.decode()
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("year", ["1999", "2101", "99999999999999999999999"])
def test_a_year_outside_2000_to_2100_is_a_400(alpha, year):
    client = admin_browser(alpha)
    assert client.get(f"/calendar/{year}/").status_code == 400
    assert client.post(f"/calendar/{year}/toggle/", {"date": "2027-01-01"}).status_code == 400


def test_another_jurisdiction_is_a_404_and_other_roles_a_403(alpha, beta):
    outsider = admin_browser(beta)
    assert outsider.get(YEAR_2027, {"jurisdiction": "alpha"}).status_code == 404
    assert outsider.post(f"{TOGGLE_2027}?jurisdiction=alpha", {"date": "2027-01-01"}).status_code == 404
    assert outsider.post(f"{TOGGLE_2027}?jurisdiction=nowhere", {"date": "2027-01-01"}).status_code == 404
    reviewer = browser(alpha.users[Role.REVIEWER])
    assert reviewer.get(YEAR_2027).status_code == 403
    assert reviewer.post(TOGGLE_2027, {"date": "2027-01-01"}).status_code == 403
    assert browser(alpha.users[Role.AUDITOR]).get(YEAR_2027, {"jurisdiction": "alpha"}).status_code == 403
    assert not CalendarDay.objects.exists()


def test_marking_complete_needs_the_tick_and_removes_the_banner(alpha):
    client = admin_browser(alpha)
    today = timezone.localdate()
    open_years = [y for y in (today.year, today.year + 1) if y not in library_years()]
    page = client.get(YEAR_2027).content.decode()
    for year in open_years:
        assert f"{year}年的工作日历尚未完整录入，涉及该年度的期限按周一至周五计算，可能不准确。" in page
        assert f'href="{reverse("calendar:year", args=[year])}">录入{year}年工作日历</a>' in page

    refused = client.post(reverse("calendar:mark", args=[2027]), {"notes": "国办发明电〔2026〕1号"})
    assert refused.status_code == 400 and "请勾选以确认" in refused.content.decode()
    assert not CalendarYear.objects.exists()
    for year in {*open_years, 2027}:
        response = client.post(
            reverse("calendar:mark", args=[year]), {"notes": "国办发明电〔2026〕1号", "confirm": "on"}
        )
        assert response.status_code == 302
    page = client.get(YEAR_2027).content.decode()
    assert "已将2027年标记为录入完整。" in page or "已于" in page
    assert "已于" in page and "国办发明电〔2026〕1号" in page
    assert "尚未完整录入，涉及该年度的期限" not in page  # the banner is gone

    assert client.post(reverse("calendar:unmark", args=[2027]), {}).status_code == 400
    assert client.post(reverse("calendar:unmark", args=[2027]), {"confirm": "on"}).status_code == 302
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert "2027年的工作日历尚未完整录入" in client.get(YEAR_2027).content.decode()


def test_a_shipped_year_cannot_be_marked(alpha):
    response = admin_browser(alpha).post(reverse("calendar:mark", args=[2026]), {"confirm": "on"})
    assert response.status_code == 409 and "无需标记" in response.content.decode()


def test_the_superuser_edits_national_days_or_picks_a_jurisdiction(alpha, superuser):
    client = browser(superuser)
    page = client.get(YEAR_2027).content.decode()
    assert "2027年工作日历 · 全国" in page and 'name="jurisdiction"' in page
    assert client.post(TOGGLE_2027, {"date": "2027-01-01", "name": "元旦"}).status_code == 302
    assert CalendarDay.objects.get().jurisdiction is None
    page = client.get(YEAR_2027, {"jurisdiction": "alpha"}).content.decode()
    assert "2027年工作日历 · 测试市" in page
    assert 'aria-label="1月1日 星期五：休息日（法定节假日 元旦）"' in page


def test_the_year_view_takes_a_constant_number_of_queries(alpha, committed):
    client = admin_browser(alpha)

    def queries() -> int:
        client.get(YEAR_2027)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(YEAR_2027).status_code == 200
        return len(captured)

    few = queries()
    start = dt.date(2027, 1, 1)
    with committed():  # as a commit would: the calendar stamp settles (the complete years are cached)
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(
                    jurisdiction=alpha.jurisdiction, date=start + dt.timedelta(days=n), is_working_day=False
                )
                for n in range(0, 360, 3)
            ]
            + [CalendarDay(date=start + dt.timedelta(days=n), is_working_day=True) for n in range(1, 360, 3)]
        )
    assert queries() == few <= 12
