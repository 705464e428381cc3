"""`manage.py backup` / `restore`: a round trip gives back every row (to the microsecond) and every file byte.

Given a database with projects, their hash-chained audit events, security events, two
rule-pack versions, and media files in the storage, when it is backed up and restored into a
second, fresh database and an empty media folder, then every row of every table, every
sequence, every file and the audit chains come back exactly; on PostgreSQL the triggers that
keep the audit tables append-only come back too. The restore runs in a child process, as an
operator runs it (`manage.py restore` with the target's DATABASE_URL and DJANGO_MEDIA_ROOT).

The PostgreSQL tests are skipped on SQLite and fail instead in CI's services pass.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import tarfile
import threading
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from govproj.management.commands.backup import model_tables, postgresql_connection
from jurisdictions.models import Role, RulePack
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects import services
from projects.models import AuditEvent, Project
from security.models import Kind, Outcome, SecurityEvent
from security.services import security_event_record
from tests.conftest import make_project, make_tenant, testland_text
from tests.test_concurrency_and_worker import _needs

ROOT = Path(__file__).resolve().parent.parent

FILES = {
    "documents/2026/政务服务平台-可行性研究报告.pdf": b"%PDF-1.7\n" + secrets.token_bytes(300_000),
    "documents/2026/nested/deeper/scan 01.png": secrets.token_bytes(4096),
    "documents/empty.txt": b"",
    "readme.txt": "备份与恢复\n".encode(),
}


@pytest.fixture(autouse=True)
def _empty_media_storage(settings):
    """A fresh in-memory default storage for each test (resetting STORAGES drops the old instance)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def given_a_working_database() -> dict:
    """Projects moved through the real services, security events, two pack versions, files."""
    tenant = make_tenant("alpha")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    projects = [make_project(tenant, title=f"项目 {n}") for n in range(3)]
    services.transition_project(actor=staff, project_id=projects[0].pk, name="declare")
    services.transition_project(actor=reviewer, project_id=projects[0].pk, name="enter_library")
    services.transition_project(actor=staff, project_id=projects[1].pk, name="declare")
    for kind, outcome in [(Kind.LOGIN_SUCCESS, Outcome.SUCCESS), (Kind.LOGIN_FAILURE, Outcome.FAILURE)]:
        security_event_record(kind=kind, outcome=outcome, subject_user=staff, reason="测试")
    security_event_record(
        kind=Kind.REFUSED, outcome=Outcome.FAILURE, actor=reviewer, jurisdiction=tenant.jurisdiction,
        target=f"project:{projects[2].pk}", reason="职责分离", data={"rule": "separation_of_duties"},
    )  # fmt: skip
    revised = testland_text("alpha").replace(
        "测试市政务信息化项目管理办法", "测试市政务信息化项目管理办法（修订）"
    )
    spec, content = load_pack_text(revised, source="testland-alpha-revised")
    publish_rule_pack(spec, content, source="testland-alpha-revised")
    for name, data in FILES.items():
        assert default_storage.save(name, ContentFile(data)) == name
    assert RulePack.objects.filter(jurisdiction=tenant.jurisdiction).count() == 2
    assert AuditEvent.objects.count() >= 6 and SecurityEvent.objects.count() >= 3
    assert any(at.microsecond for at in AuditEvent.objects.values_list("at", flat=True))
    return {"tenant": tenant, "projects": projects}


def manage(*arguments: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    """`manage.py …` in a child process on the given database and media folder (local settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="govproj.settings.local",
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(media_root),
    )
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_manifest(archive: Path, vendor: str) -> dict:
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["format"] == "govproj-backup" and manifest["database"]["vendor"] == vendor
    assert {"govproj", "django", "python"} <= set(manifest["versions"])
    assert manifest["database"]["tables"]["projects_project"] == Project.objects.count()
    assert manifest["database"]["tables"]["projects_auditevent"] == AuditEvent.objects.count()
    assert ["security", "0001_initial"] in manifest["database"]["migrations"]
    files = {entry["name"]: entry for entry in manifest["files"]}
    assert set(files) == set(FILES)
    for name, data in FILES.items():
        assert files[name]["sha256"] == hashlib.sha256(data).hexdigest() and files[name]["size"] == len(data)
        assert f"media/{name}" in names
    return manifest


def assert_files_restored(media_root: Path) -> None:
    restored = {str(p.relative_to(media_root)): p.read_bytes() for p in media_root.rglob("*") if p.is_file()}
    assert restored == FILES


def assert_restore_succeeded(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Audit chains intact" in result.stdout and "Restored" in result.stdout, result.stdout


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture
def fresh_postgresql_database():
    """A second, empty PostgreSQL database beside the test database; dropped afterwards."""
    _needs(connection.vendor == "postgresql", "needs PostgreSQL (pg_dump / pg_restore)")
    import psycopg

    source = connection.settings_dict
    name = f"{source['NAME']}_restore"
    admin_conninfo, env = postgresql_connection({**source, "NAME": "postgres"})
    with psycopg.connect(admin_conninfo, password=env.get("PGPASSWORD"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    target = {**source, "NAME": name}
    login = quote(source["USER"] or "", safe="") + (
        f":{quote(source['PASSWORD'], safe='')}" if source["PASSWORD"] else ""
    )
    url = f"postgres://{login}@{source['HOST'] or 'localhost'}:{source['PORT'] or 5432}/{name}"
    try:
        yield target, url
    finally:
        with psycopg.connect(admin_conninfo, password=env.get("PGPASSWORD"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgresql_rows(settings_dict: dict) -> dict:
    """Every row of every table (all columns, in key order) and every sequence, read by psycopg."""
    import psycopg

    conninfo, env = postgresql_connection(settings_dict)
    with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as raw:
        rows = {
            table: raw.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in model_tables()
        }
        rows["<sequences>"] = raw.execute(
            "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
        ).fetchall()
    return rows


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_round_trip_gives_back_every_row_file_and_trigger(tmp_path, fresh_postgresql_database):
    target, target_url = fresh_postgresql_database
    given_a_working_database()
    archive = tmp_path / "govproj.tar"

    call_command("backup", output=str(archive), stdout=io.StringIO())
    assert_manifest(archive, "postgresql")
    result = manage("restore", str(archive), database_url=target_url, media_root=tmp_path / "media")

    assert_restore_succeeded(result)
    source_rows, restored_rows = postgresql_rows(connection.settings_dict), postgresql_rows(target)
    assert restored_rows.keys() == source_rows.keys()
    for table, rows in source_rows.items():
        assert restored_rows[table] == rows, table  # timestamps to the microsecond, JSON, decimals
    assert source_rows["projects_auditevent"] and source_rows["security_securityevent"]
    assert_files_restored(tmp_path / "media")
    verified = manage("verify_audit", database_url=target_url, media_root=tmp_path / "media")
    assert verified.returncode == 0 and "Audit chains intact" in verified.stdout, verified.stderr

    import psycopg

    conninfo, env = postgresql_connection(target)
    for statement in ["UPDATE projects_auditevent SET comment = 'x'", "DELETE FROM security_securityevent"]:
        with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as raw:
            with pytest.raises(psycopg.errors.RaiseException, match="Cannot update or delete"):
                raw.execute(statement)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_taken_during_writes_is_one_consistent_snapshot(
    tmp_path, fresh_postgresql_database
):
    """Writers keep filing projects (a row and its audit event per transaction) while the backup runs."""
    _target, target_url = fresh_postgresql_database
    world = given_a_working_database()
    tenant, stop, written = world["tenant"], threading.Event(), []

    def keep_writing():
        try:
            while not stop.is_set():
                written.append(make_project(tenant, title="备份期间新建").pk)
        finally:
            connections.close_all()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(written) < 3:  # the writer is going
            threading.Event().wait(0.05)
        call_command("backup", output=str(tmp_path / "during.tar"), stdout=io.StringIO())
        before_stop = len(written)
    finally:
        stop.set()
        writer.join(timeout=60)
    with tarfile.open(tmp_path / "during.tar") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    tables = manifest["database"]["tables"]
    # The snapshot holds some of the writer's projects, and the writer went on past it.
    assert tables["projects_project"] > 3 and Project.objects.count() > tables["projects_project"]
    assert before_stop > 3

    result = manage(
        "restore", str(tmp_path / "during.tar"), database_url=target_url, media_root=tmp_path / "m"
    )

    assert_restore_succeeded(result)  # row counts equal the manifest's, and the chains hold
    creates = manage(
        "shell", "-c",
        "from projects.models import AuditEvent, Project;"
        "print(Project.objects.count(), AuditEvent.objects.filter(action='create').count())",
        database_url=target_url, media_root=tmp_path / "m",
    )  # fmt: skip
    projects, create_events = map(int, creates.stdout.split()[-2:])
    assert projects == create_events == tables["projects_project"]


# --------------------------------------------------------------------------- SQLite


def sqlite_rows(raw: sqlite3.Connection) -> dict:
    return {table: raw.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in model_tables()}


@pytest.mark.django_db(transaction=True)
def test_sqlite_round_trip_gives_back_every_row_and_file(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip runs on the SQLite pass")
    given_a_working_database()
    archive = tmp_path / "govproj.tar"

    call_command("backup", output=str(archive), stdout=io.StringIO())
    assert_manifest(archive, "sqlite")
    target = tmp_path / "restored.sqlite3"
    result = manage(
        "restore", str(archive), database_url=f"sqlite:///{target}", media_root=tmp_path / "media"
    )

    assert_restore_succeeded(result)
    connection.ensure_connection()
    source_rows = sqlite_rows(connection.connection)
    with closing(
        sqlite3.connect(target, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    ) as raw:
        restored_rows = sqlite_rows(raw)
    for table, rows in source_rows.items():
        assert restored_rows[table] == rows, table
    assert_files_restored(tmp_path / "media")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_database_or_a_damaged_archive_unless_forced(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("checked on the SQLite pass (the refusals do not depend on the engine)")
    given_a_working_database()
    archive = tmp_path / "govproj.tar"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    target_url, media = f"sqlite:///{tmp_path / 'used.sqlite3'}", tmp_path / "media"
    assert manage("migrate", "-v0", database_url=target_url, media_root=media).returncode == 0

    refused = manage("restore", str(archive), database_url=target_url, media_root=media)
    assert refused.returncode != 0 and "is not empty" in refused.stderr
    forced = manage("restore", "--force", str(archive), database_url=target_url, media_root=media)
    assert_restore_succeeded(forced)

    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w", format=tarfile.PAX_FORMAT) as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "media/readme.txt":
                data = data.replace("备份".encode(), "篡改".encode())
            copy.addfile(member, fileobj=io.BytesIO(data))
    with pytest.raises(CommandError, match=re.escape("damaged: media file 'readme.txt'")):
        call_command("restore", str(damaged))
