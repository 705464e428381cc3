"""Notifications for tests: a declared project returned by the reviewer, a notification to walk."""

from __future__ import annotations

from django.urls import reverse

from jurisdictions.models import Role
from projects import services
from projects.notifications.models import Notification
from projects.notifications.services import notify
from tests.conftest import make_project

REASON = "可行性研究报告缺少投资估算明细"


def declared(tenant, **overrides):
    project = make_project(tenant, **overrides)
    services.transition_project(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    return project


def returned(tenant, **overrides):
    project = declared(tenant, **overrides)
    services.transition_project(
        actor=tenant.users[Role.REVIEWER], project_id=project.pk, name="return_for_revision", comment=REASON
    )
    return project


def tell(user, project, *, n: int = 1, key: str = "", title: str = "请补充材料") -> list[int]:
    """`n` notifications to `user` about `project` (each its own key when `key` is given)."""
    ids = []
    for i in range(n):
        ids += notify(
            [user],
            kind="test",
            title=f"{title}{i}",
            body="",
            url=reverse("projects:detail", args=[project.pk]),
            project=project,
            key=f"{key}{i}" if key else "",
        )
    return ids


def notification_for_walk(tenant) -> Notification:
    """A notification of the tenant's department staff (the API walker marks it read)."""
    project = make_project(tenant)
    [pk] = tell(tenant.users[Role.DEPARTMENT_STAFF], project)
    return Notification.objects.get(pk=pk)
