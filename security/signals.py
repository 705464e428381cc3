"""Receivers that write the security audit log for sign-in events (Django's and django-axes's signals).

Every door that signs someone in or out goes through `django.contrib.auth` (the login page,
the admin, the token endpoint via `authenticate` and `user_logged_in`), so the signals are
the one place that sees them all. django-axes's receivers run first (its app is listed
before this one), so a failed attempt's request already says whether it is locked out.
Sign-in events name the account concerned and carry no jurisdiction.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from security.models import Kind, Outcome
from security.services import security_event_record
from security.signin import SIGNED_IN_AT, account_for, lockout_details
from security.tokens import tokens_revoke_all

# Set on a request whose session the absolute-lifetime middleware ends (it records SESSION_EXPIRED).
SESSION_EXPIRED = "security_session_expired"


def _path(request) -> dict:
    return {"path": request.path[:200]} if request is not None else {}


@receiver(user_logged_in, dispatch_uid="security_login_success")
def record_login_success(sender, request, user, **kwargs):
    security_event_record(
        kind=Kind.LOGIN_SUCCESS,
        request=request,
        actor=user,
        subject_user=user,
        username=user.get_username(),
        data=_path(request),
    )
    # A browser session starts its absolute lifetime now (token sign-ins have no session).
    if isinstance(request, HttpRequest) and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()


@receiver(user_login_failed, dispatch_uid="security_login_failure")
def record_login_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    username = username if isinstance(username, str) else ""
    locked = bool(getattr(request, "axes_locked_out", False))
    failures = getattr(request, "axes_failures_since_start", None)
    if locked and failures is None:
        reason = _("Refused: locked out after repeated failures.")
    elif locked:
        reason = _("Wrong username or password; the limit of failures is reached.")
    else:
        reason = _("Wrong username or password, or the account is inactive.")
    security_event_record(
        kind=Kind.LOGIN_FAILURE,
        outcome=Outcome.FAILURE,
        request=request,
        actor=None,
        subject_user=account_for(username),
        username=username,
        reason=reason,
        data={**_path(request), "locked_out": locked, "failures": failures},
    )


@receiver(user_locked_out, dispatch_uid="security_lockout")
def record_lockout(sender, request, username, ip_address, **kwargs):
    # django-axes sends this again for every attempt while locked; only the failure that
    # reached the limit counted one (`axes_failures_since_start` is set only when it counts).
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    username = username if isinstance(username, str) else ""
    details = lockout_details(request, {"username": username})
    security_event_record(
        kind=Kind.LOCKOUT,
        outcome=Outcome.FAILURE,
        request=request,
        actor=None,
        subject_user=account_for(username),
        username=username,
        reason=_("%(failures)s failed sign-ins: locked until %(until)s.")
        % {
            "failures": failures,
            "until": timezone.localtime(details["locked_until"]).strftime("%Y-%m-%d %H:%M"),
        },
        data={
            **_path(request),
            "failures": failures,
            "failure_limit": details["failure_limit"],
            "ip_address": ip_address,
            "locked_until": details["locked_until"].isoformat(),
        },
    )


@receiver(user_logged_out, dispatch_uid="security_logout")
def record_logout(sender, request, user, **kwargs):
    """Signing out of a session (page, admin, API with a session) also revokes the person's tokens.

    A knox token is not tied to the browser session that was open when it was issued, and a
    person who signs out means to leave no way in behind them; a script that must outlive a
    sign-out asks for a new token (they last API_TOKEN_TTL_HOURS anyway).
    """
    if user is None or getattr(request, SESSION_EXPIRED, False):
        return
    tokens_revoke_all(actor=user, user=user, request=request, reason=_("Signed out"))
    security_event_record(
        kind=Kind.LOGOUT, request=request, actor=user, subject_user=user, data=_path(request)
    )
