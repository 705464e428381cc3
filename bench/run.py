"""Benchmarks: print figures, assert nothing. `make bench`.

- rule engine: evaluations per second of every shipped pack on a realistic facts dict;
- pack loading: YAML parse + schema validation time per pack;
- working days: add_working_days over a year boundary into an uncovered year.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govproj.settings.test")

import django

django.setup()

from jurisdictions.packfiles import pack_path, shipped_codes  # noqa: E402
from jurisdictions.rules import evaluate  # noqa: E402
from jurisdictions.rules.calendar import WorkingCalendar  # noqa: E402
from jurisdictions.rules.facts import FACTS  # noqa: E402
from jurisdictions.rules.schema import load_pack_text, validate_pack  # noqa: E402


def timed(function, repeat: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples)


def facts_for(spec) -> dict:
    return {
        "total_investment_wan": "850",
        "category": spec.categories[0].code if spec.categories else "application",
        "funding_source": "fiscal",
        "documents": [d.code for d in spec.documents[: len(spec.documents) // 2]],
        "negative_list_answers": {},
        "declaration_date": "2026-03-02",
        "approval_date": "2026-05-11",
        "trial_run_start": "2026-09-25",
        "approved_estimate_wan": "800",
        "adjustment_wan": "60",
        "new_content_wan": "20",
    }


def main() -> None:
    calendar = WorkingCalendar()
    as_of = dt.date(2026, 11, 22)
    print("load: YAML parse + validation (load_rulepacks); check: validating the stored JSON (per request)")
    print(f"{'pack':<10} {'rules':>5} {'load ms':>8} {'check ms':>8} {'eval µs':>8} {'evals/s':>9}")
    for code in shipped_codes():
        text = pack_path(code).read_text(encoding="utf-8")
        load_median, _ = timed(lambda t=text: load_pack_text(t), 20)
        spec, content = load_pack_text(text)
        check_median, _ = timed(lambda c=content: validate_pack(c), 20)
        facts = facts_for(spec)
        valid = {k: v for k, v in facts.items() if k in FACTS}
        runs = 200
        median, _ = timed(lambda s=spec, f=valid: evaluate(s, f, as_of=as_of, calendar=calendar), runs)
        print(
            f"{code:<10} {len(spec.rules):>5} {load_median * 1000:>8.2f} {check_median * 1000:>8.2f}"
            f" {median * 1e6:>8.0f} {1 / median:>9.0f}"
        )
    median, _ = timed(lambda: calendar.add_working_days(dt.date(2026, 12, 1), 60), 200)
    print(f"add_working_days(2026-12-01, 60): {median * 1e6:.0f} µs (into 2027: flagged uncertain)")


if __name__ == "__main__":
    main()
