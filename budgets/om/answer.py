"""The overall answer on an O&M funding application: pure functions over verdicts (no ORM, no clock).

The rules that speak about O&M funds are the pack's `om_funding` rules and any rule whose `effect`
withholds, caps or puts O&M funds at risk (e.g. 红山 第三十二条's evaluation results). Each gives a
line — refusing, needing attention or passing — and together one answer:

- 不予安排 (refused): a rule withholds the funds (a condition holds, a cap is exceeded, a deadline was
  missed, a document the measure requires is missing);
- 需关注 (attention): nothing refuses, but a rule warns (evaluation results weigh on next year's funds)
  or cannot be decided yet (facts missing);
- 可以安排 (fundable): every rule that applies passes.

A decision keeps `snapshot(verdicts)` as it was; `answer_of` reads live verdicts and stored snapshots
alike, so a decided application always shows the answer it was decided on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from govproj.i18n import in_language

OM_PHASE = "om_funding"
# Effects of rules outside the om_funding phase that still decide about O&M funds.
OM_EFFECTS = frozenset(
    {
        "om_funds_withheld",
        "om_funds_and_cloud_withheld",
        "next_year_om_funds_withheld",
        "om_funds_capped",
        "om_funds_at_risk",
        "next_year_funding_at_risk",
    }
)
# Effects that warn about the funds without withholding them (the measures say "重要依据").
AT_RISK_EFFECTS = frozenset({"om_funds_at_risk", "next_year_funding_at_risk"})

REFUSE, ATTENTION, PASS, NOT_APPLICABLE = "refuse", "attention", "pass", "not_applicable"
FUNDABLE, NEEDS_ATTENTION, REFUSED = "fundable", "attention", "refused"
ANSWER_LABELS = {
    FUNDABLE: _("Fundable"),
    NEEDS_ATTENTION: _("Needs attention"),
    REFUSED: _("Not fundable"),
}
LEVEL_LABELS = {
    REFUSE: _("Refuses"),
    ATTENTION: _("Needs attention"),
    PASS: _("Passes"),
    NOT_APPLICABLE: _("Does not apply"),
}
_ORDER = {REFUSE: 0, ATTENTION: 1, PASS: 2, NOT_APPLICABLE: 3}


def about_om_funds(verdict) -> bool:
    """Whether a verdict (a Verdict or a snapshot dict) speaks about O&M funds."""
    phase = verdict["phase"] if isinstance(verdict, Mapping) else verdict.phase
    effect = verdict.get("effect") if isinstance(verdict, Mapping) else verdict.effect
    return phase == OM_PHASE or effect in OM_EFFECTS


def snapshot(verdicts: Iterable) -> list[dict[str, Any]]:
    """The O&M verdicts as plain data (what a decision stores): rule, outcome, article, message."""
    rows = []
    for verdict in verdicts:
        if not about_om_funds(verdict):
            continue
        data = verdict.to_dict()
        citation = data["citation"] or {}
        rows.append(
            {
                "rule_id": data["rule_id"],
                "kind": data["kind"],
                "phase": data["phase"],
                "outcome": data["outcome"],
                "effect": data["effect"],
                "title": data["title"],
                "message": data["message"],
                "article": citation.get("article") or "",
                "clause": citation.get("clause") or "",
                "citation": citation.get("text") or "",
                "data": {k: v for k, v in data["data"].items() if k in _KEPT_DATA},
            }
        )
    return rows


_KEPT_DATA = {"value", "cap_wan", "due_date", "done_on", "missing", "missing_facts", "threshold"}


def level_of(row: Mapping[str, Any]) -> str:
    """What one rule's verdict means for the funds: refuse, attention, pass or not applicable."""
    outcome = row["outcome"]
    if outcome == "pass":
        return PASS
    if outcome == "not_applicable":
        return NOT_APPLICABLE
    if row.get("effect") in AT_RISK_EFFECTS:
        return ATTENTION
    if outcome == "fail":
        return REFUSE
    if outcome == "required" and row.get("kind") == "required_documents":
        return REFUSE  # e.g. 南充 第三十五条: the new round's needs assessment must be on file
    return ATTENTION  # unknown (facts missing), info, or something still to be done in time


@dataclass(frozen=True)
class Line:
    rule_id: str
    level: str
    outcome: str
    title: dict[str, str]
    message: dict[str, str]
    article: str
    clause: str
    citation: str
    effect: str | None
    cap_wan: Decimal | None = None

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])

    @property
    def title_text(self) -> str:
        return in_language(self.title)

    @property
    def message_text(self) -> str:
        return in_language(self.message)

    @property
    def reference(self) -> str:
        """The citation as people read it: the measure's number or title, article and clause."""
        return self.citation or f"{self.article}{self.clause}"


@dataclass(frozen=True)
class Answer:
    code: str
    lines: list[Line] = field(default_factory=list)  # refusing first, then attention, then passing

    @property
    def label(self) -> str:
        return str(ANSWER_LABELS[self.code])

    @property
    def refusing(self) -> list[Line]:
        return [line for line in self.lines if line.level == REFUSE]

    @property
    def attention(self) -> list[Line]:
        return [line for line in self.lines if line.level == ATTENTION]

    @property
    def shown(self) -> list[Line]:
        """The lines that apply (not-applicable rules left out)."""
        return [line for line in self.lines if line.level != NOT_APPLICABLE]

    @property
    def first_reason(self) -> Line | None:
        """The first refusing line, else the first needing attention."""
        return next(iter(self.refusing or self.attention), None)

    @property
    def cap_wan(self) -> Decimal | None:
        """The annual cap in 万元 (莱州 第二十九条's 10%), when a cap rule applies."""
        return next((line.cap_wan for line in self.lines if line.cap_wan is not None), None)

    @property
    def only_capped(self) -> bool:
        """Every refusing line is a cap: reducing the amount to the cap may settle it."""
        return bool(self.refusing) and all(line.cap_wan is not None for line in self.refusing)


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def answer_of(rows: Iterable) -> Answer:
    """One overall answer from O&M verdicts (Verdict objects or `snapshot` rows); others are ignored."""
    rows = list(rows)
    if rows and not isinstance(rows[0], Mapping):
        rows = snapshot(rows)
    lines = []
    for row in rows:
        if not about_om_funds(row):
            continue
        level = level_of(row)
        data = row.get("data") or {}
        lines.append(
            Line(
                rule_id=row["rule_id"],
                level=level,
                outcome=row["outcome"],
                title=row["title"],
                message=row["message"],
                article=row.get("article", ""),
                clause=row.get("clause", ""),
                citation=row.get("citation", ""),
                effect=row.get("effect"),
                cap_wan=_decimal(data.get("cap_wan")) if row.get("kind") == "ratio_cap" else None,
            )
        )
    lines.sort(key=lambda line: _ORDER[line.level])  # stable: the pack's order within a level
    levels = {line.level for line in lines}
    code = REFUSED if REFUSE in levels else NEEDS_ATTENTION if ATTENTION in levels else FUNDABLE
    return Answer(code, lines)
