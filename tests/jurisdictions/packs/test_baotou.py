"""Table test for the 包头市本级 pack (包府办发〔2024〕106号). Numbers are typed from the measure's text."""

import datetime as dt

import pytest

from tests.jurisdictions.packs.table import Row, check_row, uncovered_rules

CODE = "baotou"

# 第十条 items, typed from the measure: (code, clause, text).
NEGATIVE = [
    ("bt_new_infrastructure", "（一）", "含有新建机房、网络、云平台等政务信息化基础设施的项目"),
    ("bt_no_sector_permission", "（二）", "未获得市本级行业（业务）主管部门准许的项目"),
    ("bt_not_on_gov_cloud", "（三）", "未部署或迁移到政务云的新建或升级改造项目"),
    ("bt_system_out_of_touch", "（四）", "在用系统功能与实际业务脱节，或已停止更新服务的升级改造项目"),
    ("bt_replaceable", "（五）", "功能可被其他一个或多个已有项目替代的项目"),
    ("bt_idle_system", "（六）", "在用系统长期处于空闲状态，且使用频率低的升级改造项目"),
    ("bt_unclear_needs", "（七）", "需求不清、绩效目标不明、应当共享数据资源不共享的项目"),
]
# 第九条 conditions, encoded as "not met" questions.
CONDITIONS = [
    ("bt_cond_not_digital_gov_plan", "（一）", "不符合国家、自治区和包头市数字政府建设总体要求"),
    ("bt_cond_needs_tech_security", "（二）", "需求不明确、技术不先进、功能不实用或不安全可靠"),
    ("bt_cond_sharing_intensive", "（三）", "不符合数据共享、业务协同和集约建设要求"),
]


def answers(items, hit=None):
    return {code: code == hit for code, _, _ in items}


def hit_rows(rule_id, article, items):
    rows = []
    for code, clause, text in items:
        rows.append(
            Row(
                rule_id,
                article,
                {"negative_list_answers": answers(items, code)},
                "fail",
                {
                    "hits": [
                        {
                            "code": code,
                            "clause": clause,
                            "name_zh": clause + text,
                            "name_en": f"{clause} {HIT_EN[code]}",
                        }
                    ]
                },
                note=f"hit {clause}",
            )
        )
    return rows


# The pack's English item texts; the verdict shows them as "<clause> <text>".
HIT_EN = {
    "bt_new_infrastructure": "Includes new machine rooms, networks, cloud platforms or other "
    "informatization infrastructure",
    "bt_no_sector_permission": "Not permitted by the municipal sector (business) authority",
    "bt_not_on_gov_cloud": "New or upgrade project not deployed on or migrated to the government cloud",
    "bt_system_out_of_touch": "Upgrade of a system out of touch with actual business, or whose update "
    "service has stopped",
    "bt_replaceable": "Functions can be replaced by one or more existing projects",
    "bt_idle_system": "Upgrade of a system that has long been idle and is rarely used",
    "bt_unclear_needs": "Unclear needs, unclear performance goals, or data that should be shared "
    "is not shared",
    "bt_cond_not_digital_gov_plan": "Does not meet the national, regional and Baotou overall "
    "requirements for digital government",
    "bt_cond_needs_tech_security": "Needs unclear, technology not advanced, functions not practical, "
    "or not secure and reliable",
    "bt_cond_sharing_intensive": "Does not meet the data-sharing, business-collaboration and "
    "intensive-build requirements",
}


def doc(code, zh, en):
    return {"code": code, "name_zh": zh, "name_en": en}


PROPOSAL = doc("proposal", "项目建议书", "Project proposal")
FSR = doc("fsr", "可行性研究报告", "Feasibility study report")
DESIGN = doc("preliminary_design", "初步设计", "Preliminary design")
ESTIMATE = doc("investment_estimate", "投资概算", "Investment estimate")
EXPERT = doc("expert_review_opinion", "行业专家或第三方机构评审意见", "Expert or third-party review opinion")
FILING = doc("filing_record", "备案材料", "Filing record")
CHANGE_FILING = doc("change_filing", "项目调整备案材料", "Change filing record")

# 第二十一条: a change inside every limit, to vary one fact at a time.
CHANGE = {
    "approved_estimate_wan": 1000,
    "adjustment_wan": 100,
    "new_content_wan": 0,
    "goal_changed": False,
    "within_estimate": True,
    "change_reason": "technical_optimisation",
}
WITHIN = "unit_adjusts_and_files"
BEYOND = "follow_approval_procedures"

ROWS = [
    # 第二条 scope
    Row("baotou.scope.non_secret", "第二条", {"is_secret": True}, "not_applicable", note="secret project"),
    Row("baotou.scope.non_secret", "第二条", {"is_secret": False}, "pass"),
    Row("baotou.scope.non_secret", "第二条", {}, "unknown", {"missing_facts": ["is_secret"]}),
    # 第六条 who declares
    Row(
        "baotou.intake.declarer",
        "第六条",
        {"category": "public_infrastructure", "declarer_role": "data_bureau"},
        "pass",
    ),
    Row(
        "baotou.intake.declarer",
        "第六条",
        {"category": "public_infrastructure", "declarer_role": "department"},
        "fail",
    ),
    Row("baotou.intake.declarer", "第六条", {"category": "business", "declarer_role": "department"}, "pass"),
    Row("baotou.intake.declarer", "第六条", {"category": "business", "declarer_role": "other"}, "fail"),
    Row(
        "baotou.intake.declarer",
        "第六条",
        {"category": "cross_department", "declarer_role": "lead_department"},
        "pass",
    ),
    Row(
        "baotou.intake.declarer",
        "第六条",
        {"category": "cross_department", "declarer_role": "department"},
        "fail",
    ),
    Row(
        "baotou.intake.declarer",
        "第六条",
        {"declarer_role": "department"},
        "unknown",
        note="category not given",
    ),
    # 第五条 project library
    Row(
        "baotou.intake.project_library",
        "第五条",
        {"funding_source": "fiscal", "in_project_library": False},
        "fail",
    ),
    Row(
        "baotou.intake.project_library",
        "第五条",
        {"funding_source": "fiscal", "in_project_library": True},
        "pass",
    ),
    Row(
        "baotou.intake.project_library",
        "第五条",
        {"funding_source": "special_fund", "in_project_library": False},
        "not_applicable",
        note="filed project (第十二条)",
    ),
    # 第八条 annual plan, no build before approval
    Row("baotou.intake.annual_plan", "第八条", {"funding_source": "fiscal", "in_annual_plan": False}, "fail"),
    Row("baotou.intake.annual_plan", "第八条", {"funding_source": "fiscal", "in_annual_plan": True}, "pass"),
    Row("baotou.intake.annual_plan", "第八条", {"funding_source": "self_raised"}, "not_applicable"),
    Row("baotou.intake.annual_plan", "第八条", {"funding_source": "fiscal"}, "unknown"),
    Row(
        "baotou.intake.no_build_before_approval",
        "第八条",
        {"funding_source": "fiscal"},
        "fail",
        note="not approved",
    ),
    Row(
        "baotou.intake.no_build_before_approval",
        "第八条",
        {"funding_source": "fiscal", "approval_date": "2025-05-20"},
        "pass",
        note="approved, not started",
    ),
    Row(
        "baotou.intake.no_build_before_approval",
        "第八条",
        {"funding_source": "fiscal", "approval_date": "2025-05-20", "construction_start_date": "2025-05-19"},
        "fail",
        note="未批先建: started the day before approval",
    ),
    Row(
        "baotou.intake.no_build_before_approval",
        "第八条",
        {"funding_source": "fiscal", "approval_date": "2025-05-20", "construction_start_date": "2025-05-20"},
        "pass",
        note="started on the approval day",
    ),
    Row(
        "baotou.intake.no_build_before_approval",
        "第八条",
        {"funding_source": "fiscal", "construction_start_date": "2025-05-20"},
        "fail",
        note="started, never approved",
    ),
    Row("baotou.intake.no_build_before_approval", "第八条", {"funding_source": "donated"}, "not_applicable"),
    # 第九条 conditions for declaring
    *hit_rows("baotou.intake.application_conditions", "第九条", CONDITIONS),
    Row(
        "baotou.intake.application_conditions",
        "第九条",
        {"negative_list_answers": answers(CONDITIONS)},
        "pass",
        {"hits": [], "unanswered": []},
    ),
    Row(
        "baotou.intake.application_conditions",
        "第九条",
        {"negative_list_answers": {"bt_cond_not_digital_gov_plan": False}},
        "required",
        {"unanswered": ["bt_cond_needs_tech_security", "bt_cond_sharing_intensive"]},
    ),
    # 第十条 negative list: a hit on each of the 7 items
    *hit_rows("baotou.intake.negative_list", "第十条", NEGATIVE),
    Row(
        "baotou.intake.negative_list",
        "第十条",
        {"negative_list_answers": answers(NEGATIVE)},
        "pass",
        {"hits": [], "unanswered": []},
        note="all seven answered no",
    ),
    Row(
        "baotou.intake.negative_list",
        "第十条",
        {"negative_list_answers": {code: False for code, _, _ in NEGATIVE[:6]}},
        "required",
        {"unanswered": ["bt_unclear_needs"]},
        note="（七） unanswered",
    ),
    Row(
        "baotou.intake.negative_list",
        "第十条",
        {
            "negative_list_answers": {
                **answers(NEGATIVE),
                "bt_new_infrastructure": True,
                "bt_idle_system": True,
            }
        },
        "fail",
        note="two hits",
    ),
    # 第十一条、第十二条 track
    Row("baotou.approval.track", "第十一条", {"funding_source": "special_fund"}, "info", {"track": "filing"}),
    Row("baotou.approval.track", "第十一条", {"funding_source": "donated"}, "info", {"track": "filing"}),
    Row("baotou.approval.track", "第十一条", {"funding_source": "self_raised"}, "info", {"track": "filing"}),
    Row(
        "baotou.approval.track",
        "第十一条",
        {"funding_source": "fiscal", "simplified_approval_eligible": True},
        "info",
        {"track": "simplified"},
    ),
    Row(
        "baotou.approval.track",
        "第十一条",
        {"funding_source": "fiscal"},
        "info",
        {"track": "standard", "stages": ["proposal", "fsr", "preliminary_design", "investment_estimate"]},
    ),
    Row(
        "baotou.approval.track",
        "第十一条",
        {"funding_source": "fiscal", "simplified_approval_eligible": False},
        "info",
        {"track": "standard"},
    ),
    Row("baotou.approval.track", "第十一条", {}, "unknown", {"missing_facts": ["funding_source"]}),
    # 第十一条 expert review
    Row(
        "baotou.review.expert_review",
        "第十一条",
        {"funding_source": "fiscal", "documents": ["expert_review_opinion"]},
        "pass",
    ),
    Row(
        "baotou.review.expert_review",
        "第十一条",
        {"funding_source": "fiscal", "documents": []},
        "fail",
        {"missing": [EXPERT]},
    ),
    Row("baotou.review.expert_review", "第十一条", {"funding_source": "donated"}, "not_applicable"),
    # 第十一条 standard documents
    Row(
        "baotou.approval.documents_standard",
        "第十一条",
        {
            "funding_source": "fiscal",
            "documents": ["proposal", "fsr", "preliminary_design", "investment_estimate"],
        },
        "pass",
    ),
    Row(
        "baotou.approval.documents_standard",
        "第十一条",
        {"funding_source": "fiscal", "documents": ["proposal", "preliminary_design"]},
        "fail",
        {"missing": [FSR, ESTIMATE]},
    ),
    Row(
        "baotou.approval.documents_standard",
        "第十一条",
        {"funding_source": "fiscal", "simplified_approval_eligible": False},
        "fail",
        {"missing": [PROPOSAL, FSR, DESIGN, ESTIMATE]},
    ),
    Row(
        "baotou.approval.documents_standard",
        "第十一条",
        {"funding_source": "fiscal", "simplified_approval_eligible": True},
        "not_applicable",
    ),
    Row(
        "baotou.approval.documents_standard", "第十一条", {"funding_source": "special_fund"}, "not_applicable"
    ),
    # 第十二条 filing
    Row(
        "baotou.approval.filing", "第十二条", {"funding_source": "self_raised"}, "fail", {"missing": [FILING]}
    ),
    Row(
        "baotou.approval.filing",
        "第十二条",
        {"funding_source": "special_fund", "documents": ["filing_record"]},
        "pass",
    ),
    Row("baotou.approval.filing", "第十二条", {"funding_source": "fiscal"}, "not_applicable"),
    # 第十三条 energy / siting / land / EIA
    Row(
        "baotou.approval.special_reviews",
        "第十三条",
        {"has_civil_works": True},
        "required",
        note="civil works",
    ),
    Row(
        "baotou.approval.special_reviews",
        "第十三条",
        {"has_civil_works": False, "high_energy_use": True},
        "required",
        note="high energy use",
    ),
    Row(
        "baotou.approval.special_reviews",
        "第十三条",
        {"has_civil_works": False, "high_energy_use": False},
        "pass",
    ),
    Row("baotou.approval.special_reviews", "第十三条", {"has_civil_works": False}, "unknown"),
    # 第十九条 supervision at 200万元 and above
    Row(
        "baotou.construction.supervision",
        "第十九条",
        {"total_investment_wan": 200},
        "required",
        {"threshold": "200", "met": True},
        note="exactly 200",
    ),
    Row(
        "baotou.construction.supervision",
        "第十九条",
        {"total_investment_wan": "199.99"},
        "pass",
        {"met": False},
    ),
    Row(
        "baotou.construction.supervisor_engaged",
        "第十九条",
        {"total_investment_wan": 200, "supervisor_engaged": False},
        "fail",
    ),
    Row(
        "baotou.construction.supervisor_engaged",
        "第十九条",
        {"total_investment_wan": 200, "supervisor_engaged": True},
        "pass",
    ),
    Row(
        "baotou.construction.supervisor_engaged",
        "第十九条",
        {"total_investment_wan": "199.99", "supervisor_engaged": False},
        "not_applicable",
    ),
    # 第十五条 cloud
    Row("baotou.construction.gov_cloud", "第十五条", {"deployed_on_gov_cloud": False}, "fail"),
    Row("baotou.construction.gov_cloud", "第十五条", {"deployed_on_gov_cloud": True}, "pass"),
    # 第十六条 确定项目实施机构和责任人
    Row(
        "baotou.construction.implementation_body", "第十六条", {"implementation_body_assigned": False}, "fail"
    ),
    Row(
        "baotou.construction.implementation_body", "第十六条", {"implementation_body_assigned": True}, "pass"
    ),
    Row(
        "baotou.construction.implementation_body",
        "第十六条",
        {},
        "unknown",
        {"missing_facts": ["implementation_body_assigned"]},
    ),
    # 第十七条、第十八条 security, crypto, 信创
    Row("baotou.construction.security_protection", "第十七条", {"security_compliant": False}, "fail"),
    Row("baotou.construction.security_protection", "第十七条", {"security_compliant": True}, "pass"),
    Row("baotou.construction.xinchuang", "第十七条", {"uses_xinchuang_products": False}, "fail"),
    Row("baotou.construction.xinchuang", "第十七条", {"uses_xinchuang_products": True}, "pass"),
    Row("baotou.construction.commercial_crypto", "第十八条", {"crypto_compliant": False}, "fail"),
    Row("baotou.construction.commercial_crypto", "第十八条", {"crypto_compliant": True}, "pass"),
    # 第二十五条 rectification by the deadline set by the supervising department
    Row(
        "baotou.construction.rectification",
        "第二十五条",
        {"rectification_due_date": "2026-06-30", "rectification_done_date": "2026-06-30"},
        "pass",
        {"due_date": "2026-06-30"},
        note="done on the due date",
    ),
    Row(
        "baotou.construction.rectification",
        "第二十五条",
        {"rectification_due_date": "2026-06-30", "rectification_done_date": "2026-07-01"},
        "fail",
        {"due_date": "2026-06-30"},
        note="one day late",
    ),
    Row(
        "baotou.construction.rectification",
        "第二十五条",
        {"rectification_due_date": "2026-06-30"},
        "required",
        {"due_date": "2026-06-30", "days_left": 15},
        as_of=dt.date(2026, 6, 15),
        note="open",
    ),
    Row(
        "baotou.construction.rectification",
        "第二十五条",
        {"rectification_due_date": "2026-06-30"},
        "fail",
        {"due_date": "2026-06-30"},
        note="overdue, not rectified",
    ),
    Row(
        "baotou.construction.rectification",
        "第二十五条",
        {},
        "not_applicable",
        note="no rectification ordered",
    ),
    Row("baotou.change.tolerance", "第二十一条", {}, "not_applicable", note="no change proposed"),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {"adjustment_wan": 0},
        "not_applicable",
        note="nothing changes",
    ),
    # 第二十一条 change: ≤15% of the estimate; new content ≤5% of the total and ≤200万元;
    # tender savings not counted
    Row("baotou.change.tolerance", "第二十一条", CHANGE, "pass", {"route": WITHIN, "ratio_percent": "10"}),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "adjustment_wan": 150},
        "pass",
        {"route": WITHIN, "ratio_percent": "15", "max_percent": "15"},
        note="exactly 15%",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "adjustment_wan": "150.1"},
        "required",
        {"route": BEYOND, "beyond_because": ["ratio"], "ratio_percent": "15.01"},
        note="15.01%",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "adjustment_wan": -150},
        "pass",
        {"route": WITHIN},
        note="a decrease of 15%",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "adjustment_wan": 200, "tender_savings_wan": 60},
        "pass",
        {"route": WITHIN, "adjustment_counted_wan": "140"},
        note="tender savings not counted",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "new_content_wan": 50},
        "pass",
        {"route": WITHIN},
        note="new content exactly 5%",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "new_content_wan": "50.01"},
        "required",
        {"route": BEYOND, "beyond_because": ["new_content_ratio"]},
        note="new content above 5%",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "approved_estimate_wan": 5000, "adjustment_wan": 500, "new_content_wan": 200},
        "pass",
        {"route": WITHIN},
        note="new content exactly 200万元 (4%)",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "approved_estimate_wan": 5000, "adjustment_wan": 500, "new_content_wan": "200.01"},
        "required",
        {"route": BEYOND, "beyond_because": ["new_content_amount"]},
        note="new content above 200万元",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "goal_changed": True},
        "required",
        {"beyond_because": ["goal_changed"]},
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "within_estimate": False},
        "required",
        {"beyond_because": ["beyond_estimate"]},
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "change_reason": "higher_order"},
        "pass",
        note="情形（一）",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "change_reason": "business_need"},
        "pass",
        note="情形（三）",
    ),
    Row(
        "baotou.change.tolerance",
        "第二十一条",
        {**CHANGE, "change_reason": "other"},
        "required",
        {"route": BEYOND, "beyond_because": ["reason_not_allowed"]},
    ),
    Row("baotou.change.filing", "第二十一条", {"adjustment_wan": 100}, "fail", {"missing": [CHANGE_FILING]}),
    Row(
        "baotou.change.filing", "第二十一条", {"adjustment_wan": 100, "documents": ["change_filing"]}, "pass"
    ),
    Row("baotou.change.filing", "第二十一条", {"adjustment_wan": 0}, "not_applicable"),
    # 第二十二条 pre-acceptance review
    Row("baotou.acceptance.pre_review", "第二十二条", {"pre_acceptance_passed": False}, "fail"),
    Row("baotou.acceptance.pre_review", "第二十二条", {"pre_acceptance_passed": True}, "pass"),
    # 第二十三条 self-evaluation one to two years after operation starts
    Row(
        "baotou.evaluation.self_evaluation",
        "第二十三条",
        {"operation_start_date": "2025-03-10"},
        "info",
        {"opens_on": "2026-03-10", "closes_on": "2027-03-10"},
        as_of=dt.date(2026, 3, 9),
        note="before the window",
    ),
    Row(
        "baotou.evaluation.self_evaluation",
        "第二十三条",
        {"operation_start_date": "2025-03-10"},
        "required",
        {"opens_on": "2026-03-10", "closes_on": "2027-03-10"},
        note="inside the window",
    ),
    Row(
        "baotou.evaluation.self_evaluation",
        "第二十三条",
        {"operation_start_date": "2025-03-10"},
        "fail",
        as_of=dt.date(2027, 3, 11),
        note="after the window",
    ),
    Row(
        "baotou.evaluation.self_evaluation",
        "第二十三条",
        {"operation_start_date": "2025-03-10", "self_evaluation_date": "2026-03-10"},
        "pass",
        note="done on the first day",
    ),
    Row(
        "baotou.evaluation.self_evaluation",
        "第二十三条",
        {"operation_start_date": "2025-03-10", "self_evaluation_date": "2027-03-10"},
        "pass",
        as_of=dt.date(2027, 4, 1),
        note="done on the last day",
    ),
    Row(
        "baotou.evaluation.self_evaluation",
        "第二十三条",
        {"operation_start_date": "2025-03-10", "self_evaluation_date": "2026-01-15"},
        "fail",
        note="done before one year",
    ),
    # 第二十条 surplus returned (项目目标和内容不变，总投资有结余的，按照相关规定将结余资金退回)
    Row(
        "baotou.construction.surplus_return",
        "第二十条",
        {"surplus_wan": "12.5"},
        "required",
        {"value": "12.5"},
    ),
    Row(
        "baotou.construction.surplus_return",
        "第二十条",
        {"surplus_wan": "12.5", "goal_changed": False},
        "required",
    ),
    Row("baotou.construction.surplus_return", "第二十条", {"surplus_wan": 0}, "pass"),
    Row(
        "baotou.construction.surplus_return",
        "第二十条",
        {"surplus_wan": "12.5", "goal_changed": True},
        "not_applicable",
        note="goal changed: not the case the article describes",
    ),
    Row("baotou.construction.surplus_return", "第二十条", {}, "unknown", {"missing_facts": ["surplus_wan"]}),
    # 第二十八条 原则上苏木乡镇（街道）不得独立建设政务信息化项目
    Row("baotou.intake.township", "第二十八条", {"built_by_township": True}, "fail"),
    Row("baotou.intake.township", "第二十八条", {"built_by_township": False}, "pass"),
    Row("baotou.intake.township", "第二十八条", {}, "pass", note="not stated: a municipal project"),
    # 第二十六条 results feed next year's funds
    Row("baotou.om_funding.evaluation_results", "第二十六条", {"performance_rating": "poor"}, "required"),
    Row("baotou.om_funding.evaluation_results", "第二十六条", {"performance_rating": "good"}, "pass"),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_rule(row):
    check_row(CODE, row)


def test_every_rule_has_a_row():
    assert uncovered_rules(CODE, ROWS) == set()


def test_open_initiation_threshold_is_left_unset():
    """第七条 says 一定额度 without a number: the pack leaves it to the admin."""
    from jurisdictions.packfiles import shipped_pack

    spec, _ = shipped_pack(CODE)
    assert spec.settings["project_initiation_threshold_wan"] is None


def test_a_secret_project_is_outside_the_measure_and_every_verdict_says_why():
    """第二条: 涉密政务信息化项目建设按国家保密管理规定执行 — no other rule of the measure applies."""
    from jurisdictions.packfiles import shipped_pack
    from jurisdictions.rules import evaluate

    spec, _ = shipped_pack(CODE)
    facts = {"is_secret": True, "funding_source": "fiscal", "total_investment_wan": 500, "documents": []}
    verdicts = evaluate(spec, facts, as_of=dt.date(2026, 11, 22))
    assert {v.outcome.value for v in verdicts} == {"not_applicable"}
    scope, *others = verdicts
    assert scope.rule_id == "baotou.scope.non_secret"
    assert scope.message.zh == "涉密政务信息化项目按国家保密管理规定执行，不适用本办法"
    for verdict in others:
        assert verdict.message.zh == "涉密政务信息化项目按国家保密管理规定执行，不适用本办法（第二条）"
        assert verdict.data == {"excluded_by": "baotou.scope.non_secret"}
        assert not any(verdict.blocks_transition(t) for t in verdict.blocks)
    # a non-secret project is still judged by every rule
    verdicts = evaluate(spec, {**facts, "is_secret": False}, as_of=dt.date(2026, 11, 22))
    assert "fail" in {v.outcome.value for v in verdicts}


def test_unanswered_conditions_are_named_not_claimed_as_a_failure():
    """第九条 items not yet answered: the verdict lists them; it never says 不符合申报条件：[]."""
    from jurisdictions.packfiles import shipped_pack
    from jurisdictions.rules import evaluate

    spec, _ = shipped_pack(CODE)
    (verdict,) = evaluate(
        spec,
        {"negative_list_answers": {"bt_cond_not_digital_gov_plan": False}},
        as_of=dt.date(2026, 11, 22),
        rule_ids=["baotou.intake.application_conditions"],
    )
    assert verdict.outcome.value == "required"
    assert "[]" not in verdict.message.zh and "不符合申报条件" not in verdict.message.zh
    for code, clause, text in CONDITIONS[1:]:
        assert clause + text in verdict.message.zh, code
    assert CONDITIONS[0][2] not in verdict.message.zh
