"""Benchmark of the rule engine alone: print figures, assert nothing.

Per shipped pack and per facts dict (bench/run.py's realistic one, a rich one with most facts
given, and the pack's most advanced demo project as seed_demo files it): median and p99 of one
evaluation, and evaluations per second, for a full evaluation with messages and for the batch
form the deadline scan uses (kinds={"deadline", "window"}, messages=False). Also the one-off
cost of a pack's plan (built on its first evaluation, then kept while the spec lives).

The engine is pure, so this needs no database and no Django:

    python bench/engine.py [--runs 500] [--pack nanchong]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from jurisdictions.packfiles import shipped_codes, shipped_pack  # noqa: E402
from jurisdictions.rules import evaluate  # noqa: E402
from jurisdictions.rules.calendar import WorkingCalendar  # noqa: E402
from jurisdictions.rules.engine import _make_plan  # noqa: E402
from jurisdictions.rules.facts import FACTS, FactType  # noqa: E402

AS_OF = dt.date(2026, 11, 22)
BATCH = {"kinds": {"deadline", "window"}, "messages": False}
DEMO_FILE = ROOT / "projects" / "demo_projects.yaml"


def facts_for(spec) -> dict:
    """A project part-way through: bench/run.py's facts dict."""
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


def rich_facts_for(spec) -> dict:
    """Most facts given: two dates in three, every yes/no, most documents and screening answers."""
    facts = facts_for(spec)
    dates = [name for name, (kind, _) in FACTS.items() if kind is FactType.DATE]
    for index, name in enumerate(dates):
        if index % 3 != 2:
            facts[name] = (dt.date(2025, 12, 20) + dt.timedelta(days=17 * index)).isoformat()
    for index, (name, (kind, _)) in enumerate(FACTS.items()):
        if kind is FactType.BOOLEAN:
            facts[name] = index % 2 == 0
    items = [item.code for rule in spec.rules if rule.kind == "negative_list" for item in rule.items]
    facts["negative_list_answers"] = {code: k % 7 == 0 for k, code in enumerate(items) if k % 5 != 4}
    facts["documents"] = [d.code for k, d in enumerate(spec.documents) if k % 3]
    facts.update(tender_savings_wan="10", om_annual_request_wan="70", original_investment_wan="400")
    facts["change_reason"] = "business_need"
    return facts


def demo_facts_for(code: str, spec) -> dict | None:
    """The pack's last demo project (the furthest along) with the facts seed_demo gives it."""
    demo = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["jurisdictions"].get(code)
    if not demo or not demo.get("projects"):
        return None
    row = demo["projects"][-1]
    facts = {
        "documents": [d.code for d in spec.documents],
        "negative_list_answers": {
            item.code: False for rule in spec.rules if rule.kind == "negative_list" for item in rule.items
        },
        "approved_estimate_wan": str(row["investment"]),
        "total_investment_wan": str(row["investment"]),
        "category": row["category"],
        "funding_source": row.get("funding_source", "fiscal"),
        **(row.get("facts") or {}),
    }
    return {name: value for name, value in facts.items() if name in FACTS}


def sample(function, runs: int) -> list[float]:
    """Seconds per call, `runs` calls after one warm-up call."""
    function()
    samples = []
    clock = time.perf_counter
    for _ in range(runs):
        start = clock()
        function()
        samples.append(clock() - start)
    return samples


def summary(samples: list[float]) -> tuple[float, float, float]:
    """(median µs, p99 µs, evaluations per second at the median)."""
    median = statistics.median(samples)
    p99 = statistics.quantiles(samples, n=100)[98] if len(samples) >= 2 else samples[0]
    return median * 1e6, p99 * 1e6, 1 / median


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=500, help="timed evaluations per figure")
    parser.add_argument("--pack", action="append", help="only this pack (repeatable)")
    options = parser.parse_args(argv)
    calendar = WorkingCalendar()
    print(f"rule engine: one evaluation as of {AS_OF}, {options.runs} runs each (µs; evals/s at the median)")
    print("full: every rule, messages written; batch: kinds={deadline, window}, messages=False")
    print(
        f"{'pack':<9} {'rules':>5} {'plan µs':>8} {'facts':<10} {'given':>5}"
        f" {'full med':>9} {'p99':>7} {'evals/s':>8} {'batch med':>10} {'p99':>7} {'evals/s':>8}"
    )
    for code in options.pack or shipped_codes():
        spec, _ = shipped_pack(code)
        plan_us = statistics.median(sample(lambda s=spec: _make_plan(s), 20)) * 1e6
        fact_sets = [("realistic", facts_for(spec)), ("rich", rich_facts_for(spec))]
        if (demo := demo_facts_for(code, spec)) is not None:
            fact_sets.append(("demo", demo))
        for index, (name, facts) in enumerate(fact_sets):
            full = summary(
                sample(lambda s=spec, f=facts: evaluate(s, f, as_of=AS_OF, calendar=calendar), options.runs)
            )
            batch = summary(
                sample(
                    lambda s=spec, f=facts: evaluate(s, f, as_of=AS_OF, calendar=calendar, **BATCH),
                    options.runs,
                )
            )
            head = f"{code:<9} {len(spec.rules):>5} {plan_us:>8.0f}" if index == 0 else " " * 24
            figures = " ".join(
                f"{value:>{width}.0f}"
                for value, width in zip((*full, *batch), (9, 7, 8, 10, 7, 8), strict=True)
            )
            print(f"{head} {name:<10} {len(facts):>5} {figures}")
    start = dt.date(2026, 12, 1)
    median, p99, _ = summary(sample(lambda: calendar.add_working_days(start, 60), options.runs))
    print(f"add_working_days({start}, 60): median {median:.1f} µs, p99 {p99:.1f} µs (into 2027: uncertain)")


if __name__ == "__main__":
    main()
