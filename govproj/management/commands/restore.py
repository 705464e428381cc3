"""`manage.py restore ARCHIVE`: a `manage.py backup` archive back into an empty database and the storage.

Nothing is written until the archive has been checked: its format, the sha256 of the database
dump and of every file against the manifest, the database engine, the migrations (an archive
from a newer govproj is refused), an empty target database, and no media file of the same name
with other content. `--force` replaces a non-empty database (PostgreSQL: `pg_restore --clean`;
SQLite: the whole file) and same-named files.

The database comes back with `pg_restore` (tables, sequences, indexes, constraints and the
PostgreSQL triggers that keep the audit tables append-only) or SQLite's backup API; the files
through Django's storage API. Then the row count of every table is compared with the manifest
and `verify_audit` checks the hash chains.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import sys
import tarfile
import tempfile
from contextlib import closing
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from govproj.management.commands.backup import (
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MEDIA,
    POSTGRESQL_DUMP,
    SQLITE_COPY,
    postgresql_connection,
    run_tool,
    sha256_of,
    table_counts,
)


def safe_relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\x00" in name:
        raise CommandError(f"The archive is damaged: unsafe file name {name!r}.")
    return path


def stored_sha256(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = (
        "Restore a `manage.py backup` archive into an empty database and the media storage "
        "(--force replaces a non-empty one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive written by `manage.py backup`; '-' reads stdin")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the content of a non-empty database and media files of the same name",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, archive, force=False, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        with tempfile.TemporaryDirectory(prefix="govproj-restore-") as work:
            work = Path(work)
            manifest = self._unpack(archive, work)
            try:
                files = self._check(manifest, work, connection, force)
            except (KeyError, TypeError, AttributeError) as error:
                raise CommandError(f"The archive's {MANIFEST} is incomplete: {error!r}.") from error
            self._restore_database(manifest, work, connection, force)
            written = self._restore_files(files, work, force)
        self._verify(manifest, connection)
        rows = sum(manifest["database"]["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {manifest['database']['vendor']} database ({rows} rows in "
                f"{len(manifest['database']['tables'])} tables, backup of {manifest['created_at']}) and "
                f"{len(files)} media files ({written} written, {len(files) - written} already there)."
            )
        )

    # ------------------------------------------------------------------ read and check

    def _unpack(self, archive: str, work: Path) -> dict:
        try:
            if archive == "-":
                opened = tarfile.open(fileobj=sys.stdin.buffer, mode="r|")
            else:
                opened = tarfile.open(archive, mode="r:")
            with opened:
                # The "data" filter refuses absolute names, "..", links out of the folder, devices.
                opened.extractall(work, filter="data")
        except FileNotFoundError as error:
            raise CommandError(f"No archive at {archive}.") from error
        except (tarfile.TarError, OSError) as error:
            raise CommandError(f"Not a readable backup archive: {error}") from error
        try:
            manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"The archive has no readable {MANIFEST}: {error}") from error
        if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
            raise CommandError(
                f"Not a govproj backup of format {FORMAT_VERSION}: "
                f"{manifest.get('format')!r} {manifest.get('format_version')!r}."
            )
        return manifest

    def _check(self, manifest: dict, work: Path, connection, force: bool) -> list[dict]:
        """Everything that could refuse the restore, before anything is written."""
        database = manifest["database"]
        if database.get("file") not in (POSTGRESQL_DUMP, SQLITE_COPY):
            raise CommandError(f"The archive is damaged: unknown database file {database.get('file')!r}.")
        dump = work / database["file"]
        if not dump.is_file() or sha256_of(dump) != database["sha256"]:
            raise CommandError(
                f"The archive is damaged: {database['file']} is missing or does not match its sha256."
            )
        files = manifest.get("files", [])
        for entry in files:
            local = work / MEDIA / safe_relative(entry["name"])
            if (
                not local.is_file()
                or local.stat().st_size != entry["size"]
                or sha256_of(local) != entry["sha256"]
            ):
                raise CommandError(
                    f"The archive is damaged: media file {entry['name']!r} does not match its sha256."
                )

        if database["vendor"] != connection.vendor:
            raise CommandError(
                f"The archive holds a {database['vendor']} database; this one is {connection.vendor}. "
                "Restore into the same engine (then move data between engines with the engines' own tools)."
            )
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        unknown = [f"{app}.{name}" for app, name in database["migrations"] if (app, name) not in known]
        if unknown and not force:
            raise CommandError(
                "The archive comes from a newer govproj: it has migrations this code does not know "
                f"({', '.join(unknown[:5])}{' …' if len(unknown) > 5 else ''}). Restore with that version, "
                "or pass --force."
            )
        tables = connection.introspection.table_names()
        if tables and not force:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables). "
                "Restore into an empty database, or pass --force to replace its content."
            )
        clashes = [
            entry["name"]
            for entry in files
            if default_storage.exists(entry["name"]) and stored_sha256(entry["name"]) != entry["sha256"]
        ]
        if clashes and not force:
            raise CommandError(
                f"{len(clashes)} media files already exist with other content ({', '.join(clashes[:5])}). "
                "Restore into empty storage, or pass --force to replace them."
            )
        return files

    # ------------------------------------------------------------------ write

    def _restore_database(self, manifest: dict, work: Path, connection, force: bool) -> None:
        dump = work / manifest["database"]["file"]
        if connection.vendor == "postgresql":
            conninfo, env = postgresql_connection(connection.settings_dict)
            connection.close()
            command = [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--no-password",
                f"--dbname={conninfo}",
            ]
            if force:
                command += ["--clean", "--if-exists"]
            run_tool([*command, str(dump)], env)
        else:
            connection.ensure_connection()
            if connection.in_atomic_block:
                raise CommandError("Cannot restore SQLite inside a transaction.")
            with closing(sqlite3.connect(dump)) as source:
                source.backup(connection.connection)  # replaces the whole database, page by page
            connection.close()

    def _restore_files(self, files: list[dict], work: Path, force: bool) -> int:
        written = 0
        for entry in files:
            name = entry["name"]
            if default_storage.exists(name):
                if stored_sha256(name) == entry["sha256"]:
                    continue
                default_storage.delete(name)  # only reached with --force (checked above)
            with (work / MEDIA / safe_relative(name)).open("rb") as content:
                saved = default_storage.save(name, File(content, name=name))
            if saved != name:
                raise CommandError(f"The storage saved {name!r} as {saved!r}; restore stopped.")
            written += 1
        return written

    # ------------------------------------------------------------------ verify

    def _verify(self, manifest: dict, connection) -> None:
        expected = manifest["database"]["tables"]
        present = set(connection.introspection.table_names())
        missing = sorted(set(expected) - present)
        if missing:
            raise CommandError(f"Restored database lacks tables: {', '.join(missing)}.")
        with connection.cursor() as cursor:
            counted = table_counts(cursor, sorted(expected))
        differ = {t: (expected[t], counted[t]) for t in expected if counted[t] != expected[t]}
        if differ:
            raise CommandError(f"Row counts differ from the manifest (expected, restored): {differ}.")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                "The backup predates this code: run `manage.py migrate`, then `manage.py verify_audit`."
            )
            return
        report = io.StringIO()
        call_command("verify_audit", stdout=report)  # raises, naming the first broken link
        self.stdout.write(report.getvalue().strip())
