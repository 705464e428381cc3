"""On a pack that approves stage by stage, 批复, 退回 and 驳回 of a project in review are its stages'."""

from __future__ import annotations

import pytest

from govproj.errors import InvalidTransition
from jurisdictions.models import Role
from projects import services
from projects.models import Project
from projects.selectors import available_transitions
from tests.approvals.stages.conftest import in_review
from tests.conftest import make_project


@pytest.mark.parametrize("name", ["approve", "reject", "return_for_revision"])
def test_a_project_in_review_is_not_decided_past_its_stages(staged, name):
    project = in_review(staged)
    assert name not in available_transitions(project, staged.users[Role.REVIEWER])
    with pytest.raises(InvalidTransition) as refused:
        services.transition_project(
            actor=staged.users[Role.REVIEWER], project_id=project.pk, name=name, comment="理由"
        )
    assert "审批" in refused.value.message
    project.refresh_from_db()
    assert project.phase == "in_review"


def test_a_declaration_is_still_returned_and_rejected_at_intake(staged):
    project = make_project(staged, facts={"documents": ["proposal"]})
    services.transition_project(
        actor=staged.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    project.refresh_from_db()
    assert {"return_for_revision", "reject"} <= set(
        available_transitions(project, staged.users[Role.REVIEWER])
    )


def test_a_pack_without_stages_keeps_its_plain_decisions(alpha):
    project = make_project(alpha)
    Project.objects.filter(pk=project.pk).update(phase="in_review")
    project.refresh_from_db()
    assert {"approve", "reject", "return_for_revision"} <= set(available_transitions(project))
