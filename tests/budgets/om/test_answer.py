"""The overall answer on an O&M application (budgets.om.answer): a pure function over verdicts.

First the aggregation itself on hand-made verdicts, then a table against the five real packs: each
O&M rule's condition true or false gives the answer, with the refusing (or warning) rule and its article.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgets.om.answer import FUNDABLE, NEEDS_ATTENTION, REFUSED, answer_of, snapshot
from jurisdictions.packfiles import shipped_pack
from jurisdictions.rules import evaluate


def row(rule_id, outcome, *, kind="condition", phase="om_funding", effect="om_funds_withheld", **data):
    return {
        "rule_id": rule_id,
        "kind": kind,
        "phase": phase,
        "outcome": outcome,
        "effect": effect,
        "title": {"zh": rule_id, "en": rule_id},
        "message": {"zh": f"{rule_id} 说明", "en": rule_id},
        "article": "第一条",
        "clause": "",
        "citation": "某办法 第一条",
        "data": data,
    }


def test_every_rule_passing_is_fundable():
    answer = answer_of([row("a.om_funding.x", "pass"), row("a.om_funding.y", "not_applicable")])
    assert answer.code == FUNDABLE
    assert answer.label == "可以安排"
    assert [line.rule_id for line in answer.shown] == ["a.om_funding.x"]  # not applicable left out


def test_a_failing_rule_refuses_and_comes_first():
    answer = answer_of(
        [row("a.om_funding.ok", "pass"), row("a.om_funding.warn", "unknown"), row("a.om_funding.no", "fail")]
    )
    assert answer.code == REFUSED and answer.label == "不予安排"
    assert [line.rule_id for line in answer.lines] == [
        "a.om_funding.no",
        "a.om_funding.warn",
        "a.om_funding.ok",
    ]
    assert answer.first_reason.rule_id == "a.om_funding.no"


@pytest.mark.parametrize(
    "verdict, expected",
    [
        (row("a.om_funding.x", "unknown"), NEEDS_ATTENTION),  # facts missing: cannot be decided yet
        (row("a.om_funding.x", "required", effect="om_funds_at_risk"), NEEDS_ATTENTION),  # results weigh
        (
            row("a.evaluation.x", "info", phase="evaluation", effect="next_year_funding_at_risk"),
            NEEDS_ATTENTION,
        ),
        (row("a.om_funding.x", "fail", effect="om_funds_at_risk"), NEEDS_ATTENTION),
        (row("a.om_funding.docs", "required", kind="required_documents", effect=None), REFUSED),
        (row("a.om_funding.late", "fail", kind="deadline", effect=None), REFUSED),
        (row("a.om_funding.term", "fail", kind="threshold", effect=None), REFUSED),
        (row("a.evaluation.x", "fail", phase="evaluation", effect="om_funds_withheld"), REFUSED),
    ],
)
def test_what_each_outcome_means_for_the_funds(verdict, expected):
    assert answer_of([verdict]).code == expected


def test_rules_about_other_things_are_left_out():
    answer = answer_of([row("a.construction.x", "fail", phase="construction", effect="supervision_required")])
    assert answer.code == FUNDABLE and answer.lines == []


def test_a_cap_shows_its_amount_and_may_be_settled_by_reducing():
    answer = answer_of(
        [row("a.om_funding.cap", "fail", kind="ratio_cap", effect="om_funds_capped", cap_wan="60")]
    )
    assert answer.code == REFUSED
    assert str(answer.cap_wan) == "60"
    assert answer.only_capped


# ---------------------------------------------------------------------------- the five packs

AS_OF = dt.date(2026, 11, 24)
# Every O&M rule of every pack passes on these (an application for 2028, after the free period).
CLEAN = {
    "shares_data": True,
    "duplicates_data_collection": False,
    "in_system_catalogue": True,
    "uses_resource_catalogue": True,
    "crypto_compliant": True,
    "security_compliant": True,
    "major_security_hazard": False,
    "performance_poor": False,
    "performance_rating": "good",
    "accepted": True,
    "is_zombie": False,
    "om_annual_request_wan": 50,
    "om_contract_term_years": 1,
    "om_is_continuation": False,
    "om_application_date": "2026-11-20",
    "om_year_start_date": "2028-01-01",
    "free_om_end_date": "2027-12-31",
    "acceptance_date": "2024-03-01",
    "total_investment_wan": 600,
    "free_om_years": 3,
}
PACK_FACTS = {
    "laizhou": {"laizhou_class": "governance"},
    "hongshan": {
        "category": "om_service",
        "is_new_build": True,
        "is_public_service": True,
        "on_integrated_service_platform": True,
        "is_office_system": False,
        "is_upgrade": False,
    },
    "nanchong": {},
    "ordos": {},
    "baotou": {},
}
CONTINUING = {"om_is_continuation": True, "om_period_end_date": "2027-12-31"}

# (pack, facts changed from the clean ones, answer, the first reason's rule, its article)
TABLE = [
    *((code, {}, FUNDABLE, None, None) for code in PACK_FACTS),
    # 莱州 第二十六条 (一)–(四), 第二十九条
    ("laizhou", {"shares_data": False}, REFUSED, "laizhou.om_funding.data_sharing", "第二十六条"),
    (
        "laizhou",
        {"duplicates_data_collection": True},
        REFUSED,
        "laizhou.om_funding.data_sharing",
        "第二十六条",
    ),
    (
        "laizhou",
        {"in_system_catalogue": False},
        REFUSED,
        "laizhou.om_funding.catalogue_and_infrastructure",
        "第二十六条",
    ),
    (
        "laizhou",
        {"uses_resource_catalogue": False},
        REFUSED,
        "laizhou.om_funding.catalogue_and_infrastructure",
        "第二十六条",
    ),
    ("laizhou", {"crypto_compliant": False}, REFUSED, "laizhou.om_funding.security", "第二十六条"),
    ("laizhou", {"security_compliant": False}, REFUSED, "laizhou.om_funding.security", "第二十六条"),
    ("laizhou", {"performance_poor": True}, REFUSED, "laizhou.om_funding.performance", "第二十六条"),
    ("laizhou", {"om_annual_request_wan": 60}, FUNDABLE, None, None),  # exactly 10% of 600
    ("laizhou", {"om_annual_request_wan": "60.01"}, REFUSED, "laizhou.om_funding.annual_cap", "第二十九条"),
    (
        "laizhou",
        {"om_year_start_date": "2027-01-01"},
        REFUSED,
        "laizhou.om_funding.free_period_running",
        "第二十九条",
    ),
    ("laizhou", {"free_om_years": 2}, REFUSED, "laizhou.om_funding.free_period", "第二十九条"),
    (
        "laizhou",
        {"free_om_end_date": None},
        NEEDS_ATTENTION,
        "laizhou.om_funding.free_period_running",
        "第二十九条",
    ),
    (
        "laizhou",
        {"laizhou_class": "public_service", "accepted": False},
        REFUSED,
        "laizhou.om_funding.public_service_subsidy",
        "第二十九条",
    ),
    # 红山 第八条, 第三十二条, 第三十五条
    ("hongshan", {"shares_data": False}, REFUSED, "hongshan.om_funding.data_sharing", "第三十五条"),
    (
        "hongshan",
        {"on_integrated_service_platform": False},
        REFUSED,
        "hongshan.om_funding.platform_access",
        "第三十五条",
    ),
    (
        "hongshan",
        {
            "is_public_service": False,
            "is_office_system": True,
            "is_secret": False,
            "on_unified_office_platform": False,
        },
        REFUSED,
        "hongshan.om_funding.platform_access",
        "第三十五条",
    ),
    ("hongshan", {"crypto_compliant": False}, REFUSED, "hongshan.om_funding.crypto_security", "第三十五条"),
    ("hongshan", {"is_zombie": True}, REFUSED, "hongshan.om_funding.zombie_system", "第三十五条"),
    (
        "hongshan",
        {"om_year_start_date": "2027-01-01"},
        REFUSED,
        "hongshan.om_funding.free_period_running",
        "第八条",
    ),
    # new O&M: the free period ends 2027-12-31, so apply by 2026-12-31
    (
        "hongshan",
        {"om_application_date": "2027-01-05"},
        REFUSED,
        "hongshan.om_funding.new_om_application",
        "第八条",
    ),
    # continuing O&M: the period ends 2027-12-31, so apply by 2026-12-31
    ("hongshan", CONTINUING, FUNDABLE, None, None),
    (
        "hongshan",
        {**CONTINUING, "om_application_date": "2027-02-01"},
        REFUSED,
        "hongshan.om_funding.continuing_om_application",
        "第八条",
    ),
    (
        "hongshan",
        {"performance_rating": "poor"},
        NEEDS_ATTENTION,
        "hongshan.evaluation.results_use",
        "第三十二条",
    ),
    # 南充 第九、三十、三十一、三十五、四十、四十四、四十九条
    ("nanchong", {"in_system_catalogue": False}, REFUSED, "nanchong.om_funding.system_catalogue", "第九条"),
    ("nanchong", {"accepted": False}, REFUSED, "nanchong.om_funding.not_accepted", "第三十条"),
    ("nanchong", {"shares_data": False}, REFUSED, "nanchong.om_funding.data_sharing", "第三十一条"),
    ("nanchong", {"major_security_hazard": True}, REFUSED, "nanchong.om_funding.security", "第四十九条"),
    ("nanchong", {"om_contract_term_years": 3}, FUNDABLE, None, None),
    ("nanchong", {"om_contract_term_years": "3.5"}, REFUSED, "nanchong.om_funding.contract_term", "第四十条"),
    (
        "nanchong",
        {"om_application_date": "2027-01-05"},
        REFUSED,
        "nanchong.om_funding.budget_new",
        "第三十五条",
    ),
    ("nanchong", CONTINUING, REFUSED, "nanchong.om_funding.needs_assessment", "第三十五条"),
    ("nanchong", {**CONTINUING, "documents": ["om_needs_assessment"]}, FUNDABLE, None, None),
    (
        "nanchong",
        {"performance_rating": "poor"},
        NEEDS_ATTENTION,
        "nanchong.om_funding.evaluation_results",
        "第四十四条",
    ),
    # 鄂尔多斯 第二十四条, 第二十九条
    (
        "ordos",
        {"shares_data": False, "isolated_network_approved": False},
        REFUSED,
        "ordos.om_funding.data_sharing",
        "第二十四条",
    ),
    ("ordos", {"shares_data": False, "isolated_network_approved": True}, FUNDABLE, None, None),
    ("ordos", {"in_system_catalogue": False}, REFUSED, "ordos.om_funding.catalogue", "第二十四条"),
    ("ordos", {"security_compliant": False}, REFUSED, "ordos.om_funding.security", "第二十四条"),
    (
        "ordos",
        {"performance_rating": "poor"},
        NEEDS_ATTENTION,
        "ordos.evaluation.results_basis",
        "第二十九条",
    ),
    # 包头 第二十六条
    (
        "baotou",
        {"performance_rating": "poor"},
        NEEDS_ATTENTION,
        "baotou.om_funding.evaluation_results",
        "第二十六条",
    ),
]


def _answer(code, changes):
    spec, _content = shipped_pack(code)
    facts = {**CLEAN, **PACK_FACTS[code], **changes}
    facts = {name: value for name, value in facts.items() if value is not None}
    return answer_of(evaluate(spec, facts, as_of=AS_OF))


@pytest.mark.parametrize(
    "code, changes, expected, rule_id, article",
    TABLE,
    ids=[f"{t[0]}-{t[3] or 'clean'}-{'-'.join(f'{k}={v}' for k, v in t[1].items())}" for t in TABLE],
)
def test_pack_table(code, changes, expected, rule_id, article):
    answer = _answer(code, changes)
    assert answer.code == expected, [(line.rule_id, line.level, line.message_text) for line in answer.lines]
    if rule_id is None:
        assert answer.first_reason is None
        return
    first = answer.first_reason
    assert (first.rule_id, first.article) == (rule_id, article)
    assert article in first.reference and first.message_text


def test_the_laizhou_cap_is_shown_in_wan():
    answer = _answer("laizhou", {"om_annual_request_wan": 61})
    assert answer.cap_wan == Decimal("60")
    assert answer.only_capped


def test_a_snapshot_reads_back_to_the_same_answer():
    spec, _content = shipped_pack("laizhou")
    verdicts = evaluate(spec, {**CLEAN, **PACK_FACTS["laizhou"], "shares_data": False}, as_of=AS_OF)
    rows = snapshot(verdicts)
    assert all(r["phase"] == "om_funding" or r["effect"] for r in rows)
    assert answer_of(rows) == answer_of(verdicts)
