"""Table test for the Ordos pack (数字鄂尔多斯建设项目管理办法, seed 004). Numbers typed from the text."""

import datetime as dt

import pytest

from tests.jurisdictions.packs.table import Row, check_row, uncovered_rules

CODE = "ordos"

PLAN_DOCS = [
    "annual_project_plan",
    "plan_basis",
    "plan_estimate",
    "plan_nature",
    "plan_schedule",
    "plan_cloud_needs",
    "plan_resource_sharing",
    "plan_network_needs",
    "plan_om_support",
]
# 第六条: urgent, ordered by 市委/市政府, below 500万, preparatory work deep enough.
URGENT = {
    "ordered_by_higher_level": True,
    "strategic_or_security_reason": False,
    "is_urgent": True,
    "total_investment_wan": 499.99,
    "preparatory_work_adequate": True,
}
STANDARD = {**URGENT, "total_investment_wan": 500}
ACCEPTANCE_DOCS = [
    "acceptance_report",
    "construction_summary",
    "tender_contract_materials",
    "process_documents",
    "financial_report",
    "security_risk_assessment",
    "crypto_assessment",
]
CHANGE_OK = {
    "approved_estimate_wan": 1000,
    "adjustment_wan": 100,
    "goal_changed": False,
    "within_estimate": True,
    "change_reason": "technical_optimisation",
}
BUILDING = {"construction_start_date": "2026-03-01"}


def doc(code, zh, en):
    return {"code": code, "name_zh": zh, "name_en": en}


ROWS = [
    # 第二条 scope
    Row("ordos.scope.fiscal_funds", "第二条", {"funding_source": "fiscal"}, "pass"),
    Row("ordos.scope.fiscal_funds", "第二条", {"funding_source": "self_raised"}, "not_applicable"),
    Row("ordos.scope.fiscal_funds", "第二条", {}, "unknown"),
    Row("ordos.scope.category", "第二条", {"category": "infrastructure"}, "pass"),
    Row("ordos.scope.category", "第二条", {"category": "software"}, "pass"),
    Row("ordos.scope.category", "第二条", {"category": "om_service"}, "pass"),
    Row("ordos.scope.category", "第二条", {"category": "third_party"}, "pass"),
    Row("ordos.scope.category", "第二条", {"category": "website"}, "info", note="unlisted category"),
    # 第五条 plan
    Row("ordos.intake.plan_contents", "第五条", {"documents": PLAN_DOCS}, "pass"),
    Row(
        "ordos.intake.plan_contents",
        "第五条",
        {"documents": [d for d in PLAN_DOCS if d not in ("plan_cloud_needs", "plan_om_support")]},
        "fail",
        {
            "missing": [
                doc(
                    "plan_cloud_needs",
                    "项目计划：政务云资源需求",
                    "Project plan: government-cloud resource needs",
                ),
                doc("plan_om_support", "项目计划：运维保障", "Project plan: O&M support"),
            ]
        },
    ),
    Row(
        "ordos.intake.plan_contents",
        "第五条",
        {"documents": PLAN_DOCS[1:]},
        "fail",
        {"missing": [doc("annual_project_plan", "下一年度项目计划", "Next year's project plan")]},
    ),
    Row("ordos.intake.estimate_matches_budget", "第五条", {"estimate_matches_budget_request": True}, "pass"),
    Row("ordos.intake.estimate_matches_budget", "第五条", {"estimate_matches_budget_request": False}, "fail"),
    Row("ordos.intake.conforms_to_plan", "第五条", {"conforms_to_plan": True}, "pass"),
    Row("ordos.intake.conforms_to_plan", "第五条", {"conforms_to_plan": False}, "info"),
    Row("ordos.intake.annual_plan", "第五条", {"in_annual_plan": True}, "pass"),
    Row("ordos.intake.annual_plan", "第五条", {"in_annual_plan": False}, "fail"),
    # 第九条
    Row("ordos.intake.platform_library", "第九条", {"in_project_library": True}, "pass"),
    Row("ordos.intake.platform_library", "第九条", {"in_project_library": False}, "required"),
    # 第七条
    Row(
        "ordos.intake.cross_department_framework",
        "第七条",
        {"is_cross_department": True, "documents": ["framework_scheme", "framework_data_catalogue"]},
        "pass",
    ),
    Row(
        "ordos.intake.cross_department_framework",
        "第七条",
        {"is_cross_department": True, "documents": ["framework_scheme"]},
        "fail",
        {"missing": [doc("framework_data_catalogue", "初步数据目录", "Preliminary data catalogue")]},
    ),
    Row(
        "ordos.intake.cross_department_framework", "第七条", {"is_cross_department": False}, "not_applicable"
    ),
    # 第二十四条 sharing and new builds
    Row("ordos.intake.isolated_system_approval", "第二十四条", {"shares_data": True}, "pass"),
    Row(
        "ordos.intake.isolated_system_approval",
        "第二十四条",
        {"shares_data": False, "isolated_network_approved": True},
        "pass",
    ),
    Row(
        "ordos.intake.isolated_system_approval",
        "第二十四条",
        {"shares_data": False, "isolated_network_approved": False},
        "fail",
    ),
    # 第二十四条（一）（三）: a unit running such a system may not build, rebuild or extend systems.
    # The question is about the unit's systems in use, answerable when it declares; the new
    # system's own sharing and security are not known before it is built.
    Row(
        "ordos.intake.no_build_data_sharing",
        "第二十四条",
        {"negative_list_answers": {"or_unit_not_sharing": False}},
        "pass",
    ),
    Row(
        "ordos.intake.no_build_data_sharing",
        "第二十四条",
        {"negative_list_answers": {"or_unit_not_sharing": True}},
        "fail",
        {
            "hits": [
                {
                    "code": "or_unit_not_sharing",
                    "clause": "（一）",
                    "name_zh": "（一）项目建设单位有未按要求共享数据资源或者重复采集数据的信息化系统",
                    "name_en": "（一） The unit runs a system that does not share data as required "
                    "or collects data twice",
                }
            ]
        },
    ),
    Row(
        "ordos.intake.no_build_data_sharing",
        "第二十四条",
        {"is_new_build": True},
        "required",
        {"unanswered": ["or_unit_not_sharing"]},
        note="asked, not assumed; the new system's own shares_data is not needed",
    ),
    Row(
        "ordos.intake.no_build_security",
        "第二十四条",
        {"negative_list_answers": {"or_unit_insecure": False}},
        "pass",
    ),
    Row(
        "ordos.intake.no_build_security",
        "第二十四条",
        {"negative_list_answers": {"or_unit_insecure": True}},
        "fail",
        {
            "hits": [
                {
                    "code": "or_unit_insecure",
                    "clause": "（三）",
                    "name_zh": "（三）项目建设单位有不符合密码应用和网络安全要求，"
                    "或者存在重大安全隐患的信息化系统",
                    "name_en": "（三） The unit runs a system that fails the cryptography or network "
                    "security requirements or has a major security hazard",
                }
            ]
        },
    ),
    Row(
        "ordos.intake.no_build_security",
        "第二十四条",
        {"is_new_build": True, "crypto_compliant": None},
        "required",
        {"unanswered": ["or_unit_insecure"]},
    ),
    # 第六条 track: 小于500万
    Row(
        "ordos.approval.track",
        "第六条",
        URGENT,
        "info",
        {"track": "urgent_direct", "stages": ["fsr_design"]},
        note="499.99 < 500",
    ),
    Row(
        "ordos.approval.track",
        "第六条",
        STANDARD,
        "info",
        {"track": "standard", "stages": ["proposal", "fsr", "preliminary_design"]},
        note="500 is not below 500",
    ),
    Row(
        "ordos.approval.track",
        "第六条",
        {**URGENT, "ordered_by_higher_level": False, "strategic_or_security_reason": True},
        "info",
        {"track": "urgent_direct"},
        note="strategic/security reason",
    ),
    Row(
        "ordos.approval.track",
        "第六条",
        {**URGENT, "ordered_by_higher_level": False},
        "info",
        {"track": "standard"},
        note="neither city requirement nor special reason",
    ),
    Row("ordos.approval.track", "第六条", {**URGENT, "is_urgent": False}, "info", {"track": "standard"}),
    Row(
        "ordos.approval.track",
        "第六条",
        {**URGENT, "preparatory_work_adequate": False},
        "info",
        {"track": "standard"},
    ),
    Row("ordos.approval.track", "第六条", {"is_urgent": True}, "unknown"),
    Row("ordos.approval.proposal", "第六条", {**STANDARD, "documents": ["proposal"]}, "pass"),
    Row(
        "ordos.approval.proposal",
        "第六条",
        {**STANDARD, "documents": []},
        "fail",
        {"missing": [doc("proposal", "项目建议书", "Project proposal")]},
    ),
    Row("ordos.approval.proposal", "第六条", {**URGENT, "documents": []}, "not_applicable"),
    Row("ordos.approval.fsr", "第八条", {**STANDARD, "documents": ["fsr"]}, "pass"),
    Row(
        "ordos.approval.fsr",
        "第八条",
        {**STANDARD, "documents": ["proposal"]},
        "fail",
        {"missing": [doc("fsr", "可行性研究报告", "Feasibility study report")]},
    ),
    Row("ordos.approval.fsr", "第八条", {**URGENT}, "not_applicable"),
    Row(
        "ordos.approval.preliminary_design",
        "第八条",
        {**STANDARD, "documents": ["fsr_approval", "preliminary_design", "investment_estimate"]},
        "pass",
    ),
    Row(
        "ordos.approval.preliminary_design",
        "第八条",
        {**STANDARD, "documents": ["preliminary_design", "investment_estimate"]},
        "fail",
        {"missing": [doc("fsr_approval", "可行性批复意见", "Feasibility approval opinion")]},
    ),
    Row("ordos.approval.preliminary_design", "第八条", {**URGENT}, "not_applicable"),
    Row(
        "ordos.approval.urgent_direct",
        "第六条",
        {**URGENT, "documents": ["fsr", "preliminary_design", "investment_estimate"]},
        "pass",
    ),
    Row(
        "ordos.approval.urgent_direct",
        "第六条",
        {**URGENT, "documents": ["fsr", "preliminary_design"]},
        "fail",
        {"missing": [doc("investment_estimate", "投资概算", "Investment estimate")]},
    ),
    Row("ordos.approval.urgent_direct", "第六条", {**STANDARD}, "not_applicable"),
    Row(
        "ordos.approval.safe_reliable_statement",
        "第十三条",
        {"documents": ["safe_reliable_statement"]},
        "pass",
    ),
    Row(
        "ordos.approval.safe_reliable_statement",
        "第十三条",
        {"documents": []},
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
    # 第八条 no construction before design approval
    Row("ordos.construction.design_approved", "第八条", {"design_approved": True}, "pass"),
    Row("ordos.construction.design_approved", "第八条", {"design_approved": False}, "fail"),
    # 第十条
    Row(
        "ordos.construction.management_setup",
        "第十条",
        {"documents": ["implementing_body_designation", "project_management_rules"]},
        "pass",
    ),
    Row(
        "ordos.construction.management_setup",
        "第十条",
        {"documents": ["implementing_body_designation"]},
        "required",
        {"missing": [doc("project_management_rules", "项目管理制度", "Project management rules")]},
    ),
    # 第十二条
    Row("ordos.construction.crypto_sync", "第十二条", {"crypto_compliant": True}, "pass"),
    Row("ordos.construction.crypto_sync", "第十二条", {"crypto_compliant": False}, "fail"),
    # 第十四条
    Row("ordos.construction.gov_cloud", "第十四条", {"deployed_on_gov_cloud": True}, "pass"),
    Row("ordos.construction.gov_cloud", "第十四条", {"deployed_on_gov_cloud": False}, "required"),
    # 第十六条 监理: 200万元（含）以上
    Row(
        "ordos.construction.supervision",
        "第十六条",
        {"approved_estimate_wan": 200},
        "required",
        {"threshold": "200", "met": True},
    ),
    Row(
        "ordos.construction.supervision",
        "第十六条",
        {"approved_estimate_wan": 199.99},
        "pass",
        {"threshold": "200", "met": False},
    ),
    Row(
        "ordos.construction.supervisor_engaged",
        "第十六条",
        {"approved_estimate_wan": 200, "supervisor_engaged": True},
        "pass",
    ),
    Row(
        "ordos.construction.supervisor_engaged",
        "第十六条",
        {"approved_estimate_wan": 200, "supervisor_engaged": False},
        "fail",
    ),
    Row(
        "ordos.construction.supervisor_engaged",
        "第十六条",
        {"approved_estimate_wan": 199.99, "supervisor_engaged": False},
        "not_applicable",
    ),
    # 第十七条 每年年底前
    Row(
        "ordos.construction.performance_report_deadline",
        "第十七条",
        {**BUILDING, "progress_report_date": "2026-12-31"},
        "pass",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "ordos.construction.performance_report_deadline",
        "第十七条",
        BUILDING,
        "required",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "ordos.construction.performance_report_deadline",
        "第十七条",
        BUILDING,
        "fail",
        {"due_date": "2026-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="no report by year-end",
    ),
    Row(
        "ordos.construction.performance_report_deadline",
        "第十七条",
        {**BUILDING, "acceptance_date": "2026-10-10"},
        "not_applicable",
        note="construction period over",
    ),
    Row("ordos.construction.performance_report_deadline", "第十七条", {}, "not_applicable"),
    Row(
        "ordos.construction.performance_report_contents",
        "第十七条",
        {
            "progress_report_date": "2026-12-20",
            "supervisor_engaged": True,
            "trial_run_start": "2026-09-01",
            "documents": [
                "performance_report",
                "perf_progress",
                "perf_investment",
                "user_unit_opinion",
                "supervisor_opinion",
                "trial_run_effect",
            ],
        },
        "pass",
    ),
    Row(
        "ordos.construction.performance_report_contents",
        "第十七条",
        {
            "progress_report_date": "2026-12-20",
            "supervisor_engaged": False,
            "documents": ["performance_report", "perf_progress", "perf_investment", "user_unit_opinion"],
        },
        "pass",
        note="no supervisor, no trial run",
    ),
    Row(
        "ordos.construction.performance_report_contents",
        "第十七条",
        {
            "progress_report_date": "2026-12-20",
            "supervisor_engaged": True,
            "trial_run_start": "2026-09-01",
            "documents": ["performance_report", "perf_progress", "perf_investment", "user_unit_opinion"],
        },
        "required",
        {
            "missing": [
                doc("supervisor_opinion", "监理单位意见", "Opinion of the supervision firm"),
                doc("trial_run_effect", "试运行效果及遇到的问题说明", "Trial-run effect and problems met"),
            ]
        },
    ),
    Row("ordos.construction.performance_report_contents", "第十七条", {}, "not_applicable"),
    # 第十八条
    Row(
        "ordos.construction.serious_issue_report",
        "第十八条",
        {"serious_delay_or_loss": True, "documents": ["serious_issue_report"]},
        "pass",
    ),
    Row(
        "ordos.construction.serious_issue_report",
        "第十八条",
        {"serious_delay_or_loss": True, "documents": []},
        "required",
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
        "ordos.construction.serious_issue_report",
        "第十八条",
        {"serious_delay_or_loss": False},
        "not_applicable",
    ),
    # 第十九条
    Row(
        "ordos.construction.surplus_returned",
        "第十九条",
        {"goal_changed": False, "surplus_wan": 12.5},
        "required",
        {"value": "12.5"},
    ),
    Row("ordos.construction.surplus_returned", "第十九条", {"goal_changed": False, "surplus_wan": 0}, "pass"),
    Row(
        "ordos.construction.surplus_returned",
        "第十九条",
        {"goal_changed": True, "surplus_wan": 12.5},
        "not_applicable",
    ),
    # 第二十七条 限期整改
    Row("ordos.construction.rectification_deadline", "第二十七条", {}, "not_applicable", note="none ordered"),
    Row(
        "ordos.construction.rectification_deadline",
        "第二十七条",
        {"rectification_due_date": "2026-10-31", "rectification_done_date": "2026-10-31"},
        "pass",
        {"due_date": "2026-10-31"},
    ),
    Row(
        "ordos.construction.rectification_deadline",
        "第二十七条",
        {"rectification_due_date": "2026-10-31", "rectification_done_date": "2026-11-05"},
        "fail",
        {"due_date": "2026-10-31"},
    ),
    Row(
        "ordos.construction.rectification_deadline",
        "第二十七条",
        {"rectification_due_date": "2026-10-31"},
        "fail",
        {"due_date": "2026-10-31"},
        note="overdue",
    ),
    Row(
        "ordos.construction.rectification_deadline",
        "第二十七条",
        {"rectification_due_date": "2026-10-31"},
        "required",
        {"due_date": "2026-10-31", "days_left": 11},
        as_of=dt.date(2026, 10, 20),
    ),
    # 第二十条 调整: 不超过概算总投资10%
    Row(
        "ordos.change.tolerance",
        "第二十条",
        CHANGE_OK,
        "pass",
        {"route": "unit_adjusts_and_files", "ratio_percent": "10", "max_percent": "10"},
        note="exactly 10%",
    ),
    Row(
        "ordos.change.tolerance",
        "第二十条",
        {**CHANGE_OK, "adjustment_wan": 100.1},
        "required",
        {"route": "reapprove_as_new_project", "ratio_percent": "10.01", "beyond_because": ["ratio"]},
    ),
    Row(
        "ordos.change.tolerance",
        "第二十条",
        {**CHANGE_OK, "adjustment_wan": -100},
        "pass",
        {"route": "unit_adjusts_and_files"},
        note="decrease of 10%",
    ),
    Row(
        "ordos.change.tolerance",
        "第二十条",
        {**CHANGE_OK, "goal_changed": True},
        "required",
        {"beyond_because": ["goal_changed"]},
    ),
    Row(
        "ordos.change.tolerance",
        "第二十条",
        {**CHANGE_OK, "within_estimate": False},
        "required",
        {"beyond_because": ["beyond_estimate"]},
    ),
    Row(
        "ordos.change.tolerance",
        "第二十条",
        {**CHANGE_OK, "change_reason": "higher_order"},
        "pass",
        note="（一）",
    ),
    Row(
        "ordos.change.tolerance",
        "第二十条",
        {**CHANGE_OK, "change_reason": "business_need"},
        "pass",
        note="（三）",
    ),
    Row(
        "ordos.change.tolerance",
        "第二十条",
        {**CHANGE_OK, "change_reason": "other"},
        "required",
        {"route": "reapprove_as_new_project", "beyond_because": ["reason_not_allowed"]},
    ),
    # 第二十一条 建成后半年内
    Row(
        "ordos.acceptance.deadline",
        "第二十一条",
        {"completion_date": "2025-08-31", "acceptance_date": "2026-02-28"},
        "pass",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "ordos.acceptance.deadline",
        "第二十一条",
        {"completion_date": "2025-08-31", "acceptance_date": "2026-03-01"},
        "fail",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "ordos.acceptance.deadline",
        "第二十一条",
        {"completion_date": "2025-08-31"},
        "fail",
        {"due_date": "2026-02-28"},
        note="overdue",
    ),
    Row(
        "ordos.acceptance.deadline",
        "第二十一条",
        {"completion_date": "2026-06-15"},
        "required",
        {"due_date": "2026-12-15"},
    ),
    Row("ordos.acceptance.deadline", "第二十一条", {}, "unknown"),
    # 不能按期验收的，提出延期验收申请: applied within the six months and approved, the
    # approved date is the new due date; applied after them, the six months stand.
    Row(
        "ordos.acceptance.deadline",
        "第二十一条",
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
        "ordos.acceptance.deadline",
        "第二十一条",
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
        "ordos.acceptance.deadline",
        "第二十一条",
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
        "ordos.acceptance.deadline",
        "第二十一条",
        {"completion_date": "2025-08-31", "acceptance_delay_applied_date": "2026-02-20"},
        "unknown",
        {"missing_facts": ["acceptance_delay_new_due_date"]},
        as_of=dt.date(2026, 3, 10),
        note="applied in time, not decided yet: not overdue",
    ),
    Row(
        "ordos.acceptance.delay_application",
        "第二十一条",
        {"completion_date": "2025-08-31", "acceptance_delay_applied_date": "2026-02-20"},
        "pass",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "ordos.acceptance.delay_application",
        "第二十一条",
        {"completion_date": "2025-08-31", "acceptance_delay_applied_date": "2026-03-02"},
        "fail",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "ordos.acceptance.delay_application",
        "第二十一条",
        {"completion_date": "2025-08-31"},
        "not_applicable",
    ),
    Row("ordos.acceptance.plan", "第二十一条", {"documents": ["acceptance_plan"]}, "pass"),
    Row(
        "ordos.acceptance.plan",
        "第二十一条",
        {"documents": []},
        "fail",
        {
            "missing": [
                doc(
                    "acceptance_plan",
                    "验收方案（会同领导小组办公室确定）",
                    "Acceptance plan (agreed with the leading group office)",
                )
            ]
        },
    ),
    Row(
        "ordos.acceptance.documents",
        "第二十一条",
        {"is_secret": False, "documents": [*ACCEPTANCE_DOCS, "mlps_report"]},
        "pass",
    ),
    Row(
        "ordos.acceptance.documents",
        "第二十一条",
        {"is_secret": True, "documents": [*ACCEPTANCE_DOCS, "classified_protection_report"]},
        "pass",
    ),
    Row(
        "ordos.acceptance.documents",
        "第二十一条",
        {"is_secret": False, "documents": [*ACCEPTANCE_DOCS, "classified_protection_report"]},
        "fail",
        {
            "missing": [
                doc(
                    "mlps_report",
                    "非涉密信息系统网络安全等级保护测评报告",
                    "Cybersecurity classified protection (MLPS) test report",
                )
            ]
        },
    ),
    Row(
        "ordos.acceptance.documents",
        "第二十一条",
        {
            "is_secret": False,
            "documents": [d for d in ACCEPTANCE_DOCS if d not in ("financial_report", "crypto_assessment")]
            + ["mlps_report"],
        },
        "fail",
        {
            "missing": [
                doc("financial_report", "财务报告", "Financial report"),
                doc(
                    "crypto_assessment",
                    "密码应用安全性评估报告",
                    "Cryptography application security assessment report",
                ),
            ]
        },
    ),
    Row(
        "ordos.acceptance.key_content",
        "第十三条",
        {
            "includes_hardware": True,
            "documents": [
                "product_safety_report",
                "crypto_security_review_report",
                "energy_efficiency_report",
            ],
        },
        "pass",
    ),
    Row(
        "ordos.acceptance.key_content",
        "第十三条",
        {"includes_hardware": False, "documents": ["product_safety_report", "crypto_security_review_report"]},
        "pass",
    ),
    Row(
        "ordos.acceptance.key_content",
        "第十三条",
        {"includes_hardware": True, "documents": ["product_safety_report", "crypto_security_review_report"]},
        "fail",
        {
            "missing": [
                doc(
                    "energy_efficiency_report",
                    "硬件设备和新建数据中心能源利用效率情况",
                    "Energy efficiency of hardware and new data centres",
                )
            ]
        },
    ),
    Row("ordos.acceptance.archive", "第二十二条", {"archive_accepted": True}, "pass"),
    Row("ordos.acceptance.archive", "第二十二条", {"archive_accepted": False}, "fail"),
    Row("ordos.acceptance.payment_withheld", "第二十一条", {"accepted": True}, "pass"),
    Row("ordos.acceptance.payment_withheld", "第二十一条", {"accepted": False}, "fail"),
    Row(
        "ordos.acceptance.filing",
        "第二十一条",
        {"accepted": True, "documents": ["acceptance_filing"]},
        "pass",
    ),
    Row(
        "ordos.acceptance.filing",
        "第二十一条",
        {"accepted": True, "documents": []},
        "required",
        {
            "missing": [
                doc(
                    "acceptance_filing",
                    "验收报告等材料备案",
                    "Filing of the acceptance report with the leading group office",
                )
            ]
        },
    ),
    Row("ordos.acceptance.filing", "第二十一条", {"accepted": False}, "not_applicable"),
    Row(
        "ordos.acceptance.asset_registration",
        "第二十三条",
        {"accepted": True, "documents": ["asset_registration"]},
        "pass",
    ),
    Row(
        "ordos.acceptance.asset_registration",
        "第二十三条",
        {"accepted": True, "documents": []},
        "required",
        {"missing": [doc("asset_registration", "资产登记手续", "Asset registration")]},
    ),
    Row("ordos.acceptance.asset_registration", "第二十三条", {"accepted": False}, "not_applicable"),
    # 第二十九条
    Row("ordos.evaluation.results_basis", "第二十九条", {"performance_rating": "good"}, "pass"),
    Row("ordos.evaluation.results_basis", "第二十九条", {"performance_rating": "poor"}, "info"),
    # 第二十四条 O&M funds
    Row(
        "ordos.om_funding.data_sharing",
        "第二十四条",
        {"shares_data": True, "duplicates_data_collection": False},
        "pass",
    ),
    Row(
        "ordos.om_funding.data_sharing",
        "第二十四条",
        {"shares_data": False, "isolated_network_approved": False, "duplicates_data_collection": False},
        "fail",
        note="（一） not shared",
    ),
    Row(
        "ordos.om_funding.data_sharing",
        "第二十四条",
        {"shares_data": False, "isolated_network_approved": True, "duplicates_data_collection": False},
        "pass",
        note="approved non-sharing system",
    ),
    Row(
        "ordos.om_funding.data_sharing",
        "第二十四条",
        {"shares_data": True, "duplicates_data_collection": True},
        "fail",
        note="（一） collected twice",
    ),
    Row("ordos.om_funding.catalogue", "第二十四条", {"in_system_catalogue": True}, "pass"),
    Row("ordos.om_funding.catalogue", "第二十四条", {"in_system_catalogue": False}, "fail", note="（二）"),
    Row(
        "ordos.om_funding.security",
        "第二十四条",
        {"crypto_compliant": True, "security_compliant": True, "major_security_hazard": False},
        "pass",
    ),
    Row(
        "ordos.om_funding.security",
        "第二十四条",
        {"crypto_compliant": False, "security_compliant": True, "major_security_hazard": False},
        "fail",
        note="（三） crypto",
    ),
    Row(
        "ordos.om_funding.security",
        "第二十四条",
        {"crypto_compliant": True, "security_compliant": False, "major_security_hazard": False},
        "fail",
        note="（三） security",
    ),
    Row(
        "ordos.om_funding.security",
        "第二十四条",
        {"crypto_compliant": True, "security_compliant": True, "major_security_hazard": True},
        "fail",
        note="（三） hazard",
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_rule(row):
    check_row(CODE, row)


def test_every_rule_has_a_row():
    assert uncovered_rules(CODE, ROWS) == set()
