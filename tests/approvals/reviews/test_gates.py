"""The review steps' gate provider: which steps a transition waits for (when, stage, optional)."""

from __future__ import annotations

import pytest

from approvals.reviews import services
from approvals.reviews.gates import review_step_gates
from jurisdictions.models import Role
from jurisdictions.rules.conditions import parse_condition
from projects.selectors import pack_for_project
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def with_steps(spec, *changes):
    """The staged spec with its steps changed (each change: code → fields to replace)."""
    updates = dict(changes)
    steps = tuple(s.model_copy(update=updates.get(s.code, {})) for s in spec.review.steps)
    return spec.model_copy(update={"review": spec.review.model_copy(update={"steps": steps})})


def codes(gates):
    return [g.code for g in gates]


def test_a_conditional_step_gates_only_when_its_condition_holds(staged, declared):
    spec = pack_for_project(declared).spec
    assert codes(review_step_gates(declared, "enter_library", spec, None)) == ["pre_review"]
    self_raised_only = with_steps(
        spec,
        (
            "pre_review",
            {"when": parse_condition({"fact": "funding_source", "op": "eq", "value": "self_raised"})},
        ),
    )
    assert codes(review_step_gates(declared, "enter_library", self_raised_only, None)) == []
    fiscal = with_steps(
        spec,
        ("pre_review", {"when": parse_condition({"fact": "funding_source", "op": "eq", "value": "fiscal"})}),
    )
    assert codes(review_step_gates(declared, "enter_library", fiscal, None)) == ["pre_review"]


def test_a_step_before_approval_with_a_stage_gates_only_that_stage(staged, declared):
    spec = with_steps(pack_for_project(declared).spec, ("pre_review", {"before": "approve", "stage": "fsr"}))
    assert codes(review_step_gates(declared, "approve", spec, None)) == []
    assert codes(review_step_gates(declared, "approve", spec, "preliminary_design")) == []
    assert codes(review_step_gates(declared, "approve", spec, "fsr")) == ["pre_review"]
    assert codes(review_step_gates(declared, "enter_library", spec, None)) == []
    unstaged = with_steps(pack_for_project(declared).spec, ("pre_review", {"before": "approve"}))
    assert codes(review_step_gates(declared, "approve", unstaged, "fsr")) == ["pre_review"]
    assert codes(review_step_gates(declared, "approve", unstaged, None)) == ["pre_review"]


def test_a_pack_without_steps_has_no_gates_and_asks_nothing(alpha, django_assert_num_queries):
    from tests.conftest import make_project

    project = make_project(alpha)
    spec = pack_for_project(project).spec
    with django_assert_num_queries(0):
        assert review_step_gates(project, "enter_library", spec, None) == []


def test_library_entry_through_the_api_names_the_step_and_its_article(staged, declared):
    reviewer = client_for(staged.users[Role.REVIEWER])
    refused = reviewer.post(
        f"/api/v1/projects/{declared.pk}/transitions/", {"transition": "enter_library"}, format="json"
    )
    assert refused.status_code == 400, refused.content
    body = refused.json()
    assert "技术前置审核" in body["detail"] and "第九条" in body["detail"]
    assert [o["code"] for o in body["owed"]] == ["pre_review"]
    services.decide_step(
        actor=staged.users["cloud_reviewer"], project_id=declared.pk, code="pre_review", outcome="pass"
    )
    entered = reviewer.post(
        f"/api/v1/projects/{declared.pk}/transitions/", {"transition": "enter_library"}, format="json"
    )
    assert entered.status_code == 200, entered.content
