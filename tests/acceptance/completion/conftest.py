"""Projects on the real measures put in construction, with the facts their demo projects declare."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from jurisdictions.models import Role
from jurisdictions.selectors import rule_pack
from tests.conftest import advance, make_project

DEMO = Path(settings.BASE_DIR) / "projects" / "demo_projects.yaml"
# Facts the demo imports that the records of this part now decide: never given to a test project.
RECORDED = {
    "completion_date",
    "trial_run_start",
    "trial_run_stable_date",
    "acceptance_applied_date",
    "acceptance_filing_date",
    "acceptance_date",
    "operation_start_date",
    "pre_acceptance_passed",
    "archive_accepted",
    "accepted",
}


def _demo(code: str) -> dict:
    return yaml.safe_load(DEMO.read_text(encoding="utf-8"))["jurisdictions"][code]


def demo_facts(code: str) -> dict:
    facts = dict(_demo(code).get("facts") or {})
    return {name: value for name, value in facts.items() if name not in RECORDED and name != "category"}


def in_construction(tenant, code: str, *, amount="380.00", on=None, drop=(), **facts):
    """A project of the measure in construction since `on`, every pack document on file but `drop`."""
    spec = rule_pack(tenant.jurisdiction).spec
    category = _demo(code)["projects"][-1]["category"]
    documents = [d.code for d in spec.documents if d.code not in set(drop)]
    project = make_project(
        tenant,
        category=category,
        total_investment_wan=Decimal(amount),
        facts={
            **demo_facts(code),
            "approved_estimate_wan": amount,
            "documents": documents,
            "negative_list_answers": {},
            **facts,
        },
    )
    return advance(project, "in_construction", on=on or dt.date(2026, 1, 5))


@pytest.fixture
def staff_of():
    return lambda tenant: tenant.users[Role.DEPARTMENT_STAFF]


@pytest.fixture
def reviewer_of():
    return lambda tenant: tenant.users[Role.REVIEWER]
