"""The notifications API: your own list (all or unread), marking read, your e-mail choice; someone else's
notification is a 404 like one that does not exist; bad input is a 400 naming the field."""

from __future__ import annotations

import pytest

from jurisdictions.models import Role
from projects.notifications.models import Notification
from tests.conftest import client_for, make_project
from tests.projects.notifications.helpers import tell

pytestmark = pytest.mark.django_db
LIST = "/api/v1/notifications/"


def test_the_list_is_ones_own_unread_first(alpha, beta):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    project = make_project(alpha, title="甲市养老服务平台")
    ids = tell(staff, project, n=3)
    tell(alpha.users[Role.REVIEWER], project)
    tell(beta.users[Role.DEPARTMENT_STAFF], make_project(beta))
    Notification.objects.filter(pk=ids[2]).update(read_at="2026-03-01T00:00:00Z")
    client = client_for(staff)
    body = client.get(LIST).json()
    assert body["count"] == 3
    assert [n["id"] for n in body["results"]] == [ids[1], ids[0], ids[2]]
    first = body["results"][0]
    assert first["project"] == project.pk and first["project_title"] == "甲市养老服务平台"
    assert first["url"] == f"/projects/{project.pk}/" and first["unread"] is True
    unread = client.get(LIST, {"unread": "true"}).json()
    assert [n["id"] for n in unread["results"]] == [ids[1], ids[0]]
    refused = client.get(LIST, {"unread": "perhaps"})
    assert refused.status_code == 400 and "unread" in refused.json()["errors"]


def test_the_list_costs_the_same_for_5_or_60(alpha, django_assert_max_num_queries):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    client = client_for(staff)
    project = make_project(alpha)
    for many in (5, 55):
        tell(staff, project, n=many)
        with django_assert_max_num_queries(2):  # the count and the page
            assert client.get(LIST).status_code == 200


def test_mark_read_and_all_read(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    ids = tell(staff, make_project(alpha), n=3)
    client = client_for(staff)
    response = client.post(f"{LIST}{ids[0]}/read/")
    assert response.status_code == 200 and response.json()["unread"] is False
    assert client.post(f"{LIST}{ids[0]}/read/").json()["read_at"] == response.json()["read_at"]
    assert client.post(f"{LIST}read-all/").json() == {"marked": 2}
    assert client.post(f"{LIST}read-all/").json() == {"marked": 0}


def test_someone_elses_notification_is_404_like_a_missing_one(alpha, beta):
    [pk] = tell(alpha.users[Role.DEPARTMENT_STAFF], make_project(alpha))
    for user in (alpha.users[Role.REVIEWER], beta.users[Role.DEPARTMENT_STAFF]):
        client = client_for(user)
        theirs = client.post(f"{LIST}{pk}/read/")
        missing = client.post(f"{LIST}999999/read/")
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json() == missing.json()
    for bad in ("abc", "0", str(2**64), "%C2%B2", "1.5"):
        assert client_for(alpha.users[Role.DEPARTMENT_STAFF]).post(f"{LIST}{bad}/read/").status_code == 404
    assert Notification.objects.get(pk=pk).read_at is None


def test_the_email_choice(alpha):
    client = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    assert client.get(f"{LIST}preferences/").json() == {"email_mode": "immediate", "email": ""}
    response = client.put(f"{LIST}preferences/", {"email_mode": "digest"}, format="json")
    assert response.status_code == 200 and response.json()["email_mode"] == "digest"
    for body in ({"email_mode": "weekly"}, {}, ["digest"], {"email_mode": ["digest"]}, {"email_mode": None}):
        refused = client.put(f"{LIST}preferences/", body, format="json")
        assert refused.status_code == 400, body
    assert client.get(f"{LIST}preferences/").json()["email_mode"] == "digest"
    assert client.post(f"{LIST}preferences/", {"email_mode": "none"}, format="json").status_code == 405
