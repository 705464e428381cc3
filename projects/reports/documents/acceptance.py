"""竣工验收备案表 (acceptance_filing): the project's acceptance as a filing form.

The project (department, code, investment), the approval document numbers of its decided stages,
the construction period, the trial run (start, stable since), the acceptance application and its
result, who applied and who decided, the checks before acceptance and delays, the measure's
acceptance deadlines as the engine reads them, and the attachments the measure lists for the
acceptance stage (红山 第二十八条: the 备案表 with the construction summary, the reports …), each
已提交 or 未提交 from the project's documents on file. A measure without such a rule has no list.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
from approvals.stages.models import DECIDED, ApprovalStage, StageStatus
from jurisdictions.rules.schema import DeadlineRule, RequiredDocumentsRule, cited_article
from projects.detail import OUTCOME_LABELS
from projects.reports.documents.printing import stage_name
from projects.reports.kinds import ReportKind, Subject, register
from projects.selectors import project_facts, project_verdicts
from security.selectors import person_name

ACCEPTANCE_STAGE = "acceptance"
RESULTS = {
    ApplicationStatus.SUBMITTED: "待验收",
    ApplicationStatus.PASSED: "验收合格",
    ApplicationStatus.NOT_PASSED: "验收不合格",
}
CHECKS = {CheckKind.PRE_ACCEPTANCE: "竣工验收前置审核", CheckKind.ARCHIVE: "档案验收"}
CHECK_RESULTS = {CheckStatus.REQUESTED: "待审核", CheckStatus.PASSED: "通过", CheckStatus.FAILED: "未通过"}
DELAYS = {DelayStatus.PENDING: "待批复", DelayStatus.GRANTED: "已批准", DelayStatus.REFUSED: "未批准"}


def subjects(user, project) -> list[Subject]:
    if not AcceptanceApplication.objects.filter(project=project).exists():
        return []
    return [Subject(f"project:{project.pk}", "竣工验收备案表")]


def _stages(project, spec) -> list[dict]:
    rows = []
    for stage in (
        ApprovalStage.objects.filter(project=project, status__in=DECIDED)
        .select_related("decided_by")
        .order_by("decision_date", "pk")
    ):
        rows.append(
            {
                "name": stage_name(spec, stage.code),
                "decision": "批复" if stage.status == StageStatus.APPROVED else "备案",
                "document_number": stage.document_number,
                "decision_date": stage.decision_date,
                "amount_wan": stage.approved_amount_wan,
            }
        )
    return rows


def _deadlines(spec, verdicts) -> list[dict]:
    """The acceptance phase's time limits as the engine reads them for the project."""
    rules = {r.id for r in spec.rules if isinstance(r, DeadlineRule) and r.phase.value == ACCEPTANCE_STAGE}
    return [
        {
            "title": verdict.title.zh,
            "article": cited_article(verdict.citation),
            "due_date": verdict.data.get("due_date"),
            "done_on": verdict.data.get("done_on"),
            "outcome": str(OUTCOME_LABELS.get(verdict.outcome.value, "")),
            "failed": verdict.outcome.value == "fail",
            "message": verdict.message.zh,
        }
        for verdict in verdicts
        if verdict.rule_id in rules and verdict.outcome.value != "not_applicable"
    ]


def attachments(spec, verdicts, on_file) -> list[dict]:
    """The acceptance stage's required documents per rule that applies, each submitted or not.

    The documents a rule asks of this project are the engine's (a document asked for only in some
    cases — 涉密 or not, custom software — is listed when it is); on file is the project's documents.
    """
    rules = {
        r.id: r for r in spec.rules if isinstance(r, RequiredDocumentsRule) and r.stage == ACCEPTANCE_STAGE
    }
    lists = []
    for verdict in verdicts:
        rule = rules.get(verdict.rule_id)
        if rule is None or verdict.outcome.value == "not_applicable":
            continue
        codes = verdict.data.get("required") or [d.code for d in rule.documents if d.when is None]
        lists.append(
            {
                "title": rule.title.zh,
                "article": cited_article(verdict.citation),
                "documents": [
                    {"name": spec.document_name(code).zh, "on_file": code in on_file} for code in codes
                ],
            }
        )
    return lists


def context(report, progress) -> dict:
    project = report.project
    pack, verdicts = project_verdicts(project)
    spec = pack.spec
    facts = project_facts(project)
    progress(20, str(_("Collecting the records")))
    applications = list(
        AcceptanceApplication.objects.filter(project=project)
        .select_related("applied_by", "decided_by")
        .order_by("round")
    )
    latest = applications[-1] if applications else None
    trial = TrialRun.objects.filter(project=project).first()
    checks = [
        {
            "name": CHECKS.get(check.kind, ""),
            "result": CHECK_RESULTS.get(check.status, ""),
            "decision_date": check.decision_date,
            "opinion": check.opinion,
        }
        for check in AcceptanceCheck.objects.filter(project=project).order_by("pk")
    ]
    delays = [
        {
            "applied_date": delay.applied_date,
            "requested_date": delay.requested_date,
            "reason": delay.reason,
            "result": DELAYS.get(delay.status, ""),
            "granted_date": delay.granted_date,
            "decision_reason": delay.decision_reason,
        }
        for delay in AcceptanceDelay.objects.filter(project=project).order_by("pk")
    ]
    # The documents on file: the project's current accepted uploads (ProjectDocument.objects.accepted()),
    # as the engine reads them (projects.selectors.project_facts).
    on_file = set(facts.get("documents") or ())
    return {
        "project": project,
        "stages": _stages(project, spec),
        "construction_start": facts.get("construction_start_date"),
        "trial": trial,
        "applications": [
            {
                "round": row.round,
                "applied_date": row.applied_date,
                "applied_by": person_name(row.applied_by),
                "result": RESULTS.get(row.status, ""),
                "passed": row.status == ApplicationStatus.PASSED,
                "failed": row.status == ApplicationStatus.NOT_PASSED,
                "decision_date": row.decision_date,
                "decided_by": person_name(row.decided_by),
                "conditions": row.conditions,
                "reason": row.reason,
                "operation_start_date": row.operation_start_date,
                "free_om_end_date": row.free_om_end_date,
            }
            for row in applications
        ],
        "latest": latest,
        "latest_result": RESULTS.get(latest.status, "") if latest else "",
        "checks": checks,
        "delays": delays,
        "deadlines": _deadlines(spec, verdicts),
        "attachments": attachments(spec, verdicts, on_file),
    }


register(
    ReportKind(
        code="acceptance_filing",
        label=_("Acceptance filing form"),
        scope="project",
        subjects=subjects,
        unavailable=_("No acceptance has been applied for yet."),
        template="reports/pdf/acceptance_filing.html",
        context=context,
        order=40,
    )
)
