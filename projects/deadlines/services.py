"""Actions on a stored deadline: waiving it (豁免) with a reason, by the approving authority or the admin."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govproj import inputs
from govproj.errors import InvalidTransition, NotFound, NotPermitted
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.findings.services import may_decide
from projects.records import locked_project, record_event
from projects.selectors import parsed_project_id

# Who waives a deadline is who records a finding: the approving authority or the administrator.
may_waive = may_decide
WAIVABLE = frozenset({DeadlineStatus.OPEN, DeadlineStatus.OVERDUE})


@transaction.atomic
def deadline_waive(*, actor, project_id, deadline_id, reason) -> Deadline:
    """Waive an open or overdue deadline (no more reminders; the timeline says who and why)."""
    project = locked_project(actor, project_id)
    pk = parsed_project_id(deadline_id)
    row = Deadline.objects.select_for_update().filter(pk=pk, project=project).first() if pk else None
    if row is None:
        raise NotFound()
    if not may_waive(actor, project):
        raise NotPermitted(_("Only the approving authority or the administrator waives a deadline."))
    if row.status not in WAIVABLE:
        raise InvalidTransition(
            _("Only an open or overdue deadline is waived; this one is %(status)s.")
            % {"status": DeadlineStatus(row.status).label},
            extra={"status": row.status, "allowed": []},
        )
    reason = inputs.text(reason, "reason", required=True)
    row.status = DeadlineStatus.WAIVED
    row.waived_reason, row.waived_by, row.waived_at = reason, actor, timezone.now()
    row.save(update_fields=["status", "waived_reason", "waived_by", "waived_at", "updated_at"])
    record_event(
        project,
        actor,
        "deadline_waived",
        reason,
        deadline=row.pk,
        rule=row.rule_id,
        title=row.title_zh,
        article=row.article,
        due_date=row.due_date.isoformat(),
    )
    return row
