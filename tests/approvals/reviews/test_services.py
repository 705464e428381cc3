"""Review steps' services: who takes them, separation of duties, experts, third party, rounds, gates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from approvals.delegation.models import Delegation
from approvals.reviews import services
from approvals.reviews.models import ExpertAssignment, ReviewStep, StepStatus
from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from projects.models import AuditEvent, Project
from projects.services import transition_project
from tests.approvals.reviews.conftest import declared_project

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

pytestmark = pytest.mark.django_db


def _enter(staged, project):
    return transition_project(
        actor=staged.users[Role.REVIEWER], project_id=project.pk, name="enter_library", comment=""
    )


def test_the_pre_review_blocks_library_entry_until_its_taker_passes_it(staged, declared):
    with pytest.raises(RuleViolation) as caught:
        _enter(staged, declared)
    assert "第九条" in caught.value.message and "技术前置审核" in caught.value.message
    assert caught.value.extra["owed"][0]["code"] == "pre_review"
    # the data bureau's reviewer is not the cloud centre
    with pytest.raises(NotPermitted):
        services.decide_step(
            actor=staged.users[Role.REVIEWER], project_id=declared.pk, code="pre_review", outcome="pass"
        )
    row = services.decide_step(
        actor=staged.users["cloud_reviewer"], project_id=declared.pk, code="pre_review", outcome="pass"
    )
    assert row.status == StepStatus.PASSED and row.round == 1
    event = AuditEvent.objects.filter(project=declared, action="review_pass").get()
    assert event.changes["step"] == "pre_review" and event.actor == staged.users["cloud_reviewer"]
    assert _enter(staged, declared).phase == "in_library"


def test_a_filer_may_not_take_a_step_even_as_a_delegate(staged, declared):
    staff = staged.users[Role.DEPARTMENT_STAFF]
    with pytest.raises(NotPermitted):
        services.decide_step(actor=staff, project_id=declared.pk, code="pre_review", outcome="pass")
    # the cloud reviewer delegates to the filer: still refused (the actor filed it)
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=staged.jurisdiction,
        delegator=staged.users["cloud_reviewer"],
        delegate=staff,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        created_by=staged.users[Role.JURISDICTION_ADMIN],
    )
    with pytest.raises(NotPermitted):
        services.decide_step(actor=staff, project_id=declared.pk, code="pre_review", outcome="pass")


def test_a_delegate_passes_the_step_for_the_delegator(staged, declared):
    delegate = staged.users["reviewer_2"]
    with pytest.raises(NotPermitted):
        services.decide_step(actor=delegate, project_id=declared.pk, code="pre_review", outcome="pass")
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=staged.jurisdiction,
        delegator=staged.users["cloud_reviewer"],
        delegate=delegate,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        created_by=staged.users[Role.JURISDICTION_ADMIN],
    )
    row = services.decide_step(actor=delegate, project_id=declared.pk, code="pre_review", outcome="pass")
    assert row.decided_by == delegate and row.on_behalf_of == staged.users["cloud_reviewer"]
    event = AuditEvent.objects.get(project=declared, action="review_pass")
    assert event.changes["on_behalf_of"]["id"] == staged.users["cloud_reviewer"].pk


def test_failing_needs_a_reason_and_a_failed_step_is_taken_again_as_a_new_round(staged, declared):
    cloud = staged.users["cloud_reviewer"]
    with pytest.raises(ValidationFailed):
        services.decide_step(
            actor=cloud, project_id=declared.pk, code="pre_review", outcome="fail", comment=" "
        )
    services.decide_step(
        actor=cloud,
        project_id=declared.pk,
        code="pre_review",
        outcome="fail",
        comment="云资源测算不足",
        file=ContentFile(PDF, name="意见.pdf"),
    )
    with pytest.raises(InvalidTransition) as caught:
        services.decide_step(actor=cloud, project_id=declared.pk, code="pre_review", outcome="pass")
    assert caught.value.extra["allowed"] == ["reopen"]
    with pytest.raises(RuleViolation):
        _enter(staged, declared)
    services.reopen_step(actor=cloud, project_id=declared.pk, code="pre_review")
    services.decide_step(actor=cloud, project_id=declared.pk, code="pre_review", outcome="pass")
    rows = list(ReviewStep.objects.filter(project=declared, code="pre_review").order_by("round"))
    assert [(r.round, r.status) for r in rows] == [(1, "failed"), (2, "passed")]
    assert rows[0].comment == "云资源测算不足" and rows[0].file_name == "意见.pdf"
    assert _enter(staged, declared).phase == "in_library"


def _pre_review(staged, project):
    services.decide_step(
        actor=staged.users["cloud_reviewer"], project_id=project.pk, code="pre_review", outcome="pass"
    )


def test_the_optional_expert_review_gates_only_once_organised(staged):
    reviewer = staged.users[Role.REVIEWER]
    first = declared_project(staged, title="甲项目")
    _pre_review(staged, first)
    assert _enter(staged, first).phase == "in_library"  # never organised: not owed
    second = declared_project(staged, title="乙项目")
    _pre_review(staged, second)
    services.organise_step(actor=reviewer, project_id=second.pk, code="expert_review")
    with pytest.raises(InvalidTransition):
        services.organise_step(actor=reviewer, project_id=second.pk, code="expert_review")
    with pytest.raises(RuleViolation) as caught:
        _enter(staged, second)
    assert [g["code"] for g in caught.value.extra["owed"]] == ["expert_review"]
    # passing needs an opinion or a third-party review first
    with pytest.raises(ValidationFailed):
        services.decide_step(actor=reviewer, project_id=second.pk, code="expert_review", outcome="pass")
    services.record_third_party(
        actor=reviewer,
        project_id=second.pk,
        code="expert_review",
        organisation="某咨询公司",
        conclusion="agree",
        file=ContentFile(PDF, name="报告.pdf"),
    )
    services.decide_step(actor=reviewer, project_id=second.pk, code="expert_review", outcome="pass")
    assert _enter(staged, second).phase == "in_library"


def test_the_pre_review_cannot_be_organised_nor_taken_outside_its_phase(staged, declared):
    with pytest.raises(InvalidTransition):
        services.organise_step(
            actor=staged.users["cloud_reviewer"], project_id=declared.pk, code="pre_review"
        )
    with pytest.raises(NotFound):
        services.decide_step(
            actor=staged.users["cloud_reviewer"], project_id=declared.pk, code="no_such", outcome="pass"
        )


def test_experts_see_exactly_the_assigned_project_and_give_an_opinion_after_declaring(staged):
    reviewer, expert = staged.users[Role.REVIEWER], staged.users[Role.EXPERT]
    project = declared_project(staged, title="评审项目")
    other = declared_project(staged, title="其他项目")
    assert not Project.objects.for_user(expert).exists()
    services.organise_step(actor=reviewer, project_id=project.pk, code="expert_review")
    assignment = services.assign_expert(
        actor=reviewer, project_id=project.pk, code="expert_review", expert_id=expert.pk
    )
    assert list(Project.objects.for_user(expert).values_list("pk", flat=True)) == [project.pk]
    assert other.pk not in Project.objects.for_user(expert).values_list("pk", flat=True)
    with pytest.raises(InvalidTransition):  # twice
        services.assign_expert(
            actor=reviewer, project_id=project.pk, code="expert_review", expert_id=expert.pk
        )
    # only the assigned expert: another one (assigned too, so they see the project) may not answer for them
    services.assign_expert(
        actor=reviewer, project_id=project.pk, code="expert_review", expert_id=staged.users["expert_2"].pk
    )
    with pytest.raises(NotPermitted):
        services.submit_opinion(
            actor=staged.users["expert_2"],
            project_id=project.pk,
            assignment_id=assignment.pk,
            no_conflict=True,
            opinion="agree",
        )
    # and only after declaring no conflict of interest
    with pytest.raises(ValidationFailed) as caught:
        services.submit_opinion(
            actor=expert,
            project_id=project.pk,
            assignment_id=assignment.pk,
            no_conflict=False,
            opinion="agree",
        )
    assert "no_conflict" in caught.value.extra["errors"]
    services.submit_opinion(
        actor=expert,
        project_id=project.pk,
        assignment_id=assignment.pk,
        no_conflict=True,
        opinion="agree_with_conditions",
        comment="需补充安全方案",
    )
    assignment.refresh_from_db()
    assert assignment.no_conflict_declared_at and assignment.opinion == "agree_with_conditions"
    with pytest.raises(InvalidTransition):  # once
        services.submit_opinion(
            actor=expert,
            project_id=project.pk,
            assignment_id=assignment.pk,
            no_conflict=True,
            opinion="agree",
        )
    services.decide_step(actor=reviewer, project_id=project.pk, code="expert_review", outcome="pass")


def test_an_expert_of_the_filing_department_cannot_be_assigned(staged, declared):
    reviewer = staged.users[Role.REVIEWER]
    services.organise_step(actor=reviewer, project_id=declared.pk, code="expert_review")
    with pytest.raises(ValidationFailed) as caught:
        services.assign_expert(
            actor=reviewer,
            project_id=declared.pk,
            code="expert_review",
            expert_id=staged.users["own_expert"].pk,
        )
    assert "expert" in caught.value.extra["errors"]
    assert not ExpertAssignment.objects.exists()
    assert (
        not Project.objects.for_user(staged.users["own_expert"])
        .exclude(department=staged.department)
        .exists()
    )
    with pytest.raises(ValidationFailed):  # not an expert at all
        services.assign_expert(
            actor=reviewer,
            project_id=declared.pk,
            code="expert_review",
            expert_id=staged.users[Role.AUDITOR].pk,
        )


def test_withdrawing_an_assignment_ends_the_experts_view(staged, declared):
    reviewer, expert = staged.users[Role.REVIEWER], staged.users[Role.EXPERT]
    services.organise_step(actor=reviewer, project_id=declared.pk, code="expert_review")
    assignment = services.assign_expert(
        actor=reviewer, project_id=declared.pk, code="expert_review", expert_id=expert.pk
    )
    assert Project.objects.for_user(expert).filter(pk=declared.pk).exists()
    with pytest.raises(NotPermitted):  # not the taker
        services.withdraw_expert(
            actor=staged.users[Role.AUDITOR], project_id=declared.pk, assignment_id=assignment.pk
        )
    services.withdraw_expert(actor=reviewer, project_id=declared.pk, assignment_id=assignment.pk)
    assert not Project.objects.for_user(expert).filter(pk=declared.pk).exists()
    with pytest.raises(NotFound):  # the expert no longer sees the project
        services.submit_opinion(
            actor=expert,
            project_id=declared.pk,
            assignment_id=assignment.pk,
            no_conflict=True,
            opinion="agree",
        )
    with pytest.raises(InvalidTransition):
        services.withdraw_expert(actor=reviewer, project_id=declared.pk, assignment_id=assignment.pk)
