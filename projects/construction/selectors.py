"""What the construction pages and the API read: the records of one project, what the measure asks of
them, and what the user may do now."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from approvals.acting import acting_as
from govproj.i18n import in_language
from jurisdictions.models import Role
from jurisdictions.rules.engine import NOT_SATISFIED, Verdict
from jurisdictions.rules.schema import Outcome
from projects.construction import services
from projects.construction.models import (
    IncidentReport,
    ProcurementRecord,
    ProgressReport,
    SupervisionContract,
)
from projects.construction.rules import report_deadline, supervision_verdicts
from projects.models import Phase, Project
from projects.selectors import project_verdicts, roles_of

# Phases in which the construction records are the project's business (and their section shows).
CONSTRUCTION_PHASES = frozenset(
    {
        Phase.APPROVED,
        Phase.IN_CONSTRUCTION,
        Phase.SUSPENDED,
        Phase.TRIAL_OPERATION,
        Phase.IN_ACCEPTANCE,
        Phase.IN_OPERATION,
        Phase.TERMINATED,
        Phase.DECOMMISSIONED,
    }
)


def _said(verdict: Verdict) -> dict[str, Any]:
    return {
        "rule_id": verdict.rule_id,
        "outcome": verdict.outcome.value,
        "title": in_language(verdict.title),
        "message": in_language(verdict.message),
        "article": verdict.citation.get("article", ""),
        "quote": verdict.citation.get("quote", ""),
        "blocking": verdict.outcome in NOT_SATISFIED or verdict.outcome is Outcome.UNKNOWN,
    }


def supervision_status(project: Project, verdicts: list[Verdict], contract) -> dict[str, Any]:
    """Whether the measure requires supervision of this project, with the articles saying so:
    `required` (a rule blocks construction without it), `optional` (the measure leaves it to the
    unit, which then bears the responsibility), or `reminder` (the measure asks that the system be
    followed, without a threshold)."""
    said = supervision_verdicts(project, verdicts)
    applicable = [v for v in said if v.outcome is not Outcome.NOT_APPLICABLE]
    blocking = [v for v in applicable if v.blocks]
    if blocking:
        status = "required"
    elif any(v.kind == "threshold" and v.outcome is Outcome.PASS for v in applicable):
        status = "optional"  # below the measure's threshold (莱州 第二十三条: the unit bears it)
    elif applicable:
        status = "reminder"
    else:
        status = "none"
    return {
        "status": status,
        "engaged": contract is not None,
        "verdicts": [_said(v) for v in applicable],
        "missing": contract is None and any(v.outcome is not Outcome.PASS for v in blocking),
    }


def report_years(project: Project, reports: list[ProgressReport], started_on) -> list[dict[str, Any]]:
    """Each year of construction from the start to this year: its report, or flagged missing."""
    if started_on is None:
        return []
    today = timezone.localdate()
    by_year = {r.year: r for r in reports}
    accepted = project.phase in (Phase.IN_OPERATION, Phase.DECOMMISSIONED)
    last = max(started_on.year, max(by_year, default=started_on.year))
    last = max(last, today.year) if not accepted else last
    return [
        {
            "year": year,
            "report": by_year.get(year),
            "missing": year not in by_year and year < today.year,
            "due": year not in by_year and year == today.year,
        }
        for year in range(started_on.year, last + 1)
    ]


def may(user, project: Project) -> dict[str, bool]:
    roles = roles_of(user, project)
    staff = user.is_superuser or Role.DEPARTMENT_STAFF in roles
    approver = acting_as(user, project.jurisdiction_id, services.APPROVER) is not None
    return {
        "supervision": staff and project.phase in services.CONTRACT_PHASES,
        "procurement": staff and project.phase in services.CONTRACT_PHASES,
        "report": staff and project.phase in services.REPORT_PHASES,
        "incident": staff and project.phase in services.INCIDENT_PHASES,
        "staff": staff,
        "approver": approver,
    }


def incident_actions(row: IncidentReport, allowed: dict[str, bool]) -> list[str]:
    """What the user may do on the incident now: the department reports a rectification done, the
    approver decides the rest."""
    return [
        action
        for action in services.incident_allowed(row)
        if (allowed["staff"] if action == "report-done" else allowed["approver"])
    ]


def construction_overview(user, project: Project, *, verdicts: list[Verdict] | None = None) -> dict[str, Any]:
    """Everything the construction section, page and API show about one project."""
    if verdicts is None:
        _pack, verdicts = project_verdicts(project)
    contract = SupervisionContract.objects.filter(project=project).select_related("recorded_by").first()
    procurement = ProcurementRecord.objects.filter(project=project).select_related("recorded_by").first()
    reports = list(
        ProgressReport.objects.filter(project=project).select_related("submitted_by").order_by("year")
    )
    incidents = list(
        IncidentReport.objects.filter(project=project)
        .select_related("reported_by", "decided_by", "on_behalf_of", "confirmed_by", "document")
        .order_by("-reported_on", "-pk")
    )
    started = next(
        (v.data.get("since") for v in verdicts if v.data.get("since") is not None),
        None,
    )
    if started is None:
        started = (
            project.events.filter(action="start_construction")
            .order_by("at")
            .values_list("at", flat=True)
            .first()
        )
        started = timezone.localtime(started).date() if started else None
    deadline = report_deadline(project, verdicts)
    allowed = may(user, project)
    return {
        "supervision": contract,
        "supervision_status": supervision_status(project, verdicts, contract),
        "procurement": procurement,
        "reports": reports,
        "report_years": report_years(project, reports, started),
        "report_deadline": _said(deadline) | {"due_date": deadline.data.get("due_date")}
        if deadline is not None and deadline.outcome is not Outcome.NOT_APPLICABLE
        else None,
        "incidents": [{"row": row, "allowed": incident_actions(row, allowed)} for row in incidents],
        "started_on": started,
        "may": allowed,
    }
