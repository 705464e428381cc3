"""What the pages and the API read about a project's changes (调整), baseline and surplus (结余资金)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from approvals.acting import acting_as
from budgets.baseline.models import InvestmentBaseline, baseline_source_label
from budgets.changes import services
from budgets.changes.models import OPEN, ChangeRequest, ChangeStatus, FinalAccount
from budgets.changes.routing import BEYOND_LABELS, route_label
from govproj.i18n import in_language
from jurisdictions.models import Role
from jurisdictions.rules.schema import Outcome
from projects.selectors import filer_ids, pack_for_project, roles_of

PEOPLE = ("created_by", "submitted_by", "decided_by", "on_behalf_of", "acknowledged_by", "new_project")


def baseline_rows(project, pack=None) -> list[InvestmentBaseline]:
    """The baseline's rows, latest first, each with `source_label` (the stage's name, or the change)."""
    pack = pack or pack_for_project(project)
    approval = pack.spec.review.approval
    rows = list(
        InvestmentBaseline.objects.filter(project=project)
        .select_related("set_by", "source_stage", "source_change")
        .order_by("-id")
    )
    for row in rows:
        if row.source_stage is not None:
            spec = approval.stage(row.source_stage.code) if approval is not None else None
            row.source_label = in_language(spec.name) if spec else row.source_stage.code
        else:
            row.source_label = baseline_source_label(row)
    return rows


def decorate(request: ChangeRequest) -> ChangeRequest:
    """Labels for people: the route and why it is beyond the unit's power."""
    request.route_label = route_label(request.route)
    request.beyond_labels = [str(BEYOND_LABELS.get(code, code)) for code in request.beyond_because or []]
    request.allowed = services.allowed_actions(request)
    return request


def change_requests(project) -> list[ChangeRequest]:
    rows = ChangeRequest.objects.filter(project=project).select_related(*PEOPLE).order_by("-id")
    return [decorate(row) for row in rows]


def may(user, project, requests: list[ChangeRequest] | None = None) -> dict[str, Any]:
    """What the user may do now on the project's changes (the buttons; the services check again)."""
    if not user.is_authenticated:
        return {
            "create": False,
            "staff": False,
            "decide": False,
            "record_account": False,
            "confirm_return": False,
        }
    roles = roles_of(user, project)
    staff = user.is_superuser or Role.DEPARTMENT_STAFF in roles
    acting = acting_as(user, project.jurisdiction_id, services.decider_of(project))
    decide = acting is not None and not (acting.people() & filer_ids(project))
    if requests is None:
        requests = list(ChangeRequest.objects.filter(project=project))
    if decide:
        submitters = {r.submitted_by_id for r in requests if r.submitted_by_id}
        decide = not (acting.people() & submitters)
    has_open = any(r.status in OPEN for r in requests)
    return {
        "create": staff and project.phase in services.CHANGE_PHASES and not has_open,
        "staff": staff,
        "decide": decide,
        "record_account": staff and project.phase in services.ACCOUNT_PHASES,
        "confirm_return": user.is_superuser or Role.FINANCE_OFFICER in roles,
    }


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01")) if value is not None else None
    except (InvalidOperation, ValueError):
        return None


def change_overview(user, project, *, pack=None, verdicts=None) -> dict[str, Any]:
    """The baseline and its history, change requests with their routes, final accounts, what blocks."""
    pack = pack or pack_for_project(project)
    rows = baseline_rows(project, pack)
    requests = change_requests(project)
    account = FinalAccount.objects.filter(project=project).select_related("returned_by").first()
    blocking = [
        {"message": in_language(v.message), "article": v.citation.get("article", "")}
        for v in (verdicts or [])
        if v.phase == "change" and v.outcome in (Outcome.FAIL, Outcome.REQUIRED) and v.kind != "threshold"
    ]
    estimate = (project.facts or {}).get("approved_estimate_wan")
    return {
        # Without a baseline row (an estimate imported before the approval records): the recorded fact.
        "estimate": _decimal(estimate) if not rows else None,
        "baseline": rows[0] if rows else None,
        "baseline_history": rows,
        "requests": requests,
        "open": next((r for r in requests if r.status in OPEN), None),
        "waiting": [r for r in requests if r.status == ChangeStatus.SUBMITTED],
        "account": account,
        "blocking": blocking,
        "decider_name": services.decider_name(project),
        "may": may(user, project, requests),
        "in_phase": project.phase in services.CHANGE_PHASES,
    }
