"""Read side of calendar upkeep: whose calendar a person edits, a year's days with why each is (not) a
working day, and which years are not complete yet.

Who edits what:
- a jurisdiction admin edits their own jurisdiction's rows (本地调整); a platform superuser edits the
  national rows (no jurisdiction), or a jurisdiction's when they pick one;
- a year chinesecalendar knows carries the State Council's schedule as shipped: its national days are
  read only (a national row there would contradict the published schedule; a wrong library is fixed
  by upgrading it). A jurisdiction may still adjust its own days in such a year: the local people's
  governments of ethnic autonomous areas set their own holidays (《全国年节及纪念日放假办法》第四条), and
  its offices close on them, so its working-day deadlines must skip them.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as LIBRARY_HOLIDAYS
from chinese_calendar.constants import workdays as LIBRARY_WORKDAYS
from django.db.models import Q
from django.utils import dateformat
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govproj.caching import Memo, per_request, stamped
from govproj.errors import NotPermitted, ValidationFailed
from govproj.i18n import english
from jurisdictions.models import CALENDAR_STAMP, CalendarDay, CalendarYear, Jurisdiction, Role, memberships_of
from jurisdictions.rules.calendar import library_years
from jurisdictions.selectors import jurisdiction_for

# The years the upkeep pages and API accept (a calendar beyond them is nobody's business today).
YEAR_MIN, YEAR_MAX = 2000, 2100
NAME_MAX = CalendarDay._meta.get_field("name").max_length
NOTES_MAX = CalendarYear._meta.get_field("notes").max_length
# Monday first, as Chinese calendars print them.
WEEKDAY_HEADINGS = [gettext_lazy(label) for label in ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")]


class Kind(StrEnum):
    """Why a day is what it is."""

    WORKDAY = "workday"  # Monday to Friday, nothing else said
    WEEKEND = "weekend"  # 周末
    HOLIDAY = "holiday"  # 法定节假日 (the library's or a national row's day off)
    MAKEUP = "makeup"  # 调休上班 (the library's or a national row's working weekend day)
    LOCAL = "local"  # 本地调整: a row of the jurisdiction itself, whichever way


KIND_LABELS = {
    Kind.WORKDAY: gettext_lazy("Working day"),
    Kind.WEEKEND: gettext_lazy("Weekend"),
    Kind.HOLIDAY: gettext_lazy("Public holiday"),
    Kind.MAKEUP: gettext_lazy("Make-up workday"),
    Kind.LOCAL: gettext_lazy("Local adjustment"),
}


class YearStatus(StrEnum):
    KNOWN = "known"  # chinesecalendar ships the State Council's schedule
    COMPLETE = "complete"  # marked entered (CalendarYear): nationally, or by the jurisdiction itself
    INCOMPLETE = "incomplete"  # neither: Monday to Friday apart from the rows entered so far


def checked_year(value, *, field: str = "year") -> int:
    """`value` as a year the upkeep accepts, else ValidationFailed naming the field (never a 500)."""
    year = None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 4:
        year = int(value)  # a path's "2027"; not "２０２７", " 2027" or "2027.0"
    elif isinstance(value, int) and not isinstance(value, bool):
        year = value
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationFailed(
            _("Enter a year from %(low)s to %(high)s.") % _bounds(),
            extra={"errors": {field: [_("Must be a year from %(low)s to %(high)s.") % _bounds()]}},
        )
    return year


def checked_day(value, *, field: str = "date") -> dt.date:
    if type(value) is not dt.date or not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationFailed(
            _("Enter a date in the years %(low)s to %(high)s.") % _bounds(),
            extra={"errors": {field: [_("Must be a date in the years %(low)s to %(high)s.") % _bounds()]}},
        )
    return value


def _bounds() -> dict:
    return {"low": YEAR_MIN, "high": YEAR_MAX}


# ---------------------------------------------------------------------------- whose calendar


def administers(user, jurisdiction: Jurisdiction | None) -> bool:
    """The user edits this calendar (None: the national one, the superusers')."""
    if user.is_superuser:
        return True
    if jurisdiction is None or not user.is_authenticated:
        return False
    return any(
        m.role == Role.JURISDICTION_ADMIN and m.jurisdiction_id == jurisdiction.pk
        for m in memberships_of(user)
    )


def is_calendar_admin(user) -> bool:
    """Anyone who edits some calendar: a superuser or a jurisdiction admin (no query beyond the roles)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role == Role.JURISDICTION_ADMIN for m in memberships_of(user))


def calendar_scope(user, code: str | None = None, *, national: bool = False) -> Jurisdiction | None:
    """The calendar `user` edits: the jurisdiction `code`, their own, or (superusers) the national one.

    Another jurisdiction's code is NotFound (as if it did not exist); a member who is not its admin,
    or anyone but a superuser asking for the national calendar, NotPermitted.
    """
    if national:
        if not user.is_superuser:
            raise NotPermitted(_("Only the platform administrators edit the national calendar."))
        return None
    if code:
        jurisdiction = jurisdiction_for(user, code)
        if not administers(user, jurisdiction):
            raise NotPermitted(_("Only this jurisdiction's administrators edit its working-day calendar."))
        return jurisdiction
    if user.is_superuser:
        return None
    own = administered(user)
    if not own:
        raise NotPermitted(_("Only jurisdiction administrators edit the working-day calendar."))
    return own[0]


def administered(user) -> list[Jurisdiction]:
    """The jurisdictions whose calendar the user edits (every one for a superuser), by code."""
    return list(Jurisdiction.objects.for_user(user, "change").order_by("code"))


# ---------------------------------------------------------------------------- complete years

COMPLETE_YEARS = Memo(size=1)


def _marks() -> dict[int | None, frozenset[int]]:
    """Every year marked complete, by whose mark it is (None: national). The table is small (years ×
    jurisdictions), so one query reads it all, for whichever jurisdictions a page asks about."""
    marks: dict[int | None, set[int]] = {}
    for jurisdiction_id, year in CalendarYear.objects.values_list("jurisdiction_id", "year"):
        marks.setdefault(jurisdiction_id, set()).add(year)
    return {owner: frozenset(years) for owner, years in marks.items()}


def completed_years(jurisdiction: Jurisdiction | int | None) -> frozenset[int]:
    """Years complete on the jurisdiction's calendar (None: the national one): the national marks and
    its own. One query per request at most, none while nothing changed."""
    marks = per_request(("calendar-years",), lambda: stamped(COMPLETE_YEARS, CALENDAR_STAMP, "marks", _marks))
    jurisdiction_id = jurisdiction.pk if isinstance(jurisdiction, Jurisdiction) else jurisdiction
    national = marks.get(None, frozenset())
    return national if jurisdiction_id is None else national | marks.get(jurisdiction_id, frozenset())


def incomplete_years(jurisdiction: Jurisdiction | int | None, dates) -> tuple[int, ...]:
    """The years among `dates` neither chinesecalendar knows nor marked complete for `jurisdiction`
    (nationally or by the jurisdiction itself), in order; None asks about the national calendar.

    For a deadline table: pass its open deadlines' dates and whose deadlines they are.
    """
    years = sorted({day.year for day in dates if day is not None} - library_years())
    if not years:
        return ()
    done = completed_years(jurisdiction)
    return tuple(year for year in years if year not in done)


def banner_years(user, today: dt.date) -> tuple[int, ...]:
    """This year and next, where incomplete, for the warning banner of calendar admins (else ()).

    On the calendar each edits by default: a superuser's the national one; a jurisdiction admin's their
    own (any of them, when they administer several).
    """
    if not is_calendar_admin(user):
        return ()
    dates = [dt.date(today.year, 1, 1), dt.date(today.year + 1, 1, 1)]
    if user.is_superuser:
        return incomplete_years(None, dates)
    own = {m.jurisdiction_id for m in memberships_of(user) if m.role == Role.JURISDICTION_ADMIN}
    return tuple(sorted({year for owner in own for year in incomplete_years(owner, dates)}))


# ---------------------------------------------------------------------------- days and years


@dataclass(frozen=True)
class Day:
    date: dt.date
    working: bool
    kind: Kind
    name: str  # the holiday's name (the library's, or the row's)
    national_row: bool  # a national row decides it (entered for a year the library does not know)
    editable: bool

    @property
    def local(self) -> bool:
        return self.kind is Kind.LOCAL

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def short(self) -> str:
        """What fits under the day's number: the holiday's name, else why it is off or on."""
        if self.name:
            return self.name
        if self.kind is Kind.WORKDAY:
            return ""
        return self.kind_label

    @property
    def state(self) -> str:
        return _("Work") if self.working else _("Off")

    @property
    def description(self) -> str:
        """Everything about the day in one sentence (the cell's accessible name and tooltip)."""
        values = {
            "date": dateformat.format(self.date, _("F j, l")),
            "state": _("working day") if self.working else _("day off"),
            "why": " ".join(part for part in (self.kind_label, self.name) if part),
        }
        if self.kind is Kind.WORKDAY and not self.name:
            return _("%(date)s: %(state)s") % values
        return _("%(date)s: %(state)s (%(why)s)") % values

    @property
    def css(self) -> str:
        classes = ["working" if self.working else "off", self.kind.value]
        if self.national_row:
            classes.append("entered")
        return " ".join(classes)


@dataclass(frozen=True)
class Month:
    number: int
    name: str
    weeks: list[list[Day | None]]


@dataclass(frozen=True)
class YearView:
    year: int
    jurisdiction: Jurisdiction | None
    status: YearStatus
    own_mark: CalendarYear | None  # this calendar's own mark (on the national calendar: the national one)
    national_mark: CalendarYear | None  # the national mark, which counts for every jurisdiction
    months: list[Month]
    editable: bool  # days may be toggled
    local_rows: int
    national_rows: int

    @property
    def previous(self) -> int | None:
        return self.year - 1 if self.year > YEAR_MIN else None

    @property
    def next(self) -> int | None:
        return self.year + 1 if self.year < YEAR_MAX else None

    @property
    def markable(self) -> bool:
        """Whether the year can be marked complete or un-marked (the library's years cannot)."""
        return self.status is not YearStatus.KNOWN

    @property
    def entry(self) -> CalendarYear | None:
        """The mark that makes the year complete here: the calendar's own, else the national one."""
        return self.own_mark or self.national_mark

    @property
    def marked_nationally_only(self) -> bool:
        """Complete by the national mark alone: only a platform administrator may take it back."""
        return self.own_mark is None and self.national_mark is not None

    @property
    def national_mark_stays(self) -> bool:
        """A jurisdiction's own mark with a national one besides: taking the own back leaves it complete."""
        return self.jurisdiction is not None and self.own_mark is not None and self.national_mark is not None


def _library_name(english_name: str | None) -> str:
    if not english_name:
        return ""
    try:
        holiday = Holiday(english_name)
    except ValueError:
        return english_name
    return holiday.value if english() else holiday.chinese


def base_working(day: dt.date, national: CalendarDay | None = None) -> bool:
    """Whether `day` is a working day before the rows of the calendar being edited are applied.

    For a jurisdiction's calendar the national row counts as given; for the national calendar pass none.
    """
    if national is not None:
        return national.is_working_day
    if day.year in library_years():
        return day in LIBRARY_WORKDAYS or (day.weekday() < 5 and day not in LIBRARY_HOLIDAYS)
    return day.weekday() < 5


def days_editable(jurisdiction: Jurisdiction | None, year: int) -> bool:
    """National days of a library year are read only; everything else may be toggled by its editor."""
    return jurisdiction is not None or year not in library_years()


def _day(day: dt.date, national: CalendarDay | None, local: CalendarDay | None, editable: bool) -> Day:
    if local is not None:
        return Day(day, local.is_working_day, Kind.LOCAL, local.name, False, editable)
    working = base_working(day, national)
    if national is not None:
        kind = Kind.MAKEUP if working else Kind.HOLIDAY
        return Day(day, working, kind, national.name, True, editable)
    name = ""
    if day.year in library_years() and (day in LIBRARY_HOLIDAYS or day in LIBRARY_WORKDAYS):
        kind = Kind.MAKEUP if working else Kind.HOLIDAY
        name = _library_name(LIBRARY_HOLIDAYS.get(day) or LIBRARY_WORKDAYS.get(day))
    else:
        kind = Kind.WORKDAY if working else Kind.WEEKEND
    return Day(day, working, kind, name, False, editable)


def _rows(jurisdiction: Jurisdiction | None, first: dt.date, last: dt.date):
    """(national rows, the jurisdiction's rows) by date, in one query."""
    scope = Q(jurisdiction__isnull=True)
    if jurisdiction is not None:
        scope |= Q(jurisdiction=jurisdiction)
    national: dict[dt.date, CalendarDay] = {}
    local: dict[dt.date, CalendarDay] = {}
    for row in CalendarDay.objects.filter(scope, date__gte=first, date__lte=last):
        (national if row.jurisdiction_id is None else local)[row.date] = row
    return national, local


def day_view(jurisdiction: Jurisdiction | None, day: dt.date) -> Day:
    """One day as the year view shows it (for the cell an HTMX toggle swaps in)."""
    national, local = _rows(jurisdiction, day, day)
    return _day(day, national.get(day), local.get(day), days_editable(jurisdiction, day.year))


def _year_marks(
    jurisdiction: Jurisdiction | None, year: int
) -> tuple[CalendarYear | None, CalendarYear | None]:
    """(the calendar's own mark, the national mark) of `year`, in one query."""
    scope = Q(jurisdiction__isnull=True)
    if jurisdiction is not None:
        scope |= Q(jurisdiction=jurisdiction)
    marks = {mark.jurisdiction_id: mark for mark in CalendarYear.objects.filter(scope, year=year)}
    national = marks.get(None)
    return (national if jurisdiction is None else marks.get(jurisdiction.pk)), national


def year_view(jurisdiction: Jurisdiction | None, year: int) -> YearView:
    """Twelve Monday-first month grids of `year` on the jurisdiction's calendar (None: national).

    Two queries whatever the rows: the year's calendar rows, and its marks (national and own).
    """
    year = checked_year(year)
    own_mark, national_mark = _year_marks(jurisdiction, year)
    if year in library_years():
        status = YearStatus.KNOWN
    else:
        status = YearStatus.COMPLETE if own_mark or national_mark else YearStatus.INCOMPLETE
    national, local = _rows(jurisdiction, dt.date(year, 1, 1), dt.date(year, 12, 31))
    editable = days_editable(jurisdiction, year)
    months = []
    grid = month_calendar.Calendar(firstweekday=0)
    for number in range(1, 13):
        weeks = [
            [
                _day(day, national.get(day), local.get(day), editable) if day.month == number else None
                for day in week
            ]
            for week in grid.monthdatescalendar(year, number)
        ]
        months.append(Month(number, str(MONTHS[number]), weeks))
    return YearView(
        year=year,
        jurisdiction=jurisdiction,
        status=status,
        own_mark=own_mark,
        national_mark=national_mark,
        months=months,
        editable=editable,
        local_rows=len(local),
        national_rows=len(national),
    )
