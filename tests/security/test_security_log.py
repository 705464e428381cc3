"""The security audit log: refusals, grants and edits are recorded; auditors and jurisdiction
admins read their own jurisdiction's events on a page and over the API; nobody edits them;
old events are purged only past the legal minimum, leaving a record and an intact chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jurisdictions.models import Role
from projects import services
from projects.models import AuditEvent
from security.models import Kind, SecurityEvent
from security.services import security_event_record
from tests.conftest import client_for, make_project

READERS = (Role.AUDITOR, Role.JURISDICTION_ADMIN)
NOT_READERS = [r for r in Role.values if r not in READERS]


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _declared(tenant):
    project = make_project(tenant)
    services.transition_project(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    return project


# ---------------------------------------------------------------------------- refusals


def test_a_refused_api_transition_is_logged_with_its_reason(alpha):
    project = _declared(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    response = client_for(staff).post(
        f"/api/v1/projects/{project.pk}/transitions/",
        {"transition": "enter_library"},
        format="json",
        HTTP_USER_AGENT="pytest-agent",
    )
    assert response.status_code == 403
    event = SecurityEvent.objects.get(kind=Kind.REFUSED)
    assert event.actor == staff and event.outcome == "failure"
    assert event.jurisdiction == alpha.jurisdiction
    assert event.target.startswith(f"projects.project:{project.pk} ")
    assert event.data["action"] == "enter_library" and event.data["http_status"] == 403
    assert event.user_agent == "pytest-agent" and event.ip == "127.0.0.1"
    assert event.reason


def test_wrong_state_and_rule_refusals_are_logged_but_bad_input_is_not(alpha):
    project = make_project(alpha, facts={"documents": ["proposal", "fsr"]})  # screening unanswered
    reviewer = alpha.users[Role.REVIEWER]
    assert (
        client_for(reviewer)
        .post(f"/api/v1/projects/{project.pk}/transitions/", {"transition": "approve"}, format="json")
        .status_code
        == 409
    )
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    services.transition_project(actor=staff, project_id=project.pk, name="declare")
    refused = client_for(reviewer).post(
        f"/api/v1/projects/{project.pk}/transitions/", {"transition": "enter_library"}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] in ("rule_violation", "missing_documents")
    assert (
        client_for(reviewer)
        .post(f"/api/v1/projects/{project.pk}/transitions/", {"transition": "fly"}, format="json")
        .status_code
        == 400
    )
    logged = list(SecurityEvent.objects.filter(kind=Kind.REFUSED).order_by("seq"))
    assert [e.data["http_status"] for e in logged] == [409, 400]
    assert logged[0].data["allowed"] == ["declare", "terminate"] or "allowed" in logged[0].data
    assert logged[1].data["rules"] and all(r["article"].startswith("第") for r in logged[1].data["rules"])


def test_a_refused_page_transition_is_logged(alpha):
    project = _declared(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    login(staff).post(f"/projects/{project.pk}/transition/", {"transition": "enter_library"})
    event = SecurityEvent.objects.get(kind=Kind.REFUSED)
    assert event.data["action"] == "enter_library" and event.actor == staff


# ---------------------------------------------------------------------------- who reads


@pytest.mark.parametrize("role", READERS)
def test_readers_see_their_jurisdictions_events_on_a_page(alpha, beta, role):
    project = _declared(alpha)
    login(alpha.users[Role.DEPARTMENT_STAFF]).post(
        f"/projects/{project.pk}/transition/", {"transition": "enter_library"}
    )
    foreign = _declared(beta)
    login(beta.users[Role.DEPARTMENT_STAFF]).post(
        f"/projects/{foreign.pk}/transition/", {"transition": "enter_library"}
    )
    page = login(alpha.users[role]).get("/security/log/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "安全审计日志" in text and "操作被拒绝" in text
    assert project.code in text and foreign.code not in text
    assert "enter_library" not in text  # people read the action's name, not its code
    assert "纳入项目库" in text and f"项目 {project.code}" in text


@pytest.mark.parametrize("role", NOT_READERS)
def test_other_roles_are_refused_the_log(alpha, role):
    assert login(alpha.users[role]).get("/security/log/").status_code == 403
    assert client_for(alpha.users[role]).get("/api/v1/security-events/").status_code == 403


def test_the_page_filters_by_person_kind_and_date(alpha):
    auditor = alpha.users[Role.AUDITOR]
    reviewer, staff = alpha.users[Role.REVIEWER], alpha.users[Role.DEPARTMENT_STAFF]
    security_event_record(kind=Kind.LOGIN_SUCCESS, subject_user=reviewer)
    security_event_record(kind=Kind.LOGIN_FAILURE, outcome="failure", subject_user=staff)
    client = login(auditor)
    cell = '<td data-label="类型">{}</td>'.format
    page = client.get("/security/log/", {"person": reviewer.pk}).content.decode()
    assert cell("登录成功") in page and cell("登录失败") not in page
    page = client.get("/security/log/", {"kind": Kind.LOGIN_FAILURE}).content.decode()
    assert cell("登录失败") in page and cell("登录成功") not in page
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.get("/security/log/", {"since": tomorrow}).content.decode()
    assert cell("登录失败") not in page and "没有符合条件的记录" in page
    # Bad filter values are said, not a 500.
    assert client.get("/security/log/", {"since": "9999-99-99", "person": "²"}).status_code == 200


def test_the_api_lists_and_filters_and_hides_other_tenants(alpha, beta):
    mine = security_event_record(kind=Kind.LOGIN_SUCCESS, subject_user=alpha.users[Role.REVIEWER])
    theirs = security_event_record(kind=Kind.LOGIN_SUCCESS, subject_user=beta.users[Role.REVIEWER])
    client = client_for(alpha.users[Role.AUDITOR])
    body = client.get("/api/v1/security-events/").json()
    ids = [row["id"] for row in body["results"]]
    assert mine.pk in ids and theirs.pk not in ids
    assert client.get(f"/api/v1/security-events/{theirs.pk}/").status_code == 404
    row = client.get(f"/api/v1/security-events/{mine.pk}/").json()
    assert row["kind_label"] == "登录成功" and row["subject_user"]["username"] == "alpha_reviewer"
    assert row["hash"] == mine.hash
    filtered = client.get("/api/v1/security-events/", {"kind": "logout"}).json()
    assert filtered["count"] == 0
    assert client.get("/api/v1/security-events/", {"since": "not-a-date"}).status_code == 400


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_nobody_edits_or_deletes_events(alpha, method):
    event = security_event_record(kind=Kind.LOGIN_SUCCESS, subject_user=alpha.users[Role.REVIEWER])
    response = getattr(client_for(alpha.users[Role.JURISDICTION_ADMIN]), method)(
        f"/api/v1/security-events/{event.pk}/", {"reason": "x"}, format="json"
    )
    assert response.status_code == 405
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(TypeError):
        SecurityEvent.objects.all().delete()


def test_the_log_page_and_api_take_constant_queries(alpha):
    auditor = alpha.users[Role.AUDITOR]
    for _ in range(3):
        security_event_record(kind=Kind.LOGIN_SUCCESS, subject_user=alpha.users[Role.REVIEWER])
    client, api = login(auditor), client_for(auditor)
    with CaptureQueriesContext(connection) as few:
        client.get("/security/log/")
    with CaptureQueriesContext(connection) as few_api:
        api.get("/api/v1/security-events/")
    for _ in range(30):
        security_event_record(kind=Kind.LOGOUT, subject_user=alpha.users[Role.DEPARTMENT_STAFF])
    with CaptureQueriesContext(connection) as many:
        client.get("/security/log/")
    with CaptureQueriesContext(connection) as many_api:
        api.get("/api/v1/security-events/")
    assert len(many) == len(few) <= 12
    assert len(many_api) == len(few_api) <= 8


# ---------------------------------------------------------------------------- retention


def _age(event: SecurityEvent, days: int) -> None:
    """Back-date a row as if written `days` ago (its hash is recomputed: the chain stays intact)."""
    from govproj.chain import row_digest

    rows = SecurityEvent.objects.filter(stream=event.stream).order_by("seq")
    prev = None
    for row in rows:
        if row.pk == event.pk:
            row.at = timezone.now() - dt.timedelta(days=days)
        if prev is not None:
            row.prev_hash = prev
        row.hash = row_digest(row)
        prev = row.hash
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "UPDATE security_securityevent SET at = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row.at, row.prev_hash, row.hash, row.pk],
            )


def test_purge_keeps_six_months_and_leaves_a_record_and_an_intact_chain(alpha):
    old = security_event_record(kind=Kind.LOGIN_SUCCESS, subject_user=alpha.users[Role.REVIEWER])
    kept = security_event_record(kind=Kind.LOGOUT, subject_user=alpha.users[Role.REVIEWER])
    _age(old, 400)
    old.refresh_from_db()
    call_command("verify_audit")
    too_soon = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    with pytest.raises(CommandError, match="180"):
        call_command("purge_security_events", "--before", too_soon)
    call_command("purge_security_events")  # default: SECURITY_EVENT_RETENTION_DAYS (365)
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=kept.pk).exists()
    record = SecurityEvent.objects.get(kind=Kind.PURGED)
    assert record.data["count"] == 1 and record.data["through_seq"] == old.seq
    assert record.data["through_hash"] == old.hash
    call_command("verify_audit")  # the chain is checked from the first kept row
    assert AuditEvent.objects.count() == 0
