"""The project list in a total order: every visible project exactly once, page after page.

Projects filed in the same instant tie on created_at; the order breaks the tie by id, so a
walk by the API's cursor or by the page's numbers never repeats or skips a row.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation
from guardian.shortcuts import assign_perm

from jurisdictions.models import Role
from projects import services
from projects.models import Project
from tests.conftest import client_for, make_project
from tests.factories import MembershipFactory, UserFactory

ROW_LINK = re.compile(r'<td data-label="[^"]*"><a href="/projects/(\d+)/">')


def same_instant(projects, at=None):
    """Give the projects one created_at (as a bulk import in one transaction would)."""
    at = at or timezone.now().replace(microsecond=0)
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(created_at=at)
    return at


def expected_order(projects) -> list[int]:
    rows = Project.objects.filter(pk__in=[p.pk for p in projects]).values_list("created_at", "pk")
    return [pk for _at, pk in sorted(rows, key=lambda row: (row[0], row[1]), reverse=True)]


def walk_the_api(client, **params) -> list[dict]:
    """Every row of the API list, following `next` to the end."""
    response = client.get("/api/v1/projects/", params)
    rows, seen = [], 0
    while True:
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        rows.extend(body["results"])
        seen += 1
        assert seen < 100, "the cursor never ends"
        if body["next"] is None:
            return rows
        response = client.get(body["next"])


def page_ids(client, **params) -> list[int]:
    page = client.get("/projects/", params)
    assert page.status_code == 200
    return [int(pk) for pk in dict.fromkeys(ROW_LINK.findall(page.content.decode()))]


def walk_the_pages(client, **params) -> list[int]:
    ids, number = [], 1
    while True:
        response = client.get("/projects/", dict(params, page=number))
        assert response.status_code == 200
        ids.extend(int(pk) for pk in dict.fromkeys(ROW_LINK.findall(response.content.decode())))
        if not response.context["page_obj"].has_next():
            return ids
        number += 1


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def tied(alpha):
    """Seven projects, five of them filed in the same instant (two before, earlier)."""
    projects = [make_project(alpha, title=f"项目{n}") for n in range(7)]
    now = timezone.now().replace(microsecond=0)
    same_instant(projects[:2], now - dt.timedelta(days=1))
    same_instant(projects[2:], now)
    return projects


def test_the_api_cursor_walks_every_project_once_in_order(alpha, tied):
    rows = walk_the_api(client_for(alpha.users[Role.REVIEWER]), page_size=2)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == 7
    assert ids == expected_order(tied)
    assert ids[:5] == sorted((p.pk for p in tied[2:]), reverse=True)  # the tie, broken by id


@pytest.fixture
def filed(alpha, request):
    """Seven projects: filed one after another ("distinct"), or five in the same instant ("tied")."""
    projects = [make_project(alpha, title=f"项目{n}") for n in range(7)]
    now = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    if request.param == "tied":
        same_instant(projects[:2], now - dt.timedelta(days=1))
        same_instant(projects[2:], now)
    else:
        for minutes, project in enumerate(projects):
            same_instant([project], now + dt.timedelta(minutes=minutes))
    return projects


BOTH_WAYS = pytest.mark.parametrize("filed", ["distinct", "tied"], indirect=True)


@BOTH_WAYS
def test_the_api_cursor_walks_back_by_previous(alpha, filed):
    client = client_for(alpha.users[Role.REVIEWER])
    forward = client.get("/api/v1/projects/", {"page_size": 2}).json()
    middle = client.get(forward["next"]).json()
    back = client.get(middle["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in forward["results"]]


@BOTH_WAYS
def test_a_project_filed_during_the_walk_neither_repeats_nor_hides_a_row(alpha, filed):
    client = client_for(alpha.users[Role.REVIEWER])
    first = client.get("/api/v1/projects/", {"page_size": 3}).json()
    make_project(alpha, title="新项目")  # newer than every row: before the cursor
    rest = walk_the_api_from(client, first["next"])
    ids = [r["id"] for r in first["results"]] + [r["id"] for r in rest]
    assert ids == expected_order(filed)


def walk_the_api_from(client, url) -> list[dict]:
    rows = []
    while url:
        body = client.get(url).json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def test_the_pages_walk_every_project_once_in_order(alpha):
    projects = [make_project(alpha, title=f"项目{n}") for n in range(23)]
    same_instant(projects)
    ids = walk_the_pages(page_client(alpha.users[Role.REVIEWER]))
    assert len(ids) == len(set(ids)) == 23
    assert ids == sorted((p.pk for p in projects), reverse=True)


def test_the_list_api_answers_rows_by_cursor_without_a_total(alpha):
    project = make_project(alpha, description="说明文字")
    client = client_for(alpha.users[Role.REVIEWER])
    body = client.get("/api/v1/projects/").json()
    assert set(body) == {"next", "previous", "results"}
    assert "count" not in body and body["next"] is None and body["previous"] is None
    row = body["results"][0]
    assert row["id"] == project.pk and row["code"] == project.code
    assert "facts" not in row and "description" not in row
    detail = client.get(f"/api/v1/projects/{project.pk}/").json()
    assert detail["description"] == "说明文字" and detail["facts"]["documents"] == ["proposal", "fsr"]


# --- who sees what -------------------------------------------------------------------------------


def api_ids(user, **params) -> list[int]:
    return [row["id"] for row in walk_the_api(client_for(user), **params)]


def test_an_expert_sees_exactly_the_granted_project(alpha, beta):
    projects = [make_project(alpha, title=f"项目{n}") for n in range(3)]
    make_project(beta)
    expert = alpha.users[Role.EXPERT]
    assert api_ids(expert) == [] and page_ids(page_client(expert)) == []
    granted = projects[1]
    assign_perm("projects.view_project", expert, granted)
    assert api_ids(expert) == [granted.pk]
    assert page_ids(page_client(expert)) == [granted.pk]
    assert client_for(expert).get(f"/api/v1/projects/{granted.pk}/").status_code == 200
    assert page_client(expert).get(f"/projects/{granted.pk}/").status_code == 200
    for other in (projects[0], projects[2]):
        assert client_for(expert).get(f"/api/v1/projects/{other.pk}/").status_code == 404
        assert page_client(expert).get(f"/projects/{other.pk}/").status_code == 404


def test_a_grant_through_a_group_counts_too(alpha):
    from django.contrib.auth.models import Group

    project = make_project(alpha)
    make_project(alpha)
    expert = alpha.users[Role.EXPERT]
    panel = Group.objects.create(name="评审专家组")
    expert.groups.add(panel)
    assign_perm("projects.view_project", panel, project)
    assert api_ids(expert) == [project.pk]


def test_another_permission_on_the_object_is_not_a_view_grant(alpha):
    project = make_project(alpha)
    expert = alpha.users[Role.EXPERT]
    assign_perm("projects.change_project", expert, project)
    assert api_ids(expert) == []


def test_a_user_without_roles_or_grants_sees_nothing(alpha):
    make_project(alpha)
    nobody = UserFactory(username="nobody")
    assert api_ids(nobody) == []
    assert page_ids(page_client(nobody)) == []
    assert "共 0 个项目" in page_client(nobody).get("/projects/").content.decode()


def test_staff_who_also_review_see_the_whole_jurisdiction(alpha, beta):
    mine = make_project(alpha)
    theirs = make_project(alpha, actor=alpha.other_staff, department=alpha.other_department)
    make_project(beta)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    assert api_ids(staff) == [mine.pk]
    MembershipFactory(user=staff, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER)
    expected = [theirs.pk, mine.pk]
    assert api_ids(staff) == expected
    assert page_ids(page_client(staff)) == expected
    # Editing stays their own department's.
    assert list(Project.objects.for_user(staff, "change").values_list("pk", flat=True)) == [mine.pk]


def test_staff_in_one_jurisdiction_who_review_another_see_their_department_and_the_other(alpha, beta):
    mine = make_project(alpha)
    make_project(alpha, actor=alpha.other_staff, department=alpha.other_department)
    foreign = make_project(beta)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    MembershipFactory(user=staff, jurisdiction=beta.jurisdiction, role=Role.REVIEWER)
    assert sorted(api_ids(staff)) == sorted([mine.pk, foreign.pk])


# --- search and filters --------------------------------------------------------------------------


def test_search_matches_code_and_title_whatever_the_case(alpha):
    portal = make_project(alpha, title="City Portal Upgrade")
    other = make_project(alpha, title="数据中心扩容")
    reviewer = alpha.users[Role.REVIEWER]
    assert other.code.startswith("ALPHA-")
    fragment = other.code.lower()[-9:]  # e.g. "2026-0002", and with the prefix below
    assert api_ids(reviewer, q=other.code.lower()) == [other.pk]
    assert api_ids(reviewer, q=fragment) == [other.pk]
    assert api_ids(reviewer, q="alpha-") == [other.pk, portal.pk]
    assert api_ids(reviewer, q="portal upgrade") == [portal.pk]
    assert api_ids(reviewer, q="PORTAL") == [portal.pk]
    assert api_ids(reviewer, q="中心") == [other.pk]
    assert api_ids(reviewer, q="nothing-like-it") == []
    assert page_ids(page_client(reviewer), q="city portal") == [portal.pk]
    assert page_ids(page_client(reviewer), q=other.code.lower()) == [other.pk]


def test_search_treats_wildcards_as_text(alpha):
    make_project(alpha, title="平台升级")
    percent = make_project(alpha, title="完成率 100% 的项目")
    reviewer = alpha.users[Role.REVIEWER]
    assert api_ids(reviewer, q="%") == [percent.pk]
    assert api_ids(reviewer, q="_") == []


def test_search_never_widens_what_the_user_sees(alpha, beta):
    make_project(beta, title="Portal")
    mine = make_project(alpha, title="Portal")
    make_project(alpha, title="Portal", actor=alpha.other_staff, department=alpha.other_department)
    assert api_ids(alpha.users[Role.DEPARTMENT_STAFF], q="portal") == [mine.pk]


def test_two_phases_filter_without_duplicates(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    projects = [make_project(alpha, title=f"项目{n}") for n in range(5)]
    for project in projects[:2]:
        services.transition_project(actor=staff, project_id=project.pk, name="declare")
    same_instant(projects)
    reviewer = alpha.users[Role.REVIEWER]
    both = api_ids(reviewer, phase=["draft", "declared"], page_size=2)
    assert both == sorted((p.pk for p in projects), reverse=True)
    assert api_ids(reviewer, phase=["declared"]) == sorted((p.pk for p in projects[:2]), reverse=True)
    on_the_page = page_ids(page_client(reviewer), phase=["draft", "declared"])
    assert on_the_page == both


@pytest.mark.parametrize(
    "cursor", ["abc", "!!", "bnwyMDI2LTAxLTAxfDE", "eHx5fHo", "bnwyMDI2LTAxLTAxVDAwOjAwOjAwKzAwOjAwfC0x"]
)
def test_a_cursor_we_did_not_give_is_a_400_naming_it(alpha, cursor):
    response = client_for(alpha.users[Role.REVIEWER]).get("/api/v1/projects/", {"cursor": cursor})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_list_row_says_what_the_project_says_in_both_languages(alpha, language):
    """The list writes its rows by hand for speed: each must equal the project's own fields."""
    from projects.serializers import ProjectListSerializer, ProjectSerializer

    declared = make_project(alpha, title="数据共享平台")
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=declared.pk, name="declare", comment=""
    )
    make_project(alpha, title="草稿", total_investment_wan=Decimal("1234567.5"))
    client = client_for(alpha.users[Role.REVIEWER])
    rows = client.get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    assert {row["rule_pack"] is None for row in rows} == {True, False}
    with translation.override(language):
        for row in rows:
            project = Project.objects.select_related("jurisdiction", "department", "rule_pack").get(
                pk=row["id"]
            )
            whole = ProjectSerializer(project).data
            assert row == {name: whole[name] for name in ProjectListSerializer.Meta.fields}


def test_the_list_page_escapes_what_people_typed(alpha):
    make_project(alpha, title='<script>alert("x")</script>')
    page = Client()
    page.force_login(alpha.users[Role.REVIEWER])
    body = page.get("/projects/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
