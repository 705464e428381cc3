"""Lists take a constant number of queries, however many rows they show (NetBox keeps such baselines).

Each list is read with a few rows and again with many more; the count must not grow, and
stays under a stated ceiling so that an added per-request query is noticed too.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from jurisdictions.models import Membership, Role
from projects import services
from tests.conftest import client_for, make_project
from tests.factories import UserFactory


def queries(call) -> int:
    """Queries of one call, after a first call has warmed the session and the caches."""
    call()
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200, response.content[:500]
    return len(captured)


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _more_projects(tenant, count):
    for n in range(count):
        make_project(tenant, title=f"项目{n}")


@pytest.mark.parametrize(
    ("name", "ceiling"),
    [("api", 8), ("page", 14)],
)
def test_the_project_list(alpha, name, ceiling):
    reviewer = alpha.users[Role.REVIEWER]
    page = page_client(reviewer)
    call = {
        "api": lambda: client_for(reviewer).get("/api/v1/projects/", {"department": alpha.department.pk}),
        "page": lambda: page.get("/projects/", {"year": 2026}),
    }[name]
    make_project(alpha)
    few = queries(call)
    _more_projects(alpha, 12)
    assert queries(call) == few <= ceiling


def test_a_projects_events(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    project = make_project(alpha)
    call = lambda: client_for(staff).get(f"/api/v1/projects/{project.pk}/events/")  # noqa: E731
    few = queries(call)
    for _round in range(4):
        services.update_project(actor=staff, project_id=project.pk, changes={"title": f"改名{_round}"})
    assert queries(call) == few <= 8


@pytest.mark.parametrize("door", ["api", "page"])
def test_the_token_list(alpha, door):
    admin = alpha.users[Role.JURISDICTION_ADMIN]
    page = page_client(admin)
    call = {
        "api": lambda: client_for(admin).get("/api/v1/auth/tokens/"),
        "page": lambda: page.get("/accounts/tokens/"),
    }[door]
    AuthToken.objects.create(user=alpha.users[Role.REVIEWER])
    few = queries(call)
    for role in (Role.DEPARTMENT_STAFF, Role.AUDITOR, Role.FINANCE_OFFICER, Role.EXPERT):
        AuthToken.objects.create(user=alpha.users[role])
    assert queries(call) == few <= 12


def test_the_people_page(alpha):
    admin = page_client(alpha.users[Role.JURISDICTION_ADMIN])
    few = queries(lambda: admin.get("/people/"))
    for n in range(6):
        person = UserFactory(username=f"person{n}")
        Membership.objects.create(user=person, jurisdiction=alpha.jurisdiction, role=Role.AUDITOR)
    assert queries(lambda: admin.get("/people/")) == few <= 18  # two forms, five select lists
