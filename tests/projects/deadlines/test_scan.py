"""The daily scan (issue 11 §2): overdue, reminders before and after, escalation; idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jurisdictions.models import Role
from jurisdictions.rules.calendar import WorkingCalendar
from projects.deadlines.models import Deadline, DeadlineReminder, DeadlineStatus, ReminderPolicy
from projects.deadlines.scan import deadline_scan, working_days_since, working_days_until
from projects.notifications.models import Notification
from tests.conftest import make_project

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)  # a Tuesday


def _deadline(tenant, due: dt.date, *, status=DeadlineStatus.OPEN, project=None, **values) -> Deadline:
    project = project or make_project(tenant)
    return Deadline.objects.create(
        project=project,
        jurisdiction=tenant.jurisdiction,
        rule_id=values.pop("rule_id", f"alpha.construction.report_{due:%m%d}"),
        kind="deadline",
        article="第三十条",
        title_zh="年度绩效报告",
        title_en="Yearly report",
        message_zh=f"应于{due}前提交年度绩效报告",
        due_date=due,
        status=status,
        responsible_role=Role.DEPARTMENT_STAFF,
        responsible_department=tenant.department,
        **values,
    )


def test_working_days_count_on_the_statutory_calendar():
    calendar = WorkingCalendar()
    ahead = working_days_until(calendar, dt.date(2026, 9, 29), 20)
    assert ahead[dt.date(2026, 9, 30)] == 1
    assert ahead[dt.date(2026, 10, 7)] == 1  # 国庆 1–7 October: no working day in between
    assert ahead[dt.date(2026, 10, 8)] == 2
    assert ahead[dt.date(2026, 10, 10)] == 4  # a Saturday worked (调休)
    behind = working_days_since(calendar, TODAY, 10)
    assert behind[dt.date(2026, 11, 23)] == 1 and behind[dt.date(2026, 11, 21)] == 2  # a Saturday


def test_reminders_before_the_due_date_go_to_the_department_once_a_day(alpha):
    in_two = _deadline(alpha, dt.date(2026, 11, 26))
    _deadline(alpha, dt.date(2026, 11, 25))  # one working day left: no reminder at 1
    today_due = _deadline(alpha, TODAY)
    first = deadline_scan(today=TODAY)
    again = deadline_scan(today=TODAY)

    reminded = set(DeadlineReminder.objects.values_list("deadline_id", "working_days"))
    assert reminded == {(in_two.pk, 2), (today_due.pk, 0)}
    assert first["reminders"] == 2 and again["reminders"] == 0
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    told = Notification.objects.filter(kind="deadline")
    assert set(told.values_list("recipient", flat=True)) == {staff.pk}
    assert told.count() == 2
    title = told.get(project=in_two.project).title
    assert "2个工作日" in title and "年度绩效报告" in title and "第三十条" in title


def test_overdue_is_marked_reminded_and_escalated_once(alpha):
    ReminderPolicy.objects.create(jurisdiction=alpha.jurisdiction, overdue_every=5, escalate_after=10)
    five = _deadline(alpha, dt.date(2026, 11, 17))  # 5 working days ago, still open
    eleven = _deadline(alpha, dt.date(2026, 11, 9), status=DeadlineStatus.OVERDUE)  # 11 working days
    result = deadline_scan(today=TODAY)
    five.refresh_from_db()
    eleven.refresh_from_db()
    assert five.status == DeadlineStatus.OVERDUE and result["overdue"] == 1
    levels = set(DeadlineReminder.objects.values_list("deadline_id", "level"))
    assert levels == {(five.pk, "overdue"), (eleven.pk, "escalation")}
    assert eleven.escalated_at is not None
    escalation = Notification.objects.filter(kind="deadline_escalation")
    assert set(escalation.values_list("recipient", flat=True)) == {
        alpha.users[Role.REVIEWER].pk,
        alpha.users[Role.JURISDICTION_ADMIN].pk,
    }
    assert deadline_scan(today=TODAY + dt.timedelta(days=1))["reminders"] == 0  # escalated once only


def test_met_waived_and_silent_deadlines_are_left_alone(alpha):
    _deadline(alpha, TODAY, status=DeadlineStatus.MET, done_on=TODAY)
    _deadline(alpha, TODAY, status=DeadlineStatus.WAIVED, rule_id="alpha.x.waived")
    _deadline(alpha, TODAY, remind=False, rule_id="alpha.x.check")
    assert deadline_scan(today=TODAY)["reminders"] == 0


def test_mail_goes_to_those_who_chose_immediate(alpha, django_capture_on_commit_callbacks):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    staff.email = "staff@example.org"
    staff.save()
    _deadline(alpha, TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        deadline_scan(today=TODAY)
    assert [m.to for m in mail.outbox] == [["staff@example.org"]], [m.subject for m in mail.outbox]
    assert "年度绩效报告" in mail.outbox[0].subject


def test_the_scan_costs_the_same_queries_for_3_and_30_deadlines(alpha, beta):
    # (notifications are inserted in batches: past some thousands of reminders a day, one more query each)
    def queries(n):
        Deadline.objects.all().delete()
        for i in range(n):
            _deadline(alpha, TODAY + dt.timedelta(days=i % 3 * 2), rule_id=f"alpha.r.{i}")
            _deadline(
                beta,
                TODAY - dt.timedelta(days=7 + i % 3 * 10),  # 5, 12 and 19 working days overdue
                status=DeadlineStatus.OVERDUE,
                rule_id=f"beta.r.{i}",
            )
        with CaptureQueriesContext(connection) as captured:
            deadline_scan(today=TODAY)
        return len(captured.captured_queries)

    queries(3)  # the calendars are read once and cached
    assert queries(3) == queries(30)


def test_escalations_come_as_one_notice_a_day_per_person(alpha):
    ReminderPolicy.objects.create(
        jurisdiction=alpha.jurisdiction, escalate_after=10, reviewer_lead=alpha.users[Role.REVIEWER]
    )
    for day in (9, 6, 5):
        _deadline(alpha, dt.date(2026, 11, day), status=DeadlineStatus.OVERDUE)
    deadline_scan(today=TODAY)
    notices = Notification.objects.filter(kind="deadline_escalation")
    assert set(notices.values_list("recipient", flat=True)) == {
        alpha.users[Role.REVIEWER].pk,
        alpha.users[Role.JURISDICTION_ADMIN].pk,
    }
    notice = notices.get(recipient=alpha.users[Role.REVIEWER])
    assert "3" in notice.title and "逾期" in notice.title
    assert notice.body.count("年度绩效报告") == 3 and notice.url == "/#overdue"
    assert DeadlineReminder.objects.filter(level="escalation").count() == 3
    deadline_scan(today=TODAY)
    assert notices.count() == 2


def test_a_project_title_is_shown_as_written(alpha):
    project = make_project(alpha, title="平台%(duty)s升级")
    _deadline(alpha, TODAY, project=project)
    deadline_scan(today=TODAY)
    assert Notification.objects.get(kind="deadline").title.startswith(
        "今日到期：平台%(duty)s升级 · 年度绩效报告"
    )
