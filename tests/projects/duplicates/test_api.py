"""The similar list and the duplicate decision through the API (the walk in test_permissions covers roles)."""

from __future__ import annotations

from jurisdictions.models import Role
from projects.duplicates.models import DuplicateFinding
from tests.conftest import client_for, make_project


def test_similar_lists_the_near_duplicate_with_its_score(alpha, beta):
    project = make_project(alpha, title="全市视频会议系统升级改造")
    near = make_project(
        alpha, title="全市视频会议系统升级", actor=alpha.other_staff, department=alpha.other_department
    )
    make_project(beta, title="全市视频会议系统升级改造")

    response = client_for(alpha.users[Role.DEPARTMENT_STAFF]).get(f"/api/v1/projects/{project.pk}/similar/")

    assert response.status_code == 200
    rows = response.json()
    assert [row["code"] for row in rows] == [near.code]
    assert rows[0]["department"] == alpha.other_department.name
    assert rows[0]["phase"] == "draft" and rows[0]["phase_label"]
    assert 0 < rows[0]["score"] <= 1


def test_staff_of_another_department_does_not_see_the_project(alpha):
    project = make_project(alpha)
    response = client_for(alpha.other_staff).get(f"/api/v1/projects/{project.pk}/similar/")
    assert response.status_code == 404


def test_a_reviewer_records_a_duplicate(alpha):
    project = make_project(alpha)
    other = make_project(alpha)
    client = client_for(alpha.users[Role.REVIEWER])
    url = f"/api/v1/projects/{project.pk}/duplicate-decision/"

    refused = client.post(url, {"verdict": "duplicate_of", "other": other.pk}, format="json")
    assert refused.status_code == 400 and "comment" in refused.json()["errors"]

    response = client.post(
        url, {"verdict": "duplicate_of", "other": other.pk, "comment": "建设内容相同"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["duplicate_of"] == other.code
    assert DuplicateFinding.objects.get().other == other


def test_another_tenant_gets_404_and_the_wrong_role_403(alpha, beta):
    project = make_project(alpha)
    url = f"/api/v1/projects/{project.pk}/duplicate-decision/"
    body = {"verdict": "not_duplicate"}
    assert client_for(beta.users[Role.REVIEWER]).post(url, body, format="json").status_code == 404
    assert client_for(alpha.users[Role.DEPARTMENT_STAFF]).post(url, body, format="json").status_code == 403
    assert (
        client_for(alpha.users[Role.AUDITOR]).get(f"/api/v1/projects/{project.pk}/similar/").status_code
        == 403
    )
