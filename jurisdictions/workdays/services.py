"""Write side of calendar upkeep: toggle a day, mark a year complete or not.

One service per action, one transaction each, with a security-log entry (the admin-edit kinds: these
are admin edits made on a page rather than in /admin/). Rows are written one by one through
CalendarRow.save and delete, which renew the calendar stamp: every cached calendar (the engine's
working days, the banner's complete years) is read afresh on the next request, in every process.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from govproj.caching import forget_per_request
from govproj.errors import ConcurrentUpdate, InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import CalendarDay, CalendarYear, Jurisdiction
from jurisdictions.rules.calendar import library_years
from jurisdictions.workdays.selectors import (
    NAME_MAX,
    NOTES_MAX,
    administers,
    base_working,
    checked_day,
    checked_year,
    days_editable,
)
from security.admin_audit import snapshot
from security.models import Kind
from security.services import security_event_record


def _authorise(actor, jurisdiction: Jurisdiction | None) -> Jurisdiction | None:
    """The calendar is the actor's to edit: 404 outside the jurisdiction, 403 for a role without the right."""
    if jurisdiction is None:
        if not actor.is_superuser:
            raise NotPermitted(_("Only the platform administrators edit the national calendar."))
        return None
    if not Jurisdiction.objects.for_user(actor).filter(pk=jurisdiction.pk).exists():
        raise NotFound()
    if not administers(actor, jurisdiction):
        raise NotPermitted(_("Only this jurisdiction's administrators edit its working-day calendar."))
    return Jurisdiction.objects.select_for_update().get(pk=jurisdiction.pk)  # one editor at a time


def _text(value, *, field: str, limit: int) -> str:
    value = "" if value is None else value
    if not isinstance(value, str) or "\x00" in value:
        raise ValidationFailed(extra={"errors": {field: [_("Enter plain text.")]}})
    value = value.strip()
    if len(value) > limit:
        raise ValidationFailed(extra={"errors": {field: [_("At most %(n)s characters.") % {"n": limit}]}})
    return value


def _record(*, kind, actor, request, jurisdiction, row, before: dict | None) -> None:
    after = snapshot(row) if before is None else {}
    names = (before or after).keys()
    changes = {name: {"from": (before or {}).get(name), "to": after.get(name)} for name in names}
    label = f"{row.date.isoformat()} {row.name}" if isinstance(row, CalendarDay) else str(row.year)
    security_event_record(
        kind=kind,
        request=request,
        actor=actor,
        jurisdiction=jurisdiction,
        target=f"{row._meta.label_lower}:{row.pk} {label}".strip(),
        data={"model": row._meta.label_lower, "changes": changes, "via": "calendar"},
    )


@transaction.atomic
def calendar_day_toggle(
    *, actor, jurisdiction: Jurisdiction | None, day: dt.date, name: str = "", request=None
) -> CalendarDay | None:
    """Flip `day` on the calendar being edited (a jurisdiction's, or the national one when None).

    Without a row of this calendar the day becomes the opposite of what it is now: a working day a
    day off (休息日), a day off a make-up workday (调休上班), with `name` (e.g. 春节). With one, the row is
    removed and the day is what the calendar underneath says again. Returns the new row, or None.
    """
    jurisdiction = _authorise(actor, jurisdiction)
    day = checked_day(day)
    name = _text(name, field="name", limit=NAME_MAX)
    if not days_editable(jurisdiction, day.year):
        raise InvalidTransition(
            _(
                "%(year)s follows the State Council's schedule shipped with the system: its national days "
                "are read only."
            )
            % {"year": day.year},
            extra={"allowed": []},
        )
    rows = {
        row.jurisdiction_id: row
        for row in CalendarDay.objects.select_for_update().filter(date=day, jurisdiction__isnull=True)
    }
    if jurisdiction is not None:
        rows.update(
            {
                row.jurisdiction_id: row
                for row in CalendarDay.objects.select_for_update().filter(date=day, jurisdiction=jurisdiction)
            }
        )
    scope_id = jurisdiction.pk if jurisdiction is not None else None
    own = rows.get(scope_id)
    if own is not None:
        before, pk = snapshot(own), own.pk
        own.delete()
        own.pk = pk
        _record(
            kind=Kind.ADMIN_DELETED,
            actor=actor,
            request=request,
            jurisdiction=jurisdiction,
            row=own,
            before=before,
        )
        return None
    national = rows.get(None) if jurisdiction is not None else None
    row = CalendarDay(
        jurisdiction=jurisdiction, date=day, is_working_day=not base_working(day, national), name=name
    )
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # someone else entered this day a moment ago
        raise ConcurrentUpdate(extra={"allowed": ["toggle"]}) from exc
    _record(
        kind=Kind.ADMIN_ADDED, actor=actor, request=request, jurisdiction=jurisdiction, row=row, before=None
    )
    return row


def _markable(year) -> int:
    year = checked_year(year)
    if year in library_years():
        raise InvalidTransition(
            _("%(year)s's schedule is shipped with the system; there is nothing to mark.") % {"year": year},
            extra={"allowed": []},
        )
    return year


def _marks(jurisdiction: Jurisdiction | None, year: int) -> tuple[CalendarYear | None, CalendarYear | None]:
    """(the calendar's own mark, the national one) of `year`, locked: on the national calendar both are
    the national mark."""
    national = CalendarYear.objects.select_for_update().filter(jurisdiction__isnull=True, year=year).first()
    if jurisdiction is None:
        return national, national
    own = CalendarYear.objects.select_for_update().filter(jurisdiction=jurisdiction, year=year).first()
    return own, national


def _nationally(year: int) -> InvalidTransition:
    return InvalidTransition(
        _(
            "%(year)s is marked complete nationally, which counts for every jurisdiction; only the "
            "platform administrators take that mark back."
        )
        % {"year": year},
        extra={"allowed": []},
    )


@transaction.atomic
def calendar_year_mark(
    *, actor, jurisdiction: Jurisdiction | None, year: int, notes: str = "", request=None
) -> CalendarYear:
    """Record that `year`'s holidays and make-up workdays are all entered on this calendar (CalendarYear).

    A jurisdiction's mark makes its own deadlines in the year certain, nobody else's; the national mark
    (a superuser's, `jurisdiction` None) counts for every jurisdiction, so a jurisdiction has nothing
    to add to it.
    """
    jurisdiction = _authorise(actor, jurisdiction)
    year = _markable(year)
    notes = _text(notes, field="notes", limit=NOTES_MAX)
    own, national = _marks(jurisdiction, year)
    if own is not None:
        raise InvalidTransition(
            _("%(year)s is marked complete already.") % {"year": year}, extra={"allowed": ["unmark"]}
        )
    if national is not None:
        raise _nationally(year)
    row = CalendarYear(jurisdiction=jurisdiction, year=year, notes=notes)
    row.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:  # someone else marked it a moment ago
        raise ConcurrentUpdate(extra={"allowed": ["unmark"]}) from exc
    forget_per_request(("calendar-years",))
    _record(
        kind=Kind.ADMIN_ADDED, actor=actor, request=request, jurisdiction=jurisdiction, row=row, before=None
    )
    return row


@transaction.atomic
def calendar_year_unmark(*, actor, jurisdiction: Jurisdiction | None, year: int, request=None) -> None:
    """Take this calendar's mark back: deadlines in `year` are reported uncertain again (unless the year
    is marked complete nationally too), and the banner returns. A jurisdiction's admin takes back its
    own mark only, never the national one."""
    jurisdiction = _authorise(actor, jurisdiction)
    year = _markable(year)
    row, national = _marks(jurisdiction, year)
    if row is None:
        if national is not None:
            raise _nationally(year)
        raise InvalidTransition(
            _("%(year)s is not marked complete.") % {"year": year}, extra={"allowed": ["mark"]}
        )
    before, pk = snapshot(row), row.pk
    row.delete()
    row.pk = pk
    forget_per_request(("calendar-years",))
    _record(
        kind=Kind.ADMIN_DELETED,
        actor=actor,
        request=request,
        jurisdiction=jurisdiction,
        row=row,
        before=before,
    )
