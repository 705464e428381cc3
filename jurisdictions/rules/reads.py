"""Which facts a rule pack reads, in the order and grouping of its measure.

The project form asks for the declared facts the pack of the project's jurisdiction reads,
grouped by the article of the first rule that reads each one (e.g. 第六条), so that a person
answers them as the measure asks them. Pure: the spec in, names out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from jurisdictions.rules.conditions import AllOf, AnyOf, Comparison, FactRef, Not
from jurisdictions.rules.engine import change_tolerance_facts
from jurisdictions.rules.facts import FACT_SOURCES, FactSource
from jurisdictions.rules.schema import (
    ChangeToleranceRule,
    ConditionRule,
    DeadlineRule,
    NegativeListRule,
    RatioCapRule,
    RequiredDocumentsRule,
    RulePackSpec,
    ThresholdRule,
    TrackRule,
    WindowRule,
)

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100}


def article_number(article: str) -> int:
    """第四十三条 → 43 (the schema allows only such articles)."""
    total, digit = 0, None
    for char in article.removeprefix("第").removesuffix("条"):
        if char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            digit = _DIGITS[char]
    return total + (digit or 0)


def condition_facts(condition) -> Iterator[str]:
    """The facts a condition names, in the order it names them (repeats included)."""
    if condition is None:
        return
    if isinstance(condition, AllOf | AnyOf):
        for item in condition.items:
            yield from condition_facts(item)
    elif isinstance(condition, Not):
        yield from condition_facts(condition.item)
    elif isinstance(condition, Comparison):
        yield condition.fact
        if isinstance(condition.value, FactRef):
            yield condition.value.fact


def rule_facts(rule) -> Iterator[str]:
    """The facts one rule reads: its `applies_when` first, then what its kind reads."""
    yield from condition_facts(rule.applies_when)
    if isinstance(rule, ThresholdRule):
        yield rule.fact
    elif isinstance(rule, RatioCapRule):
        yield from (rule.fact, rule.base_fact)
    elif isinstance(rule, ConditionRule):
        yield from condition_facts(rule.condition)
    elif isinstance(rule, TrackRule):
        for option in rule.options:
            yield from condition_facts(option.when)
    elif isinstance(rule, RequiredDocumentsRule):
        for requirement in rule.documents:
            yield from condition_facts(requirement.when)
        yield "documents"
    elif isinstance(rule, NegativeListRule):
        yield "negative_list_answers"
    elif isinstance(rule, DeadlineRule):
        yield from rule.anchor_facts
        if rule.extension is not None:
            yield from (rule.extension.applied_fact, rule.extension.new_due_fact)
        yield from (name for name in (rule.since, rule.done_fact) if name)
    elif isinstance(rule, WindowRule):
        yield rule.anchor
        if rule.done_fact:
            yield rule.done_fact
    elif isinstance(rule, ChangeToleranceRule):
        yield from change_tolerance_facts(rule)
        if rule.exclude_tender_savings:
            yield "tender_savings_wan"


@dataclass(frozen=True)
class FactGroup:
    """The facts first read by the rules of one article, e.g. 第六条: is_new_build, …"""

    article: str
    facts: tuple[str, ...]


def facts_read(pack: RulePackSpec, *, phases: Iterable[str] | None = None) -> list[str]:
    """Every fact the pack's rules (of `phases`, when given) read, once, in the order of the rules."""
    wanted = set(phases) if phases is not None else None
    seen: dict[str, None] = {}
    for rule in pack.rules:
        if wanted is None or rule.phase.value in wanted:
            seen.update(dict.fromkeys(rule_facts(rule)))
    return list(seen)


def fact_groups(
    pack: RulePackSpec,
    *,
    source: FactSource | None = FactSource.DECLARED,
    exclude: Iterable[str] = (),
    phases: Iterable[str] | None = None,
) -> list[FactGroup]:
    """The facts (of `source`; all when None) the pack reads, grouped by article in the measure's order.

    Each fact sits under the article of the first rule (in the pack's order) that reads it;
    groups follow the articles' numbers, facts within a group the order the rules read them.
    """
    wanted = set(phases) if phases is not None else None
    skipped = set(exclude)
    placed: set[str] = set()
    groups: dict[str, list[str]] = {}
    for rule in pack.rules:
        if wanted is not None and rule.phase.value not in wanted:
            continue
        for name in rule_facts(rule):
            if name in placed or name in skipped:
                continue
            if source is not None and FACT_SOURCES.get(name) is not source:
                continue
            placed.add(name)
            groups.setdefault(rule.citation.article, []).append(name)
    ordered = sorted(groups.items(), key=lambda item: article_number(item[0]))
    return [FactGroup(article, tuple(names)) for article, names in ordered]
