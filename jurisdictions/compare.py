"""The measures side by side, theme by theme, generated from the packs in force today.

A theme is defined by what it selects in a spec — a rule kind, a phase, an effect or a fact —
never by a jurisdiction's code, so the comparison follows every published version and cannot
drift from the packs. Each cell says the values in words with the article they come from, or
「未规定」 when the measure has no such rule.

Who sees it: everyone signed in. The measures are published law (each pack encodes a public
government document), and the table shows only what the measures say, nothing of any project.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govproj.i18n import english, in_language
from jurisdictions.editor.diff import Names, amount_of, condition_text, number, offset_text, percent
from jurisdictions.models import Jurisdiction, RulePack, in_force
from jurisdictions.rules import measure_status
from jurisdictions.rules.conditions import AllOf, AnyOf, Comparison, FactRef, Not
from jurisdictions.rules.facts import fact_label
from jurisdictions.rules.schema import (
    ChangeToleranceRule,
    ConditionRule,
    DeadlineRule,
    NegativeListRule,
    Phase,
    RatioCapRule,
    RulePackSpec,
    ThresholdRule,
    TrackRule,
    WindowRule,
    cited_article,
)

OP_SIGNS = {"gt": "＞", "gte": "≥", "lt": "＜", "lte": "≤"}


@dataclass(frozen=True)
class Entry:
    """One value of a cell: the words, the article it comes from, and items to unfold (a list's)."""

    text: str
    article: str = ""
    items: tuple[str, ...] = ()
    switched_off: bool = False  # the rule is in the pack but an admin switched it off

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "article": self.article,
            "items": list(self.items),
            "switched_off": self.switched_off,
        }


@dataclass(frozen=True)
class Cell:
    entries: tuple[Entry, ...] = ()

    @property
    def unset(self) -> bool:
        return not self.entries

    def to_dict(self) -> dict[str, Any]:
        return {"unset": self.unset, "entries": [entry.to_dict() for entry in self.entries]}


@dataclass(frozen=True)
class Theme:
    code: str
    label: Any  # lazy: said in the active language when shown
    says: str  # what the theme selects, in words (shown under its name)
    select: Callable[[Any], bool]
    show: Callable[[Any, RulePackSpec], Entry]


# ---------------------------------------------------------------------------- selections (never a code)


def _supervision(rule) -> bool:
    """Rules whose effect is engaging a supervisor (监理): a threshold, or a condition for every project."""
    return (rule.effect or "").startswith("supervision") and isinstance(rule, ThresholdRule | ConditionRule)


def _tracks(rule) -> bool:
    return isinstance(rule, TrackRule) and rule.phase is Phase.APPROVAL


def _tolerance(rule) -> bool:
    return isinstance(rule, ChangeToleranceRule)


ACCEPTED_FACTS = {"acceptance_date", "acceptance_filing_date"}


def _acceptance_deadline(rule) -> bool:
    """Deadlines of the acceptance phase met by accepting (or filing the acceptance) in time."""
    return (
        isinstance(rule, DeadlineRule)
        and rule.phase is Phase.ACCEPTANCE
        and rule.done_fact in ACCEPTED_FACTS
        and rule.offset is not None
        and rule.offset.amount > 0
    )


def _self_evaluation(rule) -> bool:
    """The evaluation phase's window, or its deadline met by a self-evaluation."""
    if rule.phase is not Phase.EVALUATION:
        return False
    return isinstance(rule, WindowRule) or (
        isinstance(rule, DeadlineRule)
        and rule.done_fact == "self_evaluation_date"
        and rule.offset is not None
    )


def _om_funding(rule) -> bool:
    """The O&M funding phase's conditions, caps and thresholds (not its application deadlines)."""
    return rule.phase is Phase.OM_FUNDING and isinstance(rule, ConditionRule | RatioCapRule | ThresholdRule)


def _negative_list(rule) -> bool:
    return isinstance(rule, NegativeListRule) and rule.phase is Phase.INTAKE


# ---------------------------------------------------------------------------- values in words


def _fact(name: str) -> str:
    return fact_label(name, english=english())


def _since(name: str) -> str:
    """「竣工验收日期」 → 「竣工验收」: the event a period is counted from."""
    label = _fact(name)
    return label[: -len("日期")] if label.endswith("日期") and len(label) > 2 else label


def _entry(rule, text: str, items: Iterable[str] = ()) -> Entry:
    return Entry(
        text=text,
        article=cited_article(rule.citation),
        items=tuple(items),
        switched_off=rule.switched_off is not None,
    )


def _show_supervision(rule, spec) -> Entry:
    if isinstance(rule, ThresholdRule):
        sign = OP_SIGNS.get(rule.op, rule.op)
        return _entry(
            rule,
            f"{sign} {amount_of(rule.fact, rule.value)}",
            [_("counted on: %(fact)s") % {"fact": _fact(rule.fact)}],
        )
    applies = [condition_text(as_data(rule.applies_when), _names(spec))] if rule.applies_when else []
    return _entry(rule, _("No amount threshold: %(title)s") % {"title": in_language(rule.title)}, applies)


def _names(spec: RulePackSpec) -> Names:
    """The pack's category names, for conditions on the category."""
    return Names({"categories": [category.model_dump() for category in spec.categories]}, {})


def as_data(condition) -> Any:
    """A parsed condition back as the data of the grammar (what `condition_text` says in words)."""
    if isinstance(condition, AllOf):
        return {"all": [as_data(item) for item in condition.items]}
    if isinstance(condition, AnyOf):
        return {"any": [as_data(item) for item in condition.items]}
    if isinstance(condition, Not):
        return {"not": as_data(condition.item)}
    if isinstance(condition, Comparison):
        value = condition.value
        if isinstance(value, FactRef):
            value = {"fact": value.fact, "times": value.times}
        elif isinstance(value, tuple | list | set | frozenset):
            value = list(value)
        return {"fact": condition.fact, "op": condition.op, "value": value}
    return condition


def _amounts(condition) -> list[str]:
    """The amount comparisons in a condition (facts in 万元), in words."""
    if condition is None:
        return []
    if isinstance(condition, AllOf | AnyOf):
        return [text for item in condition.items for text in _amounts(item)]
    if isinstance(condition, Not):
        return _amounts(condition.item)
    if isinstance(condition, Comparison) and condition.fact.endswith("_wan") and condition.op in OP_SIGNS:
        return [condition_text(as_data(condition))]
    return []


def _show_tracks(rule: TrackRule, spec) -> Entry:
    items = []
    for option in rule.options:
        amounts = _amounts(option.when)
        if amounts:
            items.append(f"{in_language(option.name)}：{'；'.join(amounts)}")
    if not items:
        names = "、".join(in_language(option.name) for option in rule.options)
        return _entry(rule, _("Not by amount: %(tracks)s") % {"tracks": names})
    return _entry(rule, in_language(rule.title), items)


def _show_tolerance(rule: ChangeToleranceRule, spec) -> Entry:
    items = []
    if rule.new_content_max_ratio is not None:
        items.append(_("New content at most %(ratio)s") % {"ratio": percent(rule.new_content_max_ratio)})
    if rule.new_content_max_wan is not None:
        items.append(
            _("New content at most %(amount)s") % {"amount": amount_of("_wan", rule.new_content_max_wan)}
        )
    if rule.exclude_tender_savings:
        items.append(_("Tender savings are not counted"))
    if rule.only_before_procurement:
        items.append(_("Only before procurement"))
    return _entry(rule, percent(rule.max_ratio), items)


def _show_deadline(rule: DeadlineRule, spec) -> Entry:
    anchor = rule.anchor if isinstance(rule.anchor, str) else None
    since = _since(anchor) if anchor else in_language(rule.title)
    return _entry(
        rule,
        _("within %(offset)s after %(since)s")
        % {"offset": offset_text(rule.offset.model_dump()), "since": since},
    )


def _show_evaluation(rule, spec) -> Entry:
    if isinstance(rule, WindowRule):
        opens, closes = rule.opens, rule.closes
        if opens.unit == closes.unit:
            span = f"{number(opens.amount)}–{offset_text(closes.model_dump())}"
        else:
            span = f"{offset_text(opens.model_dump())}–{offset_text(closes.model_dump())}"
        return _entry(rule, _("%(span)s after %(since)s") % {"span": span, "since": _since(rule.anchor)})
    return _show_deadline(rule, spec)


def _show_om(rule, spec) -> Entry:
    if isinstance(rule, RatioCapRule):
        text = _("%(fact)s ≤ %(ratio)s of %(base)s") % {
            "fact": _fact(rule.fact),
            "ratio": percent(rule.max_ratio),
            "base": _fact(rule.base_fact),
        }
        return _entry(rule, f"{in_language(rule.title)}：{text}")
    if isinstance(rule, ThresholdRule):
        text = f"{_fact(rule.fact)} {OP_SIGNS.get(rule.op, rule.op)} {amount_of(rule.fact, rule.value)}"
        return _entry(rule, f"{in_language(rule.title)}：{text}")
    return _entry(rule, in_language(rule.title), [condition_text(as_data(rule.condition), _names(spec))])


def _show_negative_list(rule: NegativeListRule, spec) -> Entry:
    items = [item.clause + in_language(item.text) for item in rule.items]
    count = _("%(n)s items") % {"n": len(items)}
    return _entry(rule, f"{in_language(rule.title)}：{count}", items)


THEMES = (
    Theme(
        "supervision",
        gettext_lazy("Supervision (监理) threshold"),
        gettext_lazy("Rules whose effect is engaging a supervisor"),
        _supervision,
        _show_supervision,
    ),
    Theme(
        "approval_tracks",
        gettext_lazy("Approval track thresholds"),
        gettext_lazy("Approval-phase track rules: the amounts that choose a track"),
        _tracks,
        _show_tracks,
    ),
    Theme(
        "change_tolerance",
        gettext_lazy("Change tolerance"),
        gettext_lazy("Change-tolerance rules: the share of the approved estimate a unit may change"),
        _tolerance,
        _show_tolerance,
    ),
    Theme(
        "acceptance_deadline",
        gettext_lazy("Acceptance deadline"),
        gettext_lazy("Acceptance-phase deadlines met by the acceptance"),
        _acceptance_deadline,
        _show_deadline,
    ),
    Theme(
        "self_evaluation",
        gettext_lazy("Self-evaluation window"),
        gettext_lazy("Evaluation-phase windows and self-evaluation deadlines"),
        _self_evaluation,
        _show_evaluation,
    ),
    Theme(
        "om_funding",
        gettext_lazy("O&M funding conditions"),
        gettext_lazy("O&M funding-phase conditions, caps and thresholds"),
        _om_funding,
        _show_om,
    ),
    Theme(
        "negative_lists",
        gettext_lazy("Negative lists"),
        gettext_lazy("Negative lists screened at declaration"),
        _negative_list,
        _show_negative_list,
    ),
)


def cell(theme: Theme, spec: RulePackSpec) -> Cell:
    return Cell(tuple(theme.show(rule, spec) for rule in spec.rules if theme.select(rule)))


# ---------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Column:
    jurisdiction: Jurisdiction
    pack: RulePack
    spec: RulePackSpec
    status: dict[str, Any]
    mine: bool  # the reader is a member of this jurisdiction

    @property
    def measure(self) -> str:
        return in_language(self.spec.measure.title)

    @property
    def status_message(self) -> str:
        return in_language(self.status["message"])


@dataclass(frozen=True)
class Row:
    theme: Theme
    cells: tuple[Cell, ...]

    @property
    def label(self) -> str:
        return str(self.theme.label)


@dataclass
class Comparison_:
    as_of: dt.date
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "jurisdictions": [
                {
                    "code": column.jurisdiction.code,
                    "name": column.jurisdiction.name,
                    "version": column.pack.version,
                    "measure": column.measure,
                    "document_number": column.spec.measure.document_number,
                    "measure_status": column.status["state"],
                    "mine": column.mine,
                }
                for column in self.columns
            ],
            "themes": [
                {
                    "code": row.theme.code,
                    "label": row.label,
                    "selects": str(row.theme.says),
                    "cells": {
                        column.jurisdiction.code: cell.to_dict()
                        for column, cell in zip(self.columns, row.cells, strict=True)
                    },
                }
                for row in self.rows
            ],
        }


def packs_in_force(as_of: dt.date) -> list[tuple[Jurisdiction, RulePack]]:
    """Each jurisdiction that has a pack, with its version in force on `as_of`: two queries in all.

    The contents stay deferred: a version's spec is validated once per process (RulePack.spec).
    """
    jurisdictions = {j.pk: j for j in Jurisdiction.objects.all()}
    by_jurisdiction: dict[int, list[RulePack]] = {}
    for pack in RulePack.objects.defer("content"):
        by_jurisdiction.setdefault(pack.jurisdiction_id, []).append(pack)
    found = []
    for jurisdiction_id, versions in by_jurisdiction.items():
        jurisdiction = jurisdictions.get(jurisdiction_id)
        pack = in_force(versions, as_of)
        if jurisdiction is not None and pack is not None:
            pack.jurisdiction = jurisdiction
            found.append((jurisdiction, pack))
    return sorted(found, key=lambda pair: (str(pair[0].name), pair[0].code))


def comparison(user, *, as_of: dt.date | None = None) -> Comparison_:
    """The themes × the jurisdictions with a pack, from the versions in force on `as_of` (today)."""
    from jurisdictions.models import memberships_of

    as_of = as_of or timezone.localdate()
    mine = {m.jurisdiction_id for m in memberships_of(user)}
    columns = [
        Column(jurisdiction, pack, pack.spec, measure_status(pack.spec, as_of), jurisdiction.pk in mine)
        for jurisdiction, pack in packs_in_force(as_of)
    ]
    table = Comparison_(as_of, columns)
    table.rows = [Row(theme, tuple(cell(theme, column.spec) for column in columns)) for theme in THEMES]
    return table
