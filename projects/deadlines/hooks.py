"""What projects.deadlines registers at start-up: resync a project's deadlines after each commit that
wrote one of its audit events (every record's service writes one), not on page views."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

import projects.deadlines.tasks  # registered with Celery: a worker imports the apps, not this package
import projects.deadlines.views  # noqa: F401  (the project page's 「期限」 section)
from jurisdictions.models import CalendarDay, CalendarYear
from projects.models import AuditEvent


def _sync_after_commit(project_id: int) -> None:
    """Once per project and transaction: a service writing several events asks for one sync.

    A callback still queued for the project will run: a savepoint rolled back since would have taken
    it off the queue, and any savepoint still open that may yet roll back holds this event too.
    """
    connection = transaction.get_connection()
    if any(
        getattr(queued, "deadline_project", None) == project_id
        for _s, queued, *_r in connection.run_on_commit
    ):
        return

    def run() -> None:
        from projects.deadlines.tasks import sync_deadlines

        sync_deadlines.delay(project_id)

    run.deadline_project = project_id
    transaction.on_commit(run)


@receiver(post_save, sender=AuditEvent, dispatch_uid="deadlines-resync")
def _event_written(sender, instance: AuditEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        _sync_after_commit(instance.project_id)


@receiver(post_save, sender=CalendarDay, dispatch_uid="deadlines-calendar-day-saved")
@receiver(post_delete, sender=CalendarDay, dispatch_uid="deadlines-calendar-day-deleted")
@receiver(post_save, sender=CalendarYear, dispatch_uid="deadlines-calendar-year-saved")
@receiver(post_delete, sender=CalendarYear, dispatch_uid="deadlines-calendar-year-deleted")
def _calendar_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A holiday, make-up workday or completed year moves working-day due dates and their certainty:
    the running deadlines of the jurisdiction (of all, for a national row) are recomputed after commit."""
    if raw:
        return
    jurisdiction_id = getattr(instance, "jurisdiction_id", None)

    def run() -> None:
        from projects.deadlines.tasks import resync_jurisdiction

        resync_jurisdiction.delay(jurisdiction_id)

    transaction.on_commit(run)
