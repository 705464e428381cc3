"""Facts (names, types, conversion) and the condition grammar (three-valued, checked at pack load)."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal

import pytest

from jurisdictions.rules import FactError, PackError, load_pack_text, parse_facts
from jurisdictions.rules.conditions import evaluate_condition, missing_facts, parse_condition
from jurisdictions.rules.facts import FACTS, FactType

D = dt.date

# ---------------------------------------------------------------------------- parse_facts


def test_unknown_fact_is_reported():
    with pytest.raises(FactError) as caught:
        parse_facts({"budget_wan": 10})
    assert caught.value.problems == [{"fact": "budget_wan", "problem": "unknown fact"}]
    assert "budget_wan" in str(caught.value)


@pytest.fixture
def integer_fact(monkeypatch):
    """No shipped fact is an integer yet; register one so the INTEGER type is exercised."""
    monkeypatch.setitem(FACTS, "test_count", (FactType.INTEGER, "a count, for tests"))
    return "test_count"


@pytest.mark.parametrize(
    ("fact", "value", "expected_type"),
    [
        ("total_investment_wan", True, "decimal"),  # bool is not a number
        ("total_investment_wan", False, "decimal"),
        ("total_investment_wan", "abc", "decimal"),
        ("total_investment_wan", [100], "decimal"),
        ("total_investment_wan", "NaN", "decimal"),
        ("total_investment_wan", "Infinity", "decimal"),
        ("test_count", True, "integer"),
        ("test_count", 1.5, "integer"),
        ("test_count", "3", "integer"),
        ("is_urgent", "true", "boolean"),
        ("is_urgent", 1, "boolean"),
        ("is_urgent", 0, "boolean"),
        ("declaration_date", "2026-13-01", "date"),
        ("declaration_date", "2026-02-30", "date"),
        ("declaration_date", "yesterday", "date"),
        ("declaration_date", 20260101, "date"),
        ("category", 5, "string"),
        ("category", ["application"], "string"),
        ("documents", "fsr", "string_set"),  # a string is not a list
        ("documents", ["fsr", 3], "string_set"),
        ("documents", {"fsr": True}, "string_set"),
        ("negative_list_answers", {"duplicate": "yes"}, "boolean_map"),
        ("negative_list_answers", {"duplicate": 1}, "boolean_map"),
        ("negative_list_answers", ["duplicate"], "boolean_map"),
    ],
)
def test_wrong_types_are_rejected(integer_fact, fact, value, expected_type):
    with pytest.raises(FactError) as caught:
        parse_facts({fact: value})
    (problem,) = caught.value.problems
    assert problem["fact"] == fact
    assert problem["expected"] == expected_type
    assert problem["problem"]


def test_boolean_map_problem_names_the_bad_keys():
    with pytest.raises(FactError) as caught:
        parse_facts({"negative_list_answers": {"ok": False, "bad": "yes", "worse": None}})
    message = caught.value.problems[0]["problem"]
    assert "bad" in message
    assert "worse" in message
    assert "ok" not in message.replace("worse", "")


@pytest.mark.parametrize(
    ("fact", "value", "parsed"),
    [
        ("total_investment_wan", "120.5", Decimal("120.5")),
        ("total_investment_wan", 120, Decimal(120)),
        ("total_investment_wan", 0.1, Decimal("0.1")),  # via str: no binary noise
        ("total_investment_wan", Decimal("7.25"), Decimal("7.25")),
        ("test_count", 3, 3),
        ("is_urgent", False, False),
        ("declaration_date", "2026-02-28", D(2026, 2, 28)),
        ("declaration_date", D(2026, 2, 28), D(2026, 2, 28)),
        ("declaration_date", dt.datetime(2026, 2, 28, 13, 45), D(2026, 2, 28)),
        ("category", "application", "application"),
        ("documents", ["fsr", "proposal", "fsr"], frozenset({"fsr", "proposal"})),
        ("documents", (), frozenset()),
        ("negative_list_answers", {"duplicate": False}, {"duplicate": False}),
        ("is_urgent", None, None),  # explicitly not known
    ],
)
def test_values_are_converted(integer_fact, fact, value, parsed):
    result = parse_facts({fact: value})
    assert result == {fact: parsed}
    assert type(result[fact]) is type(parsed)


RAW = {
    "total_investment_wan": "150.00",
    "is_urgent": True,
    "declaration_date": "2026-03-01",
    "category": "application",
    "documents": ["proposal", "fsr"],
    "negative_list_answers": {"duplicate": False},
    "adjustment_wan": 12,
}


def test_parse_is_idempotent():
    once = parse_facts(RAW)
    twice = parse_facts(once)
    assert twice == once
    assert {k: type(v) for k, v in twice.items()} == {k: type(v) for k, v in once.items()}
    assert once["declaration_date"] == D(2026, 3, 1)
    assert once["documents"] == frozenset({"proposal", "fsr"})


def test_parse_does_not_mutate_its_input():
    raw = {"negative_list_answers": {"duplicate": False}, "documents": ["fsr"]}
    parsed = parse_facts(raw)
    parsed["negative_list_answers"]["x"] = True
    assert raw == {"negative_list_answers": {"duplicate": False}, "documents": ["fsr"]}


def test_every_problem_is_reported_at_once():
    raw = {
        "total_investment_wan": True,
        "nope": 1,
        "declaration_date": "2026-13-01",
        "documents": "fsr",
        "is_urgent": True,  # valid: not reported
        "negative_list_answers": {"duplicate": "no"},
        "also_nope": None,
    }
    with pytest.raises(FactError) as caught:
        parse_facts(raw)
    problems = {p["fact"]: p for p in caught.value.problems}
    assert set(problems) == {
        "total_investment_wan",
        "nope",
        "declaration_date",
        "documents",
        "negative_list_answers",
        "also_nope",
    }
    assert problems["nope"]["problem"] == "unknown fact"
    assert problems["declaration_date"]["expected"] == "date"
    for name in problems:
        assert name in str(caught.value)


def test_facts_must_be_a_mapping():
    with pytest.raises(FactError) as caught:
        parse_facts(["is_urgent"])
    assert caught.value.problems[0]["fact"] == ""


# ---------------------------------------------------------------------------- Kleene logic

A = {"fact": "is_urgent", "op": "is_true"}
B = {"fact": "is_secret", "op": "is_true"}
T, F, U = True, False, None


def facts_for(a, b):
    return {k: v for k, v in {"is_urgent": a, "is_secret": b}.items() if v is not None}


# Truth tables written out (not computed): rows (a, b, result).
AND_TABLE = [
    (T, T, T),
    (T, F, F),
    (T, U, U),
    (F, T, F),
    (F, F, F),
    (F, U, F),
    (U, T, U),
    (U, F, F),
    (U, U, U),
]
OR_TABLE = [
    (T, T, T),
    (T, F, T),
    (T, U, T),
    (F, T, T),
    (F, F, F),
    (F, U, U),
    (U, T, T),
    (U, F, U),
    (U, U, U),
]


@pytest.mark.parametrize(("a", "b", "result"), AND_TABLE)
def test_all_is_kleene_and(a, b, result):
    assert evaluate_condition(parse_condition({"all": [A, B]}), facts_for(a, b)) is result


@pytest.mark.parametrize(("a", "b", "result"), OR_TABLE)
def test_any_is_kleene_or(a, b, result):
    assert evaluate_condition(parse_condition({"any": [A, B]}), facts_for(a, b)) is result


@pytest.mark.parametrize(("a", "result"), [(T, F), (F, T), (U, U)])
def test_not_is_kleene_not(a, result):
    assert evaluate_condition(parse_condition({"not": A}), facts_for(a, None)) is result


def test_nested_conditions():
    condition = parse_condition(
        {"any": [{"all": [A, {"not": B}]}, {"fact": "total_investment_wan", "op": "gte", "value": 60}]}
    )
    assert evaluate_condition(condition, {"is_urgent": True, "is_secret": True}) is None  # investment unknown
    assert (
        evaluate_condition(condition, {"is_urgent": True, "is_secret": False}) is True
    )  # decided without it
    assert (
        evaluate_condition(condition, {"is_urgent": True, "is_secret": True, "total_investment_wan": 1})
        is False
    )
    assert evaluate_condition(condition, {"total_investment_wan": Decimal(60)}) is True
    assert missing_facts(condition, {"is_secret": True}) == ["is_urgent", "total_investment_wan"]
    assert missing_facts(None, {}) == []


# ---------------------------------------------------------------------------- operators


@pytest.mark.parametrize(
    ("condition", "facts", "result"),
    [
        ({"fact": "category", "op": "eq", "value": "application"}, {"category": "application"}, True),
        ({"fact": "category", "op": "eq", "value": "application"}, {"category": "infrastructure"}, False),
        ({"fact": "category", "op": "ne", "value": "application"}, {"category": "infrastructure"}, True),
        ({"fact": "category", "op": "ne", "value": "application"}, {"category": "application"}, False),
        ({"fact": "total_investment_wan", "op": "eq", "value": 60}, {"total_investment_wan": "60.00"}, True),
        ({"fact": "total_investment_wan", "op": "gt", "value": 60}, {"total_investment_wan": "60.01"}, True),
        ({"fact": "total_investment_wan", "op": "gt", "value": 60}, {"total_investment_wan": 60}, False),
        ({"fact": "total_investment_wan", "op": "gte", "value": 60}, {"total_investment_wan": 60}, True),
        (
            {"fact": "total_investment_wan", "op": "gte", "value": 60},
            {"total_investment_wan": "59.99"},
            False,
        ),
        ({"fact": "total_investment_wan", "op": "lt", "value": "60.5"}, {"total_investment_wan": 60}, True),
        ({"fact": "total_investment_wan", "op": "lt", "value": 60}, {"total_investment_wan": 60}, False),
        ({"fact": "total_investment_wan", "op": "lte", "value": 60}, {"total_investment_wan": 60}, True),
        ({"fact": "total_investment_wan", "op": "lte", "value": 60}, {"total_investment_wan": 61}, False),
        (
            {"fact": "declaration_date", "op": "gte", "value": "2026-01-01"},
            {"declaration_date": "2026-01-01"},
            True,
        ),
        (
            {"fact": "declaration_date", "op": "lt", "value": "2026-01-01"},
            {"declaration_date": "2025-12-31"},
            True,
        ),
        (
            {"fact": "declaration_date", "op": "gt", "value": "2026-01-01"},
            {"declaration_date": "2026-01-01"},
            False,
        ),
        ({"fact": "category", "op": "in", "value": ["application", "x"]}, {"category": "application"}, True),
        ({"fact": "category", "op": "in", "value": ["x", "y"]}, {"category": "application"}, False),
        ({"fact": "category", "op": "not_in", "value": ["x", "y"]}, {"category": "application"}, True),
        ({"fact": "category", "op": "not_in", "value": ["application"]}, {"category": "application"}, False),
        ({"fact": "documents", "op": "contains", "value": "fsr"}, {"documents": ["proposal", "fsr"]}, True),
        ({"fact": "documents", "op": "contains", "value": "fsr"}, {"documents": ["proposal"]}, False),
        ({"fact": "documents", "op": "contains", "value": "fsr"}, {"documents": []}, False),
        (
            {"fact": "negative_list_answers", "op": "contains", "value": "duplicate"},
            {"negative_list_answers": {"duplicate": True}},
            True,
        ),
        (
            {"fact": "negative_list_answers", "op": "contains", "value": "duplicate"},
            {"negative_list_answers": {"duplicate": False}},
            False,
        ),
        (
            {"fact": "negative_list_answers", "op": "contains", "value": "duplicate"},
            {"negative_list_answers": {}},
            False,
        ),
        ({"fact": "is_urgent", "op": "is_true"}, {"is_urgent": True}, True),
        ({"fact": "is_urgent", "op": "is_true"}, {"is_urgent": False}, False),
        ({"fact": "is_urgent"}, {"is_urgent": True}, True),  # is_true is the default op
        ({"fact": "is_urgent", "op": "is_false"}, {"is_urgent": False}, True),
        ({"fact": "is_urgent", "op": "is_false"}, {"is_urgent": True}, False),
        ({"fact": "is_urgent", "op": "eq", "value": False}, {"is_urgent": False}, True),
        ({"fact": "approval_date", "op": "is_set"}, {"approval_date": "2026-01-01"}, True),
        ({"fact": "approval_date", "op": "is_set"}, {}, False),  # is_set decides even when missing
        ({"fact": "approval_date", "op": "is_set"}, {"approval_date": None}, False),
    ],
)
def test_each_operator(condition, facts, result):
    assert evaluate_condition(parse_condition(condition), parse_facts(facts)) is result


@pytest.mark.parametrize(
    "condition",
    [
        {"fact": "category", "op": "eq", "value": "application"},
        {"fact": "category", "op": "ne", "value": "application"},
        {"fact": "total_investment_wan", "op": "gt", "value": 1},
        {"fact": "total_investment_wan", "op": "gte", "value": 1},
        {"fact": "total_investment_wan", "op": "lt", "value": 1},
        {"fact": "total_investment_wan", "op": "lte", "value": 1},
        {"fact": "category", "op": "in", "value": ["a"]},
        {"fact": "category", "op": "not_in", "value": ["a"]},
        {"fact": "documents", "op": "contains", "value": "fsr"},
        {"fact": "is_urgent", "op": "is_true"},
        {"fact": "is_urgent", "op": "is_false"},
    ],
)
def test_missing_fact_makes_every_comparison_unknown(condition):
    parsed = parse_condition(condition)
    assert evaluate_condition(parsed, {}) is None
    assert evaluate_condition(parsed, {condition["fact"]: None}) is None
    assert missing_facts(parsed, {}) == [condition["fact"]]


# ---------------------------------------------------------------------------- invalid shapes


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("is_urgent", "condition is an object"),
        ([A], "condition is an object"),
        ({}, "condition is an object"),
        ({"all": []}, "non-empty list"),
        ({"any": A}, "non-empty list"),
        ({"all": [A], "any": [B]}, "condition is an object"),
        ({"not": "x"}, "condition is an object"),
        ({"fact": "is_urgent", "op": "is_true", "extra": 1}, "unknown key(s) extra"),
        ({"fact": "budget_wan", "op": "gte", "value": 1}, "unknown fact `budget_wan`"),
        ({"fact": "is_urgent", "op": "truthy"}, "unknown op `truthy`"),
        ({"fact": "is_urgent", "op": "is_true", "value": True}, "takes no value"),
        ({"fact": "total_investment_wan", "op": "is_true"}, "needs a boolean fact"),
        ({"fact": "category", "op": "in", "value": "application"}, "non-empty list"),
        ({"fact": "category", "op": "in", "value": []}, "non-empty list"),
        ({"fact": "category", "op": "in", "value": [1]}, "compares with a string"),
        ({"fact": "category", "op": "contains", "value": "a"}, "needs a set fact"),
        ({"fact": "documents", "op": "contains", "value": ["fsr"]}, "needs a string value"),
        ({"fact": "category", "op": "gt", "value": "a"}, "needs a number or date fact"),
        ({"fact": "is_urgent", "op": "eq", "value": "yes"}, "compares with true or false"),
        ({"fact": "total_investment_wan", "op": "gte", "value": True}, "compares with a number"),
        ({"fact": "total_investment_wan", "op": "gte"}, "compares with a number"),
        ({"fact": "total_investment_wan", "op": "gte", "value": "lots"}, "compares with a number"),
        ({"fact": "declaration_date", "op": "gte", "value": 2026}, "compares with a date"),
    ],
)
def test_invalid_condition_shapes(raw, words):
    with pytest.raises(ValueError) as caught:
        parse_condition(raw)
    assert words in str(caught.value)


HEADER = """\
schema_version: 1
jurisdiction: {code: tl, name: {zh: 测试市, en: Testland}, level: city}
measure:
  title: {zh: 测试办法, en: Test measures}
  effective_from: 2025-01-01
  validity: {zh: 有效, en: valid}
  source: inline
documents:
  - {code: fsr, name: {zh: 可行性研究报告, en: Feasibility study report}}
rules:
  - id: tl.intake.ok
    kind: condition
    phase: intake
    title: {zh: 正常, en: Fine}
    citation: {article: 第一条}
    message: {zh: 消息, en: Message}
    condition: {fact: is_urgent}
"""
RULE_HEAD = """\
- id: tl.intake.bad
  kind: {kind}
  phase: intake
  title: {{zh: 标题, en: Title}}
  citation: {{article: 第二条}}
  message: {{zh: 消息, en: Message}}
"""


def load_with(kind: str, body: str):
    """A pack whose second rule (starting at line 18) has `body`; returns the raised PackError's problems."""
    rule = RULE_HEAD.format(kind=kind) + textwrap.indent(textwrap.dedent(body).strip("\n"), "  ") + "\n"
    text = HEADER + textwrap.indent(rule, "  ")
    with pytest.raises(PackError) as caught:
        load_pack_text(text, source="inline.yaml")
    return caught.value.problems, text.splitlines()


def line_of(lines: list[str], needle: str) -> int:
    (number,) = [i for i, line in enumerate(lines, start=1) if needle in line]
    return number


def test_bad_applies_when_is_rejected_with_field_and_line():
    problems, lines = load_with(
        "threshold",
        """
        fact: total_investment_wan
        op: gte
        value: 10
        applies_when:
          all:
            - {fact: is_urgent}
            - {fact: category, op: gte, value: a}
        """,
    )
    assert [p["field"] for p in problems] == ["rules.1.applies_when"]
    assert problems[0]["problem"] == "`gte` needs a number or date fact; `category` is string"
    # the key's line or, for a block value, the line where the value starts
    assert problems[0]["line"] in (line_of(lines, "applies_when:"), line_of(lines, "all:"))


def test_bad_document_when_is_rejected_with_field_and_line():
    problems, lines = load_with(
        "required_documents",
        """
        stage: declaration
        documents:
          - {code: fsr}
          - {code: fsr, when: {fact: nope}}
        """,
    )
    assert problems == [
        {
            "field": "rules.1.documents.1.when",
            "line": line_of(lines, "when: {fact: nope}"),
            "problem": "unknown fact `nope`",
        }
    ]


def test_bad_track_option_when_is_rejected_with_field_and_line():
    # the option is the list's only item: no extra "at least 1 item" problem on `options`
    problems, lines = load_with(
        "track",
        """
        options:
          - track: a
            name: {zh: 甲, en: A}
            when: {any: []}
            stages: [fsr]
        """,
    )
    assert problems == [
        {
            "field": "rules.1.options.0.when",
            "line": line_of(lines, "when: {any: []}"),
            "problem": "`any` needs a non-empty list of conditions",
        }
    ]


def test_bad_condition_of_condition_rule_names_its_field():
    # `condition` is both a rule kind and this rule's field: the field must stay in the path
    problems, lines = load_with("condition", "condition: {fact: is_urgent, op: is_true, value: 3}")
    assert problems == [
        {
            "field": "rules.1.condition",
            "line": line_of(lines, "condition: {fact: is_urgent, op: is_true, value: 3}"),
            "problem": "`is_true` takes no value",
        }
    ]


def test_bad_condition_of_the_only_rule_reports_only_that_problem():
    text = HEADER.split("  - id: tl.intake.ok")[0] + textwrap.indent(
        RULE_HEAD.format(kind="condition") + "  condition: {not: {fact: nope}}\n", "  "
    )
    with pytest.raises(PackError) as caught:
        load_pack_text(text, source="inline.yaml")
    assert caught.value.problems == [
        {
            "field": "rules.0.condition",
            "line": line_of(text.splitlines(), "{not: {fact: nope}}"),
            "problem": "unknown fact `nope`",
        }
    ]


@pytest.mark.parametrize(("value", "words"), [("lots", "compares with a number"), ("Infinity", "finite")])
def test_non_numeric_value_for_a_decimal_fact_is_a_pack_error(value, words):
    problems, lines = load_with(
        "threshold",
        f"""
        fact: total_investment_wan
        op: gte
        value: 10
        applies_when: {{fact: total_investment_wan, op: gte, value: {value}}}
        """,
    )
    assert [p["field"] for p in problems] == ["rules.1.applies_when"]
    assert words in problems[0]["problem"]
    assert problems[0]["line"] == line_of(lines, "applies_when:")


# ---------------------------------------------------------------------------- comparing two facts

STARTED_BEFORE_APPROVAL = {"fact": "construction_start_date", "op": "lt", "value": {"fact": "approval_date"}}
WITHIN_15_PERCENT = {
    "fact": "total_investment_wan",
    "op": "lte",
    "value": {"fact": "original_investment_wan", "times": "0.15"},
}


@pytest.mark.parametrize(
    ("condition", "facts", "result"),
    [
        (
            STARTED_BEFORE_APPROVAL,
            {"construction_start_date": "2026-03-01", "approval_date": "2026-03-02"},
            True,
        ),
        (
            STARTED_BEFORE_APPROVAL,
            {"construction_start_date": "2026-03-02", "approval_date": "2026-03-02"},
            False,
        ),
        (
            STARTED_BEFORE_APPROVAL,
            {"construction_start_date": "2026-03-03", "approval_date": "2026-03-02"},
            False,
        ),
        (STARTED_BEFORE_APPROVAL, {"construction_start_date": "2026-03-01"}, None),
        (STARTED_BEFORE_APPROVAL, {"approval_date": "2026-03-01"}, None),
        # 15% of 100 is 15: at the limit, just over it
        (WITHIN_15_PERCENT, {"total_investment_wan": 15, "original_investment_wan": 100}, True),
        (WITHIN_15_PERCENT, {"total_investment_wan": "15.01", "original_investment_wan": 100}, False),
        (WITHIN_15_PERCENT, {"total_investment_wan": 15}, None),
        (
            {"fact": "om_annual_request_wan", "op": "eq", "value": {"fact": "total_investment_wan"}},
            {"om_annual_request_wan": "60.0", "total_investment_wan": 60},
            True,
        ),
    ],
)
def test_a_fact_compared_with_another_fact(condition, facts, result):
    parsed = parse_condition(condition)
    assert evaluate_condition(parsed, parse_facts(facts)) is result
    assert parsed.facts() == {condition["fact"], condition["value"]["fact"]}


def test_missing_facts_names_the_compared_fact_too():
    parsed = parse_condition(WITHIN_15_PERCENT)
    assert missing_facts(parsed, {}) == ["original_investment_wan", "total_investment_wan"]
    assert missing_facts(parsed, {"total_investment_wan": Decimal(1)}) == ["original_investment_wan"]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"fact": "no_such_fact"}, "unknown fact `no_such_fact`"),
        ({"fact": "total_investment_wan"}, "compares a date with a date"),
        ({"fact": "approval_date", "times": 2}, "`times` is for numbers"),
        ({"fact": "approval_date", "extra": 1}, "unknown key(s) extra"),
    ],
)
def test_invalid_fact_comparisons_on_dates(value, words):
    with pytest.raises(ValueError) as caught:
        parse_condition({"fact": "construction_start_date", "op": "lt", "value": value})
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("op", "value", "words"),
    [
        ("lte", {"fact": "approval_date"}, "compares a number with a number"),
        ("lte", {"fact": "original_investment_wan", "times": 0}, "`times` must be a positive number"),
        ("lte", {"fact": "original_investment_wan", "times": "x"}, "`times` must be a positive number"),
        ("lte", {"fact": "original_investment_wan", "times": True}, "`times` must be a positive number"),
        ("in", {"fact": "original_investment_wan"}, "non-empty list"),
    ],
)
def test_invalid_fact_comparisons_on_numbers(op, value, words):
    with pytest.raises(ValueError) as caught:
        parse_condition({"fact": "total_investment_wan", "op": op, "value": value})
    assert words in str(caught.value)


def test_fact_comparisons_of_strings_and_booleans_are_refused():
    with pytest.raises(ValueError, match="compares with a string"):
        parse_condition({"fact": "category", "op": "eq", "value": {"fact": "funding_source"}})
