"""For the demo seeder: take the review steps a transition waits for, as the people the pack names.

`pass_review_steps(project, "enter_library")` passes each step still owed before the transition:
by the step's taker (a person who did not file the project); a step taken by experts gets one
expert's opinion first, a step taken by a third party gets a recorded report.
"""

from __future__ import annotations

from approvals.acting import takers
from approvals.reviews import services
from approvals.reviews.gates import review_step_gates
from approvals.reviews.models import Conclusion, Opinion
from approvals.reviews.selectors import step_spec
from projects.models import Project
from projects.selectors import filer_ids, pack_for_project

COMMENT = "演示：评审通过。"


def pass_review_steps(project: Project, transition: str, *, stage: str | None = None) -> list[str]:
    """Pass the steps owed before `transition` (and `stage`); returns their codes."""
    spec = pack_for_project(project).spec
    passed = []
    for gate in review_step_gates(project, transition, spec, stage):
        step = step_spec(spec, gate.code)
        filers = filer_ids(project)
        taker = next((u for u in takers(project.jurisdiction_id, step.taker) if u.pk not in filers), None)
        if taker is None:
            continue  # nobody set up for the body: the transition says what is owed
        if services.needs_record(step):
            if "third_party" in step.ways:
                services.record_third_party(
                    actor=taker,
                    project_id=project.pk,
                    code=step.code,
                    organisation="演示第三方评估机构",
                    conclusion=Conclusion.AGREE,
                    comment=COMMENT,
                )
            else:
                project.refresh_from_db()
                expert = services.jurisdiction_experts(project).exclude(pk__in=filers | {taker.pk}).first()
                assignment = services.assign_expert(
                    actor=taker, project_id=project.pk, code=step.code, expert_id=expert.pk
                )
                services.submit_opinion(
                    actor=expert,
                    project_id=project.pk,
                    assignment_id=assignment.pk,
                    no_conflict=True,
                    opinion=Opinion.AGREE,
                    comment=COMMENT,
                )
        services.decide_step(
            actor=taker, project_id=project.pk, code=step.code, outcome="pass", comment=COMMENT
        )
        passed.append(step.code)
    return passed
