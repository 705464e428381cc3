"""Odd input is a clear 400 or 404, never a 500 (the CI fuzzes every route from the OpenAPI schema)."""

from __future__ import annotations

import pytest

from jurisdictions.models import Role
from tests.acceptance.evaluation.helpers import operating
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/api/v1/evaluation/random-checks/la\x00zhou/2026/", None, 404),
        ("/api/v1/evaluation/random-checks/laizhou/99999999999999999999/", None, 404),
        (
            "/api/v1/evaluation/random-checks/draws/abc/results/",
            {"project": 1, "rating": "good", "finding": "x"},
            404,
        ),
        ("/api/v1/evaluation/random-checks/draws/99999999999999999999/results/", {}, 404),
    ],
)
def test_odd_paths(pack_tenant, path, body, status):
    tenant = pack_tenant("laizhou")
    api = client_for(tenant.users[Role.REVIEWER])
    response = api.post(path, body, format="json") if body is not None else api.get(path)
    assert response.status_code == status


@pytest.mark.parametrize(
    "body",
    [
        {"rating": "good", "evaluated_on": "0001-01-01", "summary": "x"},
        {"rating": "good", "evaluated_on": "9999-12-31", "summary": "x"},
        {"rating": ["good"], "summary": "x"},
        {"rating": "good", "summary": "x" * 5000},
        {"rating": "good", "summary": "\x00"},
    ],
)
def test_odd_self_evaluations(pack_tenant, body):
    tenant = pack_tenant("laizhou")
    project = operating(tenant)
    api = client_for(tenant.users[Role.DEPARTMENT_STAFF])
    assert api.post(f"/api/v1/projects/{project.pk}/evaluation/self/", body, format="json").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "x", "planned_stop_on": "not a date"},
        {"reason": "", "planned_stop_on": "2026-01-01"},
        {"reason": "x" * 3000, "planned_stop_on": "2026-01-01"},
    ],
)
def test_odd_plans(pack_tenant, body):
    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    api = client_for(tenant.users[Role.REVIEWER])
    assert (
        api.post(f"/api/v1/projects/{project.pk}/decommission/plan/", body, format="json").status_code == 400
    )
