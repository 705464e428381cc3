"""The daily deadline scan at scale (issue 11 §7): print figures, assert nothing.

Times `projects.deadlines.scan.deadline_scan` on PostgreSQL over 100,000 projects and 300,000
stored deadlines, with its query count, and prints what it did. Run by bench/run.py in a
subprocess with the bench settings; alone:

    python bench/deadline_scan.py [--projects 100000] [--deadlines 300000] [--small 0.1]

The database is its own, BENCH_DEADLINES_DATABASE (default govproj_bench_deadlines; only names
starting with govproj_bench_ are accepted, and never the HTTP bench's govproj_bench, whose pages
would change under it). Built on first use and reused while its `bench_deadline_dataset` marker
matches: migrate, load_rulepacks, seed_demo, two more staff in every department (the people the
reminders go to), and the projects, spread evenly over the five jurisdictions and their
departments, by COPY. Each run lays the deadlines anew (COPY): the shipped packs'
own deadline and window rules (2 to 4 a project), due dates spread evenly over today ± 400 days;
of those past due 30 % met, 5 % waived and 65 % unmet (open or already overdue, half each), of
those to come 8 % met early and 2 % waived; 5 % marked not to remind; none escalated yet.

Three scans then run on each of two scales (a tenth of the deadlines first, then all of them),
to show what grows with the data and what does not:
- D, the first scan after the deadlines were stored: every deadline ten working days or more
  overdue is escalated once. The catch-up worst case: about a third of the deadlines reminded.
- D again: idempotent, nothing new (the reminders' unique constraint; no notification twice).
- D+1: a steady day (escalations done; overdue reminders every five working days, reminders
  5, 2 and 0 working days before).

E-mails the scan queues on commit go to an in-memory broker: the figures are the scan's own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import resource
import secrets
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATASET_VERSION = 1
DATABASE = os.environ.get("BENCH_DEADLINES_DATABASE", "govproj_bench_deadlines")
SEED = 20261124
SPREAD_DAYS = 400
EXTRA_STAFF = 2  # per department, besides seed_demo's
PHASES = ["approved", "in_construction", "trial_operation", "in_acceptance", "in_operation"]


def _check_database() -> str:
    from django.conf import settings
    from django.db import connection

    name = str(settings.DATABASES["default"]["NAME"])
    if connection.vendor != "postgresql":
        raise SystemExit(f"the deadline scan bench runs on PostgreSQL, not {connection.vendor}")
    if not name.startswith("govproj_bench_"):
        raise SystemExit(f"refusing to build the deadline bench in PostgreSQL database {name!r}")
    return name


def _marker() -> tuple[int, int] | None:
    from django.db import connection

    if "bench_deadline_dataset" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, projects FROM bench_deadline_dataset")
        row = cursor.fetchone()
    return tuple(row) if row else None


def ensure(projects: int) -> None:
    """The projects and the people, built once and reused while the marker matches."""
    from django.core.management import call_command
    from django.db import connection

    from bench.dataset import _maintenance

    name = _check_database()
    with _maintenance() as maintenance:
        exists = maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            maintenance.execute(f'CREATE DATABASE "{name}"')
    if _marker() == (DATASET_VERSION, projects):
        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
        print(f"dataset: reusing {projects:,} projects in {name}", flush=True)
        return
    if connection.introspection.table_names():
        connection.close()
        with _maintenance() as maintenance:
            print(f"dataset: dropping PostgreSQL database {name}", flush=True)
            maintenance.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            maintenance.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    print("dataset: migrate, load_rulepacks, seed_demo", flush=True)
    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_rulepacks", verbosity=0, stdout=quiet)
    call_command("seed_demo", verbosity=0, stdout=quiet)
    _staff()
    _projects(projects)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_deadline_dataset (version integer NOT NULL, projects integer NOT NULL)"
        )
        cursor.execute("INSERT INTO bench_deadline_dataset VALUES (%s, %s)", [DATASET_VERSION, projects])
        cursor.execute("VACUUM ANALYZE")
    print(f"dataset: {projects:,} projects built in {time.perf_counter() - started:.0f} s", flush=True)


def _staff() -> None:
    from django.contrib.auth import get_user_model

    from jurisdictions.models import Department, Membership, Role

    User = get_user_model()
    for department in Department.objects.select_related("jurisdiction").order_by("pk"):
        for n in range(EXTRA_STAFF):
            user = User(
                username=f"bench_staff_{department.pk}_{n}", email=f"staff{department.pk}.{n}@example.org"
            )
            user.set_unusable_password()
            user.save()
            Membership.objects.create(
                user=user,
                jurisdiction=department.jurisdiction,
                role=Role.DEPARTMENT_STAFF,
                department=department,
            )


def _copy(table: str, columns: list[str], rows) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _projects(count: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from jurisdictions.models import Department, Jurisdiction, Role, RulePack
    from projects.models import Project

    rnd = random.Random(SEED)
    now = timezone.now()
    tenants = []
    for jurisdiction in Jurisdiction.objects.order_by("code"):
        pack = RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version").first()
        staff = get_user_model().objects.get(
            memberships__jurisdiction=jurisdiction,
            memberships__role=Role.DEPARTMENT_STAFF,
            username__endswith="_staff",
        )
        departments = list(Department.objects.filter(jurisdiction=jurisdiction).order_by("pk"))
        categories = [category.code for category in pack.spec.categories]
        tenants.append((jurisdiction, pack, staff, departments, categories))

    def rows():
        for number in range(count):
            jurisdiction, pack, staff, departments, categories = tenants[number % len(tenants)]
            year = 2020 + number % 8
            yield (
                now - dt.timedelta(days=rnd.randrange(7 * 365)),
                now,
                f"{jurisdiction.project_code_prefix}-{year}-B{number:06d}",
                f"{jurisdiction.name_zh}政务信息化项目{number:06d}",
                "",
                categories[number % len(categories)],
                f"{rnd.uniform(5, 5000):.2f}",
                "fiscal",
                year,
                "{}",
                PHASES[number % len(PHASES)],
                staff.pk,
                departments[(number // len(tenants)) % len(departments)].pk,
                jurisdiction.pk,
                pack.pk,
                1,
            )

    columns = [
        "created_at", "updated_at", "code", "title", "description", "category", "total_investment_wan",
        "funding_source", "year", "facts", "phase", "created_by_id", "department_id", "jurisdiction_id",
        "rule_pack_id", "version",
    ]  # fmt: skip
    with transaction.atomic():
        _copy(Project._meta.db_table, columns, rows())


def lay_deadlines(today: dt.date, wanted: int, share: float) -> int:
    """Drop every deadline, reminder and notification; store `wanted` × `share` deadlines anew."""
    from django.db import connection, transaction
    from django.utils import timezone

    from jurisdictions.models import Jurisdiction, RulePack
    from projects.deadlines.models import Deadline, DeadlineReminder
    from projects.models import Project
    from projects.notifications.models import Notification

    rnd = random.Random(SEED)
    now = timezone.now()
    rules, roles = {}, {}
    for jurisdiction in Jurisdiction.objects.all():
        pack = RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version").first()
        rules[jurisdiction.pk] = [r for r in pack.spec.rules if r.kind in ("deadline", "window")]
        for rule in rules[jurisdiction.pk]:
            roles[rule.id] = (
                rule.responsible.role if getattr(rule, "responsible", None) else "department_staff"
            )
    projects = list(
        Project.objects.filter(code__contains="-B")
        .order_by("pk")
        .values_list("pk", "jurisdiction_id", "department_id", "rule_pack_id")
    )
    # Two rules a project where a pack has two, three or four elsewhere: `wanted` over the projects.
    short = sum(1 for p in projects if len(rules[p[1]]) < 3)
    extra = max(0.0, (wanted - 2 * short) / max(1, len(projects) - short) - 3)
    states: Counter[str] = Counter()

    def rows():
        for pk, jurisdiction_id, department_id, pack_id in projects:
            if rnd.random() >= share:
                continue
            available = rules[jurisdiction_id]
            take = min(len(available), 3 + (rnd.random() < extra))
            for rule in rnd.sample(available, take):
                due = today + dt.timedelta(days=rnd.randint(-SPREAD_DAYS, SPREAD_DAYS))
                draw, done, waived = rnd.random(), None, ""
                if due < today:
                    if draw < 0.30:
                        status, done = "met", due - dt.timedelta(days=rnd.randrange(20))
                    elif draw < 0.35:
                        status, waived = "waived", "项目暂停"
                    else:
                        status = "open" if draw < 0.675 else "overdue"
                elif draw < 0.08:
                    status, done = "met", today - dt.timedelta(days=rnd.randrange(20))
                elif draw < 0.10:
                    status, waived = "waived", "项目暂停"
                else:
                    status = "open"
                states[status] += 1
                role = roles[rule.id]
                yield (
                    now, now, rule.id, rule.kind, rule.citation.article, rule.title.zh[:200],
                    rule.title.en[:200], f"应于{due.isoformat()}前完成：{rule.title.zh}"[:500], "", None,
                    due, done, status, True, rnd.random() >= 0.05, role, "", waived, None, None,
                    jurisdiction_id, pk, department_id if role == "department_staff" else None, pack_id, None,
                )  # fmt: skip

    columns = [
        "created_at", "updated_at", "rule_id", "kind", "article", "title_zh", "title_en", "message_zh",
        "message_en", "opens_on", "due_date", "done_on", "status", "certain", "remind", "responsible_role",
        "responsible_name", "waived_reason", "waived_at", "escalated_at", "jurisdiction_id", "project_id",
        "responsible_department_id", "rule_pack_id", "waived_by_id",
    ]  # fmt: skip
    tables = [DeadlineReminder, Notification, Deadline]
    with transaction.atomic(), connection.cursor() as cursor:
        # CASCADE: and what refers to them (nudges about a deadline); this database is the bench's own.
        cursor.execute("TRUNCATE " + ", ".join(model._meta.db_table for model in tables) + " CASCADE")
        _copy(Deadline._meta.db_table, columns, rows())
    with connection.cursor() as cursor:
        for model in tables:  # as autovacuum would have by the morning
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    total = sum(states.values())
    print(
        f"deadlines laid: {total:,} ("
        + ", ".join(f"{name} {n / total:.0%}" for name, n in sorted(states.items()))
        + f") over {len({p[0] for p in projects}):,} projects",
        flush=True,
    )
    return total


def timed_scan(today: dt.date) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.deadlines.scan import deadline_scan

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = deadline_scan(today=today)
        seconds = time.perf_counter() - started
    sql = sum(float(query["time"]) for query in captured.captured_queries)
    slowest = sorted(captured.captured_queries, key=lambda query: -float(query["time"]))[:3]
    return {**result, "seconds": seconds, "sql": sql, "queries": len(captured), "slowest": slowest}


def measure(projects: int, deadlines: int, small: float) -> None:
    """In the child: the dataset, then the scans."""
    import django

    django.setup()
    from django.utils import timezone

    from jurisdictions.models import Jurisdiction

    ensure(projects)
    today = timezone.localdate()
    print(
        f"deadline scan on PostgreSQL: {projects:,} projects in {Jurisdiction.objects.count()} jurisdictions;"
        f" D = {today.isoformat()}; one process",
        flush=True,
    )
    header = (
        f"{'deadlines':>9} {'scan':<22} {'seconds':>8} {'sql s':>6} {'queries':>8} {'overdue':>8}"
        f" {'reminders':>10} {'notices':>9}"
    )
    lines, details = [], []
    for share in (small, 1.0) if 0 < small < 1 else (1.0,):
        laid = lay_deadlines(today, deadlines, share)
        timed_scan(today - dt.timedelta(days=SPREAD_DAYS + 30))  # warm: calendars and packs read once
        for label, day in (
            ("D, first (catch-up)", today),
            ("D again (idempotent)", today),
            ("D+1 (a steady day)", today + dt.timedelta(days=1)),
        ):
            run = timed_scan(day)
            line = (
                f"{laid:>9,} {label:<22} {run['seconds']:>8.2f} {run['sql']:>6.2f} {run['queries']:>8}"
                f" {run['overdue']:>8,} {run['reminders']:>10,} {run['notifications']:>9,}"
            )
            print(line, flush=True)
            lines.append(line)
            if share == 1.0:
                details.append((label, run))
    print("\n" + header)
    print("\n".join(lines))
    for label, run in details:
        print(f"\nslowest queries of {label} at full scale:")
        for query in run["slowest"]:
            print(f"  {float(query['time']):7.3f} s  {' '.join(query['sql'].split())[:160]}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the process: {peak:,.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=int(os.environ.get("BENCH_PROJECTS", 100_000)))
    parser.add_argument("--deadlines", type=int, default=int(os.environ.get("BENCH_DEADLINES", 300_000)))
    parser.add_argument("--small", type=float, default=0.1, help="share of the deadlines for the small scale")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        measure(args.projects, args.deadlines, args.small)
        return 0
    from bench.http_bench import backend_env

    env = backend_env("pg", secrets.token_urlsafe(64))
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DATABASE}"
    env.update(CELERY_BROKER_URL="memory://", CELERY_RESULT_BACKEND="cache+memory://")
    command = [
        sys.executable, "-m", "bench.deadline_scan", "--child", "--projects", str(args.projects),
        "--deadlines", str(args.deadlines), "--small", str(args.small),
    ]  # fmt: skip
    return subprocess.run(command, env=env, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
