"""The change-tolerance rule's `adjustment_basis`, on the packs' own rules, by the pure engine (no database):
包头 第二十一条 counts the larger of the increased and decreased content, tender savings out of the
decrease; a pack reading `adjustment_wan` ignores the two; without them 包头 reads `adjustment_wan`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from jurisdictions.rules import evaluate, load_pack_text

PACKS = Path(settings.BASE_DIR) / "jurisdictions" / "packs"
BASE = {
    "approved_estimate_wan": "1000",
    "new_content_wan": "0",
    "goal_changed": False,
    "within_estimate": True,
    "change_reason": "business_need",
    "procurement_started": False,
}


def _spec(code):
    return load_pack_text((PACKS / f"{code}.yaml").read_text(encoding="utf-8"), source=code)[0]


@pytest.mark.parametrize(
    ("code", "facts", "counted", "outcome"),
    [
        # 包头 第二十一条: the larger of increase and decrease; savings only reduce the decrease
        (
            "baotou",
            {"adjustment_increase_wan": "100", "adjustment_decrease_wan": "160", "tender_savings_wan": "20"},
            "140",
            "pass",
        ),
        (
            "baotou",
            {"adjustment_increase_wan": "160", "adjustment_decrease_wan": "160", "tender_savings_wan": "30"},
            "160",
            "required",
        ),
        ("baotou", {"adjustment_increase_wan": "150", "adjustment_decrease_wan": "0"}, "150", "pass"),
        (
            "baotou",
            {"adjustment_increase_wan": "0", "adjustment_decrease_wan": "150.01"},
            "150.01",
            "required",
        ),
        # without the two: `adjustment_wan`, less the savings (the what-if's single figure)
        ("baotou", {"tender_savings_wan": "60"}, "140", "pass"),
        # 红山 第二十三条 reads `adjustment_wan`; the savings are counted
        (
            "hongshan",
            {"adjustment_increase_wan": "10", "adjustment_decrease_wan": "10", "tender_savings_wan": "60"},
            "200",
            "required",
        ),
    ],
)
def test_adjustment_basis(code, facts, counted, outcome):
    given = {**BASE, "adjustment_wan": "200", **facts}
    verdict = next(
        v
        for v in evaluate(_spec(code), given, as_of=dt.date(2026, 11, 1), phases=["change"])
        if v.kind == "change_tolerance"
    )
    assert str(verdict.data["adjustment_counted_wan"].normalize()) == str(
        __import__("decimal").Decimal(counted).normalize()
    )
    assert verdict.outcome.value == outcome
