"""The fact vocabulary's metadata (source, labels, help) and the facts each shipped pack reads."""

from __future__ import annotations

import pytest

from jurisdictions.packfiles import shipped_codes, shipped_pack
from jurisdictions.rules.facts import (
    _DECIDED,
    _DECLARED,
    _DERIVED,
    FACT_SOURCES,
    FACT_VALUE_LABELS,
    FACTS,
    FactSource,
    FactType,
    fact_info,
)
from jurisdictions.rules.reads import article_number, fact_groups, facts_read

# ------------------------------------------------------------------ metadata


def test_every_fact_has_exactly_one_source():
    listed = [*_DECLARED, *_DECIDED, *_DERIVED]
    assert len(listed) == len(set(listed)), "a fact is in two source lists"
    assert set(listed) == set(FACTS)
    assert set(FACT_SOURCES) == set(FACTS)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_fact_has_labels_and_help_in_both_languages(name):
    info = fact_info(name)
    assert info.type is FACTS[name][0]
    assert info.source in FactSource
    for text in (info.label_zh, info.label_en, info.help_zh, info.help_en):
        assert text and text.strip()
    assert name not in info.label_zh and name not in info.help_zh  # a person never reads the code


@pytest.mark.parametrize(
    ("name", "source"),
    [
        ("is_upgrade", FactSource.DECLARED),  # a yes/no about the project itself
        ("has_custom_software", FactSource.DECLARED),
        ("total_investment_wan", FactSource.DECLARED),
        ("documents", FactSource.DERIVED),  # the files on record
        ("negative_list_answers", FactSource.DECIDED),  # after review
        ("approval_date", FactSource.DERIVED),  # the date of a decision
        ("trial_run_start", FactSource.DERIVED),
        ("approved_estimate_wan", FactSource.DERIVED),  # the approved baseline
        ("in_project_library", FactSource.DERIVED),
        ("performance_rating", FactSource.DECIDED),
        ("acceptance_delay_new_due_date", FactSource.DECIDED),
    ],
)
def test_sources_follow_the_architecture(name, source):
    assert fact_info(name).source is source


def test_dates_and_documents_are_never_typed_by_the_department():
    for name, (kind, _meaning) in FACTS.items():
        if kind in {FactType.DATE, FactType.STRING_SET, FactType.BOOLEAN_MAP}:
            assert FACT_SOURCES[name] is not FactSource.DECLARED, name


def test_value_labels_cover_the_values_the_packs_compare_with():
    for code in shipped_codes():
        _spec, data = shipped_pack(code)
        for name, value in _compared_values(data):
            if name in FACT_VALUE_LABELS:
                assert value in FACT_VALUE_LABELS[name], (code, name, value)


def _compared_values(node):
    if isinstance(node, dict):
        if isinstance(node.get("fact"), str) and "value" in node:
            values = node["value"] if isinstance(node["value"], list) else [node["value"]]
            yield from ((node["fact"], v) for v in values if isinstance(v, str))
        for value in node.values():
            yield from _compared_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from _compared_values(item)


# ------------------------------------------------------------------ facts read by a pack

FACT_KEYS = ("fact", "base_fact", "anchor", "since", "done_fact", "applied_fact", "new_due_fact")


def _named_in_yaml(node) -> set[str]:
    """Every fact name the pack's data names under a fact-naming key (an independent reading)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FACT_KEYS and isinstance(value, str):
                found.add(value)
            else:
                found |= _named_in_yaml(value)
    elif isinstance(node, list):
        for item in node:
            found |= _named_in_yaml(item)
    return found


@pytest.mark.parametrize("code", ["baotou", "hongshan", "laizhou", "nanchong", "ordos"])
def test_facts_read_are_every_fact_the_rules_name(code):
    spec, data = shipped_pack(code)
    read = facts_read(spec)
    assert len(read) == len(set(read))
    assert set(read) <= set(FACTS)
    assert _named_in_yaml(data["rules"]) <= set(read)
    kinds = {rule.kind for rule in spec.rules}
    if "required_documents" in kinds:
        assert "documents" in read
    if "negative_list" in kinds:
        assert "negative_list_answers" in read


@pytest.mark.parametrize("code", ["baotou", "hongshan", "laizhou", "nanchong", "ordos"])
def test_declared_facts_grouped_by_the_article_that_first_reads_them(code):
    spec, _data = shipped_pack(code)
    groups = fact_groups(spec)
    placed = [name for group in groups for name in group.facts]
    assert len(placed) == len(set(placed)), "a fact is asked twice"
    declared = [name for name in facts_read(spec) if FACT_SOURCES[name] is FactSource.DECLARED]
    assert sorted(placed) == sorted(declared)
    numbers = [article_number(group.article) for group in groups]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for group in groups:
        for name in group.facts:
            first = next(rule for rule in spec.rules if name in facts_read_of(rule))
            assert first.citation.article == group.article, (name, group.article)


def facts_read_of(rule) -> set[str]:
    from jurisdictions.rules.reads import rule_facts

    return set(rule_facts(rule))


# (pack, fact, article that asks it first): read from the measures' texts in jurisdictions/packs.
FIRST_ASKED = [
    ("hongshan", "is_upgrade", "第二条"),  # 小额升级改造按运维服务类项目管理
    ("hongshan", "original_investment_wan", "第二条"),
    ("hongshan", "is_new_build", "第六条"),  # 不支持新建的项目
    ("baotou", "declarer_role", "第六条"),  # who declares which category
]


@pytest.mark.parametrize(("code", "name", "article"), FIRST_ASKED)
def test_fact_is_asked_under_its_article(code, name, article):
    spec, _data = shipped_pack(code)
    group = next(group for group in fact_groups(spec) if name in group.facts)
    assert group.article == article


def test_fact_groups_of_other_sources_and_phases():
    spec, _data = shipped_pack("hongshan")
    derived = [n for g in fact_groups(spec, source=FactSource.DERIVED) for n in g.facts]
    assert "documents" in derived and "is_upgrade" not in derived
    everything = [n for g in fact_groups(spec, source=None) for n in g.facts]
    assert sorted(everything) == sorted(facts_read(spec))
    intake = [n for g in fact_groups(spec, source=None, phases={"intake", "scope"}) for n in g.facts]
    assert set(intake) == set(facts_read(spec, phases={"intake", "scope"}))
    assert "acceptance_date" not in intake


@pytest.mark.parametrize(
    ("article", "number"),
    [
        ("第一条", 1),
        ("第十条", 10),
        ("第十九条", 19),
        ("第二十条", 20),
        ("第四十三条", 43),
        ("第一百零二条", 102),
    ],
)
def test_article_number(article, number):
    assert article_number(article) == number
