"""Services of the annual plan (年度计划): create, add, remove, publish, revise, emergency addition.

Each runs in one transaction: lock the plan row (and the project rows it touches), authorise
(the reviewer role of the plan's jurisdiction), check the state, write. Publishing runs the master
transition `plan` (in_library → planned) for every project of the plan through the project
service's locked core (`projects.services.run_locked_transition`), so each move is checked against
the rules and written as its own audit event with the rule-pack version and verdicts applied.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from govproj.errors import (
    ConcurrentUpdate,
    InvalidTransition,
    NotFound,
    NotPermitted,
    RuleViolation,
    ValidationFailed,
)
from govproj.i18n import english, in_language
from jurisdictions.models import Jurisdiction
from projects.models import AuditEvent, Phase, Project
from projects.plans.models import AnnualPlan, AnnualPlanEntry, PlanStatus
from projects.plans.selectors import emergency_article, managed_jurisdictions, may_manage, plan_for
from projects.selectors import filer_ids, project_verdicts
from projects.services import run_locked_transition

YEAR_MIN, YEAR_MAX = 2000, 2100
TEXT_MAX = 100
PLAN_ACTIONS = ("add", "remove", "publish", "revise", "emergency")


def allowed_actions(plan: AnnualPlan) -> list[str]:
    """What the plan's state allows now (the API's `allowed` on a 409)."""
    if plan.status == PlanStatus.PUBLISHED:
        return ["revise", "emergency"]
    return ["add", "remove", "publish"]


def _wrong_state(plan: AnnualPlan, message: str) -> InvalidTransition:
    return InvalidTransition(message, extra={"status": plan.status, "allowed": allowed_actions(plan)})


def _locked_plan(actor, plan_id) -> AnnualPlan:
    """The plan locked for writing: 404 when the actor cannot see it, 403 without the reviewer role."""
    plan_for(actor, plan_id)
    plan = AnnualPlan.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=plan_id)
    if not may_manage(actor, plan):
        raise NotPermitted(_("Only the jurisdiction's reviewers compile and publish its annual plan."))
    return plan


def _locked_project(plan: AnnualPlan, project_id) -> Project:
    """A project of the plan's jurisdiction, locked; another jurisdiction's is refused as unknown."""
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack", "department")
        .filter(pk=project_id)
        .first()
    )
    if project is None or project.jurisdiction_id != plan.jurisdiction_id:
        raise ValidationFailed(
            _("No such project in this jurisdiction."),
            extra={"errors": {"project": [_("No such project in this jurisdiction.")]}},
        )
    return project


def _check_addable(plan: AnnualPlan, project: Project) -> None:
    problems = []
    if project.phase != Phase.IN_LIBRARY:
        problems.append(
            _("%(code)s is %(phase)s: only projects in the project library can enter the plan.")
            % {"code": project.code, "phase": project.phase_label}
        )
    entry = AnnualPlanEntry.objects.filter(project=project).select_related("plan").first()
    if entry is not None:
        problems.append(
            _("%(code)s is already in the %(year)s annual plan.")
            % {"code": project.code, "year": entry.plan.year}
        )
    if problems:
        raise ValidationFailed(problems[0], extra={"errors": {"project": problems}})


@transaction.atomic
def plan_create(
    *, actor, jurisdiction: Jurisdiction, year: int, ceiling_wan: Decimal | None = None
) -> AnnualPlan:
    """A draft plan for the jurisdiction and year (its reviewers); one plan per jurisdiction and year."""
    if not (actor.is_superuser or jurisdiction in managed_jurisdictions(actor)):
        raise NotPermitted(_("Only the jurisdiction's reviewers compile and publish its annual plan."))
    errors = {}
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = [_("Give a year from %(low)s to %(high)s.") % {"low": YEAR_MIN, "high": YEAR_MAX}]
    if ceiling_wan is not None and ceiling_wan < 0:
        errors["ceiling_wan"] = [_("The ceiling cannot be negative.")]
    if errors:
        raise ValidationFailed(extra={"errors": errors})
    if AnnualPlan.objects.filter(jurisdiction=jurisdiction, year=year).exists():
        raise ValidationFailed(
            _("There is already a %(year)s annual plan.") % {"year": year},
            extra={"errors": {"year": [_("There is already a %(year)s annual plan.") % {"year": year}]}},
        )
    plan = AnnualPlan(jurisdiction=jurisdiction, year=year, ceiling_wan=ceiling_wan, created_by=actor)
    plan.full_clean(exclude=["status"])  # a protected FSM field cannot be re-set by clean_fields
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:  # created by someone else at the same moment
        raise ValidationFailed(
            _("There is already a %(year)s annual plan.") % {"year": year},
            extra={"errors": {"year": [_("There is already a %(year)s annual plan.") % {"year": year}]}},
        ) from exc
    return plan


@transaction.atomic
def plan_add_project(*, actor, plan_id, project_id) -> AnnualPlanEntry:
    """Put a library project of the jurisdiction in a plan being compiled or revised."""
    plan = _locked_plan(actor, plan_id)
    if not plan.is_open:
        raise _wrong_state(
            plan,
            _(
                "The plan is published: reopen it for revision to add projects, "
                "or record an emergency addition."
            ),
        )
    project = _locked_project(plan, project_id)
    _check_addable(plan, project)
    entry = AnnualPlanEntry.objects.create(
        plan=plan, project=project, added_by=actor, added_at=timezone.now()
    )
    AuditEvent.objects.record(
        project,
        actor,
        "plan_add",
        from_phase=project.phase,
        changes={"annual_plan": {"id": plan.pk, "year": plan.year}},
    )
    return entry


@transaction.atomic
def plan_remove_project(*, actor, plan_id, project_id) -> None:
    """Take a project out of a plan being compiled or revised (not one the plan already put in `planned`)."""
    plan = _locked_plan(actor, plan_id)
    if not plan.is_open:
        raise _wrong_state(plan, _("The plan is published: reopen it for revision to remove projects."))
    entry = AnnualPlanEntry.objects.filter(plan=plan, project_id=project_id).first()
    if entry is None:
        raise NotFound(_("That project is not in this plan."))
    project = _locked_project(plan, project_id)
    if project.phase != Phase.IN_LIBRARY:
        raise _wrong_state(
            plan,
            _("%(code)s entered the plan when it was published and can no longer be removed.")
            % {"code": project.code},
        )
    entry.delete()
    AuditEvent.objects.record(
        project,
        actor,
        "plan_remove",
        from_phase=project.phase,
        changes={"annual_plan": {"id": plan.pk, "year": plan.year}},
    )


def _blocked_error(blocked: list[tuple[Project, list]]) -> RuleViolation:
    """One message naming every blocked project with its verdicts and articles."""
    cite, separator = ("{} ({})", "; ") if english() else ("{}（{}）", "；")
    parts = []
    for project, verdicts in blocked:
        reasons = separator.join(
            cite.format(in_language(v.message), v.citation["article"])
            if v.citation.get("article")
            else in_language(v.message)
            for v in verdicts
        )
        parts.append(
            f"{project.code} {project.title}: {reasons}"
            if english()
            else f"{project.code} {project.title}：{reasons}"
        )
    return RuleViolation(
        _("The plan cannot be published; the rules block these projects: %(projects)s")
        % {"projects": " / ".join(parts)},
        extra={
            "transition": "plan",
            "blocked": [
                {
                    "project": p.pk,
                    "code": p.code,
                    "title": p.title,
                    "verdicts": [v.to_dict() for v in verdicts],
                }
                for p, verdicts in blocked
            ],
        },
    )


def _plan_comment(plan: AnnualPlan) -> str:
    return _("Entered the %(year)s annual plan") % {"year": plan.year}


def plan_publish(*, actor, plan_id, as_of: dt.date | None = None) -> AnnualPlan:
    """Publish the plan: every project of it still in the library moves to `planned`, all or none.

    Each project's rules for `plan` are evaluated first; if any blocks, nothing moves and the
    error names every blocked project with the verdict's message and article.
    """
    try:
        with transaction.atomic():
            return _publish(actor, plan_id, as_of)
    except ConcurrentTransition as exc:
        raise ConcurrentUpdate() from exc


def _publish(actor, plan_id, as_of) -> AnnualPlan:
    plan = _locked_plan(actor, plan_id)
    if not can_proceed(plan.publish):
        raise _wrong_state(plan, _("The plan is already published; reopen it for revision to change it."))
    project_ids = list(AnnualPlanEntry.objects.filter(plan=plan).values_list("project_id", flat=True))
    projects = list(
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack", "department")
        .filter(pk__in=project_ids)
        .order_by("pk")  # one lock order for everyone: no deadlock between two publishers
    )
    moving = [p for p in projects if p.phase == Phase.IN_LIBRARY]
    stray = [p for p in projects if p.phase != Phase.IN_LIBRARY and plan.revision == 0]
    if not projects:
        raise ValidationFailed(
            _("Add at least one project from the library before publishing."),
            extra={"errors": {"entries": [_("The plan has no projects.")]}},
        )
    if stray:
        raise ValidationFailed(
            _("%(code)s is no longer in the project library (%(phase)s); remove it from the plan first.")
            % {"code": stray[0].code, "phase": stray[0].phase_label},
            extra={"errors": {"entries": [p.code for p in stray]}},
        )
    as_of = as_of or timezone.localdate()
    evaluated, blocked, filed = {}, [], []
    for project in moving:
        pack, verdicts = project_verdicts(project, as_of=as_of, transition="plan")
        evaluated[project.pk] = (pack, verdicts)
        blocking = [v for v in verdicts if v.blocks_transition("plan")]
        if blocking:
            blocked.append((project, blocking))
        if actor.pk in filer_ids(project):
            filed.append(project)
    if filed:
        raise NotPermitted(
            _("Whoever filed, declared or submitted a project may not decide on it: %(codes)s")
            % {"codes": "、".join(p.code for p in filed)},
            extra={"projects": [p.pk for p in filed]},
        )
    if blocked:
        raise _blocked_error(blocked)
    plan.publish()
    plan.revision += 1
    plan.published_by = actor
    plan.published_at = timezone.now()
    plan.save()
    for project in moving:
        run_locked_transition(
            actor=actor,
            project=project,
            name="plan",
            comment=_plan_comment(plan),
            as_of=as_of,
            evaluated=evaluated[project.pk],
            changes={"annual_plan": {"id": plan.pk, "year": plan.year, "revision": plan.revision}},
        )
    return plan


@transaction.atomic
def plan_revise(*, actor, plan_id) -> AnnualPlan:
    """Reopen a published plan to add or remove projects; publishing it again moves the new ones."""
    plan = _locked_plan(actor, plan_id)
    if not can_proceed(plan.revise):
        raise _wrong_state(plan, _("Only a published plan can be reopened for revision."))
    plan.revise()
    plan.save()
    return plan


def plan_emergency_add(
    *,
    actor,
    plan_id,
    project_id,
    approved_by: str,
    approval_document_no: str,
    approval_date: dt.date | None,
    as_of: dt.date | None = None,
) -> AnnualPlanEntry:
    """An emergency addition (紧急增补) to a published plan: the project enters it and `planned` at once.

    Only where the jurisdiction's measure provides for it (its pack's `settings.emergency_addition`
    names the rule and who must agree, e.g. 区政府 for 红山 第十条), and only with that approval on
    record: who agreed, the document number and the date, all three.
    """
    try:
        with transaction.atomic():
            return _emergency(
                actor, plan_id, project_id, approved_by, approval_document_no, approval_date, as_of
            )
    except ConcurrentTransition as exc:
        raise ConcurrentUpdate() from exc


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _emergency(actor, plan_id, project_id, approved_by, approval_document_no, approval_date, as_of):
    plan = _locked_plan(actor, plan_id)
    as_of = as_of or timezone.localdate()
    article = emergency_article(plan.jurisdiction, as_of)
    if article is None:
        raise ValidationFailed(
            _("This jurisdiction's measure makes no provision for emergency additions to the annual plan."),
            extra={"errors": {"emergency": [_("not provided for by the measure")]}},
        )
    if plan.status != PlanStatus.PUBLISHED:
        raise _wrong_state(
            plan,
            _("An emergency addition goes into a published plan; add the project to this plan normally."),
        )
    approved_by, document_no = _text(approved_by), _text(approval_document_no)
    errors = {}
    required = _("Required for an emergency addition (%(citation)s).") % {"citation": article.citation}
    if not approved_by:
        errors["approved_by"] = [required]
    elif approved_by not in (article.approver_zh, article.approver_en):
        errors["approved_by"] = [
            _("The measure requires the consent of %(approver)s (%(citation)s).")
            % {"approver": article.approver, "citation": article.citation}
        ]
    if not document_no:
        errors["approval_document_no"] = [required]
    if not isinstance(approval_date, dt.date):
        errors["approval_date"] = [required]
    elif approval_date > as_of:
        errors["approval_date"] = [_("The approval date cannot be in the future.")]
    for name, value in (("approved_by", approved_by), ("approval_document_no", document_no)):
        if len(value) > TEXT_MAX:
            errors[name] = [_("At most %(n)s characters.") % {"n": TEXT_MAX}]
    if errors:
        raise ValidationFailed(
            _("The approval for the emergency addition is incomplete."), extra={"errors": errors}
        )
    project = _locked_project(plan, project_id)
    _check_addable(plan, project)
    entry = AnnualPlanEntry.objects.create(
        plan=plan,
        project=project,
        added_by=actor,
        added_at=timezone.now(),
        is_emergency=True,
        approved_by=approved_by,
        approval_document_no=document_no,
        approval_date=approval_date,
    )
    run_locked_transition(
        actor=actor,
        project=project,
        name="plan",
        comment=_("Emergency addition to the %(year)s annual plan, agreed by %(approver)s (%(document)s)")
        % {"year": plan.year, "approver": approved_by, "document": document_no},
        as_of=as_of,
        changes={
            "annual_plan": {"id": plan.pk, "year": plan.year, "revision": plan.revision},
            "emergency": {
                "rule": article.rule_id,
                "article": article.article,
                "approved_by": approved_by,
                "approval_document_no": document_no,
                "approval_date": approval_date.isoformat(),
            },
        },
    )
    return entry
