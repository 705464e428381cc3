"""Table test for the Hongshan pack (红山区政务信息化项目管理暂行办法, seed 001).

Numbers are typed from the text, never read from the pack.
"""

import datetime as dt

import pytest

from tests.jurisdictions.packs.table import Row, check_row, uncovered_rules

CODE = "hongshan"


def doc(code, zh, en):
    return {"code": code, "name_zh": zh, "name_en": en}


LIBRARY_APPLICATION = doc("library_application", "申请入库文件", "Application to enter the project library")
FSR = doc(
    "fsr",
    "可行性研究报告（项目建议书、可行性研究报告二合一）",
    "Feasibility study report (proposal and FSR in one)",
)
IMPLEMENTATION_PLAN = doc(
    "implementation_plan",
    "实施方案（项目建议书、可行性研究报告、初步设计方案三合一）",
    "Implementation plan (proposal, FSR and preliminary design in one)",
)
PRELIMINARY_DESIGN = doc("preliminary_design", "初步设计方案", "Preliminary design")

CONSTRUCTION = {"category": "construction"}
SERVICE = {"category": "service_procurement"}
OM = {"category": "om_service"}
# 第十条: an emergency project whose preparatory work is adequate (第十二条（三）).
EMERGENCY = {"is_urgent": True, "preparatory_work_adequate": True}

NEGATIVE_ITEMS = {
    "hs_upgrade_suffices": "（一）",
    "hs_shareable": "（二）",
    "hs_isolated_system": "（三）",
    "hs_unclear_needs": "（四）",
    "hs_low_usage_within_year": "（五）",
    "hs_still_usable": "（六）",
}
NO_HITS = {code: False for code in NEGATIVE_ITEMS}

CHAPTERS = ["fiscal_funds_chapter", "data_sharing_chapter", "security_measures_chapter"]
FILING_DOCS = [
    "filing_record",
    "data_resource_catalogue",
    "protection_filing",
    "crypto_application_plan",
    "crypto_assessment_report",
]
ACCEPTANCE_DOCS = [
    "completion_filing_form",
    "construction_summary",
    "preliminary_acceptance_report",
    "financial_report",
    "audit_report",
    "security_risk_assessment",
    "crypto_assessment_report",
    "performance_stress_test_report",
    "data_sharing_confirmation",
    "trial_run_report",
]
CHANGE_OK = {
    "approved_estimate_wan": 1000,
    "adjustment_wan": 150,
    "goal_changed": False,
    "within_estimate": True,
    "change_reason": "technical_optimisation",
}
NEW_OM = {**OM, "om_is_continuation": False}
CONTINUING_OM = {**OM, "om_is_continuation": True}
BUILDING = {"construction_start_date": "2026-03-01"}
# 第二条（二）: an upgrade of at most 15% of the original investment and at most 60万元.
SMALL_UPGRADE = {
    **CONSTRUCTION,
    "is_upgrade": True,
    "total_investment_wan": 45,
    "original_investment_wan": 300,
}
# 45.01 > 15% × 300 = 45: a construction project after all.
LARGER_UPGRADE = {**SMALL_UPGRADE, "total_investment_wan": 45.01}
# A new build about to be put in the annual plan: what is known at intake, nothing about its O&M.
NEW_BUILD_AT_PLAN = {
    **CONSTRUCTION,
    "funding_source": "fiscal",
    "is_new_build": True,
    "total_investment_wan": 120,
    "in_project_library": True,
    "negative_list_answers": {
        "hs_upgrade_suffices": False,
        "hs_shareable": False,
        "hs_isolated_system": False,
        "hs_unclear_needs": False,
        "hs_low_usage_within_year": False,
        "hs_still_usable": False,
    },
}
PLATFORMS_OK = {
    **OM,
    "is_public_service": True,
    "on_integrated_service_platform": True,
    "is_office_system": False,
    "is_secret": False,
}
SECURITY_OK = {
    **OM,
    "is_new_build": True,
    "crypto_compliant": True,
    "security_compliant": True,
    "major_security_hazard": False,
}


def negative_hit(code):
    return Row(
        "hongshan.intake.negative_list",
        "第六条",
        {"is_new_build": True, "negative_list_answers": {**NO_HITS, code: True}},
        "fail",
        {"unanswered": []},
        note=f"hit {NEGATIVE_ITEMS[code]}",
    )


ROWS = [
    # ------------------------------------------------------------ 第二条 scope
    Row("hongshan.scope.fiscal_funds", "第二条", {"funding_source": "fiscal"}, "pass"),
    Row("hongshan.scope.fiscal_funds", "第二条", {"funding_source": "special_fund"}, "not_applicable"),
    Row("hongshan.scope.fiscal_funds", "第二条", {}, "unknown"),
    Row(
        "hongshan.scope.small_upgrade_as_om",
        "第二条",
        {"is_upgrade": True, "total_investment_wan": 60, "original_investment_wan": 400},
        "pass",
        {"cap_wan": "60"},
        note="60 = 15% of 400 and = 60万元: both limits inclusive",
    ),
    Row(
        "hongshan.scope.small_upgrade_as_om",
        "第二条",
        {"is_upgrade": True, "total_investment_wan": 45, "original_investment_wan": 300},
        "pass",
        {"cap_wan": "45"},
    ),
    Row(
        "hongshan.scope.small_upgrade_as_om",
        "第二条",
        {"is_upgrade": True, "total_investment_wan": 45.01, "original_investment_wan": 300},
        "fail",
        {"cap_wan": "45"},
        note="over 15% of the original",
    ),
    Row(
        "hongshan.scope.small_upgrade_as_om",
        "第二条",
        {"is_upgrade": True, "total_investment_wan": 60.01, "original_investment_wan": 1000},
        "not_applicable",
        note="over 60万元 even though under 15%",
    ),
    Row(
        "hongshan.scope.small_upgrade_as_om",
        "第二条",
        {"is_upgrade": False, "total_investment_wan": 10, "original_investment_wan": 1000},
        "not_applicable",
    ),
    # 第二条（二） → 第八条, 第十二条（二）: a small upgrade is managed as an O&M-service project
    Row(
        "hongshan.approval.track",
        "第十二条",
        SMALL_UPGRADE,
        "info",
        {"track": "om_direct"},
        note="small upgrade",
    ),
    Row(
        "hongshan.approval.track",
        "第十二条",
        LARGER_UPGRADE,
        "info",
        {"track": "implementation_plan"},
        note="over 15%: construction",
    ),
    Row(
        "hongshan.approval.track",
        "第十二条",
        {**SMALL_UPGRADE, "original_investment_wan": None},
        "unknown",
        {"missing_facts": ["original_investment_wan"]},
        note="15% of what is not known",
    ),
    Row(
        "hongshan.intake.documents_om",
        "第八条",
        {**SMALL_UPGRADE, "documents": ["om_plan"]},
        "pass",
        note="small upgrade: the O&M plan, no needs assessment",
    ),
    Row(
        "hongshan.intake.documents_om",
        "第八条",
        {**SMALL_UPGRADE, "documents": ["library_application", "implementation_plan"]},
        "fail",
        {"missing": [doc("om_plan", "运维方案", "O&M plan")]},
    ),
    Row("hongshan.intake.documents_om", "第八条", {**LARGER_UPGRADE, "documents": []}, "not_applicable"),
    Row(
        "hongshan.intake.documents_below_60",
        "第八条",
        {**SMALL_UPGRADE, "documents": []},
        "not_applicable",
        note="small upgrade: no 3-in-1 plan",
    ),
    Row(
        "hongshan.intake.documents_below_60",
        "第八条",
        {**LARGER_UPGRADE, "documents": ["library_application"]},
        "fail",
        {"missing": [IMPLEMENTATION_PLAN]},
    ),
    Row(
        "hongshan.intake.documents_60_plus",
        "第八条",
        {**SMALL_UPGRADE, "total_investment_wan": 60, "original_investment_wan": 400, "documents": []},
        "not_applicable",
        note="60 = 15% of 400 and 60万元: small upgrade",
    ),
    Row(
        "hongshan.approval.documents_below_60",
        "第十二条",
        {**SMALL_UPGRADE, "documents": []},
        "not_applicable",
        {"chosen": "om_direct"},
    ),
    Row("hongshan.review.prerequisites", "第十一条", {**SMALL_UPGRADE, "documents": []}, "not_applicable"),
    Row("hongshan.review.text_passed", "第十一条", SMALL_UPGRADE, "not_applicable"),
    Row("hongshan.review.online_platform", "第十一条", {**SMALL_UPGRADE, "documents": []}, "not_applicable"),
    Row(
        "hongshan.approval.required_chapters",
        "第十四条",
        {**SMALL_UPGRADE, "documents": []},
        "not_applicable",
    ),
    Row(
        "hongshan.approval.data_resource_catalogue",
        "第十四条",
        {**SMALL_UPGRADE, "documents": []},
        "not_applicable",
    ),
    Row(
        "hongshan.approval.safe_reliable_statement",
        "第二十条",
        {**SMALL_UPGRADE, "documents": []},
        "not_applicable",
    ),
    Row("hongshan.intake.no_build_before_approval", "第五条", SMALL_UPGRADE, "not_applicable"),
    Row(
        "hongshan.construction.supervision",
        "第十七条",
        {**SMALL_UPGRADE, "supervisor_engaged": False},
        "not_applicable",
    ),
    Row(
        "hongshan.construction.free_om_period",
        "第二十四条",
        {**SMALL_UPGRADE, "free_om_years": 0},
        "not_applicable",
    ),
    Row("hongshan.acceptance.documents", "第二十八条", {**SMALL_UPGRADE, "documents": []}, "not_applicable"),
    Row(
        "hongshan.evaluation.report_contents",
        "第三十条",
        {**SMALL_UPGRADE, "documents": ["perf_progress_investment"]},
        "required",
        {
            "missing": [
                doc(
                    "perf_om_summary",
                    "绩效自评报告：运维总结和运维质量评价",
                    "Performance report: O&M summary and O&M quality evaluation",
                )
            ]
        },
        note="reported as O&M",
    ),
    # ------------------------------------------------------------ 第五条 library
    Row("hongshan.intake.project_library", "第五条", {"in_project_library": True}, "pass"),
    Row("hongshan.intake.project_library", "第五条", {"in_project_library": False}, "fail"),
    Row(
        "hongshan.intake.no_build_before_approval",
        "第五条",
        {**CONSTRUCTION, "approval_date": "2026-03-01"},
        "pass",
    ),
    Row("hongshan.intake.no_build_before_approval", "第五条", {**SERVICE}, "fail"),
    Row(
        "hongshan.intake.no_build_before_approval",
        "第五条",
        {**CONSTRUCTION, "approval_date": "2026-03-01", "construction_start_date": "2026-02-28"},
        "fail",
        note="未批先建: started the day before approval",
    ),
    Row(
        "hongshan.intake.no_build_before_approval",
        "第五条",
        {**CONSTRUCTION, "approval_date": "2026-03-01", "construction_start_date": "2026-03-01"},
        "pass",
    ),
    Row("hongshan.intake.no_build_before_approval", "第五条", {**OM}, "not_applicable"),
    # ------------------------------------------------------------ 第六条 negative list
    Row(
        "hongshan.intake.negative_list",
        "第六条",
        {"is_new_build": True, "negative_list_answers": NO_HITS},
        "pass",
    ),
    *[negative_hit(code) for code in NEGATIVE_ITEMS],
    Row(
        "hongshan.intake.negative_list",
        "第六条",
        {"is_new_build": True, "negative_list_answers": {**NO_HITS, "hs_low_usage_within_year": True}},
        "fail",
        {
            "hits": [
                {
                    "code": "hs_low_usage_within_year",
                    "clause": "（五）",
                    "name_zh": "（五）已批复新建系统验收后，经评估使用率不高的，"
                    "自终验之日起，一年内不支持项目单位新建",
                    "name_en": "（五） The unit's previously approved new system was assessed as little "
                    "used after acceptance, and it is within one year of its final acceptance",
                }
            ]
        },
        note="item (5) text",
    ),
    Row(
        "hongshan.intake.negative_list",
        "第六条",
        {"is_new_build": True, "negative_list_answers": {"hs_upgrade_suffices": False}},
        "required",
        {
            "unanswered": [
                "hs_shareable",
                "hs_isolated_system",
                "hs_unclear_needs",
                "hs_low_usage_within_year",
                "hs_still_usable",
            ]
        },
    ),
    Row("hongshan.intake.negative_list", "第六条", {"is_new_build": False}, "not_applicable"),
    # ------------------------------------------------------------ 第七条 cut-off 6月底
    Row(
        "hongshan.intake.annual_submission",
        "第七条",
        {"planned_year_start_date": "2027-01-01", "plan_submitted_date": "2026-06-30"},
        "pass",
        {"due_date": "2026-06-30"},
    ),
    Row(
        "hongshan.intake.annual_submission",
        "第七条",
        {"planned_year_start_date": "2027-01-01", "plan_submitted_date": "2026-07-01"},
        "fail",
        {"due_date": "2026-06-30"},
    ),
    Row(
        "hongshan.intake.annual_submission",
        "第七条",
        {"planned_year_start_date": "2027-01-01"},
        "required",
        {"due_date": "2026-06-30"},
        as_of=dt.date(2026, 5, 1),
    ),
    Row(
        "hongshan.intake.annual_submission",
        "第七条",
        {"planned_year_start_date": "2027-01-01"},
        "fail",
        {"due_date": "2026-06-30"},
        note="overdue",
    ),
    Row("hongshan.intake.unified_application", "第七条", {"declarer_role": "department"}, "pass"),
    Row("hongshan.intake.unified_application", "第七条", {"declarer_role": "other"}, "fail"),
    # ------------------------------------------------------------ 第八条 library documents
    Row(
        "hongshan.intake.documents_60_plus",
        "第八条",
        {**CONSTRUCTION, "total_investment_wan": 60, "documents": ["library_application", "fsr"]},
        "pass",
    ),
    Row(
        "hongshan.intake.documents_60_plus",
        "第八条",
        {**SERVICE, "total_investment_wan": 60, "documents": ["library_application"]},
        "fail",
        {"missing": [FSR]},
    ),
    Row(
        "hongshan.intake.documents_60_plus",
        "第八条",
        {**CONSTRUCTION, "total_investment_wan": 59.99, "documents": []},
        "not_applicable",
    ),
    Row(
        "hongshan.intake.documents_below_60",
        "第八条",
        {
            **CONSTRUCTION,
            "total_investment_wan": 59.99,
            "documents": ["library_application", "implementation_plan"],
        },
        "pass",
    ),
    Row(
        "hongshan.intake.documents_below_60",
        "第八条",
        {**SERVICE, "total_investment_wan": 59.99, "documents": []},
        "fail",
        {"missing": [LIBRARY_APPLICATION, IMPLEMENTATION_PLAN]},
    ),
    Row(
        "hongshan.intake.documents_below_60",
        "第八条",
        {**CONSTRUCTION, "total_investment_wan": 60, "documents": []},
        "not_applicable",
    ),
    Row("hongshan.intake.documents_om", "第八条", {**NEW_OM, "documents": ["om_plan"]}, "pass"),
    Row(
        "hongshan.intake.documents_om",
        "第八条",
        {**CONTINUING_OM, "documents": ["om_plan"]},
        "fail",
        {
            "missing": [
                doc("om_needs_assessment", "新一轮运维需求评估", "Assessment of the next round's O&M needs")
            ]
        },
    ),
    Row(
        "hongshan.intake.documents_om",
        "第八条",
        {**NEW_OM, "documents": []},
        "fail",
        {"missing": [doc("om_plan", "运维方案", "O&M plan")]},
    ),
    Row("hongshan.intake.documents_om", "第八条", {**CONSTRUCTION, "documents": []}, "not_applicable"),
    # ------------------------------------------------------------ 第八条 O&M application year
    # 第二十四条: free O&M ends at least 1 year after acceptance, or at a later contract date;
    # 第八条: new O&M applies in the year before it ends.
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**NEW_OM, "acceptance_date": "2026-05-31", "om_application_date": "2026-12-31"},
        "pass",
        {"anchor_date": "2027-05-31", "due_date": "2026-12-31"},
    ),
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**NEW_OM, "acceptance_date": "2026-05-31", "om_application_date": "2027-01-01"},
        "fail",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**NEW_OM, "acceptance_date": "2026-05-31"},
        "required",
        {"due_date": "2026-12-31", "days_left": 39},
    ),
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**NEW_OM, "acceptance_date": "2026-05-31", "free_om_end_date": "2028-06-30"},
        "required",
        {"anchor_date": "2028-06-30", "due_date": "2027-12-31"},
        note="a later contract end date",
    ),
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**NEW_OM, "acceptance_date": "2026-05-31", "free_om_end_date": "2026-12-31"},
        "required",
        {"anchor_date": "2027-05-31", "due_date": "2026-12-31"},
        note="a contract shorter than 1 year does not shorten it",
    ),
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**NEW_OM, "acceptance_date": "2025-06-30"},
        "fail",
        {"anchor_date": "2026-06-30", "due_date": "2025-12-31"},
        note="overdue",
    ),
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**NEW_OM, "free_om_end_date": "2027-05-31"},
        "unknown",
        {"missing_facts": ["acceptance_date"]},
    ),
    Row(
        "hongshan.om_funding.new_om_application",
        "第八条",
        {**CONTINUING_OM, "acceptance_date": "2026-05-31"},
        "not_applicable",
    ),
    Row(
        "hongshan.om_funding.continuing_om_application",
        "第八条",
        {**CONTINUING_OM, "om_period_end_date": "2027-12-31", "om_application_date": "2026-03-15"},
        "pass",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "hongshan.om_funding.continuing_om_application",
        "第八条",
        {**CONTINUING_OM, "om_period_end_date": "2027-12-31", "om_application_date": "2027-01-04"},
        "fail",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "hongshan.om_funding.continuing_om_application",
        "第八条",
        {**CONTINUING_OM, "om_period_end_date": "2027-12-31"},
        "required",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "hongshan.om_funding.continuing_om_application",
        "第八条",
        {**NEW_OM, "om_period_end_date": "2027-12-31"},
        "not_applicable",
    ),
    # ------------------------------------------------------------ 第九条 pre-review
    Row("hongshan.review.pre_review", "第九条", {"documents": ["pre_review_opinion"]}, "pass"),
    Row(
        "hongshan.review.pre_review",
        "第九条",
        {"documents": []},
        "fail",
        {
            "missing": [
                doc(
                    "pre_review_opinion",
                    "蒙东云计算中心前置审核意见",
                    "Pre-review opinion of the Mengdong Cloud Computing Centre",
                )
            ]
        },
    ),
    Row(
        "hongshan.review.pre_review",
        "第九条",
        {"expert_review_requested": True, "documents": ["pre_review_opinion"]},
        "fail",
        {
            "missing": [
                doc(
                    "expert_review_opinion",
                    "专家或第三方专业机构评审论证意见",
                    "Expert or third-party review opinion",
                )
            ]
        },
    ),
    Row(
        "hongshan.review.pre_review",
        "第九条",
        {"expert_review_requested": True, "documents": ["pre_review_opinion", "expert_review_opinion"]},
        "pass",
    ),
    # ------------------------------------------------------------ 第十条 emergency additions
    Row(
        "hongshan.intake.emergency_addition",
        "第十条",
        {"is_urgent": True, "government_consent_given": True},
        "pass",
    ),
    Row(
        "hongshan.intake.emergency_addition",
        "第十条",
        {"is_urgent": True, "government_consent_given": False},
        "fail",
    ),
    Row(
        "hongshan.intake.emergency_addition",
        "第十条",
        {"ordered_by_higher_level": True, "government_consent_given": False},
        "fail",
    ),
    Row(
        "hongshan.intake.emergency_addition",
        "第十条",
        {"strategic_or_security_reason": True, "government_consent_given": False},
        "fail",
    ),
    Row("hongshan.intake.emergency_addition", "第十条", {"is_urgent": False}, "not_applicable"),
    # ------------------------------------------------------------ 第十一条 prerequisites, 7 working days
    Row(
        "hongshan.review.prerequisites",
        "第十一条",
        {
            **CONSTRUCTION,
            "is_secret": False,
            "documents": ["crypto_prerequisite", "security_level_prerequisite"],
        },
        "pass",
    ),
    Row(
        "hongshan.review.prerequisites",
        "第十一条",
        {**CONSTRUCTION, "is_secret": False, "documents": ["crypto_prerequisite"]},
        "fail",
        {
            "missing": [
                doc(
                    "security_level_prerequisite",
                    "区公安分局出具的网络安全等级保护前置要件",
                    "Classified-protection prerequisite from the district public security branch",
                )
            ]
        },
    ),
    Row(
        "hongshan.review.prerequisites",
        "第十一条",
        {**SERVICE, "is_secret": True, "documents": ["security_level_prerequisite"]},
        "fail",
        {
            "missing": [
                doc(
                    "crypto_prerequisite",
                    "区委保密机要局（区国家密码管理局）出具的密码应用前置要件",
                    "Crypto prerequisite from the district secrecy and cryptography bureau",
                ),
                doc(
                    "secret_protection_prerequisite",
                    "区委保密机要局出具的涉密信息系统分级保护前置要件",
                    "Secret-system graded-protection prerequisite from the district secrecy bureau",
                ),
            ]
        },
    ),
    Row("hongshan.review.prerequisites", "第十一条", {**OM, "documents": []}, "not_applicable"),
    Row(
        "hongshan.review.text_passed",
        "第十一条",
        {**CONSTRUCTION, "review_passed_date": "2026-09-25"},
        "pass",
    ),
    Row("hongshan.review.text_passed", "第十一条", {**CONSTRUCTION}, "fail"),
    Row("hongshan.review.text_passed", "第十一条", {**OM}, "not_applicable"),
    # The clock starts when the later of 通过评审 and 前置要件齐全 happens.
    # 2026-09-28 (Mon) + 7 working days: 9-29, 9-30, [10-1..10-7 National Day], 10-8, 10-9,
    # 10-10 (Sat, make-up workday), 10-12, 10-13.
    Row(
        "hongshan.review.approval_deadline",
        "第十一条",
        {
            **CONSTRUCTION,
            "review_passed_date": "2026-09-28",
            "prerequisites_complete_date": "2026-09-10",
            "approval_date": "2026-10-13",
        },
        "pass",
        {"anchor_date": "2026-09-28", "due_date": "2026-10-13"},
        note="review passed last",
    ),
    Row(
        "hongshan.review.approval_deadline",
        "第十一条",
        {
            **CONSTRUCTION,
            "review_passed_date": "2026-09-10",
            "prerequisites_complete_date": "2026-09-28",
            "approval_date": "2026-10-14",
        },
        "fail",
        {"anchor_date": "2026-09-28", "due_date": "2026-10-13"},
        note="prerequisites complete last",
    ),
    Row(
        "hongshan.review.approval_deadline",
        "第十一条",
        {**CONSTRUCTION, "review_passed_date": "2026-09-28", "prerequisites_complete_date": "2026-09-28"},
        "required",
        {"due_date": "2026-10-13"},
        as_of=dt.date(2026, 10, 9),
    ),
    Row(
        "hongshan.review.approval_deadline",
        "第十一条",
        {**CONSTRUCTION, "review_passed_date": "2026-09-28", "prerequisites_complete_date": "2026-09-28"},
        "fail",
        {"due_date": "2026-10-13"},
        as_of=dt.date(2026, 10, 14),
        note="overdue",
    ),
    Row(
        "hongshan.review.approval_deadline",
        "第十一条",
        {**CONSTRUCTION, "review_passed_date": "2026-09-28"},
        "unknown",
        {"missing_facts": ["prerequisites_complete_date"]},
        note="prerequisites not complete: the clock has not started",
    ),
    # 2025-09-26 (Fri) + 7: 9-28 (Sun, make-up workday), 9-29, 9-30, [10-1..10-8 off], 10-9, 10-10,
    # 10-11 (Sat, make-up workday), 10-13.
    Row(
        "hongshan.review.approval_deadline",
        "第十一条",
        {
            **SERVICE,
            "review_passed_date": "2025-09-26",
            "prerequisites_complete_date": "2025-09-26",
            "approval_date": "2025-10-13",
        },
        "pass",
        {"due_date": "2025-10-13"},
    ),
    Row("hongshan.review.approval_deadline", "第十一条", {**OM}, "not_applicable"),
    Row(
        "hongshan.review.online_platform",
        "第十一条",
        {**CONSTRUCTION, "is_secret": False, "documents": ["platform_project_code"]},
        "pass",
    ),
    Row(
        "hongshan.review.online_platform",
        "第十一条",
        {**CONSTRUCTION, "is_secret": False, "documents": []},
        "fail",
        {
            "missing": [
                doc(
                    "platform_project_code",
                    "投资在线审批监管平台项目代码",
                    "Project code from the online investment approval platform",
                )
            ]
        },
    ),
    Row(
        "hongshan.review.online_platform",
        "第十一条",
        {**CONSTRUCTION, "is_secret": True, "documents": []},
        "not_applicable",
        note="涉及国家秘密项目除外",
    ),
    # ------------------------------------------------------------ 第十二条 approval track and documents
    Row("hongshan.approval.track", "第十二条", {**OM}, "info", {"track": "om_direct"}),
    Row(
        "hongshan.approval.track",
        "第十二条",
        {**CONSTRUCTION, "total_investment_wan": 60},
        "info",
        {"track": "fsr_and_design", "stages": ["fsr", "preliminary_design"]},
    ),
    Row(
        "hongshan.approval.track",
        "第十二条",
        {**SERVICE, "total_investment_wan": 59.99},
        "info",
        {"track": "implementation_plan", "stages": ["implementation_plan"]},
    ),
    Row(
        "hongshan.approval.track",
        "第十二条",
        {**CONSTRUCTION, **EMERGENCY, "total_investment_wan": 500},
        "info",
        {"track": "emergency_plan", "stages": ["implementation_plan"]},
    ),
    Row(
        "hongshan.approval.track",
        "第十二条",
        {**CONSTRUCTION, "is_urgent": True, "preparatory_work_adequate": False, "total_investment_wan": 500},
        "info",
        {"track": "fsr_and_design"},
        note="前期工作未达到要求",
    ),
    Row(
        "hongshan.approval.track",
        "第十二条",
        {**CONSTRUCTION, "simplified_approval_eligible": True, "total_investment_wan": 500},
        "info",
        {"track": "simplified"},
    ),
    Row(
        "hongshan.approval.track",
        "第十二条",
        {**CONSTRUCTION},
        "unknown",
        {"missing_facts": ["total_investment_wan"]},
    ),
    Row(
        "hongshan.approval.documents_60_plus",
        "第十二条",
        {**CONSTRUCTION, "total_investment_wan": 60, "documents": ["fsr", "preliminary_design"]},
        "pass",
    ),
    Row(
        "hongshan.approval.documents_60_plus",
        "第十二条",
        {**CONSTRUCTION, "total_investment_wan": 60, "documents": ["fsr"]},
        "fail",
        {"missing": [PRELIMINARY_DESIGN]},
    ),
    Row(
        "hongshan.approval.documents_60_plus",
        "第十二条",
        {**SERVICE, "total_investment_wan": 200, "documents": ["implementation_plan"]},
        "fail",
        {"missing": [FSR, PRELIMINARY_DESIGN]},
        note="a 3-in-1 plan is not enough for a normal project of 60 or more",
    ),
    Row(
        "hongshan.approval.documents_60_plus",
        "第十二条",
        {**CONSTRUCTION, **EMERGENCY, "total_investment_wan": 200, "documents": ["implementation_plan"]},
        "not_applicable",
        note="第十条 project is on the emergency track: hongshan.approval.documents_emergency governs",
    ),
    Row(
        "hongshan.approval.documents_60_plus",
        "第十二条",
        {**CONSTRUCTION, "total_investment_wan": 59.99, "documents": []},
        "not_applicable",
    ),
    Row(
        "hongshan.approval.documents_below_60",
        "第十二条",
        {**CONSTRUCTION, "total_investment_wan": 59.99, "documents": ["implementation_plan"]},
        "pass",
    ),
    Row(
        "hongshan.approval.documents_below_60",
        "第十二条",
        {**SERVICE, "total_investment_wan": 59.99, "documents": ["fsr"]},
        "fail",
        {"missing": [IMPLEMENTATION_PLAN]},
    ),
    Row(
        "hongshan.approval.documents_below_60",
        "第十二条",
        {**CONSTRUCTION, "total_investment_wan": 60, "documents": []},
        "not_applicable",
    ),
    Row(
        "hongshan.approval.documents_below_60",
        "第十二条",
        {**CONSTRUCTION, "simplified_approval_eligible": True, "total_investment_wan": 30, "documents": []},
        "not_applicable",
        note="第十二条（四） simplified",
    ),
    Row(
        "hongshan.approval.documents_emergency",
        "第十二条",
        {**CONSTRUCTION, **EMERGENCY, "total_investment_wan": 500, "documents": ["implementation_plan"]},
        "pass",
    ),
    Row(
        "hongshan.approval.documents_emergency",
        "第十二条",
        {
            **CONSTRUCTION,
            **EMERGENCY,
            "total_investment_wan": 500,
            "documents": ["fsr", "preliminary_design"],
        },
        "pass",
        note="可以: the usual documents also do",
    ),
    Row(
        "hongshan.approval.documents_emergency",
        "第十二条",
        {**CONSTRUCTION, **EMERGENCY, "total_investment_wan": 500, "documents": ["fsr"]},
        "fail",
        {"missing": [IMPLEMENTATION_PLAN]},
    ),
    Row(
        "hongshan.approval.documents_emergency",
        "第十二条",
        {**CONSTRUCTION, "is_urgent": True, "preparatory_work_adequate": False, "documents": []},
        "not_applicable",
    ),
    # ------------------------------------------------------------ 第十三条 – 第十六条
    Row(
        "hongshan.approval.special_reviews",
        "第十三条",
        {"has_civil_works": True, "high_energy_use": False},
        "required",
    ),
    Row(
        "hongshan.approval.special_reviews",
        "第十三条",
        {"has_civil_works": False, "high_energy_use": True},
        "required",
    ),
    Row(
        "hongshan.approval.special_reviews",
        "第十三条",
        {"has_civil_works": False, "high_energy_use": False},
        "pass",
    ),
    Row("hongshan.approval.required_chapters", "第十四条", {**CONSTRUCTION, "documents": CHAPTERS}, "pass"),
    Row(
        "hongshan.approval.required_chapters",
        "第十四条",
        {**SERVICE, "documents": ["fiscal_funds_chapter"]},
        "fail",
        {
            "missing": [
                doc(
                    "data_sharing_chapter",
                    "数据资源共享分析篇（章）",
                    "Data resource sharing analysis chapter",
                ),
                doc(
                    "security_measures_chapter",
                    "网络和数据安全保障措施",
                    "Network and data security measures",
                ),
            ]
        },
    ),
    Row("hongshan.approval.required_chapters", "第十四条", {**OM, "documents": []}, "not_applicable"),
    Row(
        "hongshan.approval.data_resource_catalogue",
        "第十四条",
        {**CONSTRUCTION, "documents": ["data_resource_catalogue"]},
        "pass",
    ),
    Row(
        "hongshan.approval.data_resource_catalogue",
        "第十四条",
        {**CONSTRUCTION, "documents": CHAPTERS},
        "fail",
        {"missing": [doc("data_resource_catalogue", "数据资源目录", "Data resource catalogue")]},
    ),
    Row(
        "hongshan.approval.cross_department_framework",
        "第十五条",
        {"is_cross_department": True, "documents": ["framework_plan"]},
        "pass",
    ),
    Row(
        "hongshan.approval.cross_department_framework",
        "第十五条",
        {"is_cross_department": True, "documents": []},
        "fail",
        {
            "missing": [
                doc("framework_plan", "跨部门工程统一框架方案", "Unified cross-department framework plan")
            ]
        },
    ),
    Row(
        "hongshan.approval.cross_department_framework",
        "第十五条",
        {"is_cross_department": False},
        "not_applicable",
    ),
    Row(
        "hongshan.approval.other_channel_filing",
        "第十六条",
        {"approved_outside_data_bureau": True, "documents": FILING_DOCS},
        "pass",
    ),
    Row(
        "hongshan.approval.other_channel_filing",
        "第十六条",
        {"approved_outside_data_bureau": True, "documents": FILING_DOCS[:3]},
        "fail",
        {
            "missing": [
                doc("crypto_application_plan", "密码应用方案", "Crypto application plan"),
                doc(
                    "crypto_assessment_report",
                    "密码应用安全性评估报告",
                    "Crypto application security assessment report",
                ),
            ]
        },
    ),
    Row(
        "hongshan.approval.other_channel_filing",
        "第十六条",
        {"approved_outside_data_bureau": False},
        "not_applicable",
    ),
    # 第十四条 不得将应当普遍共享的数据仅向特定企业、社会组织开放
    Row(
        "hongshan.approval.no_exclusive_opening",
        "第十四条",
        {"data_opened_to_specific_parties": True},
        "fail",
    ),
    Row(
        "hongshan.approval.no_exclusive_opening",
        "第十四条",
        {"data_opened_to_specific_parties": False},
        "pass",
    ),
    # 第十八条 充分依托电子政务网络、政务云……开展集约化建设
    Row("hongshan.construction.gov_cloud", "第十八条", {"deployed_on_gov_cloud": False}, "required"),
    Row("hongshan.construction.gov_cloud", "第十八条", {"deployed_on_gov_cloud": True}, "pass"),
    Row("hongshan.construction.gov_cloud", "第十八条", {**OM, "deployed_on_gov_cloud": False}, "required"),
    # ------------------------------------------------------------ 第十七条 – 第二十二条 construction
    Row(
        "hongshan.construction.implementation_body",
        "第十七条",
        {"implementation_body_assigned": True},
        "pass",
    ),
    Row(
        "hongshan.construction.implementation_body",
        "第十七条",
        {"implementation_body_assigned": False},
        "fail",
    ),
    Row(
        "hongshan.construction.supervision", "第十七条", {**CONSTRUCTION, "supervisor_engaged": True}, "pass"
    ),
    Row(
        "hongshan.construction.supervision",
        "第十七条",
        {**CONSTRUCTION, "supervisor_engaged": False},
        "required",
    ),
    Row(
        "hongshan.construction.supervision", "第十七条", {**OM, "supervisor_engaged": False}, "not_applicable"
    ),
    Row("hongshan.construction.crypto", "第十九条", {"crypto_compliant": True}, "pass"),
    Row("hongshan.construction.crypto", "第十九条", {"crypto_compliant": False}, "fail"),
    Row(
        "hongshan.construction.safe_reliable_products", "第二十条", {"uses_xinchuang_products": True}, "pass"
    ),
    Row(
        "hongshan.construction.safe_reliable_products", "第二十条", {"uses_xinchuang_products": False}, "fail"
    ),
    Row(
        "hongshan.approval.safe_reliable_statement",
        "第二十条",
        {**CONSTRUCTION, "documents": ["safe_reliable_statement"]},
        "pass",
    ),
    Row(
        "hongshan.approval.safe_reliable_statement",
        "第二十条",
        {**SERVICE, "documents": []},
        "fail",
        {
            "missing": [
                doc(
                    "safe_reliable_statement",
                    "软硬件产品安全可靠情况说明",
                    "Statement on the security and reliability of products",
                )
            ]
        },
    ),
    Row(
        "hongshan.construction.serious_issue_report",
        "第二十一条",
        {"serious_delay_or_loss": True, "documents": ["serious_issue_report"]},
        "pass",
    ),
    Row(
        "hongshan.construction.serious_issue_report",
        "第二十一条",
        {"serious_delay_or_loss": True, "documents": []},
        "fail",
        {
            "missing": [
                doc(
                    "serious_issue_report",
                    "工程严重逾期、投资重大损失或项目重大变更情况报告",
                    "Report on serious delay, major loss or major change",
                )
            ]
        },
    ),
    Row(
        "hongshan.construction.serious_issue_report",
        "第二十一条",
        {"serious_delay_or_loss": False},
        "not_applicable",
    ),
    Row("hongshan.construction.surplus_return", "第二十二条", {"surplus_wan": 0}, "pass"),
    Row(
        "hongshan.construction.surplus_return",
        "第二十二条",
        {"surplus_wan": 0.01},
        "required",
        {"value": "0.01"},
    ),
    # ------------------------------------------------------------ 第二十三条 change
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        CHANGE_OK,
        "pass",
        {"route": "unit_adjusts_and_files", "ratio_percent": "15", "max_percent": "15"},
        note="exactly 15%",
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "adjustment_wan": -150},
        "pass",
        {"route": "unit_adjusts_and_files"},
        note="a reduction counts by its size",
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "adjustment_wan": 150.1},
        "required",
        {"route": "follow_procedures", "ratio_percent": "15.01", "beyond_because": ["ratio"]},
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "change_reason": "higher_order"},
        "pass",
        note="情形（一）",
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "change_reason": "business_need"},
        "pass",
        note="情形（三）",
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "change_reason": "other"},
        "required",
        {"beyond_because": ["reason_not_allowed"]},
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "goal_changed": True},
        "required",
        {"beyond_because": ["goal_changed"]},
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "within_estimate": False},
        "required",
        {"beyond_because": ["beyond_estimate"]},
    ),
    Row(
        "hongshan.change.tolerance",
        "第二十三条",
        {**CHANGE_OK, "adjustment_wan": 120, "tender_savings_wan": 100},
        "pass",
        {"ratio_percent": "12"},
        note="tender savings are not deducted by this measure",
    ),
    Row(
        "hongshan.change.filing",
        "第二十三条",
        {"adjustment_wan": 100, "documents": ["change_filing"]},
        "pass",
    ),
    Row(
        "hongshan.change.filing",
        "第二十三条",
        {"adjustment_wan": 100, "documents": []},
        "fail",
        {"missing": [doc("change_filing", "项目调整备案材料", "Change filing record")]},
    ),
    Row("hongshan.change.filing", "第二十三条", {"adjustment_wan": 0}, "not_applicable"),
    # ------------------------------------------------------------ 第二十四条 free O&M ≥ 1 year
    Row("hongshan.construction.free_om_period", "第二十四条", {**CONSTRUCTION, "free_om_years": 1}, "pass"),
    Row(
        "hongshan.construction.free_om_period",
        "第二十四条",
        {**CONSTRUCTION, "free_om_years": 0.99},
        "fail",
        {"threshold": "1"},
    ),
    Row(
        "hongshan.construction.free_om_period",
        "第二十四条",
        {**SERVICE, "free_om_years": 0.5},
        "not_applicable",
    ),
    # ------------------------------------------------------------ 第二十七条 security
    Row("hongshan.construction.security_protection", "第二十七条", {"security_compliant": True}, "pass"),
    Row("hongshan.construction.security_protection", "第二十七条", {"security_compliant": False}, "fail"),
    # ------------------------------------------------------------ 第二十八条 acceptance within 6 months
    # trial run stable 2025-08-31 + 6 months = 2026-02-28 (February has no 31st).
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31", "acceptance_filing_date": "2026-02-28"},
        "pass",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31", "acceptance_filing_date": "2026-03-01"},
        "fail",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {"trial_run_stable_date": "2026-06-15"},
        "required",
        {"due_date": "2026-12-15", "days_left": 23},
    ),
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31"},
        "fail",
        {"due_date": "2026-02-28"},
        note="overdue",
    ),
    # A delay applied for in time and approved moves the due date to the approved one.
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {
            "trial_run_stable_date": "2025-08-31",
            "acceptance_delay_applied_date": "2026-02-27",
            "acceptance_delay_new_due_date": "2026-05-31",
            "acceptance_filing_date": "2026-05-31",
        },
        "pass",
        {"due_date": "2026-05-31", "original_due_date": "2026-02-28", "extension": "granted"},
        note="filed by the approved date",
    ),
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {
            "trial_run_stable_date": "2025-08-31",
            "acceptance_delay_applied_date": "2026-02-27",
            "acceptance_delay_new_due_date": "2026-05-31",
        },
        "required",
        {"due_date": "2026-05-31"},
        as_of=dt.date(2026, 4, 1),
        note="not yet filed, within the approved delay",
    ),
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {
            "trial_run_stable_date": "2025-08-31",
            "acceptance_delay_applied_date": "2026-02-27",
            "acceptance_delay_new_due_date": "2026-05-31",
            "acceptance_filing_date": "2026-06-01",
        },
        "fail",
        {"due_date": "2026-05-31"},
        note="late even for the approved date",
    ),
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {
            "trial_run_stable_date": "2025-08-31",
            "acceptance_delay_applied_date": "2026-03-01",
            "acceptance_delay_new_due_date": "2026-05-31",
            "acceptance_filing_date": "2026-05-20",
        },
        "fail",
        {"due_date": "2026-02-28", "extension": "applied_late"},
        note="applied after the six months: the original date stands",
    ),
    Row(
        "hongshan.acceptance.filing_deadline",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31", "acceptance_delay_applied_date": "2026-02-27"},
        "unknown",
        {"missing_facts": ["acceptance_delay_new_due_date"]},
        as_of=dt.date(2026, 3, 10),
        note="applied in time, not decided yet: not overdue",
    ),
    Row(
        "hongshan.acceptance.delay_application",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31", "acceptance_delay_applied_date": "2026-02-27"},
        "pass",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "hongshan.acceptance.delay_application",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31", "acceptance_delay_applied_date": "2026-03-02"},
        "fail",
        {"due_date": "2026-02-28"},
    ),
    Row(
        "hongshan.acceptance.delay_application",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31"},
        "required",
        {"due_date": "2026-02-28"},
        as_of=dt.date(2026, 1, 10),
    ),
    Row(
        "hongshan.acceptance.delay_application",
        "第二十八条",
        {"trial_run_stable_date": "2025-08-31", "acceptance_filing_date": "2026-02-20"},
        "not_applicable",
    ),
    Row(
        "hongshan.acceptance.documents",
        "第二十八条",
        {
            **CONSTRUCTION,
            "is_secret": False,
            "has_custom_software": True,
            "documents": [*ACCEPTANCE_DOCS, "protection_test_report", "software_test_report"],
        },
        "pass",
    ),
    Row(
        "hongshan.acceptance.documents",
        "第二十八条",
        {
            **SERVICE,
            "is_secret": False,
            "has_custom_software": False,
            "documents": [*ACCEPTANCE_DOCS, "protection_test_report"],
        },
        "pass",
        note="no custom software: no software test report",
    ),
    Row(
        "hongshan.acceptance.documents",
        "第二十八条",
        {
            **CONSTRUCTION,
            "is_secret": False,
            "has_custom_software": True,
            "documents": [*ACCEPTANCE_DOCS, "protection_test_report"],
        },
        "fail",
        {
            "missing": [
                doc(
                    "software_test_report",
                    "软件测试报告（定制开发类软件）",
                    "Software test report (custom software)",
                )
            ]
        },
    ),
    Row(
        "hongshan.acceptance.documents",
        "第二十八条",
        {
            **CONSTRUCTION,
            "is_secret": True,
            "has_custom_software": False,
            "documents": [*ACCEPTANCE_DOCS, "protection_test_report"],
        },
        "fail",
        {
            "missing": [
                doc(
                    "secret_evaluation_certificate",
                    "涉密信息系统测评审查合格证",
                    "Secret-system evaluation and review certificate",
                )
            ]
        },
    ),
    Row(
        "hongshan.acceptance.documents",
        "第二十八条",
        {
            **CONSTRUCTION,
            "is_secret": False,
            "has_custom_software": False,
            "documents": [
                d
                for d in ACCEPTANCE_DOCS
                if d not in ("performance_stress_test_report", "data_sharing_confirmation")
            ],
        },
        "fail",
        {
            "missing": [
                doc(
                    "protection_test_report",
                    "非涉密信息系统网络安全等级保护测评报告",
                    "Classified-protection test report (non-secret system)",
                ),
                doc(
                    "performance_stress_test_report", "性能压力测试报告", "Performance and stress test report"
                ),
                doc("data_sharing_confirmation", "数据共享情况确认书", "Data-sharing confirmation"),
            ]
        },
    ),
    Row("hongshan.acceptance.documents", "第二十八条", {**OM, "documents": []}, "not_applicable"),
    # ------------------------------------------------------------ 第二十九条 secret systems
    Row(
        "hongshan.acceptance.secret_system_review",
        "第二十九条",
        {"is_secret": True, "documents": ["secret_evaluation_certificate"]},
        "pass",
    ),
    Row(
        "hongshan.acceptance.secret_system_review", "第二十九条", {"is_secret": True, "documents": []}, "fail"
    ),
    Row("hongshan.acceptance.secret_system_review", "第二十九条", {"is_secret": False}, "not_applicable"),
    # ------------------------------------------------------------ 第三十条 yearly report by 12-31
    Row(
        "hongshan.evaluation.annual_self_report",
        "第三十条",
        {**BUILDING, "progress_report_date": "2026-12-31"},
        "pass",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "hongshan.evaluation.annual_self_report",
        "第三十条",
        BUILDING,
        "fail",
        {"due_date": "2026-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="2026 report missed: overdue after year end",
    ),
    Row(
        "hongshan.evaluation.annual_self_report",
        "第三十条",
        {**BUILDING, "progress_report_date": "2027-01-04"},
        "pass",
        {"due_date": "2027-12-31"},
        as_of=dt.date(2027, 1, 5),
        note="a report since the last year end counts for the year it was filed in",
    ),
    Row(
        "hongshan.evaluation.annual_self_report", "第三十条", BUILDING, "required", {"due_date": "2026-12-31"}
    ),
    Row(
        "hongshan.evaluation.annual_self_report",
        "第三十条",
        {**BUILDING, "acceptance_date": "2026-10-30"},
        "not_applicable",
        note="construction period over",
    ),
    Row("hongshan.evaluation.annual_self_report", "第三十条", {}, "not_applicable", note="not started"),
    Row(
        "hongshan.evaluation.report_contents",
        "第三十条",
        {**CONSTRUCTION, "documents": ["perf_progress_investment"]},
        "pass",
    ),
    Row(
        "hongshan.evaluation.report_contents",
        "第三十条",
        {**CONSTRUCTION, "trial_run_start": "2026-06-01", "documents": ["perf_progress_investment"]},
        "required",
        {
            "missing": [
                doc(
                    "perf_trial_run_effect",
                    "绩效自评报告：试运行效果及遇到的问题",
                    "Performance report: trial-run effect and problems met",
                )
            ]
        },
    ),
    Row(
        "hongshan.evaluation.report_contents",
        "第三十条",
        {**SERVICE, "documents": ["perf_service_summary"]},
        "pass",
    ),
    Row(
        "hongshan.evaluation.report_contents",
        "第三十条",
        {**OM, "documents": []},
        "required",
        {
            "missing": [
                doc(
                    "perf_om_summary",
                    "绩效自评报告：运维总结和运维质量评价",
                    "Performance report: O&M summary and O&M quality evaluation",
                )
            ]
        },
    ),
    # ------------------------------------------------------------ 第三十一条 12–24 months after acceptance
    Row(
        "hongshan.evaluation.self_evaluation",
        "第三十一条",
        {"acceptance_date": "2025-03-31", "self_evaluation_date": "2026-03-31"},
        "pass",
        {"opens_on": "2026-03-31", "closes_on": "2027-03-31"},
    ),
    Row(
        "hongshan.evaluation.self_evaluation",
        "第三十一条",
        {"acceptance_date": "2025-03-31", "self_evaluation_date": "2027-03-31"},
        "pass",
        note="last day",
    ),
    Row(
        "hongshan.evaluation.self_evaluation",
        "第三十一条",
        {"acceptance_date": "2025-03-31", "self_evaluation_date": "2026-03-30"},
        "fail",
        note="before 12 months",
    ),
    Row(
        "hongshan.evaluation.self_evaluation",
        "第三十一条",
        {"acceptance_date": "2025-03-31", "self_evaluation_date": "2027-04-01"},
        "fail",
        note="after 24 months",
    ),
    Row(
        "hongshan.evaluation.self_evaluation",
        "第三十一条",
        {"acceptance_date": "2025-03-31"},
        "info",
        {"opens_on": "2026-03-31"},
        as_of=dt.date(2026, 3, 30),
        note="before the window",
    ),
    Row(
        "hongshan.evaluation.self_evaluation",
        "第三十一条",
        {"acceptance_date": "2025-03-31"},
        "required",
        {"closes_on": "2027-03-31"},
        note="inside the window",
    ),
    Row(
        "hongshan.evaluation.self_evaluation",
        "第三十一条",
        {"acceptance_date": "2024-02-29"},
        "fail",
        {"opens_on": "2025-02-28", "closes_on": "2026-02-28"},
        note="window closed; leap-day anchor",
    ),
    # ------------------------------------------------------------ 第三十二条
    Row("hongshan.evaluation.results_use", "第三十二条", {"performance_rating": "poor"}, "required"),
    Row("hongshan.evaluation.results_use", "第三十二条", {"performance_rating": "good"}, "pass"),
    # ------------------------------------------------------------ 第三十五条 O&M funds withheld
    Row(
        "hongshan.om_funding.data_sharing",
        "第三十五条",
        {**OM, "shares_data": True, "duplicates_data_collection": False},
        "pass",
    ),
    Row(
        "hongshan.om_funding.data_sharing",
        "第三十五条",
        {**OM, "shares_data": False, "duplicates_data_collection": False},
        "fail",
    ),
    Row(
        "hongshan.om_funding.data_sharing",
        "第三十五条",
        {**OM, "shares_data": True, "duplicates_data_collection": True},
        "fail",
    ),
    Row(
        "hongshan.om_funding.data_sharing",
        "第三十五条",
        {**SMALL_UPGRADE, "shares_data": False},
        "fail",
        note="a small upgrade is funded as O&M",
    ),
    Row(
        "hongshan.om_funding.data_sharing",
        "第三十五条",
        NEW_BUILD_AT_PLAN,
        "not_applicable",
        note="a new build asks for no O&M funds when it is planned",
    ),
    Row("hongshan.om_funding.platform_access", "第三十五条", NEW_BUILD_AT_PLAN, "not_applicable"),
    Row("hongshan.om_funding.crypto_security", "第三十五条", NEW_BUILD_AT_PLAN, "not_applicable"),
    Row("hongshan.om_funding.zombie_system", "第三十五条", NEW_BUILD_AT_PLAN, "not_applicable"),
    Row("hongshan.om_funding.platform_access", "第三十五条", PLATFORMS_OK, "pass"),
    Row(
        "hongshan.om_funding.platform_access",
        "第三十五条",
        {**PLATFORMS_OK, "on_integrated_service_platform": False},
        "fail",
    ),
    Row(
        "hongshan.om_funding.platform_access",
        "第三十五条",
        {
            **PLATFORMS_OK,
            "is_public_service": False,
            "is_office_system": True,
            "on_unified_office_platform": False,
        },
        "fail",
    ),
    Row(
        "hongshan.om_funding.platform_access",
        "第三十五条",
        {
            **PLATFORMS_OK,
            "is_public_service": False,
            "is_office_system": True,
            "is_secret": True,
            "on_unified_office_platform": False,
        },
        "pass",
        note="secret office systems are exempt",
    ),
    Row("hongshan.om_funding.crypto_security", "第三十五条", SECURITY_OK, "pass"),
    Row(
        "hongshan.om_funding.crypto_security",
        "第三十五条",
        {**SECURITY_OK, "crypto_compliant": False},
        "fail",
    ),
    Row(
        "hongshan.om_funding.crypto_security",
        "第三十五条",
        {**SECURITY_OK, "security_compliant": False},
        "fail",
    ),
    Row(
        "hongshan.om_funding.crypto_security",
        "第三十五条",
        {**SECURITY_OK, "major_security_hazard": True},
        "fail",
    ),
    Row(
        "hongshan.om_funding.crypto_security",
        "第三十五条",
        {**SECURITY_OK, "is_new_build": False, "crypto_compliant": False},
        "not_applicable",
    ),
    # 第八条 new O&M is funded once the free O&M period has ended
    Row(
        "hongshan.om_funding.free_period_running",
        "第八条",
        {**NEW_OM, "om_year_start_date": "2027-01-01", "free_om_end_date": "2027-05-31"},
        "fail",
    ),
    Row(
        "hongshan.om_funding.free_period_running",
        "第八条",
        {**NEW_OM, "om_year_start_date": "2028-01-01", "free_om_end_date": "2027-05-31"},
        "pass",
    ),
    Row(
        "hongshan.om_funding.free_period_running",
        "第八条",
        {**CONTINUING_OM, "om_year_start_date": "2027-01-01", "free_om_end_date": "2027-05-31"},
        "not_applicable",
        note="a continuation is past the free period",
    ),
    Row(
        "hongshan.om_funding.free_period_running",
        "第八条",
        {
            **SERVICE,
            "om_is_continuation": False,
            "om_year_start_date": "2027-01-01",
            "free_om_end_date": "2027-05-31",
        },
        "not_applicable",
        note="not an O&M-service project",
    ),
    Row("hongshan.om_funding.zombie_system", "第三十五条", {**OM, "is_zombie": False}, "pass"),
    Row("hongshan.om_funding.zombie_system", "第三十五条", {**OM, "is_zombie": True}, "fail"),
    # ------------------------------------------------------------ 第三十七条 rectification
    Row("hongshan.construction.rectification", "第三十七条", {}, "not_applicable", note="none ordered"),
    Row("hongshan.change.tolerance", "第二十三条", {}, "not_applicable", note="no change proposed"),
    Row(
        "hongshan.construction.rectification",
        "第三十七条",
        {"rectification_due_date": "2026-10-31", "rectification_done_date": "2026-10-31"},
        "pass",
        {"due_date": "2026-10-31"},
    ),
    Row(
        "hongshan.construction.rectification",
        "第三十七条",
        {"rectification_due_date": "2026-10-31", "rectification_done_date": "2026-11-01"},
        "fail",
    ),
    Row(
        "hongshan.construction.rectification",
        "第三十七条",
        {"rectification_due_date": "2026-10-31"},
        "required",
        as_of=dt.date(2026, 10, 15),
    ),
    Row(
        "hongshan.construction.rectification", "第三十七条", {"rectification_due_date": "2026-10-31"}, "fail"
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_rule(row):
    check_row(CODE, row)


def test_every_rule_has_a_row():
    assert uncovered_rules(CODE, ROWS) == set()


def test_a_new_build_is_not_kept_out_of_the_plan_by_facts_of_its_later_o_and_m():
    """第三十五条 withholds O&M funds; planning a new build (年度计划) does not ask for them.

    Whether the system will share data, pass crypto review or become a zombie is not known before
    it is built, so those unknowns must not block `plan`; an O&M-service project is asked.
    """
    from jurisdictions.packfiles import shipped_pack
    from jurisdictions.rules import evaluate

    spec, _ = shipped_pack(CODE)
    verdicts = evaluate(spec, NEW_BUILD_AT_PLAN, as_of=dt.date(2026, 11, 22))
    assert [v.rule_id for v in verdicts if v.blocks_transition("plan")] == []
    om_verdicts = evaluate(spec, {**NEW_BUILD_AT_PLAN, **OM}, as_of=dt.date(2026, 11, 22))
    blocking = {v.rule_id for v in om_verdicts if v.blocks_transition("plan")}
    assert {"hongshan.om_funding.data_sharing", "hongshan.om_funding.zombie_system"} <= blocking


def test_a_timely_approved_delay_does_not_block_acceptance_for_ever():
    """第二十八条: filed by the approved date after a timely delay application: `accept` may run."""
    from jurisdictions.packfiles import shipped_pack
    from jurisdictions.rules import evaluate

    spec, _ = shipped_pack(CODE)
    facts = {
        "trial_run_stable_date": "2025-08-31",
        "acceptance_delay_applied_date": "2026-02-27",
        "acceptance_delay_new_due_date": "2026-05-31",
        "acceptance_filing_date": "2026-05-31",
    }
    verdicts = evaluate(spec, facts, as_of=dt.date(2026, 11, 22), phases=["acceptance"])
    blocking = {v.rule_id for v in verdicts if v.blocks_transition("accept")}
    assert not blocking & {"hongshan.acceptance.filing_deadline", "hongshan.acceptance.delay_application"}


def test_a_self_evaluation_window_not_yet_open_does_not_say_it_was_done():
    """第三十一条: before the 12 months are up the verdict says when it opens, not 已在规定期限内."""
    from jurisdictions.packfiles import shipped_pack
    from jurisdictions.rules import evaluate

    spec, _ = shipped_pack(CODE)
    (verdict,) = evaluate(
        spec,
        {"acceptance_date": "2025-03-31"},
        as_of=dt.date(2026, 3, 30),
        rule_ids=["hongshan.evaluation.self_evaluation"],
    )
    assert verdict.outcome.value == "info"
    assert "已在规定期限内" not in verdict.message.zh
    assert "2026-03-31" in verdict.message.zh and "2027-03-31" in verdict.message.zh
