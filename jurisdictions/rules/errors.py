"""Errors of the rule engine. Each carries a list of problems that name the field or fact."""

from __future__ import annotations


class RuleEngineError(ValueError):
    def __init__(self, problems: list[dict]):
        self.problems = problems
        super().__init__("; ".join(f"{p.get('field') or p.get('fact')}: {p['problem']}" for p in problems))


class PackError(RuleEngineError):
    """A rule pack that does not match the schema; each problem names `field` (a dotted path) and `line`."""


class FactError(RuleEngineError):
    """Facts that are unknown or of the wrong type; each problem names the `fact`."""
