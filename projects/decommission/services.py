"""Services of decommissioning (停用, 莱州 第三十八条): the stop plan, each data kind's disposal, the asset
disposal, the filings with the data bureau and the finance bureau, the master `decommission`
transition, and the flags a reviewer puts on a system (停用、僵尸系统; 可由统建系统替代, 南充 第八条).

One per action, each in one transaction with the project row locked and one audit event. The
transition itself is the project service's (`run_locked_transition`): the gate in
projects.decommission.gates holds it, naming what is missing, until everything is recorded.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govproj import inputs
from govproj.errors import InvalidTransition, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.decommission.models import DataDisposal, Decommission, DecommissionStatus, DisposalAction
from projects.models import Phase, Project
from projects.records import locked_project, record_event, record_facts
from projects.selectors import roles_of
from projects.services import run_locked_transition

TEXT_MAX = 2000
# Who records the decommissioning: the department that runs the system (建设（使用）单位), the data bureau's
# reviewers and the jurisdiction admin; the filing with finance also by a finance officer.
RECORDERS = frozenset({Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.JURISDICTION_ADMIN})
FILERS = {
    "data_bureau": frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN}),
    "finance": frozenset({Role.FINANCE_OFFICER, Role.REVIEWER, Role.JURISDICTION_ADMIN}),
}
FLAGGERS = frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN})
FLAGS = {"zombie": "is_zombie", "replaceable": "replaceable_by_unified_system"}


def _date(value, *, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationFailed(extra={"errors": {field: [_("Enter a valid date.")]}})
    return value


def _may(actor, project: Project, roles: frozenset) -> bool:
    return actor.is_superuser or bool(roles_of(actor, project) & roles)


def _require(actor, project: Project, roles: frozenset) -> None:
    if not _may(actor, project, roles):
        raise NotPermitted(_("Your role does not record this step of the decommissioning."))


def _in_operation(project: Project) -> None:
    if project.phase != Phase.IN_OPERATION:
        raise InvalidTransition(
            _("Only a project in operation is decommissioned; this project is %(phase)s.")
            % {"phase": project.phase_label},
            extra={"phase": project.phase, "allowed": []},
        )


def _plan(project: Project) -> Decommission:
    row = Decommission.objects.select_for_update().filter(project=project).first()
    if row is None:
        raise InvalidTransition(_("Make the stop plan first."), extra={"allowed": ["plan"]})
    if row.status != DecommissionStatus.PLANNED:
        raise InvalidTransition(_("This project is decommissioned already."), extra={"allowed": []})
    return row


def allowed_actions(user, project: Project, record: Decommission | None) -> list[str]:
    """What the user may record now (for the pages and 409 answers)."""
    actions: list[str] = []
    if project.phase != Phase.IN_OPERATION:
        return actions
    if _may(user, project, FLAGGERS):
        actions.append("flag")
    if not _may(user, project, RECORDERS | FILERS["finance"]):
        return actions
    if _may(user, project, RECORDERS):
        actions.append("plan")
    if record is None or record.status != DecommissionStatus.PLANNED:
        return actions
    if _may(user, project, RECORDERS):
        actions += ["dispose_data", "dispose_assets"]
    actions += [f"file_{body}" for body, roles in FILERS.items() if _may(user, project, roles)]
    if _may(user, project, FLAGGERS):
        actions.append("decommission")
    return actions


@transaction.atomic
def decommission_plan(
    *, actor, project_id, reason: str, planned_stop_on: dt.date, successor: str = ""
) -> Decommission:
    """The stop plan (停用方案): why, when, the system that takes over (if any); made again, it is amended."""
    project = locked_project(actor, project_id)
    _require(actor, project, RECORDERS)
    _in_operation(project)
    reason = inputs.text(reason, field="reason", required=True)
    planned_stop_on = _date(planned_stop_on, field="planned_stop_on")
    successor = inputs.text(successor, field="successor", limit=200)
    row = Decommission.objects.select_for_update().filter(project=project).first()
    if row is not None and row.status != DecommissionStatus.PLANNED:
        raise InvalidTransition(_("This project is decommissioned already."), extra={"allowed": []})
    amended = row is not None
    if row is None:
        row = Decommission(project=project, jurisdiction_id=project.jurisdiction_id)
    row.reason, row.planned_stop_on, row.successor = reason, planned_stop_on, successor
    row.planned_by, row.planned_at = actor, timezone.now()
    row.save()
    record_event(
        project,
        actor,
        "decommission_plan",
        comment=reason,
        planned_stop_on=planned_stop_on.isoformat(),
        successor=successor,
        amended=amended,
    )
    return row


@transaction.atomic
def data_disposal_record(
    *, actor, project_id, data_kind: str, action: str, done_by: str, done_on: dt.date, verification: str
) -> DataDisposal:
    """One kind of data: backed up, migrated or destroyed — who did it, when, and how it was verified."""
    project = locked_project(actor, project_id)
    _require(actor, project, RECORDERS)
    _in_operation(project)
    record = _plan(project)
    if action not in DisposalAction.values:
        raise ValidationFailed(extra={"errors": {"action": [_("Choose backed up, migrated or destroyed.")]}})
    done_on = _date(done_on, field="done_on")
    if done_on > timezone.localdate():
        raise ValidationFailed(extra={"errors": {"done_on": [_("The date cannot be in the future.")]}})
    row = DataDisposal.objects.create(
        decommission=record,
        project=project,
        data_kind=inputs.text(data_kind, field="data_kind", required=True, limit=200),
        action=action,
        done_by=inputs.text(done_by, field="done_by", required=True, limit=200),
        done_on=done_on,
        verification=inputs.text(verification, field="verification", required=True),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    record_event(
        project,
        actor,
        "data_disposal",
        comment=row.verification,
        data_kind=row.data_kind,
        disposal=action,
        done_by=row.done_by,
        done_on=done_on.isoformat(),
    )
    return row


@transaction.atomic
def assets_disposal_record(*, actor, project_id, disposal: str) -> Decommission:
    """The assets (equipment, licences) and how they were disposed of (信息化资产报废处置)."""
    project = locked_project(actor, project_id)
    _require(actor, project, RECORDERS)
    _in_operation(project)
    record = _plan(project)
    record.assets_disposal = inputs.text(disposal, field="disposal", required=True)
    record.assets_recorded_by, record.assets_recorded_at = actor, timezone.now()
    record.save()
    record_event(project, actor, "asset_disposal", comment=record.assets_disposal)
    return record


@transaction.atomic
def decommission_filing(*, actor, project_id, body: str, reference: str) -> Decommission:
    """The filing with the data bureau or the finance bureau, acknowledged (备案), with its reference."""
    if body not in FILERS:
        raise ValidationFailed(
            extra={"errors": {"body": [_("Choose the data bureau or the finance bureau.")]}}
        )
    project = locked_project(actor, project_id)
    _require(actor, project, FILERS[body])
    _in_operation(project)
    record = _plan(project)
    reference = inputs.text(reference, field="reference", required=True, limit=100)
    now = timezone.now()
    if body == "data_bureau":
        record.data_bureau_reference, record.data_bureau_filed_by, record.data_bureau_filed_at = (
            reference,
            actor,
            now,
        )
    else:
        record.finance_reference, record.finance_filed_by, record.finance_filed_at = reference, actor, now
    record.save()
    record_event(project, actor, "decommission_filing", body=body, reference=reference)
    return record


def missing_steps(record: Decommission | None, disposals: int | None = None) -> list[str]:
    """What is still to record before the decommissioning (codes, in order)."""
    if record is None:
        return ["plan", "data_disposal", "asset_disposal", "data_bureau_filing", "finance_filing"]
    if disposals is None:
        disposals = DataDisposal.objects.filter(decommission=record).count()
    missing = []
    if not disposals:
        missing.append("data_disposal")
    if not record.assets_recorded_at:
        missing.append("asset_disposal")
    if not record.data_bureau_filed_at:
        missing.append("data_bureau_filing")
    if not record.finance_filed_at:
        missing.append("finance_filing")
    return missing


@transaction.atomic
def decommission_complete(*, actor, project_id, comment: str = "") -> Project:
    """The master `decommission` transition, through the project service (gates name what is missing)."""
    project = locked_project(actor, project_id)
    comment = inputs.text(comment, field="comment")
    record = Decommission.objects.select_for_update().filter(project=project).first()
    run_locked_transition(actor=actor, project=project, name="decommission", comment=comment)
    record.complete()
    record.completed_by, record.completed_at = actor, timezone.now()
    record.save()
    # 停用系统: a stopped system is what `is_zombie` (停用或僵尸系统) says, and O&M funding rules refuse it
    # (红山 第三十五条（四）「停用系统、僵尸系统不安排运维经费」).
    changes = record_facts(project, {"is_zombie": True})
    if changes:
        record_event(
            project,
            actor,
            "system_flag",
            comment=_("Decommissioned."),
            flag="zombie",
            on=True,
            facts=changes,
        )
    return project


@transaction.atomic
def system_flag(*, actor, project_id, flag: str, on: bool, reason: str) -> Project:
    """Flag (or unflag) a system as stopped or zombie (停用、僵尸系统 → is_zombie), or as replaceable by a
    unified system (南充 第八条 → replaceable_by_unified_system): a decided fact O&M funding reads."""
    if flag not in FLAGS:
        raise ValidationFailed(extra={"errors": {"flag": [_("Choose a flag.")]}})
    project = locked_project(actor, project_id)
    if not _may(actor, project, FLAGGERS):
        raise NotPermitted(_("Only a reviewer or the jurisdiction admin flags a system."))
    if project.phase != Phase.IN_OPERATION:
        raise InvalidTransition(
            _("Only a system in operation is flagged; this project is %(phase)s.")
            % {"phase": project.phase_label},
            extra={"phase": project.phase, "allowed": []},
        )
    reason = inputs.text(reason, field="reason", required=True)
    fact = FLAGS[flag]
    now_on = bool(on)
    if bool((project.facts or {}).get(fact)) == now_on:
        raise InvalidTransition(
            _("The system is already flagged so.") if now_on else _("The system is not flagged."),
            extra={"allowed": ["flag"]},
        )
    changes = record_facts(project, {fact: True if now_on else None})
    record_event(project, actor, "system_flag", comment=reason, flag=flag, on=now_on, facts=changes)
    return project
