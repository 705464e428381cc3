"""Services of the trial run and acceptance (试运行与验收): one per action.

Each runs in one transaction on the project row locked (select_for_update), records the facts its
record decides on the project (`projects.records.record_facts`) and writes one audit event; the
trial run's start, the application and a passed decision then move the master phase through
`projects.services.run_locked_transition` (start_trial_operation, apply_for_acceptance, accept),
which evaluates the pinned pack with those facts and writes its own event. What each measure asks
(three months of trial run, the checklist, the six months and the delay, the checks before
acceptance) is the pack's rules, never code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
from acceptance.completion.selectors import check_fact, current_due_date, measure_parts
from approvals.acting import Acting, acting_as
from govproj import inputs
from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from jurisdictions.rules.schema import DeadlineRule
from projects.models import AuditEvent, Phase, Project
from projects.records import locked_project, record_facts
from projects.selectors import (
    current_document_codes,
    filer_ids,
    project_facts,
    project_verdicts,
    roles_of,
)
from projects.services import _blocking_error, run_locked_transition

TEXT_MAX = 2000
NAME_MAX = 200
# 验收 is decided by the approver: the reviewer role of the jurisdiction (or a delegate in force).
APPROVER = SimpleNamespace(role=Role.REVIEWER, department=None)


def _check_staff(actor, project: Project) -> None:
    if not (actor.is_superuser or Role.DEPARTMENT_STAFF in roles_of(actor, project)):
        raise NotPermitted(
            _("Only the project's department records its trial run and applies for acceptance.")
        )


def _approver(actor, project: Project) -> Acting:
    acting = acting_as(actor, project.jurisdiction_id, APPROVER)
    if acting is None:
        raise NotPermitted(_("Only the reviewer decides on acceptance."))
    if acting.people() & filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    return acting


def _date(value, field: str, *, not_before: dt.date | None = None, before_label: str = "", future=False):
    """A date of the record: a real date, not in the future (unless `future`), not before `not_before`."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date) or not dt.date(1900, 1, 1) <= value <= dt.date(2200, 12, 31):
        message = _("Give a date.")
        raise ValidationFailed(message, extra={"errors": {field: [message]}})
    if not future and value > timezone.localdate():
        message = _("The date cannot be in the future.")
        raise ValidationFailed(message, extra={"errors": {field: [message]}})
    if not_before is not None and value < not_before:
        message = _("The date cannot be before %(what)s (%(date)s).") % {
            "what": before_label,
            "date": not_before.isoformat(),
        }
        raise ValidationFailed(message, extra={"errors": {field: [message]}})
    return value


def _wrong_phase(project: Project, message: str, allowed=()) -> InvalidTransition:
    return InvalidTransition(message, extra={"phase": project.phase, "allowed": list(allowed)})


def _record(project: Project, actor, action: str, comment: str = "", **changes) -> None:
    shown = {
        name: value.isoformat()
        if isinstance(value, dt.date)
        else str(value)
        if isinstance(value, Decimal)
        else value
        for name, value in changes.items()
        if value not in (None, "", {})
    }
    AuditEvent.objects.record(
        project,
        actor,
        action,
        from_phase=project.phase,
        comment=comment,
        rule_pack=project.rule_pack,
        changes=shown,
    )


# ---------------------------------------------------------------------------- trial run (试运行)


@transaction.atomic
def trial_run_record(*, actor, project_id, completion_date, start_date, comment: str = "") -> TrialRun:
    """建成 and 试运行: the department records both dates; the project moves to trial operation."""
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    if project.phase != Phase.IN_CONSTRUCTION or TrialRun.objects.filter(project=project).exists():
        raise _wrong_phase(project, _("The trial run is recorded once, when construction is complete."))
    completion = _date(completion_date, "completion_date")
    start = _date(
        start_date, "start_date", not_before=completion, before_label=_("construction was completed")
    )
    comment = inputs.text(comment, "comment", required=False)
    trial = TrialRun.objects.create(
        project=project, completion_date=completion, start_date=start, recorded_by=actor, comment=comment
    )
    changed = record_facts(project, {"completion_date": completion, "trial_run_start": start})
    _record(project, actor, "trial_run_record", comment, facts=changed)
    run_locked_transition(
        actor=actor, project=project, name="start_trial_operation", changes={"facts": changed}
    )
    return trial


@transaction.atomic
def trial_run_stable(*, actor, project_id, stable_date, comment: str = "") -> TrialRun:
    """试运行达到稳定状态 (红山 第二十八条): the six months of the filing count from this day."""
    project = locked_project(actor, project_id)
    parts = measure_parts(project_verdicts(project)[0].spec)
    if parts.stable is None:
        raise NotFound(_("This measure does not count from a stable trial run."))
    _check_staff(actor, project)
    trial = TrialRun.objects.filter(project=project).first()
    if trial is None or project.phase != Phase.TRIAL_OPERATION or trial.stable_date is not None:
        raise _wrong_phase(project, _("The stable date is recorded once, during the trial run."))
    stable = _date(
        stable_date, "stable_date", not_before=trial.start_date, before_label=_("the trial run started")
    )
    trial.stable_date = stable
    trial.stable_recorded_by, trial.stable_recorded_at = actor, timezone.now()
    trial.save()
    changed = record_facts(project, {"trial_run_stable_date": stable})
    _record(
        project, actor, "trial_run_stable", inputs.text(comment, "comment", required=False), facts=changed
    )
    return trial


# ---------------------------------------------------------------------------- checks before acceptance


def _check_kind(project: Project, kind: str) -> str:
    parts = measure_parts(project_verdicts(project)[0].spec)
    if kind not in CheckKind.values or kind not in {k for k, _rule in parts.checks}:
        raise NotFound(_("This measure has no such check before acceptance."))
    return kind


@transaction.atomic
def check_request(*, actor, project_id, kind: str, comment: str = "") -> AcceptanceCheck:
    """The department asks for the pre-acceptance review (包头) or the archive acceptance (鄂尔多斯)."""
    project = locked_project(actor, project_id)
    kind = _check_kind(project, kind)
    _check_staff(actor, project)
    if project.phase not in (Phase.TRIAL_OPERATION, Phase.IN_ACCEPTANCE):
        raise _wrong_phase(
            project, _("Checks before acceptance are asked for during the trial run or acceptance.")
        )
    last = AcceptanceCheck.objects.filter(project=project, kind=kind).last()
    if last is not None and last.status != CheckStatus.FAILED:
        raise InvalidTransition(
            _("This check has been asked for already."),
            extra={"phase": project.phase, "status": last.status, "allowed": []},
        )
    row = AcceptanceCheck.objects.create(
        project=project,
        kind=kind,
        requested_by=actor,
        comment=inputs.text(comment, "comment", required=False),
    )
    _record(project, actor, "acceptance_check_request", row.comment, check=kind)
    return row


@transaction.atomic
def check_decide(
    *, actor, project_id, kind: str, passed: bool, decision_date, opinion: str = ""
) -> AcceptanceCheck:
    """The reviewer records the check passed or not, with the opinion (required when not passed)."""
    project = locked_project(actor, project_id)
    kind = _check_kind(project, kind)
    acting = _approver(actor, project)
    row = AcceptanceCheck.objects.filter(project=project, kind=kind).last()
    if row is None or row.status != CheckStatus.REQUESTED:
        raise InvalidTransition(
            _("There is no request for this check waiting for a decision."),
            extra={"phase": project.phase, "status": row.status if row else "", "allowed": []},
        )
    if not isinstance(passed, bool):
        raise ValidationFailed(extra={"errors": {"passed": [_("Say whether it passed.")]}})
    opinion = inputs.text(opinion, "opinion", required=not passed)
    date = _date(
        decision_date,
        "decision_date",
        not_before=timezone.localtime(row.requested_at).date(),
        before_label=_("it was asked for"),
    )
    row.status = CheckStatus.PASSED if passed else CheckStatus.FAILED
    row.decided_by, row.decided_at, row.decision_date, row.opinion = (
        acting.user,
        timezone.now(),
        date,
        opinion,
    )
    row.save()
    changed = record_facts(project, {check_fact(kind): passed})
    _record(
        project,
        acting.user,
        "acceptance_check_pass" if passed else "acceptance_check_fail",
        opinion,
        check=kind,
        decision_date=date,
        facts=changed,
        **acting.audit(),
    )
    return row


# ---------------------------------------------------------------------------- delay (延期验收)


def _delay_facts(project: Project) -> dict[str, Any]:
    """The extension facts from the delay applications: the first live one's date, the latest grant."""
    rows = list(
        AcceptanceDelay.objects.filter(project=project).exclude(status=DelayStatus.REFUSED).order_by("id")
    )
    granted = [row.granted_date for row in rows if row.status == DelayStatus.GRANTED]
    return {
        "acceptance_delay_applied_date": min((row.applied_date for row in rows), default=None),
        "acceptance_delay_new_due_date": granted[-1] if granted else None,
    }


@transaction.atomic
def delay_apply(*, actor, project_id, reason: str, requested_date, applied_date=None) -> AcceptanceDelay:
    """延期验收申请: before the deadline, the department asks for a later date, giving the reason."""
    project = locked_project(actor, project_id)
    pack, verdicts = project_verdicts(project)
    parts = measure_parts(pack.spec)
    if parts.delay is None:
        raise NotFound(_("This measure has no acceptance deadline to delay."))
    _check_staff(actor, project)
    accepted = AcceptanceApplication.objects.filter(project=project, status=ApplicationStatus.PASSED).exists()
    if project.phase not in (Phase.TRIAL_OPERATION, Phase.IN_ACCEPTANCE) or accepted:
        raise _wrong_phase(project, _("A delay is applied for between the trial run and acceptance."))
    if AcceptanceDelay.objects.filter(project=project, status=DelayStatus.PENDING).exists():
        raise InvalidTransition(
            _("A delay application is waiting for its decision already."),
            extra={"phase": project.phase, "allowed": []},
        )
    due = current_due_date(project, verdicts, parts)
    if due is None:
        raise InvalidTransition(
            _("The acceptance deadline is not known yet: record the trial run first."),
            extra={"phase": project.phase, "allowed": []},
        )
    reason = inputs.text(reason, "reason", required=True)
    applied = _date(applied_date if applied_date is not None else timezone.localdate(), "applied_date")
    if applied > due:
        article = parts.delay.citation.article
        raise RuleViolation(
            _("A delay must be applied for before the acceptance deadline (%(due)s) (%(article)s).")
            % {"due": due.isoformat(), "article": article},
            extra={"due_date": due.isoformat(), "rule_id": parts.delay.id, "article": article},
        )
    requested = _date(requested_date, "requested_date", future=True)
    if requested <= due:
        message = _("Ask for a date after the current deadline (%(due)s).") % {"due": due.isoformat()}
        raise ValidationFailed(message, extra={"errors": {"requested_date": [message]}})
    row = AcceptanceDelay.objects.create(
        project=project,
        reason=reason,
        requested_date=requested,
        applied_date=applied,
        applied_by=actor,
        original_due_date=due,
    )
    changed = record_facts(project, _delay_facts(project))
    _record(
        project,
        actor,
        "acceptance_delay_apply",
        reason,
        requested_date=requested,
        due_date=due,
        facts=changed,
    )
    return row


@transaction.atomic
def delay_decide(
    *, actor, project_id, delay_id, granted: bool, granted_date=None, reason: str = ""
) -> AcceptanceDelay:
    """The approver grants a date (it may differ from the one asked for) or refuses with a reason."""
    project = locked_project(actor, project_id)
    if measure_parts(project_verdicts(project)[0].spec).delay is None:
        raise NotFound(_("This measure has no acceptance deadline to delay."))
    acting = _approver(actor, project)
    row = None
    if str(delay_id).isascii() and str(delay_id).isdecimal() and int(str(delay_id)) < 2**63:
        row = AcceptanceDelay.objects.filter(project=project, pk=int(str(delay_id))).first()
    if row is None:
        raise NotFound()
    if row.status != DelayStatus.PENDING:
        raise InvalidTransition(
            _("This delay application has been decided already."),
            extra={"status": row.status, "allowed": []},
        )
    if not isinstance(granted, bool):
        raise ValidationFailed(extra={"errors": {"granted": [_("Say whether the delay is granted.")]}})
    reason = inputs.text(reason, "reason", required=not granted)
    if granted:
        floor = row.original_due_date + dt.timedelta(days=1) if row.original_due_date else None
        date = _date(
            granted_date,
            "granted_date",
            future=True,
            not_before=floor,
            before_label=_("the day after the deadline"),
        )
        row.status, row.granted_date = DelayStatus.GRANTED, date
    else:
        row.status = DelayStatus.REFUSED
    row.decided_by, row.decided_at, row.decision_reason = acting.user, timezone.now(), reason
    row.save()
    changed = record_facts(project, _delay_facts(project))
    _record(
        project,
        acting.user,
        "acceptance_delay_grant" if granted else "acceptance_delay_refuse",
        reason,
        granted_date=row.granted_date,
        requested_date=row.requested_date,
        facts=changed,
        **acting.audit(),
    )
    return row


# ---------------------------------------------------------------------------- application and decision


def _may_apply_on(pack, verdicts, applied: dt.date) -> dt.date | None:
    """For a refusal counted back from the application (南充: three months of trial run), the first day
    the application would pass: the done date shifted forward by the rule's offset."""
    rules = {r.id: r for r in pack.spec.rules if isinstance(r, DeadlineRule)}
    days = []
    for verdict in verdicts:
        rule = rules.get(verdict.rule_id)
        if rule is None or rule.anchor != "acceptance_applied_date" or rule.offset is None:
            continue
        if not verdict.blocks_transition("apply_for_acceptance") or verdict.data.get("done_on") is None:
            continue
        offset = rule.offset
        if offset.amount >= 0 or offset.unit not in ("months", "years", "calendar_days"):
            continue
        delta = {
            "months": relativedelta(months=-offset.amount),
            "years": relativedelta(years=-offset.amount),
            "calendar_days": relativedelta(days=-offset.amount),
        }[offset.unit]
        days.append(verdict.data["done_on"] + delta)
    return max(days) if days else None


def _refuse_application(project, pack, verdicts, applied: dt.date) -> None:
    blocking = [v for v in verdicts if v.blocks_transition("apply_for_acceptance")]
    if not blocking:
        return
    error = _blocking_error("apply_for_acceptance", blocking, pack)
    may_on = _may_apply_on(pack, verdicts, applied)
    if may_on is not None:
        error.message += _("; acceptance may be applied for from %(date)s") % {"date": may_on.isoformat()}
        error.args = (error.message,)
        error.extra["may_apply_on"] = may_on.isoformat()
    raise error


@transaction.atomic
def acceptance_apply(*, actor, project_id, applied_date=None, comment: str = "") -> AcceptanceApplication:
    """申请验收: the department applies with the measure's documents; the project moves to acceptance.

    Refused (400) naming each missing document and rule with its article; after a decision of not
    passed, the department applies again (a new round) once it has put things right.
    """
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    latest = AcceptanceApplication.objects.filter(project=project).order_by("round").last()
    again = (
        project.phase == Phase.IN_ACCEPTANCE
        and latest is not None
        and latest.status == ApplicationStatus.NOT_PASSED
    )
    if project.phase != Phase.TRIAL_OPERATION and not again:
        raise _wrong_phase(
            project, _("Acceptance is applied for during the trial run (or again after it was not passed).")
        )
    facts = project_facts(project)
    start = facts.get("trial_run_start")
    applied = _date(
        applied_date if applied_date is not None else timezone.localdate(),
        "applied_date",
        not_before=start,
        before_label=_("the trial run started"),
    )
    comment = inputs.text(comment, "comment", required=False)
    pack, _verdicts = project_verdicts(project)
    new_facts: dict[str, Any] = {"acceptance_applied_date": applied}
    if measure_parts(pack.spec).filing:
        new_facts["acceptance_filing_date"] = applied  # 竣工验收备案表 submitted with the application (红山)
    changed = record_facts(project, new_facts)
    pack, verdicts = project_verdicts(project, transition="apply_for_acceptance")
    _refuse_application(project, pack, verdicts, applied)
    row = AcceptanceApplication.objects.create(
        project=project,
        round=(latest.round + 1) if latest is not None else 1,
        applied_date=applied,
        applied_by=actor,
        comment=comment,
        documents=sorted(current_document_codes(project) or ()),
    )
    _record(project, actor, "acceptance_apply", comment, round=row.round, applied_date=applied, facts=changed)
    if not again:
        run_locked_transition(
            actor=actor,
            project=project,
            name="apply_for_acceptance",
            comment=comment,
            evaluated=(pack, verdicts),
            changes={"round": row.round, "facts": changed},
        )
    return row


def _free_om_end(facts: dict, accepted_on: dt.date) -> dt.date | None:
    years = facts.get("free_om_years")
    if years is None:
        return None
    months = int((Decimal(str(years)) * 12).to_integral_value())
    if not 0 < months <= 12 * 100:  # a term of a century or more is no free O&M period to count
        return None
    return accepted_on + relativedelta(months=months)


@transaction.atomic
def acceptance_decide(
    *,
    actor,
    project_id,
    passed: bool,
    decision_date,
    conditions: str = "",
    reason: str = "",
    operation_start_date=None,
) -> AcceptanceApplication:
    """验收结论: passed (date, conditions; the project goes into operation) or not passed (reason)."""
    project = locked_project(actor, project_id)
    acting = _approver(actor, project)
    row = AcceptanceApplication.objects.filter(project=project).order_by("round").last()
    if project.phase != Phase.IN_ACCEPTANCE or row is None or row.status != ApplicationStatus.SUBMITTED:
        raise _wrong_phase(project, _("There is no application for acceptance waiting for a decision."))
    if not isinstance(passed, bool):
        raise ValidationFailed(extra={"errors": {"passed": [_("Say whether acceptance is passed.")]}})
    decided = _date(
        decision_date, "decision_date", not_before=row.applied_date, before_label=_("the application")
    )
    conditions = inputs.text(conditions, "conditions", required=False)
    reason = inputs.text(reason, "reason", required=not passed)
    row.decided_by, row.decided_at, row.decision_date = acting.user, timezone.now(), decided
    row.conditions, row.reason = conditions, reason
    if not passed:
        row.status = ApplicationStatus.NOT_PASSED
        row.save()
        changed = record_facts(project, {"accepted": False})
        _record(
            project,
            acting.user,
            "acceptance_fail",
            reason,
            round=row.round,
            decision_date=decided,
            facts=changed,
            **acting.audit(),
        )
        return row
    operation = _date(
        operation_start_date if operation_start_date is not None else decided,
        "operation_start_date",
        not_before=decided,
        before_label=_("the acceptance"),
    )
    free_om_end = _free_om_end(project_facts(project), decided)
    row.status = ApplicationStatus.PASSED
    row.operation_start_date, row.free_om_end_date = operation, free_om_end
    row.save()
    changed = record_facts(
        project,
        {
            "accepted": True,
            "acceptance_date": decided,
            "operation_start_date": operation,
            "free_om_end_date": free_om_end,
        },
    )
    _record(
        project,
        acting.user,
        "acceptance_pass",
        conditions,
        round=row.round,
        decision_date=decided,
        facts=changed,
        **acting.audit(),
    )
    run_locked_transition(
        actor=acting.user,
        project=project,
        name="accept",
        comment=conditions,
        changes={"round": row.round, "facts": changed, **acting.audit()},
    )
    return row


# ---------------------------------------------------------------------------- after acceptance


@transaction.atomic
def standard_record(*, actor, project_id, published_date, name: str) -> AcceptanceApplication:
    """莱州 第十五条: the standard published from a project of 500万 or more, within a year of acceptance."""
    project = locked_project(actor, project_id)
    pack, verdicts = project_verdicts(project)
    parts = measure_parts(pack.spec)
    if parts.standard is None:
        raise NotFound(_("This measure asks for no standard."))
    _check_staff(actor, project)
    row = AcceptanceApplication.objects.filter(project=project, status=ApplicationStatus.PASSED).first()
    verdict = next((v for v in verdicts if v.rule_id == parts.standard.id), None)
    if row is None or verdict is None or verdict.outcome.value == "not_applicable":
        raise _wrong_phase(
            project, _("A standard is recorded after acceptance, where the measure asks for one.")
        )
    if row.standard_published_date is not None:
        raise _wrong_phase(project, _("The standard has been recorded already."))
    name = inputs.text(name, "name", required=True, limit=NAME_MAX)
    date = _date(
        published_date, "published_date", not_before=row.decision_date, before_label=_("the acceptance")
    )
    row.standard_published_date, row.standard_name = date, name
    row.save()
    changed = record_facts(project, {"standard_published_date": date})
    _record(project, actor, "acceptance_standard", name, published_date=date, facts=changed)
    return row
