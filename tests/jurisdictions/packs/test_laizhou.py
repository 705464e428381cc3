"""Table test of the Laizhou pack (莱政办发〔2022〕6号). Numbers are typed from the measure's text."""

import datetime as dt

import pytest

from tests.jurisdictions.packs.table import Row, check_row, uncovered_rules

CODE = "laizhou"


def doc(code, zh, en):
    return {"code": code, "name_zh": zh, "name_en": en}


PROPOSAL = doc("proposal", "项目建议（需求）书", "Project proposal (needs statement)")
PRELIMINARY_DESIGN = doc("preliminary_design", "初步设计方案", "Preliminary design")
ESTIMATE = doc("investment_estimate", "投资概算", "Investment estimate")
URGENT = {
    "is_urgent": True,
    "ordered_by_higher_level": True,
    "strategic_or_security_reason": False,
    "preparatory_work_adequate": True,
}
NOT_URGENT = {"is_urgent": False}
CHANGE_OK = {
    "approved_estimate_wan": 1000,
    "adjustment_wan": 150,
    "procurement_started": False,
    "goal_changed": False,
    "within_estimate": True,
    "change_reason": "business_need",
}
OM_CLEAN = {
    "shares_data": True,
    "duplicates_data_collection": False,
    "in_system_catalogue": True,
    "uses_resource_catalogue": True,
    "crypto_compliant": True,
    "security_compliant": True,
    "major_security_hazard": False,
    "performance_poor": False,
}
PERF_BASE = ["performance_report", "perf_progress", "perf_investment", "demand_unit_opinion"]
DECOMMISSION_DOCS = ["stop_plan", "data_asset_assessment", "data_disposal_record", "decommission_filing"]

ROWS = [
    # 第二条 scope
    Row(
        "laizhou.scope.excluded", "第二条", {"category": "general_equipment"}, "fail", note="office equipment"
    ),
    Row("laizhou.scope.excluded", "第二条", {"category": "new_media"}, "fail", note="websites and new media"),
    Row("laizhou.scope.excluded", "第二条", {"category": "digital_art"}, "fail", note="digital art"),
    Row("laizhou.scope.excluded", "第二条", {"category": "e_government"}, "pass"),
    Row("laizhou.scope.excluded", "第二条", {}, "unknown"),
    # 第六条 plan by year-end; no budget without review
    Row(
        "laizhou.intake.plan_deadline",
        "第六条",
        {"declaration_date": "2026-03-01"},
        "required",
        {"due_date": "2026-12-31"},
        note="open",
    ),
    Row(
        "laizhou.intake.plan_deadline",
        "第六条",
        {"declaration_date": "2026-03-01", "plan_submitted_date": "2026-12-31"},
        "pass",
        {"due_date": "2026-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="on the last day",
    ),
    Row(
        "laizhou.intake.plan_deadline",
        "第六条",
        {"declaration_date": "2026-03-01", "plan_submitted_date": "2027-01-01"},
        "fail",
        {"due_date": "2026-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="one day late",
    ),
    Row(
        "laizhou.intake.plan_deadline",
        "第六条",
        {"declaration_date": "2026-03-01"},
        "fail",
        {"due_date": "2026-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="overdue",
    ),
    Row("laizhou.intake.review_before_budget", "第六条", {}, "fail", note="not reviewed"),
    Row("laizhou.intake.review_before_budget", "第六条", {"review_passed_date": "2026-05-10"}, "pass"),
    # 第十六条 management platform
    Row("laizhou.intake.management_platform", "第十六条", {"on_management_platform": False}, "fail"),
    Row("laizhou.intake.management_platform", "第十六条", {"on_management_platform": True}, "pass"),
    # 第八条 在项目申报时，合理确定项目建设类别 (政务治理类、公共服务类、市场运营类)
    *[
        Row("laizhou.intake.project_class", "第八条", {"laizhou_class": c}, "pass", note=c)
        for c in ("governance", "public_service", "market_operation")
    ],
    Row("laizhou.intake.project_class", "第八条", {}, "required", note="class not set yet"),
    Row(
        "laizhou.intake.project_class",
        "第八条",
        {"laizhou_class": "other"},
        "required",
        note="not one of the three",
    ),
    Row("laizhou.intake.management_platform", "第十六条", {}, "unknown"),
    # 第十二条 towns
    Row(
        "laizhou.intake.town_comprehensive",
        "第十二条",
        {
            "is_town_comprehensive_project": True,
            "ordered_by_higher_level": False,
            "leading_group_approved": False,
        },
        "fail",
    ),
    Row(
        "laizhou.intake.town_comprehensive",
        "第十二条",
        {
            "is_town_comprehensive_project": True,
            "ordered_by_higher_level": True,
            "leading_group_approved": False,
        },
        "pass",
        note="branch of a higher-level project",
    ),
    Row(
        "laizhou.intake.town_comprehensive",
        "第十二条",
        {
            "is_town_comprehensive_project": True,
            "ordered_by_higher_level": False,
            "leading_group_approved": True,
        },
        "pass",
        note="pilot approved by the leading group",
    ),
    Row("laizhou.intake.town_comprehensive", "第十二条", {"is_town_comprehensive_project": False}, "pass"),
    # 第十三条 resource catalogue
    Row(
        "laizhou.intake.resource_catalogue",
        "第十三条",
        {"uses_resource_catalogue": False, "independent_build_required": False},
        "fail",
    ),
    Row(
        "laizhou.intake.resource_catalogue",
        "第十三条",
        {"uses_resource_catalogue": False, "independent_build_required": True},
        "pass",
        note="law requires a standalone build",
    ),
    Row("laizhou.intake.resource_catalogue", "第十三条", {"uses_resource_catalogue": True}, "pass"),
    # 第三十条 own machine rooms and private networks
    Row(
        "laizhou.intake.own_infrastructure",
        "第三十条",
        {"negative_list_answers": {"lz_own_machine_room": True, "lz_private_network": False}},
        "fail",
        {
            "hits": [
                {
                    "code": "lz_own_machine_room",
                    "clause": "（自有机房）",
                    "name_zh": "（自有机房）未经市政府办公室（市大数据局）审核同意，"
                    "新建、租用或改扩建部门自有机房",
                    "name_en": "（自有机房） Builds, rents or extends the department's own machine room "
                    "without the data bureau's approval",
                }
            ]
        },
    ),
    Row(
        "laizhou.intake.own_infrastructure",
        "第三十条",
        {"negative_list_answers": {"lz_own_machine_room": False, "lz_private_network": True}},
        "fail",
        note="private network",
    ),
    Row(
        "laizhou.intake.own_infrastructure",
        "第三十条",
        {"negative_list_answers": {"lz_own_machine_room": False, "lz_private_network": False}},
        "pass",
    ),
    Row(
        "laizhou.intake.own_infrastructure",
        "第三十条",
        {"negative_list_answers": {"lz_own_machine_room": False}},
        "required",
        {"unanswered": ["lz_private_network"]},
    ),
    Row("laizhou.intake.gov_cloud", "第三十条", {"deployed_on_gov_cloud": False}, "required"),
    Row("laizhou.intake.gov_cloud", "第三十条", {"deployed_on_gov_cloud": True}, "pass"),
    # 第三十一条 city brain
    Row(
        "laizhou.intake.city_brain",
        "第三十一条",
        {"is_city_brain_project": True, "leading_group_approved": False},
        "fail",
    ),
    Row(
        "laizhou.intake.city_brain",
        "第三十一条",
        {"is_city_brain_project": True, "leading_group_approved": True},
        "pass",
    ),
    Row("laizhou.intake.city_brain", "第三十一条", {"is_city_brain_project": False}, "pass"),
    # 第九条 class route
    Row(
        "laizhou.approval.class_route",
        "第九条",
        {"laizhou_class": "governance"},
        "info",
        {"track": "governance", "stages": ["joint_review", "filing", "government_procurement"]},
    ),
    Row(
        "laizhou.approval.class_route",
        "第九条",
        {"laizhou_class": "public_service"},
        "info",
        {
            "track": "public_service",
            "stages": ["joint_review", "administrative_approval", "filing", "public_tender"],
        },
    ),
    Row(
        "laizhou.approval.class_route",
        "第九条",
        {"laizhou_class": "market_operation"},
        "info",
        {"track": "market_operation"},
    ),
    Row("laizhou.approval.class_route", "第九条", {}, "unknown"),
    # 第十条 document track
    Row("laizhou.approval.track", "第十条", URGENT, "info", {"track": "urgent"}, note="ordered and urgent"),
    Row(
        "laizhou.approval.track",
        "第十条",
        {**URGENT, "ordered_by_higher_level": False, "strategic_or_security_reason": True},
        "info",
        {"track": "urgent"},
        note="public security and urgent",
    ),
    Row(
        "laizhou.approval.track",
        "第十条",
        {**URGENT, "preparatory_work_adequate": False, "in_annual_plan": True},
        "info",
        {"track": "in_plan", "stages": ["fsr", "preliminary_design"]},
        note="urgent but preparatory work too thin",
    ),
    Row(
        "laizhou.approval.track",
        "第十条",
        {**NOT_URGENT, "in_annual_plan": False},
        "info",
        {"track": "standard", "stages": ["proposal", "fsr", "preliminary_design"]},
    ),
    Row("laizhou.approval.track", "第十条", {"in_annual_plan": True}, "unknown", note="urgency not given"),
    Row(
        "laizhou.approval.documents_standard",
        "第十条",
        {
            **NOT_URGENT,
            "in_annual_plan": False,
            "documents": ["proposal", "fsr", "preliminary_design", "investment_estimate"],
        },
        "pass",
    ),
    Row(
        "laizhou.approval.documents_standard",
        "第十条",
        {
            **NOT_URGENT,
            "in_annual_plan": False,
            "documents": ["fsr", "preliminary_design", "investment_estimate"],
        },
        "fail",
        {"missing": [PROPOSAL]},
    ),
    Row(
        "laizhou.approval.documents_standard",
        "第十条",
        {**NOT_URGENT, "in_annual_plan": True},
        "not_applicable",
    ),
    Row(
        "laizhou.approval.documents_in_plan",
        "第十条",
        {**NOT_URGENT, "in_annual_plan": True, "documents": ["fsr"]},
        "fail",
        {"missing": [PRELIMINARY_DESIGN, ESTIMATE]},
    ),
    Row(
        "laizhou.approval.documents_in_plan",
        "第十条",
        {
            **NOT_URGENT,
            "in_annual_plan": True,
            "documents": ["fsr", "preliminary_design", "investment_estimate"],
        },
        "pass",
        note="no proposal needed",
    ),
    Row(
        "laizhou.approval.documents_in_plan",
        "第十条",
        {**NOT_URGENT, "in_annual_plan": False},
        "not_applicable",
    ),
    Row(
        "laizhou.approval.documents_urgent",
        "第十条",
        {**URGENT, "documents": ["fsr", "preliminary_design", "investment_estimate"]},
        "pass",
    ),
    Row(
        "laizhou.approval.documents_urgent",
        "第十条",
        {**URGENT, "documents": ["fsr", "preliminary_design"]},
        "fail",
        {"missing": [ESTIMATE]},
    ),
    Row("laizhou.approval.documents_urgent", "第十条", NOT_URGENT, "not_applicable"),
    Row(
        "laizhou.approval.cost_evaluation",
        "第十条",
        {"documents": []},
        "required",
        {
            "missing": [
                doc("cost_evaluation_report", "第三方造价评估报告", "Third-party cost evaluation report")
            ]
        },
    ),
    Row("laizhou.approval.cost_evaluation", "第十条", {"documents": ["cost_evaluation_report"]}, "pass"),
    # 第十一条 cross-department framework
    Row(
        "laizhou.approval.framework_plan",
        "第十一条",
        {"is_cross_department": True, "documents": ["framework_plan"]},
        "fail",
        {
            "missing": [
                doc(
                    "sharing_collaboration_catalogue",
                    "初步信息共享和业务协同目录",
                    "Preliminary information-sharing and business-collaboration catalogue",
                )
            ]
        },
    ),
    Row(
        "laizhou.approval.framework_plan",
        "第十一条",
        {"is_cross_department": True, "documents": ["framework_plan", "sharing_collaboration_catalogue"]},
        "pass",
    ),
    Row("laizhou.approval.framework_plan", "第十一条", {"is_cross_department": False}, "not_applicable"),
    # 第十三条、第十四条、第二十二条 approval documents
    Row(
        "laizhou.approval.resource_use_list",
        "第十三条",
        {"documents": []},
        "fail",
        {"missing": [doc("resource_use_list", "资源使用清单", "Infrastructure resource-use list")]},
    ),
    Row("laizhou.approval.resource_use_list", "第十三条", {"documents": ["resource_use_list"]}, "pass"),
    Row(
        "laizhou.approval.safe_reliable_statement",
        "第十四条",
        {"documents": ["fsr"]},
        "fail",
        {
            "missing": [
                doc(
                    "safe_reliable_statement",
                    "软硬件产品安全可靠情况说明",
                    "Statement on the security and reliability of software and hardware products",
                )
            ]
        },
    ),
    Row(
        "laizhou.approval.safe_reliable_statement",
        "第十四条",
        {"documents": ["safe_reliable_statement"]},
        "pass",
    ),
    Row(
        "laizhou.approval.crypto_plan",
        "第二十二条",
        {"documents": []},
        "fail",
        {"missing": [doc("crypto_application_plan", "密码应用方案", "Cryptography application plan")]},
    ),
    Row("laizhou.approval.crypto_plan", "第二十二条", {"documents": ["crypto_application_plan"]}, "pass"),
    # 第七条
    Row(
        "laizhou.approval.other_reviews",
        "第七条",
        {"has_civil_works": True, "high_energy_use": False},
        "required",
    ),
    Row(
        "laizhou.approval.other_reviews",
        "第七条",
        {"has_civil_works": False, "high_energy_use": True},
        "required",
    ),
    Row(
        "laizhou.approval.other_reviews",
        "第七条",
        {"has_civil_works": False, "high_energy_use": False},
        "pass",
    ),
    Row("laizhou.approval.civil_works_split", "第七条", {"has_civil_works": True}, "required"),
    Row("laizhou.approval.civil_works_split", "第七条", {"has_civil_works": False}, "pass"),
    # 第十五条 standard for 500万元以上
    Row(
        "laizhou.approval.standard_required",
        "第十五条",
        {"total_investment_wan": 500},
        "required",
        {"threshold": "500", "met": True},
        note="500 itself counts",
    ),
    Row(
        "laizhou.approval.standard_required",
        "第十五条",
        {"total_investment_wan": "499.99"},
        "pass",
        {"met": False},
    ),
    # 第二十条
    Row(
        "laizhou.construction.implementation_body",
        "第二十条",
        {"implementation_body_assigned": False},
        "fail",
    ),
    Row(
        "laizhou.construction.implementation_body", "第二十条", {"implementation_body_assigned": True}, "pass"
    ),
    # 第二十三条 supervision
    Row(
        "laizhou.construction.supervision",
        "第二十三条",
        {"total_investment_wan": 500},
        "required",
        {"value": "500", "threshold": "500", "met": True},
    ),
    Row(
        "laizhou.construction.supervision",
        "第二十三条",
        {"total_investment_wan": "499.99"},
        "pass",
        {"threshold": "500", "met": False},
    ),
    Row(
        "laizhou.construction.supervisor_engaged",
        "第二十三条",
        {"total_investment_wan": 500, "supervisor_engaged": False},
        "fail",
    ),
    Row(
        "laizhou.construction.supervisor_engaged",
        "第二十三条",
        {"total_investment_wan": 500, "supervisor_engaged": True},
        "pass",
    ),
    Row(
        "laizhou.construction.supervisor_engaged",
        "第二十三条",
        {"total_investment_wan": "499.99", "supervisor_engaged": False},
        "not_applicable",
        note="supervision optional below 500; not said to be engaged",
    ),
    # 第二十八条
    Row("laizhou.construction.ip_terms", "第二十八条", {"ip_terms_in_contract": False}, "fail"),
    Row("laizhou.construction.ip_terms", "第二十八条", {"ip_terms_in_contract": True}, "pass"),
    # 第四十条
    Row(
        "laizhou.construction.confidentiality",
        "第四十条",
        {"documents": []},
        "fail",
        {"missing": [doc("confidentiality_commitment", "保密承诺书", "Confidentiality commitment")]},
    ),
    Row(
        "laizhou.construction.confidentiality",
        "第四十条",
        {"documents": ["confidentiality_commitment"]},
        "pass",
    ),
    # 第二十四条 yearly report by year-end
    Row(
        "laizhou.construction.performance_report_due",
        "第二十四条",
        {"construction_start_date": "2026-03-01"},
        "required",
        {"due_date": "2026-12-31", "days_left": 39},
    ),
    Row(
        "laizhou.construction.performance_report_due",
        "第二十四条",
        {"construction_start_date": "2026-03-01", "progress_report_date": "2026-11-10"},
        "pass",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "laizhou.construction.performance_report_due",
        "第二十四条",
        {"construction_start_date": "2026-03-01"},
        "fail",
        {"due_date": "2026-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="the 2026 report was missed",
    ),
    Row(
        "laizhou.construction.performance_report_due",
        "第二十四条",
        {"construction_start_date": "2027-01-02"},
        "required",
        {"due_date": "2027-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="started after the 2026 year end: nothing was owed for 2026",
    ),
    Row(
        "laizhou.construction.performance_report_due",
        "第二十四条",
        {"construction_start_date": "2026-03-01", "acceptance_date": "2026-10-01"},
        "not_applicable",
        note="accepted: construction period over",
    ),
    Row(
        "laizhou.construction.performance_report_due", "第二十四条", {}, "not_applicable", note="not started"
    ),
    Row(
        "laizhou.construction.performance_report_contents",
        "第二十四条",
        {"supervisor_engaged": False, "documents": PERF_BASE},
        "pass",
        note="no supervisor, no trial run",
    ),
    Row(
        "laizhou.construction.performance_report_contents",
        "第二十四条",
        {
            "supervisor_engaged": False,
            "documents": ["performance_report", "perf_progress", "demand_unit_opinion"],
        },
        "required",
        {
            "missing": [
                doc(
                    "perf_investment",
                    "绩效评价报告：投资计划执行情况",
                    "Performance report: execution of the investment plan",
                )
            ]
        },
    ),
    Row(
        "laizhou.construction.performance_report_contents",
        "第二十四条",
        {"supervisor_engaged": True, "trial_run_start": "2026-09-01", "documents": PERF_BASE},
        "required",
        {
            "missing": [
                doc("supervisor_opinion", "监理单位意见", "Opinion of the supervision firm"),
                doc("trial_run_effect", "试运行效果及遇到的问题说明", "Trial-run effect and problems met"),
            ]
        },
        note="in trial run with a supervisor",
    ),
    # 第三十二条
    Row(
        "laizhou.construction.serious_issue_report",
        "第三十二条",
        {"serious_delay_or_loss": True, "documents": []},
        "fail",
        {
            "missing": [
                doc(
                    "serious_issue_report",
                    "工程严重逾期、投资重大损失情况报告",
                    "Report on serious delay or major investment loss",
                )
            ]
        },
    ),
    Row(
        "laizhou.construction.serious_issue_report",
        "第三十二条",
        {"serious_delay_or_loss": True, "documents": ["serious_issue_report"]},
        "pass",
    ),
    Row(
        "laizhou.construction.serious_issue_report",
        "第三十二条",
        {"serious_delay_or_loss": False},
        "not_applicable",
    ),
    # 第十九条 change within 15% before procurement
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        CHANGE_OK,
        "pass",
        {
            "route": "unit_applies_before_procurement",
            "ratio_percent": "15",
            "max_percent": "15",
            "beyond_because": [],
        },
        note="exactly 15%",
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "adjustment_wan": "150.01"},
        "required",
        {"route": "redeclare_and_adjust_budget", "beyond_because": ["ratio"]},
        note="just over 15%",
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "adjustment_wan": -150},
        "pass",
        {"route": "unit_applies_before_procurement"},
        note="a reduction counts by its size",
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "adjustment_wan": 50, "procurement_started": True},
        "required",
        {"beyond_because": ["after_procurement"]},
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "adjustment_wan": 50, "goal_changed": True},
        "required",
        {"beyond_because": ["goal_changed"]},
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "adjustment_wan": 50, "within_estimate": False},
        "required",
        {"beyond_because": ["beyond_estimate"]},
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "adjustment_wan": 50, "change_reason": "other"},
        "required",
        {"beyond_because": ["reason_not_allowed"]},
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "change_reason": "higher_order"},
        "pass",
        note="（一）市委、市政府部署",
    ),
    Row(
        "laizhou.change.tolerance",
        "第十九条",
        {**CHANGE_OK, "change_reason": "technical_optimisation"},
        "pass",
        note="（二）技术方案完善优化",
    ),
    Row(
        "laizhou.change.surplus_return",
        "第十九条",
        {"goal_changed": False, "surplus_wan": "0.01"},
        "required",
        {"met": True},
    ),
    Row("laizhou.change.surplus_return", "第十九条", {"goal_changed": False, "surplus_wan": 0}, "pass"),
    Row(
        "laizhou.change.surplus_return",
        "第十九条",
        {"goal_changed": True, "surplus_wan": 10},
        "not_applicable",
    ),
    # 第二十三条 acceptance documents and timing
    Row(
        "laizhou.acceptance.software_test",
        "第二十三条",
        {"has_custom_software": True, "documents": []},
        "fail",
        {
            "missing": [
                doc(
                    "software_test_report",
                    "第三方软件验收测评报告",
                    "Third-party software acceptance test report",
                )
            ]
        },
    ),
    Row(
        "laizhou.acceptance.software_test",
        "第二十三条",
        {"has_custom_software": True, "total_investment_wan": 100, "documents": ["software_test_report"]},
        "pass",
        note="below 500 too",
    ),
    Row("laizhou.acceptance.software_test", "第二十三条", {"has_custom_software": False}, "not_applicable"),
    Row(
        "laizhou.acceptance.resource_use_list",
        "第十三条",
        {"documents": []},
        "fail",
        {"missing": [doc("resource_use_list", "资源使用清单", "Infrastructure resource-use list")]},
    ),
    Row("laizhou.acceptance.resource_use_list", "第十三条", {"documents": ["resource_use_list"]}, "pass"),
    Row(
        "laizhou.acceptance.security_assessment",
        "第二十一条",
        {"documents": ["security_risk_assessment"]},
        "fail",
        {
            "missing": [
                doc(
                    "protection_level_assessment",
                    "网络安全等级保护测评报告",
                    "Cybersecurity classified-protection assessment report",
                )
            ]
        },
    ),
    Row(
        "laizhou.acceptance.security_assessment",
        "第二十一条",
        {"documents": ["security_risk_assessment", "protection_level_assessment"]},
        "pass",
    ),
    Row(
        "laizhou.acceptance.crypto_assessment",
        "第二十二条",
        {"documents": ["crypto_application_plan"]},
        "fail",
        {
            "missing": [
                doc(
                    "crypto_assessment_report",
                    "商用密码应用安全性评估报告",
                    "Commercial cryptography application security assessment report",
                )
            ]
        },
    ),
    Row(
        "laizhou.acceptance.crypto_assessment",
        "第二十二条",
        {"documents": ["crypto_assessment_report"]},
        "pass",
    ),
    # 半年 = 6 months: 2025-08-31 + 6 months = 2026-02-28
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {"completion_date": "2025-08-31", "acceptance_date": "2026-02-28"},
        "pass",
        {"due_date": "2026-02-28"},
        note="on the last day",
    ),
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {"completion_date": "2025-08-31", "acceptance_date": "2026-03-01"},
        "fail",
        {"due_date": "2026-02-28"},
        note="one day late",
    ),
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {"completion_date": "2025-08-31"},
        "required",
        {"due_date": "2026-02-28"},
        as_of=dt.date(2026, 1, 15),
    ),
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {"completion_date": "2025-08-31"},
        "fail",
        {"due_date": "2026-02-28"},
        note="overdue",
    ),
    Row("laizhou.acceptance.deadline", "第二十三条", {}, "unknown"),
    # 不能按期验收的，提出延期验收申请: applied within the six months and approved, the
    # approved date is the new due date; applied after them, the six months stand.
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {
            "completion_date": "2025-08-31",
            "acceptance_delay_applied_date": "2026-02-20",
            "acceptance_delay_new_due_date": "2026-06-30",
            "acceptance_date": "2026-06-30",
        },
        "pass",
        {"due_date": "2026-06-30", "original_due_date": "2026-02-28", "extension": "granted"},
        note="accepted by the approved date",
    ),
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {
            "completion_date": "2025-08-31",
            "acceptance_delay_applied_date": "2026-02-20",
            "acceptance_delay_new_due_date": "2026-06-30",
        },
        "required",
        {"due_date": "2026-06-30"},
        as_of=dt.date(2026, 5, 1),
        note="within the approved delay",
    ),
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {
            "completion_date": "2025-08-31",
            "acceptance_delay_applied_date": "2026-03-02",
            "acceptance_delay_new_due_date": "2026-06-30",
            "acceptance_date": "2026-06-30",
        },
        "fail",
        {"due_date": "2026-02-28", "extension": "applied_late"},
        note="delay applied after the six months",
    ),
    Row(
        "laizhou.acceptance.deadline",
        "第二十三条",
        {"completion_date": "2025-08-31", "acceptance_delay_applied_date": "2026-02-20"},
        "unknown",
        {"missing_facts": ["acceptance_delay_new_due_date"]},
        as_of=dt.date(2026, 3, 10),
        note="applied in time, not decided yet: not overdue",
    ),
    Row(
        "laizhou.acceptance.delay_application",
        "第二十三条",
        {"completion_date": "2025-08-31"},
        "required",
        {"due_date": "2026-02-28"},
        as_of=dt.date(2026, 1, 15),
    ),
    Row(
        "laizhou.acceptance.delay_application",
        "第二十三条",
        {"completion_date": "2025-08-31", "acceptance_delay_applied_date": "2026-02-20"},
        "pass",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "laizhou.acceptance.delay_application",
        "第二十三条",
        {"completion_date": "2025-08-31", "acceptance_delay_applied_date": "2026-03-02"},
        "fail",
        {"due_date": "2026-02-28"},
        note="applied after the six months",
    ),
    Row(
        "laizhou.acceptance.delay_application",
        "第二十三条",
        {"completion_date": "2025-08-31"},
        "fail",
        {"due_date": "2026-02-28"},
        note="neither accepted nor delay applied",
    ),
    Row(
        "laizhou.acceptance.delay_application",
        "第二十三条",
        {"completion_date": "2025-08-31", "acceptance_date": "2026-02-10"},
        "not_applicable",
    ),
    # 第十五条 standard within 1 year of acceptance
    Row(
        "laizhou.acceptance.standard_publication",
        "第十五条",
        {
            "total_investment_wan": 500,
            "acceptance_date": "2025-06-30",
            "standard_published_date": "2026-06-30",
        },
        "pass",
        {"due_date": "2026-06-30"},
    ),
    Row(
        "laizhou.acceptance.standard_publication",
        "第十五条",
        {
            "total_investment_wan": 500,
            "acceptance_date": "2025-06-30",
            "standard_published_date": "2026-07-01",
        },
        "fail",
        {"due_date": "2026-06-30"},
    ),
    Row(
        "laizhou.acceptance.standard_publication",
        "第十五条",
        {"total_investment_wan": 500, "acceptance_date": "2025-06-30"},
        "required",
        {"due_date": "2026-06-30"},
        as_of=dt.date(2026, 3, 1),
    ),
    Row(
        "laizhou.acceptance.standard_publication",
        "第十五条",
        {"total_investment_wan": 500, "acceptance_date": "2025-06-30"},
        "fail",
        {"due_date": "2026-06-30"},
        note="overdue",
    ),
    Row(
        "laizhou.acceptance.standard_publication",
        "第十五条",
        {"total_investment_wan": "499.99", "acceptance_date": "2025-06-30"},
        "not_applicable",
    ),
    # 第三十四条 self-evaluation within 12 months of use
    Row(
        "laizhou.evaluation.self_evaluation",
        "第三十四条",
        {"operation_start_date": "2025-12-15"},
        "required",
        {"due_date": "2026-12-15", "days_left": 23},
    ),
    Row(
        "laizhou.evaluation.self_evaluation",
        "第三十四条",
        {"operation_start_date": "2025-12-15", "self_evaluation_date": "2026-12-15"},
        "pass",
        {"due_date": "2026-12-15"},
        as_of=dt.date(2026, 12, 20),
    ),
    Row(
        "laizhou.evaluation.self_evaluation",
        "第三十四条",
        {"operation_start_date": "2025-12-15", "self_evaluation_date": "2026-12-16"},
        "fail",
        {"due_date": "2026-12-15"},
        as_of=dt.date(2026, 12, 20),
    ),
    Row(
        "laizhou.evaluation.self_evaluation",
        "第三十四条",
        {"operation_start_date": "2025-12-15"},
        "fail",
        {"due_date": "2026-12-15"},
        as_of=dt.date(2026, 12, 16),
        note="overdue",
    ),
    # 第三十五条
    Row(
        "laizhou.evaluation.rectification",
        "第三十五条",
        {"waste_or_poor_performance_found": True},
        "required",
    ),
    Row("laizhou.evaluation.rectification", "第三十五条", {"waste_or_poor_performance_found": False}, "pass"),
    Row(
        "laizhou.evaluation.cancellation",
        "第三十五条",
        {"waste_or_poor_performance_found": True, "rectification_failed": True},
        "fail",
    ),
    Row(
        "laizhou.evaluation.cancellation",
        "第三十五条",
        {"waste_or_poor_performance_found": True, "rectification_failed": False},
        "pass",
    ),
    Row(
        "laizhou.evaluation.cancellation",
        "第三十五条",
        {"waste_or_poor_performance_found": True},
        "unknown",
        {"missing_facts": ["rectification_failed"]},
    ),
    Row(
        "laizhou.evaluation.cancellation",
        "第三十五条",
        {},
        "not_applicable",
        note="no waste found, no rectification: the trial run is not held up by the question",
    ),
    # 第二十六条 O&M funds withheld, one rule per clause
    Row("laizhou.om_funding.data_sharing", "第二十六条", OM_CLEAN, "pass"),
    Row("laizhou.om_funding.data_sharing", "第二十六条", {**OM_CLEAN, "shares_data": False}, "fail"),
    Row(
        "laizhou.om_funding.data_sharing",
        "第二十六条",
        {**OM_CLEAN, "duplicates_data_collection": True},
        "fail",
        note="collected twice",
    ),
    Row("laizhou.om_funding.catalogue_and_infrastructure", "第二十六条", OM_CLEAN, "pass"),
    Row(
        "laizhou.om_funding.catalogue_and_infrastructure",
        "第二十六条",
        {**OM_CLEAN, "in_system_catalogue": False},
        "fail",
    ),
    Row(
        "laizhou.om_funding.catalogue_and_infrastructure",
        "第二十六条",
        {**OM_CLEAN, "uses_resource_catalogue": False},
        "fail",
    ),
    Row("laizhou.om_funding.security", "第二十六条", OM_CLEAN, "pass"),
    Row("laizhou.om_funding.security", "第二十六条", {**OM_CLEAN, "crypto_compliant": False}, "fail"),
    Row("laizhou.om_funding.security", "第二十六条", {**OM_CLEAN, "security_compliant": False}, "fail"),
    Row("laizhou.om_funding.security", "第二十六条", {**OM_CLEAN, "major_security_hazard": True}, "fail"),
    Row("laizhou.om_funding.performance", "第二十六条", OM_CLEAN, "pass"),
    Row("laizhou.om_funding.performance", "第二十六条", {**OM_CLEAN, "performance_poor": True}, "fail"),
    # 第二十九条 free O&M ≥3 years, O&M ≤10% a year, subsidy after acceptance
    Row(
        "laizhou.om_funding.free_period",
        "第二十九条",
        {"laizhou_class": "governance", "free_om_years": 3},
        "pass",
        {"threshold": "3"},
    ),
    Row(
        "laizhou.om_funding.free_period",
        "第二十九条",
        {"laizhou_class": "governance", "free_om_years": "2.99"},
        "fail",
        {"threshold": "3", "met": True},
    ),
    Row(
        "laizhou.om_funding.free_period",
        "第二十九条",
        {"laizhou_class": "public_service", "free_om_years": 1},
        "not_applicable",
    ),
    # 第二十九条 O&M funds only once the free O&M period has ended
    *(
        Row(
            "laizhou.om_funding.free_period_running",
            "第二十九条",
            {"laizhou_class": "governance", "om_year_start_date": start, "free_om_end_date": "2027-06-30"},
            outcome,
            note=note,
        )
        for start, outcome, note in (
            ("2027-01-01", "fail", "the free period runs into the year applied for"),
            ("2028-01-01", "pass", "the year applied for starts after the free period"),
        )
    ),
    Row(
        "laizhou.om_funding.free_period_running",
        "第二十九条",
        {"laizhou_class": "governance", "om_year_start_date": "2027-01-01"},
        "unknown",
        note="end of the free period not known",
    ),
    Row(
        "laizhou.om_funding.free_period_running",
        "第二十九条",
        {
            "laizhou_class": "public_service",
            "om_year_start_date": "2027-01-01",
            "free_om_end_date": "2027-06-30",
        },
        "not_applicable",
    ),
    Row(
        "laizhou.om_funding.annual_cap",
        "第二十九条",
        {"laizhou_class": "governance", "total_investment_wan": 1000, "om_annual_request_wan": 100},
        "pass",
        {"cap_wan": "100"},
        note="exactly 10%",
    ),
    Row(
        "laizhou.om_funding.annual_cap",
        "第二十九条",
        {"laizhou_class": "governance", "total_investment_wan": 1000, "om_annual_request_wan": "100.01"},
        "fail",
        {"cap_wan": "100"},
    ),
    Row(
        "laizhou.om_funding.annual_cap",
        "第二十九条",
        {"laizhou_class": "market_operation", "total_investment_wan": 1000, "om_annual_request_wan": 500},
        "not_applicable",
    ),
    Row(
        "laizhou.om_funding.public_service_subsidy",
        "第二十九条",
        {"laizhou_class": "public_service", "accepted": False},
        "fail",
    ),
    Row(
        "laizhou.om_funding.public_service_subsidy",
        "第二十九条",
        {"laizhou_class": "public_service", "accepted": True},
        "pass",
    ),
    Row(
        "laizhou.om_funding.public_service_subsidy",
        "第二十九条",
        {"laizhou_class": "governance", "accepted": False},
        "not_applicable",
    ),
    # 第三十八条 decommissioning
    Row(
        "laizhou.decommission.documents",
        "第三十八条",
        {"documents": ["stop_plan", "data_asset_assessment"]},
        "fail",
        {
            "missing": [
                doc(
                    "data_disposal_record",
                    "数据和设备备份、迁移或销毁记录",
                    "Record of backup, migration or destruction of data and equipment",
                ),
                doc(
                    "decommission_filing",
                    "停用备案（市政府办公室、市财政局）",
                    "Decommissioning filing with the data bureau and the finance bureau",
                ),
            ]
        },
    ),
    Row("laizhou.decommission.documents", "第三十八条", {"documents": DECOMMISSION_DOCS}, "pass"),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_rule(row):
    check_row(CODE, row)


def test_every_rule_has_a_row():
    assert uncovered_rules(CODE, ROWS) == set()
