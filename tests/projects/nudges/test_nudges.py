"""催办 (issue 11 §3): who may nudge, who is told, once per item and day, the timeline, the page, the API."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.delegation.models import Delegation
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.deadlines.sync import deadlines_sync
from projects.models import AuditEvent
from projects.notifications.models import Notification
from projects.nudges.models import Nudge
from projects.nudges.services import nudge_send
from tests.conftest import advance, client_for, make_project

pytestmark = pytest.mark.django_db
REPORT = "laizhou.construction.performance_report_due"
MESSAGE = "请于本周内报送年度绩效评价报告"


@pytest.fixture
def overdue(pack_tenant):
    """莱州: a project building since last year whose yearly performance report is overdue."""
    tenant = pack_tenant("laizhou")
    started = timezone.localdate() - dt.timedelta(days=400)
    project = advance(
        make_project(tenant, category="digital_infrastructure", facts=None), "in_construction", on=started
    )
    deadlines_sync(project.pk)
    row = Deadline.objects.get(project=project, rule_id=REPORT)
    assert row.status == DeadlineStatus.OVERDUE
    return tenant, project, row


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


# ------------------------------------------------------------------------------------------ service


def test_a_reviewer_nudges_the_department_about_an_overdue_deadline(overdue):
    tenant, project, row = overdue
    reviewer, staff = tenant.users[Role.REVIEWER], tenant.users[Role.DEPARTMENT_STAFF]
    nudge = nudge_send(actor=reviewer, project_id=project.pk, deadline_id=row.pk, message=f"  {MESSAGE} ")
    assert (nudge.message, nudge.item, nudge.deadline, nudge.day) == (
        MESSAGE,
        REPORT,
        row,
        timezone.localdate(),
    )
    assert list(nudge.recipients.all()) == [staff]  # the department's staff, not the other department's
    event = AuditEvent.objects.filter(project=project, action="nudge").get()
    assert event.comment == MESSAGE and event.actor == reviewer
    assert event.changes["title"] == "建设期内每年年底前提交绩效评价报告"
    assert event.changes["article"] == row.article
    [told] = Notification.objects.filter(kind="nudge")
    assert told.recipient == staff and told.key == f"nudge:{nudge.pk}" and told.body == MESSAGE
    assert told.url == reverse("projects:detail", args=[project.pk]) + "#deadlines"
    assert "催办" in told.title and "建设期内每年年底前提交绩效评价报告" in told.title


def test_a_second_nudge_the_same_day_is_refused_naming_the_first(overdue):
    tenant, project, row = overdue
    first = tenant.users[Role.REVIEWER]
    first.first_name, first.last_name = "王芳", ""
    first.save()
    nudge_send(actor=first, project_id=project.pk, deadline_id=row.pk, message=MESSAGE)
    with pytest.raises(InvalidTransition) as refused:  # per item: another person may not nudge it again
        nudge_send(
            actor=tenant.users[Role.JURISDICTION_ADMIN],
            project_id=project.pk,
            deadline_id=row.pk,
            message="再催",
        )
    assert "王芳" in refused.value.message and "每项每天最多催办一次" in refused.value.message
    assert refused.value.extra["nudged_by"]["id"] == first.pk
    # Another item of the same project (the project as a whole) is still free today.
    nudge_send(actor=first, project_id=project.pk, message="请尽快推进项目建设")
    assert Nudge.objects.filter(project=project).count() == 2
    assert Notification.objects.filter(kind="nudge").count() == 2


def test_the_next_day_it_may_be_nudged_again(overdue):
    tenant, project, row = overdue
    reviewer = tenant.users[Role.REVIEWER]
    earlier = nudge_send(actor=reviewer, project_id=project.pk, deadline_id=row.pk, message=MESSAGE)
    Nudge.objects.filter(pk=earlier.pk).update(day=timezone.localdate() - dt.timedelta(days=1))
    nudge_send(actor=reviewer, project_id=project.pk, deadline_id=row.pk, message=MESSAGE)
    assert Nudge.objects.filter(project=project, item=REPORT).count() == 2


@pytest.mark.parametrize(
    "role", [Role.DEPARTMENT_STAFF, Role.FINANCE_OFFICER, Role.AUDITOR, Role.SECURITY_REVIEWER]
)
def test_roles_without_the_right_are_refused(overdue, role):
    tenant, project, row = overdue
    with pytest.raises(NotPermitted):
        nudge_send(actor=tenant.users[role], project_id=project.pk, deadline_id=row.pk, message=MESSAGE)
    assert not Nudge.objects.exists() and not AuditEvent.objects.filter(action="nudge").exists()


def test_a_reviewers_delegate_nudges_for_them(overdue):
    tenant, project, row = overdue
    reviewer, delegate = tenant.users[Role.REVIEWER], tenant.users[Role.FINANCE_OFFICER]
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=tenant.jurisdiction,
        delegator=reviewer,
        delegate=delegate,
        starts_on=today,
        ends_on=today + dt.timedelta(days=3),
        reason="出差",
        created_by=reviewer,
    )
    nudge = nudge_send(actor=delegate, project_id=project.pk, deadline_id=row.pk, message=MESSAGE)
    assert nudge.on_behalf_of == reviewer
    event = AuditEvent.objects.get(project=project, action="nudge")
    assert event.changes["on_behalf_of"]["id"] == reviewer.pk


def test_another_tenant_and_foreign_deadlines_are_not_found(overdue, pack_tenant):
    tenant, project, row = overdue
    other = pack_tenant("ordos")
    with pytest.raises(NotFound):
        nudge_send(
            actor=other.users[Role.REVIEWER], project_id=project.pk, deadline_id=row.pk, message=MESSAGE
        )
    sibling = make_project(tenant, title="另一个项目", category="digital_infrastructure", facts=None)
    for bad in (999999, "abc", 2**64, "²"):
        with pytest.raises(NotFound):
            nudge_send(
                actor=tenant.users[Role.REVIEWER], project_id=project.pk, deadline_id=bad, message=MESSAGE
            )
    with pytest.raises(NotFound):  # a deadline of another project
        nudge_send(
            actor=tenant.users[Role.REVIEWER], project_id=sibling.pk, deadline_id=row.pk, message=MESSAGE
        )


@pytest.mark.parametrize("message", ["", "   ", None, "x" * 501, "a\x00b", ["请"], {"a": 1}])
def test_the_message_is_required_and_bounded(overdue, message):
    tenant, project, row = overdue
    with pytest.raises(ValidationFailed) as refused:
        nudge_send(
            actor=tenant.users[Role.REVIEWER], project_id=project.pk, deadline_id=row.pk, message=message
        )
    assert "message" in refused.value.extra["errors"]


def test_a_met_or_waived_deadline_is_not_nudged(overdue):
    tenant, project, row = overdue
    Deadline.objects.filter(pk=row.pk).update(status=DeadlineStatus.WAIVED)
    with pytest.raises(InvalidTransition):
        nudge_send(
            actor=tenant.users[Role.REVIEWER], project_id=project.pk, deadline_id=row.pk, message=MESSAGE
        )


def test_a_deadline_another_body_owes_tells_that_body(overdue):
    tenant, project, row = overdue
    Deadline.objects.filter(pk=row.pk).update(
        responsible_role=Role.FINANCE_OFFICER, responsible_department=None
    )
    nudge = nudge_send(
        actor=tenant.users[Role.REVIEWER], project_id=project.pk, deadline_id=row.pk, message=MESSAGE
    )
    assert list(nudge.recipients.all()) == [tenant.users[Role.FINANCE_OFFICER]]


def test_nobody_to_tell_is_a_conflict_not_a_silent_nudge(overdue):
    tenant, project, row = overdue
    Deadline.objects.filter(pk=row.pk).update(responsible_role=Role.EXPERT)
    tenant.users[Role.EXPERT].is_active = False
    tenant.users[Role.EXPERT].save()
    with pytest.raises(InvalidTransition):
        nudge_send(
            actor=tenant.users[Role.REVIEWER], project_id=project.pk, deadline_id=row.pk, message=MESSAGE
        )
    assert not Nudge.objects.exists()


def test_a_recomputed_deadline_keeps_the_nudge_and_its_item(overdue):
    tenant, project, row = overdue
    nudge = nudge_send(
        actor=tenant.users[Role.REVIEWER], project_id=project.pk, deadline_id=row.pk, message=MESSAGE
    )
    row.delete()  # the sync deletes a row whose rule no longer gives a date
    nudge.refresh_from_db()
    assert nudge.deadline is None and nudge.item == REPORT


# --------------------------------------------------------------------------------------------- pages


def test_the_nudge_page_sends_and_refuses_the_second_with_a_clear_message(overdue):
    tenant, project, row = overdue
    reviewer = _browser(tenant.users[Role.REVIEWER])
    url = reverse("projects:nudge", args=[project.pk])
    form = reviewer.get(url, {"deadline": row.pk})
    assert form.status_code == 200
    body = form.content.decode()
    assert "建设期内每年年底前提交绩效评价报告" in body and "已逾期" in body
    assert re.search(rf'value="{row.pk}" id="[\w]+" checked', body)  # chosen on the home page
    assert reviewer.post(url, {"item": row.pk, "message": ""}).status_code == 400
    sent = reviewer.post(url, {"item": row.pk, "message": MESSAGE})
    assert sent.status_code == 302 and sent["Location"].endswith("#nudges")
    again = reviewer.post(url, {"item": row.pk, "message": MESSAGE})
    assert again.status_code == 409
    assert "每项每天最多催办一次" in again.content.decode()
    page = reviewer.get(reverse("projects:detail", args=[project.pk])).content.decode()
    nudges = page.split('id="nudges"')[1].split("</section>")[0]
    assert MESSAGE in nudges and "建设期内每年年底前提交绩效评价报告" in nudges
    timeline = page.split('id="timeline"')[1].split("</section>")[0]
    assert "催办" in timeline and MESSAGE in timeline and "第二十四条" in timeline
    assert REPORT not in nudges and REPORT not in timeline  # no rule id for a person to read


def test_staff_see_the_nudges_but_get_no_form(overdue):
    tenant, project, row = overdue
    nudge_send(actor=tenant.users[Role.REVIEWER], project_id=project.pk, deadline_id=row.pk, message=MESSAGE)
    staff = _browser(tenant.users[Role.DEPARTMENT_STAFF])
    page = staff.get(reverse("projects:detail", args=[project.pk])).content.decode()
    nudges = page.split('id="nudges"')[1].split("</section>")[0]
    assert MESSAGE in nudges and reverse("projects:nudge", args=[project.pk]) not in nudges
    url = reverse("projects:nudge", args=[project.pk])
    assert staff.get(url).status_code == 403
    assert staff.post(url, {"item": "", "message": "我催我自己"}).status_code == 403
    assert Nudge.objects.count() == 1


def test_the_project_page_costs_the_same_for_few_and_many_nudges(overdue, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tenant, project, _row = overdue
    reviewer = tenant.users[Role.REVIEWER]
    browser = _browser(reviewer)
    url = reverse("projects:detail", args=[project.pk])
    nudge_send(actor=reviewer, project_id=project.pk, message="第一次")
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    for days in range(1, 30):
        nudge = Nudge.objects.create(
            project=project,
            jurisdiction=project.jurisdiction,
            item="",
            sender=reviewer,
            message=f"第{days}次",
            day=timezone.localdate() - dt.timedelta(days=days),
        )
        nudge.recipients.set([tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.JURISDICTION_ADMIN]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        browser.get(url)


# ----------------------------------------------------------------------------------------------- API


def test_the_api_sends_lists_and_refuses(overdue, pack_tenant):
    tenant, project, row = overdue
    api = client_for(tenant.users[Role.REVIEWER])
    url = f"/api/v1/projects/{project.pk}/nudges/"
    assert api.post(url, {"deadline": row.pk}, format="json").status_code == 400
    assert api.post(url, {"deadline": row.pk, "message": "x" * 501}, format="json").status_code == 400
    assert api.post(url, {"deadline": "abc", "message": MESSAGE}, format="json").status_code == 400
    assert api.post(url, [MESSAGE], format="json").status_code == 400
    assert api.post(url, {"deadline": 999999, "message": MESSAGE}, format="json").status_code == 404
    staff = client_for(tenant.users[Role.DEPARTMENT_STAFF])
    assert staff.post(url, {"message": MESSAGE}, format="json").status_code == 403
    other = pack_tenant("ordos")
    assert (
        client_for(other.users[Role.REVIEWER]).post(url, {"message": MESSAGE}, format="json").status_code
        == 404
    )
    sent = api.post(url, {"deadline": row.pk, "message": MESSAGE}, format="json")
    assert sent.status_code == 201, sent.content
    data = sent.json()
    assert data["deadline"] == row.pk and data["item"] == REPORT and data["message"] == MESSAGE
    assert [p["id"] for p in data["recipients"]] == [tenant.users[Role.DEPARTMENT_STAFF].pk]
    again = api.post(url, {"deadline": row.pk, "message": MESSAGE}, format="json")
    assert again.status_code == 409 and again.json()["nudged_by"]["id"] == tenant.users[Role.REVIEWER].pk
    listed = staff.get(url)
    assert listed.status_code == 200 and [n["id"] for n in listed.json()] == [data["id"]]


def test_the_database_keeps_one_nudge_per_item_and_day(overdue):
    """Behind the service's lock, the unique constraint: never two nudges of one item on one day."""
    from django.db import IntegrityError, transaction

    tenant, project, _row = overdue
    values = {
        "project": project,
        "jurisdiction": project.jurisdiction,
        "item": REPORT,
        "sender": tenant.users[Role.REVIEWER],
        "message": MESSAGE,
        "day": timezone.localdate(),
    }
    Nudge.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nudge.objects.create(**{**values, "sender": tenant.users[Role.JURISDICTION_ADMIN]})
    Nudge.objects.create(**{**values, "item": ""})  # the project as a whole is another item


def test_a_delegate_gets_the_form_and_the_home_button(overdue):
    tenant, project, row = overdue
    reviewer, delegate = tenant.users[Role.REVIEWER], tenant.users[Role.AUDITOR]
    browser = _browser(delegate)
    assert browser.get(reverse("projects:nudge", args=[project.pk])).status_code == 403
    today = timezone.localdate()
    Delegation.objects.create(
        jurisdiction=tenant.jurisdiction,
        delegator=reviewer,
        delegate=delegate,
        starts_on=today,
        ends_on=today,
        reason="休假",
        created_by=reviewer,
    )
    assert browser.get(reverse("projects:nudge", args=[project.pk])).status_code == 200
    home = browser.get("/").content.decode()
    assert f"{reverse('projects:nudge', args=[project.pk])}?deadline={row.pk}" in home
