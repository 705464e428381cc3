"""A small and/or grammar over facts, evaluated against plain dicts (no code is stored).

    {all: [c, ...]}  {any: [c, ...]}  {not: c}
    {fact: total_investment_wan, op: gte, value: 60}
    {fact: is_urgent, op: is_true}          {fact: documents, op: contains, value: fsr}
    {fact: construction_start_date, op: lt, value: {fact: approval_date}}
    {fact: total_investment_wan, op: lte, value: {fact: original_investment_wan, times: 0.15}}

A comparison's value may be another fact of the same kind (dates with dates, numbers with
numbers, the latter optionally scaled by `times`), so a rule can say "started before it was
approved" or "at most 15% of the original investment" without a fact made up for it.

Evaluation is three-valued: a comparison on a fact that is not given is None (unknown),
so a rule can say which facts it still needs instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jurisdictions.rules.facts import FactType, fact_type

COMPARISONS = {
    "eq",
    "ne",
    "gt",
    "gte",
    "lt",
    "lte",
    "in",
    "not_in",
    "contains",
    "is_true",
    "is_false",
    "is_set",
}
UNARY = {"is_true", "is_false", "is_set"}
ORDERED = {"gt", "gte", "lt", "lte"}


@dataclass(frozen=True)
class FactRef:
    """The value of another fact, scaled by `times` for numbers (e.g. 0.15 × the original)."""

    fact: str
    times: Decimal | None = None

    def resolve(self, facts: dict[str, Any]) -> Any:
        value = facts.get(self.fact)
        if value is None or self.times is None:
            return value
        return value * self.times


@dataclass(frozen=True)
class Comparison:
    fact: str
    op: str
    value: Any = None

    def facts(self) -> set[str]:
        if isinstance(self.value, FactRef):
            return {self.fact, self.value.fact}
        return {self.fact}


@dataclass(frozen=True)
class AllOf:
    items: tuple

    def facts(self) -> set[str]:
        return set().union(*(c.facts() for c in self.items))


@dataclass(frozen=True)
class AnyOf:
    items: tuple

    def facts(self) -> set[str]:
        return set().union(*(c.facts() for c in self.items))


@dataclass(frozen=True)
class Not:
    item: Any

    def facts(self) -> set[str]:
        return self.item.facts()


Condition = Comparison | AllOf | AnyOf | Not


def _typed_value(fact: str, kind: FactType, op: str, value: Any) -> Any:
    if op in UNARY:
        if value is not None:
            raise ValueError(f"`{op}` takes no value")
        if op in {"is_true", "is_false"} and kind is not FactType.BOOLEAN:
            raise ValueError(f"`{op}` needs a boolean fact; `{fact}` is {kind.value}")
        return None
    if op in {"in", "not_in"}:
        if not isinstance(value, list) or not value:
            raise ValueError(f"`{op}` needs a non-empty list value")
        return tuple(_scalar(fact, kind, v) for v in value)
    if op == "contains":
        if kind not in {FactType.STRING_SET, FactType.BOOLEAN_MAP}:
            raise ValueError(f"`contains` needs a set fact; `{fact}` is {kind.value}")
        if not isinstance(value, str):
            raise ValueError("`contains` needs a string value")
        return value
    if op in ORDERED and kind not in {FactType.DECIMAL, FactType.INTEGER, FactType.DATE}:
        raise ValueError(f"`{op}` needs a number or date fact; `{fact}` is {kind.value}")
    if isinstance(value, dict):
        return _fact_ref(fact, kind, value)
    return _scalar(fact, kind, value)


NUMBERS = {FactType.DECIMAL, FactType.INTEGER}


def _fact_ref(fact: str, kind: FactType, raw: dict) -> FactRef:
    """`value: {fact: other, times: 0.15}`: compare with another fact of the same kind."""
    unknown = set(raw) - {"fact", "times"}
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))} in a compared fact")
    other = raw.get("fact")
    other_kind = fact_type(other) if isinstance(other, str) else None
    if other_kind is None:
        raise ValueError(f"unknown fact `{other}`")
    if kind is FactType.DATE:
        if other_kind is not FactType.DATE:
            raise ValueError(f"`{fact}` compares a date with a date; `{other}` is {other_kind.value}")
        if "times" in raw:
            raise ValueError("`times` is for numbers, not dates")
        return FactRef(other)
    if kind in NUMBERS:
        if other_kind not in NUMBERS:
            raise ValueError(f"`{fact}` compares a number with a number; `{other}` is {other_kind.value}")
        if "times" not in raw:
            return FactRef(other)
        times = raw["times"]
        try:
            if isinstance(times, bool) or not isinstance(times, int | float | str | Decimal):
                raise InvalidOperation
            factor = Decimal(str(times))
        except InvalidOperation:
            factor = None
        if factor is None or not factor.is_finite() or factor <= 0:
            raise ValueError(f"`times` must be a positive number, got {times!r}")
        return FactRef(other, factor)
    raise ValueError(f"`{fact}` compares with a {kind.value}, not with another fact")


def _scalar(fact: str, kind: FactType, value: Any) -> Any:
    if kind is FactType.DECIMAL:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            raise ValueError(f"`{fact}` compares with a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"`{fact}` compares with a number, got {value!r}") from exc
        if not number.is_finite():
            raise ValueError(f"`{fact}` compares with a finite number")
        return number
    if kind is FactType.DATE:
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            return dt.date.fromisoformat(value)
        raise ValueError(f"`{fact}` compares with a date YYYY-MM-DD")
    if kind is FactType.BOOLEAN and not isinstance(value, bool):
        raise ValueError(f"`{fact}` compares with true or false")
    if kind in {FactType.STRING, FactType.STRING_SET, FactType.BOOLEAN_MAP} and not isinstance(value, str):
        raise ValueError(f"`{fact}` compares with a string")
    if kind is FactType.INTEGER and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValueError(f"`{fact}` compares with a whole number")
    return value


def parse_condition(raw: Any) -> Condition:
    """Build a condition from YAML data; raise ValueError saying what is wrong."""
    if isinstance(raw, Comparison | AllOf | AnyOf | Not):
        return raw
    if not isinstance(raw, dict):
        raise ValueError("a condition is an object with `all`, `any`, `not` or `fact`")
    keys = set(raw)
    if keys == {"all"} or keys == {"any"}:
        key = keys.pop()
        items = raw[key]
        if not isinstance(items, list) or not items:
            raise ValueError(f"`{key}` needs a non-empty list of conditions")
        parsed = tuple(parse_condition(item) for item in items)
        return AllOf(parsed) if key == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse_condition(raw["not"]))
    if "fact" in keys:
        unknown = keys - {"fact", "op", "value"}
        if unknown:
            raise ValueError(f"unknown key(s) {', '.join(sorted(unknown))} in a comparison")
        fact = raw["fact"]
        kind = fact_type(fact) if isinstance(fact, str) else None
        if kind is None:
            raise ValueError(f"unknown fact `{fact}`")
        op = raw.get("op", "is_true")
        if op not in COMPARISONS:
            raise ValueError(f"unknown op `{op}`; use one of {', '.join(sorted(COMPARISONS))}")
        return Comparison(fact=fact, op=op, value=_typed_value(fact, kind, op, raw.get("value")))
    raise ValueError("a condition is an object with `all`, `any`, `not` or `fact`")


def evaluate_condition(condition: Condition, facts: dict[str, Any]) -> bool | None:
    """True, False, or None when a fact it needs is missing (Kleene logic)."""
    if isinstance(condition, AllOf):
        results = [evaluate_condition(c, facts) for c in condition.items]
        if any(r is False for r in results):
            return False
        return None if any(r is None for r in results) else True
    if isinstance(condition, AnyOf):
        results = [evaluate_condition(c, facts) for c in condition.items]
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if isinstance(condition, Not):
        result = evaluate_condition(condition.item, facts)
        return None if result is None else not result
    value = facts.get(condition.fact)
    op = condition.op
    if op == "is_set":
        return value is not None
    if value is None:
        return None
    if op == "is_true":
        return value is True
    if op == "is_false":
        return value is False
    if op == "contains":
        return bool(value.get(condition.value)) if isinstance(value, dict) else condition.value in value
    if op == "in":
        return value in condition.value
    if op == "not_in":
        return value not in condition.value
    other = condition.value
    if isinstance(other, FactRef):
        other = other.resolve(facts)
        if other is None:
            return None
    if op == "eq":
        return value == other
    if op == "ne":
        return value != other
    return {
        "gt": value > other,
        "gte": value >= other,
        "lt": value < other,
        "lte": value <= other,
    }[op]


def missing_facts(condition: Condition | None, facts: dict[str, Any]) -> list[str]:
    if condition is None:
        return []
    return sorted(name for name in condition.facts() if facts.get(name) is None)


# ---------------------------------------------------------------------------- compiled form
# The engine evaluates the same conditions of a pack for every project: `compile_condition`
# turns one into a closure once, so an evaluation does not walk isinstance chains and op
# names. It gives exactly what `evaluate_condition` gives (the tests compare the two).

Compiled = Callable[[dict[str, Any]], bool | None]

_ORDERED_OPS = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}
_EQUALITY_OPS = {"eq": operator.eq, "ne": operator.ne}


def compile_condition(condition: Condition) -> Compiled:
    """A function of the facts giving what `evaluate_condition(condition, facts)` gives."""
    if isinstance(condition, AllOf | AnyOf):
        parts = tuple(compile_condition(c) for c in condition.items)
        decisive = isinstance(condition, AnyOf)  # the value that settles it: True for any, False for all

        def combined(facts: dict[str, Any]) -> bool | None:
            unknown = False
            for part in parts:
                result = part(facts)
                if result is decisive:
                    return decisive
                if result is None:
                    unknown = True
            return None if unknown else not decisive

        return combined
    if isinstance(condition, Not):
        inner = compile_condition(condition.item)

        def negated(facts: dict[str, Any]) -> bool | None:
            result = inner(facts)
            return None if result is None else not result

        return negated
    return _compile_comparison(condition)


def _compile_comparison(condition: Comparison) -> Compiled:
    name, op, expected = condition.fact, condition.op, condition.value
    if op == "is_set":
        return lambda facts: facts.get(name) is not None
    if op in {"is_true", "is_false"}:
        wanted = op == "is_true"

        def flag(facts: dict[str, Any]) -> bool | None:
            value = facts.get(name)
            return None if value is None else value is wanted

        return flag
    if op == "contains":

        def contains(facts: dict[str, Any]) -> bool | None:
            value = facts.get(name)
            if value is None:
                return None
            return bool(value.get(expected)) if isinstance(value, dict) else expected in value

        return contains
    if op in {"in", "not_in"}:
        inside = op == "in"

        def member(facts: dict[str, Any]) -> bool | None:
            value = facts.get(name)
            if value is None:
                return None
            return (value in expected) is inside

        return member
    compare = _ORDERED_OPS.get(op) or _EQUALITY_OPS[op]
    if isinstance(expected, FactRef):
        other_name, times = expected.fact, expected.times

        def against_fact(facts: dict[str, Any]) -> bool | None:
            value = facts.get(name)
            if value is None:
                return None
            other = facts.get(other_name)
            if other is None:
                return None
            return compare(value, other if times is None else other * times)

        return against_fact

    def against_value(facts: dict[str, Any]) -> bool | None:
        value = facts.get(name)
        return None if value is None else compare(value, expected)

    return against_value
