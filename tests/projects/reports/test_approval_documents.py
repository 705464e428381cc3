"""批复文件, 评审意见汇总, 年度计划表 (issue 12 §1): built through report_request, read back with pypdf."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.reviews import services as reviews
from approvals.stages import services as stages
from govproj.errors import InvalidTransition, NotFound
from jurisdictions.models import Role
from projects.models import Project
from projects.plans import services as plans
from projects.reports.documents import approval, plan, review
from projects.reports.documents.printing import chinese_date
from projects.reports.models import ReportStatus
from projects.reports.services import report_request
from tests.approvals.conftest import make_staged_tenant
from tests.approvals.reviews.conftest import declared_project
from tests.approvals.stages.conftest import give_opinions, in_review
from tests.projects.reports.helpers import text_of
from tests.projects.test_plans import library_project, new_plan, with_emergency_article

pytestmark = pytest.mark.django_db
today = timezone.localdate  # China's date, read when used (not at import: CI may run across midnight)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Builds are queued on commit: `with committed():` runs them as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def staged(db):
    return make_staged_tenant("gamma")


@pytest.fixture
def staged_other(db):
    return make_staged_tenant("delta")


def flat(report) -> str:
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return text_of(report).replace("\n", "").replace(" ", "")


def named(user, name: str):
    get_user_model().objects.filter(pk=user.pk).update(first_name=name, last_name="")
    user.refresh_from_db()
    return user


def test_an_approved_stage_prints_as_its_reply(staged, staged_other, committed):
    reviewer, staff = staged.users[Role.REVIEWER], staged.users[Role.DEPARTMENT_STAFF]
    named(reviewer, "王审批")
    project = in_review(staged, "1300")
    Project.objects.filter(pk=project.pk).update(title="智慧城管平台")
    assert approval.subjects(reviewer, project) == []
    with pytest.raises(InvalidTransition) as refused:
        report_request(actor=reviewer, kind="approval_reply", project_id=project.pk)
    assert refused.value.extra["allowed"] == []
    give_opinions(staged, project)
    stages.stage_submit(actor=staff, project_id=project.pk, code="fsr", requested_amount_wan="1300")
    stages.stage_pass_review(actor=reviewer, project_id=project.pk, code="fsr")
    row = stages.stage_approve(
        actor=reviewer,
        project_id=project.pk,
        code="fsr",
        document_number="步政数审〔2026〕7号",
        decision_date=today(),
        amount_wan="1234.50",
        conditions="须同步建设安全防护体系",
    )
    [subject] = approval.subjects(staff, project)
    assert subject.key == f"stage:{row.pk}" and subject.label == "可行性研究报告审批（第1轮）"
    with committed():
        report = report_request(actor=staff, kind="approval_reply", project_id=project.pk)
    assert report.document_number == "步政数审〔2026〕7号"
    text = flat(report)
    for expected in (
        "智慧城管平台",
        project.code,
        "可行性研究报告审批（第1轮）",
        "步政数审〔2026〕7号",
        "批准",
        "1,234.50万元",
        "1,300.00万元",
        "65.50万元",  # 核减
        "须同步建设安全防护体系",
        "王审批",
        "第十二条",
        staged.department.name_zh,
        "分步市数据局",
        chinese_date(today()),
    ):
        assert expected in text, expected
    with pytest.raises(NotFound):
        report_request(actor=staged_other.users[Role.REVIEWER], kind="approval_reply", project_id=project.pk)


def test_the_last_stage_reply_lists_the_rules_its_approval_applied(staged, committed):
    reviewer, staff = staged.users[Role.REVIEWER], staged.users[Role.DEPARTMENT_STAFF]
    documents = ["proposal", "fsr", "preliminary_design", "design_over_fsr_note"]
    project = in_review(staged, "150", documents=documents)
    give_opinions(staged, project)
    for code, number, requested, amount in (
        ("fsr", "1号", "150", "100"),
        ("preliminary_design", "2号", "130", "120"),
    ):
        stages.stage_submit(actor=staff, project_id=project.pk, code=code, requested_amount_wan=requested)
        stages.stage_pass_review(actor=reviewer, project_id=project.pk, code=code)
        row = stages.stage_approve(
            actor=reviewer,
            project_id=project.pk,
            code=code,
            document_number=f"步政数审〔2026〕{number}",
            decision_date=today(),
            amount_wan=amount,
        )
    assert Project.objects.get(pk=project.pk).phase == "approved"
    assert [s.label for s in approval.subjects(reviewer, project)] == [
        "初步设计审批（第1轮）",
        "可行性研究报告审批（第1轮）",
    ]
    with committed():
        report = report_request(
            actor=reviewer, kind="approval_reply", project_id=project.pk, subject=f"stage:{row.pk}"
        )
    text = flat(report)
    assert "初步设计审批（第1轮）" in text and "120.00万元" in text and "步政数审〔2026〕2号" in text
    # the approval (the last stage) applied the rule on a design above the FSR: met, with its article
    assert "初步设计超出可研批复" in text and "第二十三条" in text and "符合" in text
    assert "步政数审〔2026〕1号" not in text  # this stage's reply only


def test_review_opinions_are_summed_up_with_experts_third_parties_and_countersigning(
    staged, staged_other, committed
):
    reviewer = staged.users[Role.REVIEWER]
    expert, absent = named(staged.users[Role.EXPERT], "张专家"), named(staged.users["expert_2"], "李回避")
    project = declared_project(staged, title="城市大脑")
    assert review.subjects(reviewer, project) == []
    with pytest.raises(InvalidTransition):
        report_request(actor=reviewer, kind="review_summary", project_id=project.pk)
    reviews.decide_step(
        actor=staged.users["cloud_reviewer"],
        project_id=project.pk,
        code="pre_review",
        outcome="pass",
        comment="技术方案可行",
    )
    reviews.organise_step(actor=reviewer, project_id=project.pk, code="expert_review")
    kept = reviews.assign_expert(
        actor=reviewer, project_id=project.pk, code="expert_review", expert_id=expert.pk
    )
    gone = reviews.assign_expert(
        actor=reviewer, project_id=project.pk, code="expert_review", expert_id=absent.pk
    )
    reviews.withdraw_expert(actor=reviewer, project_id=project.pk, assignment_id=gone.pk, comment="时间冲突")
    reviews.submit_opinion(
        actor=expert,
        project_id=project.pk,
        assignment_id=kept.pk,
        no_conflict=True,
        opinion="agree_with_conditions",
        comment="需补充安全方案",
    )
    reviews.record_third_party(
        actor=reviewer,
        project_id=project.pk,
        code="expert_review",
        organisation="某某咨询公司",
        conclusion="conditional",
        comment="建议压缩硬件投资",
    )
    reviews.decide_step(actor=reviewer, project_id=project.pk, code="expert_review", outcome="pass")
    Project.objects.filter(pk=project.pk).update(phase="in_review")
    give_opinions(staged, project)
    [subject] = review.subjects(reviewer, project)
    assert subject.key == f"project:{project.pk}"
    with committed():
        report = report_request(actor=reviewer, kind="review_summary", project_id=project.pk)
    text = flat(report)
    for expected in (
        "城市大脑",
        "技术前置审核（第1轮）",
        "技术方案可行",
        "专家或第三方评审（第1轮）",
        "张专家",
        "有条件同意",
        "需补充安全方案",
        "李回避",
        "已撤回指派",
        "某某咨询公司",
        "建议压缩硬件投资",
        "保密局",
        "公安局",
        "密码应用意见",
        "第十一条",
    ):
        assert expected in text, expected
    with pytest.raises(NotFound):
        report_request(actor=staged_other.users[Role.REVIEWER], kind="review_summary", project_id=project.pk)


def test_the_annual_plan_prints_as_its_table(alpha, beta, committed):
    with_emergency_article(alpha)
    reviewer, staff = alpha.users[Role.REVIEWER], alpha.users[Role.DEPARTMENT_STAFF]
    draft = new_plan(alpha, ceiling_wan=Decimal("5000"))
    first = library_project(alpha, title="一网通办", total_investment_wan=Decimal("1234.50"))
    second = library_project(
        alpha, title="雪亮工程", total_investment_wan=Decimal("2000"), category="infrastructure"
    )
    for project in (first, second):
        plans.plan_add_project(actor=reviewer, plan_id=draft.pk, project_id=project.pk)
    assert [s.label for s in plan.subjects(staff, alpha.jurisdiction)] == []  # staff: published plans only
    assert [s.label for s in plan.subjects(reviewer, alpha.jurisdiction)] == ["2027年度计划（编制中）"]
    plans.plan_publish(actor=reviewer, plan_id=draft.pk)
    urgent = library_project(alpha, title="防汛指挥", total_investment_wan=Decimal("100"))
    plans.plan_emergency_add(
        actor=reviewer,
        plan_id=draft.pk,
        project_id=urgent.pk,
        approved_by="区政府",
        approval_document_no="红政函〔2027〕3号",
        approval_date=today(),
    )
    assert [s.key for s in plan.project_subjects(staff, first)] == [f"plan:{draft.pk}"]
    with committed():
        report = report_request(actor=staff, kind="plan_table", project_id=first.pk)
    assert report.jurisdiction_id == alpha.jurisdiction.pk
    text = flat(report)
    for expected in (
        "2027年度计划（已发布）",
        "一网通办",
        first.code,
        "雪亮工程",
        "基础设施类",
        "应用系统类",
        alpha.department.name_zh,
        "1,234.50",
        "2,000.00",
        "3,334.50",  # the total
        "5,000.00",  # the ceiling
        "1,665.50",  # what remains
        "紧急增补",
        "红政函〔2027〕3号",
        "第1次发布",
    ):
        assert expected in text, expected
    with pytest.raises(NotFound):
        report_request(
            actor=beta.users[Role.REVIEWER], kind="plan_table", jurisdiction=alpha.jurisdiction.code
        )
    with pytest.raises(InvalidTransition):
        report_request(
            actor=beta.users[Role.REVIEWER], kind="plan_table", jurisdiction=beta.jurisdiction.code
        )


def test_the_plan_page_prints_its_table(alpha, committed):
    reviewer = alpha.users[Role.REVIEWER]
    draft = new_plan(alpha)
    page = Client()
    page.force_login(reviewer)
    shown = page.get(reverse("projects:plan-detail", args=[draft.pk])).content.decode()
    assert "打印年度计划表" in shown and reverse("reports:request") in shown
    with committed():
        response = page.post(
            reverse("reports:request"),
            {"kind": "plan_table", "jurisdiction": alpha.jurisdiction.code, "subject": f"plan:{draft.pk}"},
        )
    assert response.status_code == 302 and response["Location"].startswith("/reports/")
    text = page.get(response["Location"]).content.decode()
    assert 'data-status="done"' in text and "2027年度计划（编制中）" in text
