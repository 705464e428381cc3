"""Reads of notifications: each person reads only their own (another's is not there: NotFound)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from govproj.caching import forget_per_request, per_request
from govproj.errors import NotFound
from projects.notifications.models import EmailMode, Notification, NotificationPreference
from projects.selectors import parsed_project_id

# Those who get each notification by e-mail at once: the choice, or no choice made (the default).
IMMEDIATE = Q(recipient__notification_preference__isnull=True) | Q(
    recipient__notification_preference__email_mode=EmailMode.IMMEDIATE
)


def _unread_key(user) -> tuple:
    return ("notifications-unread", user.pk)


def unread_count(user) -> int:
    """How many of the person's notifications are unread: one count, once per request."""
    if not user.is_authenticated:
        return 0
    return per_request(
        _unread_key(user),
        lambda: Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count(),
    )


def forget_unread_count(user) -> None:
    forget_per_request(_unread_key(user))


def notification_list(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """The person's notifications: unread first, then newest first (with each one's project)."""
    rows = Notification.objects.filter(recipient_id=user.pk).select_related("project")
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.alias(
        read_order=Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by("read_order", "-created_at", "-id")


def notification_for(user, notification_id) -> Notification:
    """The person's own notification, else NotFound (someone else's is simply not there)."""
    pk = parsed_project_id(notification_id)  # the same id range: "abc", "²" or 2**64 is no notification
    row = (
        Notification.objects.filter(pk=pk, recipient_id=user.pk).select_related("project").first()
        if pk and user.is_authenticated
        else None
    )
    if row is None:
        raise NotFound()
    return row


def email_mode_of(user) -> str:
    """How the person wants e-mail: their choice, else immediately."""
    mode = NotificationPreference.objects.filter(user_id=user.pk).values_list("email_mode", flat=True).first()
    return mode or EmailMode.IMMEDIATE
