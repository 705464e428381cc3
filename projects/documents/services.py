"""Services for project documents: upload (a new version) and reject. One per action, one transaction each.

Both lock the project row (select_for_update), so two uploads of the same document cannot both
become current, and write one audit event on the project's chain with the record.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.documents.content_types import RefusedFile, sniff
from projects.documents.files import clean_name
from projects.documents.models import ProjectDocument
from projects.models import AuditEvent, Phase, Project
from projects.selectors import filer_ids, pack_for_project, parsed_project_id, project_for, roles_of

# Draft and returned for revision; and from the library through review, what the later steps ask for
# (莱州 第十条's third-party cost evaluation before the plan; the texts of the approval stages, 可研,
# 初步设计 …, before each is submitted): see document_upload.
# Later phases too: the documents of construction, change, acceptance, evaluation and O&M (a
# performance report, a change filing, the acceptance checklist …) are uploaded as those steps come.
UPLOAD_PHASES = frozenset(
    {
        Phase.DRAFT,
        Phase.RETURNED,
        Phase.IN_LIBRARY,
        Phase.PLANNED,
        Phase.IN_REVIEW,
        Phase.APPROVED,
        Phase.IN_CONSTRUCTION,
        Phase.SUSPENDED,
        Phase.TRIAL_OPERATION,
        Phase.IN_ACCEPTANCE,
        Phase.IN_OPERATION,
    }
)
# Records that hold a document while it is under review register a check here (approvals.stages: the
# texts of a submitted stage): check(project, code) -> the reason it is held, or None.
UPLOAD_HOLDS: list[Callable[[Project, str], str | None]] = []
UPLOAD_ROLES = frozenset({Role.DEPARTMENT_STAFF})
REJECT_ROLES = frozenset({Role.REVIEWER})
REASON_MAX = 2000


def may_upload(user, project: Project) -> bool:
    """Role and phase only (the department's staff; see UPLOAD_PHASES); the service checks it again."""
    allowed = user.is_superuser or bool(roles_of(user, project) & UPLOAD_ROLES)
    return allowed and project.phase in UPLOAD_PHASES


def may_reject(user, project: Project, document: ProjectDocument, *, filers: set[int]) -> bool:
    """A reviewer who neither filed the project (`filers`, from filer_ids) nor uploaded the document."""
    if user.pk in filers or user.pk == document.uploaded_by_id:
        return False
    return user.is_superuser or bool(roles_of(user, project) & REJECT_ROLES)


def document_max_bytes() -> int:
    return settings.DOCUMENT_MAX_MB * 1024 * 1024


def _locked_project(actor, project_id) -> Project:
    project_for(actor, project_id)  # 404 before anything else for projects the actor cannot see
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack")
        .get(pk=project_id)
    )


def _document_codes(project: Project) -> list[str]:
    return [document.code for document in pack_for_project(project).spec.documents]


@transaction.atomic
def document_upload(*, actor, project_id, code: str, file, name: str = "", note: str = "") -> ProjectDocument:
    """Keep a new version of one of the pack's documents; the current one (if any) is superseded.

    Uploads are the department's own filing (申报材料): they change what the project asserts (the
    `documents` fact), so they are allowed exactly while the department may edit the project — as
    a draft, and when a reviewer has returned it for revision (退回修改). Once declared, the file
    under review must not change under the reviewer's eyes: a reviewer rejects a document (it
    stops counting) and returns the project, and the department uploads a new version then.
    From the library on, what later steps ask for is written as they come (a cost evaluation
    before the plan, the preliminary design after the FSR's reply): it may be uploaded, and an
    approval stage's texts are held (UPLOAD_HOLDS) while the stage is under review.

    `file` is a Django File (an UploadedFile from a form or the API). Its type is read from its
    content; its size is limited by DOCUMENT_MAX_MB.
    """
    project = _locked_project(actor, project_id)
    if not (actor.is_superuser or roles_of(actor, project) & UPLOAD_ROLES):
        raise NotPermitted(_("Only the project's department may upload its documents."))
    if project.phase not in UPLOAD_PHASES:
        raise InvalidTransition(
            _(
                "Documents cannot be uploaded to a project that is declared, rejected, terminated "
                "or decommissioned."
            ),
            extra={"phase": project.phase},
        )
    for hold in UPLOAD_HOLDS:
        if reason := hold(project, code):
            raise InvalidTransition(reason, extra={"phase": project.phase, "code": code})
    if code not in _document_codes(project):
        raise ValidationFailed(
            _("This document is not one the measure asks for."),
            extra={"errors": {"code": [f"{code!r} is not a document of the rule pack"]}},
        )
    name = clean_name(name or getattr(file, "name", "") or "")
    if not name:
        raise ValidationFailed(extra={"errors": {"file": [_("The file has no name.")]}})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationFailed(extra={"errors": {"note": ["at most 500 characters"]}})
    try:
        sniffed = sniff(file, name=name, max_bytes=document_max_bytes())
    except RefusedFile as exc:
        raise ValidationFailed(str(exc), extra={"errors": {"file": [str(exc)]}}) from exc
    now = timezone.now()
    previous = ProjectDocument.objects.filter(project=project, code=code).current().first()
    if previous is not None:
        previous.superseded_at = now
        previous.save(update_fields=["superseded_at", "updated_at"])
    document = ProjectDocument(
        project=project,
        jurisdiction_id=project.jurisdiction_id,
        code=code,
        version=(previous.version + 1) if previous else 1,
        original_name=name,
        kind=sniffed.kind,
        size=sniffed.size,
        sha256=sniffed.sha256,
        note=note,
        uploaded_by=actor,
    )
    document.file.save(name, file, save=False)  # stored under a random name (models.document_path)
    try:
        document.full_clean(exclude=["project", "jurisdiction", "uploaded_by"])
        document.save()
        AuditEvent.objects.record(
            project,
            actor,
            "document_upload",
            from_phase=project.phase,
            comment=note,
            changes={
                "document": code,
                "version": document.version,
                "file": name,
                "size": sniffed.size,
                "sha256": sniffed.sha256,
                **({"supersedes": previous.pk} if previous else {}),
            },
        )
    except BaseException:
        document.file.storage.delete(document.file.name)  # nothing kept for a row never written
        raise
    return document


@transaction.atomic
def document_reject(*, actor, project_id, document_id, reason: str) -> ProjectDocument:
    """A reviewer rejects the current version of a document: it no longer counts as on file.

    Separation of duties as for the project's decisions: whoever filed, declared or submitted the
    project, or uploaded this document, may not reject it.
    """
    project = _locked_project(actor, project_id)
    document_id = parsed_project_id(document_id)  # any id of a BigAutoField: digits, in range
    document = (
        ProjectDocument.objects.select_for_update().filter(project=project, pk=document_id).first()
        if document_id is not None
        else None
    )
    if document is None:
        raise NotFound()
    if not (actor.is_superuser or roles_of(actor, project) & REJECT_ROLES):
        raise NotPermitted(_("Only a reviewer may reject a document."))
    if actor.pk in filer_ids(project) or actor.pk == document.uploaded_by_id:
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the document is rejected."),
            extra={"errors": {"reason": [_("A reason is required.")]}},
        )
    if len(reason) > REASON_MAX:
        raise ValidationFailed(extra={"errors": {"reason": [f"at most {REASON_MAX} characters"]}})
    if not document.can_reject():
        raise InvalidTransition(
            _("Only the current version of a document that is not rejected yet can be rejected."),
            extra={"document": document.pk},
        )
    document.rejected_at = timezone.now()
    document.rejected_by = actor
    document.rejection_reason = reason
    document.save(update_fields=["rejected_at", "rejected_by", "rejection_reason", "updated_at"])
    AuditEvent.objects.record(
        project,
        actor,
        "document_reject",
        from_phase=project.phase,
        comment=reason,
        changes={"document": document.code, "version": document.version, "file": document.original_name},
    )
    return document
