"""Working days on the Chinese statutory calendar (法定节假日 and 调休 make-up workdays).

Pure: the caller passes the database overrides in (selectors.working_calendar builds
one). chinesecalendar knows the State Council's schedule for the years it ships; for later
years an admin enters holiday and make-up-workday rows and marks the year published.
A date in a year nobody has published falls back to Monday–Friday and is reported in
`unknown_years`, never raising.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar
from chinese_calendar import constants as _library


@cache
def library_years() -> frozenset[int]:
    return frozenset(d.year for d in (*_library.holidays, *_library.workdays))


@cache
def _library_range() -> tuple[int, int]:
    """The years chinese_calendar answers for (it checks this range on every call, slowly)."""
    return min(_library.holidays).year, max(_library.holidays).year


def _library_workday(day: dt.date) -> bool:
    """`chinese_calendar.is_workday(day)` for a date of a library year, without its per-call scan."""
    low, high = _library_range()
    if type(day) is not dt.date or not low <= day.year <= high:
        return chinese_calendar.is_workday(day)  # datetimes, and its own error outside its range
    return day in _library.workdays or (day.weekday() <= 4 and day not in _library.holidays)


@cache
def _base_year(year: int) -> bytes:
    """Working-day flags of every day of `year` without overrides: the library's, else Mon–Fri."""
    first = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - first).days if year < dt.MAXYEAR else 365
    known = year in library_years()
    flags = bytearray(days)
    for index in range(days):
        day = first + dt.timedelta(days=index)
        flags[index] = _library_workday(day) if known else day.weekday() < 5
    return bytes(flags)


@dataclass(frozen=True)
class WorkingDayResult:
    date: dt.date
    unknown_years: tuple[int, ...] = ()

    @property
    def certain(self) -> bool:
        return not self.unknown_years


@dataclass(frozen=True)
class WorkingCalendar:
    """`overrides`: date → True (working day, e.g. 调休上班) or False (day off, e.g. 春节).

    Frozen, and `overrides` is read as it is when the calendar is first used: each calendar
    keeps, on itself, its years' working-day flags with its own overrides applied (build a new
    calendar for other overrides; never mutate the mapping of one in use).
    """

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    published_years: frozenset[int] = frozenset()

    def is_known(self, day: dt.date) -> bool:
        return day.year in library_years() or day.year in self.published_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in library_years():
            return _library_workday(day)
        return day.weekday() < 5

    def _working_days_of(self, year: int) -> tuple[int, tuple[int, ...]]:
        """(ordinal of 1 January, day-of-year indexes of the working days) of a year, with overrides."""
        years = self.__dict__.get("_years")
        if years is None:
            by_year: dict[int, list[tuple[dt.date, bool]]] = {}
            for day, working in self.overrides.items():
                if isinstance(day, dt.date) and not isinstance(day, dt.datetime):  # a datetime never matched
                    by_year.setdefault(day.year, []).append((day, bool(working)))
            years = {}
            object.__setattr__(self, "_overrides_by_year", by_year)
            object.__setattr__(self, "_years", years)
        found = years.get(year)
        if found is None:
            first = dt.date(year, 1, 1).toordinal()
            flags = bytearray(_base_year(year))
            for day, working in self.__dict__["_overrides_by_year"].get(year, ()):
                flags[day.toordinal() - first] = working
            found = years[year] = (first, tuple(i for i, working in enumerate(flags) if working))
        return found

    def add_working_days(self, start: dt.date, n: int) -> WorkingDayResult:
        """The n-th working day after `start` (before it when n < 0); n == 0 gives `start`."""
        if type(start) is not dt.date or not n or not dt.MINYEAR < start.year < dt.MAXYEAR:
            return self._add_working_days_day_by_day(start, n)
        # Jump through each year's list of working days instead of asking day by day.
        remaining = abs(n)
        year = start.year
        first, working = self._working_days_of(year)
        index = start.toordinal() - first
        while True:
            if n > 0:
                after = bisect_right(working, index)
                if after + remaining <= len(working):
                    index = working[after + remaining - 1]
                    break
                remaining -= len(working) - after
                year += 1
            else:
                before = bisect_left(working, index)
                if before >= remaining:
                    index = working[before - remaining]
                    break
                remaining -= before
                year -= 1
            if not dt.MINYEAR <= year <= dt.MAXYEAR:
                return self._add_working_days_day_by_day(start, n)  # raises as it always did
            first, working = self._working_days_of(year)
            index = -1 if n > 0 else 366  # before the first day, after the last
        result = dt.date.fromordinal(first + index)
        # Every day stepped over, from the day after (before) `start` to the result, was asked about.
        nearest = dt.date.fromordinal(start.toordinal() + (1 if n > 0 else -1)).year
        low, high = sorted((nearest, result.year))
        unknown = tuple(y for y in range(low, high + 1) if not self._year_known(y))
        return WorkingDayResult(result, unknown)

    def _year_known(self, year: int) -> bool:
        return year in library_years() or year in self.published_years

    def _add_working_days_day_by_day(self, start: dt.date, n: int) -> WorkingDayResult:
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = start
        unknown: set[int] = set()
        while remaining:
            day += dt.timedelta(days=step)
            if not self.is_known(day):
                unknown.add(day.year)
            if self.is_working_day(day):
                remaining -= 1
        return WorkingDayResult(day, tuple(sorted(unknown)))

    def working_days_between(self, start: dt.date, end: dt.date) -> WorkingDayCount:
        """Working days after `start` up to and including `end`."""
        count, unknown = 0, set()
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if not self.is_known(day):
                unknown.add(day.year)
            count += self.is_working_day(day)
        return WorkingDayCount(count, tuple(sorted(unknown)))


@dataclass(frozen=True)
class WorkingDayCount:
    days: int
    unknown_years: tuple[int, ...] = ()
