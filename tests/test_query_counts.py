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
from projects.models import Project
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


# --- The lists at scale (issue 7): each door, each filter, a few rows and many ---------------------


def _list_call(tenant, door: str):
    reviewer = tenant.users[Role.REVIEWER]
    api, page = client_for(reviewer), page_client(reviewer)
    return {
        "api, two phases": lambda: api.get("/api/v1/projects/", {"phase": ["draft", "declared"]}),
        "api, search": lambda: api.get("/api/v1/projects/", {"q": "项目"}),
        # Two requests: the first page, then the second by its cursor.
        "api, second page": lambda: api.get(api.get("/api/v1/projects/", {"page_size": 2}).json()["next"]),
        "page": lambda: page.get("/projects/"),
        "page, search and phase": lambda: page.get("/projects/", {"q": "项目", "phase": "draft"}),
        "page, second page": lambda: page.get("/projects/", {"page": 2}),
        "page, sorted by amount": lambda: page.get("/projects/", {"sort": "-total_investment_wan"}),
        "page, export": lambda: page.get("/projects/export.xlsx", {"phase": "draft", "sort": "title"}),
        "api, export": lambda: api.get("/api/v1/projects/export.xlsx", {"q": "项目"}),
    }[door]


@pytest.mark.parametrize(
    ("door", "ceiling"),
    [
        ("api, two phases", 3),
        ("api, search", 3),
        ("api, second page", 6),
        ("page", 11),
        ("page, search and phase", 11),
        ("page, second page", 11),
        ("page, sorted by amount", 11),
        ("page, export", 8),  # every row in the workbook: one SELECT however many
        ("api, export", 6),
    ],
)
def test_the_project_list_by_each_door(alpha, door, ceiling):
    _more_projects(alpha, 22)  # two pages of the page, many of the API
    call = _list_call(alpha, door)
    few = queries(call)
    _more_projects(alpha, 25)
    assert queries(call) == few <= ceiling


@pytest.mark.parametrize(("who", "ceiling"), [("jurisdiction admin", 12), ("superuser", 9)])
def test_the_admin_changelist(alpha, beta, who, ceiling):
    from django.contrib.auth import get_user_model

    from tests.conftest import admin_site_client

    if who == "superuser":
        admin = page_client(get_user_model().objects.create_superuser("root", "root@example.org", "pw"))
    else:
        admin = admin_site_client(alpha)
    call = lambda: admin.get("/admin/projects/project/", {"phase__exact": "draft"})  # noqa: E731
    make_project(alpha)
    make_project(beta)
    few = queries(call)
    _more_projects(alpha, 12)
    _more_projects(beta, 3)
    assert queries(call) == few <= ceiling


def _with_history(tenant, project, rounds: int):
    """Edits that add events and recorded facts; then a declaration pins the pack."""
    staff = tenant.users[Role.DEPARTMENT_STAFF]
    for n in range(rounds):
        services.update_project(
            actor=staff,
            project_id=project.pk,
            changes={"title": f"改名{n}", "facts": {"is_urgent": n % 2 == 1}},
        )


@pytest.mark.parametrize(
    ("door", "ceiling"),
    # +1 each for the project's screening answers (the `negative_list_answers` fact, projects.screening);
    # the page +2 for its possible duplicates (one similarity query, one read of the findings), +1 for
    # its stored deadlines (projects.deadlines: the 「期限」 section)
    [("api detail", 3), ("api verdicts", 7), ("page detail", 15)],
)
@pytest.mark.parametrize("declared", [False, True], ids=["draft", "declared"])
def test_one_project_however_long_its_history(alpha, door, ceiling, declared):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    reviewer = alpha.users[Role.REVIEWER]
    project = make_project(alpha)
    if declared:
        services.transition_project(actor=staff, project_id=project.pk, name="declare")
    page = page_client(reviewer)
    call = {
        "api detail": lambda: client_for(reviewer).get(f"/api/v1/projects/{project.pk}/"),
        "api verdicts": lambda: client_for(reviewer).get(f"/api/v1/projects/{project.pk}/verdicts/"),
        "page detail": lambda: page.get(f"/projects/{project.pk}/"),
    }[door]
    few = queries(call)
    if declared:  # back and forth, and declared again: the same phase, a longer history
        services.transition_project(
            actor=reviewer, project_id=project.pk, name="return_for_revision", comment="请补充材料"
        )
    _with_history(alpha, project, 5)
    if declared:
        services.transition_project(actor=staff, project_id=project.pk, name="resubmit")
    assert Project.objects.get(pk=project.pk).events.count() >= 6
    assert queries(call) == few <= ceiling


@pytest.mark.parametrize(("door", "ceiling"), [("api", 3), ("page", 11)])
def test_an_experts_list_however_many_grants(alpha, door, ceiling):
    from guardian.shortcuts import assign_perm

    expert = alpha.users[Role.EXPERT]
    projects = [make_project(alpha, title=f"项目{n}") for n in range(10)]
    page = page_client(expert)
    call = {
        "api": lambda: client_for(expert).get("/api/v1/projects/"),
        "page": lambda: page.get("/projects/"),
    }[door]
    assign_perm("projects.view_project", expert, projects[0])
    few = queries(call)
    for project in projects[1:]:
        assign_perm("projects.view_project", expert, project)
    assert queries(call) == few <= ceiling
