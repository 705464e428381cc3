"""The route each measure gives a change request, against the real packs: one row per rule and case,
citing its article. The service states the change as facts and the engine routes it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from budgets.changes import services
from budgets.changes.models import ChangeStatus
from tests.budgets.changes.conftest import in_construction, reviewer, set_facts, staff

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    code: str
    article: str
    estimate: str
    terms: dict
    route: str
    disposition: str
    note: str
    facts: dict = field(default_factory=dict)
    ratio: str | None = None
    because: tuple = ()

    def __str__(self):
        return f"{self.code} {self.article} {self.note}"


def terms(inc="0", dec="0", new="0", savings="0", goal=False, reason="technical_optimisation"):
    return {
        "content": "调整建设内容",
        "increases_wan": inc,
        "decreases_wan": dec,
        "new_content_wan": new,
        "tender_savings_wan": savings,
        "goal_changed": goal,
        "reason": reason,
    }


FILE, APPROVE, NEW = "filing", "approval", "new_declaration"
BT_IN, BT_OUT = "unit_adjusts_and_files", "follow_approval_procedures"

ROWS = [
    # 包头 第二十一条: 15% of the approved estimate, the larger of increase and decrease, tender savings
    # (part of the decrease) not counted; new content ≤5% of the total and ≤200万; all inclusive.
    Row(
        "baotou", "第二十一条", "1000", terms(inc="150", dec="150"), BT_IN, FILE, "exactly 15%", ratio="15.00"
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="150.01", dec="150.01"),
        BT_OUT,
        APPROVE,
        "15.001%",
        ratio="15.01",
        because=("ratio",),
    ),
    Row("baotou", "第二十一条", "1000", terms(dec="150"), BT_IN, FILE, "a decrease of 15%", ratio="15.00"),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="100", dec="160", savings="20"),
        BT_IN,
        FILE,
        "larger of: decrease 160 less savings 20 = 14%",
        ratio="14.00",
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="100", dec="170"),
        BT_OUT,
        APPROVE,
        "larger of: decrease 170 = 17%",
        ratio="17.00",
        because=("ratio",),
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="160", dec="160", savings="30"),
        BT_OUT,
        APPROVE,
        "savings never reduce the increase: 16%",
        ratio="16.00",
        because=("ratio",),
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="50", dec="50", new="50"),
        BT_IN,
        FILE,
        "new content exactly 5%",
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="51", dec="51", new="51"),
        BT_OUT,
        APPROVE,
        "new content 5.1%",
        because=("new_content_ratio",),
    ),
    Row(
        "baotou",
        "第二十一条",
        "5000",
        terms(inc="200", dec="200", new="200"),
        BT_IN,
        FILE,
        "new content exactly 200万",
    ),
    Row(
        "baotou",
        "第二十一条",
        "5000",
        terms(inc="201", dec="201", new="201"),
        BT_OUT,
        APPROVE,
        "new content 201万 (4.02%)",
        because=("new_content_amount",),
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="50", dec="50", reason="other"),
        BT_OUT,
        APPROVE,
        "no listed condition",
        because=("reason_not_allowed",),
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="50", dec="50", goal=True),
        BT_OUT,
        APPROVE,
        "goal changes",
        because=("goal_changed",),
    ),
    Row(
        "baotou",
        "第二十一条",
        "1000",
        terms(inc="50"),
        BT_OUT,
        APPROVE,
        "beyond the estimate",
        because=("beyond_estimate",),
    ),
    # 红山 第二十三条: 15%, the same three conditions; tender savings are not excluded.
    Row("hongshan", "第二十三条", "1000", terms(inc="150", dec="150"), BT_IN, FILE, "exactly 15%"),
    Row(
        "hongshan",
        "第二十三条",
        "1000",
        terms(inc="150.01", dec="150.01"),
        "follow_procedures",
        APPROVE,
        "15.001%",
        because=("ratio",),
    ),
    Row(
        "hongshan",
        "第二十三条",
        "1000",
        terms(inc="100", dec="160", savings="20"),
        "follow_procedures",
        APPROVE,
        "savings counted: 16%",
        ratio="16.00",
        because=("ratio",),
    ),
    # 南充 第二十七条: 10% of the approved total; 第二十六条: a major adjustment needs the approval.
    Row("nanchong", "第二十七条", "1000", terms(inc="100", dec="100"), BT_IN, FILE, "exactly 10%"),
    Row(
        "nanchong",
        "第二十七条",
        "1000",
        terms(inc="100.01", dec="100.01"),
        "adjustment_approval",
        APPROVE,
        "10.001%",
        because=("ratio",),
    ),
    Row(
        "nanchong",
        "第二十六条",
        "1000",
        terms(inc="50", dec="50"),
        "major_change_approval",
        APPROVE,
        "5% but the reviewer found it a major change",
        facts={"major_change": True},
        because=("major_change",),
    ),
    # 莱州 第十九条 第二款: ≤15% before procurement → the unit applies; otherwise a new declaration.
    Row(
        "laizhou",
        "第十九条第二款",
        "600",
        terms(inc="72", dec="72"),
        "unit_applies_before_procurement",
        APPROVE,
        "12% before procurement",
        facts={"procurement_started": False},
        ratio="12.00",
    ),
    Row(
        "laizhou",
        "第十九条第二款",
        "600",
        terms(inc="72", dec="72"),
        "redeclare_and_adjust_budget",
        NEW,
        "12% after procurement",
        facts={"procurement_started": True},
        because=("after_procurement",),
    ),
    Row(
        "laizhou",
        "第十九条第二款",
        "600",
        terms(inc="96", dec="96"),
        "redeclare_and_adjust_budget",
        NEW,
        "16% before procurement",
        facts={"procurement_started": False},
        because=("ratio",),
    ),
    # 鄂尔多斯 第二十条: 10%; beyond it, approval again as a new project.
    Row("ordos", "第二十条", "1000", terms(inc="100", dec="100"), BT_IN, FILE, "exactly 10%"),
    Row(
        "ordos",
        "第二十条",
        "1000",
        terms(inc="100.1", dec="100.1"),
        "reapprove_as_new_project",
        NEW,
        "10.01%",
        ratio="10.01",
        because=("ratio",),
    ),
]


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_the_measure_routes_the_change(tenants, row):
    tenant = tenants(row.code)
    project = in_construction(tenant, row.code, row.estimate, **row.facts)
    route, estimate, _candidate = services.route_for(project, services._terms(row.terms))
    assert estimate == Decimal(row.estimate)
    assert (route.code, route.disposition) == (row.route, row.disposition), (row.note, route)
    assert route.article == row.article
    assert route.rule_id.startswith(f"{row.code}.change.")
    if row.ratio is not None:
        assert route.ratio_percent == Decimal(row.ratio)
    for reason in row.because:
        assert reason in route.beyond_because, (row.note, route.beyond_because)
    if not row.because:
        assert route.beyond_because == []


def test_the_engine_reads_increase_and_decrease_only_where_the_pack_says(tenants):
    """包头 counts the larger of the two with savings out of the decrease; 红山 reads the adjustment."""
    baotou = in_construction(tenants("baotou"), "baotou", "1000")
    route, _e, candidate = services.route_for(
        baotou, services._terms(terms(inc="100", dec="160", savings="20"))
    )
    assert candidate["adjustment_wan"] == Decimal("160")  # the fact the filing rules read: the larger of
    assert route.adjustment_wan == Decimal("140")  # what 第二十一条 counts


def test_laizhou_waits_for_procurement_to_be_known(tenants):
    """Without a procurement record nor the fact, 莱州 第十九条 is routed as before procurement (the
    construction record's default), or refused naming the fact where no default exists."""
    project = in_construction(tenants("laizhou"), "laizhou", "600")
    route, _e, _c = services.route_for(project, services._terms(terms(inc="72", dec="72")))
    if route.missing_facts:
        assert route.missing_facts == ["procurement_started"]
    else:
        assert route.code == "unit_applies_before_procurement"


@pytest.mark.parametrize(
    ("code", "estimate", "given", "facts", "status"),
    [
        ("baotou", "1000", terms(inc="150", dec="150"), {}, ChangeStatus.FILED),
        ("ordos", "1000", terms(inc="100.1", dec="100.1"), {}, ChangeStatus.NEW_DECLARATION_REQUIRED),
        ("laizhou", "600", terms(inc="72", dec="72"), {"procurement_started": False}, ChangeStatus.SUBMITTED),
        (
            "laizhou",
            "600",
            terms(inc="72", dec="72"),
            {"procurement_started": True},
            ChangeStatus.NEW_DECLARATION_REQUIRED,
        ),
    ],
    ids=[
        "包头 第二十一条 filed",
        "鄂尔多斯 第二十条 new project",
        "莱州 第十九条 applies",
        "莱州 第十九条 after procurement",
    ],
)
def test_submission_follows_the_route(tenants, code, estimate, given, facts, status):
    tenant = tenants(code)
    project = in_construction(tenant, code, estimate, **facts)
    draft = services.change_request_create(actor=staff(tenant), project_id=project.pk, **given)
    done = services.change_request_submit(actor=staff(tenant), project_id=project.pk, request_id=draft.pk)
    assert done.status == status
    assert done.rule_pack_id == project.rule_pack_id
    assert done.article and done.rule_id


def test_a_major_change_recorded_after_filing_is_not_retroactive(tenants):
    """南充: the reviewer's major-change finding applies to changes submitted after it."""
    tenant = tenants("nanchong")
    project = in_construction(tenant, "nanchong", "1000")
    draft = services.change_request_create(
        actor=staff(tenant), project_id=project.pk, **terms(inc="50", dec="50")
    )
    assert services.change_request_submit(
        actor=staff(tenant), project_id=project.pk, request_id=draft.pk
    ).status == (ChangeStatus.FILED)
    set_facts(project, {"major_change": True})
    second = services.change_request_create(
        actor=staff(tenant), project_id=project.pk, **terms(inc="20", dec="20")
    )
    done = services.change_request_submit(actor=staff(tenant), project_id=project.pk, request_id=second.pk)
    assert done.status == ChangeStatus.SUBMITTED
    assert done.article == "第二十六条"
    services.change_request_approve(
        actor=reviewer(tenant),
        project_id=project.pk,
        request_id=done.pk,
        document_number="南发改〔2026〕9号",
        decision_date="2026-01-05",
        amount_wan="1000",
    )
