"""Services of the approval stages: submit, withdraw, pass review, approve, file, return, reject.

Each runs in one transaction on the project row locked (select_for_update) and writes one audit
event (the last stage's decision also moves the project to approved, and a rejection rejects it,
through `projects.services.run_locked_transition`). What differs per measure — which stages a
track has, who decides, whether a stage states an amount or records filing fields, the ceilings —
is the pack's `review.approval`, never code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.acting import Acting, acting_as
from approvals.stages.models import DECIDED, ApprovalStage, StageStatus
from budgets.baseline.services import set_baseline
from govproj import inputs
from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from govproj.i18n import in_language
from jurisdictions.models import Role
from jurisdictions.rules.schema import RequiredDocumentsRule
from projects.gates import gates_error, open_gates
from projects.models import AuditEvent, Phase, Project
from projects.records import record_facts
from projects.selectors import filer_ids, project_for, project_verdicts, roles_of
from projects.services import _blocking_error, run_locked_transition

TEXT_MAX = 2000
NUMBER_MAX = 100
AMOUNT_MAX = Decimal("999999999999.99")
STAGE_ACTIONS = ("submit", "withdraw", "pass_review", "approve", "file", "return", "reject")


@dataclass
class Track:
    code: str
    name: dict[str, str]
    stages: list[str]


@dataclass
class Locked:
    """A project locked for a stage decision, with what the measure says about it."""

    project: Project
    pack: Any
    approval: Any  # ApprovalSpec
    track: Track
    rows: list[ApprovalStage]  # every round of every stage, oldest first

    def latest(self, code: str) -> ApprovalStage | None:
        return next((row for row in reversed(self.rows) if row.code == code), None)

    def current_code(self) -> str | None:
        """The first stage of the track not decided yet (None: all decided)."""
        for code in self.track.stages:
            row = self.latest(code)
            if row is None or row.status not in DECIDED:
                return code
        return None


def track_from(verdicts, approval) -> Track | None:
    """The chosen track from the track rule's verdict, or None while facts to choose it are missing."""
    verdict = next((v for v in verdicts if v.rule_id == approval.track_rule), None)
    if verdict is None or not verdict.data.get("stages"):
        return None
    data = verdict.data
    return Track(
        code=data["track"],
        name={"zh": data.get("track_name_zh", ""), "en": data.get("track_name_en", "")},
        stages=[code for code in data["stages"] if approval.stage(code) is not None],
    )


def allowed_actions(row: ApprovalStage | None, spec_stage=None) -> list[str]:
    """What the stage's state allows now (the API's `allowed` on a 409)."""
    status = row.status if row is not None else StageStatus.OPEN
    if status in (StageStatus.OPEN, StageStatus.WITHDRAWN):
        return ["submit"]
    if status == StageStatus.SUBMITTED:
        return ["withdraw", "pass_review", "return", "reject"]
    if status == StageStatus.REVIEW_PASSED:
        decide = "file" if spec_stage is not None and spec_stage.decision == "filing" else "approve"
        return ["withdraw", decide, "return", "reject"]
    return []


def _wrong_state(message: str, row: ApprovalStage | None, spec_stage=None, **extra) -> InvalidTransition:
    return InvalidTransition(
        message,
        extra={
            "stage": row.code if row is not None else extra.pop("stage", ""),
            "status": row.status if row is not None else StageStatus.OPEN,
            "allowed": allowed_actions(row, spec_stage),
            **extra,
        },
    )


def _locked(actor, project_id) -> Locked:
    project_for(actor, project_id)  # 404 before anything for a project the actor cannot see
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack", "department")
        .get(pk=project_id)
    )
    pack, verdicts = project_verdicts(project)
    approval = pack.spec.review.approval
    if approval is None:  # a measure without approval stages: there is no such stage to act on
        raise NotFound(_("This measure has no approval stages: the project is approved in one step."))
    if project.phase != Phase.IN_REVIEW:
        raise InvalidTransition(
            _("Approval stages are decided while the project is in review (it is %(phase)s).")
            % {"phase": Phase(project.phase).label},
            extra={"phase": project.phase, "allowed": []},
        )
    track = track_from(verdicts, approval)
    if track is None:
        raise RuleViolation(
            _("The approval track cannot be decided yet: complete the project's facts."),
            extra={"rule": approval.track_rule},
        )
    rows = list(ApprovalStage.objects.filter(project=project).order_by("id"))
    return Locked(project, pack, approval, track, rows)


def ensure_current_stage(locked: Locked) -> ApprovalStage | None:
    """The current stage's live round, opened (a new row) when it has none: the first stage when the
    project has entered review, the next one after a decision, a new round after a return."""
    code = locked.current_code()
    if code is None:
        return None
    row = locked.latest(code)
    if row is not None and row.status not in (StageStatus.RETURNED, StageStatus.REJECTED, *DECIDED):
        return row
    row = ApprovalStage.objects.create(
        project=locked.project,
        code=code,
        round=(row.round + 1) if row is not None else 1,
        track=locked.track.code,
    )
    locked.rows.append(row)
    return row


def _stage_row(locked: Locked, code: str) -> tuple[ApprovalStage, Any]:
    """The live round of the stage `code`, which must be the current stage."""
    spec_stage = locked.approval.stage(code)
    if spec_stage is None or code not in locked.track.stages:
        raise NotFound(_("No such approval stage on this project's track."))
    row = ensure_current_stage(locked)
    if row is None or row.code != code:
        current = locked.approval.stage(row.code) if row is not None else None
        raise _wrong_state(
            _("“%(stage)s” is not the stage being decided now.") % {"stage": in_language(spec_stage.name)},
            row,
            current,
            stage=code,
        )
    return row, spec_stage


def _check_staff(actor, project: Project) -> None:
    if not (actor.is_superuser or Role.DEPARTMENT_STAFF in roles_of(actor, project)):
        raise NotPermitted(_("Only the project's department submits or withdraws its approval stages."))


def _decider(actor, locked: Locked) -> Acting:
    acting = acting_as(actor, locked.project.jurisdiction_id, locked.approval.decider)
    if acting is None:
        raise NotPermitted(
            _("Only %(decider)s decides approval stages.")
            % {"decider": in_language(locked.approval.decider.name)}
        )
    if acting.people() & filer_ids(locked.project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    return acting


def _amount(value, field: str = "amount_wan", *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(
                _("The approved amount is required."),
                extra={"errors": {field: [_("The approved amount is required.")]}},
            )
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or not Decimal(0) < amount <= AMOUNT_MAX:
        raise ValidationFailed(
            _("Give an amount in 10k CNY greater than 0."),
            extra={"errors": {field: [_("Give an amount in 10k CNY greater than 0.")]}},
        )
    return amount


def _date(value, field: str = "decision_date", *, row: ApprovalStage | None = None) -> dt.date:
    """The decision's date: not in the future, nor before the stage's review passed (its clock's start)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, dt.date) or value > timezone.localdate():
        message = _("Give the date of the decision (not in the future).")
        raise ValidationFailed(message, extra={"errors": {field: [message]}})
    if row is not None and row.review_passed_at and value < timezone.localtime(row.review_passed_at).date():
        message = _("The decision cannot be dated before the stage passed its review.")
        raise ValidationFailed(message, extra={"errors": {field: [message]}})
    return value


def _rule_stage(pack, rule_id: str) -> str | None:
    rule = next((r for r in pack.spec.rules if r.id == rule_id), None)
    return rule.stage if isinstance(rule, RequiredDocumentsRule) else None


def _ceiling_facts(locked: Locked, code: str, amount: Decimal | None) -> dict[str, bool]:
    """The ceiling facts the stage's amount decides: above the earlier stage's approved amount."""
    facts = {}
    for ceiling in locked.approval.ceilings:
        if ceiling.stage not in locked.track.stages:
            facts[ceiling.fact] = False  # a track without the later stage never exceeds the earlier one
            continue
        if ceiling.stage != code or amount is None:
            continue
        over = locked.latest(ceiling.over)
        if over is not None and over.status in DECIDED and over.approved_amount_wan is not None:
            facts[ceiling.fact] = amount > over.approved_amount_wan
    return facts


def _stage_documents_error(locked: Locked, code: str, transition: str | None = None):
    """The refusal naming each missing document of the stage (and its article), or None.

    The documents of a stage: the required-documents rules naming the stage; and of the rules naming
    the approval as a whole, the document that is the stage's own text (its code).
    """
    _pack, verdicts = project_verdicts(locked.project, transition=transition)
    stage_codes = {s.code for s in locked.approval.stages}
    blocking = []
    for verdict in verdicts:
        if verdict.kind != "required_documents" or verdict.outcome.value in ("pass", "not_applicable"):
            continue
        if transition is not None and not verdict.blocks_transition(transition):
            continue
        if transition is None and verdict.outcome.value not in ("fail", "required"):
            continue
        stage = _rule_stage(locked.pack, verdict.rule_id)
        if stage == code:
            blocking.append(verdict)
        elif stage not in stage_codes and any(d.get("code") == code for d in verdict.data.get("missing", [])):
            blocking.append(verdict)
    return _blocking_error("submit_stage", blocking, locked.pack) if blocking else None


def _record(locked: Locked, actor, action: str, row: ApprovalStage, comment: str = "", **changes) -> None:
    AuditEvent.objects.record(
        locked.project,
        actor,
        action,
        from_phase=locked.project.phase,
        comment=comment,
        rule_pack=locked.pack,
        changes={"stage": row.code, "round": row.round, "track": row.track, **changes},
    )


@transaction.atomic
def stage_submit(
    *, actor, project_id, code: str, requested_amount_wan=None, comment: str = ""
) -> ApprovalStage:
    """The department submits the stage's text (可研, 初步设计 …): its documents must be on file."""
    locked = _locked(actor, project_id)
    _check_staff(actor, locked.project)
    row, spec_stage = _stage_row(locked, code)
    if row.status not in (StageStatus.OPEN, StageStatus.WITHDRAWN):
        raise _wrong_state(_("This stage has been submitted already."), row, spec_stage)
    comment = inputs.text(comment, "comment", required=False)
    requested = _amount(requested_amount_wan, "requested_amount_wan", required=False)
    facts = _ceiling_facts(
        locked, code, requested if requested is not None else locked.project.total_investment_wan
    )
    changed = record_facts(locked.project, facts)
    if error := _stage_documents_error(locked, code):
        raise error
    row.status = StageStatus.SUBMITTED
    row.submitted_by, row.submitted_at = actor, timezone.now()
    row.requested_amount_wan = requested
    row.save()
    _record(
        locked, actor, "stage_submit", row, comment, requested_amount_wan=str(requested or ""), facts=changed
    )
    return row


@transaction.atomic
def stage_withdraw(*, actor, project_id, code: str, comment: str = "") -> ApprovalStage:
    """The department takes a submitted stage back before it is decided."""
    locked = _locked(actor, project_id)
    _check_staff(actor, locked.project)
    row, spec_stage = _stage_row(locked, code)
    if row.status not in (StageStatus.SUBMITTED, StageStatus.REVIEW_PASSED):
        raise _wrong_state(_("Only a submitted stage not yet decided can be withdrawn."), row, spec_stage)
    row.status = StageStatus.WITHDRAWN
    row.review_passed_by, row.review_passed_at = None, None
    row.reason = inputs.text(comment, "comment", required=False)
    row.save()
    _record(locked, actor, "stage_withdraw", row, row.reason)
    return row


@transaction.atomic
def stage_pass_review(*, actor, project_id, code: str, comment: str = "") -> ApprovalStage:
    """评审通过: the decider records that the stage's text passed its review (the clock starts)."""
    locked = _locked(actor, project_id)
    acting = _decider(actor, locked)
    row, spec_stage = _stage_row(locked, code)
    if row.status != StageStatus.SUBMITTED:
        raise _wrong_state(_("Only a submitted stage can pass its review."), row, spec_stage)
    comment = inputs.text(comment, "comment", required=False)
    row.status = StageStatus.REVIEW_PASSED
    row.review_passed_by, row.review_passed_at = actor, timezone.now()
    row.save()
    _record(locked, actor, "stage_review_pass", row, comment, **acting.audit())
    return row


def _check_decidable(locked: Locked, row: ApprovalStage, spec_stage, code: str, ceiling: dict) -> None:
    if row.status != StageStatus.REVIEW_PASSED:
        raise _wrong_state(_("The stage must pass its review before it is decided."), row, spec_stage)
    if owed := open_gates(locked.project, "approve", locked.pack.spec, stage=code):
        raise gates_error("approve", owed, locked.pack)
    record_facts(locked.project, ceiling)
    _pack, verdicts = project_verdicts(locked.project, transition="approve")
    stage_codes = {s.code for s in locked.approval.stages}
    blocking = []
    for verdict in verdicts:
        if not verdict.blocks_transition("approve"):
            continue
        stage = _rule_stage(locked.pack, verdict.rule_id)
        if stage is None or stage == code:
            blocking.append(verdict)
        elif stage not in stage_codes and locked.track.stages[-1] == code:
            blocking.append(verdict)  # the approval as a whole: owed by the last stage
    if blocking:
        raise _blocking_error("approve", blocking, locked.pack)


def _decide(
    locked: Locked, acting: Acting, row: ApprovalStage, status: str, action: str, **fields
) -> ApprovalStage:
    project = locked.project
    for name, value in fields.items():
        setattr(row, name, value)
    row.status = status
    row.decided_by = acting.user
    row.on_behalf_of = acting.principal if acting.on_behalf else None
    row.decided_at = timezone.now()
    row.save()
    shown = {
        name: (
            value.isoformat()
            if isinstance(value, dt.date)
            else str(value)
            if isinstance(value, Decimal)
            else value
        )
        for name, value in fields.items()
        if value not in (None, "", {})
    }
    _record(locked, acting.user, action, row, fields.get("conditions", ""), **shown, **acting.audit())
    if row.approved_amount_wan is not None:
        set_baseline(project, row.approved_amount_wan, acting.user, source_stage=row)
    if locked.current_code() is None:  # the last stage of the track: the project is approved
        run_locked_transition(
            actor=acting.user,
            project=project,
            name="approve",
            comment=fields.get("document_number") or "",
            changes={"stage": row.code, "round": row.round, **shown, **acting.audit()},
        )
    else:
        ensure_current_stage(locked)
    return row


@transaction.atomic
def stage_approve(
    *,
    actor,
    project_id,
    code: str,
    document_number: str,
    decision_date,
    amount_wan=None,
    conditions: str = "",
) -> ApprovalStage:
    """批复: the decider approves the stage with its document number, date, amount and conditions."""
    locked = _locked(actor, project_id)
    acting = _decider(actor, locked)
    row, spec_stage = _stage_row(locked, code)
    if spec_stage.decision != "approval":
        raise _wrong_state(_("This stage is filed, not approved."), row, spec_stage)
    document_number = inputs.text(document_number, "document_number", required=True, limit=NUMBER_MAX)
    decision_date = _date(decision_date, row=row)
    amount = _amount(amount_wan, required=spec_stage.amount) if spec_stage.amount else None
    conditions = inputs.text(conditions, "conditions", required=False)
    _check_decidable(locked, row, spec_stage, code, _ceiling_facts(locked, code, amount))
    return _decide(
        locked,
        acting,
        row,
        StageStatus.APPROVED,
        "stage_approve",
        document_number=document_number,
        decision_date=decision_date,
        approved_amount_wan=amount,
        conditions=conditions,
    )


@transaction.atomic
def stage_file(
    *, actor, project_id, code: str, fields: dict, decision_date, amount_wan=None, document_number: str = ""
) -> ApprovalStage:
    """备案: the decider records the filing with the fields the measure lists."""
    locked = _locked(actor, project_id)
    acting = _decider(actor, locked)
    row, spec_stage = _stage_row(locked, code)
    if spec_stage.decision != "filing":
        raise _wrong_state(_("This stage is approved, not filed."), row, spec_stage)
    if not isinstance(fields, dict):
        fields = {}
    record = {}
    errors = {}
    for field in spec_stage.fields:
        value = fields.get(field.code)
        value = value.strip() if isinstance(value, str) else ""
        if not value or len(value) > TEXT_MAX:
            errors[field.code] = [_("Fill in this field.")]
        record[field.code] = value
    if errors:
        raise ValidationFailed(_("Fill in what the filing records."), extra={"errors": errors})
    decision_date = _date(decision_date, row=row)
    amount = _amount(amount_wan, required=spec_stage.amount) if spec_stage.amount else None
    document_number = inputs.text(document_number, "document_number", required=False, limit=NUMBER_MAX)
    _check_decidable(locked, row, spec_stage, code, _ceiling_facts(locked, code, amount))
    return _decide(
        locked,
        acting,
        row,
        StageStatus.FILED,
        "stage_file",
        filing_fields=record,
        decision_date=decision_date,
        approved_amount_wan=amount,
        document_number=document_number,
    )


@transaction.atomic
def stage_return(*, actor, project_id, code: str, reason: str, to_stage: str | None = None) -> ApprovalStage:
    """退回: the stage's round ends; a new round opens for the applicant, of this stage or an earlier one."""
    locked = _locked(actor, project_id)
    acting = _decider(actor, locked)
    row, spec_stage = _stage_row(locked, code)
    if row.status not in (StageStatus.SUBMITTED, StageStatus.REVIEW_PASSED):
        raise _wrong_state(_("Only a submitted stage can be returned."), row, spec_stage)
    reason = inputs.text(reason, "reason", required=True)
    target = to_stage or code
    stages = locked.track.stages
    if target not in stages or stages.index(target) > stages.index(code):
        message = _("Return to this stage or an earlier stage of the track.")
        raise ValidationFailed(message, extra={"errors": {"to_stage": [message]}})
    row.status = StageStatus.RETURNED
    row.reason = reason
    row.decided_by = acting.user
    row.on_behalf_of = acting.principal if acting.on_behalf else None
    row.decided_at = timezone.now()
    row.save()
    last_round = (
        ApprovalStage.objects.filter(project=locked.project, code=target).aggregate(Max("round"))[
            "round__max"
        ]
        or 0
    )
    reopened = ApprovalStage.objects.create(
        project=locked.project, code=target, round=last_round + 1, track=locked.track.code
    )
    _record(
        locked,
        actor,
        "stage_return",
        row,
        reason,
        to_stage=target,
        new_round=reopened.round,
        **acting.audit(),
    )
    return reopened


@transaction.atomic
def stage_reject(*, actor, project_id, code: str, reason: str) -> ApprovalStage:
    """驳回: the stage is rejected and with it the project (the department sees the reason)."""
    locked = _locked(actor, project_id)
    acting = _decider(actor, locked)
    row, spec_stage = _stage_row(locked, code)
    if row.status not in (StageStatus.SUBMITTED, StageStatus.REVIEW_PASSED):
        raise _wrong_state(_("Only a submitted stage can be rejected."), row, spec_stage)
    reason = inputs.text(reason, "reason", required=True)
    row.status = StageStatus.REJECTED
    row.reason = reason
    row.decided_by = acting.user
    row.on_behalf_of = acting.principal if acting.on_behalf else None
    row.decided_at = timezone.now()
    row.save()
    run_locked_transition(
        actor=acting.user,
        project=locked.project,
        name="reject",
        comment=reason,
        changes={"stage": row.code, "round": row.round, **acting.audit()},
    )
    return row
