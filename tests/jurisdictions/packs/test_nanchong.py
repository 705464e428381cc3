"""Table test for the 南充市市级 pack (南府办发〔2023〕14号). Numbers are typed from the measure's text."""

import datetime as dt

import pytest

from tests.jurisdictions.packs.table import Row, check_row, uncovered_rules

CODE = "nanchong"

# 第八条 items, typed from the measure: (code, clause, zh, en).
NEGATIVE = [
    (
        "nc_new_hardware",
        "（一）",
        "新建或扩建非涉密机房、数据中心、私有云平台，新增非涉密服务器、存储设备、服务端网络设备等硬件设施采购的项目",
        "New or extended non-secret machine rooms, data centres or private clouds, or purchase of new "
        "non-secret servers, storage or server-side network hardware",
    ),
    (
        "nc_line_leasing",
        "（二）",
        "互联网出口的线路租赁项目和未整合到电子政务内网或外网的专网租赁项目，未纳入电子政务外网统一监管的终端安全防护项目",
        "Leasing internet egress lines or private networks not merged into the e-government "
        "intranet/extranet; terminal security not under unified extranet supervision",
    ),
    (
        "nc_not_on_city_cloud",
        "（三）",
        "未部署到市级政务云的非涉密新建项目，未迁移到市级政务云的非涉密升级改造项目",
        "Non-secret new project not deployed on, or upgrade not migrated to, the municipal government cloud",
    ),
    (
        "nc_common_systems",
        "（四）",
        "新建或扩建数字证书、电子证照、电子签章、公共支付、物流配套、通知消息、咨询投诉等共性系统，"
        "政府网站支撑平台、独立封装的移动客户端、大数据处理分析平台、执法检查类系统及相关模块的项目",
        "New or extended common systems (certificates, e-licences, e-seals, payment, logistics, messaging, "
        "complaints), website platforms, standalone mobile apps, big-data platforms, enforcement systems "
        "and their modules",
    ),
    (
        "nc_not_connected",
        "（五）",
        "未接入数据共享交换平台、一体化政务服务平台的政务服务、公共服务类项目，未接入统一协同办公平台的非涉密办公类、决策辅助类项目",
        "Government or public service project not on the exchange platform and the integrated service "
        "platform; non-secret office or decision-support project not on the unified office platform",
    ),
    (
        "nc_unclear_needs",
        "（六）",
        "需求或绩效目标不明确、内部系统整合不到位、数据目录普查不到位、数据共享要求落实不到位、信息安全保障不到位的项目",
        "Unclear needs or performance goals, or inadequate internal integration, data-catalogue survey, data "
        "sharing or information security",
    ),
    (
        "nc_not_shared_build",
        "（七）",
        "非共建共享共用的信息基础设施、应用支撑平台、数据资源等项目",
        "Information infrastructure, support platforms or data resources not jointly built, shared and used",
    ),
    (
        "nc_upgrade_unaccepted",
        "（八）",
        "原项目尚未验收的升级改造类项目",
        "Upgrade of a project not yet accepted",
    ),
]
# 第十七条 conditions, encoded as "not met" questions.
SERVICE = [
    (
        "nc_svc_goods_or_works",
        "（一）",
        "属于政府采购有关法律、行政法规规定的货物和工程，或将工程和服务打包",
        "Is goods or works under the procurement laws, or bundles works with services",
    ),
    (
        "nc_svc_not_economical",
        "（二）",
        "使用期限内购买服务的服务费预算总额不明显小于自行建设所需的建设、运维经费总额",
        "Service fees over the system's life are not clearly below the cost of building and running it",
    ),
    (
        "nc_svc_single_provider",
        "（三）",
        "不存在多家潜在服务提供商可供选择",
        "There are not several potential providers to choose from",
    ),
    (
        "nc_svc_security_breach",
        "（四）",
        "违反国家关于政务信息系统与信息资源安全保密有关要求",
        "Breaches state security and secrecy rules on systems and information resources",
    ),
]


def answers(items, hit=None):
    return {item[0]: item[0] == hit for item in items}


def hit(code, clause, zh, en):
    return {"code": code, "clause": clause, "name_zh": clause + zh, "name_en": f"{clause} {en}"}


def hit_rows(rule_id, article, items, facts=None):
    return [
        Row(
            rule_id,
            article,
            {**(facts or {}), "negative_list_answers": answers(items, item[0])},
            "fail",
            {"hits": [hit(*item)]},
            note=f"hit {item[1]}",
        )
        for item in items
    ]


def screening_rows(rule_id, article, code, zh, en):
    """One-item screening questions about the project unit (第十一条、第三十条、第三十一条、第四十九条)."""
    return [
        Row(
            rule_id,
            article,
            {"negative_list_answers": {code: True}},
            "fail",
            {"hits": [hit(code, "第一款", zh, en)]},
        ),
        Row(
            rule_id, article, {"negative_list_answers": {code: False}}, "pass", {"hits": [], "unanswered": []}
        ),
        Row(rule_id, article, {}, "required", {"unanswered": [code]}, note="not answered"),
    ]


def doc(code, zh, en):
    return {"code": code, "name_zh": zh, "name_en": en}


BASIC = doc("basic_info", "项目基本情况", "Basic project information")
APP_PLAN = doc("application_plan", "应用系统实施方案", "Application system implementation scheme")
CATALOGUE = doc("resource_catalogue", "信息资源目录", "Information resource catalogue")
CLOUD = doc("gov_cloud_plan", "政务云需求方案", "Government cloud requirements plan")
PROTECTION = doc("protection_plan", "等级保护或分级保护方案", "Classified or graded protection plan")
CRYPTO_PLAN = doc("crypto_plan", "密码应用方案", "Cryptography application plan")
FUNDING = doc(
    "funding_info",
    "资金来源（投资额度和运行维护经费、经费渠道）",
    "Funding (investment, O&M funds, channels)",
)
FSR = doc("fsr", "项目可行性研究报告（代项目建议书）", "Feasibility study report (in lieu of proposal)")
DESIGN = doc(
    "preliminary_design", "初步设计方案（含投资概算）", "Preliminary design (with investment estimate)"
)
IMPL = doc("implementation_plan", "项目实施方案", "Project implementation plan")
SHARING = doc(
    "sharing_chapter",
    "系统集成、集约化建设和信息资源共享分析专篇（章）",
    "Chapter on system integration, intensive build and resource sharing",
)
SERVICE_PLAN = doc("service_demand_plan", "项目服务需求方案", "Service requirements plan")
FLOWS = doc(
    "cross_department_flow_spec",
    "各部门项目与总体工程的业务流、数据流及系统接口",
    "Business flows, data flows and interfaces between departments and the whole project",
)
DATA_CATALOGUE = doc("data_catalogue", "数据目录", "Data catalogue")
DESIGN_CHAPTER = doc(
    "design_adjustment_chapter",
    "初步设计调整内容及理由说明（独立章节）",
    "Separate chapter explaining design changes and reasons",
)
REVISED_FSR = doc(
    "revised_fsr_approval", "重新审批的项目可行性研究报告", "Re-approved feasibility study report"
)
SAFE = doc(
    "safe_reliable_statement", "产品安全可靠情况说明", "Statement on the security and reliability of products"
)
FINANCE_OP = doc("finance_opinion", "市财政局项目资金审核意见", "Finance bureau funding review opinion")
SECURITY_OP = doc("security_opinion", "信息安全审核意见", "Information security review opinion")
CRYPTO_OP = doc(
    "crypto_opinion", "安全可靠和密码应用合规性审核意见", "Security-reliability and crypto compliance opinion"
)
TECH_OP = doc(
    "technical_opinion",
    "市政府办公室技术审核意见",
    "Technical review opinion of the municipal government office",
)
COLLAB = doc(
    "collaboration_agreement",
    "部门间业务协同关系、信息共享需求及参建部门建设范围和责任义务",
    "Inter-department collaboration, sharing needs, and participants' scope and duties",
)
ADJ_APPROVAL = doc(
    "adjustment_approval",
    "市发展改革委调整审批手续",
    "Adjustment approval by the development and reform commission",
)
CHANGE_FILING = doc("change_filing", "项目调整书面报备材料", "Written change filing")
DELAY_REPORT = doc(
    "delay_loss_report",
    "工程严重逾期、投资重大损失情况报告",
    "Report on serious delay or major investment loss",
)
SUMMARY = doc("construction_summary", "项目建设总结", "Construction summary")
FIN_REPORT = doc("financial_report", "财务报告", "Financial report")
AUDIT = doc("audit_report", "第三方审计报告", "Third-party audit report")
SHARING_REPORT = doc("resource_sharing_report", "信息资源共享报告", "Information resource sharing report")
TEST = doc(
    "test_report",
    "第三方测评报告（包括功能和性能测评报告）",
    "Third-party test report (function and performance)",
)
PROTECTION_TEST = doc(
    "protection_test_report", "非涉密信息系统网络安全等级保护测评报告", "Classified-protection test report"
)
DATA_SECURITY = doc(
    "data_security_assessment", "数据安全风险评估报告", "Data security risk assessment report"
)
NEW_TECH = doc(
    "new_tech_self_assessment",
    "互联网新技术新应用安全自评报告",
    "Security self-assessment of new internet technology and applications",
)
CRYPTO_ASSESS = doc(
    "crypto_assessment", "密码应用安全性评估报告", "Cryptography application security assessment report"
)
SERVICE_RESULT = doc(
    "service_acceptance_result", "统一购买服务项目验收结果", "Acceptance result of the bought-service project"
)
REVIEW_OPINION = doc(
    "acceptance_review_opinion", "领导小组办公室审核意见", "Review opinion of the leading group office"
)
ACC_FILING = doc(
    "acceptance_filing",
    "验收情况报备（政务信息化项目备案登记平台）",
    "Acceptance filing on the registration platform",
)
OM_NEEDS = doc("om_needs_assessment", "新一轮运维需求论证评估", "Assessment of the new round of O&M needs")
MONITORING = doc("performance_monitoring_report", "项目绩效监控报告", "Performance monitoring report")
OPINIONS = doc(
    "user_supervisor_opinions", "项目使用单位和监理单位意见", "Opinions of the user unit and the supervisor"
)
TRIAL_EFFECT = doc("trial_run_effect", "试运行效果及遇到的问题说明", "Trial-run effect and problems met")

DECLARATION_CODES = [
    "basic_info",
    "application_plan",
    "resource_catalogue",
    "gov_cloud_plan",
    "protection_plan",
    "crypto_plan",
    "funding_info",
]
ACCEPTANCE_CODES = [
    "construction_summary",
    "financial_report",
    "audit_report",
    "resource_sharing_report",
    "test_report",
    "protection_test_report",
    "data_security_assessment",
    "crypto_assessment",
]

# 第十六条: a self-built project that qualifies for no merged case, to vary one fact at a time.
NOT_MERGED = {
    "is_service_procurement": False,
    "preparatory_work_adequate": True,
    "ordered_by_higher_level": False,
    "strategic_or_security_reason": False,
    "is_urgent": False,
}
# 第二十七条: a change inside every limit.
CHANGE = {
    "approved_estimate_wan": 1000,
    "adjustment_wan": 100,
    "goal_changed": False,
    "within_estimate": True,
    "change_reason": "technical_optimisation",
}
WITHIN = "unit_adjusts_and_files"
BEYOND = "adjustment_approval"
BUILDING = {"construction_start_date": "2026-03-01"}

ROWS = [
    # 第二条 scope
    Row("nanchong.scope.non_secret", "第二条", {"is_secret": True}, "not_applicable", note="secret project"),
    Row("nanchong.scope.non_secret", "第二条", {"is_secret": False}, "pass"),
    Row("nanchong.scope.non_secret", "第二条", {}, "unknown", {"missing_facts": ["is_secret"]}),
    *[
        Row("nanchong.scope.category", "第二条", {"category": code}, "pass", note=code)
        for code in [
            "infrastructure",
            "resource_library",
            "shared_platform",
            "business_system",
            "standards",
            "support_system",
        ]
    ],
    Row("nanchong.scope.category", "第二条", {"category": "office_pc"}, "not_applicable", note="not listed"),
    # 第六条 isolated systems
    Row("nanchong.intake.isolated_system", "第六条", {"is_isolated_system": True}, "fail"),
    Row("nanchong.intake.isolated_system", "第六条", {"is_isolated_system": False}, "pass"),
    # 第八条 negative list: a hit on each of the 8 items
    *hit_rows("nanchong.intake.negative_list", "第八条", NEGATIVE),
    Row(
        "nanchong.intake.negative_list",
        "第八条",
        {"negative_list_answers": answers(NEGATIVE)},
        "pass",
        {"hits": [], "unanswered": []},
        note="all eight answered no",
    ),
    Row(
        "nanchong.intake.negative_list",
        "第八条",
        {"negative_list_answers": {item[0]: False for item in NEGATIVE[:7]}},
        "required",
        {"unanswered": ["nc_upgrade_unaccepted"]},
        note="（八） unanswered",
    ),
    Row(
        "nanchong.intake.negative_list",
        "第八条",
        {
            "negative_list_answers": {
                **answers(NEGATIVE),
                "nc_new_hardware": True,
                "nc_upgrade_unaccepted": True,
            }
        },
        "fail",
        {"hits": [hit(*NEGATIVE[0]), hit(*NEGATIVE[7])]},
        note="two hits",
    ),
    # 第八条 replaceable systems stop running
    Row(
        "nanchong.decommission.replaceable_system",
        "第八条",
        {"replaceable_by_unified_system": True},
        "required",
    ),
    Row(
        "nanchong.decommission.replaceable_system", "第八条", {"replaceable_by_unified_system": False}, "pass"
    ),
    # 第九条 system catalogue, provincial platform
    Row("nanchong.intake.system_catalogue", "第九条", {"in_system_catalogue": False}, "fail"),
    Row("nanchong.intake.system_catalogue", "第九条", {"in_system_catalogue": True}, "pass"),
    Row("nanchong.intake.system_catalogue", "第九条", {}, "unknown"),
    Row("nanchong.om_funding.system_catalogue", "第九条", {"in_system_catalogue": False}, "fail"),
    Row("nanchong.om_funding.system_catalogue", "第九条", {"in_system_catalogue": True}, "pass"),
    Row("nanchong.intake.investment_platform", "第九条", {"on_investment_approval_platform": False}, "fail"),
    Row("nanchong.intake.investment_platform", "第九条", {"on_investment_approval_platform": True}, "pass"),
    # 第十一条 collection, non-sharing exception, exclusive opening
    *screening_rows(
        "nanchong.intake.unit_data_collection",
        "第十一条",
        "nc_unit_data_not_collected",
        "项目单位的政务信息化项目未落实相关技术要求完成信息归集",
        "The unit's projects have not completed information collection as technically required",
    ),
    Row(
        "nanchong.intake.non_sharing_exception",
        "第十一条",
        {"sharing_not_permitted": True},
        "fail",
        note="not yet approved by the leading group",
    ),
    Row(
        "nanchong.intake.non_sharing_exception",
        "第十一条",
        {"sharing_not_permitted": True, "leading_group_approved": False},
        "fail",
    ),
    Row(
        "nanchong.intake.non_sharing_exception",
        "第十一条",
        {"sharing_not_permitted": True, "leading_group_approved": True},
        "pass",
    ),
    Row(
        "nanchong.intake.non_sharing_exception",
        "第十一条",
        {"sharing_not_permitted": False},
        "not_applicable",
    ),
    Row(
        "nanchong.intake.no_exclusive_opening", "第十一条", {"data_opened_to_specific_parties": True}, "fail"
    ),
    Row(
        "nanchong.intake.no_exclusive_opening", "第十一条", {"data_opened_to_specific_parties": False}, "pass"
    ),
    # 第十三条 registration platform
    Row("nanchong.intake.declaration_platform", "第十三条", {"on_management_platform": False}, "fail"),
    Row("nanchong.intake.declaration_platform", "第十三条", {"on_management_platform": True}, "pass"),
    # 第十四条 declaration materials
    Row("nanchong.intake.declaration_documents", "第十四条", {"documents": DECLARATION_CODES}, "pass"),
    Row(
        "nanchong.intake.declaration_documents",
        "第十四条",
        {"documents": []},
        "fail",
        {"missing": [BASIC, APP_PLAN, CATALOGUE, CLOUD, PROTECTION, CRYPTO_PLAN, FUNDING]},
    ),
    Row(
        "nanchong.intake.declaration_documents",
        "第十四条",
        {"documents": [c for c in DECLARATION_CODES if c not in {"crypto_plan", "funding_info"}]},
        "fail",
        {"missing": [CRYPTO_PLAN, FUNDING]},
    ),
    # 第十五条、第二十二条 annual list and approving authority
    Row("nanchong.intake.annual_list", "第十五条", {"in_annual_plan": False}, "fail"),
    Row("nanchong.intake.annual_list", "第十五条", {"in_annual_plan": True}, "pass"),
    Row(
        "nanchong.intake.annual_list",
        "第十五条",
        {"in_annual_plan": False, "city_government_approved": False},
        "fail",
    ),
    Row(
        "nanchong.intake.annual_list",
        "第十五条",
        {"in_annual_plan": False, "city_government_approved": True},
        "not_applicable",
        note="第二十二条 municipal government agreed",
    ),
    Row(
        "nanchong.approval.authority",
        "第二十二条",
        {"in_annual_plan": False},
        "info",
        {"track": "city_government_then_ndrc", "stages": ["city_government_review", "approval"]},
    ),
    Row(
        "nanchong.approval.authority",
        "第二十二条",
        {"in_annual_plan": True},
        "info",
        {"track": "ndrc", "stages": ["approval"]},
    ),
    Row("nanchong.approval.authority", "第二十二条", {}, "unknown", {"missing_facts": ["in_annual_plan"]}),
    # 第十六条 approval track: merged at 1000万元 and below
    Row(
        "nanchong.approval.track",
        "第十六条",
        {"is_service_procurement": True},
        "info",
        {"track": "service_procurement", "stages": ["service_demand_plan"]},
    ),
    Row(
        "nanchong.approval.track",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 1000},
        "info",
        {"track": "merged", "stages": ["implementation_plan"]},
        note="exactly 1000",
    ),
    Row(
        "nanchong.approval.track",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": "1000.01"},
        "info",
        {"track": "standard", "stages": ["fsr", "preliminary_design"]},
        note="just over 1000",
    ),
    Row(
        "nanchong.approval.track",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 5000, "ordered_by_higher_level": True},
        "info",
        {"track": "merged"},
        note="（一） ordered from above",
    ),
    Row(
        "nanchong.approval.track",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 5000, "strategic_or_security_reason": True, "is_urgent": True},
        "info",
        {"track": "merged"},
        note="（二） security and urgent",
    ),
    Row(
        "nanchong.approval.track",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 5000, "strategic_or_security_reason": True},
        "info",
        {"track": "standard"},
        note="security but not urgent",
    ),
    Row(
        "nanchong.approval.track",
        "第十六条",
        {**NOT_MERGED, "preparatory_work_adequate": False, "total_investment_wan": 500},
        "info",
        {"track": "standard"},
        note="preparatory work not deep enough",
    ),
    Row("nanchong.approval.track", "第十六条", {}, "unknown", {"missing_facts": ["is_service_procurement"]}),
    # 第十六条 documents
    Row(
        "nanchong.approval.documents_standard",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": "1000.01"},
        "fail",
        {"missing": [FSR, DESIGN, SHARING]},
    ),
    Row(
        "nanchong.approval.documents_standard",
        "第十六条",
        {
            **NOT_MERGED,
            "total_investment_wan": "1000.01",
            "documents": ["fsr", "preliminary_design", "sharing_chapter"],
        },
        "pass",
    ),
    Row(
        "nanchong.approval.documents_standard",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 1000},
        "not_applicable",
        note="merged track",
    ),
    Row(
        "nanchong.approval.documents_standard", "第十六条", {"is_service_procurement": True}, "not_applicable"
    ),
    Row(
        "nanchong.approval.documents_merged",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 1000, "documents": ["implementation_plan", "sharing_chapter"]},
        "pass",
    ),
    Row(
        "nanchong.approval.documents_merged",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 1000, "documents": ["sharing_chapter"]},
        "fail",
        {"missing": [IMPL]},
    ),
    Row(
        "nanchong.approval.documents_merged",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": 1000, "documents": []},
        "fail",
        {"missing": [IMPL, SHARING]},
    ),
    Row(
        "nanchong.approval.documents_merged",
        "第十六条",
        {
            **NOT_MERGED,
            "total_investment_wan": 1000,
            "documents": ["fsr", "preliminary_design", "sharing_chapter"],
        },
        "pass",
        note="chose not to merge",
    ),
    Row(
        "nanchong.approval.documents_merged",
        "第十六条",
        {**NOT_MERGED, "total_investment_wan": "1000.01"},
        "not_applicable",
    ),
    # 第十七条 bought services
    Row(
        "nanchong.approval.documents_service",
        "第十七条",
        {"is_service_procurement": True, "documents": ["service_demand_plan"]},
        "pass",
    ),
    Row(
        "nanchong.approval.documents_service",
        "第十七条",
        {"is_service_procurement": True},
        "fail",
        {"missing": [SERVICE_PLAN]},
    ),
    Row(
        "nanchong.approval.documents_service", "第十七条", {"is_service_procurement": False}, "not_applicable"
    ),
    *hit_rows("nanchong.approval.service_conditions", "第十七条", SERVICE, {"is_service_procurement": True}),
    Row(
        "nanchong.approval.service_conditions",
        "第十七条",
        {"is_service_procurement": True, "negative_list_answers": answers(SERVICE)},
        "pass",
        {"hits": [], "unanswered": []},
    ),
    Row(
        "nanchong.approval.service_conditions",
        "第十七条",
        {"is_service_procurement": True, "negative_list_answers": {}},
        "required",
        {"unanswered": [item[0] for item in SERVICE]},
    ),
    Row(
        "nanchong.approval.service_conditions",
        "第十七条",
        {"is_service_procurement": False},
        "not_applicable",
    ),
    # 第十八条 resource catalogue
    Row("nanchong.approval.resource_catalogue", "第十八条", {"documents": ["resource_catalogue"]}, "pass"),
    Row(
        "nanchong.approval.resource_catalogue",
        "第十八条",
        {"documents": []},
        "fail",
        {"missing": [CATALOGUE]},
    ),
    # 第十九条 cross-department
    Row(
        "nanchong.approval.cross_department",
        "第十九条",
        {"is_cross_department": True, "documents": ["cross_department_flow_spec", "data_catalogue"]},
        "pass",
    ),
    Row(
        "nanchong.approval.cross_department",
        "第十九条",
        {"is_cross_department": True, "documents": ["cross_department_flow_spec"]},
        "fail",
        {"missing": [DATA_CATALOGUE]},
    ),
    Row(
        "nanchong.approval.cross_department",
        "第十九条",
        {"is_cross_department": True},
        "fail",
        {"missing": [FLOWS, DATA_CATALOGUE]},
    ),
    Row("nanchong.approval.cross_department", "第十九条", {"is_cross_department": False}, "not_applicable"),
    # 第二十条 department opinions
    Row(
        "nanchong.review.department_opinions",
        "第二十条",
        {"documents": ["finance_opinion", "security_opinion", "crypto_opinion", "technical_opinion"]},
        "pass",
    ),
    Row(
        "nanchong.review.department_opinions",
        "第二十条",
        {"documents": []},
        "fail",
        {"missing": [FINANCE_OP, SECURITY_OP, CRYPTO_OP, TECH_OP]},
    ),
    Row(
        "nanchong.review.department_opinions",
        "第二十条",
        {"documents": ["finance_opinion", "security_opinion", "technical_opinion"]},
        "fail",
        {"missing": [CRYPTO_OP]},
    ),
    # 第二十一条 energy / siting / land / EIA
    Row("nanchong.approval.special_reviews", "第二十一条", {"has_civil_works": True}, "required"),
    Row(
        "nanchong.approval.special_reviews",
        "第二十一条",
        {"has_civil_works": False, "high_energy_use": True},
        "required",
    ),
    Row(
        "nanchong.approval.special_reviews",
        "第二十一条",
        {"has_civil_works": False, "high_energy_use": False},
        "pass",
    ),
    Row("nanchong.approval.special_reviews", "第二十一条", {"has_civil_works": False}, "unknown"),
    # 第二十三条 design beyond the FSR, major change, estimate
    Row(
        "nanchong.approval.design_adjustment_chapter",
        "第二十三条",
        {"design_exceeds_fsr": True},
        "fail",
        {"missing": [DESIGN_CHAPTER]},
    ),
    Row(
        "nanchong.approval.design_adjustment_chapter",
        "第二十三条",
        {"design_exceeds_fsr": True, "documents": ["design_adjustment_chapter"]},
        "pass",
    ),
    Row(
        "nanchong.approval.design_adjustment_chapter",
        "第二十三条",
        {"design_exceeds_fsr": False},
        "not_applicable",
    ),
    Row(
        "nanchong.approval.major_change_fsr",
        "第二十三条",
        {"design_exceeds_fsr": True, "major_change": True},
        "fail",
        {"missing": [REVISED_FSR]},
    ),
    Row(
        "nanchong.approval.major_change_fsr",
        "第二十三条",
        {"design_exceeds_fsr": True, "major_change": True, "documents": ["revised_fsr_approval"]},
        "pass",
    ),
    Row(
        "nanchong.approval.major_change_fsr",
        "第二十三条",
        {"design_exceeds_fsr": True, "major_change": False},
        "not_applicable",
    ),
    Row(
        "nanchong.change.estimate_cap",
        "第二十三条",
        {"total_investment_wan": 1000, "approved_estimate_wan": 1000},
        "pass",
        {"cap_wan": "1000"},
        note="exactly the estimate",
    ),
    Row(
        "nanchong.change.estimate_cap",
        "第二十三条",
        {"total_investment_wan": "1000.01", "approved_estimate_wan": 1000},
        "fail",
        {"value": "1000.01", "cap_wan": "1000"},
    ),
    Row("nanchong.change.estimate_cap", "第二十三条", {"total_investment_wan": 1000}, "unknown"),
    # 第二十四条 supervision, no threshold
    Row(
        "nanchong.construction.supervisor_engaged",
        "第二十四条",
        {"is_service_procurement": False, "supervisor_engaged": False},
        "fail",
    ),
    Row(
        "nanchong.construction.supervisor_engaged",
        "第二十四条",
        {"is_service_procurement": False, "supervisor_engaged": True},
        "pass",
    ),
    Row(
        "nanchong.construction.supervisor_engaged",
        "第二十四条",
        {"is_service_procurement": True, "supervisor_engaged": False},
        "not_applicable",
    ),
    # 第二十五条 cross-department collaboration
    Row(
        "nanchong.construction.collaboration",
        "第二十五条",
        {"is_cross_department": True},
        "fail",
        {"missing": [COLLAB]},
    ),
    Row(
        "nanchong.construction.collaboration",
        "第二十五条",
        {"is_cross_department": True, "documents": ["collaboration_agreement"]},
        "pass",
    ),
    Row(
        "nanchong.construction.collaboration", "第二十五条", {"is_cross_department": False}, "not_applicable"
    ),
    # 第二十六条 major adjustment, no after-the-fact adjustment
    Row(
        "nanchong.change.major_adjustment",
        "第二十六条",
        {"major_change": True},
        "fail",
        {"missing": [ADJ_APPROVAL]},
    ),
    Row(
        "nanchong.change.major_adjustment",
        "第二十六条",
        {"major_change": True, "documents": ["adjustment_approval"]},
        "pass",
    ),
    Row("nanchong.change.major_adjustment", "第二十六条", {"major_change": False}, "not_applicable"),
    Row(
        "nanchong.change.no_post_hoc_adjustment",
        "第二十六条",
        {"major_change": True, "change_made_without_approval": True, "within_estimate": False},
        "fail",
    ),
    Row(
        "nanchong.change.no_post_hoc_adjustment",
        "第二十六条",
        {"major_change": True, "change_made_without_approval": False, "within_estimate": False},
        "pass",
        note="approved before it was made",
    ),
    Row(
        "nanchong.change.no_post_hoc_adjustment",
        "第二十六条",
        {"major_change": True, "change_made_without_approval": True, "within_estimate": True},
        "pass",
        note="no overrun",
    ),
    # 第二十七条 change tolerance: 10% of the approved total
    Row(
        "nanchong.change.tolerance",
        "第二十七条",
        CHANGE,
        "pass",
        {"route": WITHIN, "ratio_percent": "10", "max_percent": "10"},
        note="exactly 10%",
    ),
    Row(
        "nanchong.change.tolerance",
        "第二十七条",
        {**CHANGE, "adjustment_wan": "100.01"},
        "required",
        {"route": BEYOND, "beyond_because": ["ratio"]},
        note="just over 10%",
    ),
    Row(
        "nanchong.change.tolerance",
        "第二十七条",
        {**CHANGE, "adjustment_wan": 101},
        "required",
        {"route": BEYOND, "ratio_percent": "10.1"},
    ),
    Row(
        "nanchong.change.tolerance",
        "第二十七条",
        {**CHANGE, "adjustment_wan": -100},
        "pass",
        {"route": WITHIN},
        note="a decrease of 10%",
    ),
    Row(
        "nanchong.change.tolerance",
        "第二十七条",
        {**CHANGE, "goal_changed": True},
        "required",
        {"beyond_because": ["goal_changed"]},
    ),
    Row(
        "nanchong.change.tolerance",
        "第二十七条",
        {**CHANGE, "within_estimate": False},
        "required",
        {"beyond_because": ["beyond_estimate"]},
    ),
    Row(
        "nanchong.change.tolerance",
        "第二十七条",
        {**CHANGE, "change_reason": "other"},
        "required",
        {"beyond_because": ["reason_not_allowed"]},
    ),
    *[
        Row("nanchong.change.tolerance", "第二十七条", {**CHANGE, "change_reason": r}, "pass", note=r)
        for r in ["higher_order", "business_need"]
    ],
    Row("nanchong.change.tolerance", "第二十七条", {"adjustment_wan": 100}, "unknown"),
    Row(
        "nanchong.change.filing",
        "第二十七条",
        {"adjustment_wan": 50},
        "fail",
        {"missing": [CHANGE_FILING]},
    ),
    Row(
        "nanchong.change.filing",
        "第二十七条",
        {"adjustment_wan": 50, "major_change": False, "documents": ["change_filing"]},
        "pass",
    ),
    Row(
        "nanchong.change.filing", "第二十七条", {"adjustment_wan": 50, "major_change": True}, "not_applicable"
    ),
    Row("nanchong.change.filing", "第二十七条", {"adjustment_wan": 0}, "not_applicable"),
    # 第二十八条 serious delay, termination
    Row(
        "nanchong.construction.delay_loss_report",
        "第二十八条",
        {"serious_delay_or_loss": True},
        "fail",
        {"missing": [DELAY_REPORT]},
    ),
    Row(
        "nanchong.construction.delay_loss_report",
        "第二十八条",
        {"serious_delay_or_loss": True, "documents": ["delay_loss_report"]},
        "pass",
    ),
    Row(
        "nanchong.construction.delay_loss_report",
        "第二十八条",
        {"serious_delay_or_loss": False},
        "not_applicable",
    ),
    Row(
        "nanchong.construction.termination",
        "第二十八条",
        {"termination_grounds_met": True, "termination_approved": True},
        "pass",
    ),
    Row(
        "nanchong.construction.termination",
        "第二十八条",
        {"termination_grounds_met": True, "termination_approved": False},
        "fail",
        note="leading group has not agreed",
    ),
    Row(
        "nanchong.construction.termination",
        "第二十八条",
        {"termination_grounds_met": False, "termination_approved": True},
        "fail",
        note="no grounds",
    ),
    Row(
        "nanchong.construction.termination",
        "第二十八条",
        {"rectification_failed": True},
        "not_applicable",
        note="sanction under 第四十五条",
    ),
    # 第二十九条 acceptance
    Row(
        "nanchong.acceptance.construction_complete",
        "第二十九条",
        {"completion_date": "2026-02-27"},
        "pass",
    ),
    Row("nanchong.acceptance.construction_complete", "第二十九条", {}, "fail"),
    Row(
        "nanchong.acceptance.trial_run",
        "第二十九条",
        {"acceptance_applied_date": "2026-05-31", "trial_run_start": "2026-02-28"},
        "pass",
        {"due_date": "2026-02-28"},
        note="exactly three months",
    ),
    Row(
        "nanchong.acceptance.trial_run",
        "第二十九条",
        {"acceptance_applied_date": "2026-05-31", "trial_run_start": "2026-03-01"},
        "fail",
        {"due_date": "2026-02-28"},
        note="one day short of three months",
    ),
    Row(
        "nanchong.acceptance.trial_run",
        "第二十九条",
        {"acceptance_applied_date": "2025-12-15", "trial_run_start": "2025-09-15"},
        "pass",
        {"due_date": "2025-09-15"},
    ),
    Row(
        "nanchong.acceptance.trial_run",
        "第二十九条",
        {"acceptance_applied_date": "2026-05-31"},
        "required",
        {"due_date": "2026-02-28"},
        as_of=dt.date(2026, 1, 15),
        note="trial run not started yet, still possible",
    ),
    Row(
        "nanchong.acceptance.trial_run",
        "第二十九条",
        {"acceptance_applied_date": "2026-05-31"},
        "fail",
        {"due_date": "2026-02-28"},
        note="no trial run",
    ),
    Row(
        "nanchong.acceptance.trial_run",
        "第二十九条",
        {"trial_run_start": "2026-02-28"},
        "unknown",
        {"missing_facts": ["acceptance_applied_date"]},
    ),
    Row(
        "nanchong.acceptance.documents_built",
        "第二十九条",
        {
            "is_service_procurement": False,
            "has_public_opinion_new_tech": False,
            "documents": ACCEPTANCE_CODES,
        },
        "pass",
    ),
    Row(
        "nanchong.acceptance.documents_built",
        "第二十九条",
        {"is_service_procurement": False, "has_public_opinion_new_tech": True, "documents": ACCEPTANCE_CODES},
        "fail",
        {"missing": [NEW_TECH]},
        note="public-opinion internet app",
    ),
    Row(
        "nanchong.acceptance.documents_built",
        "第二十九条",
        {
            "is_service_procurement": False,
            "has_public_opinion_new_tech": True,
            "documents": [*ACCEPTANCE_CODES, "new_tech_self_assessment"],
        },
        "pass",
    ),
    Row(
        "nanchong.acceptance.documents_built",
        "第二十九条",
        {"is_service_procurement": False, "has_public_opinion_new_tech": False, "documents": []},
        "fail",
        {
            "missing": [
                SUMMARY,
                FIN_REPORT,
                AUDIT,
                SHARING_REPORT,
                TEST,
                PROTECTION_TEST,
                DATA_SECURITY,
                CRYPTO_ASSESS,
            ]
        },
    ),
    Row(
        "nanchong.acceptance.documents_built",
        "第二十九条",
        {"is_service_procurement": True},
        "not_applicable",
    ),
    Row(
        "nanchong.acceptance.documents_service",
        "第二十九条",
        {
            "is_service_procurement": True,
            "documents": ["service_acceptance_result", "acceptance_review_opinion"],
        },
        "pass",
    ),
    Row(
        "nanchong.acceptance.documents_service",
        "第二十九条",
        {"is_service_procurement": True, "documents": ["service_acceptance_result"]},
        "fail",
        {"missing": [REVIEW_OPINION]},
    ),
    Row(
        "nanchong.acceptance.documents_service",
        "第二十九条",
        {"is_service_procurement": True},
        "fail",
        {"missing": [SERVICE_RESULT, REVIEW_OPINION]},
    ),
    Row(
        "nanchong.acceptance.documents_service",
        "第二十九条",
        {"is_service_procurement": False},
        "not_applicable",
    ),
    Row(
        "nanchong.acceptance.filing", "第二十九条", {"accepted": True}, "required", {"missing": [ACC_FILING]}
    ),
    Row(
        "nanchong.acceptance.filing",
        "第二十九条",
        {"accepted": True, "documents": ["acceptance_filing"]},
        "pass",
    ),
    Row("nanchong.acceptance.filing", "第二十九条", {"accepted": False}, "not_applicable"),
    # 第三十条 unaccepted projects
    *screening_rows(
        "nanchong.intake.unit_unaccepted_projects",
        "第三十条",
        "nc_unit_unaccepted_project",
        "项目单位有未进行验收或验收不合格的项目",
        "The unit has a project not accepted or that failed acceptance",
    ),
    Row("nanchong.om_funding.not_accepted", "第三十条", {"accepted": False}, "fail"),
    Row("nanchong.om_funding.not_accepted", "第三十条", {"accepted": True}, "pass"),
    # 第三十一条 data sharing
    *screening_rows(
        "nanchong.intake.unit_data_sharing",
        "第三十一条",
        "nc_unit_sharing_violation",
        "项目单位上一年度有未按要求共享数据资源或重复采集数据的项目",
        "Last year the unit had a project that did not share data as required or collected data twice",
    ),
    Row(
        "nanchong.om_funding.data_sharing",
        "第三十一条",
        {"shares_data": False, "duplicates_data_collection": False},
        "fail",
        note="not shared",
    ),
    Row(
        "nanchong.om_funding.data_sharing",
        "第三十一条",
        {"shares_data": True, "duplicates_data_collection": True},
        "fail",
        note="collected twice",
    ),
    Row(
        "nanchong.om_funding.data_sharing",
        "第三十一条",
        {"shares_data": True, "duplicates_data_collection": False},
        "pass",
    ),
    Row("nanchong.om_funding.data_sharing", "第三十一条", {"shares_data": True}, "unknown"),
    # 第三十三条 funding source
    Row("nanchong.intake.funding_source", "第三十三条", {}, "fail"),
    Row("nanchong.intake.funding_source", "第三十三条", {"funding_source": "fiscal"}, "pass"),
    # 第三十四条 unspent funds returned
    Row(
        "nanchong.acceptance.surplus_return",
        "第三十四条",
        {"surplus_wan": "0.01"},
        "required",
        {"met": True},
    ),
    Row("nanchong.acceptance.surplus_return", "第三十四条", {"surplus_wan": 0}, "pass", {"met": False}),
    # 第三十五条 O&M budget the year before
    Row(
        "nanchong.om_funding.budget_new",
        "第三十五条",
        {"free_om_end_date": "2026-06-30", "om_application_date": "2025-12-31"},
        "pass",
        {"due_date": "2025-12-31"},
        note="applied on the last day of the year before",
    ),
    Row(
        "nanchong.om_funding.budget_new",
        "第三十五条",
        {"free_om_end_date": "2026-06-30", "om_application_date": "2026-01-05"},
        "fail",
        {"due_date": "2025-12-31"},
        note="applied in the year the funds are needed",
    ),
    Row(
        "nanchong.om_funding.budget_new",
        "第三十五条",
        {"free_om_end_date": "2026-06-30"},
        "required",
        {"due_date": "2025-12-31", "days_left": 60},
        as_of=dt.date(2025, 11, 1),
    ),
    Row(
        "nanchong.om_funding.budget_new",
        "第三十五条",
        {"free_om_end_date": "2026-06-30"},
        "fail",
        {"due_date": "2025-12-31"},
        note="overdue",
    ),
    Row(
        "nanchong.om_funding.budget_new",
        "第三十五条",
        {"om_is_continuation": True, "free_om_end_date": "2026-06-30"},
        "not_applicable",
    ),
    Row(
        "nanchong.om_funding.budget_continuing",
        "第三十五条",
        {"om_is_continuation": True, "om_period_end_date": "2027-03-31"},
        "required",
        {"due_date": "2026-12-31", "days_left": 39},
    ),
    Row(
        "nanchong.om_funding.budget_continuing",
        "第三十五条",
        {"om_is_continuation": True, "om_period_end_date": "2027-03-31", "om_application_date": "2026-09-01"},
        "pass",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "nanchong.om_funding.budget_continuing",
        "第三十五条",
        {"om_is_continuation": True, "om_period_end_date": "2027-03-31", "om_application_date": "2027-01-10"},
        "fail",
        {"due_date": "2026-12-31"},
    ),
    Row(
        "nanchong.om_funding.budget_continuing",
        "第三十五条",
        {"om_is_continuation": False, "om_period_end_date": "2027-03-31"},
        "not_applicable",
    ),
    Row(
        "nanchong.om_funding.needs_assessment",
        "第三十五条",
        {"om_is_continuation": True},
        "fail",
        {"missing": [OM_NEEDS]},
    ),
    Row(
        "nanchong.om_funding.needs_assessment",
        "第三十五条",
        {"om_is_continuation": True, "documents": ["om_needs_assessment"]},
        "pass",
    ),
    Row(
        "nanchong.om_funding.needs_assessment", "第三十五条", {"om_is_continuation": False}, "not_applicable"
    ),
    # 第四十条 O&M contracts up to three years
    Row(
        "nanchong.om_funding.contract_term",
        "第四十条",
        {"om_contract_term_years": 3},
        "pass",
        {"threshold": "3", "met": False},
        note="exactly three years",
    ),
    Row(
        "nanchong.om_funding.contract_term",
        "第四十条",
        {"om_contract_term_years": "3.5"},
        "fail",
        {"met": True},
    ),
    Row("nanchong.om_funding.contract_term", "第四十条", {"om_contract_term_years": 4}, "fail"),
    # 第四十三条 performance monitoring report by year-end
    Row(
        "nanchong.construction.monitoring_report_deadline",
        "第四十三条",
        {**BUILDING, "progress_report_date": "2026-12-31"},
        "pass",
        {"due_date": "2026-12-31"},
        note="on 12-31",
    ),
    Row(
        "nanchong.construction.monitoring_report_deadline",
        "第四十三条",
        BUILDING,
        "fail",
        {"due_date": "2026-12-31"},
        as_of=dt.date(2027, 1, 4),
        note="no report by year-end",
    ),
    Row(
        "nanchong.construction.monitoring_report_deadline",
        "第四十三条",
        BUILDING,
        "required",
        {"due_date": "2026-12-31", "days_left": 39},
    ),
    Row(
        "nanchong.construction.monitoring_report_deadline",
        "第四十三条",
        {**BUILDING, "acceptance_date": "2026-10-10"},
        "not_applicable",
        note="accepted, implementation over",
    ),
    Row("nanchong.construction.monitoring_report_deadline", "第四十三条", {}, "not_applicable"),
    Row(
        "nanchong.construction.monitoring_report_content",
        "第四十三条",
        {**BUILDING, "documents": ["performance_monitoring_report", "user_supervisor_opinions"]},
        "pass",
    ),
    Row(
        "nanchong.construction.monitoring_report_content",
        "第四十三条",
        {**BUILDING, "documents": ["performance_monitoring_report"]},
        "required",
        {"missing": [OPINIONS]},
    ),
    Row(
        "nanchong.construction.monitoring_report_content",
        "第四十三条",
        {
            **BUILDING,
            "trial_run_start": "2026-09-01",
            "documents": ["performance_monitoring_report", "user_supervisor_opinions"],
        },
        "required",
        {"missing": [TRIAL_EFFECT]},
        note="in trial run",
    ),
    Row(
        "nanchong.construction.monitoring_report_content",
        "第四十三条",
        {**BUILDING, "trial_run_start": "2026-09-01"},
        "required",
        {"missing": [MONITORING, OPINIONS, TRIAL_EFFECT]},
    ),
    # 第四十四条 self-evaluation 12 to 24 months after operation
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {"operation_start_date": "2025-03-10"},
        "info",
        {"opens_on": "2026-03-10", "closes_on": "2027-03-10"},
        as_of=dt.date(2026, 1, 1),
        note="before the window",
    ),
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {"operation_start_date": "2025-03-10"},
        "required",
        {"opens_on": "2026-03-10", "closes_on": "2027-03-10"},
        note="inside the window",
    ),
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {"operation_start_date": "2025-03-10"},
        "fail",
        as_of=dt.date(2027, 3, 11),
        note="after the window",
    ),
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {"operation_start_date": "2025-03-10", "self_evaluation_date": "2026-03-10"},
        "pass",
        note="on the 12-month day",
    ),
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {"operation_start_date": "2025-03-10", "self_evaluation_date": "2027-03-10"},
        "pass",
        as_of=dt.date(2027, 4, 1),
        note="on the 24-month day",
    ),
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {"operation_start_date": "2025-03-10", "self_evaluation_date": "2026-03-09"},
        "fail",
        note="too early",
    ),
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {"operation_start_date": "2025-03-10", "self_evaluation_date": "2027-03-11"},
        "fail",
        as_of=dt.date(2027, 4, 1),
        note="too late",
    ),
    Row(
        "nanchong.evaluation.self_evaluation",
        "第四十四条",
        {},
        "unknown",
        {"missing_facts": ["operation_start_date"]},
    ),
    Row("nanchong.om_funding.evaluation_results", "第四十四条", {"performance_rating": "poor"}, "required"),
    Row("nanchong.om_funding.evaluation_results", "第四十四条", {"performance_rating": "good"}, "pass"),
    # 第四十五条 rectification
    Row("nanchong.construction.rectification", "第四十五条", {}, "not_applicable", note="none ordered"),
    Row("nanchong.change.tolerance", "第二十七条", {}, "not_applicable", note="no change proposed"),
    Row(
        "nanchong.construction.rectification",
        "第四十五条",
        {"rectification_due_date": "2026-06-30", "rectification_done_date": "2026-06-30"},
        "pass",
        {"due_date": "2026-06-30"},
        note="done on the due date",
    ),
    Row(
        "nanchong.construction.rectification",
        "第四十五条",
        {"rectification_due_date": "2026-06-30", "rectification_done_date": "2026-07-01"},
        "fail",
        {"due_date": "2026-06-30"},
        note="one day late",
    ),
    Row(
        "nanchong.construction.rectification",
        "第四十五条",
        {"rectification_due_date": "2026-06-30"},
        "required",
        {"due_date": "2026-06-30", "days_left": 15},
        as_of=dt.date(2026, 6, 15),
    ),
    Row(
        "nanchong.construction.rectification",
        "第四十五条",
        {"rectification_due_date": "2026-06-30"},
        "fail",
        note="overdue, not rectified",
    ),
    Row(
        "nanchong.construction.rectification_failed",
        "第四十五条",
        {"rectification_due_date": "2026-10-31", "rectification_failed": True},
        "fail",
    ),
    Row(
        "nanchong.construction.rectification_failed",
        "第四十五条",
        {"rectification_due_date": "2026-10-31", "rectification_failed": False},
        "pass",
    ),
    Row(
        "nanchong.construction.rectification_failed",
        "第四十五条",
        {},
        "not_applicable",
        note="no rectification ordered: nothing to fail, and `plan` is not held up by the question",
    ),
    # 第四十七条 security and crypto in step
    Row("nanchong.construction.security_sync", "第四十七条", {"security_compliant": False}, "fail"),
    Row("nanchong.construction.security_sync", "第四十七条", {"security_compliant": True}, "pass"),
    Row("nanchong.construction.crypto_sync", "第四十七条", {"crypto_compliant": False}, "fail"),
    Row("nanchong.construction.crypto_sync", "第四十七条", {"crypto_compliant": True}, "pass"),
    # 第四十八条 safe and reliable products
    Row(
        "nanchong.approval.safe_reliable_products",
        "第四十八条",
        {"documents": ["safe_reliable_statement"]},
        "pass",
    ),
    Row(
        "nanchong.approval.safe_reliable_products",
        "第四十八条",
        {"documents": []},
        "fail",
        {"missing": [SAFE]},
    ),
    # 第四十九条 crypto and security: no O&M funds, no new systems
    *screening_rows(
        "nanchong.intake.unit_security_violation",
        "第四十九条",
        "nc_unit_security_noncompliant",
        "项目单位有不符合密码应用和网络安全要求或者存在重大安全隐患的项目",
        "The unit has a project failing crypto or network security requirements "
        "or with a major security hazard",
    ),
    Row(
        "nanchong.om_funding.security",
        "第四十九条",
        {"crypto_compliant": False, "security_compliant": True, "major_security_hazard": False},
        "fail",
        note="crypto",
    ),
    Row(
        "nanchong.om_funding.security",
        "第四十九条",
        {"crypto_compliant": True, "security_compliant": False, "major_security_hazard": False},
        "fail",
        note="security",
    ),
    Row(
        "nanchong.om_funding.security",
        "第四十九条",
        {"crypto_compliant": True, "security_compliant": True, "major_security_hazard": True},
        "fail",
        note="major hazard",
    ),
    Row(
        "nanchong.om_funding.security",
        "第四十九条",
        {"crypto_compliant": True, "security_compliant": True, "major_security_hazard": False},
        "pass",
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_rule(row):
    check_row(CODE, row)


def test_every_rule_has_a_row():
    assert uncovered_rules(CODE, ROWS) == set()


def test_a_secret_project_is_outside_the_measure_and_every_verdict_says_why():
    """第二条: 本办法适用于非涉密政务信息化项目，涉密信息化项目按有关规定执行 — no other rule applies."""
    from jurisdictions.packfiles import shipped_pack
    from jurisdictions.rules import evaluate

    spec, _ = shipped_pack(CODE)
    facts = {"is_secret": True, "category": "business_system", "total_investment_wan": 500, "documents": []}
    verdicts = evaluate(spec, facts, as_of=dt.date(2026, 11, 22))
    assert {v.outcome.value for v in verdicts} == {"not_applicable"}
    scope, *others = verdicts
    assert scope.rule_id == "nanchong.scope.non_secret"
    assert scope.message.zh == "涉密信息化项目按有关规定执行，不适用本办法"
    for verdict in others:
        assert verdict.message.zh == "涉密信息化项目按有关规定执行，不适用本办法（第二条）"
        assert verdict.data == {"excluded_by": "nanchong.scope.non_secret"}
    verdicts = evaluate(spec, {**facts, "is_secret": False}, as_of=dt.date(2026, 11, 22))
    assert "fail" in {v.outcome.value for v in verdicts}
