"""Services of change requests (调整) and final accounts (结余资金).

Each runs in one transaction on the project row locked (select_for_update) and writes one audit
event. The route a submitted change takes is the engine's (budgets/changes/routing.py): filed by the
unit (备案; the baseline moves at once and the approver acknowledges it), decided by the approver
(批复 with the approved new amount, 退回 or 驳回 with a reason), or closed because the measure needs a
new declaration. A decided change sets the investment baseline (budgets.baseline) and the change facts
the pack's filing rules read.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from approvals.acting import Acting, acting_as
from budgets.baseline.services import set_baseline
from budgets.changes.models import (
    DECIDED,
    OPEN,
    ChangeReason,
    ChangeRequest,
    ChangeStatus,
    Disposition,
    FinalAccount,
)
from budgets.changes.routing import Route, candidate_facts, route_change, surplus_verdict
from govproj import inputs
from govproj.errors import (
    ConcurrentUpdate,
    InvalidTransition,
    NotFound,
    NotPermitted,
    RuleViolation,
    ValidationFailed,
)
from govproj.i18n import in_language
from jurisdictions.models import Role
from jurisdictions.rules.facts import FACT_SOURCES, FactSource, fact_label
from projects.models import AuditEvent, Phase, Project
from projects.records import locked_project, record_facts
from projects.selectors import (
    filer_ids,
    pack_for_project,
    parsed_project_id,
    project_facts,
    roles_of,
)
from projects.services import create_project

TEXT_MAX = 2000
AMOUNT_MAX = Decimal("999999999999.99")
# Phases in which a project's content and investment may be changed (after approval, before acceptance).
CHANGE_PHASES = (Phase.APPROVED, Phase.IN_CONSTRUCTION, Phase.TRIAL_OPERATION)
# Phases in which the final accounts (决算) are drawn up.
ACCOUNT_PHASES = (Phase.TRIAL_OPERATION, Phase.IN_ACCEPTANCE, Phase.IN_OPERATION)
ACTIONS = ("submit", "withdraw", "approve", "return", "reject", "acknowledge", "start_new_project")


def allowed_actions(request: ChangeRequest | None) -> list[str]:
    """What the request's state allows now (the API's `allowed` on a 409)."""
    if request is None:
        return ["create"]
    status = request.status
    if status in (ChangeStatus.DRAFT, ChangeStatus.RETURNED):
        return ["edit", "submit", "withdraw"]
    if status == ChangeStatus.SUBMITTED:
        return ["withdraw", "approve", "return", "reject"]
    if status == ChangeStatus.FILED and request.acknowledged_at is None:
        return ["acknowledge"]
    if status == ChangeStatus.NEW_DECLARATION_REQUIRED and request.new_project_id is None:
        return ["start_new_project"]
    return []


def _wrong_state(message: str, request: ChangeRequest | None) -> InvalidTransition:
    return InvalidTransition(
        message,
        extra={
            "status": request.status if request is not None else "",
            "allowed": allowed_actions(request),
        },
    )


def _atomic(service):
    def run(*args, **kwargs):
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except ConcurrentTransition as exc:
            raise ConcurrentUpdate() from exc

    run.__name__ = service.__name__
    run.__doc__ = service.__doc__
    return run


# ---------------------------------------------------------------------------- input


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"errors": {field: [message]}})


def _amount(value, field: str, *, required: bool = False, positive: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise _invalid(field, _("Give an amount in 10k CNY."))
        return None if positive else Decimal("0.00")
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or not Decimal(0) <= amount <= AMOUNT_MAX:
        raise _invalid(field, _("Give an amount in 10k CNY, not negative."))
    if positive and amount <= 0:
        raise _invalid(field, _("Give an amount in 10k CNY greater than 0."))
    return amount


def _date(value, field: str) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            value = None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date) or value > timezone.localdate():
        raise _invalid(field, _("Give the date of the decision (not in the future)."))
    if value.year < 1900:
        raise _invalid(field, _("Give the date of the decision (not in the future)."))
    return value


def _bool(value, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, ""):
        return False
    raise _invalid(field, _("Answer yes or no."))


def _terms(data: dict[str, Any]) -> dict[str, Any]:
    """The request's own fields, checked."""
    terms = {
        "content": inputs.text(data.get("content"), "content", required=True),
        "increases_wan": _amount(data.get("increases_wan"), "increases_wan"),
        "decreases_wan": _amount(data.get("decreases_wan"), "decreases_wan"),
        "new_content_wan": _amount(data.get("new_content_wan"), "new_content_wan"),
        "tender_savings_wan": _amount(data.get("tender_savings_wan"), "tender_savings_wan"),
        "goal_changed": _bool(data.get("goal_changed"), "goal_changed"),
        "explanation": inputs.text(data.get("explanation"), "explanation", required=False),
    }
    reason = data.get("reason")
    if reason not in ChangeReason.values:
        raise _invalid("reason", _("Choose the condition the change rests on."))
    terms["reason"] = reason
    if terms["increases_wan"] == 0 and terms["decreases_wan"] == 0:
        message = _("State the investment the change increases or decreases.")
        raise ValidationFailed(
            message, extra={"errors": {"increases_wan": [message], "decreases_wan": [message]}}
        )
    if terms["new_content_wan"] > terms["increases_wan"]:
        raise _invalid("new_content_wan", _("New content is part of the increase: it cannot exceed it."))
    if terms["tender_savings_wan"] > terms["decreases_wan"]:
        raise _invalid(
            "tender_savings_wan", _("Tender savings are part of the decrease: they cannot exceed it.")
        )
    return terms


# ---------------------------------------------------------------------------- locking and roles


def _locked_request(actor, project_id, request_id) -> tuple[Project, ChangeRequest]:
    project = locked_project(actor, project_id)
    pk = parsed_project_id(request_id)  # the same id range: "abc", "²" or 2**64 is no request
    request = ChangeRequest.objects.select_for_update().filter(pk=pk, project=project).first() if pk else None
    if request is None:
        raise NotFound()
    return project, request


def _check_staff(actor, project: Project) -> None:
    if not (actor.is_superuser or Role.DEPARTMENT_STAFF in roles_of(actor, project)):
        raise NotPermitted(_("Only the project's department files and withdraws its change requests."))


class _Reviewer:
    role = Role.REVIEWER
    department = None


def decider_of(project: Project):
    """Who decides a change that goes back through approval: the pack's decider, else the reviewer."""
    approval = pack_for_project(project).spec.review.approval
    return approval.decider if approval is not None else _Reviewer()


def decider_name(project: Project) -> str:
    approval = pack_for_project(project).spec.review.approval
    return in_language(approval.decider.name) if approval is not None else str(Role.REVIEWER.label)


def _decider(actor, project: Project) -> Acting:
    acting = acting_as(actor, project.jurisdiction_id, decider_of(project))
    if acting is None:
        raise NotPermitted(
            _("Only %(decider)s decides change requests.") % {"decider": decider_name(project)}
        )
    if acting.people() & filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    if acting.people() & _submitters(project):
        raise NotPermitted(_("Whoever filed a change request may not decide on it."))
    return acting


def _submitters(project: Project) -> set[int]:
    return set(
        ChangeRequest.objects.filter(project=project)
        .exclude(submitted_by=None)
        .values_list("submitted_by", flat=True)
    )


def _record(project: Project, actor, action: str, request: ChangeRequest, comment: str = "", **changes):
    AuditEvent.objects.record(
        project,
        actor,
        action,
        from_phase=project.phase,
        comment=comment,
        rule_pack=pack_for_project(project),
        changes={"change_request": request.pk, "status": request.status, **changes},
    )


def _set_total(project: Project, amount: Decimal) -> dict[str, str]:
    """The project's total investment after a decided change (the locked project; saved at once)."""
    before = project.total_investment_wan
    project.total_investment_wan = amount
    project.save(update_fields=["total_investment_wan", "version", "updated_at"])
    return {"from": str(before), "to": str(amount)}


def _estimate(project: Project) -> Decimal:
    """The estimate the change is measured against: the `approved_estimate_wan` fact (the baseline)."""
    estimate = project_facts(project).get("approved_estimate_wan")
    if estimate is None:
        raise RuleViolation(
            _("The project has no approved estimate on record yet: a change is measured against it."),
            extra={"errors": {"approved_estimate_wan": [fact_label("approved_estimate_wan")]}},
        )
    return Decimal(estimate)


def route_for(project: Project, terms: dict[str, Any]) -> tuple[Route, Decimal, dict[str, Any]]:
    """The engine's route for the change `terms` on the project, the estimate and the candidate facts."""
    estimate = _estimate(project)
    candidate = candidate_facts(
        estimate=estimate,
        increases=terms["increases_wan"],
        decreases=terms["decreases_wan"],
        new_content=terms["new_content_wan"],
        savings=terms["tender_savings_wan"],
        goal_changed=terms["goal_changed"],
        reason=terms["reason"],
    )
    return route_change(project, candidate), estimate, candidate


def _store_route(request: ChangeRequest, route: Route, estimate: Decimal) -> None:
    request.estimate_wan = estimate
    request.resulting_total_wan = estimate + request.increases_wan - request.decreases_wan
    request.adjustment_wan = route.adjustment_wan
    request.ratio_percent = route.ratio_percent
    request.route = route.code
    request.disposition = route.disposition
    request.rule_id = route.rule_id
    request.article = route.article
    request.route_message = route.message
    request.beyond_because = route.beyond_because
    request.rule_pack = route.pack


def _missing_facts_error(route: Route) -> RuleViolation:
    names = "、".join(fact_label(name) for name in route.missing_facts)
    return RuleViolation(
        _("The measure cannot route this change yet: record %(facts)s first (%(article)s).")
        % {"facts": names, "article": route.article},
        extra={
            "rule": route.rule_id,
            "article": route.article,
            "errors": {name: [fact_label(name)] for name in route.missing_facts},
        },
    )


# ---------------------------------------------------------------------------- change requests


@_atomic
def change_request_create(*, actor, project_id, **data) -> ChangeRequest:
    """The department drafts a change request (one open request per project at a time)."""
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    if project.phase not in CHANGE_PHASES:
        raise InvalidTransition(
            _("A change is requested after approval and before acceptance (the project is %(phase)s).")
            % {"phase": Phase(project.phase).label},
            extra={"phase": project.phase, "allowed": []},
        )
    open_request = ChangeRequest.objects.filter(project=project, status__in=OPEN).first()
    if open_request is not None:
        raise _wrong_state(_("This project has an open change request already."), open_request)
    terms = _terms(data)
    request = ChangeRequest(project=project, created_by=actor, **terms)
    route, estimate, _candidate = route_for(project, terms)
    _store_route(request, route, estimate)
    request.full_clean(exclude=["status", "rule_pack", "new_project"])
    request.save()
    _record(
        project,
        actor,
        "change_create",
        request,
        increases_wan=str(request.increases_wan),
        decreases_wan=str(request.decreases_wan),
    )
    return request


@_atomic
def change_request_update(*, actor, project_id, request_id, **data) -> ChangeRequest:
    """The department edits a draft or returned request."""
    project, request = _locked_request(actor, project_id, request_id)
    _check_staff(actor, project)
    if request.status not in (ChangeStatus.DRAFT, ChangeStatus.RETURNED):
        raise _wrong_state(_("Only a draft or returned change request can be edited."), request)
    terms = _terms(data)
    for name, value in terms.items():
        setattr(request, name, value)
    route, estimate, _candidate = route_for(project, terms)
    _store_route(request, route, estimate)
    request.save()
    _record(project, actor, "change_update", request)
    return request


@_atomic
def change_request_submit(*, actor, project_id, request_id, comment: str = "") -> ChangeRequest:
    """The department submits the request: the engine routes it (file / approval / new declaration)."""
    project, request = _locked_request(actor, project_id, request_id)
    _check_staff(actor, project)
    if not can_proceed(request.submit):
        raise _wrong_state(_("This change request has been submitted already."), request)
    if project.phase not in CHANGE_PHASES:
        raise InvalidTransition(
            _("A change is requested after approval and before acceptance (the project is %(phase)s).")
            % {"phase": Phase(project.phase).label},
            extra={"phase": project.phase, "allowed": ["withdraw"]},
        )
    comment = inputs.text(comment, "comment", required=False)
    terms = {
        name: getattr(request, name)
        for name in (
            "increases_wan",
            "decreases_wan",
            "new_content_wan",
            "tender_savings_wan",
            "goal_changed",
            "reason",
        )
    }
    route, estimate, candidate = route_for(project, terms)
    if route.missing_facts:
        raise _missing_facts_error(route)
    _store_route(request, route, estimate)
    request.submitted_by, request.submitted_at = actor, timezone.now()
    changes: dict[str, Any] = {"route": route.code, "rule": route.rule_id, "article": route.article}
    if route.disposition == Disposition.FILING:
        request.file()
        request.decided_at = request.submitted_at
        request.save()
        # 备案 moves the baseline (the investment planned now) but does not re-approve the estimate:
        # the change stays measured against the estimate as approved (and within it, 第二十一条 etc.).
        baseline = set_baseline(
            project, request.resulting_total_wan, actor, sets_estimate=False, source_change=request
        )
        changes["baseline_wan"] = str(baseline.amount_wan)
        changes["total_investment_wan"] = _set_total(project, baseline.amount_wan)
        changes["facts"] = record_facts(project, candidate)
        _record(project, actor, "change_file", request, comment, **changes)
    elif route.disposition == Disposition.NEW_DECLARATION:
        request.require_new_declaration()
        request.save()
        _record(project, actor, "change_new_declaration", request, comment, **changes)
    else:
        request.submit()
        request.save()
        _record(project, actor, "change_submit", request, comment, **changes)
    return request


@_atomic
def change_request_withdraw(*, actor, project_id, request_id, comment: str = "") -> ChangeRequest:
    """The department takes back a request not decided yet."""
    project, request = _locked_request(actor, project_id, request_id)
    _check_staff(actor, project)
    if not can_proceed(request.withdraw):
        raise _wrong_state(_("A decided change request cannot be withdrawn."), request)
    comment = inputs.text(comment, "comment", required=False)
    request.withdraw()
    request.save()
    _record(project, actor, "change_withdraw", request, comment)
    return request


def _decide(actor, project_id, request_id, action: str):
    project, request = _locked_request(actor, project_id, request_id)
    acting = _decider(actor, project)
    if request.status != ChangeStatus.SUBMITTED:
        raise _wrong_state(_("This change request is not waiting for a decision."), request)
    return project, request, acting


@_atomic
def change_request_approve(
    *, actor, project_id, request_id, document_number, decision_date, amount_wan, comment: str = ""
) -> ChangeRequest:
    """批复: the approver approves the change with its document number, date and the approved new amount."""
    project, request, acting = _decide(actor, project_id, request_id, "approve")
    number = inputs.text(document_number, "document_number", required=True, limit=100)
    date = _date(decision_date, "decision_date")
    amount = _amount(amount_wan, "amount_wan", required=True, positive=True)
    comment = inputs.text(comment, "comment", required=False)
    request.approve()
    request.decided_by, request.on_behalf_of = acting.user, acting.principal if acting.on_behalf else None
    request.decided_at = timezone.now()
    request.document_number, request.decision_date, request.approved_amount_wan = number, date, amount
    request.decision_reason = comment
    request.save()
    baseline = set_baseline(project, amount, actor, source_change=request)
    total = _set_total(project, amount)
    # The approved change is the new estimate: nothing is left for the unit's own tolerance to route.
    facts = record_facts(
        project,
        {
            "adjustment_wan": None,
            "adjustment_increase_wan": None,
            "adjustment_decrease_wan": None,
            "new_content_wan": None,
            "tender_savings_wan": None,
            "change_reason": None,
            "within_estimate": None,
            "goal_changed": request.goal_changed,
        },
    )
    _record(
        project,
        actor,
        "change_approve",
        request,
        comment,
        document_number=number,
        decision_date=date.isoformat(),
        amount_wan=str(amount),
        baseline_wan=str(baseline.amount_wan),
        total_investment_wan=total,
        facts=facts,
        **acting.audit(),
    )
    return request


@_atomic
def change_request_return(*, actor, project_id, request_id, reason) -> ChangeRequest:
    """退回: back to the department for revision; a reason is required."""
    project, request, acting = _decide(actor, project_id, request_id, "return")
    reason = inputs.text(reason, "reason", required=True)
    request.return_for_revision()
    request.decided_by, request.on_behalf_of = acting.user, acting.principal if acting.on_behalf else None
    request.decided_at, request.decision_reason = timezone.now(), reason
    request.save()
    _record(project, actor, "change_return", request, reason, **acting.audit())
    return request


@_atomic
def change_request_reject(*, actor, project_id, request_id, reason) -> ChangeRequest:
    """驳回: the change is refused; the baseline stays; a reason is required."""
    project, request, acting = _decide(actor, project_id, request_id, "reject")
    reason = inputs.text(reason, "reason", required=True)
    request.reject()
    request.decided_by, request.on_behalf_of = acting.user, acting.principal if acting.on_behalf else None
    request.decided_at, request.decision_reason = timezone.now(), reason
    request.save()
    _record(project, actor, "change_reject", request, reason, **acting.audit())
    return request


@_atomic
def change_request_acknowledge(*, actor, project_id, request_id, comment: str = "") -> ChangeRequest:
    """已知悉: the approver acknowledges a change the unit filed."""
    project, request = _locked_request(actor, project_id, request_id)
    acting = _decider(actor, project)
    if request.status != ChangeStatus.FILED or request.acknowledged_at is not None:
        raise _wrong_state(_("Only a filed change not yet acknowledged can be acknowledged."), request)
    comment = inputs.text(comment, "comment", required=False)
    request.acknowledged_by, request.acknowledged_at = acting.user, timezone.now()
    request.save()
    _record(project, actor, "change_acknowledge", request, comment, **acting.audit())
    return request


@_atomic
def change_request_start_new_project(*, actor, project_id, request_id) -> Project:
    """A new project draft, prefilled from the project and the change that needs a new declaration."""
    project, request = _locked_request(actor, project_id, request_id)
    _check_staff(actor, project)
    if request.status != ChangeStatus.NEW_DECLARATION_REQUIRED or request.new_project_id is not None:
        raise _wrong_state(
            _("A new project is started only from a change that needs a new declaration."), request
        )
    declared = {
        name: value
        for name, value in (project.facts or {}).items()
        if FACT_SOURCES.get(name) is FactSource.DECLARED
    }
    declared.pop("procurement_started", None)  # a new project has not started its procurement
    new = create_project(
        actor=actor,
        department=project.department,
        title=(_("%(title)s (declared again after a change)") % {"title": project.title})[:200],
        category=project.category,
        total_investment_wan=request.resulting_total_wan or project.total_investment_wan,
        funding_source=project.funding_source,
        year=timezone.localdate().year,
        description=_("Declared again after change request %(number)s of project %(code)s: %(content)s")
        % {"number": request.pk, "code": project.code, "content": request.content},
        facts=declared,
    )
    request.new_project = new
    request.save(update_fields=["new_project"])
    _record(project, actor, "change_new_project", request, new_project=new.pk, new_project_code=new.code)
    return new


# ---------------------------------------------------------------------------- final accounts and surplus


def _goal_changed(project: Project) -> bool:
    return ChangeRequest.objects.filter(project=project, status__in=DECIDED, goal_changed=True).exists()


@_atomic
def final_account_record(*, actor, project_id, actual_spend_wan) -> FinalAccount:
    """决算: the department records what the project spent; the surplus is the baseline less the spend."""
    project = locked_project(actor, project_id)
    _check_staff(actor, project)
    if project.phase not in ACCOUNT_PHASES:
        raise InvalidTransition(
            _("The final accounts are drawn up once construction is complete (the project is %(phase)s).")
            % {"phase": Phase(project.phase).label},
            extra={"phase": project.phase, "allowed": []},
        )
    account = FinalAccount.objects.filter(project=project).first()
    if account is not None and account.returned_at is not None:
        raise InvalidTransition(
            _("The surplus has been returned: the final accounts are closed."),
            extra={"allowed": []},
        )
    spend = _amount(actual_spend_wan, "actual_spend_wan", required=True)
    baseline = _estimate(project)
    surplus = max(baseline - spend, Decimal("0.00"))
    goal_changed = _goal_changed(project)
    verdict = surplus_verdict(project, surplus, goal_changed)
    account = account or FinalAccount(project=project)
    account.actual_spend_wan, account.baseline_wan, account.surplus_wan = spend, baseline, surplus
    account.must_return = verdict.must_return
    account.return_rule_id, account.return_article = verdict.rule_id, verdict.article
    account.recorded_by = actor
    account.save()
    facts = record_facts(project, {"surplus_wan": surplus, "goal_changed": goal_changed})
    AuditEvent.objects.record(
        project,
        actor,
        "final_account_record",
        from_phase=project.phase,
        rule_pack=pack_for_project(project),
        changes={
            "actual_spend_wan": str(spend),
            "surplus_wan": str(surplus),
            "must_return": verdict.must_return,
            "rule": verdict.rule_id,
            "facts": facts,
        },
    )
    return account


@_atomic
def surplus_return_confirm(*, actor, project_id, returned_on, reference: str = "") -> FinalAccount:
    """The finance officer confirms the surplus was returned (where the measure says it must be).

    The `surplus_wan` fact is then what is still to be returned: nothing, so the surplus rules pass.
    """
    project = locked_project(actor, project_id)
    if not (actor.is_superuser or Role.FINANCE_OFFICER in roles_of(actor, project)):
        raise NotPermitted(_("Only a finance officer confirms that the surplus was returned."))
    account = FinalAccount.objects.select_for_update().filter(project=project).first()
    if account is None or not account.must_return or account.returned_at is not None:
        raise InvalidTransition(
            _("There is no surplus waiting to be returned."),
            extra={"allowed": ["record_final_account"] if account is None else []},
        )
    date = _date(returned_on, "returned_on")
    reference = inputs.text(reference, "reference", required=False, limit=100)
    account.returned_by, account.returned_at = actor, timezone.now()
    account.returned_on, account.return_reference = date, reference
    account.save()
    facts = record_facts(project, {"surplus_wan": Decimal("0.00")})
    AuditEvent.objects.record(
        project,
        actor,
        "surplus_return",
        from_phase=project.phase,
        comment=reference,
        rule_pack=pack_for_project(project),
        changes={"surplus_wan": str(account.surplus_wan), "returned_on": date.isoformat(), "facts": facts},
    )
    return account
