"""The audit trail and the security log are hash-chained and append-only; tampering shows."""

from __future__ import annotations

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from govproj.chain import CHAIN_FIELDS, GENESIS, row_digest, verify_chain
from jurisdictions.models import Role
from projects import services
from projects.models import AuditEvent
from security.models import Kind, SecurityEvent
from security.services import security_event_record
from tests.conftest import make_project, make_tenant
from tests.test_concurrency_and_worker import _needs


def _declared_project(tenant):
    project = make_project(tenant)
    services.transition_project(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    return project


def _tamper(sql: str, params: list) -> None:
    """What an intruder with database access does. PostgreSQL refuses it unless the trigger is bypassed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SET LOCAL session_replication_role = replica"
            )  # skips triggers, as a superuser may
        cursor.execute(sql, params)


@pytest.mark.parametrize("model", [AuditEvent, SecurityEvent])
def test_every_column_but_the_id_and_the_hash_is_chained(model):
    columns = {f.attname for f in model._meta.concrete_fields} - {"id", "hash"}
    assert set(model.chain_fields) == columns
    assert set(CHAIN_FIELDS) <= columns


def test_events_chain_per_stream_and_verify(alpha):
    project = _declared_project(alpha)
    events = list(AuditEvent.objects.filter(project=project).order_by("seq"))
    assert [e.action for e in events] == ["create", "declare"]
    assert [e.seq for e in events] == [1, 2]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert all(row_digest(e) == e.hash for e in events)
    assert {e.stream for e in events} == {f"project:{project.pk}"}
    security_event_record(kind=Kind.LOGIN_FAILURE, outcome="failure", username="nobody")
    assert list(verify_chain(AuditEvent)) == []
    assert list(verify_chain(SecurityEvent)) == []
    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_a_changed_row_is_named_by_verify_audit():
    tenant = make_tenant("alpha")
    project = _declared_project(tenant)
    declare = AuditEvent.objects.get(project=project, action="declare")
    with transaction.atomic():
        _tamper("UPDATE projects_auditevent SET comment = %s WHERE id = %s", ["改过", declare.pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert f"stream project:{project.pk} seq 2 (id {declare.pk})" in str(failure.value)
    assert "content was changed" in str(failure.value)


@pytest.mark.django_db(transaction=True)
def test_a_removed_row_is_named_by_verify_audit():
    for name in ("a", "b", "c"):
        security_event_record(kind=Kind.LOGIN_FAILURE, outcome="failure", username=name)
    middle = SecurityEvent.objects.get(username="b")
    with transaction.atomic():
        _tamper("DELETE FROM security_securityevent WHERE id = %s", [middle.pk])
    with pytest.raises(CommandError, match=r"seq 3 .*row 2 is missing"):
        call_command("verify_audit")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET seq = seq", "DELETE FROM {table}"])
@pytest.mark.parametrize("table", ["projects_auditevent", "security_securityevent"])
def test_postgresql_refuses_update_and_delete(statement, table):
    _needs(connection.vendor == "postgresql", "the append-only trigger is PostgreSQL's")
    tenant = make_tenant("alpha")
    _declared_project(tenant)
    security_event_record(kind=Kind.LOGIN_SUCCESS, username="x")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(statement.format(table=table))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_to_one_stream_all_land_in_order():
    _needs(connection.vendor == "postgresql", "needs concurrent PostgreSQL connections")
    make_tenant("alpha")
    barrier = threading.Barrier(20)
    errors = []

    def append(n):
        try:
            barrier.wait(timeout=10)
            security_event_record(kind=Kind.LOGIN_FAILURE, outcome="failure", username=f"u{n}")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    platform = SecurityEvent.objects.filter(stream="platform").order_by("seq")
    assert list(platform.values_list("seq", flat=True)) == list(range(1, 21))
    assert list(verify_chain(SecurityEvent)) == []
