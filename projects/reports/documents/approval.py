"""批复文件 (approval_reply): one decided round of one approval stage, as the decider's reply letter.

Addressed to the project's department (主送), it names the project (title, code), the stage as the
pack names it and its round, the decision (批准 / 备案) with its document number and date, the
amount approved against the amount requested (万元), the conditions or the filing's fields, who
decided (and for whom, under a delegation), and the rules the decision applied with their articles —
read from the audit events that recorded it (the stage's decision and, for the last stage, the
project's approval, which carries the verdicts). Signed by the pack's decider in the jurisdiction.

A project's kind: its subjects are the project's decided stage rounds, in the order decided.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from approvals.stages.models import DECIDED, ApprovalStage, StageStatus
from approvals.stages.selectors import decider_label
from govproj.errors import NotFound
from jurisdictions.models import RulePack
from jurisdictions.rules.schema import cited_article
from projects.detail import OUTCOME_LABELS
from projects.models import AuditEvent
from projects.reports.documents.printing import spec_stage, stage_name, wan
from projects.reports.kinds import ReportKind, Subject, register
from projects.selectors import pack_for_project

PREFIX = "stage:"
DECISION_EVENTS = ("stage_approve", "stage_file", "approve")
# A jurisdiction's name as printed before its body's: 「包头市本级」 signs as 「包头市……」.
LEVEL_SUFFIXES = ("本级", "市级", "区级", "县级", "旗级")
LEVEL_CHARACTERS = "省市区县旗"


def round_label(name: str, round_number: int) -> str:
    return f"{name}（第{round_number}轮）"


def issuer(jurisdiction, body: str) -> str:
    """The signing body with its jurisdiction: 赤峰市红山区 + 区政数局 → 赤峰市红山区政数局."""
    place = jurisdiction.name_zh
    for suffix in LEVEL_SUFFIXES:
        if place.endswith(suffix) and len(place) > len(suffix):
            place = place.removesuffix(suffix)
            break
    if not body:
        return place
    if body.startswith(place):
        return body
    if body[0] in LEVEL_CHARACTERS and place.endswith(body[0]):
        return place + body[1:]
    return place + body


def _decided(project):
    return ApprovalStage.objects.filter(project=project, status__in=DECIDED).order_by("decided_at", "pk")


def decision_packs(project) -> dict[tuple[str, int], RulePack]:
    """The pack version each stage round's decision applied, from its audit event (each version read once)."""
    ids = {}
    for changes, pack_id in (
        AuditEvent.objects.filter(project=project, action__in=DECISION_EVENTS[:2], rule_pack__isnull=False)
        .order_by("pk")
        .values_list("changes", "rule_pack_id")
    ):
        changes = changes or {}
        ids[(changes.get("stage"), changes.get("round", 1))] = pack_id
    packs = RulePack.objects.select_related("jurisdiction").in_bulk(set(ids.values()))
    return {key: packs[pack_id] for key, pack_id in ids.items() if pack_id in packs}


def subjects(user, project) -> list[Subject]:
    rows = list(_decided(project))
    if not rows:
        return []
    spec = pack_for_project(project).spec
    packs = decision_packs(project)
    return [
        Subject(
            f"{PREFIX}{row.pk}",
            round_label(stage_name(spec, row.code), row.round),
            number=row.document_number,
            rule_pack=packs.get((row.code, row.round)),
        )
        for row in reversed(rows)  # latest first
    ]


def stage_of(report) -> ApprovalStage:
    key = report.subject_key.removeprefix(PREFIX)
    found = (
        _decided(report.project)
        .select_related("submitted_by", "decided_by", "on_behalf_of")
        .filter(pk=int(key))
        .first()
        if key.isdigit()
        else None
    )
    if found is None:
        raise NotFound()
    return found


def applied_rules(stage: ApprovalStage) -> list[dict]:
    """The rules the decision applied, from the verdicts on its audit events (not applicable: left out)."""
    events = AuditEvent.objects.filter(project_id=stage.project_id, action__in=DECISION_EVENTS).order_by("pk")
    rules: dict[str, dict] = {}
    for event in events:
        changes = event.changes or {}
        if changes.get("stage") != stage.code or changes.get("round", 1) != stage.round:
            continue
        for verdict in event.verdicts or []:
            outcome = verdict.get("outcome", "")
            if outcome == "not_applicable" or not isinstance(verdict.get("title"), dict):
                continue
            rules[verdict.get("rule_id", "")] = {
                "title": verdict["title"].get("zh", ""),
                "article": cited_article(verdict.get("citation")),
                "outcome": str(OUTCOME_LABELS.get(outcome, "")),
                "passed": outcome == "pass",
                "message": (verdict.get("message") or {}).get("zh", ""),
            }
    return list(rules.values())


def context(report, progress) -> dict:
    project = report.project
    stage = stage_of(report)
    spec = (report.rule_pack or pack_for_project(project)).spec
    approval = spec.review.approval
    named = spec_stage(spec, stage.code)
    progress(30, str(_("Reading the decision")))
    approved = stage.status == StageStatus.APPROVED
    fields = []
    if named is not None and stage.filing_fields:
        fields = [
            (field.name.zh, stage.filing_fields.get(field.code, ""))
            for field in named.fields
            if stage.filing_fields.get(field.code)
        ]
    difference = None
    if stage.approved_amount_wan is not None and stage.requested_amount_wan is not None:
        difference = stage.approved_amount_wan - stage.requested_amount_wan
    body = approval.decider.name.zh if approval is not None else ""
    return {
        "project": project,
        "department": project.department.name_zh,
        "stage": stage,
        "stage_name": stage_name(spec, stage.code),
        "stage_article": named.citation.article if named is not None else "",
        "approval_article": approval.citation.article if approval is not None else "",
        "measure": spec.measure.title.zh,
        "approved": approved,
        "decision": "批准" if approved else "备案",
        "approved_wan": wan(stage.approved_amount_wan),
        "requested_wan": wan(stage.requested_amount_wan or project.total_investment_wan),
        "requested_is_total": stage.requested_amount_wan is None,
        "reduced_wan": wan(-difference) if difference is not None and difference < 0 else "",
        "fields": fields,
        "decided_by": decider_label(stage),
        "decider_body": body,
        "issuer": issuer(report.jurisdiction, body),
        "rules": applied_rules(stage),
    }


register(
    ReportKind(
        code="approval_reply",
        label=_("Approval reply"),
        scope="project",
        subjects=subjects,
        unavailable=_("No approval stage has been decided yet."),
        template="reports/pdf/approval_reply.html",
        context=context,
        order=10,
    )
)
