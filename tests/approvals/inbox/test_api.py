"""API doors: GET /api/v1/inbox/, POST /api/v1/inbox/batch/, delegations list/create/end (400/403/404/409)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from approvals.delegation.models import Delegation
from jurisdictions.models import Role
from projects.models import Project
from security.selectors import person_name
from tests.approvals.inbox.conftest import declared, delegate
from tests.conftest import client_for, make_project


def test_the_inbox_lists_pending_and_done(alpha, qian):
    project = declared(alpha)
    delegate(alpha, qian)
    pending = client_for(qian).get("/api/v1/inbox/").json()
    assert pending["count"] == 1
    [item] = pending["results"]
    assert item["kind"] == "intake" and item["key"] == str(project.pk)
    assert item["for_whom"] == person_name(alpha.users[Role.REVIEWER])
    assert client_for(qian).get("/api/v1/inbox/", {"tab": "nope"}).status_code == 400
    assert client_for(qian).get("/api/v1/inbox/", {"tab": "done"}).json()["count"] == 0


def test_a_batch_reports_each_item(alpha, beta):
    good, draft, foreign = declared(alpha), make_project(alpha), declared(beta)
    response = client_for(alpha.users[Role.REVIEWER]).post(
        "/api/v1/inbox/batch/",
        {"kind": "intake", "keys": [str(good.pk), str(draft.pk), str(foreign.pk)], "action": "approve"},
        format="json",
    )
    assert response.status_code == 200, response.content
    results = {r["key"]: r for r in response.json()["results"]}
    assert results[str(good.pk)]["done"] is True
    assert (results[str(draft.pk)]["done"], results[str(draft.pk)]["code"]) == (False, "invalid_transition")
    assert (results[str(foreign.pk)]["done"], results[str(foreign.pk)]["code"]) == (False, "not_found")
    assert results[str(draft.pk)]["reason"]
    assert Project.objects.get(pk=good.pk).phase == "in_library"
    assert Project.objects.get(pk=foreign.pk).phase == "declared"


def test_a_batch_refuses_bad_input_with_400(alpha):
    project = declared(alpha)
    client = client_for(alpha.users[Role.REVIEWER])
    for body in (
        {"kind": "intake", "keys": [str(project.pk)], "action": "return"},  # no reason
        {"kind": "nothing", "keys": [str(project.pk)], "action": "approve"},
        {"kind": "intake", "keys": [str(project.pk)], "action": "reject"},
        {"kind": "intake", "keys": [], "action": "approve"},
    ):
        response = client.post("/api/v1/inbox/batch/", body, format="json")
        assert response.status_code == 400, (body, response.content)
    assert Project.objects.get(pk=project.pk).phase == "declared"


def test_delegations_through_the_api(alpha, beta, qian):
    reviewer = alpha.users[Role.REVIEWER]
    today = timezone.localdate()
    body = {
        "delegate": qian.pk,
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=3)).isoformat(),
        "reason": "出差",
    }
    assert (
        client_for(alpha.users[Role.DEPARTMENT_STAFF]).post("/api/v1/delegations/", body).status_code == 403
    )
    assert (
        client_for(reviewer).post("/api/v1/delegations/", {**body, "delegate": reviewer.pk}).status_code
        == 400
    )
    other = beta.users[Role.REVIEWER]
    assert (
        client_for(reviewer).post("/api/v1/delegations/", {**body, "delegate": other.pk}).status_code == 400
    )
    created = client_for(reviewer).post("/api/v1/delegations/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["in_force"] is True
    assert [d["id"] for d in client_for(qian).get("/api/v1/delegations/").json()] == [pk]
    assert client_for(beta.users[Role.JURISDICTION_ADMIN]).get("/api/v1/delegations/").json() == []
    end = f"/api/v1/delegations/{pk}/end/"
    assert client_for(qian).post(end).status_code == 403
    assert client_for(beta.users[Role.JURISDICTION_ADMIN]).post(end).status_code == 404
    assert client_for(reviewer).post("/api/v1/delegations/999999/end/").status_code == 404
    assert client_for(reviewer).post(end).status_code == 200
    assert client_for(reviewer).post(end).status_code == 409
    assert Delegation.objects.get(pk=pk).ended_by == reviewer


def test_a_batch_of_keys_no_row_can_have_is_answered_item_by_item_never_a_server_error(alpha):
    """Keys are text from the client: "²", 2**70, control characters, for every kind."""
    from approvals.inbox.registry import SOURCES

    client = client_for(alpha.users[Role.REVIEWER])
    keys = ["²", str(2**70), "\x03\x17", "1:x:1", "9:\x03:1", "-1"]
    for kind in SOURCES:
        response = client.post(
            "/api/v1/inbox/batch/",
            {"kind": kind, "keys": keys, "action": "approve", "comment": "x"},
            format="json",
        )
        assert response.status_code == 200, (kind, response.status_code, response.content[:300])
        assert not any(result["done"] for result in response.json()["results"])
