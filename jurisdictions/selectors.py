"""Read-side helpers for jurisdictions: the pack in force and the working-day calendar."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from govproj.caching import Memo, stamped
from govproj.errors import NotFound
from jurisdictions.models import (
    CALENDAR_STAMP,
    RULE_PACKS_STAMP,
    CalendarDay,
    CalendarYear,
    Jurisdiction,
    RulePack,
)
from jurisdictions.rules.calendar import WorkingCalendar, WorkingDayCount, WorkingDayResult


def jurisdiction_for(user, code: str, action: str = "view") -> Jurisdiction:
    """The jurisdiction `code` if the user may see it; otherwise NotFound (never reveal it exists)."""
    found = Jurisdiction.objects.for_user(user, action).filter(code=code).first()
    if found is None:
        raise NotFound(
            _("No jurisdiction “%(code)s” (or you are not a member of it).") % {"code": code},
            extra={"jurisdiction": code},
        )
    return found


def rule_pack(
    jurisdiction: Jurisdiction, *, version: int | None = None, as_of: dt.date | None = None
) -> RulePack:
    """A given version, or the version in force on `as_of` (today when not given)."""
    # The content is read only when this process has not validated the version yet (RulePack.spec).
    packs = RulePack.objects.filter(jurisdiction=jurisdiction).defer("content")
    if version is not None:
        found = packs.filter(version=version).first()
        if found is None:
            raise NotFound(
                _("No version %(version)s of %(code)s's rule pack.")
                % {"version": version, "code": jurisdiction.code},
                extra={"version": version},
            )
        return found
    day = as_of or dt.date.today()
    found = stamped(IN_FORCE, RULE_PACKS_STAMP, (jurisdiction.pk, day), lambda: packs.in_force_on(day))
    if found is None:
        raise NotFound(_("This jurisdiction has no rule pack loaded."))
    return found


# The version in force per jurisdiction and day, per process, until a version is published.
# Versions are immutable, so the instances can be shared.
IN_FORCE = Memo(size=256)


# Working calendars per jurisdiction (None: the national one), per process, keyed on the calendar
# stamp that every write to a calendar row renews: an edit shows on the next request everywhere.
CALENDARS = Memo(size=64)


def working_calendar(jurisdiction: Jurisdiction | int | None = None) -> WorkingCalendar:
    """The statutory calendar with the admin-entered overrides (national, then the jurisdiction's own).

    Its years marked complete are the national marks and the jurisdiction's own (another
    jurisdiction's mark says nothing about this one). Read from the database once per process
    until a calendar row changes.
    """
    jurisdiction_id = jurisdiction.pk if isinstance(jurisdiction, Jurisdiction) else jurisdiction
    return stamped(CALENDARS, CALENDAR_STAMP, jurisdiction_id, lambda: _read_calendar(jurisdiction_id))


def _read_calendar(jurisdiction_id: int | None) -> WorkingCalendar:
    rows = CalendarDay.objects.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction_id=jurisdiction_id))
    overrides: dict[dt.date, bool] = {}
    for row in sorted(rows, key=lambda r: r.jurisdiction_id is not None):  # local rows last, so they win
        overrides[row.date] = row.is_working_day
    marks = CalendarYear.objects.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction_id=jurisdiction_id))
    years = frozenset(marks.values_list("year", flat=True))
    return WorkingCalendar(overrides=overrides, published_years=years)


def add_working_days(start: dt.date, n: int, jurisdiction: Jurisdiction | None = None) -> WorkingDayResult:
    """The n-th working day after `start`; `unknown_years` names years no calendar covers."""
    return working_calendar(jurisdiction).add_working_days(start, n)


def working_days_between(
    start: dt.date, end: dt.date, jurisdiction: Jurisdiction | None = None
) -> WorkingDayCount:
    return working_calendar(jurisdiction).working_days_between(start, end)
