"""Calendar upkeep services: a day toggled on and off (national, or a jurisdiction's own), a year marked
complete and back; who may, what is read only, what input is refused; the working days follow.

2027 is not in chinesecalendar 1.11 (tests/jurisdictions/test_calendar.py checks it); 2027-01-01 is a
Friday, 2027-01-02 a Saturday. 2026 is shipped: 2026-07-01 is an ordinary Wednesday there.
"""

from __future__ import annotations

import datetime as dt

import pytest

from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import CalendarDay, CalendarYear, Role
from jurisdictions.selectors import add_working_days, working_calendar
from jurisdictions.workdays import services
from security.models import Kind, SecurityEvent

pytestmark = pytest.mark.django_db
FRIDAY, SATURDAY = dt.date(2027, 1, 1), dt.date(2027, 1, 2)
JULY_FIRST_2026 = dt.date(2026, 7, 1)


def admin_of(tenant):
    return tenant.users[Role.JURISDICTION_ADMIN]


def toggle(actor, jurisdiction, day, name=""):
    return services.calendar_day_toggle(actor=actor, jurisdiction=jurisdiction, day=day, name=name)


def test_a_weekday_becomes_a_named_day_off_of_the_jurisdiction_and_back(alpha, beta):
    row = toggle(admin_of(alpha), alpha.jurisdiction, FRIDAY, "元旦")
    assert (row.jurisdiction, row.date, row.is_working_day, row.name) == (
        alpha.jurisdiction,
        FRIDAY,
        False,
        "元旦",
    )
    assert not working_calendar(alpha.jurisdiction).is_working_day(FRIDAY)
    assert working_calendar(beta.jurisdiction).is_working_day(FRIDAY)  # alpha's own day only
    assert working_calendar(None).is_working_day(FRIDAY)
    event = SecurityEvent.objects.get(kind=Kind.ADMIN_ADDED)
    assert event.jurisdiction == alpha.jurisdiction and event.actor == admin_of(alpha)
    assert (
        event.data["model"] == "jurisdictions.calendarday" and event.data["changes"]["name"]["to"] == "元旦"
    )

    assert toggle(admin_of(alpha), alpha.jurisdiction, FRIDAY) is None
    assert not CalendarDay.objects.exists()
    assert working_calendar(alpha.jurisdiction).is_working_day(FRIDAY)
    removed = SecurityEvent.objects.get(kind=Kind.ADMIN_DELETED)
    assert removed.data["changes"]["is_working_day"] == {"from": "False", "to": None}


def test_a_weekend_day_becomes_a_make_up_workday(alpha):
    row = toggle(admin_of(alpha), alpha.jurisdiction, SATURDAY, "春节调休")
    assert row.is_working_day is True
    assert working_calendar(alpha.jurisdiction).is_working_day(SATURDAY)


def test_the_working_days_follow_the_day_made_a_holiday(alpha):
    before = add_working_days(dt.date(2026, 12, 31), 1, alpha.jurisdiction)
    assert before.date == FRIDAY and before.unknown_years == (2027,)
    toggle(admin_of(alpha), alpha.jurisdiction, FRIDAY, "元旦")
    assert add_working_days(dt.date(2026, 12, 31), 1, alpha.jurisdiction).date == dt.date(2027, 1, 4)
    services.calendar_year_mark(actor=admin_of(alpha), jurisdiction=alpha.jurisdiction, year=2027)
    assert add_working_days(dt.date(2026, 12, 31), 1, alpha.jurisdiction).certain


def test_the_superuser_enters_national_days_and_a_jurisdiction_adjusts_its_own(alpha, beta, superuser):
    national = toggle(superuser, None, FRIDAY, "元旦")
    assert national.jurisdiction is None and national.is_working_day is False
    assert not working_calendar(beta.jurisdiction).is_working_day(FRIDAY)
    # alpha works that day: its own row, the opposite of the national one, wins for alpha only
    local = toggle(admin_of(alpha), alpha.jurisdiction, FRIDAY)
    assert local.jurisdiction == alpha.jurisdiction and local.is_working_day is True
    assert working_calendar(alpha.jurisdiction).is_working_day(FRIDAY)
    assert not working_calendar(beta.jurisdiction).is_working_day(FRIDAY)
    # undoing alpha's row leaves the national one alone
    assert toggle(admin_of(alpha), alpha.jurisdiction, FRIDAY) is None
    assert list(CalendarDay.objects.values_list("jurisdiction", flat=True)) == [None]
    assert SecurityEvent.objects.filter(kind=Kind.ADMIN_ADDED, jurisdiction__isnull=True).count() == 1


def test_only_superusers_edit_national_rows(alpha):
    with pytest.raises(NotPermitted):
        toggle(admin_of(alpha), None, FRIDAY)
    with pytest.raises(NotPermitted):
        services.calendar_year_mark(actor=admin_of(alpha), jurisdiction=None, year=2027)
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.JURISDICTION_ADMIN}))
def test_other_roles_are_refused(alpha, role):
    user = alpha.users[role]
    with pytest.raises(NotPermitted):
        toggle(user, alpha.jurisdiction, FRIDAY)
    with pytest.raises(NotPermitted):
        services.calendar_year_mark(actor=user, jurisdiction=alpha.jurisdiction, year=2027)
    assert not CalendarDay.objects.exists() and not CalendarYear.objects.exists()


def test_another_jurisdictions_admin_finds_nothing(alpha, beta):
    with pytest.raises(NotFound):
        toggle(admin_of(beta), alpha.jurisdiction, FRIDAY)
    with pytest.raises(NotFound):
        services.calendar_year_unmark(actor=admin_of(beta), jurisdiction=alpha.jurisdiction, year=2027)


def test_a_shipped_year_is_read_only_nationally_but_takes_local_adjustments(alpha, superuser):
    with pytest.raises(InvalidTransition) as refused:
        toggle(superuser, None, JULY_FIRST_2026)
    assert refused.value.extra["allowed"] == []
    # a local holiday (e.g. one an autonomous area sets itself) on an ordinary Wednesday
    row = toggle(admin_of(alpha), alpha.jurisdiction, JULY_FIRST_2026, "本地节日")
    assert row.is_working_day is False
    assert add_working_days(dt.date(2026, 6, 30), 1, alpha.jurisdiction).date == dt.date(2026, 7, 2)
    # a shipped holiday (国庆节) made a local working day is the opposite of the library's answer
    assert toggle(admin_of(alpha), alpha.jurisdiction, dt.date(2026, 10, 1)).is_working_day is True
    for year in (2026, 2020):
        with pytest.raises(InvalidTransition):
            services.calendar_year_mark(actor=superuser, jurisdiction=None, year=year)


@pytest.mark.parametrize(
    ("day", "name", "field"),
    [
        (dt.date(1999, 12, 31), "", "date"),
        (dt.date(2101, 1, 3), "", "date"),
        (dt.datetime(2027, 1, 1, 8, 0), "", "date"),
        ("2027-01-01", "", "date"),
        (FRIDAY, "长" * 101, "name"),
        (FRIDAY, "元\x00旦", "name"),
        (FRIDAY, ["元旦"], "name"),
    ],
)
def test_bad_input_names_the_field(alpha, day, name, field):
    with pytest.raises(ValidationFailed) as refused:
        toggle(admin_of(alpha), alpha.jurisdiction, day, name)
    assert field in refused.value.extra["errors"]
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("year", [1999, 2101, 10**30, "二〇二七", None, True, 2027.5j])
def test_a_year_outside_2000_to_2100_is_refused(alpha, year):
    with pytest.raises(ValidationFailed) as refused:
        services.calendar_year_mark(actor=admin_of(alpha), jurisdiction=alpha.jurisdiction, year=year)
    assert "year" in refused.value.extra["errors"]


def test_a_year_is_marked_complete_once_and_the_mark_taken_back(alpha):
    admin = admin_of(alpha)
    row = services.calendar_year_mark(
        actor=admin, jurisdiction=alpha.jurisdiction, year=2027, notes="国办发明电〔2026〕1号"
    )
    assert (row.year, row.notes) == (2027, "国办发明电〔2026〕1号")
    assert working_calendar(alpha.jurisdiction).is_known(FRIDAY)
    with pytest.raises(InvalidTransition) as twice:
        services.calendar_year_mark(actor=admin, jurisdiction=alpha.jurisdiction, year=2027)
    assert twice.value.extra["allowed"] == ["unmark"]

    services.calendar_year_unmark(actor=admin, jurisdiction=alpha.jurisdiction, year=2027)
    assert not CalendarYear.objects.exists()
    assert not working_calendar(alpha.jurisdiction).is_known(FRIDAY)
    with pytest.raises(InvalidTransition) as again:
        services.calendar_year_unmark(actor=admin, jurisdiction=alpha.jurisdiction, year=2027)
    assert again.value.extra["allowed"] == ["mark"]
    kinds = list(SecurityEvent.objects.filter(jurisdiction=alpha.jurisdiction).values_list("kind", flat=True))
    assert sorted(kinds) == [Kind.ADMIN_ADDED, Kind.ADMIN_DELETED]


def test_an_edit_reaches_a_calendar_already_cached(alpha, committed, django_assert_num_queries):
    jurisdiction = alpha.jurisdiction
    with committed():
        CalendarDay.objects.create(date=dt.date(2027, 3, 3), is_working_day=False)  # settles the stamp
    working_calendar(jurisdiction)
    with django_assert_num_queries(0):
        assert working_calendar(jurisdiction).is_working_day(FRIDAY)  # served from the cache
    with committed():
        toggle(admin_of(alpha), jurisdiction, FRIDAY, "元旦")
    assert not working_calendar(jurisdiction).is_working_day(FRIDAY)
    with committed():
        services.calendar_year_mark(actor=admin_of(alpha), jurisdiction=jurisdiction, year=2027)
    assert working_calendar(jurisdiction).is_known(FRIDAY)
