"""Screening answers and review: stored, checked, audited, and the `negative_list_answers` fact derived."""

from __future__ import annotations

import pytest

from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from jurisdictions.packfiles import shipped_pack
from jurisdictions.services import publish_rule_pack
from projects import services as project_services
from projects.models import AuditEvent, Phase, Project
from projects.screening import services
from projects.screening.models import ScreeningAnswer
from projects.screening.selectors import screening_items
from projects.selectors import evaluate_projects, project_facts
from tests.conftest import make_project
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory


def answer(tenant, project, answers, actor=None):
    return services.screening_answer(
        actor=actor or tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, answers=answers
    )


def declare(tenant, project):
    return project_services.transition_project(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )


def test_answers_are_stored_with_who_and_an_audit_event(alpha):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]

    [row] = answer(alpha, project, {"duplicate": {"applies": False, "explanation": " 无重复 "}})

    row.refresh_from_db()
    assert (row.item_code, row.applies, row.explanation) == ("duplicate", False, "无重复")
    assert row.answered_by == staff and row.answered_at is not None and not row.is_reviewed
    event = AuditEvent.objects.filter(project=project).last()
    assert (event.action, event.actor) == ("screening_answer", staff)
    assert event.changes == {"answers": {"duplicate": {"applies": False, "explanation": "无重复"}}}


def test_an_item_that_applies_needs_an_explanation(alpha):
    project = make_project(alpha)
    with pytest.raises(ValidationFailed) as refused:
        answer(alpha, project, {"duplicate": {"applies": True, "explanation": "  "}})
    assert "duplicate" in refused.value.extra["errors"]
    assert not ScreeningAnswer.objects.exists()


@pytest.mark.parametrize("answers", [{"nope": {"applies": False}}, {"duplicate": {"applies": "yes"}}, {}])
def test_unknown_items_and_malformed_answers_are_refused(alpha, answers):
    project = make_project(alpha)
    with pytest.raises(ValidationFailed):
        answer(alpha, project, answers)


def test_only_the_departments_staff_may_answer_and_only_before_declaring(alpha, beta):
    project = make_project(alpha)
    ok = {"duplicate": {"applies": False}}
    with pytest.raises(NotPermitted):
        answer(alpha, project, ok, actor=alpha.users[Role.REVIEWER])
    with pytest.raises(NotFound):
        answer(alpha, project, ok, actor=alpha.other_staff)  # another department's staff do not see it
    with pytest.raises(NotFound):
        answer(alpha, project, ok, actor=beta.users[Role.DEPARTMENT_STAFF])  # another tenant
    declare(alpha, project)
    with pytest.raises(InvalidTransition):
        answer(alpha, project, ok)


def test_the_fact_comes_from_the_records_once_there_are_any(alpha):
    project = make_project(
        alpha, facts={"documents": ["proposal", "fsr"], "negative_list_answers": {"duplicate": True}}
    )
    assert project_facts(project)["negative_list_answers"] == {"duplicate": True}  # the stored fact stands
    answer(alpha, project, {"duplicate": {"applies": False}})
    assert project_facts(project)["negative_list_answers"] == {"duplicate": False}
    [evaluated] = evaluate_projects(Project.objects.filter(pk=project.pk), kinds={"negative_list"})
    assert [v.outcome.value for v in evaluated.verdicts] == ["pass"]


def test_a_reviewer_overrule_changes_the_fact_and_is_audited(alpha):
    project = make_project(alpha)
    answer(alpha, project, {"duplicate": {"applies": False}})
    declare(alpha, project)
    reviewer = alpha.users[Role.REVIEWER]

    with pytest.raises(ValidationFailed):  # overruling needs a comment
        services.screening_review(
            actor=reviewer, project_id=project.pk, decisions={"duplicate": {"decision": "overrule"}}
        )
    services.screening_review(
        actor=reviewer,
        project_id=project.pk,
        decisions={"duplicate": {"decision": "overrule", "comment": "与市级平台重复"}},
    )

    row = ScreeningAnswer.objects.get(project=project)
    assert (row.applies, row.reviewed_applies, row.review_comment) == (False, True, "与市级平台重复")
    assert row.reviewed_by == reviewer and row.is_overruled
    assert project_facts(project)["negative_list_answers"] == {"duplicate": True}
    [evaluated] = evaluate_projects(Project.objects.filter(pk=project.pk), kinds={"negative_list"})
    assert [v.outcome.value for v in evaluated.verdicts] == ["fail"]
    event = AuditEvent.objects.filter(project=project).last()
    assert (event.action, event.actor) == ("screening_review", reviewer)
    assert event.changes["decisions"]["duplicate"]["decision"] == "overrule"
    with pytest.raises(RuleViolation):
        project_services.transition_project(actor=reviewer, project_id=project.pk, name="enter_library")


def test_the_filer_may_not_review_and_a_draft_is_not_reviewed(alpha):
    project = make_project(alpha)
    answer(alpha, project, {"duplicate": {"applies": False}})
    confirm = {"duplicate": {"decision": "confirm"}}
    with pytest.raises(InvalidTransition):
        services.screening_review(actor=alpha.users[Role.REVIEWER], project_id=project.pk, decisions=confirm)
    declare(alpha, project)
    with pytest.raises(NotPermitted):
        services.screening_review(
            actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, decisions=confirm
        )
    services.screening_review(actor=alpha.users[Role.REVIEWER], project_id=project.pk, decisions=confirm)
    row = ScreeningAnswer.objects.get(project=project)
    assert row.reviewed_applies is False and not row.is_overruled


@pytest.fixture
def baotou(db):
    spec, content = shipped_pack("baotou")
    place = publish_rule_pack(spec, content, source="baotou.yaml").pack.jurisdiction
    department = DepartmentFactory(jurisdiction=place)
    staff = UserFactory(username="bt_staff")
    MembershipFactory(user=staff, jurisdiction=place, role=Role.DEPARTMENT_STAFF, department=department)
    project = project_services.create_project(
        actor=staff,
        department=department,
        title="包头市政务服务平台升级",
        category="business",
        total_investment_wan="80",
        funding_source="fiscal",
        year=2027,
    )
    return staff, project


def test_unanswered_items_block_declaring_and_are_named(baotou):
    staff, project = baotou
    items = screening_items(project)
    first = items[0]
    services.screening_answer(actor=staff, project_id=project.pk, answers={first.code: {"applies": False}})

    with pytest.raises(RuleViolation) as refused:
        project_services.transition_project(actor=staff, project_id=project.pk, name="declare")

    verdicts = {v["rule_id"]: v for v in refused.value.extra["verdicts"]}
    unanswered = {code for v in verdicts.values() for code in v["data"].get("unanswered", ())}
    assert unanswered == {item.code for item in items[1:]}
    assert first.code not in unanswered
    assert Project.objects.get(pk=project.pk).phase == Phase.DRAFT


def test_an_item_that_applies_blocks_declaring_with_its_text(baotou):
    staff, project = baotou
    items = screening_items(project)
    infrastructure = next(i for i in items if i.code == "bt_new_infrastructure")
    answers = {i.code: {"applies": False} for i in items}
    answers[infrastructure.code] = {"applies": True, "explanation": "需新建机房"}
    services.screening_answer(actor=staff, project_id=project.pk, answers=answers)

    with pytest.raises(RuleViolation) as refused:
        project_services.transition_project(actor=staff, project_id=project.pk, name="declare")

    [verdict] = [v for v in refused.value.extra["verdicts"] if v["rule_id"] == "baotou.intake.negative_list"]
    assert [hit["code"] for hit in verdict["data"]["hits"]] == ["bt_new_infrastructure"]
    assert infrastructure.citation.endswith("第十条") and infrastructure.clause == "（一）"
    assert "新建机房" in infrastructure.text
