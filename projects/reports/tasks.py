"""Celery task of reports: an id in, the builder called; a second delivery finds it claimed and stops."""

from __future__ import annotations

from celery import shared_task

from projects.reports.builder import report_build


@shared_task(name="projects.reports.build", acks_late=True)
def build_report(report_id: int) -> str:
    return report_build(report_id)
