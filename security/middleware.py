"""The absolute lifetime of a signed-in browser session (等保2.0 session timeout).

The idle timeout is Django's own: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST, so
each request pushes the expiry back. Activity alone (or a page that polls) would keep a
session forever; this middleware ends any session signed in more than
SESSION_ABSOLUTE_LIFETIME seconds ago, records SESSION_EXPIRED and lets the request go on
anonymous, so the page sends the person to the login page (the API answers 401/403).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone
from django.utils.translation import gettext as _

from security.models import Kind, Outcome
from security.services import security_event_record
from security.signals import SESSION_EXPIRED
from security.signin import SIGNED_IN_AT


class SessionLifetimeMiddleware:
    """Place after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if not isinstance(signed_in_at, int | float):
                request.session[SIGNED_IN_AT] = now  # a session from before this rule: starts now
            elif now - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME:
                self._expire(request, user, signed_in_at)
        return self.get_response(request)

    def _expire(self, request, user, signed_in_at: float) -> None:
        hours = settings.SESSION_ABSOLUTE_LIFETIME / 3600
        security_event_record(
            kind=Kind.SESSION_EXPIRED,
            outcome=Outcome.SUCCESS,
            request=request,
            actor=user,
            subject_user=user,
            reason=_("The session reached its maximum length of %(hours)g hours.") % {"hours": hours},
            data={"signed_in_at": dt.datetime.fromtimestamp(signed_in_at, tz=dt.UTC).isoformat()},
        )
        setattr(request, SESSION_EXPIRED, True)
        logout(request)
        messages.warning(
            request,
            _("You were signed in for more than %(hours)g hours; please sign in again.") % {"hours": hours},
        )
