"""API doors onto calendar upkeep (/api/v1/jurisdictions/{code}/calendar/{year}/…), as the year view.

Jurisdiction admins (and superusers) only: another jurisdiction's code is a 404, another role a 403,
a year outside 2000–2100 or a bad date a 400. Superusers reach the national rows and the national mark
of a year with `national`; without it they edit the jurisdiction in the path, as its admins do.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from govproj.api import ServiceAPIView, valid
from govproj.errors import ValidationFailed
from jurisdictions.models import Jurisdiction
from jurisdictions.serializers import StrictSerializer
from jurisdictions.workdays import services
from jurisdictions.workdays.selectors import (
    NAME_MAX,
    NOTES_MAX,
    YEAR_MAX,
    YEAR_MIN,
    Day,
    Kind,
    YearStatus,
    calendar_scope,
    checked_year,
    day_view,
    year_view,
)

YEAR = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
    OpenApiParameter.PATH,
    description=f"the calendar year, {YEAR_MIN} to {YEAR_MAX}",
)
NATIONAL_HELP = "superusers: the national calendar (rows of no jurisdiction) instead of the jurisdiction's"


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    working = serializers.BooleanField(help_text="a working day on this calendar")
    kind = serializers.ChoiceField(
        choices=[k.value for k in Kind],
        help_text="why: workday, weekend (周末), holiday (法定节假日), makeup (调休上班), "
        "local (本地调整: the jurisdiction's own row)",
    )
    name = serializers.CharField(help_text="the holiday's name, e.g. 春节")
    national_row = serializers.BooleanField(help_text="an entered national row decides the day")
    editable = serializers.BooleanField(help_text="the caller may toggle it")


class YearSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField(allow_null=True, help_text="null: the national calendar")
    year = serializers.IntegerField()
    status = serializers.ChoiceField(
        choices=[s.value for s in YearStatus],
        help_text="known (shipped with the system), complete (marked entered) or incomplete",
    )
    marked_by = serializers.ChoiceField(
        choices=["national", "jurisdiction"],
        allow_null=True,
        help_text="whose mark makes the year complete here: national (a platform administrator's, for "
        "every jurisdiction) or the jurisdiction's own; null while it is not marked",
    )
    entered_at = serializers.DateTimeField(allow_null=True, help_text="when it was marked complete")
    notes = serializers.CharField()
    editable = serializers.BooleanField()
    days = DaySerializer(many=True)


class YearQuerySerializer(StrictSerializer):
    national = serializers.BooleanField(required=False, default=False, help_text=NATIONAL_HELP)


class ToggleSerializer(StrictSerializer):
    date = serializers.DateField(help_text="YYYY-MM-DD, a day of the year in the path")
    name = serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, default="", help_text="e.g. 春节"
    )
    national = serializers.BooleanField(required=False, default=False, help_text=NATIONAL_HELP)


class ToggleResultSerializer(serializers.Serializer):
    change = serializers.ChoiceField(
        choices=["added", "removed"], help_text="a row added, or the row removed"
    )
    day = DaySerializer()


class CompleteSerializer(StrictSerializer):
    complete = serializers.BooleanField(help_text="true: mark the year complete; false: take the mark back")
    notes = serializers.CharField(
        max_length=NOTES_MAX,
        required=False,
        allow_blank=True,
        default="",
        help_text="e.g. 国办发明电〔2026〕X号",
    )
    national = serializers.BooleanField(
        required=False,
        default=False,
        help_text="superusers: the national mark (for every jurisdiction) instead of the jurisdiction's",
    )


def _scope(request: Request, code: str, serializer_class) -> tuple[Jurisdiction | None, dict]:
    """The calendar edited and the valid input: the jurisdiction first (404 outside it, 403 without
    the role), then the input (400), then `national` (403 but for superusers)."""
    jurisdiction = calendar_scope(request.user, code)
    data = request.query_params.dict() if serializer_class is YearQuerySerializer else request.data
    data = valid(serializer_class(data=data))
    if data.get("national"):
        return calendar_scope(request.user, national=True), data
    return jurisdiction, data


def _day(day: Day) -> dict:
    return {
        "date": day.date,
        "working": day.working,
        "kind": day.kind.value,
        "name": day.name,
        "national_row": day.national_row,
        "editable": day.editable,
    }


def _year_payload(scope: Jurisdiction | None, year: int) -> dict:
    view = year_view(scope, year)
    marked_by = None
    if view.entry is not None:
        marked_by = "national" if view.entry.jurisdiction_id is None else "jurisdiction"
    return {
        "jurisdiction": scope.code if scope is not None else None,
        "year": view.year,
        "status": view.status.value,
        "marked_by": marked_by,
        "entered_at": view.entry.published_at if view.entry else None,
        "notes": view.entry.notes if view.entry else "",
        "editable": view.editable,
        "days": [
            _day(day) for month in view.months for week in month.weeks for day in week if day is not None
        ],
    }


class CalendarYearView(ServiceAPIView):
    @extend_schema(parameters=[YEAR, YearQuerySerializer], responses=YearSerializer)
    def get(self, request: Request, code: str, year: str) -> Response:
        """Every day of the year on the jurisdiction's calendar: working or not, why; the year's status."""
        scope, _query = _scope(request, code, YearQuerySerializer)
        return Response(YearSerializer(_year_payload(scope, checked_year(year))).data)


class CalendarToggleView(ServiceAPIView):
    @extend_schema(parameters=[YEAR], request=ToggleSerializer, responses=ToggleResultSerializer)
    def post(self, request: Request, code: str, year: str) -> Response:
        """Toggle a day: a working day becomes a day off (named), a day off a make-up workday; again to undo.

        A jurisdiction admin edits the jurisdiction's own rows (本地调整); `national` (superusers) the
        national ones, which are read only (409) in the years shipped with the system.
        """
        scope, data = _scope(request, code, ToggleSerializer)
        year = checked_year(year)
        day: dt.date = data["date"]
        if day.year != year:
            raise ValidationFailed(
                _("Pick a day of %(year)s.") % {"year": year},
                extra={"errors": {"date": [_("Pick a day of %(year)s.") % {"year": year}]}},
            )
        row = services.calendar_day_toggle(
            actor=request.user, jurisdiction=scope, day=day, name=data["name"], request=request
        )
        result = {"change": "added" if row is not None else "removed", "day": _day(day_view(scope, day))}
        return Response(ToggleResultSerializer(result).data)


class CalendarCompleteView(ServiceAPIView):
    @extend_schema(parameters=[YEAR], request=CompleteSerializer, responses=YearSerializer)
    def post(self, request: Request, code: str, year: str) -> Response:
        """Mark the year complete (all its holidays and make-up workdays entered), or take the mark back.

        A jurisdiction admin's mark makes the jurisdiction's own deadlines in the year certain, nobody
        else's; `national` (superusers) marks it for every jurisdiction. 409 when the year is shipped
        with the system, already in the state asked for, or marked nationally (not the caller's to change).
        """
        scope, data = _scope(request, code, CompleteSerializer)
        year = checked_year(year)
        if data["complete"]:
            services.calendar_year_mark(
                actor=request.user, jurisdiction=scope, year=year, notes=data["notes"], request=request
            )
        else:
            services.calendar_year_unmark(actor=request.user, jurisdiction=scope, year=year, request=request)
        return Response(YearSerializer(_year_payload(scope, year)).data)
