"""Checks across the five shipped packs: what any verdict may say, whatever the facts.

The row tables check each rule against its article; these check the words every verdict
uses, on many fact sets, so that no pack can claim what the facts do not show.
"""

import datetime as dt
import itertools

import pytest

from jurisdictions.packfiles import shipped_pack
from jurisdictions.rules import evaluate

CODES = ["baotou", "hongshan", "nanchong", "laizhou", "ordos"]
AS_OF = dt.date(2026, 11, 22)


def fact_sets():
    """Facts at each stage of a project's life, partly answered, as a department fills them in."""
    base = {"funding_source": "fiscal", "is_secret": False, "is_new_build": True, "documents": []}
    for investment, engaged in itertools.product((45, 150, 199.99, 200, 499.99, 500, 860), (False, None)):
        yield {
            **base,
            "total_investment_wan": investment,
            "approved_estimate_wan": investment,
            **({} if engaged is None else {"supervisor_engaged": engaged}),
        }
    yield {**base, "negative_list_answers": {}}
    yield {**base, "negative_list_answers": {"hs_upgrade_suffices": False, "bt_new_infrastructure": False}}
    yield {**base, "acceptance_date": "2026-03-01", "operation_start_date": "2026-03-01"}
    yield {}


@pytest.mark.parametrize("code", CODES)
def test_no_message_lists_an_empty_list(code):
    """Never 不符合申报条件：[] — an empty list is not a finding."""
    spec, _ = shipped_pack(code)
    for facts in fact_sets():
        for verdict in evaluate(spec, facts, as_of=AS_OF):
            for text in (verdict.message.zh, verdict.message.en):
                assert "[]" not in text and "{}" not in text, (verdict.rule_id, facts, text)


@pytest.mark.parametrize("code", CODES)
def test_no_message_says_a_supervisor_is_engaged_when_none_is(code):
    spec, _ = shipped_pack(code)
    for facts in fact_sets():
        if facts.get("supervisor_engaged") is True:
            continue
        for verdict in evaluate(spec, facts, as_of=AS_OF):
            assert "已委托" not in verdict.message.zh, (verdict.rule_id, facts, verdict.message.zh)
            for claim in ("Supervisor engaged", "firm engaged"):
                assert claim not in verdict.message.en, (verdict.rule_id, facts, verdict.message.en)


@pytest.mark.parametrize("code", CODES)
def test_a_window_not_yet_open_never_says_it_was_met(code):
    """A self-evaluation window that opens next year is neither done nor late."""
    spec, _ = shipped_pack(code)
    facts = {"acceptance_date": "2026-06-01", "operation_start_date": "2026-06-01"}
    for verdict in evaluate(spec, facts, as_of=AS_OF):
        if verdict.kind == "window" and verdict.outcome.value == "info":
            assert "已" not in verdict.message.zh, (verdict.rule_id, verdict.message.zh)
            assert verdict.data["opens_on"].isoformat() in verdict.message.zh


@pytest.mark.parametrize("code", CODES)
def test_titles_name_the_duty_not_a_state(code):
    """A title is shown when a rule does not apply (不适用：<title>): it must not claim a state (已…)."""
    spec, _ = shipped_pack(code)
    claims = [r.id for r in spec.rules if r.title.zh.startswith("已委托")]
    assert claims == []
