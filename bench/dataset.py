"""The bench's dataset: the demo tenants with N projects, their facts and their audit trails.

`ensure(projects)` builds it in the database the settings point at (bench/http.py runs this
module in a subprocess with bench.settings and DATABASE_URL: PostgreSQL `govproj_bench`, or
SQLite bench/.data/bench.sqlite3), or reuses it when the `bench_dataset` marker says it holds
this DATASET_VERSION with this many projects. Anything else there is dropped first.

The tenants, users and a few demo projects come from the real commands (migrate,
load_rulepacks, seed_demo). The N projects are bulk-inserted, spread evenly over the five
jurisdictions and their departments, in every phase (weighted as a project library looks:
many drafts, reviews, constructions and systems in operation), with facts the fact vocabulary
accepts (each is checked with parse_facts) and, per project, the hash-chained audit events of
the path that led to its phase, as the services would have written them.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=… python -m bench.dataset --projects 100000
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import math
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

DATASET_VERSION = 1
BATCH = 5000
SEED = 20261123
YEARS = range(2019, 2028)
SPREAD = dt.timedelta(days=7 * 365)  # created_at over the last seven years

# Phase → weight in the library. Drafts, reviews, constructions and systems in operation dominate.
PHASE_WEIGHTS = {
    "draft": 14,
    "declared": 6,
    "returned": 3,
    "in_library": 8,
    "planned": 6,
    "in_review": 10,
    "rejected": 3,
    "approved": 8,
    "in_construction": 14,
    "suspended": 1,
    "trial_operation": 4,
    "in_acceptance": 3,
    "in_operation": 16,
    "terminated": 2,
    "decommissioned": 2,
}
_LIBRARY = ["declare", "enter_library"]
_APPROVED = [*_LIBRARY, "plan", "submit_for_review", "approve"]
_CONSTRUCTION = [*_APPROVED, "start_construction"]
_OPERATION = [*_CONSTRUCTION, "start_trial_operation", "apply_for_acceptance", "accept"]
# The transitions that took a project from draft to its phase (checked against the model's graph).
PATHS = {
    "draft": [],
    "declared": ["declare"],
    "returned": ["declare", "return_for_revision"],
    "in_library": _LIBRARY,
    "planned": [*_LIBRARY, "plan"],
    "in_review": [*_LIBRARY, "plan", "submit_for_review"],
    "rejected": [*_LIBRARY, "plan", "submit_for_review", "reject"],
    "approved": _APPROVED,
    "in_construction": _CONSTRUCTION,
    "suspended": [*_CONSTRUCTION, "suspend"],
    "trial_operation": [*_CONSTRUCTION, "start_trial_operation"],
    "in_acceptance": [*_CONSTRUCTION, "start_trial_operation", "apply_for_acceptance"],
    "in_operation": _OPERATION,
    "terminated": [*_APPROVED, "terminate"],
    "decommissioned": [*_OPERATION, "decommission"],
}
FUNDING_WEIGHTS = {"fiscal": 60, "special_fund": 20, "self_raised": 10, "donated": 2, "other": 8}

# Titles: [place] + area + system + kind of work. One area in 30 is 数据共享, so searching it
# matches about 3 % of the titles; no other combination spells it.
AREAS = [
    "智慧城市", "政务服务", "数据共享", "社会治理", "城市运行", "应急管理", "生态环境", "自然资源",
    "公共安全", "医疗健康", "教育资源", "交通运输", "市场监管", "民政救助", "住房公积金", "不动产登记",
    "人力社保", "文化旅游", "农业农村", "水利水务", "信用体系", "营商环境", "财政预算", "统计分析",
    "综合执法", "网格治理", "智慧园区", "电子证照", "视频资源", "“一网通办”",
]  # fmt: skip
SYSTEMS = [
    "平台", "系统", "一张图", "综合管理平台", "监测预警系统", "指挥调度平台", "信息系统", "服务平台",
    "数据库", "业务中台", "移动端", "大屏展示系统", "交换平台", "协同办公系统", "分析决策系统",
]  # fmt: skip
WORKS = [
    "建设项目",
    "升级改造",
    "二期工程",
    "运维服务",
    "扩容",
    "迁移上云",
    "建设",
    "改造项目",
    "（一期）",
    "",
]
CONTENTS = [
    "基础设施改造", "数据治理", "应用系统开发", "安全保障体系", "标准规范编制", "政务云资源租用",
    "等级保护测评", "商用密码应用", "系统集成", "人员培训", "数据资源编目", "接口对接",
]  # fmt: skip
BOOLEAN_FACTS = ["is_upgrade", "is_urgent", "has_custom_software", "includes_hardware", "is_cross_department"]


def _patched(field, **values):
    """Set attributes on a model field for the duration (auto_now(_add) off, to keep our timestamps)."""

    @contextlib.contextmanager
    def manager():
        saved = {name: getattr(field, name) for name in values}
        for name, value in values.items():
            setattr(field, name, value)
        try:
            yield
        finally:
            for name, value in saved.items():
                setattr(field, name, value)

    return manager()


@contextlib.contextmanager
def _maintenance():
    """A connection to the server's `postgres` database, for CREATE and DROP of the bench's own."""
    import psycopg
    from django.conf import settings

    database = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        autocommit=True,
    ) as connection:
        yield connection


def _pg_maintenance(statement: str) -> None:
    with _maintenance() as connection:
        connection.execute(statement)


def _database_name() -> str:
    from django.conf import settings

    return str(settings.DATABASES["default"]["NAME"])


def _check_bench_database() -> None:
    """Never drop a database the bench does not own."""
    from django.db import connection

    name = _database_name()
    if connection.vendor == "postgresql":
        if name != "govproj_bench" and not name.startswith("govproj_bench_tmp"):
            raise SystemExit(f"refusing to build the bench dataset in PostgreSQL database {name!r}")
    elif connection.vendor == "sqlite":
        if Path(name).resolve().parent != (Path(__file__).resolve().parent / ".data"):
            raise SystemExit(
                f"refusing to build the bench dataset in SQLite file {name!r} (not bench/.data/)"
            )
    else:
        raise SystemExit(f"no bench dataset for {connection.vendor}")


def _pg_exists() -> bool:
    with _maintenance() as maintenance:
        found = maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_database_name()])
        return found.fetchone() is not None


def _marker() -> tuple[int, int, int] | None:
    from django.db import connection

    if "bench_dataset" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT version, projects, total FROM bench_dataset")
        row = cursor.fetchone()
    return tuple(row) if row else None


def _fresh_database() -> None:
    """An empty bench database: the old one dropped (append-only tables refuse DELETE)."""
    from django.db import connection

    name = _database_name()
    connection.close()
    if connection.vendor == "postgresql":
        if _pg_exists():
            print(f"dropping PostgreSQL database {name}", flush=True)
            _pg_maintenance(f'DROP DATABASE "{name}" WITH (FORCE)')
        _pg_maintenance(f'CREATE DATABASE "{name}"')
    else:
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def ensure(projects: int) -> None:
    """Build the dataset with `projects` bench projects, or reuse the one already there."""
    from django.db import connection

    _check_bench_database()
    if connection.vendor == "sqlite":
        Path(_database_name()).parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql" and not _pg_exists():
        _pg_maintenance(f'CREATE DATABASE "{_database_name()}"')
    marker = _marker()
    if marker is not None and marker[:2] == (DATASET_VERSION, projects):
        from projects.models import Project

        if Project.objects.count() == marker[2]:
            print(
                f"dataset: reusing {projects:,} projects (version {DATASET_VERSION}) in {_database_name()}",
                flush=True,
            )
            _migrate_reused()
            return
    if marker is not None or connection.introspection.table_names():
        _fresh_database()
    started = time.perf_counter()
    _setup()
    Builder(projects).build()
    total = _finish(projects)
    print(
        f"dataset: {projects:,} bench projects ({total:,} in all)"
        f" built in {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def _migrate_reused() -> None:
    """The product's schema may have moved on since the build (a new index): migrate, then ANALYZE."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    applied = MigrationRecorder.Migration.objects.count()
    call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
    new = MigrationRecorder.Migration.objects.count() - applied
    if new:
        print(f"dataset: {new} new migration(s) applied", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _setup() -> None:
    from django.core.management import call_command

    print("dataset: migrate, load_rulepacks, seed_demo", flush=True)
    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_rulepacks", verbosity=0, stdout=quiet)
    call_command("seed_demo", verbosity=0, stdout=quiet)


def _finish(projects: int) -> int:
    from django.db import connection

    from projects.models import Project

    total = Project.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_dataset"
            " (version integer NOT NULL, projects integer NOT NULL, total integer NOT NULL)"
        )
        cursor.execute("INSERT INTO bench_dataset VALUES (%s, %s, %s)", [DATASET_VERSION, projects, total])
    if connection.vendor == "postgresql":
        print("dataset: VACUUM ANALYZE", flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return total


class Builder:
    """Bulk-inserts the projects and their audit trails, batch by batch."""

    def __init__(self, projects: int):
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from jurisdictions.models import Department, Jurisdiction, RulePack

        self.count = projects
        self.random = random.Random(SEED)
        self.now = timezone.now().replace(microsecond=0)
        self.jurisdictions = list(Jurisdiction.objects.order_by("code"))
        users = {u.username: u for u in get_user_model().objects.all()}
        self.tenants = []
        for jurisdiction in self.jurisdictions:
            pack = RulePack.objects.filter(jurisdiction=jurisdiction).order_by("-version").first()
            departments = list(Department.objects.filter(jurisdiction=jurisdiction).order_by("code"))
            if pack is None or not departments:
                raise SystemExit(f"{jurisdiction.code} has no rule pack or no department: seed_demo failed?")
            self.tenants.append(
                {
                    "jurisdiction": jurisdiction,
                    "pack": pack,
                    "spec": pack.spec,
                    "departments": departments,
                    "staff": users[f"{jurisdiction.code}_staff"],
                    "reviewer": users[f"{jurisdiction.code}_reviewer"],
                    "base_facts": self._base_facts(jurisdiction.code),
                    "verdicts": {},
                }
            )
        self.phases = list(PHASE_WEIGHTS)
        self.phase_weights = list(PHASE_WEIGHTS.values())
        self.sequence: dict[tuple[int, int], int] = {}
        self.targets = _check_paths()

    @staticmethod
    def _base_facts(code: str) -> dict:
        import yaml

        from projects.management.commands.seed_demo import DEMO_FILE

        demo = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
        return dict(demo["jurisdictions"].get(code, {}).get("facts") or {})

    def build(self) -> None:
        from django.db import connection, transaction

        from projects.models import Project

        created = Project._meta.get_field("created_at")
        updated = Project._meta.get_field("updated_at")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO off")
        started = time.perf_counter()
        self.events = 0
        self.searched = 0
        with _patched(created, auto_now_add=False), _patched(updated, auto_now=False):
            for first in range(0, self.count, BATCH):
                with transaction.atomic():
                    self._batch(range(first, min(first + BATCH, self.count)))
                done = min(first + BATCH, self.count)
                print(
                    f"dataset: {done:,}/{self.count:,} projects, {self.events:,} events,"
                    f" {time.perf_counter() - started:.0f} s",
                    flush=True,
                )
        print(
            f"dataset: {self.events / max(self.count, 1):.1f} events a project;"
            f" {self.searched / max(self.count, 1):.1%} of titles contain 数据共享",
            flush=True,
        )
        _self_check()

    def _batch(self, numbers: range) -> None:
        from projects.models import AuditEvent, Project

        rows, paths = [], []
        for number in numbers:
            project, path = self._project(number)
            rows.append(project)
            paths.append(path)
        _insert(Project, rows)
        events = []
        for project, path in zip(rows, paths, strict=True):
            events.extend(self._events(project, path))
        _insert(AuditEvent, events)
        self.events += len(events)

    def _project(self, number: int):
        from jurisdictions.rules import parse_facts
        from projects.models import Project

        rnd = self.random
        tenant = self.tenants[number % len(self.tenants)]
        jurisdiction = tenant["jurisdiction"]
        department = tenant["departments"][(number // len(self.tenants)) % len(tenant["departments"])]
        phase = rnd.choices(self.phases, self.phase_weights)[0]
        created_at = self.now - dt.timedelta(seconds=rnd.randrange(int(SPREAD.total_seconds())))
        year = min(max(created_at.year + rnd.choice((0, 0, 1)), YEARS.start), YEARS.stop - 1)
        key = (jurisdiction.pk, year)
        self.sequence[key] = self.sequence.get(key, 0) + 1
        investment = Decimal(math.exp(rnd.uniform(math.log(5), math.log(5000)))).quantize(Decimal("0.01"))
        area = rnd.choice(AREAS)
        self.searched += area == "数据共享"
        place = jurisdiction.name_zh if rnd.random() < 0.5 else ""
        title = f"{place}{area}{rnd.choice(SYSTEMS)}{rnd.choice(WORKS)}"
        contents = "、".join(rnd.sample(CONTENTS, 3))
        path = PATHS[phase]
        times = self._times(created_at, len(path))
        facts = self._facts(tenant, phase, investment, year, path, times)
        parse_facts(facts)  # what the API would accept, or the build stops here
        project = Project(
            jurisdiction=jurisdiction,
            department=department,
            code=f"{jurisdiction.project_code_prefix}-{year}-{self.sequence[key]:06d}",
            title=title,
            description=f"{area}领域的{title or '信息化项目'}。主要建设内容包括{contents}。",
            category=rnd.choice(tenant["spec"].categories).code,
            total_investment_wan=investment,
            funding_source=rnd.choices(list(FUNDING_WEIGHTS), list(FUNDING_WEIGHTS.values()))[0],
            year=year,
            facts=facts,
            rule_pack=tenant["pack"] if phase != "draft" else None,
            created_by=tenant["staff"],
            phase=phase,
            version=1 + len(path),
            created_at=created_at,
            updated_at=times[-1],
        )
        project._bench_tenant = tenant
        project._bench_times = times
        return project, path

    def _times(self, created_at: dt.datetime, steps: int) -> list[dt.datetime]:
        """When each event happened: creation, then a step every few days to weeks, before now."""
        gaps = [self.random.uniform(1, 60) for _ in range(steps)]
        room = (self.now - created_at).total_seconds() / 86400 * 0.95
        scale = min(1.0, room / sum(gaps)) if gaps else 1.0
        times, at = [created_at], created_at
        for gap in gaps:
            at = at + dt.timedelta(days=gap * scale, microseconds=1)
            times.append(at)
        return times

    def _facts(self, tenant, phase, investment, year, path, times) -> dict:
        from django.utils import timezone

        from projects.selectors import TRANSITION_DATE_FACTS

        rnd = self.random
        spec = tenant["spec"]
        documents = [d.code for d in spec.documents]
        if phase == "draft":
            documents = rnd.sample(documents, rnd.randrange(len(documents) + 1))
        facts = dict(tenant["base_facts"]) if phase != "draft" else {}
        facts.update(
            {
                "documents": sorted(documents),
                "negative_list_answers": {
                    item.code: False
                    for rule in spec.rules
                    if rule.kind == "negative_list"
                    for item in rule.items
                },
                "planned_year_start_date": f"{year}-01-01",
            }
        )
        for name in rnd.sample(BOOLEAN_FACTS, 2):
            facts[name] = rnd.random() < 0.3
        if "approve" in path:
            facts["approved_estimate_wan"] = str(investment)
        for transition, at in zip(path, times[1:], strict=True):
            for name in TRANSITION_DATE_FACTS.get(transition, ()):
                facts[name] = timezone.localtime(at).date().isoformat()
        return facts

    def _events(self, project, path: list[str]) -> list:
        from govproj.chain import GENESIS, row_digest
        from jurisdictions.models import Role
        from projects.models import TRANSITION_ROLES, AuditEvent

        tenant, times = project._bench_tenant, project._bench_times
        stream = f"project:{project.pk}"
        events, prev, phase = [], GENESIS, "draft"
        steps = [("create", None), *((name, name) for name in path)]
        for seq, ((action, transition), at) in enumerate(zip(steps, times, strict=True), start=1):
            if transition is None:
                actor, from_phase, to_phase, pack, verdicts = tenant["staff"], "", "draft", None, []
            else:
                staff = Role.DEPARTMENT_STAFF in TRANSITION_ROLES[transition]
                actor = tenant["staff"] if staff else tenant["reviewer"]
                from_phase, to_phase = phase, self.targets[transition]
                pack, verdicts = tenant["pack"], self._verdicts(tenant, transition)
            phase = to_phase
            event = AuditEvent(
                at=at,
                stream=stream,
                seq=seq,
                prev_hash=prev,
                project_id=project.pk,
                jurisdiction_id=project.jurisdiction_id,
                actor_id=actor.pk,
                action=action,
                from_phase=from_phase,
                to_phase=to_phase,
                comment="",
                rule_pack_id=pack.pk if pack else None,
                verdicts=verdicts,  # normalised once, in _verdicts
                changes={},
            )
            event.hash = row_digest(event)
            prev = event.hash
            events.append(event)
        if phase != project.phase:
            raise AssertionError(f"path {path} ends in {phase}, not {project.phase}")
        return events

    def _verdicts(self, tenant, transition: str) -> list[dict]:
        """The verdicts an event keeps (those that gate its transition), as the service stores them.

        Evaluated once per jurisdiction and transition on the jurisdiction's demo facts: the
        rows carry a realistic amount of JSON without running the engine 500,000 times.
        """
        cached = tenant["verdicts"].get(transition)
        if cached is None:
            from django.utils import timezone

            from govproj.chain import normalise_json
            from jurisdictions.rules import evaluate
            from jurisdictions.rules.calendar import WorkingCalendar
            from projects.selectors import TRANSITION_DATE_FACTS

            today = timezone.localdate()
            facts = {
                **tenant["base_facts"],
                "documents": [d.code for d in tenant["spec"].documents],
                "negative_list_answers": {},
                **{name: today.isoformat() for name in TRANSITION_DATE_FACTS.get(transition, ())},
            }
            verdicts = evaluate(tenant["spec"], facts, as_of=today, calendar=WorkingCalendar())
            cached = normalise_json([v.to_dict() for v in verdicts if transition in v.blocks])
            tenant["verdicts"][transition] = cached
        return cached


def _insert(model, rows: list) -> None:
    """Insert the rows, their ids set. PostgreSQL: COPY (bulk_create's UNNEST quotes each JSON
    array element in Python, slower than building the rows); SQLite: bulk_create."""
    from django.db import connection, models

    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=2000)
        return
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
        texts: dict[int, str] = {}  # JSON shared by many rows (an event's verdicts), serialised once
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for field in fields:
                    value = field.pre_save(row, True)
                    if isinstance(field, models.JSONField):
                        if id(value) not in texts:
                            texts[id(value)] = json.dumps(value, cls=field.encoder)
                        values.append(texts[id(value)])
                    else:
                        values.append(field.get_db_prep_save(value, connection))
                copy.write_row(values)


def _check_paths() -> dict[str, str]:
    """Each path runs on the model's own graph and ends in its phase; returns transition → target."""
    from django_fsm import can_proceed

    from projects.models import Project

    targets: dict[str, str] = {}
    for phase, path in PATHS.items():
        project = Project(phase="draft")
        for transition in path:
            method = getattr(project, transition)
            if not can_proceed(method):
                raise AssertionError(f"{transition} cannot run from {project.phase} (path to {phase})")
            method()
            targets[transition] = project.phase
        if project.phase != phase:
            raise AssertionError(f"path to {phase} ends in {project.phase}")
    return targets


def _self_check() -> None:
    """A few bench projects' chains read back from the database and verified link by link."""
    from govproj.chain import GENESIS, row_digest
    from projects.models import AuditEvent, Project

    ids = list(
        Project.objects.filter(code__regex=r"-[0-9]{6}$").order_by("?").values_list("pk", flat=True)[:5]
    )
    checked = 0
    for pk in ids:
        prev = GENESIS
        for seq, row in enumerate(AuditEvent.objects.filter(stream=f"project:{pk}").order_by("seq"), start=1):
            if row.seq != seq or row.prev_hash != prev or row_digest(row) != row.hash:
                raise AssertionError(f"the audit chain of project {pk} is broken at seq {row.seq}")
            prev = row.hash
            checked += 1
    print(f"dataset: {checked} audit events of {len(ids)} projects verified", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=int(os.environ.get("BENCH_PROJECTS", 100_000)))
    args = parser.parse_args(argv)
    import django

    django.setup()
    ensure(args.projects)
    return 0


if __name__ == "__main__":
    sys.exit(main())
