"""Services of the O&M funding applications: create, submit, withdraw, and the finance decision.

Each runs in one transaction on the project row locked (select_for_update) and writes one audit
event. Submitting records the facts the application decides (`om_annual_request_wan`,
`om_contract_term_years`, `om_is_continuation`, `om_application_date`, `om_period_end_date`,
`om_year_start_date`) so that the pack's O&M rules read them like any other fact. The finance
officer's decision keeps the verdicts and the pack version it applied (`answer.snapshot`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.acting import Acting, acting_as
from budgets.om.answer import answer_of, snapshot
from budgets.om.models import DECIDED, GRANTED, OPEN, OmApplication, OmStatus
from budgets.om.selectors import APPLICATION_FACTS, application_facts, eligible, free_om_end, verdicts_for
from govproj import inputs
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.models import AuditEvent, Phase, Project
from projects.records import locked_project, record_facts
from projects.selectors import (
    filer_ids,
    pack_for_project,
    parsed_project_id,
    project_facts,
    roles_of,
)
from projects.services import _blocking_error

TEXT_MAX = 2000
AMOUNT_MAX = Decimal("999999999999.99")
TERM_MAX = Decimal("99")
YEAR_MIN, YEAR_MAX = 2000, 2200
DECISIONS = ("approve", "reduce", "refuse")
# The phases a project leaves behind for good: no O&M funds are applied for there.
ENDED_PHASES = frozenset({Phase.REJECTED, Phase.TERMINATED, Phase.DECOMMISSIONED})
FINANCE = SimpleNamespace(role=Role.FINANCE_OFFICER, department=None)  # who decides (a pack-like taker)


def allowed_actions(application: OmApplication | None) -> list[str]:
    """What the application's state allows now (the API's `allowed` on a 409)."""
    if application is None:
        return ["create"]
    if application.status == OmStatus.DRAFT:
        return ["submit", "withdraw"]
    if application.status == OmStatus.SUBMITTED:
        return ["withdraw", *DECISIONS]
    return ["create"]  # decided or withdrawn: a new application may follow


def _wrong_state(message: str, application: OmApplication | None) -> InvalidTransition:
    return InvalidTransition(
        message,
        extra={
            "application": application.pk if application is not None else None,
            "status": application.status if application is not None else None,
            "allowed": allowed_actions(application),
        },
    )


# ---------------------------------------------------------------------------- input


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"errors": {field: [message]}})


def _decimal(value, field: str, *, maximum: Decimal, message: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01")) if value not in (None, "") else None
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite() or not Decimal(0) < number <= maximum:
        raise _invalid(field, message)
    return number


def _amount(value, field: str = "amount_wan") -> Decimal:
    return _decimal(value, field, maximum=AMOUNT_MAX, message=_("Give an amount in 10k CNY greater than 0."))


def _year(value) -> int:
    try:
        year = int(str(value)) if str(value).isascii() and str(value).strip().isdigit() else None
    except ValueError:
        year = None
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise _invalid(
            "year",
            _("Give the year the O&M funds are for (%(min)s–%(max)s).")
            % {
                "min": YEAR_MIN,
                "max": YEAR_MAX,
            },
        )
    return year


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, dt.date) or not dt.date(1900, 1, 1) <= value <= dt.date(2200, 12, 31):
        raise _invalid(field, _("Give a date."))
    return value


# ---------------------------------------------------------------------------- locking and roles


def _application(project: Project, application_id) -> OmApplication:
    pk = parsed_project_id(application_id)
    found = OmApplication.objects.filter(project=project, pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound()
    return found


def _check_staff(actor, project: Project) -> None:
    if not (actor.is_superuser or Role.DEPARTMENT_STAFF in roles_of(actor, project)):
        raise NotPermitted(_("Only the project's department applies for its O&M funds."))


def _finance(actor, project: Project, application: OmApplication) -> Acting:
    acting = acting_as(actor, project.jurisdiction_id, FINANCE)
    if acting is None:
        raise NotPermitted(_("Only the finance officer decides on O&M funding applications."))
    filers = filer_ids(project) | {application.created_by_id, application.submitted_by_id}
    if acting.people() & filers:
        raise NotPermitted(_("Whoever filed or submitted an application may not decide on it."))
    return acting


def _record(project, actor, action: str, application: OmApplication, comment: str = "", **changes) -> None:
    AuditEvent.objects.record(
        project,
        actor,
        action,
        from_phase=project.phase,
        comment=comment,
        rule_pack=pack_for_project(project),
        changes={"om_application": application.pk, "year": application.year, **changes},
    )


# ---------------------------------------------------------------------------- facts


def _restore_facts(project: Project, *, leaving: OmApplication) -> dict:
    """After a withdrawal: the facts of the latest granted application, or none."""
    granted = (
        OmApplication.objects.filter(project=project, status__in=GRANTED)
        .exclude(pk=leaving.pk)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if granted is None:
        return record_facts(project, dict.fromkeys(APPLICATION_FACTS))
    on = timezone.localtime(granted.submitted_at).date()
    return record_facts(project, application_facts(granted, on))


# ---------------------------------------------------------------------------- services


@transaction.atomic
def om_create(
    *,
    actor,
    project_id,
    year,
    amount_wan,
    term_years,
    is_continuation: bool = False,
    period_end_date=None,
    comment: str = "",
) -> OmApplication:
    """The department drafts an O&M funding application (one open application a project at a time)."""
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    if project.phase in ENDED_PHASES:
        raise InvalidTransition(
            _("No O&M funds are applied for once the project is %(phase)s.")
            % {"phase": project.get_phase_display()},
            extra={"phase": project.phase, "allowed": []},
        )
    open_one = OmApplication.objects.filter(project=project, status__in=OPEN).order_by("-pk").first()
    if open_one is not None:
        raise _wrong_state(_("The project already has an open O&M funding application."), open_one)
    year = _year(year)
    amount = _amount(amount_wan)
    term = _decimal(
        term_years,
        "term_years",
        maximum=TERM_MAX,
        message=_("Give the contract term in years (more than 0)."),
    )
    if not isinstance(is_continuation, bool):
        raise _invalid("is_continuation", _("Say whether this continues an earlier O&M contract."))
    period_end = _date(period_end_date, "period_end_date")
    if is_continuation and period_end is None:
        raise _invalid("period_end_date", _("A continuation gives the day the current O&M period ends."))
    comment = inputs.text(comment, "comment", required=False)
    last = (
        OmApplication.objects.filter(project=project, status__in=DECIDED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    application = OmApplication.objects.create(
        project=project,
        year=year,
        amount_wan=amount,
        term_years=term,
        is_continuation=is_continuation,
        period_end_date=period_end if is_continuation else None,
        comment=comment,
        follows=last if last is not None and last.status == OmStatus.REFUSED else None,
        created_by=actor,
    )
    _record(
        project,
        actor,
        "om_create",
        application,
        comment,
        amount_wan=str(amount),
        term_years=str(term),
        is_continuation=is_continuation,
    )
    return application


@transaction.atomic
def om_submit(*, actor, project_id, application_id, comment: str = "") -> OmApplication:
    """The department submits its application to the finance officer; its facts are recorded."""
    project = locked_project(actor, project_id)
    application = _application(project, application_id)
    _check_staff(actor, project)
    if application.status != OmStatus.DRAFT:
        raise _wrong_state(_("Only a draft application can be submitted."), application)
    if not eligible(project):
        raise InvalidTransition(
            _("O&M funds are applied for once the project is accepted and in operation (it is %(phase)s).")
            % {"phase": project.get_phase_display()},
            extra={"phase": project.phase, "allowed": ["withdraw"]},
        )
    comment = inputs.text(comment, "comment", required=False)
    today = timezone.localdate()
    pack, verdicts = verdicts_for(project, application, as_of=today)
    missing = [
        v
        for v in verdicts
        if v.phase == "om_funding"
        and v.kind == "required_documents"
        and v.outcome.value in ("fail", "required")
    ]
    if missing:
        raise _blocking_error("om_submit", missing, pack)
    facts = application_facts(application, today)
    facts.update(free_om_end(project_facts(project)))
    changed = record_facts(project, facts)
    application.submit()
    application.submitted_by, application.submitted_at = actor, timezone.now()
    application.save()
    _record(
        project,
        actor,
        "om_submit",
        application,
        comment,
        amount_wan=str(application.amount_wan),
        facts=changed,
    )
    return application


@transaction.atomic
def om_withdraw(*, actor, project_id, application_id, comment: str = "") -> OmApplication:
    """The department takes its application back before the decision."""
    project = locked_project(actor, project_id)
    application = _application(project, application_id)
    _check_staff(actor, project)
    if application.status not in OPEN:
        raise _wrong_state(_("Only an application not yet decided can be withdrawn."), application)
    comment = inputs.text(comment, "comment", required=False)
    was_submitted = application.status == OmStatus.SUBMITTED
    application.withdraw()
    application.save()
    changed = _restore_facts(project, leaving=application) if was_submitted else {}
    _record(project, actor, "om_withdraw", application, comment, facts=changed)
    return application


@transaction.atomic
def om_decide(
    *, actor, project_id, application_id, decision: str, granted_wan=None, reason: str = ""
) -> OmApplication:
    """The finance officer approves, reduces (a granted amount below the request) or refuses.

    Approving or reducing is refused (400, naming the rules and their articles) while a rule withholds
    the funds at the amount granted; reducing to the cap settles a cap (莱州 第二十九条). The decision keeps
    the verdicts on the application as submitted and the pack version it applied.
    """
    project = locked_project(actor, project_id)
    application = _application(project, application_id)
    if decision not in DECISIONS:
        raise _invalid("decision", _("Choose approve, reduce or refuse."))
    acting = _finance(actor, project, application)
    if application.status != OmStatus.SUBMITTED:
        raise _wrong_state(_("Only a submitted application can be decided."), application)
    reason = inputs.text(reason, "reason", required=decision in ("reduce", "refuse"))
    granted = None
    if decision == "approve":
        granted = application.amount_wan
    elif decision == "reduce":
        granted = _amount(granted_wan, "granted_wan")
        if granted >= application.amount_wan:
            raise _invalid("granted_wan", _("A reduced amount is less than the amount requested."))
    today = timezone.localdate()
    pack, verdicts = verdicts_for(project, application, as_of=today)
    rows = snapshot(verdicts)
    answer = answer_of(rows)
    if granted is not None:
        _pack, at_granted = verdicts_for(project, application, as_of=today, amount=granted)
        blocking = {line.rule_id for line in answer_of(at_granted).refusing}
        refusing = [v for v in at_granted if v.rule_id in blocking]
        if refusing:
            raise _blocking_error(f"om_{decision}", refusing, pack)
    getattr(application, decision)()
    application.granted_wan = granted
    application.reason = reason
    application.decided_by = acting.user
    application.on_behalf_of = acting.principal if acting.on_behalf else None
    application.decided_at = timezone.now()
    application.answer = answer.code
    application.verdicts = rows
    application.rule_pack = pack
    application.pack_version = pack.version
    application.save()
    _record(
        project,
        acting.user,
        f"om_{decision}",
        application,
        reason,
        amount_wan=str(application.amount_wan),
        granted_wan=str(granted) if granted is not None else "",
        answer=answer.code,
        rule_pack_version=pack.version,
        **acting.audit(),
    )
    return application
