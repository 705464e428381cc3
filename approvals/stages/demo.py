"""For the demo seeder: take a project in review through every approval stage of its track.

Each stage is submitted by the department's staff, its review passed and then approved (or filed)
by the reviewer with a demo document number like 红政数审〔2026〕12号 and the project's investment
as the amount. The review steps (approvals.reviews.demo) and department opinions
(approvals.opinions.demo) the pack asks before a decision are taken first.
"""

from __future__ import annotations

import itertools

from django.utils import timezone

from approvals.stages import services
from approvals.stages.models import StageStatus
from projects.models import Phase, Project
from projects.selectors import pack_for_project, project_verdicts

_NUMBERS = itertools.count(12)


def _owed_first(project, code: str, reviewer) -> None:
    try:
        from approvals.reviews.demo import pass_review_steps
    except ImportError:  # pragma: no cover - the review steps' module is another's
        pass_review_steps = None
    try:
        from approvals.opinions.demo import answer_all_opinions
    except ImportError:  # pragma: no cover
        answer_all_opinions = None
    if pass_review_steps is not None:
        pass_review_steps(project, "approve", stage=code)
    if answer_all_opinions is not None:
        answer_all_opinions(project, reviewer)


def demo_number(project, n: int) -> str:
    return f"{project.jurisdiction.name_zh[:1]}政数审〔{timezone.localdate().year}〕{n}号"


def approve_through_stages(project: Project, staff, reviewer) -> Project:
    """Submit, pass and decide each stage of the project's track until the project is approved."""
    pack = pack_for_project(project)
    approval = pack.spec.review.approval
    for _guard in range(12):
        project = Project.objects.select_related("jurisdiction").get(pk=project.pk)
        if project.phase != Phase.IN_REVIEW:
            return project
        _pack, verdicts = project_verdicts(project)
        track = services.track_from(verdicts, approval)
        if track is None:
            return project
        rows = {row.code: row for row in project.approval_stages.order_by("id")}
        code = next(
            (
                c
                for c in track.stages
                if c not in rows or rows[c].status not in (StageStatus.APPROVED, StageStatus.FILED)
            ),
            None,
        )
        if code is None:
            return project
        spec = approval.stage(code)
        row = rows.get(code)
        if row is None or row.status in (StageStatus.OPEN, StageStatus.WITHDRAWN, StageStatus.RETURNED):
            services.stage_submit(actor=staff, project_id=project.pk, code=code, comment="演示：提交审批。")
        services.stage_pass_review(
            actor=reviewer, project_id=project.pk, code=code, comment="演示：评审通过。"
        )
        _owed_first(project, code, reviewer)
        amount = project.total_investment_wan if spec.amount else None
        if spec.decision == "filing":
            services.stage_file(
                actor=reviewer,
                project_id=project.pk,
                code=code,
                fields={field.code: "演示" for field in spec.fields},
                decision_date=timezone.localdate(),
                amount_wan=amount,
                document_number=demo_number(project, next(_NUMBERS)),
            )
        else:
            services.stage_approve(
                actor=reviewer,
                project_id=project.pk,
                code=code,
                document_number=demo_number(project, next(_NUMBERS)),
                decision_date=timezone.localdate(),
                amount_wan=amount,
                conditions="",
            )
    return Project.objects.get(pk=project.pk)
