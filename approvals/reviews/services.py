"""Services of review steps: organise, decide, reopen; assign and withdraw experts, their opinions;
record a third-party review. One per action, each in one transaction with the project row locked
and one audit event on the project's chain (with `acting.audit()` when a delegate acts).

Who takes a step is the pack's (`review.steps[].taker`), asked through approvals.acting; whoever
filed the project may not take its steps, neither as actor nor as principal.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from approvals.acting import Acting, acting_as
from approvals.reviews.models import (
    Conclusion,
    ExpertAssignment,
    Opinion,
    ReviewStep,
    StepStatus,
    ThirdPartyReview,
)
from approvals.reviews.selectors import applicable_steps, in_step_phase, step_spec
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from govproj.i18n import in_language
from jurisdictions.models import Membership, Role
from projects.documents.files import keep_file
from projects.documents.services import document_max_bytes
from projects.models import AuditEvent, Project
from projects.selectors import filer_ids, pack_for_project, parsed_project_id, project_for
from security.selectors import person_name

COMMENT_MAX = 2000


# --- shared checks -------------------------------------------------------------------------------


def _locked_project(actor, project_id) -> Project:
    project_for(actor, project_id)  # 404 before anything else for projects the actor cannot see
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack", "department")
        .get(pk=project_id)
    )


def _step(project: Project, code: str):
    """The pack's step `code` if it applies to the project, else NotFound."""
    spec = pack_for_project(project).spec
    step = step_spec(spec, code)
    if step is None or step not in applicable_steps(project, spec):
        raise NotFound(_("The measure has no such review step for this project."))
    return step


def _latest(project: Project, code: str, *, lock: bool = True) -> ReviewStep | None:
    rows = ReviewStep.objects.filter(project=project, code=code).order_by("-round")
    return (rows.select_for_update() if lock else rows).first()


def allowed_actions(step, latest: ReviewStep | None) -> list[str]:
    """What may be done with a step in its state (for 409 answers and the pages)."""
    if latest is None:
        return ["organise"] if step.optional else _open_actions(step)
    if latest.status == StepStatus.OPEN:
        return _open_actions(step)
    if latest.status == StepStatus.FAILED:
        return ["reopen"]
    return []


def _open_actions(step) -> list[str]:
    actions = ["pass", "fail"]
    if "experts" in step.ways:
        actions += ["assign_expert"]
    if "third_party" in step.ways:
        actions += ["record_third_party"]
    return actions


def _wrong_state(step, latest, message: str | None = None) -> InvalidTransition:
    return InvalidTransition(
        message or _("This review step does not allow that now."),
        extra={
            "step": step.code,
            "status": latest.status if latest else "",
            "allowed": allowed_actions(step, latest),
        },
    )


def _check_phase(project: Project, step) -> None:
    if not in_step_phase(project, step):
        raise InvalidTransition(
            _("This review step is taken while the project waits for “%(step)s”; it is not there now.")
            % {"step": in_language(step.name)},
            extra={"step": step.code, "phase": project.phase, "allowed": []},
        )


def _taker(actor, project: Project, step) -> Acting:
    """The actor acting for the step's taker (themselves or as a delegate), and not a filer."""
    acting = acting_as(actor, project.jurisdiction_id, step.taker)
    if acting is None:
        raise NotPermitted(
            _("Only %(body)s takes this review step.") % {"body": in_language(step.taker.name)},
            extra={"step": step.code},
        )
    if acting.people() & filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    return acting


def _open_round(project: Project, step, latest: ReviewStep | None, acting: Acting) -> ReviewStep:
    """The round actions are taken on: the latest open one, or round 1 of a step that needs no organising."""
    if latest is not None and latest.status == StepStatus.OPEN:
        return latest
    if latest is None and not step.optional:
        return ReviewStep.objects.create(
            project=project, jurisdiction_id=project.jurisdiction_id, code=step.code, round=1
        )
    if latest is None:
        raise _wrong_state(step, latest, _("This review step has not been organised yet."))
    raise _wrong_state(step, latest, _("This review step is already decided."))


def _comment(text: str, *, required: bool, field: str = "comment") -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationFailed(_("Give a reason."), extra={"errors": {field: [_("A reason is required.")]}})
    if len(text) > COMMENT_MAX:
        raise ValidationFailed(extra={"errors": {field: [f"at most {COMMENT_MAX} characters"]}})
    return text


def _keep_file(row, file) -> dict:
    return keep_file(row, file, max_bytes=document_max_bytes())


def _record(project, actor, action, *, step: ReviewStep, acting: Acting | None = None, comment="", **changes):
    AuditEvent.objects.record(
        project,
        actor,
        action,
        from_phase=project.phase,
        comment=comment,
        rule_pack=project.rule_pack,
        changes={"step": step.code, "round": step.round, **changes, **(acting.audit() if acting else {})},
    )


def _step_for_actor(actor, project_id, code: str):
    project = _locked_project(actor, project_id)
    step = _step(project, code)
    return project, step, _latest(project, code)


# --- steps ---------------------------------------------------------------------------------------


@transaction.atomic
def organise_step(*, actor, project_id, code: str, comment: str = "") -> ReviewStep:
    """The taker organises an optional step (根据需要组织): from now on it must pass."""
    project, step, latest = _step_for_actor(actor, project_id, code)
    acting = _taker(actor, project, step)
    _check_phase(project, step)
    if not step.optional or latest is not None:
        raise _wrong_state(step, latest, _("This review step is already under way or needs no organising."))
    comment = _comment(comment, required=False)
    row = ReviewStep.objects.create(
        project=project,
        jurisdiction_id=project.jurisdiction_id,
        code=step.code,
        round=1,
        organised_by=actor,
        organised_at=timezone.now(),
        comment="",
    )
    _record(project, actor, "review_organise", step=row, acting=acting, comment=comment)
    return row


def _has_review_record(row: ReviewStep) -> bool:
    return (
        ExpertAssignment.objects.filter(step=row, withdrawn=False, submitted_at__isnull=False).exists()
        or ThirdPartyReview.objects.filter(step=row).exists()
    )


def needs_record(step) -> bool:
    """A step reached through experts or a third party (not the taker's own decision alone)."""
    return "decision" not in step.ways


@transaction.atomic
def decide_step(*, actor, project_id, code: str, outcome: str, comment: str = "", file=None) -> ReviewStep:
    """Pass or fail (with a reason) the step's open round, as its taker."""
    if outcome not in ("pass", "fail"):
        raise ValidationFailed(extra={"errors": {"outcome": [_("Choose pass or fail.")]}})
    project, step, latest = _step_for_actor(actor, project_id, code)
    acting = _taker(actor, project, step)
    _check_phase(project, step)
    comment = _comment(comment, required=outcome == "fail")
    row = _open_round(project, step, latest, acting)
    if outcome == "pass" and needs_record(step) and not _has_review_record(row):
        raise ValidationFailed(
            _("This step passes on expert opinions or a third-party review: record at least one first."),
            extra={
                "step": step.code,
                "errors": {"outcome": [_("No expert opinion or third-party review yet.")]},
            },
        )
    row.status = StepStatus.PASSED if outcome == "pass" else StepStatus.FAILED
    row.comment = comment
    row.decided_by = actor
    row.on_behalf_of = acting.principal if acting.on_behalf else None
    row.decided_at = timezone.now()
    stored = _keep_file(row, file)
    row.save()
    _record(
        project,
        actor,
        "review_pass" if outcome == "pass" else "review_fail",
        step=row,
        acting=acting,
        comment=comment,
        **stored,
    )
    return row


@transaction.atomic
def reopen_step(*, actor, project_id, code: str, comment: str = "") -> ReviewStep:
    """A failed step is taken again as the next round; the failed round stays on record."""
    project, step, latest = _step_for_actor(actor, project_id, code)
    acting = _taker(actor, project, step)
    _check_phase(project, step)
    if latest is None or latest.status != StepStatus.FAILED:
        raise _wrong_state(step, latest, _("Only a step that did not pass can be taken again."))
    row = ReviewStep.objects.create(
        project=project,
        jurisdiction_id=project.jurisdiction_id,
        code=step.code,
        round=latest.round + 1,
        organised_by=actor if step.optional else None,
        organised_at=timezone.now() if step.optional else None,
    )
    _record(
        project, actor, "review_reopen", step=row, acting=acting, comment=_comment(comment, required=False)
    )
    return row


# --- experts -------------------------------------------------------------------------------------


def jurisdiction_experts(project: Project):
    """Experts of the project's jurisdiction who may be assigned (not of the filing department)."""
    User = get_user_model()
    conflicted = Membership.objects.filter(
        jurisdiction_id=project.jurisdiction_id, role=Role.EXPERT, department_id=project.department_id
    ).values("user_id")
    return (
        User.objects.filter(
            pk__in=Membership.objects.filter(
                jurisdiction_id=project.jurisdiction_id, role=Role.EXPERT
            ).values("user_id"),
            is_active=True,
        )
        .exclude(pk__in=conflicted)
        .order_by("first_name", "username")
    )


@transaction.atomic
def assign_expert(*, actor, project_id, code: str, expert_id) -> ExpertAssignment:
    """The taker assigns an expert of the jurisdiction (not of the filing department) to the open round."""
    project, step, latest = _step_for_actor(actor, project_id, code)
    acting = _taker(actor, project, step)
    _check_phase(project, step)
    if "experts" not in step.ways:
        raise _wrong_state(step, latest, _("This review step is not taken by experts."))
    expert_pk = parsed_project_id(expert_id)
    experts = Membership.objects.filter(
        jurisdiction_id=project.jurisdiction_id,
        role=Role.EXPERT,
        user_id=expert_pk or 0,
        user__is_active=True,
    )
    if expert_pk is None or not experts.exists():
        raise ValidationFailed(
            _("Choose an expert of this jurisdiction."),
            extra={"errors": {"expert": [_("Not an expert of this jurisdiction.")]}},
        )
    if experts.filter(department_id=project.department_id).exists():
        raise ValidationFailed(
            _("An expert of the filing department may not review its project (conflict of interest)."),
            extra={"errors": {"expert": [_("The expert belongs to the filing department.")]}},
        )
    if expert_pk in acting.people() or expert_pk in filer_ids(project):
        raise ValidationFailed(
            _("Whoever filed or reviews the project may not be one of its experts."),
            extra={"errors": {"expert": [_("Choose another expert.")]}},
        )
    row = _open_round(project, step, latest, acting)
    if ExpertAssignment.objects.filter(step=row, expert_id=expert_pk, withdrawn=False).exists():
        raise InvalidTransition(
            _("This expert is already assigned to the step."),
            extra={"step": step.code, "allowed": allowed_actions(step, row)},
        )
    expert = get_user_model().objects.get(pk=expert_pk)
    assignment = ExpertAssignment.objects.create(
        step=row, project=project, expert=expert, assigned_by=actor, assigned_at=timezone.now()
    )
    assign_perm("view_project", expert, project)
    _record(
        project,
        actor,
        "expert_assign",
        step=row,
        acting=acting,
        expert={"id": expert.pk, "name": person_name(expert)},
    )
    return assignment


def _assignment(project: Project, assignment_id) -> ExpertAssignment:
    pk = parsed_project_id(assignment_id)
    found = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("step", "expert")
        .filter(project=project, pk=pk or 0)
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def withdraw_expert(*, actor, project_id, assignment_id, comment: str = "") -> ExpertAssignment:
    """The taker withdraws an assignment before the expert gives an opinion; the expert's view ends."""
    project = _locked_project(actor, project_id)
    assignment = _assignment(project, assignment_id)
    step = _step(project, assignment.step.code)
    acting = _taker(actor, project, step)
    if assignment.withdrawn or assignment.submitted_at or assignment.step.status != StepStatus.OPEN:
        raise InvalidTransition(
            _("Only an assignment without an opinion, on a step under review, can be withdrawn."),
            extra={"allowed": []},
        )
    assignment.withdrawn = True
    assignment.withdrawn_at = timezone.now()
    assignment.save(update_fields=["withdrawn", "withdrawn_at", "updated_at"])
    still = ExpertAssignment.objects.filter(project=project, expert=assignment.expert, withdrawn=False)
    if not still.exists():
        remove_perm("view_project", assignment.expert, project)
    _record(
        project,
        actor,
        "expert_withdraw",
        step=assignment.step,
        acting=acting,
        comment=_comment(comment, required=False),
        expert={"id": assignment.expert_id, "name": person_name(assignment.expert)},
    )
    return assignment


@transaction.atomic
def submit_opinion(
    *, actor, project_id, assignment_id, no_conflict: bool, opinion: str, comment: str = "", file=None
) -> ExpertAssignment:
    """The assigned expert declares no conflict of interest and gives an opinion (once)."""
    project = _locked_project(actor, project_id)
    assignment = _assignment(project, assignment_id)
    if assignment.expert_id != actor.pk:
        raise NotPermitted(_("Only the assigned expert gives this opinion."))
    if assignment.withdrawn or assignment.submitted_at or assignment.step.status != StepStatus.OPEN:
        raise InvalidTransition(
            _("This assignment takes no opinion now (withdrawn, given already, or the step is decided)."),
            extra={"allowed": []},
        )
    if not no_conflict and not assignment.no_conflict_declared_at:
        raise ValidationFailed(
            _("Declare that you have no interest in the project before giving an opinion."),
            extra={"errors": {"no_conflict": [_("The declaration is required.")]}},
        )
    if opinion not in Opinion.values:
        raise ValidationFailed(extra={"errors": {"opinion": [_("Choose an opinion.")]}})
    comment = _comment(comment, required=opinion != Opinion.AGREE)
    now = timezone.now()
    assignment.no_conflict_declared_at = assignment.no_conflict_declared_at or now
    assignment.opinion = opinion
    assignment.comment = comment
    assignment.submitted_at = now
    stored = _keep_file(assignment, file)
    assignment.save()
    _record(
        project,
        actor,
        "expert_opinion",
        step=assignment.step,
        comment=comment,
        opinion=opinion,
        no_conflict_declared_at=assignment.no_conflict_declared_at.isoformat(),
        **stored,
    )
    return assignment


# --- third party ---------------------------------------------------------------------------------


@transaction.atomic
def record_third_party(
    *, actor, project_id, code: str, organisation: str, conclusion: str, comment: str = "", file=None
) -> ThirdPartyReview:
    """The taker records a third-party organisation's review report on the open round."""
    project, step, latest = _step_for_actor(actor, project_id, code)
    acting = _taker(actor, project, step)
    _check_phase(project, step)
    if "third_party" not in step.ways:
        raise _wrong_state(step, latest, _("This review step is not taken by a third party."))
    organisation = (organisation or "").strip()
    errors = {}
    if not organisation or len(organisation) > 200:
        errors["organisation"] = [_("Name the organisation (at most 200 characters).")]
    if conclusion not in Conclusion.values:
        errors["conclusion"] = [_("Choose a conclusion.")]
    if errors:
        raise ValidationFailed(extra={"errors": errors})
    comment = _comment(comment, required=False)
    row = _open_round(project, step, latest, acting)
    review = ThirdPartyReview(
        step=row,
        project=project,
        organisation=organisation,
        conclusion=conclusion,
        comment=comment,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    stored = _keep_file(review, file)
    review.save()
    _record(
        project,
        actor,
        "third_party_review",
        step=row,
        acting=acting,
        comment=comment,
        organisation=organisation,
        conclusion=conclusion,
        **stored,
    )
    return review
