"""Celery tasks of notifications: they take ids, call the services, and are idempotent (an e-mail is
never sent twice for one notification, even when a task runs twice or two run at once)."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True, max_retries=5)
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail these notifications to those who chose immediate e-mail (queued by `notify` on commit)."""
    from projects.notifications.services import notification_emails_send

    return notification_emails_send(notification_ids=notification_ids)


@shared_task(autoretry_for=(smtplib.SMTPException, OSError), retry_backoff=True, max_retries=5)
def send_daily_digest(now: str | None = None) -> int:
    """The daily digest (beat, CELERY_BEAT_SCHEDULE): one e-mail per person who chose it."""
    from projects.notifications.services import notification_digest_send

    return notification_digest_send(now=dt.datetime.fromisoformat(now) if now else None)
