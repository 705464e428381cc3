"""Audit events tell the people who must act or who care, after commit, once, never the actor and never
another tenant's people."""

from __future__ import annotations

import pytest
from django.db import transaction

from jurisdictions.models import Role
from projects.models import EVENT_LABELS, AuditEvent
from projects.notifications import sources
from projects.notifications.models import Notification
from tests.conftest import make_project
from tests.factories import MembershipFactory, UserFactory
from tests.projects.notifications.helpers import REASON, declared, returned

pytestmark = pytest.mark.django_db


def recipients(project, action) -> set:
    return set(
        Notification.objects.filter(project=project, kind=action).values_list(
            "recipient__username", flat=True
        )
    )


def test_every_source_is_an_audit_action_with_a_title_and_a_section():
    assert set(sources.SOURCES) <= set(EVENT_LABELS)
    for action, source in sources.SOURCES.items():
        assert "%(project)s" in str(source.title), action
        assert source.anchor.startswith("#"), action


def test_a_return_tells_the_department_that_filed_it(alpha, beta, django_capture_on_commit_callbacks):
    colleague = UserFactory(username="alpha_colleague")
    MembershipFactory(
        user=colleague,
        jurisdiction=alpha.jurisdiction,
        role=Role.DEPARTMENT_STAFF,
        department=alpha.department,
    )
    with django_capture_on_commit_callbacks(execute=True):
        project = returned(alpha, title="甲市养老服务平台")
    # The department's staff (the filer among them), not another department's, not the reviewer who acted.
    assert recipients(project, "return_for_revision") == {"alpha_department_staff", "alpha_colleague"}
    row = Notification.objects.get(project=project, kind="return_for_revision", recipient=colleague)
    assert row.title == "项目「甲市养老服务平台」已被退回修改"
    assert REASON in row.body and "办理人" in row.body
    assert row.url == f"/projects/{project.pk}/#intake"
    assert not Notification.objects.filter(recipient__in=beta.users.values()).exists()


def test_a_declaration_tells_the_reviewers_not_the_declarer(alpha, django_capture_on_commit_callbacks):
    second = UserFactory(username="alpha_reviewer2")
    MembershipFactory(user=second, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER)
    with django_capture_on_commit_callbacks(execute=True):
        project = declared(alpha, title="甲市数据共享平台")
    assert recipients(project, "declare") == {"alpha_reviewer", "alpha_reviewer2"}
    assert Notification.objects.get(recipient=second).title == "项目「甲市数据共享平台」已申报，待审核"


def test_the_actor_is_not_told_of_their_own_act(alpha, django_capture_on_commit_callbacks):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    MembershipFactory(user=staff, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER)  # also a reviewer
    with django_capture_on_commit_callbacks(execute=True):
        project = declared(alpha)
    assert recipients(project, "declare") == {"alpha_reviewer"}


@pytest.mark.parametrize(
    ("action", "told"),
    [
        ("incident_rectify", {"alpha_department_staff"}),
        ("om_refuse", {"alpha_department_staff"}),
        ("change_reject", {"alpha_department_staff"}),
        ("incident_report", {"alpha_reviewer"}),
        ("acceptance_apply", {"alpha_reviewer"}),
        ("om_submit", {"alpha_finance_officer"}),
    ],
)
def test_recipients_per_source(alpha, beta, action, told):
    project = make_project(alpha)
    actor = alpha.users[Role.JURISDICTION_ADMIN]
    event = AuditEvent.objects.record(project, actor, action, comment="请于30日内整改")
    ids = sources.notify_event(event.pk)
    assert set(Notification.objects.filter(pk__in=ids).values_list("recipient__username", flat=True)) == told
    assert all(n.url.startswith(f"/projects/{project.pk}/#") for n in Notification.objects.filter(pk__in=ids))


def test_an_event_tells_nobody_twice(alpha):
    project = make_project(alpha)
    event = AuditEvent.objects.record(project, alpha.users[Role.REVIEWER], "incident_rectify", comment="整改")
    assert len(sources.notify_event(event.pk)) == 1
    assert sources.notify_event(event.pk) == []
    assert Notification.objects.filter(project=project).count() == 1


def test_other_actions_tell_nobody(alpha, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        project = make_project(alpha)  # "create"
        AuditEvent.objects.record(project, alpha.users[Role.DEPARTMENT_STAFF], "update")
        AuditEvent.objects.record(project, alpha.users[Role.REVIEWER], "screening_review")
    assert not Notification.objects.exists()


def test_a_rolled_back_event_tells_nobody(alpha, django_capture_on_commit_callbacks):
    project = make_project(alpha)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            AuditEvent.objects.record(project, alpha.users[Role.REVIEWER], "incident_rectify", comment="整改")
            raise RuntimeError("rolled back")
    assert not Notification.objects.exists()


def test_nothing_is_told_before_commit(alpha, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        project = declared(alpha)
        assert not Notification.objects.filter(project=project).exists()
    assert callbacks  # waiting for the commit
    for callback in callbacks:
        callback()
    assert recipients(project, "declare") == {"alpha_reviewer"}
