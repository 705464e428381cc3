"""Services of evaluation: self-evaluation, post-evaluation (organise, experts, third party, conclude) and
莱州's yearly random checks (draw, redraw, result). One per action, each in one transaction with the
project row locked and one audit event on the project's chain.

The ratings are facts the next year's funding and O&M rules read (`performance_rating`,
`performance_poor`), recorded with `projects.records.record_facts`: the latest evaluation counts.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from acceptance.evaluation.models import (
    PostEvaluation,
    PostEvaluationExpert,
    PostMethod,
    PostStatus,
    RandomCheckDraw,
    RandomCheckResult,
    Rating,
    SelfEvaluation,
)
from acceptance.evaluation.selectors import draw_sample, random_check_setting, window_rule, window_verdict
from govproj import inputs
from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from govproj.i18n import in_language
from jurisdictions.models import Jurisdiction, Membership, Role, memberships_of
from jurisdictions.selectors import rule_pack
from projects.documents.files import keep_file
from projects.documents.services import document_max_bytes
from projects.models import Phase, Project
from projects.records import locked_project, record_event, record_facts
from projects.selectors import (
    filer_ids,
    pack_for_project,
    parsed_project_id,
    project_verdicts,
    roles_of,
)
from security.selectors import person_name

TEXT_MAX = 2000
EARLIEST = dt.date(2000, 1, 1)  # no government IT project was evaluated before
EVALUATED_PHASES = frozenset({Phase.IN_OPERATION})
ORGANISERS = frozenset({Role.REVIEWER})
RANDOM_CHECKERS = frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN})


# --- shared checks -------------------------------------------------------------------------------


def _rating(value, field: str = "rating") -> str:
    if value not in Rating.values:
        raise ValidationFailed(
            _("Choose a rating."), extra={"errors": {field: [_("Choose excellent, good, pass or poor.")]}}
        )
    return value


def _in_operation(project: Project, action: str) -> None:
    if project.phase not in EVALUATED_PHASES:
        raise InvalidTransition(
            _("Evaluation is for a project in operation; this project is %(phase)s.")
            % {"phase": project.phase_label},
            extra={"phase": project.phase, "action": action, "allowed": []},
        )


def _rating_facts(project: Project, rating: str) -> dict:
    """The facts a rating decides (the latest evaluation counts)."""
    return record_facts(project, {"performance_rating": rating, "performance_poor": rating == Rating.POOR})


def _organiser(actor, project: Project) -> None:
    if not (actor.is_superuser or roles_of(actor, project) & ORGANISERS):
        raise NotPermitted(_("Only a reviewer organises and concludes a post-evaluation."))
    if actor.pk in filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))


# --- self-evaluation -----------------------------------------------------------------------------


def self_evaluation_allowed(user, project: Project) -> bool:
    return project.phase in EVALUATED_PHASES and Role.DEPARTMENT_STAFF in roles_of(user, project)


@transaction.atomic
def self_evaluation_submit(
    *, actor, project_id, rating: str, evaluated_on: dt.date | None = None, summary: str = "", file=None
) -> SelfEvaluation:
    """The department submits its self-evaluation report with a rating (自评价).

    Outside the pack's window it is recorded and flagged (the measure says when, not that late is
    impossible), unless the pack's rule blocks `self_evaluate`.
    """
    project = locked_project(actor, project_id)
    if Role.DEPARTMENT_STAFF not in roles_of(actor, project):
        raise NotPermitted(_("The project's department submits its self-evaluation."))
    _in_operation(project, "self_evaluate")
    rating = _rating(rating)
    summary = inputs.text(summary, field="summary")
    today = timezone.localdate()
    evaluated_on = evaluated_on or today
    if not isinstance(evaluated_on, dt.date) or evaluated_on > today:
        raise ValidationFailed(extra={"errors": {"evaluated_on": [_("The date cannot be in the future.")]}})
    if evaluated_on < EARLIEST:
        raise ValidationFailed(extra={"errors": {"evaluated_on": [_("Enter a valid date.")]}})
    if not file and not summary:
        raise ValidationFailed(
            _("Attach the self-evaluation report or write its summary."),
            extra={"errors": {"file": [_("The report is required.")]}},
        )
    row = SelfEvaluation(
        project=project,
        jurisdiction_id=project.jurisdiction_id,
        evaluated_on=evaluated_on,
        rating=rating,
        summary=summary,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    stored = keep_file(row, file, max_bytes=document_max_bytes())
    changes = record_facts(project, {"self_evaluation_date": evaluated_on})
    changes.update(_rating_facts(project, rating))
    pack, verdicts = project_verdicts(project, as_of=today)
    verdict = window_verdict(verdicts, pack.spec)
    if verdict is not None and verdict.blocks_transition("self_evaluate"):
        raise RuleViolation(
            f"{in_language(verdict.message)}（{verdict.citation.get('article', '')}）",
            extra={"rule_id": verdict.rule_id},
        )
    if verdict is not None:
        row.outside_window = verdict.outcome.value == "fail"
        row.window_rule = verdict.rule_id
        row.window_article = verdict.citation.get("article", "")
    row.full_clean(exclude=["file"])
    row.save()
    record_event(
        project,
        actor,
        "self_evaluation",
        comment=summary,
        rating=rating,
        evaluated_on=evaluated_on.isoformat(),
        outside_window=row.outside_window,
        window_rule=row.window_rule,
        facts=changes,
        **stored,
    )
    return row


# --- post-evaluation -----------------------------------------------------------------------------


def _open_post(project: Project, *, lock: bool = True) -> PostEvaluation | None:
    rows = PostEvaluation.objects.filter(project=project, status=PostStatus.OPEN)
    return (rows.select_for_update() if lock else rows).first()


def post_actions(user, project: Project, open_post: PostEvaluation | None) -> list[str]:
    """What the user may do with the project's post-evaluation now (for 409 answers and the pages)."""
    if project.phase not in EVALUATED_PHASES:
        return []
    if not (user.is_superuser or roles_of(user, project) & ORGANISERS) or user.pk in filer_ids(project):
        return []
    if open_post is None:
        return ["organise"]
    actions = ["conclude"]
    if open_post.method == PostMethod.EXPERTS:
        actions.insert(0, "assign_expert")
    else:
        actions.insert(0, "record_third_party")
    return actions


@transaction.atomic
def post_evaluation_organise(*, actor, project_id, method: str, comment: str = "") -> PostEvaluation:
    """A reviewer organises a post-evaluation (后评价) by experts or by a third-party organisation."""
    project = locked_project(actor, project_id)
    _organiser(actor, project)
    _in_operation(project, "post_evaluation_organise")
    if method not in PostMethod.values:
        raise ValidationFailed(extra={"errors": {"method": [_("Choose experts or a third party.")]}})
    if _open_post(project) is not None:
        raise InvalidTransition(
            _("A post-evaluation of this project is already under way."),
            extra={"allowed": ["assign_expert", "record_third_party", "conclude"]},
        )
    row = PostEvaluation.objects.create(
        project=project,
        jurisdiction_id=project.jurisdiction_id,
        method=method,
        organised_by=actor,
        organised_at=timezone.now(),
    )
    record_event(
        project,
        actor,
        "post_evaluation_organise",
        comment=inputs.text(comment, field="comment"),
        method=method,
    )
    return row


def _require_open(project: Project, method: str | None = None) -> PostEvaluation:
    row = _open_post(project)
    if row is None or (method and row.method != method):
        raise InvalidTransition(
            _("No post-evaluation of this kind is under way."),
            extra={"allowed": ["organise"] if row is None else []},
        )
    return row


def jurisdiction_experts(project: Project):
    """Experts of the project's jurisdiction who may be assigned (not of the filing department)."""
    from approvals.reviews.services import jurisdiction_experts as experts

    return experts(project)


@transaction.atomic
def post_evaluation_assign_expert(*, actor, project_id, expert_id) -> PostEvaluationExpert:
    """The reviewer assigns an expert of the jurisdiction, who then sees the project (a guardian grant)."""
    project = locked_project(actor, project_id)
    _organiser(actor, project)
    _in_operation(project, "post_evaluation_assign")
    row = _require_open(project, PostMethod.EXPERTS)
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
    if expert_pk == actor.pk or expert_pk in filer_ids(project):
        raise ValidationFailed(
            _("Whoever filed or reviews the project may not be one of its experts."),
            extra={"errors": {"expert": [_("Choose another expert.")]}},
        )
    if PostEvaluationExpert.objects.filter(evaluation=row, expert_id=expert_pk).exists():
        raise InvalidTransition(
            _("This expert is already assigned."), extra={"allowed": ["assign_expert", "conclude"]}
        )
    expert = get_user_model().objects.get(pk=expert_pk)
    assignment = PostEvaluationExpert.objects.create(
        evaluation=row, project=project, expert=expert, assigned_by=actor, assigned_at=timezone.now()
    )
    assign_perm("view_project", expert, project)
    record_event(
        project,
        actor,
        "post_evaluation_expert_assign",
        evaluation=row.pk,
        expert={"id": expert.pk, "name": person_name(expert)},
    )
    return assignment


@transaction.atomic
def post_evaluation_opinion(
    *, actor, project_id, assignment_id, no_conflict: bool, rating: str, opinion: str
) -> PostEvaluationExpert:
    """The assigned expert declares no conflict of interest, then gives a rating and an opinion (once)."""
    project = locked_project(actor, project_id)
    pk = parsed_project_id(assignment_id)
    assignment = (
        PostEvaluationExpert.objects.select_for_update(of=("self",))
        .select_related("evaluation")
        .filter(project=project, pk=pk or 0)
        .first()
    )
    if assignment is None:
        raise NotFound()
    if assignment.expert_id != actor.pk:
        raise NotPermitted(_("Only the assigned expert gives this opinion."))
    if assignment.submitted_at or assignment.evaluation.status != PostStatus.OPEN:
        raise InvalidTransition(
            _("This assignment takes no opinion now (given already, or the evaluation is concluded)."),
            extra={"allowed": []},
        )
    if not no_conflict:
        raise ValidationFailed(
            _("Declare that you have no interest in the project before giving an opinion."),
            extra={"errors": {"no_conflict": [_("The declaration is required.")]}},
        )
    rating = _rating(rating)
    opinion = inputs.text(opinion, field="opinion", required=True)
    now = timezone.now()
    assignment.no_conflict_declared_at = now
    assignment.rating = rating
    assignment.opinion = opinion
    assignment.submitted_at = now
    assignment.save()
    record_event(
        project,
        actor,
        "post_evaluation_opinion",
        comment=opinion,
        evaluation=assignment.evaluation_id,
        rating=rating,
        no_conflict_declared_at=now.isoformat(),
    )
    return assignment


@transaction.atomic
def post_evaluation_third_party(
    *, actor, project_id, organisation: str, rating: str, comment: str = "", file=None
) -> PostEvaluation:
    """The reviewer records the third-party organisation's report and its rating."""
    project = locked_project(actor, project_id)
    _organiser(actor, project)
    _in_operation(project, "post_evaluation_third_party")
    row = _require_open(project, PostMethod.THIRD_PARTY)
    organisation = inputs.text(organisation, field="organisation", required=True, limit=200)
    row.organisation = organisation
    row.organisation_rating = _rating(rating)
    row.organisation_comment = inputs.text(comment, field="comment")
    stored = keep_file(row, file, max_bytes=document_max_bytes())
    row.save()
    record_event(
        project,
        actor,
        "post_evaluation_third_party",
        comment=row.organisation_comment,
        evaluation=row.pk,
        organisation=organisation,
        rating=row.organisation_rating,
        **stored,
    )
    return row


WASTE_FACT = "waste_or_poor_performance_found"


def waste_rule(spec):
    """The pack's rule on investment waste or low performance found in an evaluation (莱州 第三十五条)."""
    return next(
        (r for r in spec.rules if r.phase == "evaluation" and WASTE_FACT in r.model_dump_json()), None
    )


@transaction.atomic
def post_evaluation_conclude(
    *, actor, project_id, rating: str, conclusion: str, waste_found: bool | None = None
) -> PostEvaluation:
    """The reviewer concludes with the final rating: `performance_rating`, `performance_poor` when poor.

    Where the pack has a rule on waste or low performance found (莱州 第三十五条: rectification within a
    time limit, remaining payments suspended), the conclusion also says whether it was found.
    """
    project = locked_project(actor, project_id)
    _organiser(actor, project)
    _in_operation(project, "post_evaluation_conclude")
    row = _require_open(project)
    given = list(PostEvaluationExpert.objects.filter(evaluation=row, submitted_at__isnull=False))
    if row.method == PostMethod.EXPERTS and not given:
        raise ValidationFailed(
            _("No expert has given a rating yet."),
            extra={"errors": {"rating": [_("Wait for at least one expert's rating.")]}},
        )
    if row.method == PostMethod.THIRD_PARTY and not row.organisation_rating:
        raise ValidationFailed(
            _("Record the third-party organisation's report first."),
            extra={"errors": {"rating": [_("No third-party report yet.")]}},
        )
    row.rating = _rating(rating)
    row.conclusion = inputs.text(conclusion, field="conclusion", required=True)
    row.concluded_by = actor
    row.concluded_at = timezone.now()
    row.conclude()
    row.save()
    changes = _rating_facts(project, row.rating)
    if waste_found is not None and waste_rule(pack_for_project(project).spec) is not None:
        changes.update(record_facts(project, {WASTE_FACT: bool(waste_found)}))
    record_event(
        project,
        actor,
        "post_evaluation_conclude",
        comment=row.conclusion,
        evaluation=row.pk,
        rating=row.rating,
        expert_ratings=[a.rating for a in given],
        facts=changes,
    )
    return row


# --- random checks (莱州 第三十四条) ----------------------------------------------------------------


def jurisdiction_for_checks(user, code: str) -> Jurisdiction:
    """The jurisdiction whose random checks the user may see (404 for any other)."""
    if not user.is_authenticated:
        raise NotFound()
    valid = (
        isinstance(code, str) and code.isascii() and 0 < len(code) <= 40 and code.replace("_", "").isalnum()
    )
    found = Jurisdiction.objects.filter(code=code).first() if valid else None
    if found is None:
        raise NotFound()
    if not user.is_superuser and not any(m.jurisdiction_id == found.pk for m in memberships_of(user)):
        raise NotFound()
    return found


def may_check(user, jurisdiction: Jurisdiction) -> bool:
    return user.is_superuser or any(
        m.jurisdiction_id == jurisdiction.pk and m.role in RANDOM_CHECKERS for m in memberships_of(user)
    )


def _checker(actor, jurisdiction: Jurisdiction) -> None:
    if not may_check(actor, jurisdiction):
        raise NotPermitted(_("Only a reviewer or the jurisdiction admin draws and records random checks."))


def _setting(jurisdiction: Jurisdiction):
    setting = random_check_setting(rule_pack(jurisdiction).spec)
    if setting is None:
        raise NotFound(_("The measure of this jurisdiction has no random checks."))
    return setting


def random_check_population(jurisdiction: Jurisdiction) -> list[int]:
    """The projects the year's sample is drawn from: those in operation."""
    return sorted(
        Project.objects.filter(jurisdiction=jurisdiction, phase=Phase.IN_OPERATION).values_list(
            "pk", flat=True
        )
    )


def standing_draw(jurisdiction: Jurisdiction, year: int, *, lock: bool = False) -> RandomCheckDraw | None:
    rows = RandomCheckDraw.objects.filter(jurisdiction=jurisdiction, year=year, superseded=False)
    return (rows.select_for_update() if lock else rows).first()


@transaction.atomic
def random_check_draw(
    *, actor, jurisdiction: Jurisdiction, year: int, count: int | None = None, reason: str = ""
) -> RandomCheckDraw:
    """Draw the year's sample from the projects in operation, seeded and recorded (seed, population, chosen).

    One standing draw per jurisdiction and year; drawing again supersedes it and needs a reason.
    The sample size is the pack's (share or count) where the measure states one, else the reviewer's.
    """
    _checker(actor, jurisdiction)
    setting = _setting(jurisdiction)
    today = timezone.localdate()
    if not isinstance(year, int) or not (today.year - 1 <= year <= today.year):
        raise ValidationFailed(extra={"errors": {"year": [_("Draw for this year or the last one.")]}})
    Jurisdiction.objects.select_for_update().filter(pk=jurisdiction.pk).first()  # one draw at a time
    standing = standing_draw(jurisdiction, year, lock=True)
    reason = inputs.text(reason, field="reason", required=standing is not None)
    population = random_check_population(jurisdiction)
    if not population:
        raise InvalidTransition(
            _("No project of this jurisdiction is in operation: nothing to draw."), extra={"allowed": []}
        )
    if setting.share is not None:
        size = max(1, math.ceil(setting.share * len(population)))
    elif setting.count is not None:
        size = setting.count
    else:
        if not isinstance(count, int) or count < 1:
            raise ValidationFailed(
                _("The measure sets no sample size: choose how many projects to draw."),
                extra={"errors": {"count": [_("Choose how many projects to draw.")]}},
            )
        size = count
    size = min(size, len(population))
    if standing is not None:
        standing.superseded = True
        standing.save(update_fields=["superseded", "updated_at"])
    seed = secrets.token_hex(16)
    chosen = draw_sample(seed, population, size)
    try:
        with transaction.atomic():
            draw = RandomCheckDraw.objects.create(
                jurisdiction=jurisdiction,
                year=year,
                seed=seed,
                population=population,
                chosen=chosen,
                count=size,
                share=setting.share,
                reason=reason,
                drawn_by=actor,
                drawn_at=timezone.now(),
            )
    except IntegrityError as exc:  # another draw of the same year won the race
        raise InvalidTransition(
            _("The year's sample was just drawn by someone else."), extra={"allowed": []}
        ) from exc
    for project in (
        Project.objects.filter(pk__in=chosen).select_for_update(of=("self",)).select_related("rule_pack")
    ):
        record_event(
            project,
            actor,
            "random_check_drawn",
            comment=reason,
            draw=draw.pk,
            year=year,
            seed=seed,
            article=setting.article,
        )
    return draw


def draw_for(user, draw_id) -> RandomCheckDraw:
    """The draw if the user belongs to its jurisdiction, else NotFound."""
    pk = parsed_project_id(draw_id)
    draw = RandomCheckDraw.objects.select_related("jurisdiction").filter(pk=pk or 0).first()
    if draw is None:
        raise NotFound()
    jurisdiction_for_checks(user, draw.jurisdiction.code)
    return draw


@transaction.atomic
def random_check_result(*, actor, draw_id, project_id, rating: str, finding: str) -> RandomCheckResult:
    """Record the result of checking one drawn project: a rating (→ the rating facts) and the finding."""
    draw = draw_for(actor, draw_id)
    _checker(actor, draw.jurisdiction)
    project_pk = parsed_project_id(project_id)
    if draw.superseded:
        raise InvalidTransition(_("This draw was superseded by a redraw."), extra={"allowed": []})
    if project_pk not in draw.chosen:
        raise ValidationFailed(extra={"errors": {"project": [_("This project was not drawn.")]}})
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("rule_pack")
        .filter(pk=project_pk)
        .first()
    )
    if project is None or project.jurisdiction_id != draw.jurisdiction_id:
        raise NotFound()
    if actor.pk in filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    rating = _rating(rating)
    finding = inputs.text(finding, field="finding", required=True)
    if RandomCheckResult.objects.filter(draw=draw, project=project).exists():
        raise InvalidTransition(_("The result of this project is already recorded."), extra={"allowed": []})
    result = RandomCheckResult.objects.create(
        draw=draw,
        project=project,
        rating=rating,
        finding=finding,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    changes = _rating_facts(project, rating)
    record_event(
        project, actor, "random_check_result", comment=finding, draw=draw.pk, rating=rating, facts=changes
    )
    return result


def window_article(project: Project) -> str:
    rule = window_rule(pack_for_project(project).spec)
    return rule.citation.article if rule else ""
