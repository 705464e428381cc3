"""Batch evaluation over the bench dataset: print figures, assert nothing.

Evaluates the deadline and window rules of every project of the PostgreSQL dataset (the one
bench/http_bench.py uses: 100,000 projects by default) on one process, as the tool that fills
stored deadlines will, and prints the time, the rate, the query count and the peak memory; then
the same for every rule, with messages, on a sample. Run by bench/run.py in a subprocess with the
bench settings; alone:

    python bench/batch.py [--projects 100000]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(projects: int) -> None:
    """In the child: the dataset, then the runs."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import dataset
    from projects.models import Project
    from projects.selectors import evaluate_projects

    dataset.ensure(projects)
    everything = Project.objects.all()
    total = everything.count()
    first = everything.filter(pk__in=everything.order_by("pk").values("pk")[:10_000])
    list(evaluate_projects(first.filter(pk__in=first.values("pk")[:200])))  # packs validated, calendars read
    runs = [
        ("deadline and window rules, no messages", everything, {"kinds": {"deadline", "window"}}),
        ("every rule, with messages (first 10,000)", first, {"messages": True}),
    ]
    print(f"batch evaluation on PostgreSQL, {total:,} projects, one process")
    print(f"{'run':<44} {'projects':>9} {'seconds':>8} {'per s':>8} {'queries':>8} {'verdicts':>9}")
    for label, projects_run, options in runs:
        outcomes: Counter[str] = Counter()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            count = 0
            for evaluated in evaluate_projects(projects_run, **options):
                count += 1
                outcomes.update(v.outcome.value for v in evaluated.verdicts)
            seconds = time.perf_counter() - started
        print(
            f"{label:<44} {count:>9,} {seconds:>8.1f} {count / seconds:>8,.0f} {len(captured):>8}"
            f" {sum(outcomes.values()):>9,}"
        )
        print("    outcomes: " + ", ".join(f"{name} {n:,}" for name, n in sorted(outcomes.items())))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:,.0f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=int(os.environ.get("BENCH_PROJECTS", 100_000)))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        measure(args.projects)
        return 0
    from bench.http_bench import backend_env

    env = backend_env("pg", secrets.token_urlsafe(64))
    done = subprocess.run(
        [sys.executable, "-m", "bench.batch", "--child", "--projects", str(args.projects)], env=env, cwd=ROOT
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
