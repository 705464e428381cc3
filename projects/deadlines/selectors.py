"""What the 「期限」 section, the home page and the API read of stored deadlines."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, QuerySet, Value, When

from projects.deadlines.models import Deadline, DeadlineStatus

# Overdue first, then what is still open, then what is done with.
STATUS_ORDER = Case(
    When(status=DeadlineStatus.OVERDUE, then=Value(0)),
    When(status=DeadlineStatus.OPEN, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def project_deadlines(project) -> QuerySet[Deadline]:
    return (
        Deadline.objects.filter(project=project)
        .select_related("waived_by")
        .annotate(rank=STATUS_ORDER)
        .order_by("rank", "due_date", "pk")
    )


def status_label(row: Deadline, today: dt.date) -> str:
    from django.utils.translation import gettext as _

    if row.status == DeadlineStatus.MET:
        return _("Met late") if row.late else str(DeadlineStatus.MET.label)
    if row.status == DeadlineStatus.OPEN and row.opens_on and today < row.opens_on:
        return _("Not open yet")
    return str(DeadlineStatus(row.status).label)
