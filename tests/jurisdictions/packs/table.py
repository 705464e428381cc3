"""Shared machinery for the rule-pack table tests (one module per jurisdiction).

A row says: under this pack, with these facts, on this date, rule R (from article A)
gives outcome O (and these data). Numbers in rows come from the measure's text, never from
the pack, so a wrong number typed into a pack fails its row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from jurisdictions.packfiles import shipped_pack
from jurisdictions.rules import evaluate
from jurisdictions.rules.calendar import WorkingCalendar


@dataclass(frozen=True)
class Row:
    rule_id: str
    article: str  # the article the row checks, e.g. "第十九条"
    facts: dict[str, Any]
    outcome: str  # pass, fail, required, info, not_applicable, unknown
    data: dict[str, Any] = field(default_factory=dict)  # expected subset of verdict.data (JSON form)
    as_of: dt.date = dt.date(2026, 11, 22)
    note: str = ""

    def __str__(self) -> str:
        return f"{self.rule_id} {self.article} → {self.outcome}{' ' + self.note if self.note else ''}"


def check_row(code: str, row: Row, calendar: WorkingCalendar | None = None) -> None:
    spec, _ = shipped_pack(code)
    rule = spec.rule(row.rule_id)
    assert rule.citation.article == row.article, (
        f"{row.rule_id} cites {rule.citation.article}, row says {row.article}"
    )
    (verdict,) = evaluate(spec, row.facts, as_of=row.as_of, calendar=calendar, rule_ids=[row.rule_id])
    result = verdict.to_dict()
    assert result["outcome"] == row.outcome, f"{row}: got {result['outcome']} ({result['message']['zh']})"
    for key, expected in row.data.items():
        assert result["data"].get(key) == expected, f"{row}: data[{key}] = {result['data'].get(key)!r}"
    assert result["citation"]["article"] == row.article


def uncovered_rules(code: str, rows: list[Row]) -> set[str]:
    spec, _ = shipped_pack(code)
    return {rule.id for rule in spec.rules} - {row.rule_id for row in rows}
