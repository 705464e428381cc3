"""The five shipped packs: they validate, load idempotently, and carry their measures' validity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from jurisdictions.models import Jurisdiction, RulePack
from jurisdictions.packfiles import shipped_codes, shipped_pack
from jurisdictions.rules import measure_status
from jurisdictions.tasks import check_measures

CODES = ["baotou", "hongshan", "laizhou", "nanchong", "ordos"]
TODAY = dt.date(2026, 11, 22)
# From each measure's text (../shared/seeds): when it took effect and, where stated, when it ends.
VALIDITY = {
    "baotou": ("2024-12-01", "2026-11-30", "expiring"),  # 试行, two years from 2024-12-01
    "hongshan": ("2024-11-04", None, "in_force"),  # from issue
    "nanchong": ("2023-05-09", None, "in_force"),
    "laizhou": ("2022-09-29", "2024-09-28", "expired"),  # two years
    "ordos": ("2020-06-22", "2025-06-21", "expired"),  # five years
}


def test_all_five_are_shipped():
    assert shipped_codes() == CODES


@pytest.mark.parametrize("code", CODES)
def test_pack_validates_and_cites_articles(code):
    spec, _ = shipped_pack(code)
    assert spec.jurisdiction.code == code
    assert spec.rules, "a pack encodes rules"
    for rule in spec.rules:
        assert rule.citation.article.startswith("第") and rule.citation.article.endswith("条")
        assert rule.title.zh and rule.title.en and rule.message.zh and rule.message.en


@pytest.mark.parametrize("code", CODES)
def test_validity_dates_and_flag(code):
    spec, _ = shipped_pack(code)
    start, end, state = VALIDITY[code]
    assert spec.measure.effective_from.isoformat() == start
    assert (spec.measure.effective_to.isoformat() if spec.measure.effective_to else None) == end
    assert measure_status(spec, TODAY)["state"] == state
    first = dt.date.fromisoformat(start)
    assert measure_status(spec, first - dt.timedelta(days=1))["state"] == "not_yet_effective"
    assert measure_status(spec, first)["state"] in {"in_force", "expiring"}
    if end:
        last = dt.date.fromisoformat(end)
        assert measure_status(spec, last)["state"] == "expiring"
        assert measure_status(spec, last + dt.timedelta(days=1))["state"] == "expired"
    if code == "baotou":
        assert measure_status(spec, TODAY)["days_left"] == 8


@pytest.mark.django_db
def test_load_rulepacks_is_idempotent(capsys):
    call_command("load_rulepacks")
    first = capsys.readouterr().out
    assert RulePack.objects.count() == 5 and Jurisdiction.objects.count() == 5
    assert first.count("loaded as v1") == 5
    call_command("load_rulepacks")
    assert capsys.readouterr().out.count("unchanged, v1") == 5
    assert RulePack.objects.count() == 5
    flagged = {row["jurisdiction"]: row["state"] for row in check_measures(TODAY.isoformat())}
    assert flagged == {"baotou": "expiring", "laizhou": "expired", "ordos": "expired"}
