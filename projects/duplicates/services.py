"""The reviewer's duplicate-declaration finding (重复申报审查): one service, one transaction, one event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govproj.errors import NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.duplicates.models import DuplicateFinding, Verdict
from projects.models import AuditEvent, Project
from projects.selectors import filer_ids, parsed_project_id, project_for, roles_of

DECIDE_ROLES = frozenset({Role.REVIEWER})
COMMENT_MAX = 2000


def may_decide(user, project: Project, *, filers: set[int]) -> bool:
    """A reviewer who did not file, declare or submit the project (`filers`, from filer_ids)."""
    if user.pk in filers:
        return False
    return user.is_superuser or bool(roles_of(user, project) & DECIDE_ROLES)


@transaction.atomic
def duplicate_decide(
    *, actor, project_id, verdict: str, other_project_id=None, comment: str = ""
) -> DuplicateFinding:
    """Record that the project is not a duplicate, or is a duplicate of another project of its jurisdiction.

    Separation of duties as for the project's other decisions: whoever filed it may not decide.
    A duplicate needs the other project and a comment saying why (the department reads it).
    """
    project_for(actor, project_id)  # 404 before anything else for projects the actor cannot see
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("jurisdiction").get(pk=project_id)
    )
    if not (actor.is_superuser or roles_of(actor, project) & DECIDE_ROLES):
        raise NotPermitted(_("Only a reviewer may record a duplicate check."))
    if actor.pk in filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    if verdict not in Verdict.values:
        raise ValidationFailed(extra={"errors": {"verdict": [f"one of {', '.join(Verdict.values)}"]}})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed(extra={"errors": {"comment": [f"at most {COMMENT_MAX} characters"]}})
    other = None
    if other_project_id not in (None, ""):
        other_id = parsed_project_id(other_project_id)
        other = (
            Project.objects.filter(jurisdiction_id=project.jurisdiction_id, pk=other_id).first()
            if other_id is not None and other_id != project.pk
            else None
        )
        if other is None:
            raise ValidationFailed(
                _("Choose another project of the same jurisdiction."),
                extra={"errors": {"other": [_("Choose another project of the same jurisdiction.")]}},
            )
    if verdict == Verdict.DUPLICATE_OF:
        errors = {}
        if other is None:
            errors["other"] = [_("Choose the project it duplicates.")]
        if not comment:
            errors["comment"] = [_("Say why it is a duplicate.")]
        if errors:
            raise ValidationFailed(next(iter(errors.values()))[0], extra={"errors": errors})
    finding = DuplicateFinding(
        project=project,
        other=other,
        verdict=verdict,
        comment=comment,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    finding.full_clean(exclude=["project", "other", "decided_by"])
    finding.save()
    AuditEvent.objects.record(
        project,
        actor,
        "duplicate_decision",
        from_phase=project.phase,
        comment=comment,
        changes={"verdict": verdict, **({"duplicate_of": other.code} if other else {})},
    )
    return finding
