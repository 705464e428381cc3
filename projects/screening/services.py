"""Services for negative-list screening: answer (staff) and review (reviewer), one transaction each.

Both lock the project row (select_for_update), write every answer of the form at once, and write one
audit event on the project's chain with what changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govproj.errors import InvalidTransition, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.models import AuditEvent, Phase, Project
from projects.screening.models import ScreeningAnswer
from projects.screening.selectors import screening_items
from projects.selectors import filer_ids, project_for, roles_of

ANSWER_PHASES = frozenset({Phase.DRAFT, Phase.RETURNED})
REVIEW_PHASES = frozenset({Phase.DECLARED})
ANSWER_ROLES = frozenset({Role.DEPARTMENT_STAFF})
REVIEW_ROLES = frozenset({Role.REVIEWER})
CONFIRM, OVERRULE = "confirm", "overrule"
TEXT_MAX = 2000


def may_answer(user, project: Project) -> bool:
    """Role and phase only (the department's staff, draft or returned); the service checks it again."""
    allowed = user.is_superuser or bool(roles_of(user, project) & ANSWER_ROLES)
    return allowed and project.phase in ANSWER_PHASES


def may_review(user, project: Project, *, filers: set[int]) -> bool:
    """A reviewer who did not file the project (`filers`, from filer_ids), while it is declared."""
    if user.pk in filers or project.phase not in REVIEW_PHASES:
        return False
    return user.is_superuser or bool(roles_of(user, project) & REVIEW_ROLES)


def _locked_project(actor, project_id) -> Project:
    project_for(actor, project_id)  # 404 before anything else for projects the actor cannot see
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack")
        .get(pk=project_id)
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _unknown_items(given: Mapping, codes: set[str]) -> dict[str, list[str]]:
    return {code: [_("This is not an item of the negative list.")] for code in given if code not in codes}


@transaction.atomic
def screening_answer(*, actor, project_id, answers: Mapping[str, Mapping[str, Any]]) -> list[ScreeningAnswer]:
    """Record the department's answers: `answers` maps item codes to {"applies": bool, "explanation": str}.

    Items left out keep their answer (or stay unanswered). An explanation is required when an item
    applies. Answering an item again clears the reviewer's decision on it: the reviewer decides on
    the answer the department gives now.
    """
    project = _locked_project(actor, project_id)
    if not (actor.is_superuser or roles_of(actor, project) & ANSWER_ROLES):
        raise NotPermitted(_("Only the project's department may answer the screening."))
    if project.phase not in ANSWER_PHASES:
        raise InvalidTransition(
            _("The screening can only be answered while the project is a draft or returned for revision."),
            extra={"phase": project.phase},
        )
    if not isinstance(answers, Mapping) or not answers:
        raise ValidationFailed(extra={"errors": {"answers": [_("Answer at least one item.")]}})
    codes = {item.code for item in screening_items(project)}
    errors = _unknown_items(answers, codes)
    cleaned: dict[str, tuple[bool, str]] = {}
    for code, answer in answers.items():
        if code in errors:
            continue
        applies = answer.get("applies") if isinstance(answer, Mapping) else None
        explanation = _text(answer.get("explanation")) if isinstance(answer, Mapping) else ""
        if not isinstance(applies, bool):
            errors[code] = [_("Say whether the item applies.")]
        elif applies and not explanation:
            errors[code] = [_("Explain how the item applies.")]
        elif len(explanation) > TEXT_MAX:
            errors[code] = [f"at most {TEXT_MAX} characters"]
        else:
            cleaned[code] = (applies, explanation)
    if errors:
        raise ValidationFailed(_("Some answers are not valid."), extra={"errors": errors})
    now = timezone.now()
    existing = {a.item_code: a for a in ScreeningAnswer.objects.filter(project=project)}
    saved, changes = [], {}
    for code, (applies, explanation) in cleaned.items():
        row = existing.get(code) or ScreeningAnswer(project=project, item_code=code)
        row.applies, row.explanation = applies, explanation
        row.answered_by, row.answered_at = actor, now
        row.reviewed_applies, row.review_comment, row.reviewed_by, row.reviewed_at = None, "", None, None
        row.save()
        saved.append(row)
        changes[code] = {"applies": applies, "explanation": explanation}
    AuditEvent.objects.record(
        project, actor, "screening_answer", from_phase=project.phase, changes={"answers": changes}
    )
    return saved


@transaction.atomic
def screening_review(
    *, actor, project_id, decisions: Mapping[str, Mapping[str, Any]]
) -> list[ScreeningAnswer]:
    """The reviewer confirms or overrules answers: `decisions` maps item codes to {"decision", "comment"}.

    `decision` is "confirm" or "overrule" (the reviewer's answer is then the opposite of the
    department's); a comment is required when overruling. Separation of duties as for the project's
    decisions: whoever filed, declared or submitted the project may not review it.
    """
    project = _locked_project(actor, project_id)
    if not (actor.is_superuser or roles_of(actor, project) & REVIEW_ROLES):
        raise NotPermitted(_("Only a reviewer may review the screening."))
    if actor.pk in filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    if project.phase not in REVIEW_PHASES:
        raise InvalidTransition(
            _("The screening can only be reviewed while the project is declared."),
            extra={"phase": project.phase},
        )
    if not isinstance(decisions, Mapping) or not decisions:
        raise ValidationFailed(extra={"errors": {"decisions": [_("Decide on at least one item.")]}})
    rows = {a.item_code: a for a in ScreeningAnswer.objects.select_for_update().filter(project=project)}
    errors = _unknown_items(decisions, {item.code for item in screening_items(project)})
    cleaned: dict[str, tuple[str, str]] = {}
    for code, decision in decisions.items():
        if code in errors:
            continue
        choice = decision.get("decision") if isinstance(decision, Mapping) else None
        comment = _text(decision.get("comment")) if isinstance(decision, Mapping) else ""
        if code not in rows:
            errors[code] = [_("The department has not answered this item.")]
        elif choice not in (CONFIRM, OVERRULE):
            errors[code] = [_("Confirm or overrule the answer.")]
        elif choice == OVERRULE and not comment:
            errors[code] = [_("Say why the answer is overruled.")]
        elif len(comment) > TEXT_MAX:
            errors[code] = [f"at most {TEXT_MAX} characters"]
        else:
            cleaned[code] = (choice, comment)
    if errors:
        raise ValidationFailed(_("Some decisions are not valid."), extra={"errors": errors})
    now = timezone.now()
    saved, changes = [], {}
    for code, (choice, comment) in cleaned.items():
        row = rows[code]
        row.reviewed_applies = row.applies if choice == CONFIRM else not row.applies
        row.review_comment, row.reviewed_by, row.reviewed_at = comment, actor, now
        row.save(
            update_fields=["reviewed_applies", "review_comment", "reviewed_by", "reviewed_at", "updated_at"]
        )
        saved.append(row)
        changes[code] = {"decision": choice, "applies": row.reviewed_applies, "comment": comment}
    AuditEvent.objects.record(
        project, actor, "screening_review", from_phase=project.phase, changes={"decisions": changes}
    )
    return saved
