"""The evaluation API on the real packs: the self-evaluation, the post-evaluation, 莱州's random checks;
refusals with their codes (400, 403, 404, 409)."""

from __future__ import annotations

import datetime as dt

import pytest

from jurisdictions.models import Role
from tests.acceptance.evaluation.helpers import operating
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_self_evaluation_and_the_window(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = operating(tenant, dt.date.today() - dt.timedelta(days=100))
    staff = client_for(tenant.users[Role.DEPARTMENT_STAFF])
    base = f"/api/v1/projects/{project.pk}/evaluation/"
    state = staff.get(base).json()
    assert state["window"]["article"] == "第三十四条" and state["window"]["outside"] is False
    assert "self_evaluate" in state["allowed"]
    assert staff.post(base + "self/", {"rating": "best", "summary": "x"}, format="json").status_code == 400
    response = staff.post(base + "self/", {"rating": "excellent", "summary": "运行良好"}, format="json")
    assert response.status_code == 201 and response.json()["outside_window"] is False
    reviewer = client_for(tenant.users[Role.REVIEWER])
    assert reviewer.post(base + "self/", {"rating": "good", "summary": "x"}, format="json").status_code == 403
    assert staff.get(base).json()["performance_rating"] == "excellent"


def test_random_checks_api(pack_tenant, beta):
    tenant = pack_tenant("laizhou")
    projects = [operating(tenant) for _ in range(3)]
    year = dt.date.today().year
    url = f"/api/v1/evaluation/random-checks/laizhou/{year}/"
    reviewer = client_for(tenant.users[Role.REVIEWER])
    state = reviewer.get(url).json()
    assert state["article"] == "第三十四条" and state["open_choice"] is True and state["draws"] == []
    assert reviewer.post(url, {}, format="json").status_code == 400  # the reviewer must choose the count
    assert (
        client_for(tenant.users[Role.DEPARTMENT_STAFF]).post(url, {"count": 1}, format="json").status_code
        == 403
    )
    assert client_for(beta.users[Role.REVIEWER]).get(url).status_code == 404
    assert reviewer.get("/api/v1/evaluation/random-checks/laizhou/abc/").status_code == 404
    draw = reviewer.post(url, {"count": 2}, format="json").json()
    assert draw["verified"] is True and sorted(draw["population"]) == sorted(p.pk for p in projects)
    assert reviewer.post(url, {"count": 2}, format="json").status_code == 400  # a reason to draw again
    result_url = f"/api/v1/evaluation/random-checks/draws/{draw['id']}/results/"
    body = {"project": draw["chosen"][0], "rating": "pass", "finding": "基本满足"}
    assert reviewer.post(result_url, body, format="json").status_code == 201
    assert reviewer.post(result_url, body, format="json").status_code == 409
    assert client_for(beta.users[Role.REVIEWER]).post(result_url, body, format="json").status_code == 404
    assert reviewer.get(url).json()["draws"][0]["results"][0]["rating"] == "pass"
    assert reviewer.get(f"/api/v1/evaluation/random-checks/hongshan/{year}/").status_code == 404
