"""Working days on the statutory calendar.

Expected dates are counted by hand from the State Council's 2026 schedule (国办发明电〔2025〕7号):
  元旦 1月1日至3日放假，1月4日（周日）上班;
  春节 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班;
  中秋节 9月25日至27日放假;
  国庆节 10月1日至7日放假，9月20日（周日）、10月10日（周六）上班.
2027 is not in chinesecalendar 1.11: it falls back to Monday–Friday unless an admin publishes it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jurisdictions import selectors
from jurisdictions.models import CalendarDay, CalendarYear, Jurisdiction
from jurisdictions.rules.calendar import WorkingCalendar, library_years

D = dt.date
CAL = WorkingCalendar()


def test_2027_is_not_a_library_year():
    # the fallback tests below rely on this; if chinesecalendar learns 2027, move them to a later year
    assert 2026 in library_years()
    assert 2027 not in library_years()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # 元旦
        (D(2026, 1, 2), False),  # Friday, 元旦
        (D(2026, 1, 4), True),  # Sunday, make-up workday
        (D(2026, 2, 13), True),  # Friday before the Spring Festival
        (D(2026, 2, 14), True),  # Saturday, make-up workday
        (D(2026, 2, 16), False),  # Monday, 春节
        (D(2026, 2, 23), False),  # Monday, last day of 春节
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday, make-up workday
        (D(2026, 3, 1), False),  # ordinary Sunday
        (D(2026, 9, 19), False),  # ordinary Saturday
        (D(2026, 9, 20), True),  # Sunday, National Day make-up workday
        (D(2026, 9, 25), False),  # Friday, 中秋节
        (D(2026, 10, 1), False),
        (D(2026, 10, 5), False),  # Monday, 国庆节
        (D(2026, 10, 7), False),
        (D(2026, 10, 8), True),
        (D(2026, 10, 10), True),  # Saturday, make-up workday
        (D(2026, 10, 11), False),  # ordinary Sunday
    ],
)
def test_is_working_day_2026(day, working):
    assert CAL.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 9, 30), 1, D(2026, 10, 8)),  # Wed → over 1–7 Oct
        # Thu 24 Sep: 28, 29, 30 Sep (25–27 中秋), 8, 9 (5), 10 (Sat make-up), 12, 13, 14, 15 Oct
        (D(2026, 9, 24), 5, D(2026, 10, 9)),
        (D(2026, 9, 24), 10, D(2026, 10, 15)),
        (D(2026, 10, 9), 1, D(2026, 10, 10)),  # Fri → Sat make-up workday
        (D(2026, 10, 10), 1, D(2026, 10, 12)),  # Sat make-up → Mon (Sun 11 off)
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Fri → Sun make-up workday (Sat 19 off)
        (D(2026, 10, 3), 1, D(2026, 10, 8)),  # starting on a holiday
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # New Year: 1–3 Jan off, Sun 4 Jan worked
        (D(2026, 2, 13), 1, D(2026, 2, 14)),  # Fri → Sat make-up workday
        (D(2026, 2, 14), 1, D(2026, 2, 24)),  # 15–23 Feb off
        (D(2026, 2, 13), 3, D(2026, 2, 25)),
        (D(2026, 2, 27), 1, D(2026, 2, 28)),  # Fri → Sat make-up workday
        (D(2026, 2, 27), 2, D(2026, 3, 2)),  # Sun 1 Mar off
    ],
)
def test_add_working_days_2026(start, n, expected):
    result = CAL.add_working_days(start, n)
    assert result.date == expected
    assert result.unknown_years == ()
    assert result.certain


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        (D(2026, 10, 12), -1, D(2026, 10, 10)),  # back onto the Saturday make-up workday
        (D(2026, 9, 28), -1, D(2026, 9, 24)),  # back over 中秋 and the weekend
        (D(2026, 9, 21), -1, D(2026, 9, 20)),  # Sunday make-up workday
        (D(2026, 9, 21), -2, D(2026, 9, 18)),
        (D(2026, 2, 24), -1, D(2026, 2, 14)),
        (D(2026, 2, 24), -2, D(2026, 2, 13)),
        (D(2026, 1, 5), -2, D(2025, 12, 31)),  # Mon → Sun 4 Jan → over 1–3 Jan
    ],
)
def test_add_negative_working_days(start, n, expected):
    result = CAL.add_working_days(start, n)
    assert result.date == expected
    assert result.certain


@pytest.mark.parametrize("start", [D(2026, 10, 3), D(2026, 10, 8), D(2027, 1, 2)])
def test_add_zero_working_days_is_the_start(start):
    result = CAL.add_working_days(start, 0)
    assert result.date == start
    assert result.unknown_years == ()


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        (D(2026, 9, 30), D(2026, 10, 10), 3),  # 8, 9, 10 Oct
        (D(2026, 9, 30), D(2026, 10, 7), 0),  # the whole holiday
        (D(2026, 2, 13), D(2026, 2, 28), 6),  # 14, 24, 25, 26, 27, 28 Feb
        (D(2026, 9, 17), D(2026, 9, 27), 6),  # 18, 20 (Sun make-up), 21, 22, 23, 24; 19 and 25–27 off
        (D(2026, 10, 8), D(2026, 10, 8), 0),  # empty range
        (D(2026, 10, 9), D(2026, 10, 8), 0),  # end before start
    ],
)
def test_working_days_between_2026(start, end, days):
    result = CAL.working_days_between(start, end)
    assert result.days == days
    assert result.unknown_years == ()


@pytest.mark.parametrize(("start", "n"), [(D(2026, 9, 24), 5), (D(2026, 2, 10), 12), (D(2025, 12, 30), 4)])
def test_between_inverts_add(start, n):
    end = CAL.add_working_days(start, n).date
    assert CAL.working_days_between(start, end).days == n


# ---------------------------------------------------------------------------- years no calendar covers


def test_unknown_year_falls_back_to_weekdays_and_says_so():
    result = CAL.add_working_days(D(2026, 12, 31), 1)  # Thursday
    assert result.date == D(2027, 1, 1)  # Friday: a weekday (in reality 元旦)
    assert result.unknown_years == (2027,)
    assert not result.certain


def test_unknown_year_skips_weekends():
    # Thu 31 Dec 2026 + 3 → Fri 1, Mon 4, Tue 5 Jan 2027
    result = CAL.add_working_days(D(2026, 12, 31), 3)
    assert result.date == D(2027, 1, 5)
    assert result.unknown_years == (2027,)


def test_within_a_known_year_nothing_is_flagged():
    result = CAL.add_working_days(D(2026, 12, 30), 1)
    assert result.date == D(2026, 12, 31)
    assert result.certain


def test_backwards_out_of_an_unknown_year():
    result = CAL.add_working_days(D(2027, 1, 4), -2)  # Mon → Fri 1 Jan → Thu 31 Dec
    assert result.date == D(2026, 12, 31)
    assert result.unknown_years == (2027,)


def test_several_unknown_years_are_listed():
    result = CAL.add_working_days(D(2027, 12, 30), 2)  # Thu → Fri 31 Dec → Mon 3 Jan 2028
    assert result.date == D(2028, 1, 3)
    assert result.unknown_years == (2027, 2028)


def test_working_days_between_into_an_unknown_year():
    # after Thu 31 Dec 2026 up to Fri 8 Jan 2027: 1, 4, 5, 6, 7, 8 Jan
    result = CAL.working_days_between(D(2026, 12, 31), D(2027, 1, 8))
    assert result.days == 6
    assert result.unknown_years == (2027,)


OVERRIDES_2027 = {D(2027, 1, 1): False, D(2027, 1, 9): True}  # 元旦 off; Saturday 9 Jan a make-up workday


def test_published_overrides_make_an_unknown_year_certain():
    calendar = WorkingCalendar(overrides=OVERRIDES_2027, published_years=frozenset({2027}))
    result = calendar.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4)  # Fri 1 Jan off, weekend off
    assert result.certain
    saturday = calendar.add_working_days(D(2027, 1, 8), 1)
    assert saturday.date == D(2027, 1, 9)
    assert saturday.certain
    assert calendar.working_days_between(D(2026, 12, 31), D(2027, 1, 10)).days == 6  # 4–8 and 9 Jan
    assert calendar.working_days_between(D(2026, 12, 31), D(2027, 1, 10)).unknown_years == ()


def test_overrides_without_publication_are_applied_but_still_flagged():
    calendar = WorkingCalendar(overrides=OVERRIDES_2027)
    result = calendar.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4)
    assert result.unknown_years == (2027,)


def test_publishing_a_year_without_overrides_trusts_the_weekdays():
    calendar = WorkingCalendar(published_years=frozenset({2027}))
    result = calendar.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 1)
    assert result.certain


def test_overrides_win_over_the_library_in_a_known_year():
    calendar = WorkingCalendar(overrides={D(2026, 10, 8): False, D(2026, 10, 4): True})
    assert calendar.is_working_day(D(2026, 10, 4)) is True
    assert calendar.is_working_day(D(2026, 10, 8)) is False
    assert calendar.add_working_days(D(2026, 9, 30), 1).date == D(2026, 10, 4)
    assert calendar.add_working_days(D(2026, 10, 4), 1).date == D(2026, 10, 9)


# ---------------------------------------------------------------------------- database overrides


@pytest.fixture
def gamma(db):
    return Jurisdiction.objects.create(
        code="gamma", name_zh="丙市", name_en="Gamma", level="city", project_code_prefix="GAM"
    )


@pytest.mark.django_db
def test_national_rows_and_published_year():
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    CalendarDay.objects.create(date=D(2027, 1, 9), is_working_day=True, name="调休上班")
    result = selectors.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4)
    assert result.unknown_years == (2027,)  # rows entered, year not yet published
    CalendarYear.objects.create(year=2027, notes="test")
    result = selectors.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4)
    assert result.certain
    assert selectors.add_working_days(D(2027, 1, 8), 1).date == D(2027, 1, 9)
    count = selectors.working_days_between(D(2026, 12, 31), D(2027, 1, 10))
    assert (count.days, count.unknown_years) == (6, ())


@pytest.mark.django_db
def test_no_rows_is_the_weekday_fallback():
    result = selectors.add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 1)
    assert result.unknown_years == (2027,)
    calendar = selectors.working_calendar()
    assert dict(calendar.overrides) == {}
    assert calendar.published_years == frozenset()


def test_jurisdiction_rows_apply_only_to_that_jurisdiction(alpha, gamma):
    CalendarDay.objects.create(date=D(2027, 1, 1), is_working_day=False, name="元旦")
    CalendarDay.objects.create(
        jurisdiction=alpha.jurisdiction, date=D(2027, 1, 4), is_working_day=False, name="本地"
    )
    CalendarYear.objects.create(year=2027)
    # alpha: 1 Jan (national) and 4 Jan (local) off
    assert selectors.add_working_days(D(2026, 12, 31), 1, alpha.jurisdiction).date == D(2027, 1, 5)
    # national calendar and another jurisdiction: only 1 Jan off
    assert selectors.add_working_days(D(2026, 12, 31), 1).date == D(2027, 1, 4)
    assert selectors.add_working_days(D(2026, 12, 31), 1, gamma).date == D(2027, 1, 4)
    assert selectors.working_days_between(D(2026, 12, 31), D(2027, 1, 8), alpha.jurisdiction).days == 4
    assert selectors.working_days_between(D(2026, 12, 31), D(2027, 1, 8), gamma).days == 5


@pytest.mark.parametrize("local_first", [True, False])
def test_jurisdiction_row_wins_over_national_row(alpha, gamma, local_first):
    # national: Saturday 9 Jan 2027 is a make-up workday; alpha keeps it a day off
    national = {"date": D(2027, 1, 9), "is_working_day": True, "name": "调休上班"}
    local = {
        "jurisdiction": alpha.jurisdiction,
        "date": D(2027, 1, 9),
        "is_working_day": False,
        "name": "本地休息",
    }
    for values in [local, national] if local_first else [national, local]:
        CalendarDay.objects.create(**values)
    CalendarYear.objects.create(year=2027)
    assert selectors.working_calendar(alpha.jurisdiction).is_working_day(D(2027, 1, 9)) is False
    assert selectors.add_working_days(D(2027, 1, 8), 1, alpha.jurisdiction).date == D(2027, 1, 11)
    assert selectors.add_working_days(D(2027, 1, 8), 1).date == D(2027, 1, 9)
    assert selectors.add_working_days(D(2027, 1, 8), 1, gamma).date == D(2027, 1, 9)


def test_local_row_in_a_known_year_overrides_the_library(alpha):
    # a local day off on Thu 8 Oct 2026 (after the National Day holiday)
    CalendarDay.objects.create(jurisdiction=alpha.jurisdiction, date=D(2026, 10, 8), is_working_day=False)
    assert selectors.add_working_days(D(2026, 9, 30), 1, alpha.jurisdiction).date == D(2026, 10, 9)
    assert selectors.add_working_days(D(2026, 9, 30), 1).date == D(2026, 10, 8)
