"""The embedded default (SQLite, `make run`) serves a small office: concurrent writers get no errors.

Given a FILE database configured exactly as the local settings configure it (WAL, a busy
timeout, transactions that take the write lock when they begin), when 20 writers create
projects through the real service at the same moment, then none of them sees "database is
locked". The writers run in a child process with `govproj.settings.local`, so the database
options under test are the real ones, not the test settings' in-memory database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

WRITERS = 20
PROJECTS_EACH = 5
ROOT = Path(__file__).resolve().parent.parent


def test_twenty_concurrent_writers_on_a_sqlite_file_get_no_errors(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govproj.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("CELERY_BROKER_URL", None)
    env.pop("CELERY_RESULT_BACKEND", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.test_sqlite_concurrency"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["errors"] == [], f"{len(figures['errors'])} of {figures['attempts']} writes failed"
    assert figures["journal_mode"] == "wal"
    assert figures["projects"] == WRITERS * PROJECTS_EACH


def _race_writers() -> dict:
    """In the child process: migrate the file database, then release 20 writers together."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import OperationalError, connection, connections

    from projects.models import Project
    from tests.conftest import make_project, make_tenant

    call_command("migrate", verbosity=0)
    tenant = make_tenant("alpha")
    with connection.cursor() as cursor:
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    connections.close_all()

    barrier = threading.Barrier(WRITERS)
    errors: list[str] = []

    def write(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            for number in range(PROJECTS_EACH):
                try:
                    make_project(tenant, title=f"并发写入 {index}-{number}")
                except OperationalError as error:
                    errors.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return {
        "journal_mode": journal_mode,
        "attempts": WRITERS * PROJECTS_EACH,
        "errors": errors,
        "projects": Project.objects.count(),
    }


if __name__ == "__main__":
    print(json.dumps(_race_writers(), ensure_ascii=False))
