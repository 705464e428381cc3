"""Sessions end after 30 idle minutes and, whatever the activity, 12 hours after signing in.

Before issue 6 a session lasted Django's default two weeks, active or not. The clock is
moved forward by patching `django.utils.timezone.now`, which the session store and the
middleware read.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken

from jurisdictions.models import Role
from security.models import Kind, SecurityEvent

REAL_NOW = timezone.now


@contextmanager
def clock(at: dt.datetime):
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def signed_in(username: str = "alpha_reviewer") -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "pw-for-tests"})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get(reverse("security:tokens"))
    return response.status_code == 200


def test_the_defaults():
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_ABSOLUTE_LIFETIME == 12 * 3600


def test_a_session_ends_after_thirty_idle_minutes(alpha):
    client = signed_in()
    start = REAL_NOW()
    with clock(start + dt.timedelta(minutes=29)):
        assert is_signed_in(client)  # a request: the idle clock starts again
    with clock(start + dt.timedelta(minutes=29 + 29)):
        assert is_signed_in(client)
    with clock(start + dt.timedelta(minutes=29 + 29 + 31)):
        response = client.get(reverse("projects:list"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_session_ends_twelve_hours_after_signing_in_whatever_the_activity(alpha):
    client = signed_in()
    start = REAL_NOW()
    minutes = 20
    while minutes < 12 * 60:
        with clock(start + dt.timedelta(minutes=minutes)):
            assert is_signed_in(client), minutes
        minutes += 20
    with clock(start + dt.timedelta(hours=12, minutes=1)):
        response = client.get(reverse("projects:list"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "请重新登录" in response.content.decode()  # told why
    [expired] = SecurityEvent.objects.filter(kind=Kind.SESSION_EXPIRED)
    assert expired.subject_user == alpha.users[Role.REVIEWER] and expired.jurisdiction is None
    assert not SecurityEvent.objects.filter(kind=Kind.LOGOUT).exists()  # not a sign-out of theirs
    assert not is_signed_in(client)


def test_signing_in_again_starts_a_new_lifetime(alpha):
    client = signed_in()
    start = REAL_NOW()
    with clock(start + dt.timedelta(hours=12, minutes=1)):
        assert not is_signed_in(client)
        client.post(reverse("login"), {"username": "alpha_reviewer", "password": "pw-for-tests"})
        assert is_signed_in(client)
    with clock(start + dt.timedelta(hours=12, minutes=20)):
        assert is_signed_in(client)


def test_an_expired_session_keeps_the_persons_api_tokens(alpha):
    """Expiry is not a sign-out: a script's token lives to its own expiry."""
    client = signed_in()
    AuthToken.objects.create(user=alpha.users[Role.REVIEWER])
    with clock(REAL_NOW() + dt.timedelta(hours=12, minutes=1)):
        assert not is_signed_in(client)
    assert AuthToken.objects.count() == 1


def test_the_api_refuses_an_expired_session(alpha):
    client = signed_in()
    assert client.get("/api/v1/jurisdictions/").status_code == 200
    with clock(REAL_NOW() + dt.timedelta(hours=12, minutes=1)):
        assert client.get("/api/v1/jurisdictions/").status_code in (401, 403)


@pytest.mark.parametrize("stored", [None, "not a time"])
def test_a_session_without_a_start_time_gets_one(alpha, stored):
    client = Client()
    client.force_login(alpha.users[Role.REVIEWER])
    session = client.session
    session["security_signed_in_at"] = stored
    session.save()
    assert is_signed_in(client)
    assert isinstance(client.session["security_signed_in_at"], float)
