"""The notification centre, the header's unread count, opening a notification, marking read and the e-mail
settings; each person only ever reaches their own; a fixed number of queries however many there are."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse

from jurisdictions.models import Role
from projects.notifications.models import Notification, NotificationPreference
from tests.conftest import make_project
from tests.projects.notifications.helpers import tell

pytestmark = pytest.mark.django_db


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_centre_lists_unread_first_with_project_and_local_time(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    project = make_project(alpha, title="甲市养老服务平台")
    first, second = tell(staff, project, n=2, title="请补充材料")
    Notification.objects.filter(pk=second).update(read_at="2026-03-01T00:00:00Z")
    Notification.objects.filter(pk=first).update(created_at="2026-03-01T16:30:00Z")  # 00:30 in Beijing
    page = browser(staff).get(reverse("notifications:centre")).content.decode()
    assert page.index("请补充材料0") < page.index("请补充材料1")  # the unread one first
    assert "甲市养老服务平台" in page and "2026-03-02 00:30" in page
    assert "未读：1" in page and "全部标为已读" in page and "标为已读" in page
    assert reverse("notifications:open", args=[first]) in page


def test_the_centre_pages_by_fifty(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    tell(staff, make_project(alpha), n=51, title="第")
    client = browser(staff)
    first = client.get(reverse("notifications:centre")).content.decode()
    assert first.count('class="notification unread"') == 50 and "第 1 页，共 2 页" in first
    second = client.get(reverse("notifications:centre") + "?page=2").content.decode()
    assert second.count('class="notification unread"') == 1


@pytest.mark.parametrize("many", [5, 60])
def test_the_centre_costs_the_same_queries_for_5_or_60(alpha, many, django_assert_max_num_queries):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    projects = [make_project(alpha, title=f"项目{i}") for i in range(3)]
    for i in range(many):
        tell(staff, projects[i % 3], key=f"k{i}-")
    client = browser(staff)
    client.get(reverse("notifications:centre"))  # warm the per-process caches (memberships, stamps)
    with django_assert_max_num_queries(9):  # session, user, memberships, 2 counts, the page, session save
        assert client.get(reverse("notifications:centre")).status_code == 200


@pytest.mark.parametrize("many", [0, 5, 60])
def test_the_header_count_is_one_query(alpha, many, django_assert_max_num_queries):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    tell(staff, make_project(alpha), n=many)
    client = browser(staff)
    client.get(reverse("notifications:count"))
    with django_assert_max_num_queries(6):  # the session, the user, the count; the session saved (3)
        response = client.get(reverse("notifications:count"))
    body = response.content.decode()
    assert (f">{many}</span>" in body) if many else 'class="badge"' not in body


def test_every_page_has_the_header_link_loading_the_count(alpha):
    """The count comes after the page (htmx): no page waits for it or pays a query for it."""
    client = browser(alpha.users[Role.REVIEWER])
    tell(alpha.users[Role.REVIEWER], make_project(alpha), n=3)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("projects:list")).content.decode()
    assert not [q for q in captured.captured_queries if "projects_notification" in q["sql"]]
    assert f'href="{reverse("notifications:centre")}"' in page
    assert f'hx-get="{reverse("notifications:count")}"' in page


def test_opening_marks_read_and_goes_to_the_thing_to_do(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    project = make_project(alpha)
    [pk] = tell(staff, project)
    response = browser(staff).get(reverse("notifications:open", args=[pk]))
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert Notification.objects.get(pk=pk).read_at is not None


def test_opening_never_leaves_the_site(alpha):
    """`notify` refuses such links; one put in a row some other way is still not followed."""
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    [pk] = tell(staff, make_project(alpha))
    for url in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        Notification.objects.filter(pk=pk).update(url=url)
        response = browser(staff).get(reverse("notifications:open", args=[pk]))
        assert response.status_code == 302 and response["Location"] == reverse("notifications:centre")


def test_mark_read_plain_and_htmx(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    first, second = tell(staff, make_project(alpha), n=2)
    client = browser(staff)
    response = client.post(reverse("notifications:read", args=[first]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications:centre")
    response = client.post(reverse("notifications:read", args=[second]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Trigger"] == "notifications-changed"
    body = response.content.decode()
    assert f'id="notification-{second}"' in body and "标为已读" not in body
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    reviewer = alpha.users[Role.REVIEWER]
    project = make_project(alpha)
    tell(staff, project, n=3)
    tell(reviewer, project, n=1)
    response = browser(staff).post(reverse("notifications:read-all"), follow=True)
    assert "已将 3 条通知标为已读。" in response.content.decode()
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == reviewer


def test_someone_elses_notification_is_not_there(alpha, beta):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    [pk] = tell(staff, make_project(alpha))
    for user in (alpha.users[Role.REVIEWER], alpha.other_staff, beta.users[Role.DEPARTMENT_STAFF]):
        client = browser(user)
        assert client.get(reverse("notifications:open", args=[pk])).status_code == 404
        assert client.post(reverse("notifications:read", args=[pk])).status_code == 404
        assert f'id="notification-{pk}"' not in client.get(reverse("notifications:centre")).content.decode()
    for bad in ("abc", "0", str(2**64), "%C2%B2"):
        assert browser(staff).get(f"/notifications/{bad}/open/").status_code == 404
    assert Notification.objects.get(pk=pk).read_at is None


def test_the_email_settings_page(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    client = browser(staff)
    page = client.get(reverse("notifications:settings")).content.decode()
    for label in ("立即发送（每条一封）", "每日汇总", "不发邮件", "未登记电子邮箱"):
        assert label in page
    assert re.search(r'value="immediate"[^>]*checked', page)  # no choice made: immediately
    response = client.post(reverse("notifications:settings"), {"email_mode": "digest"}, follow=True)
    assert "已保存。" in response.content.decode()
    assert NotificationPreference.objects.get(user=staff).email_mode == "digest"
    assert re.search(
        r'value="digest"[^>]*checked', client.get(reverse("notifications:settings")).content.decode()
    )
    assert client.post(reverse("notifications:settings"), {"email_mode": "weekly"}).status_code == 400
    assert NotificationPreference.objects.get(user=staff).email_mode == "digest"


# ---------------------------------------------------------------------------------- the page walker

PAGES = {
    "centre": ("get", lambda pk: reverse("notifications:centre")),
    "count": ("get", lambda pk: reverse("notifications:count")),
    "settings": ("get", lambda pk: reverse("notifications:settings")),
    "read-all": ("post", lambda pk: reverse("notifications:read-all")),
    "open": ("get", lambda pk: reverse("notifications:open", args=[pk])),
    "read": ("post", lambda pk: reverse("notifications:read", args=[pk])),
}
OWN = {"open", "read"}  # one notification: its recipient's only


def test_the_walk_covers_every_page():
    namespace = get_resolver().namespace_dict["notifications"][1]
    assert {name for name in namespace.reverse_dict if isinstance(name, str)} == set(PAGES)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_visitor_is_sent_to_sign_in(alpha, page):
    [pk] = tell(alpha.users[Role.DEPARTMENT_STAFF], make_project(alpha))
    method, url = PAGES[page]
    response = getattr(browser(), method)(url(pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", [*Role.values, "other_staff", "outsider"])
def test_everyone_gets_an_answer_and_only_their_own(alpha, beta, page, role):
    owner = alpha.users[Role.DEPARTMENT_STAFF]
    [pk] = tell(owner, make_project(alpha))
    user = {"other_staff": alpha.other_staff, "outsider": beta.users[Role.DEPARTMENT_STAFF]}.get(role) or (
        alpha.users[role]
    )
    method, url = PAGES[page]
    response = getattr(browser(user), method)(url(pk))
    if page in OWN and user != owner:
        assert response.status_code == 404
    else:
        assert response.status_code in (200, 302)
    wrong = browser(user).put(url(pk)) if method == "get" else browser(user).get(url(pk))
    assert wrong.status_code == 405
