"""Read-side helpers for projects: the facts the rules see, the verdicts now, what the user may do next."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_fsm import get_available_FIELD_transitions

from govproj.errors import NotFound
from jurisdictions.models import Membership, Role, RulePack
from jurisdictions.rules import evaluate
from jurisdictions.rules.engine import Verdict
from jurisdictions.selectors import rule_pack, working_calendar
from projects.models import DECIDING_TRANSITIONS, TRANSITION_ROLES, Phase, Project

# The date a transition happened is a fact the rules read (e.g. a deadline anchored on approval).
# Facts recorded explicitly on the project win over these defaults.
TRANSITION_DATE_FACTS: dict[str, tuple[str, ...]] = {
    "declare": ("declaration_date",),
    "approve": ("approval_date",),
    "start_construction": ("construction_start_date",),
    "start_trial_operation": ("trial_run_start", "completion_date"),
    "apply_for_acceptance": ("acceptance_applied_date",),
    "accept": ("acceptance_date", "operation_start_date"),
}
# Phases at or past which a standing fact is true.
LIBRARY_PHASES = {
    Phase.IN_LIBRARY,
    Phase.PLANNED,
    Phase.IN_REVIEW,
    Phase.APPROVED,
    Phase.IN_CONSTRUCTION,
    Phase.SUSPENDED,
    Phase.TRIAL_OPERATION,
    Phase.IN_ACCEPTANCE,
    Phase.IN_OPERATION,
    Phase.DECOMMISSIONED,
}
PLAN_PHASES = LIBRARY_PHASES - {Phase.IN_LIBRARY}


def project_for(user, pk, action: str = "view") -> Project:
    """The project if the user may see it, else NotFound — another tenant's project is simply not there."""
    found = (
        Project.objects.for_user(user, action)
        .select_related("jurisdiction", "department", "rule_pack")
        .filter(pk=pk)
    )
    project = found.first()
    if project is None:
        raise NotFound()
    return project


def project_facts(project: Project) -> dict[str, Any]:
    """The facts the engine sees: the project's fields, its recorded facts, and dates from its history."""
    facts: dict[str, Any] = dict(project.facts or {})
    facts.update(
        total_investment_wan=project.total_investment_wan,
        category=project.category,
        funding_source=project.funding_source,
    )
    if project.pk:
        for action, at in project.events.filter(action__in=TRANSITION_DATE_FACTS).values_list("action", "at"):
            for name in TRANSITION_DATE_FACTS[action]:
                facts.setdefault(name, timezone.localtime(at).date().isoformat())
    facts.setdefault("in_project_library", project.phase in LIBRARY_PHASES)
    facts.setdefault("in_annual_plan", project.phase in PLAN_PHASES)
    return facts


def pack_for_project(project: Project, as_of: dt.date | None = None) -> RulePack:
    """The pinned version, or (before declaration) the version in force today."""
    return project.rule_pack or rule_pack(project.jurisdiction, as_of=as_of or timezone.localdate())


def project_verdicts(
    project: Project, *, as_of: dt.date | None = None, transition: str | None = None
) -> tuple[RulePack, list[Verdict]]:
    """The pack's verdicts on the project; for a `transition`, as if it happened on `as_of`."""
    as_of = as_of or timezone.localdate()
    pack = pack_for_project(project, as_of)
    facts = project_facts(project)
    for name in TRANSITION_DATE_FACTS.get(transition, ()):
        facts.setdefault(name, as_of.isoformat())
    verdicts = evaluate(pack.spec, facts, as_of=as_of, calendar=working_calendar(project.jurisdiction))
    return pack, verdicts


def roles_of(user, project: Project) -> set[str]:
    memberships = Membership.objects.filter(user=user, jurisdiction_id=project.jurisdiction_id)
    return {
        m.role
        for m in memberships
        if m.role != Role.DEPARTMENT_STAFF or m.department_id == project.department_id
    }


def may_run(user, project: Project, transition: str) -> bool:
    """Role and separation of duties only; the state and the rules are checked by the service."""
    if transition in DECIDING_TRANSITIONS and project.created_by_id == user.pk:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user, project) & TRANSITION_ROLES.get(transition, frozenset()))


def available_transitions(project: Project, user=None) -> list[str]:
    """Transitions the state allows now (and, given a user, that the user's role may run)."""
    names = [t.name for t in get_available_FIELD_transitions(project, Project._meta.get_field("phase"))]
    return [name for name in names if user is None or may_run(user, project, name)]
