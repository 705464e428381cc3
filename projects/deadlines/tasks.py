"""Celery tasks of stored deadlines: ids in, services called, idempotent."""

from __future__ import annotations

from celery import shared_task

from projects.deadlines import scan, sync


@shared_task(name="projects.deadlines.sync")
def sync_deadlines(project_id: int) -> dict:
    return sync.deadlines_sync(project_id)


@shared_task(name="projects.deadlines.scan")
def scan_deadlines(today: str | None = None) -> dict:
    import datetime as dt

    return scan.deadline_scan(today=dt.date.fromisoformat(today) if today else None)


@shared_task(name="projects.deadlines.resync_jurisdiction")
def resync_jurisdiction(jurisdiction_id: int | None) -> int:
    """After a calendar edit: resync the projects whose deadlines are still running (None: everyone's)."""
    from projects.deadlines.models import Deadline, DeadlineStatus

    running = Deadline.objects.filter(status__in=[DeadlineStatus.OPEN, DeadlineStatus.OVERDUE])
    if jurisdiction_id is not None:
        running = running.filter(jurisdiction_id=jurisdiction_id)
    project_ids = sorted(set(running.values_list("project_id", flat=True)))
    for project_id in project_ids:
        sync.deadlines_sync(project_id)
    return len(project_ids)
