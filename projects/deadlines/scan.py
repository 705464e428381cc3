"""The daily deadline scan (issue 11 §2), run by Celery beat (django-celery-beat's schedule).

1. Open deadlines whose due date has passed become overdue (one UPDATE).
2. Per jurisdiction, on its working-day calendar and its `ReminderPolicy`: reminders N working days
   before the due date (e.g. 5, 2 and 0), then every N working days overdue, and one escalation once
   a deadline is overdue for a set number of working days.
3. Each reminder is a `DeadlineReminder` row inserted with ON CONFLICT DO NOTHING against its unique
   (deadline, level, day): when two workers scan at once, each row is inserted once, and each worker
   notifies only the rows its own scan inserted. Notifications go to the people responsible
   (escalations: the reviewer lead, or every reviewer, and the administrators).

The queries are set-based: their number grows with the jurisdictions and the lead times, not with
the projects or deadlines (tests/projects/deadlines/test_scan.py; bench/deadline_scan.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import CharField, Count, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jurisdictions.models import Jurisdiction, Membership, Role
from jurisdictions.rules.calendar import WorkingCalendar
from jurisdictions.selectors import working_calendar
from projects.deadlines.models import (
    Deadline,
    DeadlineReminder,
    DeadlineStatus,
    ReminderLevel,
    ReminderPolicy,
)
from projects.models import Project
from projects.notifications.models import Notification

LOOK_AHEAD_DAYS = 120  # far enough for any lead time a policy may set (at most 60 working days)
LOOK_BACK_DAYS = 400  # overdue reminders repeat for a year or so; escalation looks further
STAFF = Role.DEPARTMENT_STAFF
KIND = "deadline"
REMINDER_KEY = "deadline-reminder:"
ESCALATION_SHOWN = 10  # the deadlines an escalation notice names; it counts them all
SCAN_LOCK = 0x6776_646C  # "gvdl": the advisory lock of the daily scan


def _scan_value(scan: uuid.UUID):
    return scan.hex if connection.vendor == "sqlite" else scan  # SQLite keeps a UUIDField as 32 hex digits


def working_days_until(calendar: WorkingCalendar, today: dt.date, horizon: int) -> dict[dt.date, int]:
    """{day: working days after today up to and including day} for the days from today on."""
    counts, count = {}, 0
    for offset in range(horizon + 1):
        day = today + dt.timedelta(days=offset)
        if offset and calendar.is_working_day(day):
            count += 1
        counts[day] = count
    return counts


def working_days_since(calendar: WorkingCalendar, today: dt.date, horizon: int) -> dict[dt.date, int]:
    """{day: working days after day up to and including today} for the days before today."""
    counts, count = {}, 0
    for offset in range(horizon + 1):
        day = today - dt.timedelta(days=offset)
        if offset:
            counts[day] = count
        if calendar.is_working_day(day):
            count += 1
    return counts


def _policy(jurisdiction_id: int, policies: dict[int, ReminderPolicy]) -> ReminderPolicy:
    return policies.get(jurisdiction_id) or ReminderPolicy(jurisdiction_id=jurisdiction_id)


def _insert(
    scan: uuid.UUID,
    today: dt.date,
    level: str,
    jurisdiction_id: int,
    status: str,
    *,
    by_date: dict[dt.date, int] | None = None,
    due_by: tuple[dt.date, int] | None = None,
) -> None:
    """INSERT the level's reminders of the jurisdiction's deadlines in `status` (one query): those due
    on `by_date`'s days ({day: working days to the due date}), or due on or before `due_by`'s day."""
    if not by_date and not due_by:
        return
    reminders, deadlines = DeadlineReminder._meta.db_table, Deadline._meta.db_table
    params: list = [level]
    if by_date:
        working_days = "CASE " + " ".join("WHEN d.due_date = %s THEN %s" for _day in by_date) + " END"
        for day, count in by_date.items():
            params += [day, count]
        which = "d.due_date IN (" + ", ".join("%s" for _day in by_date) + ")"
    else:
        working_days = "%s"
        params.append(due_by[1])
        which = "d.due_date <= %s AND d.escalated_at IS NULL"
    params += [today, _scan_value(scan), timezone.now(), jurisdiction_id, status, True]
    params += list(by_date) if by_date else [due_by[0]]
    sql = (
        f"INSERT INTO {reminders} (deadline_id, level, working_days, day, scan, created_at) "
        f"SELECT d.id, %s, {working_days}, %s, %s, %s FROM {deadlines} d "
        f"WHERE d.jurisdiction_id = %s AND d.status = %s AND d.remind = %s AND {which} "
        "ORDER BY d.id ON CONFLICT (deadline_id, level, day) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _templates() -> dict[str, str]:
    """The notices' titles in the site's language (Chinese), whoever's request runs the scan."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "due_today": _("Due today: %(project)s · %(duty)s (%(article)s)"),
            "before": _("%(days)s working days left: %(project)s · %(duty)s (%(article)s), due %(due)s"),
            "overdue": _(
                "Overdue %(days)s working days: %(project)s · %(duty)s (%(article)s), was due %(due)s"
            ),
            "escalation": _("Escalated: %(count)s deadlines overdue %(days)s working days or more"),
            "escalation_line": _("%(project)s · %(duty)s (%(article)s), was due %(due)s"),
        }


def _filled(template_sql: str) -> tuple[str, list[str]]:
    """SQL filling a title template with the reminder's values, and the placeholders as its parameters.

    The project's title (a person's words) goes in last, so a title that happens to contain a
    placeholder is left as written.
    """
    sql, params = template_sql, []
    for name, value in (
        ("duty", "x.title_zh"),
        ("article", "x.article"),
        ("due", "CAST(x.due_date AS TEXT)"),
        ("days", "CAST(ABS(x.working_days) AS TEXT)"),
        ("project", "x.project_title"),
    ):
        sql = f"REPLACE({sql}, %s, {value})"
        params.append(f"%({name})s")
    return sql, params


def _notify_reminders(scan: uuid.UUID, now: dt.datetime, texts: dict[str, str]) -> int:
    """One notification per reminder and person responsible (one INSERT … SELECT, whatever their number)."""
    reminders, deadlines = DeadlineReminder._meta.db_table, Deadline._meta.db_table
    projects, memberships = Project._meta.db_table, Membership._meta.db_table
    users, notifications = get_user_model()._meta.db_table, Notification._meta.db_table
    title, title_params = _filled(
        "CASE WHEN x.working_days = 0 THEN %s WHEN x.level = %s THEN %s ELSE %s END"
    )
    prefix, suffix = reverse("projects:detail", args=[0]).split("0")
    sql = (
        f"WITH x AS (SELECT r.id AS reminder_id, r.level, r.working_days, d.jurisdiction_id, d.project_id, "
        f"d.responsible_role, d.responsible_department_id, d.title_zh, d.article, d.due_date, d.message_zh, "
        f"p.title AS project_title FROM {reminders} r JOIN {deadlines} d ON d.id = r.deadline_id "
        f"JOIN {projects} p ON p.id = d.project_id WHERE r.scan = %s AND r.level <> %s) "
        f"INSERT INTO {notifications} "
        f"(recipient_id, jurisdiction_id, project_id, kind, title, body, url, key, created_at) "
        f"SELECT m.user_id, x.jurisdiction_id, x.project_id, %s, SUBSTR({title}, 1, 300), x.message_zh, "
        f"%s || CAST(x.project_id AS TEXT) || %s, %s || CAST(x.reminder_id AS TEXT), %s "
        f"FROM x JOIN {memberships} m ON m.jurisdiction_id = x.jurisdiction_id "
        f"JOIN {users} u ON u.id = m.user_id AND u.is_active = %s "
        f"WHERE ((x.responsible_role = %s AND m.role = %s AND m.department_id = x.responsible_department_id) "
        f"OR (x.responsible_role <> %s AND m.role = x.responsible_role "
        f"AND (x.responsible_department_id IS NULL OR m.department_id = x.responsible_department_id))) "
        f"ON CONFLICT DO NOTHING"
    )
    params = [
        _scan_value(scan),
        ReminderLevel.ESCALATION,
        KIND,
        texts["due_today"],  # the CASE inside the REPLACEs comes first in the text
        ReminderLevel.BEFORE,
        texts["before"],
        texts["overdue"],
        *title_params,
        prefix,
        suffix + "#deadlines",
        REMINDER_KEY,
        now,
        True,
        STAFF,
        STAFF,
        STAFF,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def _escalate(
    scan: uuid.UUID, today: dt.date, policies: dict[int, ReminderPolicy], texts: dict[str, str]
) -> int:
    """One notice a day per person told of escalations in a jurisdiction (the reviewer lead, else every
    reviewer, and the administrators), counting the deadlines escalated and naming the first few."""
    escalated = DeadlineReminder.objects.filter(scan=scan, level=ReminderLevel.ESCALATION)
    counts = dict(
        escalated.values("deadline__jurisdiction_id")
        .annotate(n=Count("pk"))
        .values_list("deadline__jurisdiction_id", "n")
    )
    if not counts:
        return 0
    deadlines, reminders = Deadline._meta.db_table, DeadlineReminder._meta.db_table
    with connection.cursor() as cursor:  # a join, not an IN (subquery): 48,000 rows a catch-up morning
        cursor.execute(
            f"UPDATE {deadlines} SET escalated_at = %s FROM {reminders} r "
            f"WHERE r.scan = %s AND r.level = %s AND {deadlines}.id = r.deadline_id "
            f"AND {deadlines}.escalated_at IS NULL",
            [timezone.now(), _scan_value(scan), ReminderLevel.ESCALATION],
        )
    shown: dict[int, list] = defaultdict(list)
    for jurisdiction_id in counts:
        shown[jurisdiction_id] = list(
            escalated.filter(deadline__jurisdiction_id=jurisdiction_id)
            .select_related("deadline__project")
            .order_by("deadline__due_date", "pk")[:ESCALATION_SHOWN]
        )
    told: dict[int, set[int]] = defaultdict(set)
    members = Membership.objects.filter(
        jurisdiction_id__in=counts, role__in=[Role.REVIEWER, Role.JURISDICTION_ADMIN], user__is_active=True
    ).values_list("jurisdiction_id", "role", "user_id")
    for jurisdiction_id, role, user_id in members:
        lead = _policy(jurisdiction_id, policies).reviewer_lead_id
        if role == Role.JURISDICTION_ADMIN or lead is None:
            told[jurisdiction_id].add(user_id)
    for jurisdiction_id in counts:
        lead = _policy(jurisdiction_id, policies).reviewer_lead_id
        if lead is not None:
            told[jurisdiction_id].add(lead)
    notices = []
    for jurisdiction_id, count in counts.items():
        rows = shown[jurisdiction_id]
        lines = [
            texts["escalation_line"]
            % {
                "project": r.deadline.project.title,
                "duty": r.deadline.title_zh,
                "article": r.deadline.article,
                "due": r.deadline.due_date.isoformat(),
            }
            for r in rows
        ]
        if count > len(rows):
            lines.append("……")
        title = texts["escalation"] % {"count": count, "days": -rows[0].working_days}
        notices += [
            Notification(
                recipient_id=user_id,
                jurisdiction_id=jurisdiction_id,
                project_id=rows[0].deadline.project_id if count == 1 else None,
                kind="deadline_escalation",
                title=title[:300],
                body="\n".join(lines),
                url=reverse("home") + "#overdue",
                key=f"deadline-escalation:{jurisdiction_id}:{today.isoformat()}",
            )
            for user_id in sorted(told[jurisdiction_id])
        ]
    Notification.objects.bulk_create(notices, ignore_conflicts=True)
    return len(notices)


def _queue_mail(scan: uuid.UUID, today: dt.date) -> None:
    """The new notices go to the e-mail task after commit (sent to those who chose immediate e-mail)."""
    reminder_keys = Concat(
        Value(REMINDER_KEY), Cast("pk", output_field=CharField()), output_field=CharField()
    )
    keys = DeadlineReminder.objects.filter(scan=scan).annotate(key=reminder_keys).values("key")
    ids = list(
        Notification.objects.filter(emailed_at__isnull=True)
        .filter(
            Q(key__in=keys) | Q(key__startswith="deadline-escalation:", key__endswith=f":{today.isoformat()}")
        )
        .values_list("pk", flat=True)
    )
    if ids:
        from projects.notifications.services import queue_emails

        transaction.on_commit(partial(queue_emails, ids), robust=True)


@transaction.atomic
def deadline_scan(*, today: dt.date | None = None) -> dict[str, int]:
    """Mark overdue, remind, escalate: idempotent for a day, even run by two workers at once."""
    today = today or timezone.localdate()
    scan = uuid.uuid4()
    if connection.vendor == "postgresql":
        # Two workers scanning at once take turns; the reminders' unique constraint would keep one
        # row each anyway, but turns spare the second worker the waits and any deadlock between them.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SCAN_LOCK])
    overdue = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_date__lt=today).update(
        status=DeadlineStatus.OVERDUE, updated_at=timezone.now()
    )
    policies = {p.jurisdiction_id: p for p in ReminderPolicy.objects.all()}
    for jurisdiction in Jurisdiction.objects.all():
        policy = _policy(jurisdiction.pk, policies)
        calendar = working_calendar(jurisdiction)
        ahead = working_days_until(calendar, today, LOOK_AHEAD_DAYS)
        for lead in sorted(set(policy.lead_days or [])):
            if isinstance(lead, int) and 0 <= lead <= 60:
                due = {day: lead for day, count in ahead.items() if count == lead}
                _insert(scan, today, ReminderLevel.BEFORE, jurisdiction.pk, DeadlineStatus.OPEN, by_date=due)
        behind = working_days_since(calendar, today, LOOK_BACK_DAYS)
        every = max(1, policy.overdue_every)
        repeat = {day: -count for day, count in behind.items() if count and count % every == 0}
        _insert(scan, today, ReminderLevel.OVERDUE, jurisdiction.pk, DeadlineStatus.OVERDUE, by_date=repeat)
        escalate = [day for day, count in behind.items() if count >= policy.escalate_after]
        if escalate:
            due_by = (max(escalate), -policy.escalate_after)
            _insert(
                scan, today, ReminderLevel.ESCALATION, jurisdiction.pk, DeadlineStatus.OVERDUE, due_by=due_by
            )
    texts = _templates()
    told = _notify_reminders(scan, timezone.now(), texts) + _escalate(scan, today, policies, texts)
    _queue_mail(scan, today)
    reminders = DeadlineReminder.objects.filter(scan=scan).count()
    return {"overdue": overdue, "reminders": reminders, "notifications": told}
