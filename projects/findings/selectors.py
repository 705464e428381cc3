"""What the 「审核认定与运行情况」 section and the finding page read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govproj.i18n import in_language
from jurisdictions.rules.facts import FACT_SOURCES, FactSource, fact_label
from jurisdictions.rules.reads import rule_facts
from projects.findings.models import Finding
from projects.models import Project
from security.selectors import person_name

HISTORY_SHOWN = 10


@dataclass(frozen=True)
class FactRow:
    fact: str
    label: str
    value: Any  # True, False or None (not known)
    decided: bool  # a finding of the approving authority (else the department's statement)
    latest: Finding | None
    may_record: bool


def rules_reading(spec, fact: str) -> list[str]:
    """「第二十六条 运维经费安排条件」 for each rule of the pack that turns on the fact."""
    return [
        f"{rule.citation.article} {in_language(rule.title)}"
        for rule in spec.rules
        if fact in rule_facts(rule)
    ]


def finding_rows(project: Project, facts: list[str], may: set[str]) -> tuple[list[FactRow], list[Finding]]:
    """One row per fact (its value on the project and its latest finding) and the latest findings."""
    history = list(
        Finding.objects.filter(project=project)
        .select_related("recorded_by", "on_behalf_of")
        .order_by("-created_at", "-pk")[: HISTORY_SHOWN * 5]
    )
    latest: dict[str, Finding] = {}
    for finding in history:
        finding.who = person_name(finding.recorded_by)
        if finding.on_behalf_of is not None:
            finding.who = f"{finding.who}（代{person_name(finding.on_behalf_of)}）"
        finding.label = fact_label(finding.fact)
        latest.setdefault(finding.fact, finding)
    stored = project.facts or {}
    rows = [
        FactRow(
            fact=name,
            label=fact_label(name),
            value=stored.get(name),
            decided=FACT_SOURCES[name] is FactSource.DECIDED,
            latest=latest.get(name),
            may_record=name in may,
        )
        for name in facts
    ]
    return rows, history[:HISTORY_SHOWN]
