"""Services of department opinions (会签): request, add a signer (加签), answer, re-request.

Each runs in one transaction with the project row locked and writes one audit event with what
changed (and `acting.audit()` when a delegate acts); the answer that completes the opinions also
writes `opinions_complete`, whose date is the `prerequisites_complete_date` fact.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.acting import acting_as
from approvals.opinions import facts as opinion_facts
from approvals.opinions.models import ADDED_PREFIX, Answer, OpinionRequest
from approvals.opinions.selectors import applicable_items, opinion_state, opinions_spec, taker_of
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Department
from jurisdictions.rules.schema import TAKER_ROLES, Taker
from projects.documents.files import keep_file
from projects.documents.services import document_max_bytes
from projects.models import AuditEvent, Phase, Project
from projects.selectors import filer_ids, pack_for_project, project_facts, project_for

PHASES = frozenset({Phase.IN_REVIEW})
TEXT_MAX = 2000
REVIEWER = Taker(name={"zh": "审核部门", "en": "Reviewing authority"}, role="reviewer")


def _locked_project(actor, project_id) -> Project:
    project_for(actor, project_id)  # 404 before anything else for projects the actor cannot see
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack")
        .get(pk=project_id)
    )


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _checked_text(value, name: str, *, required_message: str | None = None) -> str:
    text = _text(value)
    if required_message and not text:
        raise ValidationFailed(required_message, extra={"errors": {name: [required_message]}})
    if len(text) > TEXT_MAX:
        raise ValidationFailed(extra={"errors": {name: [f"at most {TEXT_MAX} characters"]}})
    return text


def _opinions(project):
    opinions = opinions_spec(pack_for_project(project).spec)
    if opinions is None:
        raise NotFound(_("The project's measure asks for no department opinions."))
    return opinions


def _in_review(project) -> None:
    if project.phase not in PHASES:
        raise InvalidTransition(
            _("Department opinions are requested and answered while the project is in review."),
            extra={"phase": project.phase, "allowed": []},
        )


def _reviewer(actor, project):
    """The reviewer acting (themselves or as a delegate), not one who filed the project."""
    acting = acting_as(actor, project.jurisdiction_id, REVIEWER)
    if acting is None:
        raise NotPermitted(_("Only a reviewer may request department opinions."))
    if acting.people() & filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    return acting


def _requests(project) -> list[OpinionRequest]:
    return list(
        OpinionRequest.objects.select_for_update(of=("self",))
        .filter(project=project)
        .select_related("department")
    )


def _item_request(project, item, round_no: int, actor, now, departments: dict) -> OpinionRequest:
    code = item.giver.department
    return OpinionRequest(
        project=project,
        code=item.code,
        round=round_no,
        name=item.name.model_dump(),
        giver_name=item.giver.name.model_dump(),
        department=departments.get(code) if code else None,
        department_code=code or "",
        role=item.giver.role,
        required=True,
        citation=item.citation.model_dump(exclude_none=True),
        requested_by=actor,
        requested_at=now,
    )


def _open_round(
    project, opinions, actor, round_no: int, earlier: list[OpinionRequest]
) -> list[OpinionRequest]:
    """The requests of a new round: every applicable item, and the signers added in earlier rounds."""
    now = timezone.now()
    items = applicable_items(opinions, project_facts(project))
    codes = {item.giver.department for item in items if item.giver.department}
    departments = {
        d.code: d for d in Department.objects.filter(jurisdiction_id=project.jurisdiction_id, code__in=codes)
    }
    rows = [_item_request(project, item, round_no, actor, now, departments) for item in items]
    added = {}
    for request in sorted(earlier, key=lambda r: r.round):
        if request.is_added:
            added[request.code] = request
    for request in added.values():
        rows.append(
            OpinionRequest(
                project=project,
                code=request.code,
                round=round_no,
                name=request.name,
                giver_name=request.giver_name,
                department=request.department,
                department_code=request.department_code,
                role=request.role,
                required=request.required,
                citation=request.citation,
                added_by_id=request.added_by_id,
                added_reason=request.added_reason,
                requested_by=actor,
                requested_at=now,
            )
        )
    if not rows:
        raise InvalidTransition(_("No department opinion applies to this project."), extra={"allowed": []})
    OpinionRequest.objects.filter(project=project, answer="", closed_at__isnull=True).update(closed_at=now)
    OpinionRequest.objects.bulk_create(rows)
    return list(OpinionRequest.objects.filter(project=project, round=round_no).order_by("id"))


def _summary(rows: list[OpinionRequest]) -> list[dict]:
    return [
        {
            "code": r.code,
            "name": r.name,
            "giver": r.giver_name,
            "department": r.department_code,
            "role": r.role,
        }
        for r in rows
    ]


@transaction.atomic
def request_opinions(*, actor, project_id) -> list[OpinionRequest]:
    """Send the first round of requests (or the next, when every request so far is answered)."""
    project = _locked_project(actor, project_id)
    opinions = _opinions(project)  # 404: no such record for a pack without opinions
    acting = _reviewer(actor, project)
    _in_review(project)
    existing = _requests(project)
    state = opinion_state(existing, opinions.mode)
    if state.has_open:
        raise InvalidTransition(
            _("Opinions have been requested and are awaited; re-request a round instead."),
            extra={"round": state.round, "allowed": ["rerequest"]},
        )
    round_no = state.round + 1
    rows = _open_round(project, opinions, actor, round_no, existing)
    AuditEvent.objects.record(
        project,
        actor,
        opinion_facts.REQUESTED,
        from_phase=project.phase,
        changes={"round": round_no, "requests": _summary(rows), **acting.audit()},
    )
    return rows


@transaction.atomic
def rerequest_opinions(*, actor, project_id, reason: str) -> list[OpinionRequest]:
    """Open a new round (e.g. after a disagreement was resolved): the earlier round stays on file, its
    unanswered requests are closed, and every body is asked again. A reason is required."""
    project = _locked_project(actor, project_id)
    opinions = _opinions(project)  # 404: no such record for a pack without opinions
    acting = _reviewer(actor, project)
    _in_review(project)
    reason = _checked_text(reason, "reason", required_message=_("Say why the opinions are requested again."))
    existing = _requests(project)
    state = opinion_state(existing, opinions.mode)
    if not state.requested:
        raise InvalidTransition(_("No opinions have been requested yet."), extra={"allowed": ["request"]})
    if not state.answered_any:
        raise InvalidTransition(
            _("No request of the current round has been answered yet."), extra={"round": state.round}
        )
    round_no = state.round + 1
    rows = _open_round(project, opinions, actor, round_no, existing)
    AuditEvent.objects.record(
        project,
        actor,
        opinion_facts.REREQUESTED,
        from_phase=project.phase,
        comment=reason,
        changes={"round": round_no, "requests": _summary(rows), **acting.audit()},
    )
    return rows


@transaction.atomic
def add_signer(*, actor, project_id, department_id, role: str, reason: str, name: str = "") -> OpinionRequest:
    """加签: ask another department of the jurisdiction (its people of `role`) in the current round."""
    project = _locked_project(actor, project_id)
    opinions = _opinions(project)  # 404: no such record for a pack without opinions
    acting = _reviewer(actor, project)
    _in_review(project)
    errors = {}
    department = (
        Department.objects.filter(jurisdiction_id=project.jurisdiction_id, pk=department_id).first()
        if isinstance(department_id, int) or (isinstance(department_id, str) and department_id.isdigit())
        else None
    )
    if department is None:
        errors["department"] = [_("Choose a department of the jurisdiction.")]
    if role not in TAKER_ROLES:
        errors["role"] = [_("Choose the role whose people give the opinion.")]
    if errors:
        raise ValidationFailed(_("The signer is not valid."), extra={"errors": errors})
    reason = _checked_text(reason, "reason", required_message=_("Say why this department is asked."))
    subject = _checked_text(name, "name")[:200]
    existing = _requests(project)
    state = opinion_state(existing, opinions.mode)
    if not state.requested:
        raise InvalidTransition(
            _("Request the opinions before adding a signer."), extra={"allowed": ["request"]}
        )
    if any(r.department_id == department.pk and r.role == role and r.is_open for r in state.current):
        raise InvalidTransition(_("This department's opinion is already awaited in this round."))
    now = timezone.now()
    code = f"{ADDED_PREFIX}{state.next_added}"
    request = OpinionRequest.objects.create(
        project=project,
        code=code,
        round=state.round,
        name={"zh": subject or "加签意见", "en": subject or "Additional opinion"},
        giver_name={"zh": department.name_zh, "en": department.name_en},
        department=department,
        department_code=department.code,
        role=role,
        required=True,
        citation=opinions.citation.model_dump(exclude_none=True),
        added_by=actor,
        added_reason=reason,
        requested_by=actor,
        requested_at=now,
    )
    AuditEvent.objects.record(
        project,
        actor,
        opinion_facts.SIGNER_ADDED,
        from_phase=project.phase,
        comment=reason,
        changes={
            "round": state.round,
            "code": code,
            "department": {"id": department.pk, "code": department.code, "name": department.name_zh},
            "role": role,
            **acting.audit(),
        },
    )
    return request


@transaction.atomic
def answer_opinion(
    *, actor, project_id, request_id, answer: str, comment: str = "", file=None
) -> OpinionRequest:
    """The giver's answer (agree / agree with conditions / disagree), once per round.

    Only someone acting for the body (themselves or as a delegate); nobody who filed the project.
    A comment is required to disagree or to agree with conditions.
    """
    project = _locked_project(actor, project_id)
    request = (
        OpinionRequest.objects.select_for_update().filter(project=project, pk=request_id).first()
        if str(request_id).isdigit()
        else None
    )
    if request is None:
        raise NotFound(_("There is no such opinion request."))
    acting = acting_as(actor, project.jurisdiction_id, taker_of(request))
    if acting is None:
        raise NotPermitted(_("Only %(giver)s gives this opinion.") % {"giver": request.giver or request.role})
    if acting.people() & filer_ids(project):
        raise NotPermitted(_("Whoever filed, declared or submitted a project may not decide on it."))
    _in_review(project)
    if not request.is_open:
        raise InvalidTransition(
            _("This request has been answered already or belongs to an earlier round."),
            extra={"answer": request.answer, "round": request.round},
        )
    if answer not in Answer.values:
        raise ValidationFailed(extra={"errors": {"answer": [_("Agree, agree with conditions or disagree.")]}})
    needs_comment = answer != Answer.AGREE
    comment = _checked_text(
        comment,
        "comment",
        required_message=_("Say why, or on which conditions.") if needs_comment else None,
    )
    opinions = opinions_spec(pack_for_project(project).spec)
    mode = opinions.mode if opinions else "all"
    rows = [r for r in _requests(project) if r.pk != request.pk]
    before = opinion_state([*rows, request], mode)
    was_complete = before.complete
    now = timezone.now()
    request.answer, request.comment = answer, comment
    request.answered_by, request.answered_at = actor, now
    request.on_behalf_of = acting.principal if acting.on_behalf else None
    stored = keep_file(request, file, max_bytes=document_max_bytes())
    try:
        request.save()
        AuditEvent.objects.record(
            project,
            actor,
            opinion_facts.ANSWERED,
            from_phase=project.phase,
            comment=comment,
            changes={
                "round": request.round,
                "code": request.code,
                "name": request.name,
                "giver": request.giver_name,
                "answer": answer,
                **stored,
                **acting.audit(),
            },
        )
        after = opinion_state([*rows, request], mode)
        if after.complete and not was_complete:
            AuditEvent.objects.record(
                project,
                actor,
                opinion_facts.COMPLETE,
                from_phase=project.phase,
                changes={
                    "round": after.round,
                    "mode": mode,
                    "last": request.code,
                    "agreed": [r.code for r in after.agreed],
                    **acting.audit(),
                },
            )
    except BaseException:
        if stored:
            request.file.storage.delete(request.file.name)
        raise
    return request
