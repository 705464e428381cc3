"""`manage.py backup`: the database and every media file in one tar archive, with a manifest.

The archive holds
- `database/postgresql.dump`: `pg_dump --format=custom` of a snapshot exported by a
  REPEATABLE READ transaction, so the dump and the manifest's row counts describe the same
  instant even while people keep writing (restored with `pg_restore`, triggers included);
  or `database/sqlite3.db`: a copy made with SQLite's online backup API, equally consistent;
- `media/<name>`: every file of Django's default storage, read through the storage API
  (local files in DJANGO_MEDIA_ROOT or S3-compatible object storage alike);
- `manifest.json`: format, time, versions (govproj, Django, Python, database, dump tool, the
  applied migrations), the row count of every table and the size and sha256 of every file.

`dumpdata` is no substitute: it rounds timestamps and cannot take a consistent snapshot.
Files are copied after the database snapshot: a file uploaded meanwhile is in the archive
without a row pointing to it, which is harmless. See README, "Backup and restore".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

FORMAT = "govproj-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
POSTGRESQL_DUMP = "database/postgresql.dump"
SQLITE_COPY = "database/sqlite3.db"
MEDIA = "media"
CHUNK = 1024 * 1024
# libpq connection keywords Django's OPTIONS may carry for PostgreSQL (the rest are Django's own).
LIBPQ_OPTIONS = {
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslpassword",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
    "service",
    "passfile",
}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def postgresql_connection(settings_dict: dict) -> tuple[str, dict[str, str]]:
    """A libpq conninfo for pg_dump / pg_restore / psycopg, and the environment holding the password."""
    from psycopg.conninfo import make_conninfo

    options = {k: v for k, v in (settings_dict.get("OPTIONS") or {}).items() if k in LIBPQ_OPTIONS}
    parts = {
        "dbname": settings_dict["NAME"],
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
        "user": settings_dict.get("USER") or None,
        **options,
    }
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])  # never on the command line
    return make_conninfo(**{k: v for k, v in parts.items() if v is not None}), env


def run_tool(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run pg_dump / pg_restore; a missing tool or a failure is a CommandError naming it."""
    if shutil.which(command[0]) is None:
        raise CommandError(
            f"{command[0]} is not installed: install postgresql-client (scripts/system-deps.sh) "
            "in a version at least that of the PostgreSQL server."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{command[0]} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result.stdout


def model_tables() -> list[str]:
    """Every table Django manages (models and many-to-many tables), in a stable order."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


def table_counts(cursor, tables: list[str] | None = None) -> dict[str, int]:
    """Rows in each table (default: Django's), through any DB-API cursor (psycopg, sqlite3, Django's).

    Names are quoted as identifiers; callers pass only names of tables that exist.
    """
    counts = {}
    for table in model_tables() if tables is None else tables:
        cursor.execute('SELECT COUNT(*) FROM "{}"'.format(table.replace('"', '""')))
        counts[table] = cursor.fetchone()[0]
    return counts


def storage_files(storage=default_storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first, through the storage API only (listdir)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return  # nothing was ever stored: no media folder yet
    for name in sorted(files):
        yield str(PurePosixPath(folder, name)) if folder else name
    for directory in sorted(directories):
        yield from storage_files(storage, str(PurePosixPath(folder, directory)) if folder else directory)


def versions() -> dict[str, str]:
    try:
        govproj = metadata.version("govproj")
    except metadata.PackageNotFoundError:
        govproj = "unknown"
    return {"govproj": govproj, "django": django.get_version(), "python": platform.python_version()}


@contextmanager
def archive_writer(output: str):
    """A tar archive written to `output` (or stdout for "-"); a file appears only once complete."""
    if output == "-":
        with tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.PAX_FORMAT) as archive:
            yield archive
        sys.stdout.buffer.flush()
        return
    target = Path(output)
    partial = target.with_name(target.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds every record
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive,
        ):
            yield archive
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


class Command(BaseCommand):
    help = (
        "Write the database (a consistent snapshot) and every media file into one tar archive with a "
        "manifest. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help="archive to write (default govproj-backup-<time>.tar here); '-' writes to stdout",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, output=None, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        output = output or f"govproj-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        log = self.stderr if output == "-" else self.stdout
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(timespec="microseconds"),
            "versions": versions(),
        }
        with tempfile.TemporaryDirectory(prefix="govproj-backup-") as work, archive_writer(output) as archive:
            work = Path(work)
            if connection.vendor == "postgresql":
                dump, database_part = work / "postgresql.dump", POSTGRESQL_DUMP
                manifest["database"] = self._dump_postgresql(connection, dump)
            elif connection.vendor == "sqlite":
                dump, database_part = work / "sqlite3.db", SQLITE_COPY
                manifest["database"] = self._copy_sqlite(connection, dump)
            else:
                raise CommandError(f"Backing up a {connection.vendor} database is not supported.")
            manifest["database"].update(file=database_part, size=dump.stat().st_size, sha256=sha256_of(dump))
            archive.add(dump, arcname=database_part)
            dump.unlink()
            manifest["files"] = list(self._add_media(archive, work))
            body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(body), int(dt.datetime.now().timestamp()), 0o600
            archive.addfile(info, io.BytesIO(body))
        rows = sum(manifest["database"]["tables"].values())
        size = sum(f["size"] for f in manifest["files"])
        log.write(
            self.style.SUCCESS(
                f"Backup written to {'stdout' if output == '-' else output}: "
                f"{manifest['database']['vendor']} database, "
                f"{len(manifest['database']['tables'])} tables, {rows} rows; "
                f"{len(manifest['files'])} media files, {size} bytes."
            )
        )

    def _dump_postgresql(self, connection, dump: Path) -> dict:
        """pg_dump of a snapshot exported by a REPEATABLE READ transaction, counted in that snapshot."""
        import psycopg

        conninfo, env = postgresql_connection(connection.settings_dict)
        with psycopg.connect(conninfo, password=env.get("PGPASSWORD")) as snapshot:
            snapshot.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            snapshot.read_only = True
            with snapshot.cursor() as cursor:
                snapshot_id = cursor.execute("SELECT pg_export_snapshot()").fetchone()[0]
                server = cursor.execute("SHOW server_version").fetchone()[0]
                run_tool(
                    [
                        "pg_dump",
                        "--format=custom",
                        "--no-password",
                        f"--snapshot={snapshot_id}",
                        f"--file={dump}",
                        f"--dbname={conninfo}",
                    ],
                    env,
                )
                counted = table_counts(cursor)
                migrations = cursor.execute(
                    "SELECT app, name FROM django_migrations ORDER BY app, name"
                ).fetchall()
            snapshot.rollback()
        tool = run_tool(["pg_dump", "--version"]).strip()
        return {
            "vendor": "postgresql",
            "server_version": server,
            "tool": tool,
            "tables": counted,
            "migrations": [list(row) for row in migrations],
        }

    def _copy_sqlite(self, connection, copy: Path) -> dict:
        """SQLite's online backup API: a consistent copy even while other connections write."""
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as target:
            connection.connection.backup(target)
            counted = table_counts(target.cursor())
            migrations = target.execute(
                "SELECT app, name FROM django_migrations ORDER BY app, name"
            ).fetchall()
        return {
            "vendor": "sqlite",
            "server_version": sqlite3.sqlite_version,
            "tool": f"sqlite3 online backup API (SQLite {sqlite3.sqlite_version})",
            "tables": counted,
            "migrations": [list(row) for row in migrations],
        }

    def _add_media(self, archive: tarfile.TarFile, work: Path) -> Iterator[dict]:
        """Each media file through the storage API: copied to a temporary file, hashed, archived."""
        for name in storage_files():
            digest, local = hashlib.sha256(), work / "media-file"
            with default_storage.open(name, "rb") as source, local.open("wb") as target:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    target.write(chunk)
            archive.add(local, arcname=f"{MEDIA}/{name}")
            yield {"name": name, "size": local.stat().st_size, "sha256": digest.hexdigest()}
            local.unlink()
