"""E-mail: immediately (once, in Chinese, linking to the thing to do), in a daily digest, or not at all."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from jurisdictions.models import Role
from projects.notifications import services, tasks
from projects.notifications.models import Notification
from tests.conftest import make_project, make_tenant
from tests.projects.notifications.helpers import REASON, returned, tell

pytestmark = pytest.mark.django_db
SITE = "https://govproj.example.gov.cn"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def _with_email(user, mode=None):
    user.email = f"{user.username}@example.gov.cn"
    user.save()
    if mode:
        services.notification_preference_set(user=user, email_mode=mode)
    return user


def test_a_return_is_mailed_at_once_in_chinese(alpha, django_capture_on_commit_callbacks):
    staff = _with_email(alpha.users[Role.DEPARTMENT_STAFF])
    with django_capture_on_commit_callbacks(execute=True):
        project = returned(alpha, title="甲市养老服务平台")
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "【政务信息化项目】项目「甲市养老服务平台」已被退回修改"
    row = Notification.objects.get(recipient=staff, project=project)
    assert f"{SITE}/notifications/{row.pk}/open/" in message.body
    assert REASON in message.body and project.code in message.body
    assert "您好" in message.body and "Dear" not in message.body
    assert row.emailed_at is not None


def test_the_task_sends_each_notification_once(alpha):
    staff = _with_email(alpha.users[Role.DEPARTMENT_STAFF])
    ids = tell(staff, make_project(alpha), n=2)  # not committed: the task has not run
    assert mail.outbox == []
    assert tasks.send_notification_emails(ids) == 2
    assert tasks.send_notification_emails(ids) == 0  # run again (a retry, a duplicate delivery)
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).count() == 0


@pytest.mark.parametrize("mode", ["digest", "none"])
def test_no_immediate_mail_for_digest_or_none(alpha, mode, django_capture_on_commit_callbacks):
    staff = _with_email(alpha.users[Role.DEPARTMENT_STAFF], mode)
    with django_capture_on_commit_callbacks(execute=True):
        returned(alpha)
    assert mail.outbox == []
    assert Notification.objects.get(recipient=staff).emailed_at is None


def test_no_mail_without_an_address(alpha, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        returned(alpha)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=alpha.users[Role.DEPARTMENT_STAFF]).count() == 1


def test_the_digest_groups_the_days_notifications_in_one_mail(alpha):
    staff = _with_email(alpha.users[Role.DEPARTMENT_STAFF], "digest")
    reviewer = _with_email(alpha.users[Role.REVIEWER], "digest")
    admin = _with_email(alpha.users[Role.JURISDICTION_ADMIN], "none")
    project = make_project(alpha, title="甲市数据共享平台")
    ids = tell(staff, project, n=3, title="请补充材料")
    tell(reviewer, project, n=1, title="待审核")
    tell(admin, project, n=2)
    old = tell(staff, project, n=1, title="昨天以前")
    Notification.objects.filter(pk__in=old).update(created_at=timezone.now() - dt.timedelta(days=2))
    read = tell(staff, project, n=1, title="已读过")
    services.notification_mark_read(user=staff, notification_id=read[0])

    assert tasks.send_daily_digest() == 2
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {staff.email, reviewer.email}
    digest = by_person[staff.email]
    assert digest.subject.startswith("【政务信息化项目】每日通知汇总") and digest.subject.endswith("3 条")
    for i, pk in enumerate(ids):
        assert f"请补充材料{i}" in digest.body and f"{SITE}/notifications/{pk}/open/" in digest.body
    assert "甲市数据共享平台" in digest.body
    assert "昨天以前" not in digest.body and "已读过" not in digest.body
    assert f"{SITE}/notifications/settings/" in digest.body

    assert tasks.send_daily_digest() == 0  # the same day again: nothing twice
    assert len(mail.outbox) == 2


def test_digest_readers_still_get_nothing_at_once_and_immediate_ones_no_digest(alpha):
    staff = _with_email(alpha.users[Role.DEPARTMENT_STAFF])  # immediate
    ids = tell(staff, make_project(alpha), n=2)
    assert services.notification_digest_send() == 0
    assert services.notification_emails_send(notification_ids=ids) == 2


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_mail_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SQLite runs one writer at a time)")
    tenant = make_tenant("alpha")
    staff = _with_email(tenant.users[Role.DEPARTMENT_STAFF])
    reviewer = _with_email(tenant.users[Role.REVIEWER], "digest")
    project = make_project(tenant)
    ids = tell(staff, project, n=5)  # committed: each queued its own task already (eager)
    assert len(mail.outbox) == 5
    Notification.objects.update(emailed_at=None)
    mail.outbox.clear()
    tell(reviewer, project, n=3)
    results = _race(
        [
            lambda: services.notification_emails_send(notification_ids=ids),
            lambda: services.notification_emails_send(notification_ids=ids),
            services.notification_digest_send,
            services.notification_digest_send,
        ]
    )
    assert sum(results[:2]) == 5 and sum(results[2:]) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reviewer.email] + [staff.email] * 5)
