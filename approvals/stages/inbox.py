"""The approval stages' source of the inbox: stages submitted or past their review, waiting on the decider.

A stage waits on everyone who may act for its pack's decider (role, and department when the
decider names one) in its jurisdiction, and on their delegates while a delegation is in force.
Queries do not depend on how many stages wait: the stages in one query, the deciders of the
jurisdictions' packs from the per-process spec cache, and the clock (`due`) of the stages past
their review from one batched evaluation of the clock rules (projects.selectors.evaluate_projects).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.acting import acting_memberships
from approvals.inbox.registry import InboxItem, inbox_source
from approvals.stages import services
from approvals.stages.models import STAGE_STATUS_LABELS, ApprovalStage, StageStatus
from govproj.errors import NotFound, ValidationFailed
from govproj.i18n import english, in_language
from jurisdictions.models import Department, RulePack, in_force
from projects.models import AuditEvent, Phase, Project
from projects.selectors import FILING_ACTIONS, evaluate_projects, parsed_project_id
from security.selectors import person_name

DONE_LIMIT = 500
WAITING = (StageStatus.SUBMITTED, StageStatus.REVIEW_PASSED)
_PLACEHOLDER = 987654321


def _url_maker():
    template = reverse("projects:detail", args=[_PLACEHOLDER])
    return lambda pk: template.replace(str(_PLACEHOLDER), str(pk)) + "#stages"


def _approvals(jurisdiction_ids) -> dict[int, object]:
    """The approval spec of the pack in force in each jurisdiction (one query; specs are cached)."""
    from django.utils import timezone

    packs = RulePack.objects.filter(jurisdiction_id__in=jurisdiction_ids).defer("content")
    today = timezone.localdate()
    found = {}
    for jurisdiction_id in set(jurisdiction_ids):
        pack = in_force([p for p in packs if p.jurisdiction_id == jurisdiction_id], today)
        if pack is not None and pack.spec.review.approval is not None:
            found[jurisdiction_id] = pack.spec.review.approval
    return found


def _deciding(user) -> list[tuple[int, object]]:
    """(jurisdiction id, principal) for each jurisdiction whose decider the user acts for today."""
    memberships = acting_memberships(user)
    approvals = _approvals({m.jurisdiction_id for m, _p in memberships})
    departments = (
        {
            (d.jurisdiction_id, d.code): d.pk
            for d in Department.objects.filter(jurisdiction_id__in=list(approvals)).only(
                "jurisdiction_id", "code"
            )
        }
        if any(a.decider.department for a in approvals.values())
        else {}
    )
    found = []
    for membership, principal in memberships:
        approval = approvals.get(membership.jurisdiction_id)
        if approval is None or membership.role != approval.decider.role:
            continue
        if approval.decider.department and membership.department_id != departments.get(
            (membership.jurisdiction_id, approval.decider.department)
        ):
            continue
        found.append((membership.jurisdiction_id, principal))
    return found


FIELDS = (
    "pk",
    "code",
    "round",
    "status",
    "submitted_at",
    "review_passed_at",
    "project_id",
    "project__code",
    "project__title",
    "project__jurisdiction_id",
    "project__total_investment_wan",
)


def _names(jurisdiction_ids) -> dict[tuple[int, str], str]:
    approvals = _approvals(jurisdiction_ids)
    return {
        (jurisdiction_id, stage.code): in_language(stage.name)
        for jurisdiction_id, approval in approvals.items()
        for stage in approval.stages
    }


def _dues(project_ids) -> dict[int, object]:
    """The clock's due date of each project, from one batched evaluation of the deadline rules."""
    if not project_ids:
        return {}
    approvals = {}
    dues = {}
    for evaluated in evaluate_projects(Project.objects.filter(pk__in=project_ids), kinds=["deadline"]):
        spec = evaluated.pack.spec
        approval = approvals.setdefault(evaluated.pack.pk, spec.review.approval)
        if approval is None or not approval.clock_rule:
            continue
        verdict = next((v for v in evaluated.verdicts if v.rule_id == approval.clock_rule), None)
        if verdict is not None and verdict.data.get("due_date") is not None:
            dues[evaluated.project.pk] = verdict.data["due_date"]
    return dues


class StageSource:
    kind = "stage"
    label = gettext_lazy("Approval stage")

    def _waiting(self, user):
        deciding = _deciding(user)
        if not deciding:
            return ApprovalStage.objects.none(), deciding
        filed = AuditEvent.objects.filter(
            project_id=OuterRef("project_id"), actor_id=user.pk, action__in=FILING_ACTIONS
        )
        rows = (
            ApprovalStage.objects.filter(
                status__in=WAITING,
                project__phase=Phase.IN_REVIEW,
                project__jurisdiction_id__in=sorted({j for j, _p in deciding}),
            )
            .exclude(project__created_by_id=user.pk)
            .exclude(Exists(filed))
        )
        return rows, deciding

    def pending(self, user) -> list[InboxItem]:
        rows, deciding = self._waiting(user)
        if not deciding:
            return []
        lang = "en" if english() else "zh"
        department = f"project__department__name_{lang}"
        rows = list(rows.order_by("submitted_at", "pk").values(*FIELDS, department))
        names = _names({j for j, _p in deciding})
        dues = _dues(sorted({r["project_id"] for r in rows if r["status"] == StageStatus.REVIEW_PASSED}))
        own = {j for j, p in deciding if p.pk == user.pk}
        delegators = {}
        for jurisdiction_id, principal in deciding:
            if jurisdiction_id not in own:
                delegators.setdefault(jurisdiction_id, person_name(principal))
        url = _url_maker()
        return [
            InboxItem(
                kind=self.kind,
                key=str(row["pk"]),
                what=f"{names.get((row['project__jurisdiction_id'], row['code']), row['code'])}"
                f"（{STAGE_STATUS_LABELS[row['status']]}）",
                url=url(row["project_id"]),
                project_id=row["project_id"],
                project_code=row["project__code"],
                project_title=row["project__title"],
                department=row[department] or "",
                amount_wan=row["project__total_investment_wan"],
                since=row["review_passed_at"] or row["submitted_at"],
                due=dues.get(row["project_id"]) if row["status"] == StageStatus.REVIEW_PASSED else None,
                for_whom=delegators.get(row["project__jurisdiction_id"], ""),
                batch=("approve", "return"),
                extra={"round": row["round"], "status": row["status"], "stage": row["code"]},
            )
            for row in rows
        ]

    def count(self, user) -> int:
        rows, deciding = self._waiting(user)
        return rows.count() if deciding else 0

    def done(self, user) -> list[InboxItem]:
        lang = "en" if english() else "zh"
        department = f"project__department__name_{lang}"
        rows = list(
            ApprovalStage.objects.filter(Q(decided_by_id=user.pk) | Q(review_passed_by_id=user.pk))
            .exclude(decided_at__isnull=True, review_passed_at__isnull=True)
            .order_by("-decided_at", "-review_passed_at", "-pk")
            .values(*FIELDS, department, "decided_at")[:DONE_LIMIT]
        )
        names = _names({r["project__jurisdiction_id"] for r in rows})
        url = _url_maker()
        return [
            InboxItem(
                kind=self.kind,
                key=str(row["pk"]),
                what=names.get((row["project__jurisdiction_id"], row["code"]), row["code"]),
                url=url(row["project_id"]),
                project_id=row["project_id"],
                project_code=row["project__code"],
                project_title=row["project__title"],
                department=row[department] or "",
                amount_wan=row["project__total_investment_wan"],
                since=row["decided_at"] or row["review_passed_at"],
                outcome=str(STAGE_STATUS_LABELS[row["status"]]),
                extra={"round": row["round"]},
            )
            for row in rows
        ]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        if action not in ("approve", "return"):
            raise ValidationFailed(
                _("Unknown action."), extra={"errors": {"action": [_("Choose approve or return.")]}}
            )
        if parsed_project_id(key) is None:  # an id no row can have
            raise NotFound()
        row = ApprovalStage.objects.filter(pk=int(key)).select_related("project").first()
        if row is None:
            raise NotFound()
        common = {"actor": user, "project_id": row.project_id, "code": row.code}
        if action == "return":
            services.stage_return(**common, reason=comment)
        elif row.status == StageStatus.SUBMITTED:
            services.stage_pass_review(**common, comment=comment)
        else:
            message = _(
                "This stage's decision needs its document number or amount: open the stage page to decide it."
            )
            approval = _approvals([row.project.jurisdiction_id]).get(row.project.jurisdiction_id)
            stage = approval.stage(row.code) if approval else None
            if stage is None or stage.decision != "filing" or stage.amount or stage.fields:
                raise ValidationFailed(message, extra={"errors": {"action": [message]}})
            from django.utils import timezone

            services.stage_file(**common, fields={}, decision_date=timezone.localdate())


stages = inbox_source(StageSource())
