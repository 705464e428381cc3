"""Issue 6 §5: no lost updates. The project's ETag is its version; If-Match refuses a stale edit
with 412; a PATCH of `facts` is a JSON merge patch, so clients adding different facts lose nothing."""

from __future__ import annotations

import os
import threading

import pytest
from django.db import connection, connections

from jurisdictions.models import Role
from jurisdictions.rules.facts import FACT_SOURCES, FACTS, FactSource, FactType, fact_label
from projects.models import Project
from tests.conftest import client_for, make_project, make_tenant


@pytest.fixture
def staff(alpha):
    return client_for(alpha.users[Role.DEPARTMENT_STAFF])


def url(project) -> str:
    return f"/api/v1/projects/{project.pk}/"


@pytest.mark.django_db
def test_get_and_patch_give_the_version_as_etag(alpha, staff):
    project = make_project(alpha)
    read = staff.get(url(project))
    assert read["ETag"] == f'"{project.version}"' and read.json()["version"] == project.version
    assert staff.get(url(project), HTTP_IF_NONE_MATCH=read["ETag"]).status_code == 304
    patched = staff.patch(url(project), {"title": "新标题"}, format="json", HTTP_IF_MATCH=read["ETag"])
    assert patched.status_code == 200
    assert patched["ETag"] == f'"{project.version + 1}"'


@pytest.mark.django_db
@pytest.mark.parametrize("if_match", ['"1"', 'W/"2"', "garbage", '"1", "7"'])
def test_a_stale_if_match_is_412_with_the_current_etag(alpha, staff, if_match):
    project = make_project(alpha)
    staff.patch(url(project), {"title": "改过一次"}, format="json")  # version 2
    response = staff.patch(url(project), {"title": "迟到的修改"}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 412
    assert response["ETag"] == '"2"'
    assert response.json()["code"] == "precondition_failed" and response.json()["version"] == 2
    project.refresh_from_db()
    assert project.title == "改过一次" and project.version == 2


@pytest.mark.django_db
@pytest.mark.parametrize("if_match", ['"2"', "*", '"1", "2"'])
def test_a_current_if_match_is_accepted(alpha, staff, if_match):
    project = make_project(alpha)
    staff.patch(url(project), {"title": "改过一次"}, format="json")
    response = staff.patch(url(project), {"title": "再改"}, format="json", HTTP_IF_MATCH=if_match)
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_transitions_check_if_match_too(alpha, staff):
    project = make_project(alpha)
    transitions = f"{url(project)}transitions/"
    stale = staff.post(transitions, {"transition": "declare"}, format="json", HTTP_IF_MATCH='"0"')
    assert stale.status_code == 412 and stale["ETag"] == f'"{project.version}"'
    assert Project.objects.get(pk=project.pk).phase == "draft"
    done = staff.post(
        transitions, {"transition": "declare"}, format="json", HTTP_IF_MATCH=f'"{project.version}"'
    )
    assert done.status_code == 200 and done.json()["phase"] == "declared"
    assert done["ETag"] == f'"{project.version + 1}"'


@pytest.mark.django_db
def test_patching_facts_merges_by_key_and_null_removes(alpha, staff):
    project = make_project(alpha, facts={"is_upgrade": True, "is_new_build": False})
    response = staff.patch(url(project), {"facts": {"is_upgrade": None, "is_urgent": True}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["facts"] == {"is_new_build": False, "is_urgent": True}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fact", "value", "source"),
    [
        ("documents", ["fsr"], "derived"),
        ("declaration_date", "2026-03-01", "derived"),
        ("negative_list_answers", {"duplicate": False}, "decided"),
        ("city_government_approved", True, "decided"),
    ],
)
def test_a_decided_or_derived_fact_is_refused_naming_where_it_comes_from(alpha, staff, fact, value, source):
    project = make_project(alpha, facts={"is_upgrade": True})
    response = staff.patch(url(project), {"facts": {"is_urgent": True, fact: value}}, format="json")
    assert response.status_code == 400, response.content
    problems = response.json()["errors"]["facts"]
    assert [(p["fact"], p["source"]) for p in problems] == [(fact, source)]
    assert fact_label(fact) in response.json()["detail"]
    assert "不在项目表中填写" in response.json()["detail"]
    stored = Project.objects.get(pk=project.pk)
    assert stored.facts == {"is_upgrade": True} and stored.version == project.version  # nothing half-saved


@pytest.mark.django_db
def test_a_stored_recorded_fact_sent_back_unchanged_is_not_a_change(alpha, staff):
    project = make_project(alpha, facts={"is_upgrade": True, "documents": ["fsr"]})
    facts = staff.get(url(project)).json()["facts"]
    response = staff.patch(url(project), {"facts": {**facts, "is_urgent": True}}, format="json")
    assert response.status_code == 200, response.content
    changed = staff.patch(url(project), {"facts": {**facts, "documents": ["fsr", "proposal"]}}, format="json")
    assert changed.status_code == 400 and changed.json()["errors"]["facts"][0]["fact"] == "documents"


@pytest.mark.django_db
def test_a_stored_recorded_fact_may_still_be_removed(alpha, staff):
    project = make_project(alpha, facts={"is_upgrade": True, "documents": ["fsr"]})
    response = staff.patch(url(project), {"facts": {"documents": None}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["facts"] == {"is_upgrade": True}


def _needs_postgres():
    if connection.vendor != "postgresql":
        (pytest.fail if os.environ.get("GOVPROJ_REQUIRE_SERVICES") else pytest.skip)("needs PostgreSQL")


def _together(calls):
    """Each call runs in its own thread and database connection; all start at once."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            results[index] = call(barrier)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


BOOLEAN_FACTS = sorted(  # what a department may type on its project: the declared facts
    name
    for name, (kind, _meaning) in FACTS.items()
    if kind is FactType.BOOLEAN and FACT_SOURCES[name] is FactSource.DECLARED
)[:20]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_clients_adding_a_fact_each_at_once_lose_nothing():
    _needs_postgres()
    tenant = make_tenant("alpha")
    project = make_project(tenant)
    user = tenant.users[Role.DEPARTMENT_STAFF]

    def add(name):
        def call(barrier):
            client = client_for(user)
            facts = client.get(url(project)).json()["facts"]  # read ...
            facts[name] = True  # ... add one fact ...
            barrier.wait(timeout=30)
            return client.patch(url(project), {"facts": facts}, format="json").status_code  # ... write back

        return call

    statuses = _together([add(name) for name in BOOLEAN_FACTS])
    assert statuses == [200] * 20
    stored = Project.objects.get(pk=project.pk)
    kept = [name for name in BOOLEAN_FACTS if stored.facts.get(name) is True]
    assert len(kept) == 20, f"{20 - len(kept)} of 20 additions lost"
    assert stored.version == project.version + 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_clients_with_the_same_if_match_exactly_one_wins():
    _needs_postgres()
    tenant = make_tenant("alpha")
    project = make_project(tenant)
    user = tenant.users[Role.DEPARTMENT_STAFF]

    def edit(index):
        def call(barrier):
            client = client_for(user)
            etag = client.get(url(project))["ETag"]
            barrier.wait(timeout=30)
            return client.patch(url(project), {"title": f"版本{index}"}, format="json", HTTP_IF_MATCH=etag)

        return call

    responses = _together([edit(i) for i in range(20)])
    assert sorted(r.status_code for r in responses) == [200] + [412] * 19
    assert {r["ETag"] for r in responses} == {f'"{project.version + 1}"'}
