"""Department opinions (会签): rounds, modes, 加签, delegates, refusals, and the derived date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from approvals.delegation.models import Delegation
from approvals.opinions import services
from approvals.opinions.gates import opinion_gates
from approvals.opinions.models import Answer, OpinionRequest
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.models import EVENT_LABELS, AuditEvent
from projects.selectors import pack_for_project, project_facts, project_verdicts
from tests.approvals.opinions.conftest import in_review, publish_any_mode, requested

FACT = "prerequisites_complete_date"


def answer(tenant, project, code, who, choice=Answer.AGREE, comment="", **kwargs):
    request = OpinionRequest.objects.filter(project=project, code=code).order_by("-round").first()
    return services.answer_opinion(
        actor=tenant.users[who],
        project_id=project.pk,
        request_id=request.pk,
        answer=choice,
        comment=comment,
        **kwargs,
    )


def gates(project):
    return opinion_gates(project, "approve", pack_for_project(project).spec)


def test_request_creates_one_request_per_item_for_its_body(staged, project):
    rows = services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)

    assert [(r.code, r.round, r.department, r.role, r.required) for r in rows] == [
        ("crypto", 1, staged.bodies["secrecy"], Role.SECURITY_REVIEWER, True),
        ("protection_level", 1, staged.bodies["police"], Role.SECURITY_REVIEWER, True),
    ]
    assert rows[0].name["zh"] == "密码应用意见" and rows[0].giver_name["zh"] == "保密局"
    event = AuditEvent.objects.filter(project=project).latest("at")
    assert event.action == "opinions_requested" and event.changes["round"] == 1
    with pytest.raises(InvalidTransition):  # open requests: 409
        services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)


def test_only_a_reviewer_requests_and_only_in_review(staged):
    project = in_review(staged)
    for who in (Role.DEPARTMENT_STAFF, Role.SECURITY_REVIEWER, Role.FINANCE_OFFICER):
        with pytest.raises(NotPermitted):
            services.request_opinions(actor=staged.users[who], project_id=project.pk)
    from tests.conftest import make_project

    draft = make_project(staged)
    with pytest.raises(InvalidTransition):
        services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=draft.pk)


def test_another_tenants_project_is_not_found(staged, staged_other):
    project = in_review(staged)
    with pytest.raises(NotFound):
        services.request_opinions(actor=staged_other.users[Role.REVIEWER], project_id=project.pk)


def test_mode_all_needs_every_agreement_and_the_date_is_the_last_arrival(staged, project):
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    assert [g.code for g in gates(project)] == ["waiting"]
    assert "保密局、公安局" in gates(project)[0].message["zh"]

    answer(staged, project, "crypto", "secrecy_reviewer", Answer.AGREE_WITH_CONDITIONS, "须通过密评")
    [gate] = gates(project)
    assert gate.message["zh"] == "尚未收到公安局的会签意见" and gate.citation["article"] == "第十一条"
    assert FACT not in project_facts(project)
    assert not AuditEvent.objects.filter(project=project, action="opinions_complete").exists()

    answer(staged, project, "protection_level", "police_reviewer")
    assert gates(project) == []
    complete = AuditEvent.objects.get(project=project, action="opinions_complete")
    assert project_facts(project)[FACT] == timezone.localtime(complete.at).date()
    assert str(EVENT_LABELS["opinions_complete"]) == "前置要件齐全"


def test_a_disagreement_holds_approval_until_a_new_round_agrees(staged, project):
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    answer(staged, project, "crypto", "secrecy_reviewer")
    answer(staged, project, "protection_level", "police_reviewer", Answer.DISAGREE, "未完成定级备案")
    [gate] = gates(project)
    assert gate.code == "disagreed" and gate.message["zh"].startswith("公安局不同意")

    with pytest.raises(ValidationFailed):  # a reason is required
        services.rerequest_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk, reason=" ")
    rows = services.rerequest_opinions(
        actor=staged.users[Role.REVIEWER], project_id=project.pk, reason="已完成定级备案"
    )
    assert {(r.code, r.round, r.answer) for r in rows} == {("crypto", 2, ""), ("protection_level", 2, "")}
    assert OpinionRequest.objects.filter(project=project, round=1).count() == 2  # the first round stays
    answer(staged, project, "crypto", "secrecy_reviewer")
    answer(staged, project, "protection_level", "police_reviewer")
    assert gates(project) == []


def test_a_request_is_answered_once_and_a_comment_is_required_to_disagree(staged, project):
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    for choice in (Answer.DISAGREE, Answer.AGREE_WITH_CONDITIONS):
        with pytest.raises(ValidationFailed):
            answer(staged, project, "crypto", "secrecy_reviewer", choice, "  ")
    with pytest.raises(ValidationFailed):
        answer(staged, project, "crypto", "secrecy_reviewer", "maybe")
    answer(staged, project, "crypto", "secrecy_reviewer")
    with pytest.raises(InvalidTransition):
        answer(staged, project, "crypto", "secrecy_reviewer", Answer.DISAGREE, "改主意了")


def test_only_the_body_answers_and_never_a_filer(staged, project):
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    for who in ("police_reviewer", Role.REVIEWER, Role.DEPARTMENT_STAFF, Role.SECURITY_REVIEWER):
        with pytest.raises((NotPermitted, NotFound)):
            answer(staged, project, "crypto", who)
    # a security reviewer of the secrecy bureau who filed the project may not give its opinion
    filer = staged.users["secrecy_reviewer"]
    AuditEvent.objects.record(project, filer, "declare")
    with pytest.raises(NotPermitted):
        answer(staged, project, "crypto", "secrecy_reviewer")


def test_a_delegate_answers_for_the_body_and_the_timeline_names_both(staged, project):
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    delegate = staged.users[Role.SECURITY_REVIEWER]  # a security reviewer of no department
    with pytest.raises(NotPermitted):
        answer(staged, project, "crypto", Role.SECURITY_REVIEWER)
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=staged.jurisdiction,
        delegator=staged.users["secrecy_reviewer"],
        delegate=delegate,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        created_by=staged.users[Role.JURISDICTION_ADMIN],
    )
    request = answer(staged, project, "crypto", Role.SECURITY_REVIEWER)
    assert (request.answered_by, request.on_behalf_of) == (delegate, staged.users["secrecy_reviewer"])
    event = AuditEvent.objects.get(project=project, action="opinion_answer")
    assert event.actor == delegate
    assert event.changes["on_behalf_of"]["id"] == staged.users["secrecy_reviewer"].pk
    assert str(event.action_label) == "部门会签意见已答复"


def test_a_signer_added_is_required_and_resets_the_date(staged, staged_other, project):
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    answer(staged, project, "crypto", "secrecy_reviewer")
    answer(staged, project, "protection_level", "police_reviewer")
    assert FACT in project_facts(project)

    with pytest.raises(ValidationFailed):  # reason required
        services.add_signer(
            actor=staged.users[Role.REVIEWER],
            project_id=project.pk,
            department_id=staged.bodies["cloud_centre"].pk,
            role=Role.REVIEWER,
            reason="",
        )
    with pytest.raises(ValidationFailed):  # another jurisdiction's department
        services.add_signer(
            actor=staged.users[Role.REVIEWER],
            project_id=project.pk,
            department_id=staged_other.bodies["cloud_centre"].pk,
            role=Role.REVIEWER,
            reason="数据共享",
        )
    added = services.add_signer(
        actor=staged.users[Role.REVIEWER],
        project_id=project.pk,
        department_id=staged.bodies["cloud_centre"].pk,
        role=Role.REVIEWER,
        reason="涉及云资源",
    )
    assert (added.code, added.round, added.required, added.added_reason) == ("added-1", 1, True, "涉及云资源")
    assert FACT not in project_facts(project)  # reset until the added signer agrees
    assert [g.code for g in gates(project)] == ["waiting"] and "云计算中心" in gates(project)[0].message["zh"]

    answer(staged, project, "added-1", "cloud_reviewer")
    assert gates(project) == []
    events = AuditEvent.objects.filter(project=project, action="opinions_complete").order_by("at")
    assert events.count() == 2
    assert project_facts(project)[FACT] == timezone.localtime(events.last().at).date()


def test_mode_any_one_agreement_suffices(staged):
    publish_any_mode(staged)
    project = requested(staged)
    assert [g.code for g in gates(project)] == ["none_agreed"]
    answer(staged, project, "crypto", "secrecy_reviewer", Answer.DISAGREE, "不同意")
    assert [g.code for g in gates(project)] == ["none_agreed"]  # a disagreement alone does not block 或签
    answer(staged, project, "protection_level", "police_reviewer")
    assert gates(project) == []
    assert AuditEvent.objects.filter(project=project, action="opinions_complete").count() == 1
    assert FACT in project_facts(project)


def test_mode_any_first_agreement_is_the_date_and_later_answers_do_not_move_it(staged):
    publish_any_mode(staged)
    project = requested(staged)
    answer(staged, project, "crypto", "secrecy_reviewer")
    answer(staged, project, "protection_level", "police_reviewer")
    assert AuditEvent.objects.filter(project=project, action="opinions_complete").count() == 1


def test_the_clock_rule_counts_from_the_latest_of_review_and_prerequisites(staged, project):
    from projects.models import Project

    Project.objects.filter(pk=project.pk).update(facts={**project.facts, "review_passed_date": "2026-01-05"})
    project.refresh_from_db()
    rule = f"{staged.jurisdiction.code}.review.approval_deadline"

    def verdict():
        _pack, verdicts = project_verdicts(project)
        return next(v for v in verdicts if v.rule_id == rule)

    assert verdict().data.get("anchor_date") is None  # prerequisites not complete: the clock has not started
    services.request_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk)
    answer(staged, project, "crypto", "secrecy_reviewer")
    assert verdict().data.get("anchor_date") is None
    answer(staged, project, "protection_level", "police_reviewer")
    today = timezone.localdate()
    assert verdict().data["anchor_date"] == today  # later than the review's pass: the clock counts from it

    services.rerequest_opinions(actor=staged.users[Role.REVIEWER], project_id=project.pk, reason="补充材料")
    assert FACT not in project_facts(project)
    assert verdict().data.get("anchor_date") is None  # a new round: not complete until it is again


def test_packs_without_opinions_are_unaffected(alpha):
    project = in_review(alpha)
    assert opinion_gates(project, "approve", pack_for_project(project).spec) == []
    with pytest.raises(NotFound):
        services.request_opinions(actor=alpha.users[Role.REVIEWER], project_id=project.pk)
