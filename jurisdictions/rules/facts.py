"""The fact vocabulary: every fact a rule may read, with its type.

Facts are plain values describing one project at one moment (RULES.md, "Facts the rules
need"). Names are stable API: the evaluate endpoint accepts exactly these. To add a fact,
add a row here with its type and a one-line meaning; pack validation then accepts it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from jurisdictions.rules.errors import FactError


class FactType(StrEnum):
    DECIMAL = "decimal"  # amounts in 万元, ratios
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    STRING = "string"
    STRING_SET = "string_set"  # e.g. document codes
    BOOLEAN_MAP = "boolean_map"  # e.g. negative-list answers, item code → applies


# name: (type, meaning)
FACTS: dict[str, tuple[FactType, str]] = {
    # What the project is
    "category": (FactType.STRING, "project category code from the pack's `categories`"),
    "laizhou_class": (FactType.STRING, "莱州 class: governance, public_service, market_operation (第八条)"),
    "funding_source": (FactType.STRING, "fiscal, special_fund, donated, self_raised, other"),
    "is_secret": (FactType.BOOLEAN, "涉密项目"),
    "is_upgrade": (FactType.BOOLEAN, "upgrade or extension of an existing system (升级改造)"),
    "is_new_build": (FactType.BOOLEAN, "a new system (新建)"),
    "is_urgent": (FactType.BOOLEAN, "urgent / emergency project (应急、紧急)"),
    "ordered_by_higher_level": (FactType.BOOLEAN, "ordered by a higher-level government (上级部署)"),
    "is_service_procurement": (FactType.BOOLEAN, "bought as a service (政府购买服务)"),
    "is_om_service": (FactType.BOOLEAN, "an O&M-service project (运维服务类)"),
    "has_custom_software": (FactType.BOOLEAN, "includes custom software development (定制开发)"),
    "has_civil_works": (FactType.BOOLEAN, "includes civil works (土建)"),
    "high_energy_use": (FactType.BOOLEAN, "high energy use (高耗能)"),
    "is_public_service": (FactType.BOOLEAN, "a government-service or public-service project"),
    "is_office_system": (FactType.BOOLEAN, "an office, decision-support project (办公类、决策辅助类)"),
    "is_shared_infrastructure": (FactType.BOOLEAN, "public infrastructure or shared platform"),
    # Money, in 万元
    "total_investment_wan": (FactType.DECIMAL, "total investment (总投资), 万元"),
    "original_investment_wan": (FactType.DECIMAL, "investment of the original system being upgraded, 万元"),
    "approved_estimate_wan": (FactType.DECIMAL, "approved investment estimate (批复概算), 万元"),
    "adjustment_wan": (FactType.DECIMAL, "size of the proposed adjustment (调整金额), 万元"),
    "new_content_wan": (FactType.DECIMAL, "investment of newly added content (新增建设内容), 万元"),
    "tender_savings_wan": (FactType.DECIMAL, "tender savings (招标节余), 万元"),
    "adjustment_increase_wan": (FactType.DECIMAL, "content a change increases (调增), 万元"),
    "adjustment_decrease_wan": (FactType.DECIMAL, "content a change decreases (调减), 万元"),
    "om_annual_request_wan": (FactType.DECIMAL, "annual O&M funds requested (年度运维经费), 万元"),
    # Where it stands
    "is_isolated_system": (FactType.BOOLEAN, "isolated system, not on shared cloud/platforms (孤立系统)"),
    "on_investment_approval_platform": (FactType.BOOLEAN, "reported on the online investment platform"),
    "sharing_not_permitted": (FactType.BOOLEAN, "rules forbid sharing its data, yet it must exist"),
    "data_opened_to_specific_parties": (FactType.BOOLEAN, "shareable data opened only to some firms"),
    "city_government_approved": (FactType.BOOLEAN, "agreed by the municipal government (市政府审定)"),
    "design_exceeds_fsr": (FactType.BOOLEAN, "preliminary design exceeds the approved FSR (超出可研批复)"),
    "major_change": (FactType.BOOLEAN, "major change of design or content (重大变更)"),
    "change_made_without_approval": (FactType.BOOLEAN, "change made before it was approved (擅自变更)"),
    "termination_grounds_met": (FactType.BOOLEAN, "progress made but outside change/force majeure stops it"),
    "termination_approved": (FactType.BOOLEAN, "termination agreed by the leading group (领导小组同意终止)"),
    "has_public_opinion_new_tech": (FactType.BOOLEAN, "new internet tech/app with public-opinion power"),
    "replaceable_by_unified_system": (FactType.BOOLEAN, "own system a shared one can merge or replace"),
    "om_contract_term_years": (FactType.DECIMAL, "performance period of an O&M service contract, in years"),
    "om_is_continuation": (
        FactType.BOOLEAN,
        "continuing O&M (接续运维), not newly entering O&M (新纳入运维)",
    ),
    "government_consent_given": (
        FactType.BOOLEAN,
        "the government at this level agreed to add it (经区政府同意增补)",
    ),
    "expert_review_requested": (
        FactType.BOOLEAN,
        "the data bureau decided to organise an expert/third-party review",
    ),
    "approved_outside_data_bureau": (
        FactType.BOOLEAN,
        "built via another channel, approved outside the data bureau",
    ),
    "is_town_comprehensive_project": (FactType.BOOLEAN, "town/park builds a comprehensive system alone"),
    "built_by_township": (
        FactType.BOOLEAN,
        "built alone by a sumu, township or street (苏木乡镇（街道）独立建设)",
    ),
    "leading_group_approved": (FactType.BOOLEAN, "approved by the leading group (领导小组批准)"),
    "independent_build_required": (FactType.BOOLEAN, "law or higher authority requires a standalone build"),
    "on_management_platform": (FactType.BOOLEAN, "declared or filed on the project management platform"),
    "implementation_body_assigned": (FactType.BOOLEAN, "implementing body and project leader named (负责人)"),
    "ip_terms_in_contract": (FactType.BOOLEAN, "tender documents and contract state IP ownership (产权)"),
    "is_city_brain_project": (FactType.BOOLEAN, "a department's own 城市大脑-type project"),
    "waste_or_poor_performance_found": (FactType.BOOLEAN, "investment waste or low performance found (浪费)"),
    "rectification_failed": (FactType.BOOLEAN, "still below requirements after rectification (整改)"),
    "free_om_years": (FactType.DECIMAL, "agreed free O&M period (免费运维期), in years"),
    "conforms_to_plan": (FactType.BOOLEAN, "follows the informatization plan (规划), e.g. 数字鄂尔多斯规划"),
    "estimate_matches_budget_request": (FactType.BOOLEAN, "plan estimate = budget request (预算一上)"),
    "strategic_or_security_reason": (FactType.BOOLEAN, "major strategy or security reason (重大战略、安全)"),
    "preparatory_work_adequate": (FactType.BOOLEAN, "preparatory work deep enough (前期工作深度达到要求)"),
    "is_cross_department": (FactType.BOOLEAN, "built jointly by several departments (跨部门共建共享)"),
    "design_approved": (FactType.BOOLEAN, "preliminary design and estimate approved (初步设计批复)"),
    "includes_hardware": (FactType.BOOLEAN, "includes hardware or a new data centre (硬件、新建数据中心)"),
    "serious_delay_or_loss": (FactType.BOOLEAN, "serious delay or major loss (严重逾期、重大损失)"),
    "isolated_network_approved": (FactType.BOOLEAN, "government approved a non-sharing system (孤网例外)"),
    "surplus_wan": (FactType.DECIMAL, "unspent investment at completion (结余资金), 万元"),
    "declarer_role": (FactType.STRING, "who declares: data_bureau, department, lead_department, other"),
    "simplified_approval_eligible": (FactType.BOOLEAN, "state rules allow simplified approval (可简化报批)"),
    "uses_xinchuang_products": (FactType.BOOLEAN, "uses 信创 (domestic) software and hardware products"),
    "in_project_library": (FactType.BOOLEAN, "entered in the project library (项目库)"),
    "in_annual_plan": (FactType.BOOLEAN, "in the annual plan or list (年度计划)"),
    "in_system_catalogue": (FactType.BOOLEAN, "registered in the system/project catalogue (目录)"),
    "uses_resource_catalogue": (FactType.BOOLEAN, "based on the infrastructure resource catalogue"),
    "deployed_on_gov_cloud": (FactType.BOOLEAN, "deployed on or migrated to the government cloud (政务云)"),
    "shares_data": (FactType.BOOLEAN, "shares the data it should share (数据共享)"),
    "duplicates_data_collection": (FactType.BOOLEAN, "collects data already collected elsewhere (重复采集)"),
    "connected_to_exchange_platform": (FactType.BOOLEAN, "connected to the data-sharing exchange platform"),
    "on_integrated_service_platform": (FactType.BOOLEAN, "on the integrated government-service platform"),
    "on_unified_office_platform": (FactType.BOOLEAN, "on the unified collaborative office platform"),
    "crypto_compliant": (FactType.BOOLEAN, "commercial-crypto requirements met (密码应用)"),
    "security_compliant": (FactType.BOOLEAN, "security protection requirements met (等级保护)"),
    "major_security_hazard": (FactType.BOOLEAN, "a major security hazard exists (重大安全隐患)"),
    "is_zombie": (FactType.BOOLEAN, "stopped or zombie system (停用、僵尸系统)"),
    "performance_poor": (FactType.BOOLEAN, "performance evaluation poor or platform not updated"),
    "supervisor_engaged": (FactType.BOOLEAN, "a supervision (监理) firm is engaged"),
    "procurement_started": (FactType.BOOLEAN, "procurement (采购) has started"),
    "goal_changed": (FactType.BOOLEAN, "the construction goal changes (建设目标改变)"),
    "within_estimate": (FactType.BOOLEAN, "total investment stays within the approved estimate"),
    "change_reason": (FactType.STRING, "higher_order, technical_optimisation, business_need, other"),
    "accepted": (FactType.BOOLEAN, "passed completion acceptance (竣工验收)"),
    "archive_accepted": (FactType.BOOLEAN, "archive acceptance (档案验收) passed"),
    "pre_acceptance_passed": (FactType.BOOLEAN, "pre-acceptance review (预验收审查) passed"),
    "performance_rating": (FactType.STRING, "excellent, good, pass, poor"),
    # Documents and screening
    "documents": (FactType.STRING_SET, "codes of documents on file, from the pack's `documents`"),
    "negative_list_answers": (FactType.BOOLEAN_MAP, "negative-list item code → true when the item applies"),
    # Dates
    "acceptance_applied_date": (FactType.DATE, "date acceptance is applied for or organised (申请验收)"),
    "planned_year_start_date": (
        FactType.DATE,
        "1 Jan of the year the project is planned/funded for (计划年度)",
    ),
    "om_period_end_date": (FactType.DATE, "end of the current paid O&M period (运维期结束)"),
    "acceptance_filing_date": (FactType.DATE, "completion-acceptance filing form (竣工验收备案表) submitted"),
    "acceptance_delay_applied_date": (FactType.DATE, "delayed-acceptance application (延期验收申请) filed"),
    "acceptance_delay_new_due_date": (FactType.DATE, "new acceptance due date granted on it (批准延期至)"),
    "rectification_due_date": (FactType.DATE, "rectification deadline (限期整改) set by a supervisor"),
    "rectification_done_date": (FactType.DATE, "rectification (整改) completed and confirmed"),
    "declaration_date": (FactType.DATE, "date of declaration (申报)"),
    "review_passed_date": (FactType.DATE, "date the review passed"),
    "prerequisites_complete_date": (FactType.DATE, "date the prerequisite documents were complete"),
    "approval_date": (FactType.DATE, "date of approval (批复)"),
    "construction_start_date": (FactType.DATE, "construction started (开工)"),
    "completion_date": (FactType.DATE, "construction completed (建成)"),
    "trial_run_start": (FactType.DATE, "trial run (试运行) started"),
    "trial_run_stable_date": (FactType.DATE, "trial run stable since"),
    "acceptance_date": (FactType.DATE, "completion acceptance (竣工验收) date"),
    "operation_start_date": (FactType.DATE, "formal operation started (正式运行)"),
    "last_acceptance_date": (FactType.DATE, "final acceptance of the unit's previous new system"),
    "self_evaluation_date": (FactType.DATE, "self-evaluation (自评价) submitted"),
    "progress_report_date": (FactType.DATE, "this year's progress/performance report submitted"),
    "plan_submitted_date": (FactType.DATE, "next year's plan submitted"),
    "free_om_end_date": (FactType.DATE, "free O&M or warranty end agreed in the contract (免费运维期)"),
    "standard_published_date": (FactType.DATE, "a standard published from the project"),
    "om_application_date": (FactType.DATE, "O&M funding application submitted"),
    "procurement_start_date": (FactType.DATE, "procurement (采购) started on"),
    "om_year_start_date": (FactType.DATE, "first day of the year the O&M funds are applied for"),
}


def fact_type(name: str) -> FactType | None:
    entry = FACTS.get(name)
    return entry[0] if entry else None


# Chinese names of the facts, for pages that tell a person which fact is meant (the meanings
# above are for developers). A fact without one here is shown by its meaning.
FACT_LABELS_ZH: dict[str, str] = {
    "category": "项目类别",
    "laizhou_class": "项目分类（莱州）",
    "funding_source": "资金来源",
    "is_secret": "涉密项目",
    "is_upgrade": "升级改造项目",
    "is_new_build": "新建项目",
    "is_urgent": "应急、紧急项目",
    "ordered_by_higher_level": "上级部署项目",
    "is_service_procurement": "政府购买服务",
    "is_om_service": "运维服务类项目",
    "has_custom_software": "含定制开发",
    "has_civil_works": "含土建工程",
    "high_energy_use": "高耗能",
    "is_public_service": "政务服务或公共服务项目",
    "is_office_system": "办公类、决策辅助类项目",
    "is_shared_infrastructure": "公共基础设施或共享平台",
    "total_investment_wan": "总投资（万元）",
    "original_investment_wan": "原系统投资（万元）",
    "approved_estimate_wan": "批复概算（万元）",
    "adjustment_wan": "调整金额（万元）",
    "new_content_wan": "新增建设内容投资（万元）",
    "tender_savings_wan": "招标节余（万元）",
    "adjustment_increase_wan": "调增建设内容投资（万元）",
    "adjustment_decrease_wan": "调减建设内容投资（万元）",
    "om_annual_request_wan": "年度运维经费申请（万元）",
    "is_isolated_system": "孤立系统",
    "on_investment_approval_platform": "是否在投资项目在线审批监管平台报送",
    "sharing_not_permitted": "按规定不得共享数据",
    "data_opened_to_specific_parties": "可共享数据仅向特定企业开放",
    "city_government_approved": "市政府审定同意",
    "design_exceeds_fsr": "初步设计超出可研批复",
    "major_change": "重大变更",
    "change_made_without_approval": "擅自变更",
    "termination_grounds_met": "符合终止条件",
    "termination_approved": "领导小组同意终止",
    "has_public_opinion_new_tech": "具有舆论属性的互联网新技术新应用",
    "replaceable_by_unified_system": "可由统一系统整合替代",
    "om_contract_term_years": "运维服务合同履行期限（年）",
    "om_is_continuation": "接续运维",
    "government_consent_given": "经本级政府同意增补",
    "expert_review_requested": "数据局决定组织专家或第三方评审",
    "approved_outside_data_bureau": "经其他渠道审批（非数据局）",
    "is_town_comprehensive_project": "镇（园区）自行建设综合性系统",
    "built_by_township": "苏木乡镇（街道）独立建设",
    "leading_group_approved": "领导小组批准",
    "independent_build_required": "法律法规或上级要求独立建设",
    "on_management_platform": "是否在项目管理平台申报或备案",
    "implementation_body_assigned": "是否明确实施主体和项目负责人",
    "ip_terms_in_contract": "招标文件和合同已明确知识产权归属",
    "is_city_brain_project": "部门自建城市大脑类项目",
    "waste_or_poor_performance_found": "发现投资浪费或绩效低下",
    "rectification_failed": "整改后仍不符合要求",
    "free_om_years": "免费运维期（年）",
    "conforms_to_plan": "符合信息化规划",
    "estimate_matches_budget_request": "项目估算与预算一上一致",
    "strategic_or_security_reason": "重大战略或安全原因",
    "preparatory_work_adequate": "前期工作深度达到要求",
    "is_cross_department": "跨部门共建共享",
    "design_approved": "初步设计及概算已批复",
    "includes_hardware": "含硬件购置或新建数据中心",
    "serious_delay_or_loss": "严重逾期或重大损失",
    "isolated_network_approved": "经政府批准不共享（孤网例外）",
    "surplus_wan": "结余资金（万元）",
    "declarer_role": "申报主体",
    "simplified_approval_eligible": "可简化报批",
    "uses_xinchuang_products": "采用信创产品",
    "in_project_library": "是否入项目库",
    "in_annual_plan": "是否列入年度计划",
    "in_system_catalogue": "是否纳入系统（项目）目录",
    "uses_resource_catalogue": "基于基础设施资源目录建设",
    "deployed_on_gov_cloud": "部署或迁移至政务云",
    "shares_data": "按要求共享数据",
    "duplicates_data_collection": "重复采集数据",
    "connected_to_exchange_platform": "是否接入数据共享交换平台",
    "on_integrated_service_platform": "是否接入一体化政务服务平台",
    "on_unified_office_platform": "是否接入统一协同办公平台",
    "crypto_compliant": "符合商用密码应用要求",
    "security_compliant": "符合等级保护要求",
    "major_security_hazard": "存在重大安全隐患",
    "is_zombie": "停用或僵尸系统",
    "performance_poor": "绩效评价差或平台未更新",
    "supervisor_engaged": "是否委托工程监理单位",
    "procurement_started": "是否开始采购",
    "goal_changed": "建设目标改变",
    "within_estimate": "总投资未超批复概算",
    "change_reason": "变更原因",
    "accepted": "是否通过竣工验收",
    "archive_accepted": "是否通过档案验收",
    "pre_acceptance_passed": "是否通过预验收审查",
    "performance_rating": "绩效评价等级",
    "documents": "报送文件",
    "negative_list_answers": "负面清单答复",
    "acceptance_applied_date": "申请验收日期",
    "planned_year_start_date": "计划年度起始日期",
    "om_period_end_date": "本期运维期结束日期",
    "acceptance_filing_date": "竣工验收备案表提交日期",
    "acceptance_delay_applied_date": "延期验收申请日期",
    "acceptance_delay_new_due_date": "批准延期后的验收期限",
    "rectification_due_date": "限期整改截止日期",
    "rectification_done_date": "整改完成日期",
    "declaration_date": "申报日期",
    "review_passed_date": "审核通过日期",
    "prerequisites_complete_date": "前置材料齐备日期",
    "approval_date": "批复日期",
    "construction_start_date": "开工日期",
    "completion_date": "建成日期",
    "trial_run_start": "试运行开始日期",
    "trial_run_stable_date": "试运行稳定日期",
    "acceptance_date": "竣工验收日期",
    "operation_start_date": "正式运行日期",
    "last_acceptance_date": "本单位上一个新建系统的终验日期",
    "self_evaluation_date": "自评价提交日期",
    "progress_report_date": "本年度进展（绩效）报告提交日期",
    "plan_submitted_date": "下一年度计划提交日期",
    "free_om_end_date": "免费运维期结束日期",
    "standard_published_date": "依托项目发布标准的日期",
    "om_application_date": "运维经费申请提交日期",
    "procurement_start_date": "采购启动日期",
    "om_year_start_date": "申请运维经费年度的起始日",
}


def fact_label(name: str, *, english: bool = False) -> str:
    """The fact as a person calls it: its Chinese name, or (in English) its meaning."""
    entry = FACTS.get(name)
    if english or name not in FACT_LABELS_ZH:
        return entry[1] if entry else name
    return FACT_LABELS_ZH[name]


# Bounds a fact must keep so that date arithmetic, sums and responses stay finite (issue 6 §4).
FACT_DATE_MIN = dt.date(1900, 1, 1)
FACT_DATE_MAX = dt.date(2200, 12, 31)
FACT_NUMBER_MAX = Decimal(10) ** 12  # 万元: a thousand billion 万元 is beyond any project
FACT_DECIMAL_PLACES = 8
FACT_TEXT_MAX = 1000  # characters of a string, items of a list or entries of a map
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no database stores them


def _text(value: str) -> str:
    if _UNSTORABLE.search(value):
        raise ValueError("must not contain NUL characters or lone surrogates")
    if len(value) > FACT_TEXT_MAX:
        raise ValueError(f"must be at most {FACT_TEXT_MAX} characters")
    return value


def _texts(values) -> None:
    """`_text` of each string, checked at once when all pass (the usual case)."""
    if _UNSTORABLE.search("".join(values)) is None and all(len(v) <= FACT_TEXT_MAX for v in values):
        return
    for value in values:
        _text(value)


def _date_in_range(value: dt.date) -> dt.date:
    if not FACT_DATE_MIN <= value <= FACT_DATE_MAX:
        raise ValueError(f"expected a date between {FACT_DATE_MIN} and {FACT_DATE_MAX}, got {value}")
    return value


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("expected a number (万元), e.g. 120.5")
    if type(value) is Decimal:
        number = value  # as Decimal(str(value)) would give it back: already parsed
    else:
        try:
            number = Decimal(str(value))
        except InvalidOperation as exc:
            raise ValueError(f"expected a number, got {value!r}") from exc
    if not number.is_finite():
        raise ValueError("expected a finite number")
    if abs(number) > FACT_NUMBER_MAX:
        raise ValueError(f"expected a number between -{FACT_NUMBER_MAX} and {FACT_NUMBER_MAX}")
    # normalize() only raises the exponent, so a number written with few places needs no more.
    if (
        number
        and number.as_tuple().exponent < -FACT_DECIMAL_PLACES
        and number.normalize().as_tuple().exponent < -FACT_DECIMAL_PLACES
    ):
        raise ValueError(f"expected at most {FACT_DECIMAL_PLACES} decimal places")
    return number


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("expected a whole number")
    if abs(value) > FACT_NUMBER_MAX:
        raise ValueError(f"expected a whole number between -{FACT_NUMBER_MAX} and {FACT_NUMBER_MAX}")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return _date_in_range(value.date())
    if isinstance(value, dt.date):
        return _date_in_range(value)
    if isinstance(value, str):
        try:
            # fromisoformat takes only short ASCII forms: what it accepts, _text passes.
            parsed = dt.date.fromisoformat(value if len(value) <= 10 else _text(value))
        except ValueError as exc:
            raise ValueError(f"expected a date as YYYY-MM-DD, got {value[:40]!r}") from exc
        return _date_in_range(parsed)
    raise ValueError("expected a date as YYYY-MM-DD")


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a string")
    return _text(value)


def _string_set(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError("expected a list of codes")
    if not all(isinstance(item, str) for item in value):
        raise ValueError("expected a list of strings")
    if len(value) > FACT_TEXT_MAX:
        raise ValueError(f"expected at most {FACT_TEXT_MAX} codes")
    _texts(value)
    return frozenset(value)


def _boolean_map(value: Any) -> dict[str, bool]:
    if not isinstance(value, Mapping):
        raise ValueError("expected an object of code → true/false")
    if len(value) > FACT_TEXT_MAX:
        raise ValueError(f"expected at most {FACT_TEXT_MAX} entries")
    bad = [k for k, v in value.items() if not isinstance(k, str) or not isinstance(v, bool)]
    if bad:
        raise ValueError(f"expected true/false for {', '.join(map(_shown, bad))}")
    _texts(value)
    return dict(value)


_COERCE = {
    FactType.DECIMAL: _decimal,
    FactType.INTEGER: _integer,
    FactType.BOOLEAN: _boolean,
    FactType.DATE: _date,
    FactType.STRING: _string,
    FactType.STRING_SET: _string_set,
    FactType.BOOLEAN_MAP: _boolean_map,
}


def _coerce(name: str, kind: FactType, value: Any) -> Any:
    if value is None:
        return None
    coerce = _COERCE.get(kind)
    if coerce is None:
        raise AssertionError(kind)  # pragma: no cover
    return coerce(value)


def _shown(name: Any) -> str:
    """A name as it can be echoed back in a JSON answer (no lone surrogates, not too long)."""
    return str(name)[:200].encode("utf-8", "backslashreplace").decode("utf-8")


def parse_facts(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check names and types and convert to Python values; raise FactError naming every problem."""
    if not isinstance(raw, Mapping):
        raise FactError([{"fact": "", "problem": "facts must be an object of name → value"}])
    problems: list[dict] = []
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        entry = FACTS.get(name) if isinstance(name, str) else None
        if entry is None:
            problems.append({"fact": _shown(name), "problem": "unknown fact"})
            continue
        kind = entry[0]
        if kind is FactType.BOOLEAN and (value is True or value is False):
            parsed[name] = value  # most facts: the check itself
            continue
        try:
            parsed[name] = None if value is None else _COERCE[kind](value)
        except ValueError as exc:
            problems.append({"fact": name, "problem": str(exc), "expected": kind.value})
    if problems:
        raise FactError(problems)
    return parsed


# ---------------------------------------------------------------------------- where facts come from
# ARCHITECTURE.md, "Facts come from records": a person types only declared facts (on the project
# form); decided facts are recorded in a decision, derived ones computed from records. Every fact
# is in exactly one of the three lists below (tests/jurisdictions/test_fact_sources.py).


class FactSource(StrEnum):
    DECLARED = "declared"  # 申报单位填报: what the department asserts about its project
    DECIDED = "decided"  # 决定记录: what a reviewer, finance officer or admin records in a decision
    DERIVED = "derived"  # 依据记录得出: computed from documents, decisions, dates and the baseline


# Where the system stands, as the department states it: on the project form, and once the form is
# closed as a statement (projects.findings) that the approving authority may overrule.
STANDING = (
    "on_investment_approval_platform",
    "on_management_platform",
    "implementation_body_assigned",
    "in_system_catalogue",
    "uses_resource_catalogue",
    "deployed_on_gov_cloud",
    "shares_data",
    "duplicates_data_collection",
    "connected_to_exchange_platform",
    "on_integrated_service_platform",
    "on_unified_office_platform",
    "crypto_compliant",  # the department's statement; the prerequisite documents back it
    "security_compliant",
)
_DECLARED = (
    # the project's own fields (category, money, funding) and what it is
    "category",
    "laizhou_class",
    "funding_source",
    "total_investment_wan",
    "original_investment_wan",  # the old system's investment: stated by the department filing the upgrade
    "is_secret",
    "is_upgrade",
    "is_new_build",
    "is_urgent",
    "ordered_by_higher_level",
    "is_service_procurement",
    "is_om_service",
    "has_custom_software",
    "has_civil_works",
    "high_energy_use",
    "is_public_service",
    "is_office_system",
    "is_shared_infrastructure",
    "is_isolated_system",
    "sharing_not_permitted",
    "data_opened_to_specific_parties",
    "has_public_opinion_new_tech",
    "is_town_comprehensive_project",
    "built_by_township",
    "independent_build_required",
    "is_city_brain_project",
    "is_cross_department",
    "includes_hardware",
    "uses_xinchuang_products",
    "declarer_role",
    "conforms_to_plan",  # asserted by the department; the review may question it
    "estimate_matches_budget_request",
    "strategic_or_security_reason",
    "approved_outside_data_bureau",  # the department states it went through another channel
    "free_om_years",  # the term agreed in the contract (the procurement record writes it when it states one)
    *STANDING,
)
_DECIDED = (
    "negative_list_answers",  # screening answers count once a reviewer has reviewed them
    "city_government_approved",
    "design_exceeds_fsr",  # the reviewer compares the design with the FSR approval
    "major_change",  # whether a change is major is the reviewer's call, not the filer's
    "change_made_without_approval",
    "termination_grounds_met",
    "termination_approved",
    "replaceable_by_unified_system",  # the data bureau judges it
    "government_consent_given",
    "expert_review_requested",
    "leading_group_approved",
    "waste_or_poor_performance_found",
    "rectification_failed",
    "preparatory_work_adequate",  # judged in the review
    "serious_delay_or_loss",
    "isolated_network_approved",
    "simplified_approval_eligible",
    "major_security_hazard",
    "is_zombie",
    "performance_poor",
    "performance_rating",
    "rectification_due_date",  # set by a supervisor in a decision
    "acceptance_delay_new_due_date",  # granted in the decision on a delay application
    "pre_acceptance_passed",  # the reviewer's pre-acceptance review (acceptance.completion)
    "archive_accepted",  # the archive acceptance decided (acceptance.completion)
)
_DERIVED = (
    "documents",
    "approved_estimate_wan",  # the approved baseline
    "adjustment_wan",  # the change request (调整) record
    "new_content_wan",
    "goal_changed",
    "change_reason",
    "tender_savings_wan",
    "adjustment_increase_wan",
    "adjustment_decrease_wan",
    "within_estimate",
    "surplus_wan",
    "om_annual_request_wan",  # the O&M funding application record
    "om_contract_term_years",
    "om_is_continuation",
    "design_approved",  # the approval stage of the preliminary design
    "in_project_library",  # the project's phase
    "in_annual_plan",
    "accepted",  # acceptance records
    "acceptance_applied_date",
    "planned_year_start_date",  # the plan year
    "om_period_end_date",
    "acceptance_filing_date",
    "acceptance_delay_applied_date",
    "rectification_done_date",
    "declaration_date",
    "review_passed_date",
    "prerequisites_complete_date",  # the date the last required opinion arrived
    "approval_date",
    "construction_start_date",
    "completion_date",
    "trial_run_start",
    "trial_run_stable_date",
    "acceptance_date",
    "operation_start_date",
    "last_acceptance_date",
    "self_evaluation_date",
    "progress_report_date",
    "plan_submitted_date",
    "free_om_end_date",
    "standard_published_date",
    "om_application_date",
    "om_year_start_date",  # the O&M funding application record (its year)
    # projects.construction: the supervision contract, the procurement record and its contract
    "supervisor_engaged",
    "procurement_started",
    "procurement_start_date",
    "ip_terms_in_contract",
)
FACT_SOURCES: dict[str, FactSource] = {
    **dict.fromkeys(_DECLARED, FactSource.DECLARED),
    **dict.fromkeys(_DECIDED, FactSource.DECIDED),
    **dict.fromkeys(_DERIVED, FactSource.DERIVED),
}

# Help beside a declared fact on the project form, in Chinese (English: the meaning in FACTS).
FACT_HELP_ZH: dict[str, str] = {
    "category": "按本地办法规定的项目类别选择",
    "laizhou_class": "按莱州办法第八条：治理类、公共服务类或市场化运营类",
    "funding_source": "财政资金、专项资金、自筹、捐赠或其他",
    "total_investment_wan": "项目总投资，单位万元",
    "original_investment_wan": "升级改造项目所依托的原系统的投资，单位万元",
    "is_secret": "项目是否涉及国家秘密（涉密项目按保密规定另行管理）",
    "is_upgrade": "是否对已有系统进行升级、改造或扩展",
    "is_new_build": "是否建设一个全新的系统",
    "is_urgent": "是否因应急、紧急情况需要建设",
    "ordered_by_higher_level": "是否为上级部署、要求建设的项目",
    "is_service_procurement": "是否以政府购买服务的方式实施",
    "is_om_service": "是否为对已建系统的运行维护服务",
    "has_custom_software": "是否包含定制软件开发",
    "has_civil_works": "是否包含土建工程",
    "high_energy_use": "项目是否属于高耗能",
    "is_public_service": "是否面向企业和群众提供政务服务或公共服务",
    "is_office_system": "是否为办公类、决策辅助类系统",
    "is_shared_infrastructure": "是否为公共基础设施或多个部门共用的平台",
    "is_isolated_system": "是否未依托政务云、共享平台，无法互联互通的孤立系统",
    "sharing_not_permitted": "按规定其数据不得共享，但系统确需建设",
    "data_opened_to_specific_parties": "可共享的数据是否只向特定企业开放",
    "has_public_opinion_new_tech": "是否涉及具有舆论属性或社会动员能力的互联网新技术新应用",
    "is_town_comprehensive_project": "是否由镇（园区）自行建设综合性信息系统",
    "built_by_township": "是否由苏木乡镇（街道）独立建设",
    "independent_build_required": "是否有法律法规或上级明确要求独立建设",
    "is_city_brain_project": "是否为部门自行建设的城市大脑类项目",
    "is_cross_department": "是否由多个部门共建共享",
    "includes_hardware": "是否包含硬件购置或新建数据中心",
    "uses_xinchuang_products": "是否采用信创（安全可靠）软硬件产品",
    "declarer_role": "由谁申报：数据局、部门、牵头部门或其他",
    "conforms_to_plan": "是否符合本地政务信息化规划",
    "estimate_matches_budget_request": "项目估算是否与部门预算“一上”一致",
    "strategic_or_security_reason": "是否因重大战略或安全原因需要建设",
    "on_investment_approval_platform": "是否已在投资项目在线审批监管平台报送",
    "on_management_platform": "是否已在政务信息化项目管理平台申报或备案",
    "approved_outside_data_bureau": "是否经其他渠道（非数据局）审批建设",
    "implementation_body_assigned": "是否已明确实施主体和项目负责人",
    "ip_terms_in_contract": "招标文件和合同是否已明确知识产权归属",
    "free_om_years": "合同约定的免费运维期，单位年",
    "in_system_catalogue": "是否已纳入系统（项目）目录",
    "uses_resource_catalogue": "是否基于基础设施资源目录建设",
    "deployed_on_gov_cloud": "是否部署在政务云或迁移至政务云",
    "shares_data": "是否按要求共享数据",
    "duplicates_data_collection": "是否重复采集其他部门已采集的数据",
    "connected_to_exchange_platform": "是否接入数据共享交换平台",
    "on_integrated_service_platform": "是否接入一体化政务服务平台",
    "on_unified_office_platform": "是否接入统一协同办公平台",
    "crypto_compliant": "是否符合商用密码应用要求",
    "security_compliant": "是否符合网络安全等级保护要求",
    "supervisor_engaged": "是否已委托工程监理单位",
    "procurement_started": "是否已开始采购",
}

# Where a fact that is not typed on the form comes from, said to the person who reads it.
SOURCE_HELP = {
    FactSource.DECIDED: (
        "由审核人员、财务人员或管理员在相关决定中记录，不在项目表中填写",
        "recorded in a decision by a reviewer, finance officer or admin; not typed on the project form",
    ),
    FactSource.DERIVED: (
        "根据文件、办理记录、批复和日期自动得出，不在项目表中填写",
        "worked out from documents, decisions, approvals and dates; not typed on the project form",
    ),
}


@dataclass(frozen=True)
class FactInfo:
    """A fact as pages show it: its names and help in both languages, its type and its source."""

    name: str
    type: FactType
    source: FactSource
    label_zh: str
    label_en: str
    help_zh: str
    help_en: str

    def label(self, *, english: bool = False) -> str:
        return self.label_en if english else self.label_zh

    def help(self, *, english: bool = False) -> str:
        return self.help_en if english else self.help_zh


def fact_info(name: str) -> FactInfo:
    """Labels, help, type and source of a known fact (KeyError for a name the vocabulary lacks)."""
    kind, meaning = FACTS[name]
    source = FACT_SOURCES[name]
    if source is FactSource.DECLARED:
        help_zh, help_en = FACT_HELP_ZH[name], meaning
    else:
        help_zh, help_en = SOURCE_HELP[source]
    return FactInfo(
        name=name,
        type=kind,
        source=source,
        label_zh=FACT_LABELS_ZH[name],
        label_en=meaning,
        help_zh=help_zh,
        help_en=help_en,
    )


# The values of the declared facts that are one of a few words, as a person reads them (zh, en).
FACT_VALUE_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "declarer_role": {
        "data_bureau": ("数据局（政务服务和数据管理部门）", "the data bureau"),
        "department": ("项目单位（部门）", "the department"),
        "lead_department": ("牵头部门", "the lead department"),
        "other": ("其他", "other"),
    },
    "laizhou_class": {
        "governance": ("治理类", "governance"),
        "public_service": ("公共服务类", "public service"),
        "market_operation": ("市场化运营类", "market operation"),
    },
}
