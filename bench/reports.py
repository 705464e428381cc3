"""Reports (issue 12 §4): print figures, assert nothing.

- Every PDF kind registered (projects.reports.kinds.KINDS with a `context`): the time of
  `report_build` for the first subject it offers across the demo's projects (or jurisdictions),
  the minimum of three builds (goal: under 1 s each), and the PDF's size and pages.
- The dossier of a project with 200 documents of 1 MB of random bytes each (200 MB that no
  compression can shrink): the time of `report_build`, the ZIP's size, the Python heap's peak
  during the build (tracemalloc) and how far the process's resident high-water mark rose
  (ru_maxrss): both stay far below the dossier's size, since every file is streamed in 1 MiB chunks.

Run by bench/run.py in a subprocess with the bench settings (production) on PostgreSQL; alone:

    python bench/reports.py [--documents 200] [--megabytes 1] [--repeat 3]

The database is its own, BENCH_REPORTS_DATABASE (default govproj_bench_reports; only names starting
with govproj_bench_ are accepted), and the stored files go under bench/.data/reports-media. Built on
first use (migrate, load_rulepacks, seed_demo) and reused while its `bench_reports_dataset` marker and
the media folder are there. Each run adds one project for the dossier and deletes the files it wrote
(the 200 MB of documents, the reports) when done; the rows stay (audit events are append-only).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import secrets
import subprocess
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATASET_VERSION = 1
DATABASE = os.environ.get("BENCH_REPORTS_DATABASE", "govproj_bench_reports")
MEDIA = ROOT / "bench" / ".data" / "reports-media"
MB = 1024 * 1024


def _check_database() -> str:
    from django.conf import settings
    from django.db import connection

    name = str(settings.DATABASES["default"]["NAME"])
    if connection.vendor != "postgresql":
        raise SystemExit(f"the reports bench runs on PostgreSQL, not {connection.vendor}")
    if not name.startswith("govproj_bench_") or name == "govproj_bench_deadlines":
        raise SystemExit(f"refusing to build the reports bench in PostgreSQL database {name!r}")
    return name


def _marker() -> int | None:
    from django.db import connection

    if "bench_reports_dataset" not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM bench_reports_dataset")
        row = cursor.fetchone()
    return row[0] if row else None


def ensure() -> None:
    """The demo data, built once and reused while the marker (and the media it wrote) is there."""
    from django.core.management import call_command
    from django.db import connection

    from bench.dataset import _maintenance

    name = _check_database()
    with _maintenance() as maintenance:
        if not maintenance.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            maintenance.execute(f'CREATE DATABASE "{name}"')
    if _marker() == DATASET_VERSION and MEDIA.is_dir():
        call_command("migrate", interactive=False, verbosity=0, stdout=io.StringIO())
        print(f"dataset: reusing the demo data in {name}", flush=True)
        return
    if connection.introspection.table_names():
        connection.close()
        with _maintenance() as maintenance:
            print(f"dataset: dropping PostgreSQL database {name}", flush=True)
            maintenance.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            maintenance.execute(f'CREATE DATABASE "{name}"')
    MEDIA.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print("dataset: migrate, load_rulepacks, seed_demo", flush=True)
    quiet = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=quiet)
    call_command("load_rulepacks", verbosity=0, stdout=quiet)
    call_command("seed_demo", verbosity=0, stdout=quiet)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_reports_dataset (version integer NOT NULL)")
        cursor.execute("INSERT INTO bench_reports_dataset VALUES (%s)", [DATASET_VERSION])
    print(f"dataset: built in {time.perf_counter() - started:.0f} s", flush=True)


def _first_subject(kind, user):
    """(project or None, jurisdiction code or None, subject) of the first printable subject, else None."""
    from jurisdictions.models import Jurisdiction
    from projects.models import Project

    if kind.scope == "jurisdiction":
        for place in Jurisdiction.objects.order_by("pk"):
            subjects = kind.subjects(user, place)
            if subjects:
                return None, place.code, subjects[0]
        return None
    for project in Project.objects.select_related("jurisdiction", "rule_pack").order_by("pk"):
        subjects = kind.subjects(user, project)
        if subjects:
            return project, None, subjects[0]
    return None


def _build(user, kind_code: str, project, jurisdiction: str | None, subject: str):
    """A new report of the kind (queued), then its build timed on its own."""
    from django.db import transaction

    from projects.reports.builder import report_build
    from projects.reports.models import Report
    from projects.reports.services import report_request

    with transaction.atomic():
        report = report_request(
            actor=user,
            kind=kind_code,
            project_id=project.pk if project is not None else None,
            jurisdiction=jurisdiction,
            subject=subject,
        )
    started = time.perf_counter()
    status = report_build(report.pk)
    seconds = time.perf_counter() - started
    return Report.objects.get(pk=report.pk), status, seconds


def _forget(report) -> None:
    if report.file:
        report.file.storage.delete(report.file.name)


def pdf_kinds(user, repeat: int) -> None:
    from pypdf import PdfReader

    from projects.reports.kinds import ordered_kinds

    print(f"\nPDF kinds: report_build, min of {repeat} (goal < 1 s each)", flush=True)
    print(f"{'kind':<22} {'subject':<44} {'min s':>6} {'max s':>6} {'pages':>5} {'KB':>7}")
    for kind in ordered_kinds():
        if kind.context is None:
            continue
        found = _first_subject(kind, user)
        if found is None:
            print(f"{kind.code:<22} {'(nothing printable in the demo data)':<44}")
            continue
        project, jurisdiction, subject = found
        about = f"{project.code if project is not None else jurisdiction} {subject.label}"
        times, last = [], None
        for _ in range(repeat):
            report, status, seconds = _build(user, kind.code, project, jurisdiction, subject.key)
            if status != "done":
                print(f"{kind.code:<22} {about[:44]:<44} failed: {report.error[:120]}")
                break
            times.append(seconds)
            if last is not None:
                _forget(last)
            last = report
        else:
            with last.file.open("rb") as stream:
                pages = len(PdfReader(stream).pages)
            print(
                f"{kind.code:<22} {about[:44]:<44} {min(times):>6.2f} {max(times):>6.2f} {pages:>5}"
                f" {last.size / 1024:>7.0f}",
                flush=True,
            )
            _forget(last)


def _big_project(documents: int, megabytes: int):
    """A draft project of a demo department with `documents` uploads of random bytes (PDF-framed)."""
    from django.core.files.base import ContentFile
    from django.db import transaction

    from jurisdictions.models import Membership, Role
    from projects import services
    from projects.documents.services import _document_codes, document_upload
    from projects.models import Project

    staff = Membership.objects.filter(role=Role.DEPARTMENT_STAFF, department__isnull=False).order_by("pk")[0]
    sample = Project.objects.filter(department=staff.department).order_by("pk").first()
    with transaction.atomic():
        project = services.create_project(
            actor=staff.user,
            department=staff.department,
            title=f"档案压力测试项目 {secrets.token_hex(3)}",
            category=sample.category if sample else "application",
            total_investment_wan=Decimal("500.00"),
            funding_source=sample.funding_source if sample else "fiscal",
            year=sample.year if sample else 2026,
        )
    codes = _document_codes(project)
    started = time.perf_counter()
    for number in range(documents):
        body = b"%PDF-1.4\n" + os.urandom(megabytes * MB - 16) + b"\n%%EOF\n"
        document_upload(
            actor=staff.user,
            project_id=project.pk,
            code=codes[number % len(codes)],
            file=ContentFile(body, name=f"材料{number + 1:03d}.pdf"),
        )
    print(
        f"\ndossier: {documents} documents of {megabytes} MB (random bytes) uploaded to {project.code}"
        f" in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return project


def dossier(user, documents: int, megabytes: int) -> None:
    from projects.documents.models import ProjectDocument

    project = _big_project(documents, megabytes)
    try:
        print(f"{'run':<16} {'seconds':>8} {'MB/s':>6} {'ZIP MB':>8} {'heap peak MB':>13} {'maxrss +MB':>11}")
        for label, traced in (("tracemalloc on", True), ("plain", False)):
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            if traced:
                tracemalloc.start()
            try:
                report, status, seconds = _build(user, "dossier", project, None, f"project:{project.pk}")
                peak = tracemalloc.get_traced_memory()[1] if traced else None
            finally:
                if traced:
                    tracemalloc.stop()
            rss_delta = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
            if status != "done":
                print(f"{label:<16} failed: {report.error[:200]}")
                return
            zipped = report.size / MB
            print(
                f"{label:<16} {seconds:>8.2f} {zipped / seconds:>6.0f} {zipped:>8.1f}"
                f" {(f'{peak / MB:.1f}' if peak is not None else '—'):>13} {rss_delta:>11.1f}",
                flush=True,
            )
            _forget(report)
    finally:
        for row in ProjectDocument.objects.filter(project=project):
            row.file.storage.delete(row.file.name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:,.0f} MB")


def measure(documents: int, megabytes: int, repeat: int) -> None:
    """In the child: the dataset, the dossier (first: the resident high-water mark is its own), the PDFs."""
    import django

    django.setup()
    import logging

    from django.contrib.auth import get_user_model

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    ensure()
    user = get_user_model().objects.get(username="admin")  # seed_demo's superuser: every kind, every project
    dossier(user, documents, megabytes)
    pdf_kinds(user, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=int(os.environ.get("BENCH_DOSSIER_DOCUMENTS", 200)))
    parser.add_argument("--megabytes", type=int, default=int(os.environ.get("BENCH_DOSSIER_MB", 1)))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        measure(args.documents, args.megabytes, args.repeat)
        return 0
    from bench.http_bench import backend_env

    env = backend_env("pg", secrets.token_urlsafe(64))
    env["DATABASE_URL"] = env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{DATABASE}"
    env.pop("REDIS_CACHE_URL", None)  # one process: its own cache
    env.update(
        CELERY_BROKER_URL="memory://",  # the builds run here, timed; the queued tasks go nowhere
        CELERY_RESULT_BACKEND="cache+memory://",
        DJANGO_MEDIA_ROOT=str(MEDIA),
        DJANGO_S3_BUCKET="",
    )
    command = [
        sys.executable, "-m", "bench.reports", "--child", "--documents", str(args.documents),
        "--megabytes", str(args.megabytes), "--repeat", str(args.repeat),
    ]  # fmt: skip
    return subprocess.run(command, env=env, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
