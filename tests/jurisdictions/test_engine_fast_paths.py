"""The engine's batch options and caches give the very verdicts a plain evaluation gives.

`kinds` keeps only rules of those kinds, `messages=False` leaves messages unwritten, and what
the engine keeps between calls (a plan per pack, compiled conditions, a calendar's working
days per year) never changes an answer: not across calls, not across calendars.
"""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from dataclasses import fields

import pytest

from bench.engine import facts_for
from jurisdictions.packfiles import pack_path, shipped_codes, shipped_pack
from jurisdictions.rules import evaluate, load_pack_text
from jurisdictions.rules.calendar import WorkingCalendar
from jurisdictions.rules.conditions import compile_condition, evaluate_condition
from jurisdictions.rules.engine import _PLANS, RULE_KINDS, UNSAID, Verdict, _say, _Template
from jurisdictions.rules.facts import FACTS, FactType, parse_facts
from jurisdictions.rules.schema import Outcome, Text

D = dt.date
AS_OF = D(2026, 11, 22)
CODES = shipped_codes()


def realistic(spec) -> dict:
    """bench/engine.py's facts: a project part-way through, half its documents on file."""
    return facts_for(spec)


def rich(spec, variant: int) -> dict:
    """Most facts given: dates, every boolean, documents and negative-list answers (some open)."""
    facts = realistic(spec)
    dates = [name for name, (kind, _) in FACTS.items() if kind is FactType.DATE]
    for index, name in enumerate(dates):
        if (index + variant) % 3 != 2:
            facts[name] = D.fromordinal(D(2025, 12, 20).toordinal() + 17 * index + 5 * variant).isoformat()
    for index, (name, (kind, _)) in enumerate(FACTS.items()):
        if kind is FactType.BOOLEAN:
            facts[name] = (index + variant) % 2 == 0
    items = [item.code for rule in spec.rules if rule.kind == "negative_list" for item in rule.items]
    facts["negative_list_answers"] = {
        code: (k + variant) % 4 == 0 for k, code in enumerate(items) if k % 5 != 4
    }
    facts["documents"] = [d.code for k, d in enumerate(spec.documents) if (k + variant) % 3]
    facts.update(tender_savings_wan="10", om_annual_request_wan="70", original_investment_wan="400")
    facts["change_reason"] = ("higher_order", "other", "business_need")[variant % 3]
    return facts


def fact_sets(spec) -> list[dict]:
    return [{}, realistic(spec), *(rich(spec, v) for v in range(3))]


OVERRIDES = {D(2027, 1, 4): False, D(2027, 2, 8): False, D(2027, 2, 13): True, D(2026, 10, 9): False}
CALENDARS = {
    "statutory": lambda: WorkingCalendar(),
    "overrides": lambda: WorkingCalendar(overrides=dict(OVERRIDES), published_years=frozenset({2027})),
    "published": lambda: WorkingCalendar(published_years=frozenset({2027})),
}


# ---------------------------------------------------------------------------- kinds


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize(
    "kinds",
    [
        {"deadline", "window"},
        {"required_documents"},
        {"track"},
        {"condition"},
        *({k} for k in sorted(RULE_KINDS)),
    ],
    ids=lambda kinds: "+".join(sorted(kinds)),
)
def test_kinds_keep_exactly_the_full_evaluations_verdicts_of_those_kinds(code, kinds):
    spec, _ = shipped_pack(code)
    for facts in fact_sets(spec):
        # given a full evaluation
        full = evaluate(spec, facts, as_of=AS_OF)
        # when only some kinds are asked for
        some = evaluate(spec, facts, as_of=AS_OF, kinds=kinds)
        # then they are the full evaluation's verdicts of those kinds, in pack order
        assert some == [v for v in full if v.kind in kinds]
        assert [v.to_dict() for v in some] == [v.to_dict() for v in full if v.kind in kinds]


@pytest.mark.parametrize(
    ("code", "facts", "outcome"),
    [
        # the standard track is chosen: its documents are asked for
        (
            "ordos",
            {"category": "infrastructure", "total_investment_wan": "500", "is_urgent": False},
            Outcome.FAIL,
        ),
        # the track cannot be chosen yet: its documents wait for the facts the track needs
        ("baotou", {"category": "business", "total_investment_wan": "500"}, Outcome.UNKNOWN),
    ],
)
def test_required_documents_alone_still_follow_the_track_rule(code, facts, outcome):
    spec, _ = shipped_pack(code)
    facts = {**facts, "documents": []}
    full = evaluate(spec, facts, as_of=AS_OF)
    track = next(v for v in full if v.kind == "track" and v.rule_id.endswith(".track"))
    chosen = track.data.get("track")
    tracked = [
        v for v in evaluate(spec, facts, as_of=AS_OF, kinds={"required_documents"}) if v.data.get("track")
    ]
    assert tracked or outcome is Outcome.UNKNOWN
    assert all(v.outcome is outcome for v in tracked if v.data["track"] == chosen)
    assert evaluate(spec, facts, as_of=AS_OF, kinds={"required_documents"}) == [
        v for v in full if v.kind == "required_documents"
    ]


def test_a_scope_exclusion_still_applies_to_the_kinds_asked_for():
    spec, _ = shipped_pack("baotou")  # 涉密项目 are outside the measure
    verdicts = evaluate(
        spec, {**realistic(spec), "is_secret": True}, as_of=AS_OF, kinds={"deadline", "window"}
    )
    assert verdicts
    assert {v.outcome for v in verdicts} == {Outcome.NOT_APPLICABLE}
    assert all(v.data["excluded_by"] == "baotou.scope.non_secret" for v in verdicts)


def test_kinds_combine_with_phases_and_rule_ids():
    spec, _ = shipped_pack("nanchong")
    facts = rich(spec, 1)
    full = evaluate(spec, facts, as_of=AS_OF)
    phase = full[len(full) // 2].phase
    ids = [v.rule_id for v in full[::3]]
    assert evaluate(spec, facts, as_of=AS_OF, kinds={"condition"}, phases=[phase], rule_ids=ids) == [
        v for v in full if v.kind == "condition" and v.phase == phase and v.rule_id in ids
    ]


def test_an_unknown_kind_is_refused_not_silently_empty():
    spec, _ = shipped_pack("ordos")
    with pytest.raises(ValueError, match="deadlines"):
        evaluate(spec, {}, as_of=AS_OF, kinds={"deadlines"})


def test_no_kinds_is_an_empty_answer():
    spec, _ = shipped_pack("ordos")
    assert evaluate(spec, {}, as_of=AS_OF, kinds=()) == []


# ---------------------------------------------------------------------------- messages


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("calendar", sorted(CALENDARS))
def test_without_messages_everything_but_the_message_is_the_same(code, calendar):
    spec, _ = shipped_pack(code)
    for facts in fact_sets(spec):
        said = evaluate(spec, facts, as_of=AS_OF, calendar=CALENDARS[calendar]())
        unsaid = evaluate(spec, facts, as_of=AS_OF, calendar=CALENDARS[calendar](), messages=False)
        assert len(said) == len(unsaid)
        for with_message, without in zip(said, unsaid, strict=True):
            assert without.message == UNSAID
            assert without.to_dict()["message"] == {"zh": "", "en": ""}
            for name in (
                "rule_id",
                "kind",
                "phase",
                "outcome",
                "title",
                "citation",
                "effect",
                "blocks",
                "data",
            ):
                assert getattr(without, name) == getattr(with_message, name), name
            assert {**without.to_dict(), "message": None} == {**with_message.to_dict(), "message": None}


def test_messages_are_written_by_default():
    spec, _ = shipped_pack("laizhou")
    assert all(v.message.zh and v.message.en for v in evaluate(spec, realistic(spec), as_of=AS_OF))


# ---------------------------------------------------------------------------- caches


@pytest.mark.parametrize("code", CODES)
def test_repeated_evaluations_and_a_freshly_loaded_spec_agree(code):
    spec, _ = shipped_pack(code)
    fresh, _ = load_pack_text(pack_path(code).read_text(encoding="utf-8"))
    assert fresh is not spec
    for facts in fact_sets(spec):
        first = evaluate(spec, facts, as_of=AS_OF)
        assert evaluate(spec, facts, as_of=AS_OF) == first
        assert evaluate(fresh, facts, as_of=AS_OF) == first
        first[0].citation["article"] = "changed by a caller"  # a verdict's dicts are its own
        assert evaluate(spec, facts, as_of=AS_OF)[0].citation["article"] != "changed by a caller"


def test_a_plan_does_not_keep_its_spec_alive():
    spec, _ = load_pack_text(pack_path("ordos").read_text(encoding="utf-8"))
    evaluate(spec, {}, as_of=AS_OF)
    key, alive = id(spec), weakref.ref(spec)
    assert key in _PLANS
    del spec
    gc.collect()
    assert alive() is None
    assert key not in _PLANS or _PLANS[key][0]() is not None  # gone, or the key reused by a live spec


APPROVAL = "hongshan.review.approval_deadline"  # 7 working days after review and prerequisites
BUILD = {"category": "construction", "total_investment_wan": "500"}


@pytest.mark.parametrize(
    ("passed", "expected"),
    [
        # 2027 is past the library: Mon–Fri unless a calendar says otherwise.
        (
            D(2027, 1, 1),
            {"statutory": D(2027, 1, 12), "overrides": D(2027, 1, 13), "published": D(2027, 1, 12)},
        ),
        (
            D(2027, 2, 5),
            {"statutory": D(2027, 2, 16), "overrides": D(2027, 2, 16), "published": D(2027, 2, 16)},
        ),
        (
            D(2026, 9, 30),
            {"statutory": D(2026, 10, 15), "overrides": D(2026, 10, 16), "published": D(2026, 10, 15)},
        ),
    ],
)
def test_calendars_never_share_their_overrides(passed, expected):
    spec, _ = shipped_pack("hongshan")
    facts = {
        **BUILD,
        "review_passed_date": passed.isoformat(),
        "prerequisites_complete_date": passed.isoformat(),
    }
    used = {name: make() for name, make in CALENDARS.items()}
    for _round in range(2):  # interleaved, so a cache of one calendar would show in the next
        for name in sorted(used):
            (verdict,) = evaluate(spec, facts, as_of=AS_OF, calendar=used[name], rule_ids=[APPROVAL])
            (unused,) = evaluate(spec, facts, as_of=AS_OF, calendar=CALENDARS[name](), rule_ids=[APPROVAL])
            assert verdict == unused
            assert verdict.data["due_date"] == expected[name], name
            flagged = [] if name != "statutory" or passed.year == 2026 else [2027]
            assert verdict.data["calendar_unknown_years"] == flagged, name


def test_a_calendar_built_after_another_is_used_starts_from_its_own_overrides():
    before = WorkingCalendar(overrides={D(2027, 3, 1): False})
    assert before.add_working_days(D(2027, 2, 26), 1).date == D(2027, 3, 2)
    after = WorkingCalendar(overrides={D(2027, 3, 2): False})
    assert after.add_working_days(D(2027, 2, 26), 1).date == D(2027, 3, 1)
    assert after.add_working_days(D(2027, 2, 26), 2).date == D(2027, 3, 3)
    assert before.add_working_days(D(2027, 2, 26), 2).date == D(2027, 3, 3)


@pytest.mark.parametrize("calendar", sorted(CALENDARS))
def test_working_days_by_year_match_the_day_by_day_walk(calendar):
    fast, slow = CALENDARS[calendar](), CALENDARS[calendar]()
    for start in (
        D(2025, 12, 31),
        D(2026, 1, 1),
        D(2026, 9, 28),
        D(2026, 12, 20),
        D(2027, 2, 12),
        D(2028, 3, 1),
    ):
        for n in (-400, -60, -7, -1, 0, 1, 5, 7, 20, 60, 261, 400):
            assert fast.add_working_days(start, n) == slow._add_working_days_day_by_day(start, n), (start, n)


def test_a_year_without_working_days_is_walked_over():
    days_off = {D(2030, 1, 1) + dt.timedelta(days=i): False for i in range(365)}
    calendar = WorkingCalendar(overrides=days_off, published_years=frozenset({2030}))
    result = calendar.add_working_days(D(2029, 12, 31), 1)
    assert result.date == D(2031, 1, 1)
    assert result.unknown_years == (2031,)
    assert calendar.add_working_days(D(2031, 1, 1), -1).date == D(2029, 12, 31)


# ---------------------------------------------------------------------------- compiled forms


def _conditions(rule):
    for name in ("applies_when", "condition"):
        if getattr(rule, name, None) is not None:
            yield getattr(rule, name)
    for requirement in getattr(rule, "documents", ()):
        if requirement.when is not None:
            yield requirement.when
    for option in getattr(rule, "options", ()):
        if option.when is not None:
            yield option.when


@pytest.mark.parametrize("code", CODES)
def test_compiled_conditions_answer_as_evaluate_condition_does(code):
    spec, _ = shipped_pack(code)
    conditions = [c for rule in spec.rules for c in _conditions(rule)]
    assert conditions
    for facts in fact_sets(spec):
        parsed = parse_facts(facts)
        for condition in conditions:
            assert compile_condition(condition)(parsed) is evaluate_condition(condition, parsed), condition


DATA = {
    "due_date": D(2026, 10, 9),
    "missing": [
        {"code": "fsr", "name_zh": "可研", "name_en": "FSR"},
        {"code": "x", "name_zh": "乙", "name_en": "B"},
    ],
    "hits": [],
    "value": __import__("decimal").Decimal("12.50"),
    "unanswered": ["a", "b"],
}


@pytest.mark.parametrize(
    "template",
    [
        "须于{due_date}前完成",  # a date
        "缺少：{missing}",  # documents by name
        "命中：{hits}",  # an empty list says none
        "{value}万元，{unanswered}",
        "没有字段 {{literal}} braces",
        "未给出{not_in_data}",  # left as it is
        "{due_date!r} {value:>10}",  # conversion and format spec
        "{missing[0]}",  # indexing: the whole key is formatted
    ],
)
def test_templates_say_what_say_says(template):
    text = Text(zh=template, en=template)
    assert _Template.of(text).render(DATA) == _say(text, DATA)


@pytest.mark.parametrize("template", ["{0}", "{}", "{value:{due_date}}", "a } b"])
def test_templates_it_does_not_read_fail_as_they_always_did(template):
    text = Text(zh=template, en=template)
    compiled = _Template.of(text)
    assert compiled.keys is None
    with pytest.raises((ValueError, IndexError, KeyError)) as expected:
        _say(text, DATA)
    with pytest.raises(expected.type):
        compiled.render(DATA)


def test_engine_verdicts_are_plain_verdicts():
    spec, _ = shipped_pack("nanchong")
    for verdict in evaluate(spec, rich(spec, 2), as_of=AS_OF):
        assert set(verdict.__dict__) == {f.name for f in fields(Verdict)}
        assert verdict == Verdict(**{f.name: getattr(verdict, f.name) for f in fields(Verdict)})
