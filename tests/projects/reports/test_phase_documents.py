"""The acceptance, evaluation, O&M and rule-pack reports (issue 12 §1), built for real and read back
from the PDF: the 红山 第二十八条 attachments, the 莱州 O&M answer with its articles (refusing rule
first), the evaluation rating, the pack's rules in Chinese; 409 before anything is printable, 404 for
another tenant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from acceptance.completion import services as completion
from acceptance.evaluation import services as evaluation
from approvals.stages.models import ApprovalStage, StageStatus
from budgets.om.models import OmApplication
from govproj.errors import InvalidTransition, NotFound
from jurisdictions.models import Role
from jurisdictions.selectors import rule_pack
from projects.reports.models import ReportStatus
from projects.reports.services import report_request
from tests.acceptance.completion.test_rules import accept, on_trial
from tests.acceptance.evaluation.helpers import operating
from tests.budgets.om.helpers import laizhou_project
from tests.budgets.om.test_services import apply, decide
from tests.projects.reports.helpers import text_of

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def built(committed, **request) -> str:
    with committed():
        report = report_request(**request)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return text_of(report).replace("\n", "")


def staff(tenant):
    return tenant.users[Role.DEPARTMENT_STAFF]


# ---------------------------------------------------------------------------- 竣工验收备案表


def test_hongshan_acceptance_filing_lists_the_article_28_attachments(pack_tenant, committed):
    tenant = pack_tenant("hongshan")
    project = on_trial(
        tenant, "hongshan", completion=D(2026, 2, 20), start=D(2026, 3, 1), has_custom_software=True
    )
    with pytest.raises(InvalidTransition) as refused:  # nothing applied for: 409 with the reason
        report_request(actor=staff(tenant), kind="acceptance_filing", project_id=project.pk)
    assert refused.value.extra["allowed"] == [] and "尚未申请验收" in refused.value.message
    for code, number, on in (
        ("fsr", "红政数审〔2025〕8号", D(2025, 9, 1)),
        ("preliminary_design", "红政数审〔2025〕12号", D(2025, 11, 3)),
    ):
        # the approval records are issue 9's (tests/approvals): a decided stage as it would be stored
        ApprovalStage.objects.create(
            project=project,
            code=code,
            track="fsr_and_design",
            status=StageStatus.APPROVED,
            document_number=number,
            decision_date=on,
            approved_amount_wan=Decimal("12345.6"),
        )
    completion.trial_run_stable(actor=staff(tenant), project_id=project.pk, stable_date=D(2026, 4, 1))
    completion.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 9, 30))
    accept(tenant, project, D(2026, 10, 20), conditions="同意通过验收")
    text = built(committed, actor=staff(tenant), kind="acceptance_filing", project_id=project.pk)
    assert f"{project.title} · 竣工验收备案表" in text and "380.00 万元" in text
    assert "可行性研究报告（二合一）审批" in text and "红政数审〔2025〕8号" in text
    assert "初步设计方案审批" in text and "红政数审〔2025〕12号" in text and "12,345.60" in text
    assert "2026年4月1日" in text and "2026年9月30日" in text  # stable since, applied on
    assert "验收合格" in text and "同意通过验收" in text
    assert "附件清单（第二十八条）" in text
    for name in ("竣工验收备案表", "项目建设总结", "初步验收报告", "性能压力测试报告", "数据共享情况确认书"):
        assert name in text
    assert "软件测试报告（定制开发类软件）" in text and "已提交" in text
    assert "试运行稳定后6个月内竣工验收备案" in text  # the pack's deadline, met
    assert "hongshan" not in text and "completion_filing_form" not in text


def test_the_acceptance_filing_is_not_another_tenants(pack_tenant, committed):
    tenant, other = pack_tenant("laizhou"), pack_tenant("ordos")
    project = on_trial(tenant, "laizhou", completion=D(2026, 3, 1), start=D(2026, 3, 5))
    completion.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 8, 1))
    with pytest.raises(NotFound):
        report_request(actor=staff(other), kind="acceptance_filing", project_id=project.pk)
    text = built(committed, actor=staff(tenant), kind="acceptance_filing", project_id=project.pk)
    assert "待验收" in text and "第1轮" in text


# ---------------------------------------------------------------------------- 绩效自评/评价报告


def test_performance_report_of_a_self_evaluation_and_a_post_evaluation(pack_tenant, committed):
    tenant = pack_tenant("hongshan")
    project = operating(tenant, D(2024, 3, 1))
    with pytest.raises(InvalidTransition):
        report_request(actor=staff(tenant), kind="performance_report", project_id=project.pk)
    own = evaluation.self_evaluation_submit(
        actor=staff(tenant),
        project_id=project.pk,
        rating="good",
        evaluated_on=D(2026, 3, 2),  # a day after the 24 months of 第三十一条: recorded, flagged
        summary="系统运行平稳，用户满意度较高",
    )
    assert own.outside_window
    text = built(
        committed,
        actor=staff(tenant),
        kind="performance_report",
        project_id=project.pk,
        subject=f"self:{own.pk}",
    )
    assert (
        "绩效自评/评价报告" in text
        and "2026年度绩效自评" in text
        and "良好" in text
        and "系统运行平稳" in text
    )
    assert "第三十一条" in text and "未在规定期间内报送" in text

    reviewer, expert = tenant.users[Role.REVIEWER], tenant.users[Role.EXPERT]
    expert.first_name, expert.last_name = "明", "李"
    expert.save()
    evaluation.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="experts")
    assignment = evaluation.post_evaluation_assign_expert(
        actor=reviewer, project_id=project.pk, expert_id=expert.pk
    )
    evaluation.post_evaluation_opinion(
        actor=expert,
        project_id=project.pk,
        assignment_id=assignment.pk,
        no_conflict=True,
        rating="poor",
        opinion="使用率低",
    )
    post = evaluation.post_evaluation_conclude(
        actor=reviewer, project_id=project.pk, rating="poor", conclusion="绩效较差，责令整改"
    )
    text = built(
        committed,
        actor=staff(tenant),
        kind="performance_report",
        project_id=project.pk,
        subject=f"post:{post.pk}",
    )
    assert "专家评价" in text and "已声明" in text and "使用率低" in text
    assert "较差" in text and "绩效较差，责令整改" in text
    assert expert.get_full_name() in text


# ---------------------------------------------------------------------------- 运维经费资格审查报告


def test_om_eligibility_of_a_refused_laizhou_application(pack_tenant, committed):
    tenant = pack_tenant("laizhou")
    project = laizhou_project(tenant, shares_data=False)
    with pytest.raises(InvalidTransition):
        report_request(actor=staff(tenant), kind="om_eligibility", project_id=project.pk)
    application = apply(tenant, project, amount="80")  # above 第二十九条's 10% of 600万元, data not shared
    refused = decide(tenant, application, "refuse", reason="数据未共享，整改后再申请")
    text = built(
        committed,
        actor=tenant.users[Role.FINANCE_OFFICER],
        kind="om_eligibility",
        project_id=project.pk,
        subject=f"om:{refused.pk}",
    )
    assert "运维经费资格审查报告" in text and "总体意见：不予安排" in text
    assert "第二十九条" in text and "年度运维费用上限 60 万元" in text
    assert "数据未共享，整改后再申请" in text and "80.00 万元" in text
    refusing = text.index("不予安排", text.index("依据条款"))
    assert refusing < text.index("符合", text.index("依据条款"))  # refusing rules come first
    assert f"规则包第{refused.pack_version}版" in text
    assert "laizhou" not in text


def test_om_eligibility_of_an_open_application_is_computed_now(pack_tenant, committed):
    tenant = pack_tenant("laizhou")
    project = laizhou_project(tenant)
    application = apply(tenant, project, amount="50")
    assert OmApplication.objects.get(pk=application.pk).verdicts == []
    text = built(committed, actor=staff(tenant), kind="om_eligibility", project_id=project.pk)
    assert "总体意见：可以安排" in text and "尚未作出决定" in text


# ---------------------------------------------------------------------------- 规则包摘要


def test_rule_pack_summary_of_the_jurisdiction_and_of_a_project(pack_tenant, committed):
    tenant = pack_tenant("hongshan")
    pack = rule_pack(tenant.jurisdiction)
    text = built(
        committed,
        actor=tenant.users[Role.REVIEWER],
        kind="rule_pack_summary",
        jurisdiction=tenant.jurisdiction.code,
        subject=f"pack:{pack.pk}",
    )
    assert pack.spec.measure.title.zh in text
    assert "竣工验收备案材料" in text and "第二十八条" in text
    assert "性能压力测试报告" in text  # the documents by their Chinese names
    assert "规则包摘要" in text and "试运行稳定日期起6个月内" in text  # 第二十八条's time limit
    assert "计划年度起始日期所在年度的上一年6月30日前" in text  # 第七条's yearly cut-off
    assert "免费运维期（年）达到1" in text  # 第二十四条's threshold
    assert "hongshan." not in text and "{" not in text
    project = operating(tenant, D(2025, 1, 10))
    text = built(committed, actor=staff(tenant), kind="rule_pack_summary", project_id=project.pk)
    assert "验收" in text and f"第{pack.version}版" in text
    other = pack_tenant("nanchong")
    with pytest.raises(NotFound):
        report_request(actor=staff(other), kind="rule_pack_summary", jurisdiction=tenant.jurisdiction.code)
