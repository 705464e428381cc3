"""Calendar upkeep selectors: which years are incomplete, the banner's years, whose calendar a person
edits, and a year's days with why each is (not) a working day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from govproj.errors import NotFound, NotPermitted
from jurisdictions.models import CalendarDay, CalendarYear, Role
from jurisdictions.workdays import services
from jurisdictions.workdays.selectors import (
    Kind,
    YearStatus,
    banner_years,
    calendar_scope,
    day_view,
    incomplete_years,
    year_view,
)

pytestmark = pytest.mark.django_db
D = dt.date


def test_incomplete_years_are_those_neither_shipped_nor_marked(alpha, django_assert_num_queries):
    dates = [D(2026, 5, 1), D(2027, 3, 1), D(2027, 9, 9), D(2028, 1, 1), D(2031, 2, 2), None]
    CalendarYear.objects.create(year=2028)
    with django_assert_num_queries(1):
        assert incomplete_years(alpha.jurisdiction, dates) == (2027, 2031)
    with django_assert_num_queries(1):  # one query however many dates
        assert incomplete_years(
            alpha.jurisdiction, [D(2027, 1, 1) + dt.timedelta(days=n) for n in range(3000)]
        ) == (
            2027,
            2029,
            2030,
            2031,
            2032,
            2033,
            2034,
            2035,
        )


def test_shipped_years_need_no_query(alpha, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert incomplete_years(alpha.jurisdiction, [D(2020, 1, 1), D(2026, 12, 31)]) == ()
        assert incomplete_years(alpha.jurisdiction, []) == ()


@pytest.mark.parametrize("role", Role.values)
def test_the_banner_is_for_calendar_admins_only(alpha, role):
    today = D(2026, 11, 24)
    expected = (2027,) if role == Role.JURISDICTION_ADMIN else ()
    assert banner_years(alpha.users[role], today) == expected
    CalendarYear.objects.create(year=2027)
    assert banner_years(alpha.users[role], today) == ()
    assert banner_years(alpha.users[role], D(2027, 6, 1)) == (
        (2028,) if role == Role.JURISDICTION_ADMIN else ()
    )


def test_the_superuser_sees_the_banner_too(superuser):
    assert banner_years(superuser, D(2027, 6, 1)) == (2027, 2028)


def test_whose_calendar(alpha, beta, superuser):
    admin = alpha.users[Role.JURISDICTION_ADMIN]
    assert calendar_scope(admin) == alpha.jurisdiction
    assert calendar_scope(admin, "alpha") == alpha.jurisdiction
    assert calendar_scope(superuser) is None
    assert calendar_scope(superuser, "beta") == beta.jurisdiction
    assert calendar_scope(superuser, national=True) is None
    with pytest.raises(NotFound):
        calendar_scope(admin, "beta")
    with pytest.raises(NotFound):
        calendar_scope(admin, "nowhere")
    with pytest.raises(NotPermitted):
        calendar_scope(admin, national=True)
    with pytest.raises(NotPermitted):
        calendar_scope(alpha.users[Role.REVIEWER])
    with pytest.raises(NotPermitted):
        calendar_scope(alpha.users[Role.AUDITOR], "alpha")


def _days(view):
    return {day.date: day for month in view.months for week in month.weeks for day in week if day}


def test_a_shipped_year_shows_the_state_councils_days_read_only_nationally(alpha):
    national = year_view(None, 2026)
    assert national.status is YearStatus.KNOWN and not national.editable and not national.markable
    days = _days(national)
    assert len(days) == 365
    new_year, makeup, sunday, monday = (
        days[D(2026, 1, 1)],
        days[D(2026, 1, 4)],
        days[D(2026, 3, 1)],
        days[D(2026, 3, 2)],
    )
    assert (new_year.working, new_year.kind, new_year.name) == (False, Kind.HOLIDAY, "元旦")
    assert (makeup.working, makeup.kind, makeup.name) == (True, Kind.MAKEUP, "元旦")
    assert (sunday.working, sunday.kind, sunday.short) == (False, Kind.WEEKEND, "周末")
    assert (monday.working, monday.kind, monday.short) == (True, Kind.WORKDAY, "")
    assert new_year.description == "1月1日 星期四：休息日（法定节假日 元旦）"
    with translation.override("en"):
        assert _days(year_view(None, 2026))[D(2026, 2, 17)].name == "Spring Festival"
    assert all(not day.editable for day in days.values())
    # a jurisdiction may adjust its own days in a shipped year
    assert year_view(alpha.jurisdiction, 2026).editable


def test_months_are_monday_first_grids(alpha):
    view = year_view(alpha.jurisdiction, 2027)
    january = view.months[0]
    assert january.name == "一月"
    assert january.weeks[0][:4] == [None, None, None, None]  # 2027-01-01 is a Friday
    assert january.weeks[0][4].date == D(2027, 1, 1)
    assert all(len(week) == 7 for month in view.months for week in month.weeks)
    assert (view.previous, view.next) == (2026, 2028)
    assert (year_view(alpha.jurisdiction, 2000).previous, year_view(alpha.jurisdiction, 2100).next) == (
        None,
        None,
    )


def test_rows_of_the_jurisdiction_are_marked_apart_from_national_ones(alpha, beta):
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    CalendarDay.objects.create(date=D(2027, 2, 6), is_working_day=True, name="春节调休")
    CalendarDay.objects.create(
        jurisdiction=alpha.jurisdiction, date=D(2027, 1, 4), is_working_day=False, name="本地"
    )
    CalendarDay.objects.create(jurisdiction=beta.jurisdiction, date=D(2027, 1, 5), is_working_day=False)
    view = year_view(alpha.jurisdiction, 2027)
    assert view.status is YearStatus.INCOMPLETE and view.editable and view.markable
    assert (view.national_rows, view.local_rows) == (2, 1)
    days = _days(view)
    assert (days[D(2027, 1, 1)].kind, days[D(2027, 1, 1)].national_row) == (Kind.HOLIDAY, True)
    assert (days[D(2027, 2, 6)].kind, days[D(2027, 2, 6)].working) == (Kind.MAKEUP, True)
    local = days[D(2027, 1, 4)]
    assert (local.kind, local.local, local.working, local.name) == (Kind.LOCAL, True, False, "本地")
    assert "local" in local.css.split() and "local" not in days[D(2027, 1, 1)].css.split()
    assert days[D(2027, 1, 5)].kind is Kind.WORKDAY  # beta's row is not alpha's
    assert day_view(alpha.jurisdiction, D(2027, 1, 4)) == local


def test_a_marked_year_is_complete(alpha):
    services.calendar_year_mark(
        actor=alpha.users[Role.JURISDICTION_ADMIN], jurisdiction=alpha.jurisdiction, year=2027
    )
    view = year_view(alpha.jurisdiction, 2027)
    assert view.status is YearStatus.COMPLETE and view.entry.year == 2027
    assert view.own_mark.jurisdiction == alpha.jurisdiction and view.national_mark is None
    assert year_view(None, 2027).status is YearStatus.INCOMPLETE  # alpha's mark is alpha's own


def test_the_year_view_takes_the_same_queries_however_many_rows(alpha, django_assert_num_queries):
    def count():
        with django_assert_num_queries(2) as captured:  # the year's rows, its marks (national and own)
            year_view(alpha.jurisdiction, 2027)
        return len(captured)

    few = count()
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                jurisdiction=alpha.jurisdiction,
                date=D(2027, 1, 1) + dt.timedelta(days=n),
                is_working_day=False,
            )
            for n in range(0, 300, 2)
        ]
        + [
            CalendarDay(date=D(2027, 1, 2) + dt.timedelta(days=n), is_working_day=True)
            for n in range(0, 300, 2)
        ]
    )
    assert count() == few
