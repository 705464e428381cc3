"""`notify` and the reading services: one row per recipient, idempotent on a key, never another tenant's
people, a link only to this site; marking read and choosing how to be e-mailed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from govproj.errors import NotFound, ValidationFailed
from jurisdictions.models import Role
from projects.notifications import selectors, services
from projects.notifications.models import EmailMode, Notification, NotificationPreference
from projects.notifications.services import notify
from tests.conftest import make_project
from tests.factories import UserFactory
from tests.projects.notifications.helpers import tell

pytestmark = pytest.mark.django_db


def _notify(users, project, **kwargs):
    values = {
        "kind": "deadline_reminder",
        "title": "「政务服务平台升级」的可研报告将于3日后到期",
        "body": "请按期提交。",
        "url": reverse("projects:detail", args=[project.pk]) + "#stages",
        "project": project,
    }
    return notify(users, **{**values, **kwargs})


def test_one_row_per_recipient_with_the_link_and_the_project(alpha):
    project = make_project(alpha)
    staff, reviewer = alpha.users[Role.DEPARTMENT_STAFF], alpha.users[Role.REVIEWER]
    ids = _notify([staff, reviewer.pk, staff], project)
    rows = Notification.objects.filter(pk__in=ids).order_by("recipient_id")
    assert [r.recipient_id for r in rows] == sorted([staff.pk, reviewer.pk])
    assert {r.jurisdiction_id for r in rows} == {alpha.jurisdiction.pk}
    assert {r.url for r in rows} == {f"/projects/{project.pk}/#stages"}
    assert all(r.read_at is None and r.emailed_at is None and r.kind == "deadline_reminder" for r in rows)


def test_a_key_makes_it_idempotent_per_recipient(alpha):
    project = make_project(alpha)
    staff, reviewer = alpha.users[Role.DEPARTMENT_STAFF], alpha.users[Role.REVIEWER]
    first = _notify([staff], project, key="deadline:7:2026-06-01:remind")
    again = _notify([staff, reviewer], project, key="deadline:7:2026-06-01:remind")
    assert len(first) == 1 and len(again) == 1  # only the reviewer is new
    assert Notification.objects.filter(key="deadline:7:2026-06-01:remind").count() == 2
    assert _notify([staff, reviewer], project, key="deadline:7:2026-06-01:remind") == []
    # Without a key, each call is its own notice.
    _notify([staff], project)
    _notify([staff], project)
    assert Notification.objects.filter(recipient=staff, key="").count() == 2


def test_the_database_keeps_one_row_per_recipient_and_key(alpha):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    _notify([staff], project, key="nudge:1")
    row = Notification.objects.get(key="nudge:1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=staff, jurisdiction=alpha.jurisdiction, kind="x", title="x", url="/", key="nudge:1"
        )
    # A race past the check is absorbed by the constraint: the row stays the first one, no error.
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=staff, jurisdiction=alpha.jurisdiction, kind="x", title="y", url="/", key="nudge:1"
            )
        ],
        ignore_conflicts=True,
    )
    assert list(Notification.objects.filter(key="nudge:1").values_list("pk", "title")) == [
        (row.pk, row.title)
    ]


def test_another_tenants_people_are_never_told(alpha, beta):
    project = make_project(alpha)
    outsider = beta.users[Role.REVIEWER]
    nobody = UserFactory(username="no_membership")
    ids = _notify([alpha.users[Role.REVIEWER], outsider, nobody], project)
    assert list(Notification.objects.filter(pk__in=ids).values_list("recipient_id", flat=True)) == [
        alpha.users[Role.REVIEWER].pk
    ]
    assert not Notification.objects.filter(recipient__in=[outsider, nobody]).exists()


def test_a_notice_without_project_names_its_jurisdiction(alpha, beta):
    reviewer = alpha.users[Role.REVIEWER]
    [pk] = notify(
        [reviewer],
        kind="plan",
        title="年度计划待发布",
        url="/projects/plans/",
        jurisdiction=alpha.jurisdiction,
    )
    assert Notification.objects.get(pk=pk).project is None
    with pytest.raises(ValueError):
        notify([reviewer], kind="plan", title="x", url="/projects/plans/")
    with pytest.raises(ValueError):
        _notify([reviewer], make_project(alpha), jurisdiction=beta.jurisdiction)


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "projects/1/"],
)
def test_the_link_is_a_path_on_this_site(alpha, url):
    with pytest.raises(ValueError):
        _notify([alpha.users[Role.REVIEWER]], make_project(alpha), url=url)
    assert not Notification.objects.exists()


def test_mark_read_is_the_recipients_alone(alpha):
    project = make_project(alpha)
    staff, reviewer = alpha.users[Role.DEPARTMENT_STAFF], alpha.users[Role.REVIEWER]
    [pk] = tell(staff, project)
    with pytest.raises(NotFound):
        services.notification_mark_read(user=reviewer, notification_id=pk)
    for bad in ("abc", "²", str(2**64), "-1", "0"):
        with pytest.raises(NotFound):
            services.notification_mark_read(user=staff, notification_id=bad)
    assert selectors.unread_count(staff) == 1
    row = services.notification_mark_read(user=staff, notification_id=pk)
    first = row.read_at
    assert first is not None and selectors.unread_count(staff) == 0
    assert services.notification_mark_read(user=staff, notification_id=str(pk)).read_at == first  # unchanged


def test_mark_all_read_marks_only_ones_own(alpha):
    project = make_project(alpha)
    staff, reviewer = alpha.users[Role.DEPARTMENT_STAFF], alpha.users[Role.REVIEWER]
    tell(staff, project, n=3)
    tell(reviewer, project, n=2)
    assert services.notification_mark_all_read(user=staff) == 3
    assert services.notification_mark_all_read(user=staff) == 0
    assert selectors.unread_count(staff) == 0 and selectors.unread_count(reviewer) == 2


def test_unread_first_then_newest(alpha):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    ids = tell(staff, project, n=4)  # created in order 0..3
    services.notification_mark_read(user=staff, notification_id=ids[3])  # the newest, read
    listed = [n.pk for n in selectors.notification_list(user=staff)]
    assert listed == [ids[2], ids[1], ids[0], ids[3]]
    assert [n.pk for n in selectors.notification_list(user=staff, unread_only=True)] == [
        ids[2],
        ids[1],
        ids[0],
    ]


def test_the_email_choice(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    assert selectors.email_mode_of(staff) == EmailMode.IMMEDIATE  # no choice made
    services.notification_preference_set(user=staff, email_mode="digest")
    services.notification_preference_set(user=staff, email_mode="none")
    assert NotificationPreference.objects.get(user=staff).email_mode == "none"
    for bad in ("weekly", "", None, ["digest"]):
        with pytest.raises(ValidationFailed) as refused:
            services.notification_preference_set(user=staff, email_mode=bad)
        assert "email_mode" in refused.value.extra["errors"]
