"""The daily scan in production's shape (issue 11 §2): beat schedules it, and two workers scanning at
once still leave one reminder per deadline, level and day, and one notification per person and reminder.

- The beat test and the fresh-process registration test run everywhere.
- The two-worker test starts two real Celery worker processes on Redis against this test's
  PostgreSQL database; the constraint test races two connections inserting the same reminders.
  Both are skipped on the embedded default (SQLite, eager Celery) and run in `.ci/run`'s
  PostgreSQL + Redis pass, where a missing service fails them instead (GOVPROJ_REQUIRE_SERVICES).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler
from kombu import Exchange, Queue

from govproj.celery import app as celery_app
from jurisdictions.models import Role
from projects.deadlines.models import Deadline, DeadlineReminder, DeadlineStatus, ReminderLevel
from projects.deadlines.scan import _insert
from projects.notifications.models import Notification
from tests.conftest import make_project, make_tenant

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2026, 11, 24)  # a Tuesday
IN_TWO = dt.date(2026, 11, 26)  # 2 working days ahead
FIVE_LATE = dt.date(2026, 11, 17)  # 5 working days overdue: an overdue reminder
ELEVEN_LATE = dt.date(2026, 11, 9)  # 11 working days overdue: an escalation
TASK = "projects.deadlines.scan"

# A worker process as `celery -A govproj worker` starts one, except that what it sends itself (the
# scan's e-mail task) goes to this test's queue, not to the default queue other tests' workers read.
WORKER = (
    "import sys\n"
    "from govproj.celery import app\n"
    "app.conf.task_default_queue = sys.argv[1]\n"
    "app.worker_main(sys.argv[2:])\n"
)
# What a worker process knows once it has imported what it imports on start.
REGISTERED = (
    "import django\n"
    "django.setup()\n"
    "from govproj.celery import app\n"
    "app.loader.import_default_modules()\n"
    "print(' '.join(sorted(app.tasks)))\n"
)


def _needs(available: bool, why: str) -> None:
    """Skip on the embedded default; in CI's services pass (GOVPROJ_REQUIRE_SERVICES=1), fail instead."""
    if not available:
        (pytest.fail if os.environ.get("GOVPROJ_REQUIRE_SERVICES") else pytest.skip)(why)


def _deadline(tenant, project, due: dt.date, n: int, *, status=DeadlineStatus.OPEN) -> Deadline:
    return Deadline.objects.create(
        project=project,
        jurisdiction=tenant.jurisdiction,
        rule_id=f"alpha.bench.duty_{due:%m%d}_{n}",
        kind="deadline",
        article="第三十条",
        title_zh="年度绩效报告",
        title_en="Yearly report",
        message_zh=f"应于{due}前提交年度绩效报告",
        due_date=due,
        status=status,
        responsible_role=Role.DEPARTMENT_STAFF,
        responsible_department=tenant.department,
    )


# ------------------------------------------------------------------------------------------ beat


@pytest.mark.django_db(transaction=True)  # the scheduler closes old connections, as beat does between syncs
def test_beat_schedules_the_scan_every_morning_at_half_past_six():
    assert settings.CELERY_BEAT_SCHEDULE["deadlines-daily-scan"]["task"] == TASK
    # What `celery beat` does on start: the settings' entries written into the database.
    DatabaseScheduler(app=celery_app)
    entry = PeriodicTask.objects.select_related("crontab").get(name="deadlines-daily-scan")
    assert entry.task == TASK and entry.enabled
    cron = entry.crontab
    fields = (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week)
    assert " ".join(fields) == "30 6 * * *"
    assert str(cron.timezone) == "Asia/Shanghai"


def test_a_fresh_worker_process_knows_the_scan_task():
    """Beat sends the task by name: a worker that never imported its module would refuse it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "govproj.settings.test", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", REGISTERED], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    registered = done.stdout.split()
    assert TASK in registered, f"a worker process does not register {TASK}: {registered}"
    assert "projects.deadlines.sync" in registered


# ------------------------------------------------------------------------------ the constraint alone


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_connections_inserting_the_same_reminders_keep_one_row_each_and_neither_fails():
    """The second INSERT waits on the first one's uncommitted rows at the unique index, then inserts
    nothing: no error, no second row (without the constraint, ON CONFLICT itself is an error)."""
    _needs(connection.vendor == "postgresql", "needs PostgreSQL: concurrent writers on one table")
    tenant = make_tenant("alpha")
    project = make_project(tenant)
    Deadline.objects.all().delete()  # only the rows below
    ids = {_deadline(tenant, project, IN_TWO, n).pk for n in range(3)}
    scans = [uuid.uuid4(), uuid.uuid4()]
    first_inserted, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def insert(scan: uuid.UUID, hold: bool) -> None:
        try:
            with transaction.atomic():
                _insert(
                    scan, TODAY, ReminderLevel.BEFORE, tenant.jurisdiction.pk, "open", by_date={IN_TWO: 2}
                )
                if hold:
                    first_inserted.set()
                    assert release.wait(timeout=30)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
            first_inserted.set()
        finally:
            connections.close_all()

    first = threading.Thread(target=insert, args=(scans[0], True))
    second = threading.Thread(target=lambda: first_inserted.wait(30) and insert(scans[1], False))
    first.start()
    second.start()
    try:
        assert first_inserted.wait(timeout=30)
        waiting = 0
        for _ in range(100):  # the second INSERT blocks on the first one's rows, not before it
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO projects_deadlinereminder%%'"
                )
                waiting = cursor.fetchone()[0]
            if waiting:
                break
            time.sleep(0.05)
        assert waiting == 1, "the second INSERT never waited on the first"
        assert second.is_alive()
    finally:
        release.set()
        first.join(timeout=30)
        second.join(timeout=30)
    assert errors == []
    rows = DeadlineReminder.objects.all()
    assert sorted(rows.values_list("deadline_id", flat=True)) == sorted(ids)
    assert set(rows.values_list("scan", flat=True)) == {scans[0]}


# ---------------------------------------------------------------------------------- two workers


def _database_url() -> str:
    database = connection.settings_dict
    user = quote(database.get("USER") or "")
    password = f":{quote(database['PASSWORD'])}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"


@contextlib.contextmanager
def _workers(queue: str, names: list[str]):
    """Real worker processes on the broker and this test's database, each on its queue and the shared one."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govproj.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONPATH": str(ROOT),
    }
    processes, logs = [], []
    try:
        for name in names:
            command = [
                sys.executable, "-c", WORKER, queue, "worker", "--queues", f"{queue},{queue}.{name}",
                "--hostname", f"{name}@{queue}", "--pool", "solo", "--loglevel", "WARNING",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ]  # fmt: skip
            logs.append(tempfile.TemporaryFile(mode="w+"))
            processes.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=logs[-1], stderr=logs[-1]))
        hostnames = [f"{name}@{queue}" for name in names]
        answered: set[str] = set()
        started = time.monotonic()
        while answered != set(hostnames):
            for process, log in zip(processes, logs, strict=True):
                if process.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"a worker exited ({process.returncode}): {log.read()[-3000:]}")
            if time.monotonic() - started > 90:
                pytest.fail(f"workers not ready within 90 s: {sorted(answered)} of {hostnames}")
            for reply in celery_app.control.ping(destination=hostnames, timeout=1.0):
                answered.update(reply)
        yield hostnames, processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
        with celery_app.connection_for_write() as broker:  # the queues, their bindings and exchanges
            for name in [queue, *(f"{queue}.{n}" for n in names)]:
                declared = Queue(name, Exchange(name), routing_key=name, channel=broker.default_channel)
                declared.declare()
                declared.delete()
                declared.exchange.delete()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_the_same_day_at_once_remind_and_notify_once():
    _needs(connection.vendor == "postgresql", "needs PostgreSQL: the workers share the test database")
    _needs(
        settings.CELERY_BROKER_URL.startswith("redis://") and bool(settings.CELERY_RESULT_BACKEND),
        "needs CELERY_BROKER_URL and CELERY_RESULT_BACKEND on Redis",
    )
    tenant = make_tenant("alpha")
    projects = [make_project(tenant) for _ in range(3)]
    Deadline.objects.all().delete()  # the synced rows of the pack: only the rows below
    due = [(IN_TWO, DeadlineStatus.OPEN)] * 6 + [(FIVE_LATE, DeadlineStatus.OPEN)] * 4
    due += [(ELEVEN_LATE, DeadlineStatus.OVERDUE)] * 3
    made = [_deadline(tenant, projects[n % 3], day, n, status=status) for n, (day, status) in enumerate(due)]
    expected = {
        *((d.pk, ReminderLevel.BEFORE.value) for d in made[:6]),
        *((d.pk, ReminderLevel.OVERDUE.value) for d in made[6:10]),
        *((d.pk, ReminderLevel.ESCALATION.value) for d in made[10:]),
    }
    staff, reviewer, admin = (
        tenant.users[r] for r in (Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.JURISDICTION_ADMIN)
    )

    queue = f"test-deadline-scan-{uuid.uuid4().hex[:12]}"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with _workers(queue, ["w1", "w2"]) as (hostnames, processes):
            assert processes[0].pid != processes[1].pid
            registered = celery_app.control.inspect(destination=hostnames, timeout=5).registered() or {}
            for hostname in hostnames:
                assert TASK in registered.get(hostname, []), f"{hostname} does not know {TASK}: {registered}"
            results = [
                celery_app.send_task(TASK, args=[TODAY.isoformat()], queue=f"{queue}.{name}")
                for name in ("w1", "w2")
            ]
            outcomes = [result.get(timeout=120) for result in results]
            assert all(result.successful() for result in results)
            for result in results:
                result.forget()
    finally:
        celery_app.conf.task_always_eager = eager

    rows = list(DeadlineReminder.objects.values_list("deadline_id", "level", "day"))
    assert len(rows) == len(set(rows)) == len(expected)
    assert {(d, level) for d, level, _day in rows} == expected
    assert {day for *_x, day in rows} == {TODAY}
    # Each worker told only about the rows its own scan inserted: together, each reminder once.
    assert sum(o["reminders"] for o in outcomes) == len(expected)
    assert sum(o["overdue"] for o in outcomes) == 4
    notices = list(Notification.objects.values_list("recipient_id", "key", "kind"))
    assert len(notices) == len({(recipient, key) for recipient, key, _k in notices})
    # six reminders before and four overdue to the staff member; the three escalations in one notice a
    # day to each of the reviewer and the administrator
    assert sum(o["notifications"] for o in outcomes) == len(notices) == 6 + 4 + 2
    by_kind = {
        kind: sorted({recipient for recipient, _key, k in notices if k == kind})
        for kind in ("deadline", "deadline_escalation")
    }
    assert by_kind == {"deadline": [staff.pk], "deadline_escalation": sorted([reviewer.pk, admin.pk])}
    keys = {key for _r, key, _k in notices}
    reminders = DeadlineReminder.objects.exclude(level=ReminderLevel.ESCALATION)
    reminder_keys = {f"deadline-reminder:{pk}" for pk in reminders.values_list("pk", flat=True)}
    assert keys == reminder_keys | {f"deadline-escalation:{tenant.jurisdiction.pk}:{TODAY.isoformat()}"}
