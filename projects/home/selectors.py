"""What the home page shows each person (issue 11 §5), each part only where their roles make it theirs.

- 待办: what waits on them (the inbox's sources, soonest clock first), for the roles that decide;
- the O&M funding queue, for finance officers (it was their home before);
- deadlines due within 30 days and overdue deadlines of the projects they see (department staff:
  their department's; reviewers, admins, finance officers, auditors: their jurisdiction's), read from
  the stored deadlines, never by evaluating projects;
- the latest events on the projects they see, people by name.

Each part costs a fixed number of queries whatever the number of deadlines, items or events
(tests/projects/home/test_home.py asserts it for 5 and 50).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from approvals.inbox.registry import SOURCES
from approvals.inbox.services import has_inbox, pending_items, remember_pending_count
from govproj.caching import per_request
from jurisdictions.models import Role, memberships_of
from jurisdictions.selectors import working_calendar
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.models import AuditEvent, Project
from projects.nudges.selectors import sent_today
from projects.nudges.services import acting_nudger_in
from security.selectors import person_name

DUE_WITHIN_DAYS = 30
INBOX_SHOWN = 10
DEADLINES_SHOWN = 20
EVENTS_SHOWN = 10
# Whose home shows deadlines: everyone who sees projects by role (an expert sees only assigned ones).
DEADLINE_ROLES = frozenset(
    {
        Role.DEPARTMENT_STAFF,
        Role.REVIEWER,
        Role.JURISDICTION_ADMIN,
        Role.FINANCE_OFFICER,
        Role.AUDITOR,
        Role.SECURITY_REVIEWER,
    }
)


def _roles(user) -> frozenset[str]:
    return frozenset(m.role for m in memberships_of(user))


def sees_deadlines(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(_roles(user) & DEADLINE_ROLES))


def visible_deadlines(user) -> QuerySet[Deadline]:
    """Stored deadlines of the projects the user may see (the same tenancy as the project list)."""
    return Deadline.objects.filter(project_id__in=Project.objects.for_user(user).values("pk"))


def overdue_condition(today: dt.date) -> Q:
    """Overdue: marked so by the daily scan, or open and past its due date before today's scan ran."""
    return Q(status=DeadlineStatus.OVERDUE) | Q(status=DeadlineStatus.OPEN, due_date__lt=today)


def overdue_count(user) -> int:
    """The header's number of overdue deadlines (one count, once per request; 0 for an expert)."""
    if not sees_deadlines(user):
        return 0
    today = timezone.localdate()
    return per_request(
        ("home-overdue", user.pk, today),
        lambda: visible_deadlines(user).filter(overdue_condition(today)).count(),
    )


@dataclass
class DeadlineRow:
    deadline: Deadline
    responsible: str
    days: int  # calendar days left (due soon) or overdue (overdue)
    working_days: int | None = None  # working days left, on the jurisdiction's calendar
    may_nudge: bool = False
    nudged_by: str = ""
    nudged_at: dt.datetime | None = None


@dataclass
class Part:
    rows: list = field(default_factory=list)
    count: int = 0


def _responsible(row: Deadline) -> str:
    if row.responsible_name:
        return row.responsible_name
    department = row.responsible_department or row.project.department
    return department.name if department else ""


def _listed(rows: QuerySet[Deadline]) -> tuple[list[Deadline], int]:
    shown = list(
        rows.select_related("project", "project__department", "responsible_department").order_by(
            "due_date", "pk"
        )[:DEADLINES_SHOWN]
    )
    return shown, rows.count()  # always counted: the page's queries do not depend on how many there are


def _nudgers(user, jurisdiction_ids) -> dict[int, bool]:
    """For each jurisdiction: whether the user may nudge there (from the request's memberships)."""
    return {jid: acting_nudger_in(user, jid) is not None for jid in sorted(set(jurisdiction_ids))}


def due_soon(user, today: dt.date) -> Part:
    """Open deadlines due from today to 30 days on, the soonest first, with working days left."""
    rows, count = _listed(
        visible_deadlines(user).filter(
            status=DeadlineStatus.OPEN,
            due_date__gte=today,
            due_date__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS),
        )
    )
    shown = []
    for row in rows:
        calendar = working_calendar(row.jurisdiction_id)  # read once per process and jurisdiction
        shown.append(
            DeadlineRow(
                row,
                _responsible(row),
                (row.due_date - today).days,
                calendar.working_days_between(today, row.due_date).days,
            )
        )
    return Part(shown, count)


def overdue(user, today: dt.date) -> Part:
    """Overdue deadlines, the most overdue first, with today's nudge (if any) and who may nudge."""
    rows, count = _listed(visible_deadlines(user).filter(overdue_condition(today)))
    nudges = sent_today([row.pk for row in rows], today)
    nudgers = _nudgers(user, [row.jurisdiction_id for row in rows])
    shown = []
    for row in rows:
        nudge = nudges.get(row.pk)
        shown.append(
            DeadlineRow(
                row,
                _responsible(row),
                (today - row.due_date).days,
                may_nudge=nudgers[row.jurisdiction_id],
                nudged_by=person_name(nudge.sender) if nudge else "",
                nudged_at=nudge.created_at if nudge else None,
            )
        )
    return Part(shown, count)


def inbox(user) -> Part:
    """The first items waiting on the user (the inbox's order) and how many there are."""
    items = pending_items(user)
    remember_pending_count(user, len(items))  # the header's number, just counted
    rows = []
    for item in items[:INBOX_SHOWN]:
        source = SOURCES.get(item.kind)
        rows.append({"item": item, "kind_label": source.label if source else item.kind})
    return Part(rows, len(items))


def _who(event: AuditEvent) -> str:
    behalf = (event.changes or {}).get("on_behalf_of") if isinstance(event.changes, dict) else None
    if isinstance(behalf, dict) and behalf.get("name"):
        return f"{person_name(event.actor)}（代{behalf['name']}）"
    return person_name(event.actor)


def recent_activity(user) -> list[dict[str, Any]]:
    """The latest events on the projects the user sees, newest first, people by name (one query)."""
    events = (
        AuditEvent.objects.filter(project_id__in=Project.objects.for_user(user).values("pk"))
        .select_related("actor", "project")
        .defer("verdicts", "project__facts", "project__description")
        .order_by("-at", "-pk")[:EVENTS_SHOWN]
    )
    return [{"event": e, "who": _who(e), "what": e.action_label} for e in events]


def finance_home(user, page_number) -> dict[str, Any] | None:
    """The O&M funding queue and recent decisions, for a finance officer (or one's delegate)."""
    from budgets.om.selectors import finance_jurisdictions, finance_queue, recent_decisions, shown_decisions

    if user.is_superuser or not finance_jurisdictions(user):
        return None
    page = finance_queue(user, page_number)
    return {"page": page, "rows": page.object_list, "decisions": shown_decisions(recent_decisions(user))}


def succession_warnings(user, today: dt.date) -> list:
    """Measures of the jurisdictions the user administers that have lapsed or lapse soon (issue 13 §5).

    No query for anyone who administers nothing; three (jurisdictions, versions, open drafts) otherwise.
    """
    from jurisdictions.editor.succession import successions
    from jurisdictions.models import Jurisdiction

    if user.is_superuser:
        administered = Jurisdiction.objects.order_by("code")
    else:
        ids = {m.jurisdiction_id for m in memberships_of(user) if m.role == Role.JURISDICTION_ADMIN}
        if not ids:
            return []
        administered = Jurisdiction.objects.filter(pk__in=ids).order_by("code")
    return successions(administered, today)


def home_for(user, *, page_number=None, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the person's home page shows (a part is None where their roles make it not theirs)."""
    today = today or timezone.localdate()
    deadlines = sees_deadlines(user)
    return {
        "today": today,
        "inbox": inbox(user) if has_inbox(user) else None,
        "finance": finance_home(user, page_number),
        "due_soon": due_soon(user, today) if deadlines else None,
        "overdue": overdue(user, today) if deadlines else None,
        "activity": recent_activity(user),
        "succession": succession_warnings(user, today),  # 办法到期: the jurisdiction admins'
        "due_within_days": DUE_WITHIN_DAYS,
    }
