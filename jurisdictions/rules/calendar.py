"""Working days on the Chinese statutory calendar (法定节假日 and 调休 make-up workdays).

Pure: the caller passes the database overrides in (selectors.working_calendar builds
one). chinesecalendar knows the State Council's schedule for the years it ships; for later
years an admin enters holiday and make-up-workday rows and marks the year published.
A date in a year nobody has published falls back to Monday–Friday and is reported in
`unknown_years`, never raising.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar
from chinese_calendar import constants as _library


@cache
def library_years() -> frozenset[int]:
    return frozenset(d.year for d in (*_library.holidays, *_library.workdays))


@dataclass(frozen=True)
class WorkingDayResult:
    date: dt.date
    unknown_years: tuple[int, ...] = ()

    @property
    def certain(self) -> bool:
        return not self.unknown_years


@dataclass(frozen=True)
class WorkingCalendar:
    """`overrides`: date → True (working day, e.g. 调休上班) or False (day off, e.g. 春节)."""

    overrides: Mapping[dt.date, bool] = field(default_factory=dict)
    published_years: frozenset[int] = frozenset()

    def is_known(self, day: dt.date) -> bool:
        return day.year in library_years() or day.year in self.published_years

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in library_years():
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> WorkingDayResult:
        """The n-th working day after `start` (before it when n < 0); n == 0 gives `start`."""
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
