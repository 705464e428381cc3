"""What the measure says about the construction records, read from the project's pack by evaluating it
(never by rule ids in code): which documents a yearly report carries, which document reports a serious
delay or loss, and the articles that ask for supervision, reports and rectification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from govproj.i18n import in_language
from jurisdictions.rules import evaluate
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.reads import rule_facts
from jurisdictions.rules.schema import Outcome
from jurisdictions.selectors import working_calendar
from projects.models import Project
from projects.selectors import pack_for_project, project_facts

# The stages of the required-documents rules that list a yearly report's contents (红山 第三十条,
# 南充 第四十三条 监控报告, 莱州 第二十四条, 鄂尔多斯 第十七条).
REPORT_STAGES = frozenset({"performance_report", "construction.performance_report", "monitoring"})


@dataclass
class Requirement:
    """Documents a record must bring, and the article asking for them."""

    codes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # code → name in the reader's language
    articles: list[str] = field(default_factory=list)
    citation: dict[str, Any] = field(default_factory=dict)


def _verdicts(project: Project, overrides: dict[str, Any], as_of: dt.date | None = None) -> list[Verdict]:
    pack = pack_for_project(project)
    facts = {**project_facts(project), **overrides}
    return evaluate(
        pack.spec,
        facts,
        as_of=as_of or timezone.localdate(),
        calendar=working_calendar(project.jurisdiction),
        parsed=True,
    )


def _document_names(project: Project) -> dict[str, str]:
    return {d.code: in_language(d.name) for d in pack_for_project(project).spec.documents}


def _requirement(verdicts: list[Verdict], names: dict[str, str]) -> Requirement:
    found = Requirement()
    for verdict in verdicts:
        for code in verdict.data.get("required", []):
            if code not in found.codes:
                found.codes.append(code)
                found.names[code] = names.get(code, code)
        article = verdict.citation.get("article", "")
        if article and article not in found.articles:
            found.articles.append(article)
        found.citation = found.citation or dict(verdict.citation)
    return found


def report_requirement(project: Project) -> Requirement:
    """The documents a yearly progress / performance report carries under the project's measure."""
    overrides: dict[str, Any] = {"progress_report_date": timezone.localdate()}
    verdicts = [
        v
        for v in _verdicts(project, overrides)
        if v.kind == "required_documents"
        and v.data.get("stage") in REPORT_STAGES
        and v.outcome is not Outcome.NOT_APPLICABLE
    ]
    return _requirement(verdicts, _document_names(project))


def report_deadline(project: Project, verdicts: list[Verdict]) -> Verdict | None:
    """The yearly report's deadline verdict: the deadline rule done by progress_report_date."""
    ids = {
        rule.id
        for rule in pack_for_project(project).spec.rules
        if rule.kind == "deadline" and rule.done_fact == "progress_report_date"
    }
    return next((v for v in verdicts if v.rule_id in ids), None)


def incident_requirement(project: Project) -> Requirement:
    """The documents (and articles) a report of a serious delay, loss or change brings: the required
    documents that apply once serious_delay_or_loss is true and not before."""
    with_issue = _verdicts(project, {"serious_delay_or_loss": True})
    without = {v.rule_id: v.outcome for v in _verdicts(project, {"serious_delay_or_loss": False})}
    verdicts = [
        v
        for v in with_issue
        if v.kind == "required_documents"
        and v.outcome is not Outcome.NOT_APPLICABLE
        and without.get(v.rule_id) is Outcome.NOT_APPLICABLE
    ]
    return _requirement(verdicts, _document_names(project))


def rectification_citation(project: Project) -> dict[str, Any]:
    """The article of the measure's rectification deadline (限期整改), or {} when it has none."""
    for verdict in _verdicts(project, {"rectification_due_date": timezone.localdate()}):
        if verdict.kind == "deadline" and verdict.data.get("anchor") == "rectification_due_date":
            return dict(verdict.citation)
    return {}


def supervision_verdicts(project: Project, verdicts: list[Verdict]) -> list[Verdict]:
    """The verdicts about supervision (监理): the rules reading supervisor_engaged, or whose effect
    is that supervision is required (a threshold on the investment)."""
    ids = {
        rule.id
        for rule in pack_for_project(project).spec.rules
        if rule.kind in ("condition", "threshold")
        and ("supervisor_engaged" in set(rule_facts(rule)) or rule.effect == "supervision_required")
    }
    return [v for v in verdicts if v.rule_id in ids]
