"""Every decided fact a shipped measure reads has a source: its own record, or a finding."""

from __future__ import annotations

import importlib
import inspect

import pytest

from jurisdictions.packfiles import shipped_codes, shipped_pack
from jurisdictions.rules.facts import FACT_SOURCES, FactSource
from jurisdictions.rules.reads import facts_read
from projects.findings.catalog import FINDINGS, STATEMENTS, facts_to_record

# Decided facts that a record of their own decides, and the module whose code writes them.
RECORDED_BY = {
    "negative_list_answers": "projects.selectors",
    "replaceable_by_unified_system": "projects.decommission.services",
    "is_zombie": "projects.decommission.services",
    "waste_or_poor_performance_found": "acceptance.evaluation.services",
    "performance_poor": "acceptance.evaluation.services",
    "performance_rating": "acceptance.evaluation.services",
    "serious_delay_or_loss": "projects.construction.services",
    "rectification_due_date": "projects.construction.services",
    "acceptance_delay_new_due_date": "acceptance.completion.services",
    "pre_acceptance_passed": "acceptance.completion.selectors",
    "archive_accepted": "acceptance.completion.selectors",
}


def _read_by_some_pack() -> set[str]:
    return {name for code in shipped_codes() for name in facts_read(shipped_pack(code)[0])}


def test_every_decided_fact_a_measure_reads_has_a_record_or_a_finding():
    decided = {n for n in _read_by_some_pack() if FACT_SOURCES[n] is FactSource.DECIDED}
    without = sorted(decided - FINDINGS - set(RECORDED_BY))
    assert without == [], f"decided facts nobody can record: {without}"


@pytest.mark.parametrize("fact", sorted(RECORDED_BY))
def test_a_record_owns_what_the_catalogue_leaves_out(fact):
    assert fact not in FINDINGS
    source = inspect.getsource(importlib.import_module(RECORDED_BY[fact]))
    assert f'"{fact}"' in source


def test_findings_are_decided_and_statements_declared():
    assert {FACT_SOURCES[n] for n in FINDINGS} == {FactSource.DECIDED}
    assert {FACT_SOURCES[n] for n in STATEMENTS} == {FactSource.DECLARED}


@pytest.mark.parametrize(
    ("code", "present", "absent"),
    [
        (
            "laizhou",
            {"shares_data", "major_security_hazard", "rectification_failed"},
            {"city_government_approved"},
        ),
        (
            "nanchong",
            {"city_government_approved", "major_change", "design_exceeds_fsr"},
            {"government_consent_given"},
        ),
        ("hongshan", {"government_consent_given", "on_unified_office_platform"}, {"major_change"}),
        ("baotou", {"simplified_approval_eligible", "deployed_on_gov_cloud"}, {"shares_data"}),
        ("ordos", {"isolated_network_approved", "shares_data"}, {"leading_group_approved"}),
    ],
)
def test_each_measure_offers_only_what_it_reads(code, present, absent):
    offered = set(facts_to_record(shipped_pack(code)[0]))
    assert present <= offered
    assert not offered & absent
