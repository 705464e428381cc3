"""A report built by a real Celery worker over Redis, on PostgreSQL (issue 12 §4).

The request commits, its build goes to the broker, a worker (another thread, its own database
connection) claims it and writes its progress with plain UPDATEs that the requester sees while it
runs; the stored PDF then holds the report. A second request while the first is queued joins it.

Skipped on the SQLite pass; in the PostgreSQL + Redis pass (GOVPROJ_REQUIRE_SERVICES=1) it fails
instead when a service is missing. The kind is defined here, so no one document is needed.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connection

from govproj.celery import app as celery_app
from jurisdictions.models import Role
from projects.reports.models import Report, ReportStatus
from projects.reports.services import report_request
from tests.conftest import make_project, make_tenant
from tests.projects.reports.helpers import registered_probe, text_of
from tests.test_concurrency_and_worker import _needs

TIMEOUT = 60  # seconds for the worker to build the report
HALFWAY = 30  # the percent the kind reports before its pause


def _context(report, progress):
    progress(HALFWAY, "汇总记录")
    time.sleep(1.5)  # long enough for the requester to see the report being prepared, part done
    return {}


@pytest.fixture
def slow_probe():
    with registered_probe("worker_probe", "并发测试报告", _context) as kind:
        yield kind


def _poll_until_finished(pk: int) -> tuple[Report, list[tuple[str, int]]]:
    """The report once done or failed, and every (status, progress) seen on the way."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        report = Report.objects.get(pk=pk)
        seen.append((report.status, report.progress))
        if report.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return report, seen
        time.sleep(0.1)
    pytest.fail(f"report {pk} was not built within {TIMEOUT} s; seen {seen[-5:]}")


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_a_requested_report(slow_probe):
    _needs(connection.vendor == "postgresql", "needs PostgreSQL (the worker's own connection sees commits)")
    _needs(
        settings.CELERY_BROKER_URL.startswith("redis://") and bool(settings.CELERY_RESULT_BACKEND),
        "needs CELERY_BROKER_URL and CELERY_RESULT_BACKEND on Redis",
    )
    from celery.contrib.testing.worker import start_worker

    tenant = make_tenant("alpha")
    project = make_project(tenant, title="智慧城管平台")
    reviewer = tenant.users[Role.REVIEWER]
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        celery_app.control.purge()  # nothing left on this broker from an earlier run
        first = report_request(actor=reviewer, kind="worker_probe", project_id=project.pk)
        assert first.joined is False
        # No worker yet: the build waits on the broker, and a second request joins it.
        queued = Report.objects.get(pk=first.pk)
        assert queued.status == ReportStatus.QUEUED and queued.progress == 0
        second = report_request(
            actor=tenant.users[Role.DEPARTMENT_STAFF], kind="worker_probe", project_id=project.pk
        )
        assert second.joined is True and second.pk == first.pk
        assert Report.objects.filter(project=project).count() == 1
        with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
            report, seen = _poll_until_finished(first.pk)
    finally:
        celery_app.conf.task_always_eager = eager
    assert report.status == ReportStatus.DONE, report.error
    assert report.progress == 100 and report.step == "已生成"
    assert (ReportStatus.RUNNING, HALFWAY) in seen  # the requester saw it part done, as the page would
    assert report.attempts == 1 and report.size == report.file.size and len(report.sha256) == 64
    text = text_of(report)
    assert "智慧城管平台 · 并发测试报告" in text
    assert report.document_number in text.replace("\n", "")
