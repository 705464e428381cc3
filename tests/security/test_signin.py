"""Sign-in lockout (django-axes) on the login page, the admin and the token endpoint; records; unlocking.

Before issue 6, 30 wrong passwords followed by the right one still signed in on all three doors.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from jurisdictions.models import Role
from security.models import Kind, Outcome, SecurityEvent
from tests.factories import UserFactory

LIMIT = 5  # AXES_FAILURE_LIMIT's default
RIGHT = "pw-for-tests"


@pytest.fixture(autouse=True)
def _generous_token_throttle(monkeypatch):
    """These tests count lockouts, not throttling (tests/security/test_tokens.py does that)."""
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "1000/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1000/minute")


def page_login(client: Client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def admin_login(client: Client, username: str, password: str, **extra):
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **extra)


def api_login(client: APIClient, username: str, password: str, **extra):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def events(kind) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("stream", "seq"))


def test_the_login_page_locks_after_the_limit_and_refuses_the_right_password(alpha):
    client = Client()
    for _attempt in range(LIMIT - 1):
        response = page_login(client, "alpha_reviewer", "wrong-password")
        assert response.status_code == 200 and response.context["form"].errors
    response = page_login(client, "alpha_reviewer", "wrong-password")  # the LIMIT-th failure locks
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "本级管理员" in page
    assert int(response["Retry-After"]) > 29 * 60

    response = page_login(client, "alpha_reviewer", RIGHT)  # the right password, too late
    assert response.status_code == 429
    assert client.get(reverse("projects:list")).status_code == 302  # not signed in

    [lockout] = events(Kind.LOCKOUT)  # recorded once, not for every attempt while locked
    assert (lockout.outcome, lockout.username, lockout.subject_user) == (
        Outcome.FAILURE,
        "alpha_reviewer",
        alpha.users[Role.REVIEWER],
    )
    assert lockout.ip == "127.0.0.1" and lockout.jurisdiction is None
    assert lockout.data["failures"] == LIMIT and lockout.data["failure_limit"] == LIMIT
    failures = events(Kind.LOGIN_FAILURE)
    assert len(failures) == LIMIT + 1
    assert failures[-1].data["locked_out"] is True and failures[0].data["locked_out"] is False
    assert not events(Kind.LOGIN_SUCCESS)


def test_the_page_says_when_to_try_again(alpha):
    client = Client()
    for _attempt in range(LIMIT):
        response = page_login(client, "alpha_reviewer", "wrong-password")
    last_failure = AccessAttempt.objects.get().attempt_time
    until = timezone.localtime(last_failure + settings.AXES_COOLOFF_TIME)
    assert f"请于 {until:%Y-%m-%d %H:%M} 之后再试" in response.content.decode()


def test_the_login_page_tells_the_rule_beforehand(db):
    page = Client().get(reverse("login")).content.decode()
    assert "连续 5 次登录失败后，将锁定 30 分钟" in page


def test_the_admin_login_locks_too(alpha):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    for _attempt in range(LIMIT):
        response = admin_login(client, "root", "wrong-password")
    assert response.status_code == 429
    assert "登录已暂时锁定" in response.content.decode()
    assert admin_login(client, "root", RIGHT).status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302
    assert events(Kind.LOCKOUT)[0].subject_user == admin


def test_the_token_endpoint_locks_with_a_json_answer(alpha):
    client = APIClient()
    for _attempt in range(LIMIT - 1):
        response = api_login(client, "alpha_reviewer", "wrong-password")
        assert response.status_code == 400, response.content
    response = api_login(client, "alpha_reviewer", "wrong-password")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "locked_out" and "本级管理员" in body["detail"]
    assert dt.datetime.fromisoformat(body["locked_until"]) > timezone.now() + dt.timedelta(minutes=29)
    assert int(response["Retry-After"]) > 29 * 60

    response = api_login(client, "alpha_reviewer", RIGHT)
    assert response.status_code == 429 and "token" not in response.json()
    assert len(events(Kind.LOCKOUT)) == 1


def test_thirty_wrong_passwords_then_the_right_one_is_refused_everywhere(alpha):
    """The issue's own reproduction, on each door (each from its own address)."""
    UserFactory(username="root", is_staff=True, is_superuser=True)
    doors = [
        (Client(), page_login, "alpha_reviewer"),
        (Client(), admin_login, "root"),
        (APIClient(), api_login, "alpha_auditor"),
    ]
    for number, (client, login, username) in enumerate(doors):
        address = f"10.0.0.{number + 1}"
        for _attempt in range(30):
            login(client, username, "wrong-password", REMOTE_ADDR=address)
        assert login(client, username, RIGHT, REMOTE_ADDR=address).status_code == 429, login
    assert len(events(Kind.LOCKOUT)) == 3


def test_a_username_is_locked_whatever_the_address(alpha):
    for number in range(LIMIT):
        page_login(Client(), "alpha_reviewer", "wrong-password", REMOTE_ADDR=f"10.1.0.{number}")
    assert page_login(Client(), "alpha_reviewer", RIGHT, REMOTE_ADDR="10.1.0.99").status_code == 429
    # Someone else is not locked out by it.
    assert page_login(Client(), "alpha_auditor", RIGHT, REMOTE_ADDR="10.1.0.99").status_code == 302


def test_an_address_is_locked_whatever_the_username(alpha):
    for number in range(LIMIT):
        page_login(Client(), f"nobody{number}", "wrong-password", REMOTE_ADDR="10.2.0.1")
    assert page_login(Client(), "alpha_reviewer", RIGHT, REMOTE_ADDR="10.2.0.1").status_code == 429
    assert page_login(Client(), "alpha_reviewer", RIGHT, REMOTE_ADDR="10.2.0.2").status_code == 302
    [lockout] = events(Kind.LOCKOUT)
    assert lockout.subject_user is None and lockout.username == "nobody4" and lockout.ip == "10.2.0.1"


def test_a_forged_x_forwarded_for_does_not_dodge_the_address_lock(alpha):
    """Without DJANGO_NUM_PROXIES the socket's address counts; a client-written header does not."""
    for number in range(LIMIT):
        page_login(
            Client(), f"nobody{number}", "x", REMOTE_ADDR="10.3.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{number}"
        )
    response = page_login(
        Client(), "alpha_reviewer", RIGHT, REMOTE_ADDR="10.3.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9"
    )
    assert response.status_code == 429
    assert {event.ip for event in events(Kind.LOGIN_FAILURE)} == {"10.3.0.1"}


@override_settings(
    IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    IPWARE_META_PROXY_COUNT=0,
    AXES_IPWARE_PROXY_COUNT=0,
)
def test_behind_one_proxy_the_address_it_saw_counts(alpha):
    """DJANGO_NUM_PROXIES=1 (nginx appends the address it saw to X-Forwarded-For)."""
    for number in range(LIMIT):
        forged = f"1.2.3.{number}, 203.0.113.7"  # what the client wrote, then what nginx saw
        page_login(Client(), f"nobody{number}", "x", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR=forged)
    response = page_login(
        Client(), "alpha_reviewer", RIGHT, REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert response.status_code == 429
    assert {event.ip for event in events(Kind.LOGIN_FAILURE)} == {"203.0.113.7"}
    # Another client behind the same proxy is not locked out.
    response = page_login(
        Client(), "alpha_reviewer", RIGHT, REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off(alpha):
    client = Client()
    for _attempt in range(LIMIT):
        page_login(client, "alpha_reviewer", "wrong-password")
    assert page_login(client, "alpha_reviewer", RIGHT).status_code == 429
    # The cool-off passes (the failures age: axes reads their times from the database).
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)
    assert page_login(client, "alpha_reviewer", RIGHT).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_the_limit_is_configurable(alpha):
    client = Client()
    statuses = [page_login(client, "alpha_reviewer", "wrong-password").status_code for _attempt in range(3)]
    assert statuses == [200, 200, 429]


def test_an_administrator_unlocks_with_the_admin_action(alpha):
    for number in range(LIMIT):
        page_login(Client(), "alpha_reviewer", "wrong-password", REMOTE_ADDR=f"10.4.0.{number}")
    assert page_login(Client(), "alpha_reviewer", RIGHT).status_code == 429
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(root)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = admin.get(changelist).content.decode()
    assert "解锁所选账户和 IP 地址" in page and "delete_selected" not in page
    selected = list(AccessAttempt.objects.filter(ip_address="10.4.0.0").values_list("pk", flat=True))
    response = admin.post(changelist, {"action": "unlock", "_selected_action": selected}, follow=True)
    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(username="alpha_reviewer").exists()  # every address of the name
    [unlock] = events(Kind.UNLOCK)
    assert (unlock.actor, unlock.subject_user, unlock.username) == (
        root,
        alpha.users[Role.REVIEWER],
        "alpha_reviewer",
    )
    assert unlock.data["failures_cleared"] == LIMIT and len(unlock.data["ip_addresses"]) == LIMIT
    assert page_login(Client(), "alpha_reviewer", RIGHT).status_code == 302


def test_deleting_attempts_in_the_admin_is_an_unlock_with_a_record(alpha):
    for _attempt in range(LIMIT):
        page_login(Client(), "alpha_reviewer", "wrong-password")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(root)
    attempt = AccessAttempt.objects.get()
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert [event.actor for event in events(Kind.UNLOCK)] == [root]


def test_jurisdiction_admins_cannot_reach_the_lockouts(alpha):
    client = Client()
    client.force_login(alpha.users[Role.JURISDICTION_ADMIN])
    alpha.users[Role.JURISDICTION_ADMIN].is_staff = True
    alpha.users[Role.JURISDICTION_ADMIN].save()
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


def test_each_sign_in_event_is_recorded(alpha):
    reviewer = alpha.users[Role.REVIEWER]
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 test")
    page_login(client, "alpha_reviewer", "wrong-password")
    page_login(client, "no_such_person", "wrong-password")
    page_login(client, "alpha_reviewer", RIGHT)
    client.post(reverse("logout"))
    wrong, unknown = events(Kind.LOGIN_FAILURE)
    assert (wrong.subject_user, wrong.username, wrong.outcome) == (
        reviewer,
        "alpha_reviewer",
        Outcome.FAILURE,
    )
    assert (unknown.subject_user, unknown.username) == (None, "no_such_person")
    [success] = events(Kind.LOGIN_SUCCESS)
    assert (success.actor, success.subject_user, success.outcome) == (reviewer, reviewer, Outcome.SUCCESS)
    [logout] = events(Kind.LOGOUT)
    assert logout.subject_user == reviewer
    for event in (wrong, unknown, success, logout):
        assert event.ip == "127.0.0.1" and event.user_agent == "Mozilla/5.0 test"
        assert event.jurisdiction is None and event.stream == "platform"
        assert event.data["path"] in (reverse("login"), reverse("logout"))


def test_the_security_log_readers_see_their_peoples_sign_in_events(alpha, beta):
    page_login(Client(), "alpha_reviewer", "wrong-password")
    page_login(Client(), "beta_reviewer", "wrong-password")
    seen = SecurityEvent.objects.for_user(alpha.users[Role.AUDITOR]).filter(kind=Kind.LOGIN_FAILURE)
    assert [event.username for event in seen] == ["alpha_reviewer"]


def test_the_settings_come_from_the_environment():
    """AXES_FAILURE_LIMIT, AXES_COOLOFF_MINUTES and the others, read by the settings module."""
    code = (
        "from django.conf import settings as s;"
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.SESSION_COOKIE_AGE,"
        " s.SESSION_ABSOLUTE_LIFETIME, s.REST_KNOX['TOKEN_TTL'].total_seconds(),"
        " s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], s.CACHES['default']['BACKEND'], s.NUM_PROXIES,"
        " s.IPWARE_META_PRECEDENCE_ORDER)"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govproj.settings.test",
        "AXES_FAILURE_LIMIT": "7",
        "AXES_COOLOFF_MINUTES": "45",
        "SESSION_IDLE_MINUTES": "15",
        "SESSION_ABSOLUTE_HOURS": "8",
        "API_TOKEN_TTL_HOURS": "2",
        "DRF_THROTTLE_ANON": "1/second",
        "DRF_THROTTLE_USER": "2/second",
        "DRF_THROTTLE_TOKEN": "3/hour",
        "REDIS_CACHE_URL": "redis://127.0.0.1:6379/7",
        "DJANGO_NUM_PROXIES": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()
    assert out.endswith(
        "7 2700.0 900 28800 7200.0 {'anon': '1/second', 'user': '2/second', 'token': '3/hour'} "
        "django_redis.cache.RedisCache 1 ('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR')"
    ), out


def test_security_events_are_read_only_in_the_admin_and_scoped(alpha, beta):
    from django.contrib.auth.models import Permission

    page_login(Client(), "alpha_reviewer", "wrong-password")
    page_login(Client(), "beta_reviewer", "wrong-password")
    admin = alpha.users[Role.JURISDICTION_ADMIN]
    admin.is_staff = True
    admin.save()
    admin.user_permissions.add(Permission.objects.get(codename="view_securityevent"))
    client = Client()
    client.force_login(admin)
    changelist = reverse("admin:security_securityevent_changelist")
    page = client.get(changelist).content.decode()
    assert "alpha_reviewer" in page and "beta_reviewer" not in page
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILURE, username="alpha_reviewer")
    assert client.get(reverse("admin:security_securityevent_change", args=[event.pk])).status_code == 200
    assert client.post(reverse("admin:security_securityevent_delete", args=[event.pk])).status_code == 403
    other = SecurityEvent.objects.get(username="beta_reviewer")
    assert client.get(reverse("admin:security_securityevent_change", args=[other.pk])).status_code == 302
    assert client.get(changelist + "?kind__exact=login_failure&outcome__exact=failure").status_code == 200


def test_knox_tokens_are_not_made_in_the_admin_behind_the_log(db):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    assert client.get("/admin/knox/authtoken/add/").status_code == 404
