"""The intake source: declared projects wait on the jurisdiction's reviewers; a delegate acts 「代XX」."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from approvals.inbox.intake import intake
from approvals.inbox.registry import SOURCES
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.models import TRANSITION_LABELS, AuditEvent, Project
from projects.serializers import AuditEventSerializer
from security.selectors import person_name
from tests.approvals.inbox.conftest import declared, delegate
from tests.conftest import make_project


def test_it_is_registered():
    assert SOURCES["intake"] is intake


def test_declared_projects_wait_on_the_reviewers_of_their_jurisdiction(alpha, beta, qian):
    first = declared(alpha, total_investment_wan=Decimal("1234.50"))
    second = declared(alpha)
    make_project(alpha)  # a draft waits on nobody
    declared(beta)
    for user in (alpha.users[Role.REVIEWER], qian):
        items = intake.pending(user)
        assert [i.key for i in items] == [str(first.pk), str(second.pk)]  # oldest declaration first
        assert items[0].amount_wan == Decimal("1234.50")
        assert items[0].project_code == first.code and items[0].department == alpha.department.name_zh
        assert items[0].for_whom == "" and items[0].batch == ("approve", "return")
        assert intake.count(user) == 2
    for role in (Role.DEPARTMENT_STAFF, Role.FINANCE_OFFICER, Role.EXPERT):
        assert intake.pending(alpha.users[role]) == []
        assert intake.count(alpha.users[role]) == 0


@pytest.mark.parametrize(("starts", "ended", "acts"), [(0, False, True), (1, False, False), (0, True, False)])
def test_a_delegate_reads_for_whom_while_the_delegation_is_in_force(alpha, qian, starts, ended, acts):
    declared(alpha)
    delegate(alpha, qian, starts=starts, ended=ended)
    [item] = intake.pending(qian)
    assert item.for_whom == (person_name(alpha.users[Role.REVIEWER]) if acts else "")
    assert intake.pending(alpha.users[Role.REVIEWER])[0].for_whom == ""


def test_approve_enters_the_library_and_return_needs_a_reason(alpha):
    reviewer = alpha.users[Role.REVIEWER]
    one, two = declared(alpha), declared(alpha)
    intake.decide(reviewer, str(one.pk), "approve", "")
    with pytest.raises(ValidationFailed):
        intake.decide(reviewer, str(two.pk), "return", " ")
    intake.decide(reviewer, str(two.pk), "return", "请补充可研报告")
    assert Project.objects.get(pk=one.pk).phase == "in_library"
    assert Project.objects.get(pk=two.pk).phase == "returned"
    assert AuditEvent.objects.get(project=one, action="enter_library").changes == {}
    done = intake.done(reviewer)
    assert [(d.key, d.outcome) for d in done] == [
        (str(two.pk), str(TRANSITION_LABELS["return_for_revision"])),
        (str(one.pk), str(TRANSITION_LABELS["enter_library"])),
    ]
    assert intake.pending(reviewer) == []


def test_refusals_leave_the_project_as_it_was(alpha, beta):
    reviewer = alpha.users[Role.REVIEWER]
    draft = make_project(alpha)
    with pytest.raises(InvalidTransition):
        intake.decide(reviewer, str(draft.pk), "approve", "")
    with pytest.raises(NotFound):
        intake.decide(reviewer, str(declared(beta).pk), "approve", "")
    with pytest.raises(NotFound):
        intake.decide(reviewer, "not-a-number", "approve", "")
    with pytest.raises(ValidationFailed):
        intake.decide(reviewer, str(draft.pk), "reject", "")
    assert Project.objects.get(pk=draft.pk).phase == "draft"


def test_a_delegates_decision_names_both_on_the_timeline_and_in_the_api(alpha, qian):
    project = declared(alpha)
    delegate(alpha, qian)
    intake.decide(qian, str(project.pk), "approve", "")
    event = AuditEvent.objects.get(project=project, action="enter_library")
    reviewer = alpha.users[Role.REVIEWER]
    assert event.actor == qian
    assert event.changes["on_behalf_of"] == {"id": reviewer.pk, "name": person_name(reviewer)}
    label = f"{person_name(qian)}（代{person_name(reviewer)}）"
    client = Client()
    client.force_login(reviewer)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert label in page
    assert AuditEventSerializer(event).data["on_behalf_of"] == person_name(reviewer)
    [done] = intake.done(qian)
    assert done.for_whom == person_name(reviewer)


def test_the_delegate_may_not_decide_on_what_the_delegator_filed(alpha, qian):
    reviewer = alpha.users[Role.REVIEWER]
    project = declared(alpha)
    AuditEvent.objects.record(project, reviewer, "submit_for_review", from_phase=project.phase)
    delegate(alpha, qian)
    with pytest.raises(NotPermitted):
        intake.decide(qian, str(project.pk), "approve", "")
    assert Project.objects.get(pk=project.pk).phase == "declared"
