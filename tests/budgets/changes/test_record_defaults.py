"""No change request judged major means no major change: a 南充 project with no change is not held at
acceptance by 第二十六条 for want of a judgment nobody was asked to make."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jurisdictions.selectors import rule_pack
from projects.selectors import project_facts, project_verdicts
from tests.conftest import advance, make_project

pytestmark = pytest.mark.django_db

HELD_BY_A_CHANGE = {
    "nanchong.change.major_adjustment",  # 第二十六条: a major adjustment needs its approval
    "nanchong.change.no_post_hoc_adjustment",  # 第二十六条: no adjustment after the fact
}


def test_a_project_without_a_change_is_not_held_by_the_change_rules(pack_tenant):
    tenant = pack_tenant("nanchong")
    category = rule_pack(tenant.jurisdiction).spec.categories[0].code
    project = advance(
        make_project(tenant, category=category, total_investment_wan=Decimal("300"), facts={}),
        "trial_operation",
    )
    facts = project_facts(project)
    assert facts["major_change"] is False and facts["change_made_without_approval"] is False
    _pack, verdicts = project_verdicts(project, transition="apply_for_acceptance")
    held = {v.rule_id for v in verdicts if v.blocks_transition("apply_for_acceptance")}
    assert not held & HELD_BY_A_CHANGE


def test_a_change_judged_major_holds_acceptance_until_its_approval_is_on_file(pack_tenant):
    tenant = pack_tenant("nanchong")
    category = rule_pack(tenant.jurisdiction).spec.categories[0].code
    project = make_project(
        tenant, category=category, total_investment_wan=Decimal("300"), facts={"major_change": True}
    )
    project = advance(project, "trial_operation")
    _pack, verdicts = project_verdicts(project, transition="apply_for_acceptance")
    held = {v.rule_id for v in verdicts if v.blocks_transition("apply_for_acceptance")}
    assert "nanchong.change.major_adjustment" in held
