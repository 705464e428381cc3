"""Services of the construction records: one per action, each in one transaction on the project row
locked (select_for_update), writing one audit event and storing the facts its record decides
(projects.records.record_facts).

- The department (its staff) records the supervision contract, procurement and its contract, the
  yearly progress report, an incident report (serious delay, major loss or major change), and reports
  a rectification done.
- The approver (the reviewer, or their delegate: approvals.acting) answers an incident with
  rectification by a date or with suspension (the master `suspend`), and confirms or returns a
  rectification reported done. Whoever reported the incident may not decide on it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from approvals.acting import Acting, acting_as
from govproj import inputs
from govproj.errors import InvalidTransition, MissingDocuments, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from jurisdictions.rules.schema import Taker
from projects.construction.models import (
    INCIDENT_STATUS_LABELS,
    IncidentKind,
    IncidentReport,
    IncidentStatus,
    ProcurementMethod,
    ProcurementRecord,
    ProgressReport,
    SupervisionContract,
)
from projects.construction.rules import incident_requirement, report_requirement
from projects.documents.files import keep_file
from projects.documents.models import ProjectDocument
from projects.documents.services import document_max_bytes, document_upload
from projects.models import AuditEvent, Phase, Project
from projects.records import locked_project, record_event, record_facts
from projects.selectors import roles_of
from projects.services import run_locked_transition

TEXT_MAX = 2000
NAME_MAX = 200
NUMBER_MAX = 100

# When each record may be written (the project's master phase).
CONTRACT_PHASES = frozenset({Phase.APPROVED, Phase.IN_CONSTRUCTION, Phase.SUSPENDED, Phase.TRIAL_OPERATION})
REPORT_PHASES = frozenset(
    {Phase.IN_CONSTRUCTION, Phase.SUSPENDED, Phase.TRIAL_OPERATION, Phase.IN_ACCEPTANCE}
)
INCIDENT_PHASES = frozenset({Phase.IN_CONSTRUCTION, Phase.SUSPENDED, Phase.TRIAL_OPERATION})
SUSPENDABLE_PHASES = frozenset({Phase.IN_CONSTRUCTION, Phase.TRIAL_OPERATION})
# Who answers for the approver (项目审批部门): the jurisdiction's reviewers (the data bureau).
APPROVER = Taker(name={"zh": "项目审批部门", "en": "the approving authority"}, role="reviewer")


# ---------------------------------------------------------------------------- checks


def _check_staff(actor, project: Project) -> None:
    if not (actor.is_superuser or Role.DEPARTMENT_STAFF in roles_of(actor, project)):
        raise NotPermitted(_("Only the project's department records its construction."))


def _approver(actor, project: Project) -> Acting:
    acting = acting_as(actor, project.jurisdiction_id, APPROVER)
    if acting is None:
        raise NotPermitted(_("Only the approving authority (the reviewer) decides on an incident report."))
    return acting


def _check_phase(project: Project, phases, what: str) -> None:
    if project.phase not in phases:
        raise InvalidTransition(
            _("%(what)s cannot be recorded while the project is %(phase)s.")
            % {"what": what, "phase": Phase(project.phase).label},
            extra={"phase": project.phase, "allowed": []},
        )


# ---------------------------------------------------------------------------- supervision, procurement


@transaction.atomic
def supervision_record(
    *, actor, project_id, company: str, contract_number: str, contract_date, file=None
) -> SupervisionContract:
    """监理合同: the department records the supervision firm it entrusted (a correction replaces it).

    Recording it makes `supervisor_engaged` true, which the measures that require supervision
    (包头 第十九条, 南充 第二十四条, 莱州 第二十三条, 鄂尔多斯 第十六条) ask before construction starts.
    """
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    _check_phase(project, CONTRACT_PHASES, _("A supervision contract"))
    row = SupervisionContract.objects.filter(project=project).first()
    action = "supervision_correct" if row is not None else "supervision_record"
    row = row or SupervisionContract(project=project)
    row.company = inputs.text(company, "company", required=True, limit=NAME_MAX)
    row.contract_number = inputs.text(contract_number, "contract_number", required=True, limit=NUMBER_MAX)
    row.contract_date = inputs.date(
        contract_date, "contract_date", required=True, not_after=timezone.localdate()
    )
    row.recorded_by = actor
    kept = keep_file(row, file, max_bytes=document_max_bytes()) if file else {}
    row.save()
    changes = record_facts(project, {"supervisor_engaged": True})
    record_event(
        project,
        actor,
        action,
        company=row.company,
        contract_number=row.contract_number,
        contract_date=row.contract_date.isoformat(),
        facts=changes,
        **kept,
    )
    return row


@transaction.atomic
def procurement_record(
    *,
    actor,
    project_id,
    started_on,
    method: str,
    supplier: str = "",
    contract_number: str = "",
    contract_date=None,
    contract_amount_wan=None,
    ip_terms_stated: bool = False,
    free_om_years=None,
) -> ProcurementRecord:
    """采购与合同: when procurement started, how, who won, and the contract.

    Sets `procurement_started` and `procurement_start_date` (莱州 第十九条: adjustments only before
    procurement), `ip_terms_in_contract` (莱州 第二十八条: only a contract can state it) and, when the
    contract states one, `free_om_years` (红山 第二十四条, 莱州 第二十九条).
    """
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    _check_phase(project, CONTRACT_PHASES, _("Procurement"))
    row = ProcurementRecord.objects.filter(project=project).first()
    action = "procurement_correct" if row is not None else "procurement_record"
    row = row or ProcurementRecord(project=project)
    today = timezone.localdate()
    row.started_on = inputs.date(started_on, "started_on", required=True, not_after=today)
    row.method = inputs.choice(method, "method", ProcurementMethod.choices)
    row.supplier = inputs.text(supplier, "supplier", required=False, limit=NAME_MAX)
    row.contract_number = inputs.text(contract_number, "contract_number", required=False, limit=NUMBER_MAX)
    row.contract_date = inputs.date(contract_date, "contract_date", required=False, not_after=today)
    row.contract_amount_wan = inputs.amount(contract_amount_wan, "contract_amount_wan")
    row.free_om_years = inputs.amount(free_om_years, "free_om_years", maximum=Decimal("100"))
    if not isinstance(ip_terms_stated, bool):
        raise ValidationFailed(extra={"errors": {"ip_terms_stated": [_("Answer yes or no.")]}})
    row.ip_terms_stated = ip_terms_stated
    if row.contract_number and (row.contract_date is None or not row.supplier):
        message = _("A contract needs its date and the winning supplier.")
        field = "contract_date" if row.contract_date is None else "supplier"
        raise ValidationFailed(message, extra={"errors": {field: [message]}})
    if row.contract_date is not None and row.contract_date < row.started_on:
        message = _("The contract cannot be signed before procurement started.")
        raise ValidationFailed(message, extra={"errors": {"contract_date": [message]}})
    if (row.contract_date or row.contract_amount_wan is not None or row.ip_terms_stated) and not (
        row.contract_number
    ):
        message = _("Give the contract number.")
        raise ValidationFailed(message, extra={"errors": {"contract_number": [message]}})
    row.recorded_by = actor
    row.save()
    facts: dict[str, Any] = {
        "procurement_started": True,
        "procurement_start_date": row.started_on,
        "ip_terms_in_contract": bool(row.contract_number) and row.ip_terms_stated,
    }
    if row.free_om_years is not None:
        facts["free_om_years"] = row.free_om_years
    changes = record_facts(project, facts)
    record_event(
        project,
        actor,
        action,
        started_on=row.started_on.isoformat(),
        method=row.method,
        supplier=row.supplier,
        contract_number=row.contract_number,
        contract_amount_wan=str(row.contract_amount_wan) if row.contract_amount_wan is not None else None,
        facts=changes,
    )
    return row


# ---------------------------------------------------------------------------- yearly reports


def progress_report_date(rows) -> dt.date | None:
    """The `progress_report_date` fact from a project's reports as (year, submitted_on).

    The measures ask a report by each year's end for that year; the engine counts a report dated
    after a year's due day toward the next year. So only a report submitted within the year it
    reports on counts (the latest such): a late report for last year never stands for this year's.
    """
    dates = [submitted for year, submitted in rows if submitted.year == year]
    return max(dates) if dates else None


def _report_documents(project: Project, year: int, files: dict[str, Any], actor) -> list[dict[str, Any]]:
    """Upload the files given; every document the measure asks in the report must be given or on
    file since the start of the year reported on. Returns what the report carries."""
    requirement = report_requirement(project)
    unknown = sorted(set(files) - set(requirement.codes))
    if unknown:
        message = _("This document is not one the report asks for.")
        raise ValidationFailed(message, extra={"errors": {f"file_{code}": [message] for code in unknown}})
    since = timezone.make_aware(dt.datetime(year, 1, 1))
    on_file = {
        d.code: d
        for d in ProjectDocument.objects.filter(
            project=project, code__in=requirement.codes, created_at__gte=since
        ).current()
        if d.rejected_at is None
    }
    missing = [code for code in requirement.codes if code not in files and code not in on_file]
    if missing:
        names = "、".join(requirement.names[code] for code in missing)
        raise MissingDocuments(
            _("The report needs these documents (%(article)s): %(names)s.")
            % {"article": "、".join(requirement.articles), "names": names},
            extra={
                "missing": [{"code": code, "name": requirement.names[code]} for code in missing],
                "articles": requirement.articles,
                "errors": {f"file_{code}": [_("This document is required.")] for code in missing},
            },
        )
    carried = []
    for code in requirement.codes:
        if code in files:
            document = document_upload(actor=actor, project_id=project.pk, code=code, file=files[code])
        else:
            document = on_file[code]
        carried.append({"code": code, "document": document.pk, "version": document.version})
    return carried


@transaction.atomic
def progress_report_submit(
    *,
    actor,
    project_id,
    year,
    progress: str,
    investment: str,
    problems: str = "",
    files: dict[str, Any] | None = None,
) -> ProgressReport:
    """年度进展（绩效）报告: the department's report for one year of construction (one per year).

    红山 第三十条, 南充 第四十三条, 莱州 第二十四条, 鄂尔多斯 第十七条: each year by the year's end,
    with the contents the measure lists (the pack's documents for the report's stage).
    """
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    _check_phase(project, REPORT_PHASES, _("A yearly progress report"))
    today = timezone.localdate()
    if isinstance(year, bool) or not isinstance(year, int | str) or not str(year).isascii():
        year = None
    try:
        year = int(year) if year is not None else None
    except ValueError:
        year = None
    started = (
        AuditEvent.objects.filter(project=project, action="start_construction")
        .order_by("at")
        .values_list("at", flat=True)
        .first()
    )
    first_year = timezone.localtime(started).year if started else today.year
    if year is None or not first_year <= year <= today.year:
        message = _("Report on a year of construction, from %(first)s to %(last)s.") % {
            "first": first_year,
            "last": today.year,
        }
        raise ValidationFailed(message, extra={"errors": {"year": [message]}})
    if ProgressReport.objects.filter(project=project, year=year).exists():
        raise InvalidTransition(
            _("The report for %(year)s has been submitted already.") % {"year": year},
            extra={"year": year, "allowed": []},
        )
    row = ProgressReport(
        project=project,
        year=year,
        submitted_on=today,
        progress=inputs.text(progress, "progress", required=True),
        investment=inputs.text(investment, "investment", required=True),
        problems=inputs.text(problems, "problems", required=False),
        submitted_by=actor,
    )
    row.documents = _report_documents(project, year, files or {}, actor)
    row.save()
    project.refresh_from_db(fields=["facts", "version"])  # the uploads saved nothing on it; be safe
    dated = progress_report_date(
        ProgressReport.objects.filter(project=project).values_list("year", "submitted_on")
    )
    changes = record_facts(project, {"progress_report_date": dated})
    record_event(
        project,
        actor,
        "progress_report_submit",
        year=year,
        on_time=row.on_time,
        documents=[d["code"] for d in row.documents],
        facts=changes,
    )
    return row


# ---------------------------------------------------------------------------- incidents


def _incident(project: Project, incident_id) -> IncidentReport:
    text = str(incident_id)
    if not (text.isascii() and text.isdecimal()) or not 1 <= int(text) <= 2**63 - 1:
        raise NotFound()
    row = IncidentReport.objects.select_for_update().filter(project=project, pk=int(text)).first()
    if row is None:
        raise NotFound()
    return row


def incident_allowed(row: IncidentReport) -> list[str]:
    """The actions the incident's state allows (the API's `allowed` on a 409)."""
    names = {
        "order_rectification": "rectify",
        "suspend": "suspend",
        "report_rectified": "report-done",
        "confirm_rectified": "confirm",
        "return_rectification": "return",
    }
    return [label for method, label in names.items() if can_proceed(getattr(row, method))]


def _wrong_state(row: IncidentReport, message: str) -> InvalidTransition:
    return InvalidTransition(
        message,
        extra={
            "status": row.status,
            "status_label": str(INCIDENT_STATUS_LABELS[row.status]),
            "allowed": incident_allowed(row),
        },
    )


@transaction.atomic
def incident_report(
    *, actor, project_id, kind: str, happened: str, impact: str, measures: str, file=None
) -> IncidentReport:
    """严重逾期、重大损失、重大变更报告: the department reports to the approver (红山 第二十一条,
    南充 第二十八条, 莱州 第三十二条, 鄂尔多斯 第十八条). Sets `serious_delay_or_loss`; the written
    report goes on file as the document the measure names (its file is required where it names one)."""
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    _check_phase(project, INCIDENT_PHASES, _("An incident report"))
    row = IncidentReport(
        project=project,
        kind=inputs.choice(kind, "kind", IncidentKind.choices),
        happened=inputs.text(happened, "happened", required=True),
        impact=inputs.text(impact, "impact", required=True),
        measures=inputs.text(measures, "measures", required=True),
        reported_on=timezone.localdate(),
        reported_by=actor,
    )
    requirement = incident_requirement(project)
    kept: dict[str, Any] = {}
    if requirement.codes:
        if not file:
            names = "、".join(requirement.names.values())
            raise MissingDocuments(
                _("Attach the written report (%(article)s): %(names)s.")
                % {"article": "、".join(requirement.articles), "names": names},
                extra={
                    "missing": [{"code": c, "name": n} for c, n in requirement.names.items()],
                    "errors": {"file": [_("Attach the written report.")]},
                },
            )
        row.document = document_upload(
            actor=actor, project_id=project.pk, code=requirement.codes[0], file=file
        )
        kept = {"document": row.document.code, "file": row.document.original_name}
    elif file:
        kept = keep_file(row, file, max_bytes=document_max_bytes())
    row.save()
    project.refresh_from_db(fields=["facts", "version"])
    changes = record_facts(project, {"serious_delay_or_loss": True})
    record_event(project, actor, "incident_report", incident=row.pk, kind=row.kind, facts=changes, **kept)
    return row


def _open_rectification_due(project: Project, except_pk: int | None = None) -> dt.date | None:
    dues = IncidentReport.objects.filter(
        project=project, status__in=(IncidentStatus.RECTIFYING, IncidentStatus.RECTIFICATION_REPORTED)
    )
    if except_pk is not None:
        dues = dues.exclude(pk=except_pk)
    return min((d for d in dues.values_list("rectification_due_date", flat=True) if d), default=None)


def _decide(row: IncidentReport, acting: Acting, reason: str) -> None:
    if acting.people() & {row.reported_by_id, row.rectification_reported_by_id}:
        raise NotPermitted(_("Whoever reported an incident or its rectification may not decide on it."))
    row.decided_by = acting.user
    row.on_behalf_of = acting.principal if acting.on_behalf else None
    row.decided_at = timezone.now()
    row.decision_reason = reason


@transaction.atomic
def incident_order_rectification(*, actor, project_id, incident_id, due_date, reason: str) -> IncidentReport:
    """限期整改: the approver orders rectification by a date (包头 第二十五条, 红山 第三十七条,
    南充 第四十五条, 鄂尔多斯 第二十七条: the period is set case by case). Sets `rectification_due_date`;
    the done date of any earlier rectification no longer holds."""
    project = locked_project(actor, project_id)
    row = _incident(project, incident_id)  # no such report: 404 before anything else
    acting = _approver(actor, project)
    if not can_proceed(row.order_rectification):
        raise _wrong_state(row, _("Rectification can be ordered on a new report or a suspension."))
    reason = inputs.text(reason, "reason", required=True)
    due = inputs.date(due_date, "due_date", required=True)
    if due <= timezone.localdate():
        message = _("The rectification date must be after today.")
        raise ValidationFailed(message, extra={"errors": {"due_date": [message]}})
    _decide(row, acting, reason)
    row.rectification_due_date = due
    row.order_rectification()
    row.save()
    earliest = min(d for d in (due, _open_rectification_due(project, row.pk)) if d)
    changes = record_facts(project, {"rectification_due_date": earliest, "rectification_done_date": None})
    record_event(
        project,
        actor,
        "incident_rectify",
        reason,
        incident=row.pk,
        due_date=due.isoformat(),
        facts=changes,
        **acting.audit(),
    )
    return row


@transaction.atomic
def incident_suspend(*, actor, project_id, incident_id, reason: str) -> IncidentReport:
    """暂停建设: the approver suspends the construction on the report (the master `suspend`)."""
    project = locked_project(actor, project_id)
    row = _incident(project, incident_id)  # no such report: 404 before anything else
    acting = _approver(actor, project)
    if not can_proceed(row.suspend):
        raise _wrong_state(row, _("Only a new report can be answered with suspension."))
    reason = inputs.text(reason, "reason", required=True)
    if project.phase not in SUSPENDABLE_PHASES:
        raise InvalidTransition(
            _("The construction cannot be suspended while the project is %(phase)s.")
            % {"phase": Phase(project.phase).label},
            extra={"phase": project.phase, "allowed": incident_allowed(row)},
        )
    _decide(row, acting, reason)
    row.suspend()
    row.save()
    run_locked_transition(
        actor=acting.user,
        project=project,
        name="suspend",
        comment=reason,
        changes={"incident": row.pk, **acting.audit()},
    )
    return row


@transaction.atomic
def incident_report_rectified(*, actor, project_id, incident_id, summary: str) -> IncidentReport:
    """整改完成: the department reports what it rectified; the approver confirms it."""
    project = locked_project(actor, project_id)
    row = _incident(project, incident_id)
    _check_staff(actor, project)
    if not can_proceed(row.report_rectified):
        raise _wrong_state(row, _("Only an ordered rectification can be reported done."))
    row.rectification_summary = inputs.text(summary, "summary", required=True)
    row.rectification_reported_at = timezone.now()
    row.rectification_reported_by = actor
    row.report_rectified()
    row.save()
    record_event(project, actor, "incident_rectified", row.rectification_summary, incident=row.pk)
    return row


@transaction.atomic
def incident_confirm_rectified(*, actor, project_id, incident_id, comment: str = "") -> IncidentReport:
    """整改确认: the approver confirms the rectification; `rectification_done_date` is today once no
    other rectification is open (the rules then let construction resume)."""
    project = locked_project(actor, project_id)
    row = _incident(project, incident_id)  # no such report: 404 before anything else
    acting = _approver(actor, project)
    if not can_proceed(row.confirm_rectified):
        raise _wrong_state(row, _("Only a rectification reported done can be confirmed."))
    comment = inputs.text(comment, "comment", required=False)
    if acting.people() & {row.rectification_reported_by_id, row.reported_by_id}:
        raise NotPermitted(_("Whoever reported an incident or its rectification may not decide on it."))
    row.confirmed_by = acting.user
    row.confirmed_at = timezone.now()
    row.confirmation_comment = comment
    row.confirm_rectified()
    row.save()
    still_open = _open_rectification_due(project)
    facts = (
        {"rectification_due_date": still_open, "rectification_done_date": None}
        if still_open
        else {"rectification_done_date": timezone.localdate()}
    )
    changes = record_facts(project, facts)
    record_event(
        project, actor, "incident_confirm", comment, incident=row.pk, facts=changes, **acting.audit()
    )
    return row


@transaction.atomic
def incident_return_rectification(*, actor, project_id, incident_id, reason: str) -> IncidentReport:
    """整改未通过: the approver returns the rectification (a reason is required); it stays open."""
    project = locked_project(actor, project_id)
    row = _incident(project, incident_id)  # no such report: 404 before anything else
    acting = _approver(actor, project)
    if not can_proceed(row.return_rectification):
        raise _wrong_state(row, _("Only a rectification reported done can be returned."))
    reason = inputs.text(reason, "reason", required=True)
    if acting.people() & {row.rectification_reported_by_id, row.reported_by_id}:
        raise NotPermitted(_("Whoever reported an incident or its rectification may not decide on it."))
    row.confirmation_comment = reason
    row.return_rectification()
    row.save()
    record_event(project, actor, "incident_return", reason, incident=row.pk, **acting.audit())
    return row
