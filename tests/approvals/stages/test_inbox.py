"""The stages' inbox source: what waits on the decider, its clock, its decisions, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.inbox.registry import SOURCES
from approvals.stages import services
from approvals.stages.models import ApprovalStage
from govproj.errors import ValidationFailed
from jurisdictions.models import Role
from tests.approvals.stages.conftest import give_opinions, in_review

pytestmark = pytest.mark.django_db


def _waiting(staged, count: int, *, passed: bool) -> None:
    staff, reviewer = staged.users[Role.DEPARTMENT_STAFF], staged.users[Role.REVIEWER]
    for _ in range(count):
        project = in_review(staged, "30")
        services.stage_submit(actor=staff, project_id=project.pk, code="implementation_plan")
        if passed:
            give_opinions(staged, project)
            services.stage_pass_review(actor=reviewer, project_id=project.pk, code="implementation_plan")


def _count(source, user) -> int:
    source.pending(user)
    with CaptureQueriesContext(connection) as captured:
        items = source.pending(user)
    return len(captured), items


def test_pending_items_with_their_clock_cost_constant_queries(staged):
    source = SOURCES["stage"]
    reviewer = staged.users[Role.REVIEWER]
    _waiting(staged, 1, passed=True)
    _waiting(staged, 1, passed=False)
    few, items = _count(source, reviewer)
    assert len(items) == 2 and {i.what for i in items} == {
        "实施方案审批（评审通过）",
        "实施方案审批（已提交）",
    }
    assert [i.due is not None for i in sorted(items, key=lambda i: i.extra["status"])] == [True, False]
    _waiting(staged, 29, passed=True)
    _waiting(staged, 29, passed=False)
    many, items = _count(source, reviewer)
    assert len(items) == 60 and many == few
    assert source.pending(staged.users[Role.DEPARTMENT_STAFF]) == []  # the filer's side sees none


def test_decide_passes_review_returns_and_refuses_an_approval_needing_a_number(staged):
    source = SOURCES["stage"]
    reviewer = staged.users[Role.REVIEWER]
    _waiting(staged, 2, passed=False)
    first, second = ApprovalStage.objects.order_by("pk")
    source.decide(reviewer, str(first.pk), "approve", "")
    first.refresh_from_db()
    assert first.status == "review_passed"
    with pytest.raises(ValidationFailed) as refused:
        source.decide(reviewer, str(first.pk), "approve", "")
    assert "审批页面" in refused.value.message
    source.decide(reviewer, str(second.pk), "return", "请补充材料")
    second.refresh_from_db()
    assert second.status == "returned" and second.reason == "请补充材料"
