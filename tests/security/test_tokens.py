"""API tokens (django-rest-knox): expiry, revoked on logout, listed and revoked by owner and admin; throttles.

Before issue 6 tokens (rest_framework.authtoken) never expired, survived logout, could be
listed or revoked by nobody, and nothing was throttled.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from jurisdictions.models import Role
from security.models import Kind, SecurityEvent
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory

RIGHT = "pw-for-tests"


def obtain(username: str, password: str = RIGHT, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


def token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def events(kind) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("stream", "seq"))


@pytest.fixture
def generous(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "1000/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1000/minute")


# ── issuing ────────────────────────────────────────────────────────────────────────────────


def test_a_token_is_issued_with_an_expiry_and_recorded(alpha):
    before = timezone.now()
    response = obtain("alpha_reviewer")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expiry"}
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert before + dt.timedelta(hours=10) <= expiry <= timezone.now() + dt.timedelta(hours=10)
    stored = AuthToken.objects.get()
    assert body["token"] not in (stored.digest, stored.token_key)  # only a hash is kept
    assert token_client(body["token"]).get("/api/v1/jurisdictions/alpha/").status_code == 200
    reviewer = alpha.users[Role.REVIEWER]
    [issued] = events(Kind.TOKEN_ISSUED)
    assert (issued.actor, issued.subject_user, issued.jurisdiction) == (reviewer, reviewer, None)
    assert issued.data["prefix"] == body["token"][:8] and issued.target == f"token {body['token'][:8]}…"
    assert [event.subject_user for event in events(Kind.LOGIN_SUCCESS)] == [reviewer]


def test_a_form_encoded_request_works_too(alpha):
    response = APIClient().post("/api/v1/auth/token/", {"username": "alpha_reviewer", "password": RIGHT})
    assert response.status_code == 200 and response.json()["token"]


def test_a_wrong_password_is_a_400_naming_no_token(alpha):
    response = obtain("alpha_reviewer", "wrong-password")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "token" not in response.json()
    assert not AuthToken.objects.exists()


def test_an_expired_token_is_refused(alpha):
    token = obtain("alpha_reviewer").json()["token"]
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = token_client(token).get("/api/v1/jurisdictions/alpha/")
    assert response.status_code == 401
    assert not AuthToken.objects.exists()  # knox deletes it on sight


@pytest.mark.parametrize("header", ["Token é", "Token a\x00b", "Token " + "f" * 300, "Token"])
def test_a_malformed_token_is_a_401_not_a_500(alpha, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/jurisdictions/alpha/").status_code == 401


def test_a_bad_token_header_does_not_stop_signing_in(alpha):
    """The token endpoint authenticates nobody: a stale header must not turn a login into a 401."""
    response = obtain("alpha_reviewer", HTTP_AUTHORIZATION="Token stale")
    assert response.status_code == 200


# ── logout ─────────────────────────────────────────────────────────────────────────────────


def test_api_logout_revokes_the_token_in_use(alpha, generous):
    first, second = obtain("alpha_reviewer").json()["token"], obtain("alpha_reviewer").json()["token"]
    response = token_client(first).post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert token_client(first).get("/api/v1/jurisdictions/alpha/").status_code == 401
    assert token_client(second).get("/api/v1/jurisdictions/alpha/").status_code == 200
    [revoked] = events(Kind.TOKEN_REVOKED)
    assert revoked.data["prefix"] == first[:8] and revoked.actor == alpha.users[Role.REVIEWER]
    assert len(events(Kind.LOGOUT)) == 1


def test_api_logout_all_revokes_every_token(alpha, generous):
    first, second = obtain("alpha_reviewer").json()["token"], obtain("alpha_reviewer").json()["token"]
    obtain("alpha_auditor")
    assert token_client(first).post("/api/v1/auth/logout/", {"all": True}, format="json").status_code == 204
    for token in (first, second):
        assert token_client(token).get("/api/v1/jurisdictions/alpha/").status_code == 401
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["alpha_auditor"]


def test_signing_out_of_the_pages_revokes_the_persons_tokens(alpha, generous):
    token = obtain("alpha_reviewer").json()["token"]
    obtain("alpha_auditor")
    client = Client()
    client.post(reverse("login"), {"username": "alpha_reviewer", "password": RIGHT})
    client.post(reverse("logout"))
    assert token_client(token).get("/api/v1/jurisdictions/alpha/").status_code == 401
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["alpha_auditor"]
    assert [event.reason for event in events(Kind.TOKEN_REVOKED)] == ["退出登录"]


def test_signing_out_of_the_admin_revokes_them_too(alpha, generous):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    obtain("root")
    client = Client()
    client.force_login(root)
    assert client.post(reverse("admin:logout")).status_code == 302
    assert not AuthToken.objects.exists()


def test_a_session_caller_of_the_logout_endpoint_is_signed_out(alpha, generous):
    obtain("alpha_reviewer")
    client = APIClient()
    client.force_login(alpha.users[Role.REVIEWER])
    assert client.post("/api/v1/auth/logout/").status_code == 204
    assert client.get("/api/v1/auth/tokens/").status_code in (401, 403)
    assert not AuthToken.objects.exists()


# ── listing and revoking ───────────────────────────────────────────────────────────────────


def test_the_owner_lists_their_tokens_by_prefix(alpha, generous):
    token = obtain("alpha_reviewer").json()["token"]
    obtain("alpha_auditor")
    response = token_client(token).get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["prefix"] == token[:8] and row["current"] is True
    assert row["user"] == {
        "id": alpha.users[Role.REVIEWER].pk,
        "username": "alpha_reviewer",
        "name": "alpha_reviewer",
    }
    assert token not in response.content.decode()  # never the secret


def test_a_jurisdiction_admin_sees_and_revokes_their_peoples_tokens(alpha, beta, generous):
    reviewer_token = obtain("alpha_reviewer").json()["token"]
    obtain("beta_reviewer")
    admin = alpha.users[Role.JURISDICTION_ADMIN]
    listed = client_for(admin).get("/api/v1/auth/tokens/").json()["results"]
    assert [row["user"]["username"] for row in listed] == ["alpha_reviewer"]
    response = client_for(admin).delete(f"/api/v1/auth/tokens/{listed[0]['key']}/")
    assert response.status_code == 204
    assert token_client(reviewer_token).get("/api/v1/jurisdictions/alpha/").status_code == 401
    [revoked] = events(Kind.TOKEN_REVOKED)
    assert (revoked.actor, revoked.subject_user) == (admin, alpha.users[Role.REVIEWER])


def test_another_tenants_token_is_a_404(alpha, beta, generous):
    obtain("alpha_reviewer")
    key = AuthToken.objects.get().token_key
    for user in (beta.users[Role.JURISDICTION_ADMIN], alpha.users[Role.AUDITOR]):
        response = client_for(user).delete(f"/api/v1/auth/tokens/{key}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert client_for(user).get("/api/v1/auth/tokens/").json()["count"] == 0
    assert AuthToken.objects.count() == 1


def test_a_jurisdiction_admin_does_not_see_a_superusers_token(alpha, generous):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    MembershipFactory(user=root, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER)
    obtain("root")
    assert client_for(alpha.users[Role.JURISDICTION_ADMIN]).get("/api/v1/auth/tokens/").json()["count"] == 0
    assert client_for(root).get("/api/v1/auth/tokens/").json()["count"] == 1


def test_the_tokens_page(alpha, beta, generous):
    token = obtain("alpha_reviewer").json()["token"]
    obtain("beta_reviewer")
    alpha.users[Role.REVIEWER].first_name, alpha.users[Role.REVIEWER].last_name = "明", "王"
    alpha.users[Role.REVIEWER].save()
    client = Client()
    client.force_login(alpha.users[Role.JURISDICTION_ADMIN])
    page = client.get(reverse("security:tokens")).content.decode()
    assert "<h1>API 令牌</h1>" in page and f'href="{reverse("security:tokens")}"' in page  # and in the menu
    assert f"<code>{token[:8]}…</code>" in page and "明 王" in page and token[:16] not in page
    assert page.count("撤销…</a>") == 1  # beta's token is not there
    confirm = client.get(reverse("security:token-revoke", args=[token[:15]])).content.decode()
    assert "不可撤销" in confirm and "吊销该令牌" in confirm  # asked before it is done
    assert AuthToken.objects.filter(user__username="alpha_reviewer").exists()

    beta_key = AuthToken.objects.get(user__username="beta_reviewer").token_key
    assert client.post(reverse("security:token-revoke", args=[beta_key])).status_code == 404
    response = client.post(reverse("security:token-revoke", args=[token[:15]]), follow=True)
    assert "已吊销" in response.content.decode()
    assert list(AuthToken.objects.values_list("user__username", flat=True)) == ["beta_reviewer"]
    assert events(Kind.TOKEN_REVOKED)[0].reason == "在“API 令牌”页面吊销"


def test_the_tokens_page_needs_a_login(db):
    response = Client().get(reverse("security:tokens"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_rest_framework_authtoken_is_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    assert (
        settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"][0]
        == "security.authentication.TokenAuthentication"
    )


# ── throttling ─────────────────────────────────────────────────────────────────────────────


def test_the_token_endpoint_is_throttled_with_retry_after(alpha, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "3/minute")
    statuses = [obtain("alpha_reviewer").status_code for _request in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = obtain("alpha_reviewer")
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_default_rates_make_the_token_endpoint_much_stricter():
    def per_minute(rate: str) -> float:
        count, period = rate.split("/")
        return int(count) * 60 / {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]

    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert per_minute(rates["token"]) * 5 <= per_minute(rates["anon"]) <= per_minute(rates["user"])


def test_signed_in_users_are_throttled_per_user(alpha, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "2/minute")
    reviewer, auditor = client_for(alpha.users[Role.REVIEWER]), client_for(alpha.users[Role.AUDITOR])
    assert [reviewer.get("/api/v1/jurisdictions/").status_code for _request in range(3)] == [200, 200, 429]
    assert auditor.get("/api/v1/jurisdictions/").status_code == 200  # a count of their own


def test_anonymous_callers_are_throttled(alpha, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "1000/minute")
    assert [obtain("alpha_reviewer", "wrong").status_code for _request in range(3)] == [400, 400, 429]


def test_throttle_counters_start_afresh_in_each_test_a(alpha, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "2/minute")
    assert [obtain("alpha_reviewer").status_code for _request in range(2)] == [200, 200]


def test_throttle_counters_start_afresh_in_each_test_b(alpha, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "token", "2/minute")
    assert [obtain("alpha_reviewer").status_code for _request in range(2)] == [200, 200]
