"""The inbox costs the same number of queries with 10 or 10,000 items waiting (page, API, header count)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from approvals.inbox.services import pending_count
from projects.models import Project
from tests.approvals.inbox.conftest import declared, delegate
from tests.conftest import client_for


def _more_declared(template: Project, count: int, start: int = 0) -> None:
    """`count` copies of a declared project, written at once (the inbox reads them, nothing else)."""
    fields = [f for f in Project._meta.concrete_fields if not f.primary_key and f.name != "code"]
    values = {f.attname: getattr(template, f.attname) for f in fields}
    Project.objects.bulk_create(
        [Project(**values, code=f"{template.code}-{n:05d}") for n in range(start, start + count)],
        batch_size=2000,
    )


def _queries(call) -> int:
    call()
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured)


def test_ten_thousand_waiting_items_cost_what_ten_do(alpha, qian):
    delegate(alpha, qian)  # the delegated path too
    template = Project.objects.get(pk=declared(alpha).pk)
    _more_declared(template, 9)
    page = Client()
    page.force_login(qian)
    calls = {
        "page": lambda: page.get("/projects/inbox/"),
        "later page": lambda: page.get("/projects/inbox/", {"page": 3}),
        "api": lambda: client_for(qian).get("/api/v1/inbox/"),
    }
    few = {name: _queries(call) for name, call in calls.items()}
    with CaptureQueriesContext(connection) as counted:
        assert pending_count(qian) == 10
    few_count = len(counted)
    _more_declared(template, 9_990, start=9)
    many = {name: _queries(call) for name, call in calls.items()}
    assert many == few
    with CaptureQueriesContext(connection) as counted:
        assert pending_count(qian) == 10_000
    assert len(counted) == few_count
    html = page.get("/projects/inbox/").content.decode()
    assert html.count('name="items"') == 50
    assert "共 10000 项" in html or "共 10,000 项" in html
