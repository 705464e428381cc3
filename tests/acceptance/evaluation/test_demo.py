"""The demo's evaluation records: a self-evaluation where today is inside the pack's window."""

from __future__ import annotations

import datetime as dt

import pytest

from acceptance.evaluation.demo import record_evaluation_demo
from acceptance.evaluation.models import SelfEvaluation
from jurisdictions.models import Role
from tests.acceptance.evaluation.helpers import operating

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "recorded"), [("laizhou", True), ("hongshan", False), ("ordos", False)])
def test_demo_self_evaluation(pack_tenant, code, recorded):
    tenant = pack_tenant(code)
    project = operating(tenant, dt.date.today())
    record_evaluation_demo(project, tenant.users[Role.DEPARTMENT_STAFF])
    record_evaluation_demo(project, tenant.users[Role.DEPARTMENT_STAFF])  # idempotent
    rows = list(SelfEvaluation.objects.filter(project=project))
    assert len(rows) == (1 if recorded else 0)
    if recorded:
        assert rows[0].outside_window is False and rows[0].rating == "good"
