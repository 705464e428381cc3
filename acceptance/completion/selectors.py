"""What the trial-run and acceptance records show: the measure's parts (from the pack's rules), the
records, the deadline, the checklist and what follows acceptance.

Which parts a project has is pack data, never a jurisdiction's name: a check before acceptance is
offered where a rule reads its fact (`pre_acceptance_passed` 包头 第二十二条, `archive_accepted`
鄂尔多斯 第二十二条), the stable date where a rule counts from it (红山 第二十八条), the delay
application where the acceptance deadline has an `extension`, the standard where a rule waits for
`standard_published_date` (莱州 第十五条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from acceptance.completion.models import (
    AcceptanceApplication,
    AcceptanceCheck,
    AcceptanceDelay,
    ApplicationStatus,
    CheckKind,
    CheckStatus,
    DelayStatus,
    TrialRun,
)
from govproj.i18n import english, in_language
from jurisdictions.models import Role
from jurisdictions.rules import evaluate
from jurisdictions.rules.facts import fact_label
from jurisdictions.rules.reads import facts_read, rule_facts
from jurisdictions.rules.schema import DeadlineRule, RequiredDocumentsRule, ThresholdRule, cited_article
from jurisdictions.selectors import working_calendar
from projects.models import Phase
from projects.selectors import filer_ids, pack_for_project, project_facts, project_verdicts, roles_of

# The fact each check before acceptance decides.
CHECK_FACTS = {CheckKind.PRE_ACCEPTANCE: "pre_acceptance_passed", CheckKind.ARCHIVE: "archive_accepted"}
APPLYING = ("apply_for_acceptance", "accept")
# Phases in which the records are shown (the trial run is recorded from construction on).
SHOWN_PHASES = {
    Phase.IN_CONSTRUCTION,
    Phase.TRIAL_OPERATION,
    Phase.IN_ACCEPTANCE,
    Phase.IN_OPERATION,
    Phase.DECOMMISSIONED,
}


@dataclass(frozen=True)
class Parts:
    """What the project's measure asks for around acceptance (read from its rules)."""

    checks: tuple[tuple[str, Any], ...]  # (kind, the rule that reads its fact)
    stable: Any  # the rule counting from the stable trial run, or None
    delay: DeadlineRule | None  # the acceptance deadline with an extension (延期验收)
    filing: bool  # the application is the 竣工验收备案表 (a rule reads acceptance_filing_date)
    standard: Any  # the rule waiting for standard_published_date, or None
    free_om: tuple[Any, ...] = field(default=())  # rules on the free O&M period (free_om_years)


def _first_reading(spec, fact: str):
    return next((rule for rule in spec.rules if fact in set(rule_facts(rule))), None)


def measure_parts(spec) -> Parts:
    read = set(facts_read(spec))
    checks = tuple((kind, _first_reading(spec, fact)) for kind, fact in CHECK_FACTS.items() if fact in read)
    delay = next(
        (
            rule
            for rule in spec.rules
            if isinstance(rule, DeadlineRule)
            and rule.extension is not None
            and rule.extension.new_due_fact == "acceptance_delay_new_due_date"
        ),
        None,
    )
    standard = next(
        (r for r in spec.rules if isinstance(r, DeadlineRule) and r.done_fact == "standard_published_date"),
        None,
    )
    free_om = tuple(r for r in spec.rules if isinstance(r, ThresholdRule) and r.fact == "free_om_years")
    return Parts(
        checks=checks,
        stable=_first_reading(spec, "trial_run_stable_date") if "trial_run_stable_date" in read else None,
        delay=delay,
        filing="acceptance_filing_date" in read,
        standard=standard,
        free_om=free_om,
    )


def check_fact(kind: str) -> str:
    return CHECK_FACTS[CheckKind(kind)]


def deadline(project, verdicts, parts: Parts, *, calendar=None, today=None) -> dict[str, Any] | None:
    """The acceptance deadline from the engine's verdict: due date, working days left, overdue, extension."""
    if parts.delay is None:
        return None
    verdict = next((v for v in verdicts if v.rule_id == parts.delay.id), None)
    if verdict is None:
        return None
    data = verdict.data
    anchor_fact = parts.delay.anchor if isinstance(parts.delay.anchor, str) else ""
    info = {
        "title": in_language(verdict.title),
        "article": cited_article(verdict.citation),
        "message": in_language(verdict.message),
        "outcome": verdict.outcome.value,
        "anchor_fact": anchor_fact,
        "anchor_label": fact_label(anchor_fact, english=english()) if anchor_fact else "",
        "due_date": data.get("due_date"),
        "original_due_date": data.get("original_due_date"),
        "extension": data.get("extension"),
        "done_on": data.get("done_on"),
        "pending": verdict.outcome.value == "unknown"
        and data.get("missing_facts") == [parts.delay.extension.new_due_fact],
    }
    due = info["due_date"]
    if due is None:
        return info
    today = today or timezone.localdate()
    calendar = calendar or working_calendar(project.jurisdiction_id)
    if due >= today:
        left = calendar.working_days_between(today, due).days
    else:
        left = -calendar.working_days_between(due, today).days
    info.update(
        working_days_left=left, overdue_days=max(-left, 0), overdue=info["done_on"] is None and today > due
    )
    return info


def current_due_date(project, verdicts, parts: Parts) -> dt.date | None:
    verdict = next((v for v in verdicts if parts.delay and v.rule_id == parts.delay.id), None)
    return verdict.data.get("due_date") if verdict is not None else None


def _documents_of(verdict, spec) -> list[dict[str, Any]]:
    """The rule's required documents, each on file or missing (as the engine found them)."""
    names = {d.code: d.name for d in spec.documents}
    missing = {d["code"] for d in verdict.data.get("missing", [])}
    rows = []
    for code in verdict.data.get("required", []):
        name = names.get(code)
        rows.append(
            {
                "code": code,
                "name": in_language(name) if name is not None else code,
                "on_file": code not in missing,
            }
        )
    return rows


def checklist(pack, verdicts) -> tuple[list[dict], list[dict]]:
    """The acceptance checklist and the documents due after acceptance, each rule with its documents.

    Before: required-documents verdicts whose stage is acceptance or that hold up applying for or
    granting acceptance; after: the acceptance phase's other required documents (filing, assets).
    """
    rules = {r.id: r for r in pack.spec.rules if isinstance(r, RequiredDocumentsRule)}
    before, after = [], []
    for verdict in verdicts:
        rule = rules.get(verdict.rule_id)
        if rule is None:
            continue
        blocks = set(verdict.blocks) & set(APPLYING)
        is_before = rule.stage == "acceptance" or (blocks and rule.phase.value in ("acceptance",))
        is_after = not is_before and rule.phase.value == "acceptance"
        if not (is_before or is_after):
            continue
        row = {
            "rule_id": verdict.rule_id,
            "title": in_language(verdict.title),
            "article": cited_article(verdict.citation),
            "outcome": verdict.outcome.value,
            "applies": verdict.outcome.value != "not_applicable",
            "stage": rule.stage,
            "documents": _documents_of(verdict, pack.spec),
        }
        (before if is_before else after).append(row)
    return before, after


def trial_documents(pack, verdicts) -> list[dict[str, Any]]:
    """The trial-run reports the document rules ask for (试运行报告（含用户使用评价）, 红山 第二十八条;
    试运行效果 in the yearly reports), each with its article, on file or missing."""
    rules = {r.id for r in pack.spec.rules if isinstance(r, RequiredDocumentsRule)}
    found: dict[str, dict[str, Any]] = {}
    for verdict in verdicts:
        if verdict.rule_id not in rules or verdict.outcome.value == "not_applicable":
            continue
        for doc in _documents_of(verdict, pack.spec):
            if doc["code"].startswith("trial_run") and doc["code"] not in found:
                found[doc["code"]] = {**doc, "article": cited_article(verdict.citation)}
    return list(found.values())


def applying_today(project, pack, parts: Parts) -> list:
    """The verdicts as if the department applied today (the application files the 备案表 where it is one)."""
    today = timezone.localdate()
    facts = project_facts(project)
    facts.setdefault("acceptance_applied_date", today)
    if parts.filing:
        facts.setdefault("acceptance_filing_date", today)
    return evaluate(
        pack.spec, facts, as_of=today, calendar=working_calendar(project.jurisdiction_id), parsed=True
    )


def _verdict_row(verdict) -> dict[str, Any]:
    return {
        "rule_id": verdict.rule_id,
        "title": in_language(verdict.title),
        "article": cited_article(verdict.citation),
        "message": in_language(verdict.message),
        "outcome": verdict.outcome.value,
        "due_date": verdict.data.get("due_date"),
    }


def is_staff(user, project) -> bool:
    return user.is_superuser or Role.DEPARTMENT_STAFF in roles_of(user, project)


def is_approver(user, project) -> bool:
    """The reviewer (or their delegate) who is not a filer of the project."""
    from acceptance.completion.services import APPROVER
    from approvals.acting import acting_as

    acting = acting_as(user, project.jurisdiction_id, APPROVER)
    return acting is not None and not (acting.people() & filer_ids(project))


def acceptance_overview(user, project, *, pack=None, verdicts=None) -> dict[str, Any]:
    """Everything the section, the pages and the API show about the project's trial run and acceptance."""
    if pack is None or verdicts is None:
        pack, verdicts = project_verdicts(project)
    parts = measure_parts(pack.spec)
    trial = TrialRun.objects.filter(project=project).first()
    checks = list(
        AcceptanceCheck.objects.filter(project=project).select_related("requested_by", "decided_by")
    )
    delays = list(AcceptanceDelay.objects.filter(project=project).select_related("applied_by", "decided_by"))
    applications = list(
        AcceptanceApplication.objects.filter(project=project).select_related("applied_by", "decided_by")
    )
    before, after = checklist(pack, verdicts)
    latest = applications[-1] if applications else None
    passed = next((a for a in applications if a.status == ApplicationStatus.PASSED), None)
    phase = project.phase
    staff = is_staff(user, project)
    approver = is_approver(user, project)
    check_lines = []
    for kind, rule in parts.checks:
        rows = [c for c in checks if c.kind == kind]
        last = rows[-1] if rows else None
        check_lines.append(
            {
                "kind": kind,
                "label": CheckKind(kind).label,
                "title": in_language(rule.title) if rule else "",
                "article": cited_article(rule.citation) if rule else "",
                "latest": last,
                "earlier": rows[:-1],
                "passed": last is not None and last.status == CheckStatus.PASSED,
                "may_request": staff
                and phase in (Phase.TRIAL_OPERATION, Phase.IN_ACCEPTANCE)
                and (last is None or last.status == CheckStatus.FAILED),
                "may_decide": approver and last is not None and last.status == CheckStatus.REQUESTED,
            }
        )
    pending_delay = next((d for d in delays if d.status == DelayStatus.PENDING), None)
    clock = deadline(project, verdicts, parts)
    not_accepted = phase in (Phase.TRIAL_OPERATION, Phase.IN_ACCEPTANCE) and passed is None
    blocking_apply = (
        [
            _verdict_row(v)
            for v in applying_today(project, pack, parts)
            if v.blocks_transition("apply_for_acceptance")
        ]
        if phase == Phase.TRIAL_OPERATION
        else []
    )
    blocking_accept = [_verdict_row(v) for v in verdicts if v.blocks_transition("accept")]
    standard = next((v for v in verdicts if parts.standard and v.rule_id == parts.standard.id), None)
    free_om = [_verdict_row(v) for v in verdicts if any(v.rule_id == r.id for r in parts.free_om)]
    may = {
        "record_trial_run": staff and phase == Phase.IN_CONSTRUCTION and trial is None,
        "record_stable": staff
        and parts.stable is not None
        and trial is not None
        and trial.stable_date is None
        and phase == Phase.TRIAL_OPERATION,
        "apply_delay": staff
        and parts.delay is not None
        and not_accepted
        and pending_delay is None
        and clock is not None
        and clock.get("due_date") is not None,
        "decide_delay": approver and pending_delay is not None,
        "apply": staff
        and (
            phase == Phase.TRIAL_OPERATION
            or (
                phase == Phase.IN_ACCEPTANCE
                and latest is not None
                and latest.status == ApplicationStatus.NOT_PASSED
            )
        ),
        "decide": approver
        and phase == Phase.IN_ACCEPTANCE
        and latest is not None
        and latest.status == ApplicationStatus.SUBMITTED,
        "record_standard": staff
        and passed is not None
        and standard is not None
        and standard.outcome.value != "not_applicable"
        and passed.standard_published_date is None,
    }
    return {
        "parts": parts,
        "trial": trial,
        "checks": check_lines,
        "delays": delays,
        "pending_delay": pending_delay,
        "clock": clock,
        "applications": applications,
        "latest": latest,
        "passed": passed,
        "checklist": before,
        "trial_documents": trial_documents(pack, verdicts),
        "after": after,
        "blocking_apply": blocking_apply,
        "blocking_accept": blocking_accept,
        "standard": _verdict_row(standard) if standard is not None else None,
        "free_om": free_om,
        "may": may,
    }


def acceptance_shown(project) -> bool:
    return project.phase in SHOWN_PHASES


def pack_parts(project) -> Parts:
    return measure_parts(pack_for_project(project).spec)
