"""Benchmarks: print figures, assert nothing. `make bench` runs every section; name some to run those.

    python bench/run.py [engine] [packs] [batch] [deadlines] [http] [reports]   (BENCH_*: see each module)

- engine: the rule engine alone, per shipped pack: a whole evaluation and the scan's form
  (bench/engine.py, no database);
- packs: YAML parse + schema validation per pack (load_rulepacks) and validating the stored
  JSON (what a process does once per pack version);
- batch: the deadline and window rules of every project of the 100,000-project PostgreSQL
  dataset on one process, with its query count (bench/batch.py);
- deadlines: the daily deadline scan over 100,000 projects and 300,000 deadlines on PostgreSQL,
  its time and query count, the same day again and the next day, and at a tenth of the deadlines
  (bench/deadline_scan.py, its own database govproj_bench_deadlines);
- http: the product's lists and pages against bare-Django floor views, side by side under
  gunicorn and wrk, on PostgreSQL (100,000 projects) and SQLite (20,000) (bench/http_bench.py).
- reports: the build time of every PDF kind registered, on the demo data, and the time and peak
  memory of a 200-document, 200 MB project dossier (bench/reports.py, its own database
  govproj_bench_reports).

The datasets are built on first use (several minutes) and reused afterwards.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECTIONS = ("engine", "packs", "batch", "deadlines", "http", "reports")


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def packs() -> None:
    from jurisdictions.packfiles import pack_path, shipped_codes
    from jurisdictions.rules.schema import load_pack_text, validate_pack

    print("load: YAML parse + validation (load_rulepacks); check: validating the stored JSON")
    print(f"{'pack':<10} {'rules':>5} {'load ms':>8} {'check ms':>8}")
    for code in shipped_codes():
        text = pack_path(code).read_text(encoding="utf-8")
        spec, content = load_pack_text(text)
        load = timed(lambda t=text: load_pack_text(t), 20)
        check = timed(lambda c=content: validate_pack(c), 20)
        print(f"{code:<10} {len(spec.rules):>5} {load * 1000:>8.2f} {check * 1000:>8.2f}")


def main(argv: list[str]) -> int:
    chosen = [name for name in argv if name in SECTIONS] or list(SECTIONS)
    unknown = [name for name in argv if name not in SECTIONS]
    if unknown:
        print(f"unknown section(s): {', '.join(unknown)}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    status = 0
    for name in chosen:
        print(f"\n=== {name} ===", flush=True)
        if name == "engine":
            from bench import engine

            engine.main([])
        elif name == "packs":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govproj.settings.test")
            import django

            django.setup()
            packs()
        elif name == "batch":
            from bench import batch

            status |= batch.main([])
        elif name == "deadlines":
            from bench import deadline_scan

            status |= deadline_scan.main([])
        elif name == "reports":
            from bench import reports

            status |= reports.main([])
        else:
            from bench import http_bench

            status |= http_bench.main([])
        sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
