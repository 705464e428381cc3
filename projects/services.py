"""Services for projects: create, edit, and every master-lifecycle transition.

Each transition runs in one transaction: lock the row, check the state, the actor's role and
separation of duties, evaluate the pinned rule pack, move the phase, write the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from govproj.errors import (
    ConcurrentUpdate,
    InvalidTransition,
    MissingDocuments,
    NotFound,
    NotPermitted,
    PreconditionFailed,
    RuleViolation,
    ValidationFailed,
)
from govproj.i18n import english, in_language
from jurisdictions.models import Department, Membership, Role
from jurisdictions.rules import FactError, parse_facts
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.facts import FACT_SOURCES, FactSource, fact_info
from jurisdictions.selectors import rule_pack
from projects.gates import gates_error, open_gates
from projects.models import (
    DECIDING_TRANSITIONS,
    PLAN_ONLY_TRANSITIONS,
    TRANSITION_LABELS,
    TRANSITION_ROLES,
    AuditEvent,
    Phase,
    Project,
    ProjectSequence,
)
from projects.selectors import (
    RECORD_RUN,
    STAGE_DECIDED,
    available_transitions,
    decided_on_stages,
    filer_ids,
    may_run,
    project_for,
    project_verdicts,
)

EDITABLE_PHASES = {Phase.DRAFT, Phase.RETURNED}
# Decisions staff must be told the reason for: the comment is required (the audit event keeps it).
REASON_REQUIRED = frozenset({"return_for_revision", "reject"})
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "total_investment_wan",
    "funding_source",
    "year",
    "facts",
)


def _check_facts(facts: Any) -> dict:
    if facts in (None, ""):
        return {}
    try:
        parse_facts(facts)
    except FactError as exc:
        raise ValidationFailed(
            _("Some facts are not valid."), extra={"errors": {"facts": exc.problems}}
        ) from exc
    return dict(facts)


def _refuse_recorded_facts(facts: Any, stored: Any = None) -> None:
    """Only declared facts are typed on a project (ARCHITECTURE.md, "Facts come from records").

    A decided fact is recorded in a reviewer's, finance officer's or admin's decision and a
    derived one is worked out from records (documents on file, screening answers, the dates of
    decisions, the plan year): setting either on the project is refused, naming the fact and
    where it comes from. A null (removing a fact stored before this rule) is allowed, and so is a
    stored value sent back unchanged (a client that reads the facts, adds one and writes them back).
    """
    if not isinstance(facts, dict):
        return
    stored = stored if isinstance(stored, dict) else {}
    refused = [
        name
        for name, value in facts.items()
        if value is not None
        and name in FACT_SOURCES
        and FACT_SOURCES[name] is not FactSource.DECLARED
        and value != stored.get(name)
    ]
    if not refused:
        return
    is_english = english()
    cite, separator = ("{} ({})", "; ") if is_english else ("{}（{}）", "；")
    problems = []
    for name in sorted(refused):
        info = fact_info(name)
        problems.append(
            {
                "fact": name,
                "source": info.source.value,
                "label": info.label(english=is_english),
                "problem": info.help(english=is_english),
            }
        )
    raise ValidationFailed(
        _("These facts are not typed on a project: %(facts)s.")
        % {"facts": separator.join(cite.format(p["label"], p["problem"]) for p in problems)},
        extra={"errors": {"facts": problems}},
    )


def _check_category(department: Department, category: str) -> None:
    pack = rule_pack(department.jurisdiction, as_of=timezone.localdate())
    codes = [c.code for c in pack.spec.categories]
    if codes and category not in codes:
        raise ValidationFailed(
            _("Unknown category for this jurisdiction's measure."),
            extra={"errors": {"category": [f"{category!r} is not one of {', '.join(codes)}"]}},
        )


def _next_code(jurisdiction, year: int) -> str:
    sequence, _created = ProjectSequence.objects.select_for_update().get_or_create(
        jurisdiction=jurisdiction, year=year
    )
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{jurisdiction.project_code_prefix}-{year}-{sequence.last:04d}"


@transaction.atomic
def create_project(
    *,
    actor,
    department: Department,
    title: str,
    category: str,
    total_investment_wan: Decimal,
    funding_source: str,
    year: int,
    description: str = "",
    facts: dict | None = None,
) -> Project:
    """A draft project of the actor's department (department staff only)."""
    is_staff = Membership.objects.filter(
        user=actor, department=department, role=Role.DEPARTMENT_STAFF
    ).exists()
    if not is_staff:
        raise NotPermitted(_("Only the department's staff may file its projects."))
    _check_category(department, category)
    _refuse_recorded_facts(facts)
    project = Project.objects.create(
        jurisdiction=department.jurisdiction,
        department=department,
        code=_next_code(department.jurisdiction, year),
        title=title,
        description=description,
        category=category,
        total_investment_wan=total_investment_wan,
        funding_source=funding_source,
        year=year,
        facts=_check_facts(facts),
        created_by=actor,
    )
    AuditEvent.objects.record(project, actor, "create")
    return project


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge by key, a null removes the key, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge_patch(merged.get(key), value)
    return merged


def _check_version(project: Project, expected_versions: Collection[int] | None) -> None:
    """`If-Match`: the caller read one of these versions; the row is locked, so the check holds."""
    if expected_versions is not None and project.version not in expected_versions:
        raise PreconditionFailed(extra={"version": project.version})


@transaction.atomic
def update_project(
    *, actor, project_id, changes: dict[str, Any], expected_versions: Collection[int] | None = None
) -> Project:
    """Edit a draft or returned project; the changes are kept in the audit event.

    `facts` is a JSON merge patch onto the stored facts (a key set to null removes that fact),
    so clients adding different facts at the same time lose nothing. `expected_versions` (from
    `If-Match`) refuses the edit with PreconditionFailed when the project has changed since.
    """
    project_for(actor, project_id)  # 404 for projects the actor cannot see at all
    editable = Project.objects.for_user(actor, "change").select_for_update(of=("self",))
    project = editable.filter(pk=project_id).first()
    if project is None:
        raise NotPermitted(_("Only the project's department may edit it."))
    _check_version(project, expected_versions)
    if project.phase not in EDITABLE_PHASES:
        raise InvalidTransition(
            _("A project can only be edited while it is a draft or returned for revision."),
            extra={"phase": project.phase, "allowed": available_transitions(project, actor)},
        )
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationFailed(extra={"errors": {name: ["not editable"] for name in unknown}})
    if "facts" in changes:
        _refuse_recorded_facts(changes["facts"], project.facts)
        changes["facts"] = _check_facts(_merge_patch(project.facts or {}, changes["facts"]))
    if "category" in changes:
        _check_category(project.department, changes["category"])
    before = {}
    for name, value in changes.items():
        before[name] = getattr(project, name)
        setattr(project, name, value)
    project.save()
    AuditEvent.objects.record(
        project,
        actor,
        "update",
        from_phase=project.phase,
        changes={name: _change(name, before[name], value) for name, value in changes.items()},
    )
    return project


def _change(name: str, before: Any, after: Any) -> dict[str, Any]:
    """An edit as the audit event keeps it: facts as the objects they are (so a page can say which
    fact changed), every other field as text."""
    if name == "facts":
        return {"from": before or {}, "to": after or {}}
    return {"from": str(before), "to": str(after)}


# What an administrator may correct in the admin: words, never money, tenancy or facts.
ADMIN_EDITABLE_FIELDS = ("title", "description")


@transaction.atomic
def project_admin_edit(*, actor, project_id, changes: dict[str, Any]) -> Project:
    """An administrator corrects a project's title or description; the audit event keeps the diff."""
    project = Project.objects.select_for_update(of=("self",)).filter(pk=project_id).first()
    if project is None:
        raise NotFound()
    administers = Membership.objects.filter(
        user=actor, jurisdiction_id=project.jurisdiction_id, role=Role.JURISDICTION_ADMIN
    ).exists()
    if not (actor.is_superuser or administers):
        raise NotPermitted(_("Only this jurisdiction's administrators may correct its projects."))
    refused = sorted(set(changes) - set(ADMIN_EDITABLE_FIELDS))
    if refused:
        raise ValidationFailed(
            _("Money, tenancy and facts change only through the project's own services."),
            extra={"errors": {name: ["not editable by an administrator"] for name in refused}},
        )
    diff = {}
    for name, value in changes.items():
        if getattr(project, name) != value:
            diff[name] = {"from": str(getattr(project, name)), "to": str(value)}
            setattr(project, name, value)
    if diff:
        project.clean_fields(exclude=[f.name for f in Project._meta.fields if f.name not in diff])
        project.save()
        AuditEvent.objects.record(project, actor, "admin_edit", from_phase=project.phase, changes=diff)
    return project


def _blocking_error(name: str, blocking: list[Verdict], pack) -> RuleViolation:
    cite, separator = ("{} ({})", "; ") if english() else ("{}（{}）", "；")
    detail = separator.join(cite.format(in_language(v.message), v.citation["article"]) for v in blocking)
    extra = {
        "transition": name,
        "rule_pack": pack.label,
        "rule_pack_version": pack.version,
        "verdicts": [v.to_dict() for v in blocking],
    }
    missing = [doc for v in blocking if v.kind == "required_documents" for doc in v.data.get("missing", [])]
    if missing:
        extra["missing_documents"] = missing
        return MissingDocuments(detail, extra=extra)
    return RuleViolation(detail, extra=extra)


def transition_project(
    *,
    actor,
    project_id,
    name: str,
    comment: str = "",
    as_of: dt.date | None = None,
    expected_versions: Collection[int] | None = None,
) -> Project:
    """Run one master transition; raise the ApplicationError that says why not.

    `expected_versions` (from `If-Match`) refuses it with PreconditionFailed when the project
    has changed since the caller read it.
    """
    if name not in TRANSITION_ROLES:
        raise ValidationFailed(
            _("Unknown transition."), extra={"errors": {"transition": [f"{name!r} is not a transition"]}}
        )
    if name in PLAN_ONLY_TRANSITIONS:
        project = project_for(actor, project_id)  # 404 first for projects the actor cannot see
        raise InvalidTransition(
            _(
                "Projects enter the annual plan when the annual plan is published "
                "(or as an emergency addition to a published plan): add this project to its year's plan."
            ),
            extra={
                "phase": project.phase,
                "transition": name,
                "allowed": available_transitions(project, actor),
            },
        )
    if name in STAGE_DECIDED and decided_on_stages(project := project_for(actor, project_id), [name]):
        raise InvalidTransition(
            _("This project is decided stage by stage: use its approval stages (审批) instead."),
            extra={
                "phase": project.phase,
                "transition": name,
                "allowed": available_transitions(project, actor),
                "stages": f"/api/v1/projects/{project.pk}/stages/",
            },
        )
    if name in RECORD_RUN:
        project = project_for(actor, project_id)  # 404 first for projects the actor cannot see
        raise InvalidTransition(
            _("“%(action)s” is recorded on the project's own record: use its page.")
            % {"action": TRANSITION_LABELS[name]},
            extra={
                "phase": project.phase,
                "transition": name,
                "allowed": available_transitions(project, actor),
                "record": reverse(RECORD_RUN[name], args=[project.pk]),
            },
        )
    try:
        with transaction.atomic():
            return _transition(actor, project_id, name, comment, as_of, expected_versions)
    except ConcurrentTransition as exc:
        raise ConcurrentUpdate() from exc


def _transition(actor, project_id, name: str, comment: str, as_of, expected_versions) -> Project:
    project_for(actor, project_id)  # 404 before anything else for projects the actor cannot see
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack")
        .get(pk=project_id)
    )
    _check_version(project, expected_versions)
    return run_locked_transition(actor=actor, project=project, name=name, comment=comment, as_of=as_of)


def run_locked_transition(
    *,
    actor,
    project: Project,
    name: str,
    comment: str = "",
    as_of: dt.date | None = None,
    evaluated: tuple[Any, list[Verdict]] | None = None,
    changes: dict | None = None,
) -> Project:
    """The core of every master transition, on a project row the caller has locked (select_for_update).

    Checks role and separation of duties, the state, the rules (`evaluated`: the caller's
    `project_verdicts(project, transition=name)` when it has them already), moves the phase, saves,
    and writes the audit event with the rule-pack version and the verdicts applied. The annual plan
    (projects.plans.services) runs `plan` through here for every project it publishes.
    """
    filers = filer_ids(project) if name in DECIDING_TRANSITIONS else set()  # one query, only when it matters
    if not may_run(actor, project, name, filers=filers):
        if name in DECIDING_TRANSITIONS and actor.pk in filers:
            raise NotPermitted(
                _("Whoever filed, declared or submitted a project may not decide on it."),
                extra={"transition": name},
            )
        raise NotPermitted(extra={"transition": name, "allowed": available_transitions(project, actor)})
    if not can_proceed(getattr(project, name)):
        raise InvalidTransition(
            _("“%(action)s” is not allowed while the project is %(phase)s.")
            % {"action": TRANSITION_LABELS[name], "phase": Phase(project.phase).label},
            extra={
                "phase": project.phase,
                "transition": name,
                "allowed": available_transitions(project, actor),
            },
        )
    if name in REASON_REQUIRED and not (comment or "").strip():
        raise ValidationFailed(
            _("Give a reason to “%(action)s”.") % {"action": TRANSITION_LABELS[name]},
            extra={"transition": name, "errors": {"comment": [_("A reason is required.")]}},
        )
    as_of = as_of or timezone.localdate()
    if name == "declare":
        project.rule_pack = rule_pack(project.jurisdiction, as_of=as_of)
    pack, verdicts = evaluated or project_verdicts(project, as_of=as_of, transition=name)
    blocking = [v for v in verdicts if v.blocks_transition(name)]
    if blocking:
        raise _blocking_error(name, blocking, pack)
    if owed := open_gates(project, name, pack.spec):
        raise gates_error(name, owed, pack)
    from_phase = project.phase
    getattr(project, name)()
    if name == "withdraw":
        # Back to a draft: the next declaration pins the version in force then (the event keeps this one).
        project.rule_pack = None
    project.save()
    AuditEvent.objects.record(
        project,
        actor,
        name,
        from_phase=from_phase,
        comment=comment,
        rule_pack=pack,
        verdicts=[v.to_dict() for v in verdicts if name in v.blocks],
        changes=changes or {},
    )
    return project
