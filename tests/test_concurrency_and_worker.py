"""Real parts: two simultaneous transitions on PostgreSQL, and a real Celery worker on Redis.

Both are skipped on the SQLite pass and run in `.ci/run`'s PostgreSQL + Redis pass.
"""

from __future__ import annotations

import os
import threading

import pytest
from django.conf import settings
from django.db import connection, connections

from govproj.celery import app as celery_app
from govproj.errors import ApplicationError
from jurisdictions.models import Role
from jurisdictions.tasks import check_measures
from projects import services
from projects.models import AuditEvent, Phase, Project
from tests.conftest import make_project, make_tenant


def _needs(available: bool, why: str) -> None:
    """Skip on the embedded default; in CI's services pass (GOVPROJ_REQUIRE_SERVICES=1), fail instead."""
    if not available:
        (pytest.fail if os.environ.get("GOVPROJ_REQUIRE_SERVICES") else pytest.skip)(why)


def _race(calls):
    """Run the calls in threads released together; return each one's result or error."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except ApplicationError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("names", [("enter_library", "reject"), ("enter_library", "enter_library")])
def test_two_simultaneous_transitions_exactly_one_wins(names):
    _needs(connection.vendor == "postgresql", "needs PostgreSQL row locks")
    tenant = make_tenant("alpha")
    project = make_project(tenant)
    services.transition_project(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    reviewer = tenant.users[Role.REVIEWER]
    results = _race(
        [
            lambda n=name: services.transition_project(
                actor=reviewer, project_id=project.pk, name=n, comment="并发测试"
            )
            for name in names
        ]
    )
    winners = [r for r in results if isinstance(r, Project)]
    losers = [r for r in results if isinstance(r, ApplicationError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].http_status == 409
    final = Project.objects.get(pk=project.pk)
    assert final.phase == winners[0].phase != Phase.DECLARED
    assert AuditEvent.objects.filter(project=project, from_phase=Phase.DECLARED).count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_over_redis():
    _needs(
        settings.CELERY_BROKER_URL.startswith("redis://") and bool(settings.CELERY_RESULT_BACKEND),
        "needs CELERY_BROKER_URL and CELERY_RESULT_BACKEND on Redis",
    )
    from celery.contrib.testing.worker import start_worker

    make_tenant("alpha")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            result = check_measures.delay("2024-12-31")  # before testland's measure takes effect
            flagged = result.get(timeout=30)
    finally:
        celery_app.conf.task_always_eager = eager
    assert flagged == [
        {
            "jurisdiction": "alpha",
            "version": 1,
            "state": "not_yet_effective",
            "flagged": True,
            "effective_from": "2025-01-01",
            "effective_to": None,
            "days_left": None,
            "message": {
                "zh": "办法尚未施行（2025-01-01起施行）",
                "en": "The measure is not yet in force (from 2025-01-01)",
            },
        }
    ]
    assert result.backend.__class__.__name__ == "RedisBackend"
