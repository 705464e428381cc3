"""Sign-in glue around django-axes: the login page, what a locked-out person is told, unlocking.

django-axes counts failed sign-ins by username and by IP address (settings.AXES_*) on every
door that calls `authenticate` with the request: the login page, the admin login and the
token endpoint. This module answers a lockout (a page for people, JSON for the API), says
when the lock lifts, and clears the failures behind a lockout when an administrator unlocks.
"""

from __future__ import annotations

import datetime as dt
import math

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from security.models import Kind, Outcome
from security.services import security_event_record

# Session key: when this browser session signed in (seconds since the epoch), for the absolute limit.
SIGNED_IN_AT = "security_signed_in_at"


def account_for(username) -> object | None:
    """The account a typed username names, if there is one (NUL never reaches the database)."""
    if not isinstance(username, str) or not username or "\x00" in username:
        return None
    return get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()


class SignInView(LoginView):
    """Django's login page, telling people the lockout rule before they meet it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(failure_limit=settings.AXES_FAILURE_LIMIT, cool_off_minutes=_cool_off_minutes(None))
        return context


def _cool_off_minutes(request) -> int:
    return math.ceil(get_cool_off(request).total_seconds() / 60)


def locked_until(request, credentials: dict | None = None) -> dt.datetime:
    """When the lockout that refused this request lifts.

    django-axes keeps one row per (username, IP, user agent) with its failure count and the
    time of its last failure; a row counts while that time is within the cool-off. For each
    lockout parameter (username, IP address) the lock lifts once the rows still counting sum
    to fewer failures than the limit, that is when the newest rows that reach the limit age out.
    """
    AxesProxyHandler.update_request(request)
    cool_off = get_cool_off(request)
    limit = get_failure_limit(request, credentials)
    ends = []
    for attempts in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        total = 0
        for at, failures in attempts.order_by("-attempt_time").values_list(
            "attempt_time", "failures_since_start"
        ):
            total += failures
            if total >= limit:
                ends.append(at + cool_off)
                break
    return max(ends, default=timezone.now() + cool_off)


def lockout_details(request, credentials: dict | None = None) -> dict:
    until = locked_until(request, credentials)
    return {
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": _cool_off_minutes(request),
        "locked_until": until,
        "retry_after": max(1, math.ceil((until - timezone.now()).total_seconds())),
    }


def lockout_message(details: dict) -> str:
    return _(
        "Too many failed sign-ins (%(limit)s in a row): this account or your network address is "
        "locked until %(until)s. Try again after that time, or ask your jurisdiction administrator "
        "to unlock it."
    ) % {
        "limit": details["failure_limit"],
        "until": timezone.localtime(details["locked_until"]).strftime("%Y-%m-%d %H:%M"),
    }


def lockout_response(request, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the answer of the login page and the admin login while locked out."""
    details = lockout_details(request, credentials)
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "code": AccountLocked.default_code,
                "detail": lockout_message(details),
                "locked_until": details["locked_until"].isoformat(),
            },
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    else:
        context = {**details, "message": lockout_message(details)}
        response = render(request, "security/lockout.html", context, status=status.HTTP_429_TOO_MANY_REQUESTS)
    response["Retry-After"] = str(details["retry_after"])
    return response


class AccountLocked(exceptions.APIException):
    """The token endpoint's lockout: 429 with Retry-After, like a throttled request."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self, request, credentials: dict | None = None):
        details = lockout_details(request, credentials)
        self.wait = details["retry_after"]  # DRF's handler sends it as Retry-After
        super().__init__(
            {"detail": lockout_message(details), "locked_until": details["locked_until"].isoformat()}
        )


def signin_unlock(*, actor, attempts: QuerySet[AccessAttempt], request=None) -> int:
    """Clear every failure counted against the usernames and IP addresses of `attempts`.

    A lockout holds by username or by IP address, so unlocking one selected row clears all
    rows of its username and of its address. Each username (or, without one, each address)
    gets an UNLOCK event naming the addresses and the failures cleared. Returns rows removed.
    """
    selected = list(attempts.values_list("username", "ip_address").distinct())
    usernames = {username for username, _ip in selected if username}
    addresses = {ip for _username, ip in selected if ip}
    with transaction.atomic():
        rows = AccessAttempt.objects.select_for_update().filter(
            Q(username__in=usernames) | Q(ip_address__in=addresses)
        )
        cleared = list(rows.values_list("pk", "username", "ip_address", "failures_since_start"))
        AccessAttempt.objects.filter(pk__in=[row[0] for row in cleared]).delete()
    concerned = sorted(usernames) or sorted(addresses)
    for name in concerned:
        by_name = name in usernames
        mine = [row for row in cleared if (row[1] if by_name else row[2]) == name]
        security_event_record(
            kind=Kind.UNLOCK,
            outcome=Outcome.SUCCESS,
            request=request,
            actor=actor,
            subject_user=account_for(name) if by_name else None,
            username=name if by_name else "",
            target=name if by_name else f"IP {name}",
            reason=_("Unlocked by an administrator."),
            data={
                "ip_addresses": sorted({row[2] for row in mine if row[2]}),
                "failures_cleared": sum(row[3] for row in mine),
            },
        )
    return len(cleared)
