"""Pages of calendar upkeep (工作日历): the year view, a day toggled, a year marked complete or not.

The calendar edited is the admin's own jurisdiction's (`?jurisdiction=<code>` picks another they
administer); a superuser edits the national one unless they pick a jurisdiction. A year is marked
complete on the calendar shown: a jurisdiction's mark counts for it alone, the national one for all.
Another jurisdiction's code is a 404, a role without the right a 403. A day is toggled by an htmx post
that swaps its cell, or by a plain form post that comes back to the year.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govproj.errors import ApplicationError, NotFound, NotPermitted, ValidationFailed
from govproj.pages import form_errors
from jurisdictions.models import Jurisdiction
from jurisdictions.workdays import services
from jurisdictions.workdays.forms import MarkForm, ToggleForm, UnmarkForm
from jurisdictions.workdays.selectors import (
    WEEKDAY_HEADINGS,
    administered,
    calendar_scope,
    checked_year,
    day_view,
    year_view,
)


def _scope(request) -> Jurisdiction | None:
    try:
        return calendar_scope(request.user, request.GET.get("jurisdiction") or None)
    except NotFound as exc:
        raise Http404 from exc
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


def _year(year) -> int:
    try:
        return checked_year(year)
    except ValidationFailed as exc:
        raise BadRequest(exc.message) from exc


def _query(scope: Jurisdiction | None) -> str:
    return "?" + urlencode({"jurisdiction": scope.code}) if scope is not None else ""


def year_url(scope: Jurisdiction | None, year: int) -> str:
    return reverse("calendar:year", args=[year]) + _query(scope)


def _choices(request, scope) -> list[dict]:
    """The calendars the person may switch to (shown when there is more than one)."""
    choices = (
        [{"code": "", "name": _("National"), "current": scope is None}] if request.user.is_superuser else []
    )
    choices += [
        {"code": j.code, "name": j.name, "current": scope is not None and j.pk == scope.pk}
        for j in administered(request.user)
    ]
    return choices if len(choices) > 1 else []


def _render(
    request, scope, year, *, toggle_form=None, mark_form=None, unmark_form=None, refusal="", status=200
):
    view = year_view(scope, year)
    query = _query(scope)
    return render(
        request,
        "jurisdictions/workdays/year.html",
        {
            "view": view,
            "scope": scope,
            "scope_query": query,
            "choices": _choices(request, scope),
            "weekdays": WEEKDAY_HEADINGS,
            "toggle_url": reverse("calendar:toggle", args=[year]) + query,
            "toggle_form": toggle_form or ToggleForm(year=year),
            "mark_form": (mark_form or MarkForm()).for_year(view),
            "unmark_form": (unmark_form or UnmarkForm()).for_year(view),
            "refusal": refusal,
        },
        status=status,
    )


@login_required
@require_GET
def index(request):
    """The current year of the person's calendar."""
    scope = _scope(request)
    return redirect(year_url(scope, timezone.localdate().year))


@login_required
@require_GET
def year_page(request, year: int):
    return _render(request, _scope(request), _year(year))


@login_required
@require_POST
def toggle(request, year: int):
    scope, year = _scope(request), _year(year)
    form = ToggleForm(request.POST, year=year)
    status = 400
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            services.calendar_day_toggle(
                actor=request.user,
                jurisdiction=scope,
                day=day,
                name=form.cleaned_data["name"],
                request=request,
            )
        except NotFound as exc:
            raise Http404 from exc
        except ApplicationError as error:
            form_errors(form, error)
            status = error.http_status
        else:
            cell = day_view(scope, day)
            if request.htmx:
                toggle_url = reverse("calendar:toggle", args=[year]) + _query(scope)
                return render(
                    request, "jurisdictions/workdays/_day.html", {"day": cell, "toggle_url": toggle_url}
                )
            messages.success(request, _("Changed: %(day)s") % {"day": cell.description})
            return redirect(f"{year_url(scope, year)}#day-{day.isoformat()}")
    if request.htmx:  # the cell stays as it was; the reason is the answer's body
        errors = "; ".join(str(e) for problems in form.errors.values() for e in problems)
        return render(request, "jurisdictions/workdays/_refused.html", {"errors": errors}, status=status)
    return _render(request, scope, year, toggle_form=form, status=status)


def _year_action(request, year: int, *, form_class, call, done: str, form_name: str):
    scope, year = _scope(request), _year(year)
    form = form_class(request.POST)
    status, refusal = 400, ""
    if form.is_valid():
        try:
            call(scope, year, form.cleaned_data)
        except NotFound as exc:
            raise Http404 from exc
        except ApplicationError as error:
            form_errors(form, error)
            status, refusal = error.http_status, error.message
        else:
            messages.success(request, done % {"year": year})
            return redirect(year_url(scope, year))
    return _render(request, scope, year, status=status, refusal=refusal, **{form_name: form})


@login_required
@require_POST
def mark(request, year: int):
    """标记为录入完整, after ticking the confirmation."""
    return _year_action(
        request,
        year,
        form_class=MarkForm,
        call=lambda scope, year, data: services.calendar_year_mark(
            actor=request.user, jurisdiction=scope, year=year, notes=data["notes"], request=request
        ),
        done=_("%(year)s is marked complete."),
        form_name="mark_form",
    )


@login_required
@require_POST
def unmark(request, year: int):
    return _year_action(
        request,
        year,
        form_class=UnmarkForm,
        call=lambda scope, year, data: services.calendar_year_unmark(
            actor=request.user, jurisdiction=scope, year=year, request=request
        ),
        done=_("%(year)s is no longer marked complete."),
        form_name="unmark_form",
    )
