"""A project in operation on a real pack, for the evaluation and decommissioning tests."""

from __future__ import annotations

import datetime as dt

from jurisdictions.selectors import rule_pack
from tests.conftest import advance, make_project


def first_category(tenant) -> str:
    categories = rule_pack(tenant.jurisdiction).spec.categories
    return categories[0].code if categories else "application"


def operating(tenant, on: dt.date | None = None, **overrides):
    """A project of the tenant's department put in operation on `on` (default: two years ago)."""
    overrides.setdefault("category", first_category(tenant))
    overrides.setdefault("facts", None)
    project = make_project(tenant, **overrides)
    return advance(project, "in_operation", on=on or dt.date.today() - dt.timedelta(days=730))


def walk_setup(name: str, tenant, project) -> dict:
    """For the API walker (tests/projects/test_permissions.py): put the tenant's project where the endpoint
    `name` succeeds for the roles allowed it. Idempotent (the walker calls it again for its 404 twin).
    Returns the values of the endpoint's other placeholders ({expert}, {assignment})."""
    from acceptance.evaluation import services as evaluation
    from acceptance.evaluation.models import PostEvaluation, PostEvaluationExpert
    from jurisdictions.models import Role
    from projects.decommission import services as decommission
    from projects.decommission.models import DataDisposal, Decommission

    reviewer, staff, expert = (tenant.users[r] for r in (Role.REVIEWER, Role.DEPARTMENT_STAFF, Role.EXPERT))
    project.refresh_from_db()  # the caller's copy may be stale: advance() goes on from the phase it reads
    advance(project, "in_operation")
    fill = {"expert": expert.pk, "assignment": ""}
    yesterday = dt.date.today() - dt.timedelta(days=1)
    if name.startswith("api:project-evaluation-post-") and name != "api:project-evaluation-post-organise":
        method = "third_party" if name.endswith("third-party") else "experts"
        if not PostEvaluation.objects.filter(project=project).exists():
            evaluation.post_evaluation_organise(actor=reviewer, project_id=project.pk, method=method)
        if name in ("api:project-evaluation-post-opinion", "api:project-evaluation-post-conclude"):
            assignment = PostEvaluationExpert.objects.filter(project=project).first()
            if assignment is None:
                assignment = evaluation.post_evaluation_assign_expert(
                    actor=reviewer, project_id=project.pk, expert_id=expert.pk
                )
            fill["assignment"] = assignment.pk
            if name.endswith("conclude") and not assignment.submitted_at:
                evaluation.post_evaluation_opinion(
                    actor=expert,
                    project_id=project.pk,
                    assignment_id=assignment.pk,
                    no_conflict=True,
                    rating="good",
                    opinion="良好",
                )
    if name.startswith("api:project-decommission-") and name not in (
        "api:project-decommission-plan",
        "api:project-decommission-flag",
    ):
        if not Decommission.objects.filter(project=project).exists():
            decommission.decommission_plan(
                actor=staff, project_id=project.pk, reason="无使用价值", planned_stop_on=yesterday
            )
        if name == "api:project-decommission-complete":
            record = Decommission.objects.get(project=project)
            if not DataDisposal.objects.filter(decommission=record).exists():
                decommission.data_disposal_record(
                    actor=staff,
                    project_id=project.pk,
                    data_kind="业务数据",
                    action="backup",
                    done_by="运维公司",
                    done_on=yesterday,
                    verification="核对",
                )
            if not record.assets_recorded_at:
                decommission.assets_disposal_record(actor=staff, project_id=project.pk, disposal="报废")
            if not record.data_bureau_filed_at:
                decommission.decommission_filing(
                    actor=reviewer, project_id=project.pk, body="data_bureau", reference="备1"
                )
            if not record.finance_filed_at:
                decommission.decommission_filing(
                    actor=reviewer, project_id=project.pk, body="finance", reference="财1"
                )
    return fill
