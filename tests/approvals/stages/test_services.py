"""Approval stages: track → stages, documents per stage, decisions, baseline, return, withdraw, reject."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from approvals.stages import services
from approvals.stages.models import ApprovalStage, StageStatus
from approvals.stages.selectors import project_stages
from budgets.baseline.models import InvestmentBaseline, current_baseline
from govproj.errors import InvalidTransition, MissingDocuments, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from projects.models import Project
from projects.selectors import available_transitions, project_facts
from projects.services import transition_project
from tests.approvals.stages.conftest import give_opinions, in_review
from tests.conftest import make_project

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def staff(t):
    return t.users[Role.DEPARTMENT_STAFF]


def reviewer(t):
    return t.users[Role.REVIEWER]


def approve(t, project, code, amount="150", number="步政数审〔2026〕1号"):
    services.stage_submit(actor=staff(t), project_id=project.pk, code=code)
    services.stage_pass_review(actor=reviewer(t), project_id=project.pk, code=code)
    return services.stage_approve(
        actor=reviewer(t),
        project_id=project.pk,
        code=code,
        document_number=number,
        decision_date=TODAY,
        amount_wan=amount,
        conditions="",
    )


def test_track_lists_the_stages(staged):
    big, small = in_review(staged, "150"), in_review(staged, "30")
    assert [line.code for line in project_stages(big)["lines"]] == ["fsr", "preliminary_design"]
    assert [line.code for line in project_stages(small)["lines"]] == ["implementation_plan"]
    assert project_stages(big)["track_name"] == "可研和初步设计"


def test_approve_needs_number_and_amount_and_sets_the_baseline(staged):
    project = in_review(staged, "150")
    give_opinions(staged, project)
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="fsr")
    services.stage_pass_review(actor=reviewer(staged), project_id=project.pk, code="fsr")
    for number, amount in (("", "150"), ("步政数审〔2026〕1号", None)):
        with pytest.raises(ValidationFailed):
            services.stage_approve(
                actor=reviewer(staged),
                project_id=project.pk,
                code="fsr",
                document_number=number,
                decision_date=TODAY,
                amount_wan=amount,
            )
    services.stage_approve(
        actor=reviewer(staged),
        project_id=project.pk,
        code="fsr",
        document_number="步政数审〔2026〕1号",
        decision_date=TODAY,
        amount_wan="150",
    )
    assert current_baseline(project).amount_wan == Decimal("150.00")
    project.refresh_from_db()
    assert project.phase == "in_review"  # one stage of two
    approve(staged, project, "preliminary_design", amount="140", number="步政数审〔2026〕2号")
    project.refresh_from_db()
    assert project.phase == "approved"
    history = list(InvestmentBaseline.objects.filter(project=project).order_by("id"))
    assert [row.amount_wan for row in history] == [Decimal("150.00"), Decimal("140.00")]
    assert history[1].previous_amount_wan == Decimal("150.00")
    actions = list(project.events.values_list("action", flat=True))
    assert actions[-2:] == ["stage_approve", "approve"]
    assert project.facts.get("design_exceeds_fsr") is False


def test_ceiling_sets_the_fact_and_the_rule_asks_for_its_document(staged):
    project = in_review(staged, "150")
    give_opinions(staged, project)
    approve(staged, project, "fsr", amount="100")
    with pytest.raises(MissingDocuments) as refused:
        services.stage_submit(
            actor=staff(staged), project_id=project.pk, code="preliminary_design", requested_amount_wan="130"
        )
    assert "初步设计超出可研批复的说明" in refused.value.message and "第二十三条" in refused.value.message
    services.stage_submit(
        actor=staff(staged), project_id=project.pk, code="preliminary_design", requested_amount_wan="90"
    )
    assert Project.objects.get(pk=project.pk).facts["design_exceeds_fsr"] is False
    services.stage_pass_review(actor=reviewer(staged), project_id=project.pk, code="preliminary_design")
    with pytest.raises(MissingDocuments):  # approving above the FSR amount needs the note too
        services.stage_approve(
            actor=reviewer(staged),
            project_id=project.pk,
            code="preliminary_design",
            document_number="2号",
            decision_date=TODAY,
            amount_wan="120",
        )
    services.stage_approve(
        actor=reviewer(staged),
        project_id=project.pk,
        code="preliminary_design",
        document_number="2号",
        decision_date=TODAY,
        amount_wan="95",
    )
    assert Project.objects.get(pk=project.pk).phase == "approved"


def test_the_decider_is_not_a_filer_and_staff_submit(staged):
    project = in_review(staged, "30")
    with pytest.raises(NotPermitted):
        services.stage_submit(actor=reviewer(staged), project_id=project.pk, code="implementation_plan")
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    with pytest.raises(NotPermitted):
        services.stage_pass_review(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    with pytest.raises(InvalidTransition) as wrong:
        services.stage_approve(
            actor=reviewer(staged),
            project_id=project.pk,
            code="implementation_plan",
            document_number="1号",
            decision_date=TODAY,
            amount_wan="30",
        )
    assert wrong.value.http_status == 409 and "pass_review" in wrong.value.extra["allowed"]


def test_review_passed_date_and_the_clock(staged):
    project = in_review(staged, "30")
    give_opinions(staged, project)  # prerequisites complete today: the later of the two is the review
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    assert "review_passed_date" not in project_facts(project)
    services.stage_pass_review(actor=reviewer(staged), project_id=project.pk, code="implementation_plan")
    assert project_facts(project)["review_passed_date"] == TODAY
    clock = project_stages(project)["clock"]
    assert clock["due_date"] > TODAY and clock["working_days_left"] == 7 and not clock["overdue"]


def test_clock_crosses_national_day(staged):
    from approvals.stages.selectors import clock
    from projects.selectors import project_verdicts

    project = in_review(staged, "30")
    facts = {"review_passed_date": "2026-09-29", "prerequisites_complete_date": "2026-09-28"}
    Project.objects.filter(pk=project.pk).update(facts={**project.facts, **facts})
    project.refresh_from_db()
    pack, verdicts = project_verdicts(project, as_of=dt.date(2026, 9, 29))
    due = clock(project, pack.spec.review.approval, verdicts, today=dt.date(2026, 9, 29))
    # 9-30 is one working day; 10-01..07 国庆 are not; 7 working days end after the holiday
    assert due["due_date"] > dt.date(2026, 10, 8) and due["working_days_left"] == 7
    assert clock(project, pack.spec.review.approval, verdicts, today=dt.date(2026, 11, 24))["overdue"]


def test_return_to_applicant_and_to_an_earlier_stage_keep_rounds(staged):
    project = in_review(staged, "150")
    give_opinions(staged, project)
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="fsr")
    services.stage_pass_review(actor=reviewer(staged), project_id=project.pk, code="fsr")
    with pytest.raises(ValidationFailed):
        services.stage_return(actor=reviewer(staged), project_id=project.pk, code="fsr", reason=" ")
    services.stage_return(actor=reviewer(staged), project_id=project.pk, code="fsr", reason="补充测算依据")
    assert "review_passed_date" not in project_facts(project)
    rows = list(ApprovalStage.objects.filter(project=project, code="fsr").order_by("round"))
    assert [(r.round, r.status) for r in rows] == [(1, "returned"), (2, "open")]
    approve(staged, project, "fsr")
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="preliminary_design")
    services.stage_return(
        actor=reviewer(staged),
        project_id=project.pk,
        code="preliminary_design",
        reason="可研需重新批复",
        to_stage="fsr",
    )
    line = project_stages(project)["lines"][0]
    assert line.current and line.row.round == 3 and [r.round for r in line.earlier] == [1, 2]


def test_withdraw_and_resubmit(staged):
    project = in_review(staged, "30")
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    services.stage_withdraw(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    with pytest.raises(InvalidTransition):
        services.stage_withdraw(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    assert ApprovalStage.objects.get(project=project).status == StageStatus.SUBMITTED


def test_reject_with_reason_rejects_the_project(staged):
    project = in_review(staged, "30")
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    with pytest.raises(ValidationFailed):
        services.stage_reject(
            actor=reviewer(staged), project_id=project.pk, code="implementation_plan", reason=""
        )
    services.stage_reject(
        actor=reviewer(staged), project_id=project.pk, code="implementation_plan", reason="不符合建设方向"
    )
    project.refresh_from_db()
    assert project.phase == "rejected"
    assert project.events.last().action == "reject" and project.events.last().comment == "不符合建设方向"


def test_plain_approve_is_refused_for_a_staged_pack_and_works_for_testland(staged, alpha):
    project = in_review(staged, "30")
    assert "approve" not in available_transitions(project, reviewer(staged))
    with pytest.raises(InvalidTransition) as refused:
        transition_project(actor=reviewer(staged), project_id=project.pk, name="approve")
    assert refused.value.http_status == 409
    plain = make_project(alpha)
    Project.objects.filter(pk=plain.pk).update(phase="in_review")
    assert "approve" in available_transitions(Project.objects.get(pk=plain.pk), alpha.users[Role.REVIEWER])


def test_gates_hold_the_decision(staged):
    project = in_review(staged, "30")  # opinions not requested: the opinions gate holds approval
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="implementation_plan")
    services.stage_pass_review(actor=reviewer(staged), project_id=project.pk, code="implementation_plan")
    with pytest.raises(RuleViolation) as held:
        services.stage_approve(
            actor=reviewer(staged),
            project_id=project.pk,
            code="implementation_plan",
            document_number="1号",
            decision_date=TODAY,
            amount_wan="30",
        )
    assert held.value.extra.get("owed")


def test_a_delegate_decides_for_the_reviewer_and_is_named_so(staged):
    from approvals.stages.selectors import decider_label
    from tests.approvals.delegation.helpers import delegation_for_walk

    project = in_review(staged, "150")  # the FSR: not the last stage (the project's own approve is
    give_opinions(staged, project)  # run_locked_transition's, which checks the actor's own role)
    delegate = staged.users[Role.FINANCE_OFFICER]  # not a reviewer: only the delegation lets them decide
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="fsr")
    with pytest.raises(NotPermitted):
        services.stage_pass_review(actor=delegate, project_id=project.pk, code="fsr")
    delegation_for_walk(staged)
    services.stage_pass_review(actor=delegate, project_id=project.pk, code="fsr")
    row = services.stage_approve(
        actor=delegate,
        project_id=project.pk,
        code="fsr",
        document_number="步政数审〔2026〕9号",
        decision_date=TODAY,
        amount_wan="150",
    )
    assert row.decided_by == delegate and row.on_behalf_of == reviewer(staged)
    principal = reviewer(staged).get_full_name() or reviewer(staged).username
    assert decider_label(row).endswith(f"（代{principal}）")
    event = project.events.get(action="stage_approve")
    assert event.changes["on_behalf_of"]["id"] == reviewer(staged).pk


def test_a_real_pack_asks_for_the_stage_text_when_its_stage_is_submitted():
    """红山: the approval documents rule names the whole approval; the FSR stage owes its own text."""
    from django.core.management import call_command

    from jurisdictions.models import Jurisdiction
    from tests.conftest import Tenant
    from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

    call_command("load_rulepacks", verbosity=0)
    hongshan = Jurisdiction.objects.get(code="hongshan")
    department = DepartmentFactory(jurisdiction=hongshan)
    tenant = Tenant(hongshan, department, DepartmentFactory(jurisdiction=hongshan))
    for role in (Role.DEPARTMENT_STAFF, Role.REVIEWER):
        tenant.users[role] = UserFactory(username=f"hs_{role}")
        MembershipFactory(
            user=tenant.users[role],
            jurisdiction=hongshan,
            role=role,
            department=department if role == Role.DEPARTMENT_STAFF else None,
        )
    project = make_project(
        tenant,
        category="construction",
        total_investment_wan=Decimal("80"),
        facts={"documents": ["proposal"], "negative_list_answers": {}},
    )
    Project.objects.filter(pk=project.pk).update(phase="in_review")
    assert [line.code for line in project_stages(project)["lines"]] == ["fsr", "preliminary_design"]
    with pytest.raises(MissingDocuments) as refused:
        services.stage_submit(actor=staff(tenant), project_id=project.pk, code="fsr")
    assert "可行性研究报告" in refused.value.message and "第十二条" in refused.value.message
    Project.objects.filter(pk=project.pk).update(
        facts={"documents": ["proposal", "fsr"], "negative_list_answers": {}}
    )
    services.stage_submit(actor=staff(tenant), project_id=project.pk, code="fsr")  # its own text on file


@pytest.mark.parametrize(
    ("decided_on", "in_time", "late_days"), [("2026-10-12", True, 0), ("2026-10-16", False, 2)]
)
def test_each_decided_stage_is_held_to_its_own_clock(staged, decided_on, in_time, late_days):
    """The FSR passed its review on 9-29 (prerequisites 9-28): seven working days end on 10-14, across
    国庆 on the statutory calendar; decided on 10-12 it was in time, on 10-16 two working days late.
    The design, not decided yet, is not judged."""
    from django.utils import timezone

    from jurisdictions.selectors import working_calendar

    project = in_review(staged, "150")
    facts = {**project.facts, "prerequisites_complete_date": "2026-09-28"}
    Project.objects.filter(pk=project.pk).update(facts=facts)
    project.refresh_from_db()
    give_opinions(staged, project)
    services.stage_submit(actor=staff(staged), project_id=project.pk, code="fsr")
    services.stage_pass_review(actor=reviewer(staged), project_id=project.pk, code="fsr")
    passed = timezone.make_aware(dt.datetime(2026, 9, 29, 10))
    ApprovalStage.objects.filter(project=project, code="fsr").update(review_passed_at=passed)
    services.stage_approve(
        actor=reviewer(staged),
        project_id=project.pk,
        code="fsr",
        document_number="步政数审〔2026〕8号",
        decision_date=dt.date.fromisoformat(decided_on),
        amount_wan="150",
    )
    due = working_calendar(project.jurisdiction_id).add_working_days(dt.date(2026, 9, 29), 7).date
    fsr = next(line for line in project_stages(project)["lines"] if line.code == "fsr")
    assert fsr.timeliness["due_date"] == due == dt.date(2026, 10, 14)
    assert (fsr.timeliness["in_time"], fsr.timeliness["late_days"]) == (in_time, late_days)
    design = next(line for line in project_stages(project)["lines"] if line.code == "preliminary_design")
    assert design.timeliness is None  # not decided yet
