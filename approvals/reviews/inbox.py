"""Inbox sources of review steps (kind "review_step") and of expert opinions (kind "expert_opinion").

Each answers in a fixed number of queries whatever the number of items: the projects waiting in
the phases the steps are taken in, their step rounds, their filers and the review records are
read once each; the pack's steps are the pinned versions' specs (validated once per process).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.acting import acting_memberships
from approvals.inbox.registry import InboxItem, inbox_source
from approvals.reviews import services
from approvals.reviews.models import ExpertAssignment, Opinion, ReviewStep, StepStatus, ThirdPartyReview
from approvals.reviews.selectors import light_facts, pack_steps, step_applies, transition_sources
from govproj.errors import ValidationFailed
from govproj.i18n import in_language
from jurisdictions.models import Department, Jurisdiction
from jurisdictions.selectors import rule_pack
from projects.models import AuditEvent, Project
from projects.selectors import FILING_ACTIONS
from security.selectors import person_name

DONE_LIMIT = 500


def _url(project_id: int) -> str:
    return reverse("projects:detail", kwargs={"pk": project_id}) + "#reviews"


def _what(step) -> str:
    return f"{in_language(step.name)}（{in_language(step.taker.name)}）"


def _item(kind, key, what, project, since, **extra) -> InboxItem:
    return InboxItem(
        kind=kind,
        key=key,
        what=what,
        url=_url(project.pk),
        project_id=project.pk,
        project_code=project.code,
        project_title=project.title,
        department=in_language({"zh": project.department.name_zh, "en": project.department.name_en}),
        amount_wan=project.total_investment_wan,
        since=since,
        **extra,
    )


class ReviewStepSource:
    kind = "review_step"
    label = gettext_lazy("Review steps")

    def pending(self, user) -> list[InboxItem]:
        acting = acting_memberships(user)
        jurisdiction_ids = sorted({m.jurisdiction_id for m, _principal in acting})
        if not jurisdiction_ids:
            return []
        phases: set[str] = set()
        for jurisdiction in Jurisdiction.objects.filter(pk__in=jurisdiction_ids):
            for step in pack_steps(rule_pack(jurisdiction).spec):
                phases |= transition_sources().get(step.before, frozenset())
        if not phases:
            return []
        projects = list(
            Project.objects.filter(jurisdiction_id__in=jurisdiction_ids, phase__in=sorted(phases))
            .exclude(rule_pack=None)
            .select_related("department", "rule_pack")
            .defer("rule_pack__content")
            .order_by("created_at", "pk")
        )
        if not projects:
            return []
        ids = [p.pk for p in projects]
        departments = {
            (j, code): pk
            for j, code, pk in Department.objects.filter(jurisdiction_id__in=jurisdiction_ids).values_list(
                "jurisdiction_id", "code", "pk"
            )
        }
        latest: dict[tuple[int, str], ReviewStep] = {}
        for row in ReviewStep.objects.filter(project_id__in=ids).order_by("round"):
            latest[(row.project_id, row.code)] = row
        open_rows = [r.pk for r in latest.values() if r.status == StepStatus.OPEN]
        recorded = set(
            ExpertAssignment.objects.filter(
                step_id__in=open_rows, withdrawn=False, submitted_at__isnull=False
            ).values_list("step_id", flat=True)
        ) | set(ThirdPartyReview.objects.filter(step_id__in=open_rows).values_list("step_id", flat=True))
        filers: dict[int, set[int]] = {p.pk: {p.created_by_id} for p in projects}
        for project_id, actor_id in AuditEvent.objects.filter(
            project_id__in=ids, action__in=FILING_ACTIONS
        ).values_list("project_id", "actor_id"):
            filers[project_id].add(actor_id)
        items = []
        for project in projects:
            facts = None
            for step in pack_steps(project.rule_pack.spec):
                if project.phase not in transition_sources().get(step.before, frozenset()):
                    continue
                row = latest.get((project.pk, step.code))
                if (row is None and step.optional) or (row is not None and row.status != StepStatus.OPEN):
                    continue
                if step.when is not None:
                    facts = facts if facts is not None else light_facts(project)
                    if not step_applies(step, facts):
                        continue
                department_id = (
                    departments.get((project.jurisdiction_id, step.taker.department), -1)
                    if step.taker.department
                    else None
                )
                for membership, principal in acting:
                    if not (
                        membership.jurisdiction_id == project.jurisdiction_id
                        and membership.role == step.taker.role
                        and (department_id is None or membership.department_id == department_id)
                    ):
                        continue
                    if {user.pk, principal.pk} & filers[project.pk]:
                        continue
                    may_approve = not services.needs_record(step) or (row is not None and row.pk in recorded)
                    items.append(
                        _item(
                            self.kind,
                            f"{project.pk}:{step.code}",
                            _what(step),
                            project,
                            row.created_at if row else project.updated_at,
                            for_whom="" if principal.pk == user.pk else person_name(principal),
                            batch=("approve", "return") if may_approve else ("return",),
                        )
                    )
                    break
        return items

    def done(self, user) -> list[InboxItem]:
        rows = (
            ReviewStep.objects.filter(decided_by=user)
            .select_related("project__department", "project__rule_pack")
            .defer("project__rule_pack__content")
            .order_by("-decided_at")[:DONE_LIMIT]
        )
        items = []
        for row in rows:
            project = row.project
            spec = project.rule_pack.spec if project.rule_pack else None
            step = next((s for s in pack_steps(spec) if s.code == row.code), None) if spec else None
            items.append(
                _item(
                    self.kind,
                    f"{project.pk}:{row.code}:{row.round}",
                    _what(step) if step else row.code,
                    project,
                    row.decided_at,
                    outcome=str(StepStatus(row.status).label),
                )
            )
        return items

    def decide(self, user, key: str, action: str, comment: str) -> None:
        project_id, _sep, code = str(key).partition(":")
        if action not in ("approve", "return"):
            raise ValidationFailed(extra={"errors": {"action": [_("Choose approve or return.")]}})
        services.decide_step(
            actor=user,
            project_id=project_id,
            code=code,
            outcome="pass" if action == "approve" else "fail",
            comment=comment,
        )


class ExpertOpinionSource:
    kind = "expert_opinion"
    label = gettext_lazy("Expert reviews")

    def _rows(self, user):
        return (
            ExpertAssignment.objects.filter(expert_id=user.pk, withdrawn=False)
            .select_related("project__department", "project__rule_pack", "step")
            .defer("project__rule_pack__content")
        )

    def _what(self, assignment) -> str:
        project = assignment.project
        spec = project.rule_pack.spec if project.rule_pack else None
        step = next((s for s in pack_steps(spec) if s.code == assignment.step.code), None) if spec else None
        return _("Expert opinion: %(step)s") % {
            "step": in_language(step.name) if step else assignment.step.code
        }

    def pending(self, user) -> list[InboxItem]:
        if not user.is_authenticated:
            return []
        rows = self._rows(user).filter(submitted_at__isnull=True, step__status=StepStatus.OPEN)
        return [
            _item(self.kind, str(a.pk), self._what(a), a.project, a.assigned_at)
            for a in rows.order_by("assigned_at", "pk")
        ]

    def done(self, user) -> list[InboxItem]:
        if not user.is_authenticated:
            return []
        rows = self._rows(user).filter(submitted_at__isnull=False).order_by("-submitted_at")[:DONE_LIMIT]
        return [
            _item(
                self.kind,
                str(a.pk),
                self._what(a),
                a.project,
                a.submitted_at,
                outcome=str(Opinion(a.opinion).label),
            )
            for a in rows
        ]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        raise ValidationFailed(
            _("An expert opinion is given on its own page, with the declaration of no conflict of interest.")
        )


inbox_source(ReviewStepSource())
inbox_source(ExpertOpinionSource())
