"""Services of notifications: tell people (`notify`), e-mail them, and let them mark what they have read.

`notify` is the door every source uses (the project audit events in sources.py today; deadlines,
reminders, escalations and nudges 催办 later): one row per recipient, idempotent on `key` through the
(recipient, key) unique constraint, and after commit a Celery task that e-mails those who want it at
once. Each e-mail is sent at most once: a row is locked (skipped if another worker holds it) and
marked `emailed_at` in the same transaction that sends it. The daily digest (beat) mails the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from govproj.errors import ValidationFailed
from jurisdictions.models import Membership
from projects.notifications.models import EmailMode, Notification, NotificationPreference
from projects.notifications.selectors import IMMEDIATE, forget_unread_count, notification_for
from security.selectors import person_name

logger = logging.getLogger(__name__)

TITLE_MAX = Notification._meta.get_field("title").max_length
KEY_MAX = Notification._meta.get_field("key").max_length
URL_MAX = Notification._meta.get_field("url").max_length
KIND_MAX = Notification._meta.get_field("kind").max_length
DIGEST_WINDOW = dt.timedelta(days=1)


def is_local_path(url: str) -> bool:
    """A path on this site ("/projects/7/#intake"), never another site's address ("//x", "https://x")."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _user_ids(recipients: Iterable) -> set[int]:
    return {r if isinstance(r, int) else r.pk for r in recipients if r is not None}


@transaction.atomic
def notify(
    recipients: Iterable,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str,
    project=None,
    jurisdiction=None,
    key: str = "",
) -> list[int]:
    """Tell each recipient (users or user ids) something, linking to the thing to do; the new rows' ids.

    Only members of the notice's jurisdiction (the project's, else `jurisdiction`) are told: a user of
    another tenant given by mistake is left out. With a `key`, a recipient who has a notification with
    that key already is not told again (no IntegrityError, even when two callers race). After commit,
    the new rows go to the e-mail task (sent to those who chose immediate e-mail and have an address).
    """
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"notify: kind must be 1–{KIND_MAX} characters")
    if not is_local_path(url) or len(url) > URL_MAX:
        raise ValueError(f"notify: url must be a path on this site, not {url!r}")
    if len(key) > KEY_MAX:
        raise ValueError(f"notify: key is longer than {KEY_MAX} characters")
    if project is not None:
        if jurisdiction is not None and jurisdiction.pk != project.jurisdiction_id:
            raise ValueError("notify: the project belongs to another jurisdiction")
        jurisdiction_id = project.jurisdiction_id
    elif jurisdiction is not None:
        jurisdiction_id = jurisdiction.pk
    else:
        raise ValueError("notify: name the project or the jurisdiction")
    wanted = _user_ids(recipients)
    if not wanted:
        return []
    members = sorted(
        set(
            Membership.objects.filter(
                jurisdiction_id=jurisdiction_id, user_id__in=sorted(wanted), user__is_active=True
            ).values_list("user_id", flat=True)
        )
    )
    if key:
        told = set(
            Notification.objects.filter(key=key, recipient_id__in=members).values_list(
                "recipient_id", flat=True
            )
        )
        members = [m for m in members if m not in told]
    if not members:
        return []
    title = " ".join(str(title).split())[:TITLE_MAX]
    rows = [
        Notification(
            recipient_id=user_id,
            jurisdiction_id=jurisdiction_id,
            project=project,
            kind=kind,
            title=title,
            body=str(body),
            url=url,
            key=key,
        )
        for user_id in members
    ]
    if key:
        # A concurrent caller may have told some of them since: the constraint keeps one row each.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        ids = list(
            Notification.objects.filter(
                key=key, recipient_id__in=members, emailed_at__isnull=True
            ).values_list("pk", flat=True)
        )
    else:
        ids = [row.pk for row in Notification.objects.bulk_create(rows)]
    if ids:
        transaction.on_commit(partial(queue_emails, ids), robust=True)
    return ids


def queue_emails(ids: list[int]) -> None:
    """Hand new notifications to the e-mail task (call on commit: `transaction.on_commit(partial(...))`)."""
    from projects.notifications.tasks import send_notification_emails

    send_notification_emails.delay(ids)


_queue_emails = queue_emails  # the name projects.deadlines.scan imports


# ------------------------------------------------------------------------------------------ e-mail


def site_link(path: str) -> str:
    """An address of this site for an e-mail (SITE_URL + path)."""
    return settings.SITE_URL.rstrip("/") + path


def open_link(notification: Notification) -> str:
    """The e-mail's link: opens the thing to do and marks the notification read."""
    return site_link(reverse("notifications:open", args=[notification.pk]))


def _send(to, template: str, context: dict) -> None:
    """One e-mail in the site's language (Chinese), from templates/projects/notifications/email/."""
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        context = {
            "name": person_name(to),
            "settings_link": site_link(reverse("notifications:settings")),
            "centre_link": site_link(reverse("notifications:centre")),
            **context,
        }
        subject = render_to_string(f"projects/notifications/email/{template}_subject.txt", context)
        body = render_to_string(f"projects/notifications/email/{template}_body.txt", context)
    subject = " ".join(subject.split())
    EmailMessage(subject=subject, body=body.strip() + "\n", to=[to.email]).send()


def notification_emails_send(*, notification_ids: Iterable[int]) -> int:
    """E-mail each of these notifications to its recipient, if they chose immediate e-mail; how many sent.

    Each in its own transaction: the row is locked (one another worker holds is skipped: that worker
    sends it) and re-read, sent, and marked e-mailed, so a notification is never e-mailed twice. If
    sending fails the transaction rolls back and the row stays unsent (the task retries).
    """
    ids = sorted({int(i) for i in notification_ids})
    candidates = list(
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True, recipient__is_active=True)
        .filter(IMMEDIATE)
        .exclude(recipient__email="")
        .values_list("pk", flat=True)
    )
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk, emailed_at__isnull=True)
                .select_related("recipient", "project")
                .first()
            )
            if row is None:
                continue
            _send(row.recipient, "notification", {"notification": row, "link": open_link(row)})
            Notification.objects.filter(pk=row.pk).update(emailed_at=timezone.now())
            sent += 1
    return sent


def notification_digest_send(*, now: dt.datetime | None = None) -> int:
    """The daily digest: one e-mail per person who chose it, listing their notifications of the past
    day that are neither e-mailed nor read yet; how many e-mails were sent.

    Per person one transaction: their rows are locked (a concurrent run skips them), sent, marked.
    """
    now = now or timezone.now()
    since = now - DIGEST_WINDOW
    pending = dict(emailed_at__isnull=True, read_at__isnull=True, created_at__gte=since, created_at__lte=now)
    people = (
        get_user_model()
        .objects.filter(
            notification_preference__email_mode=EmailMode.DIGEST,
            is_active=True,
            notifications__in=Notification.objects.filter(**pending),
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for person in people:
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(recipient=person, **pending)
                .select_related("project")
                .order_by("created_at", "id")
            )
            if not rows:
                continue
            links = [(row, open_link(row)) for row in rows]
            _send(person, "digest", {"rows": links, "count": len(rows), "day": timezone.localdate(now)})
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=timezone.now())
            sent += 1
    return sent


# ------------------------------------------------------------------------------- reading, choosing


@transaction.atomic
def notification_mark_read(*, user, notification_id) -> Notification:
    """Mark one of the person's notifications read (already read: left as it was); someone else's: 404."""
    row = notification_for(user, notification_id)
    if row.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=row.pk, read_at__isnull=True).update(read_at=now):
            row.read_at = now
        else:
            row.refresh_from_db(fields=["read_at"])
        forget_unread_count(user)
    return row


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the person read; how many were."""
    marked = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread_count(user)
    return marked


@transaction.atomic
def notification_preference_set(*, user, email_mode: str) -> NotificationPreference:
    """How the person wants e-mail: immediately (one each), a daily digest, or none."""
    if email_mode not in EmailMode.values:
        raise ValidationFailed(
            extra={"errors": {"email_mode": [_("Choose immediately, daily digest or no e-mail.")]}}
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user_id=user.pk, defaults={"email_mode": email_mode}
    )
    return preference
