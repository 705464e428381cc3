"""Notifications and each person's e-mail choice (消息提醒).

A `Notification` is one thing one person is told, with the link to the thing to do; it is read in the
notification centre and, depending on the person's `NotificationPreference`, e-mailed at once or in
the daily digest. `key` makes a notification idempotent per recipient: the same reminder, event or
nudge (催办) written twice is one row (a unique constraint; empty keys are not constrained).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govproj.models import TimeStampedModel

__all__ = ["EmailMode", "Notification", "NotificationPreference"]


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately, one e-mail each")
    DIGEST = "digest", _("Daily digest")
    NONE = "none", _("No e-mail")


class Notification(models.Model):
    """One thing one person is told (消息), linking to what they are to do."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, help_text=_("the thing to do: a path on this site"))
    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        blank=True,
        default="",
        help_text=_("unique per recipient when given: the same notice written twice is one row"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_key_unique"
            ),
        ]
        indexes = [
            # The centre (a person's, newest first) and the header's unread count.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_newest"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            # The e-mail tasks look for what is not e-mailed yet.
            models.Index(
                fields=["created_at"], condition=Q(emailed_at__isnull=True), name="notification_unsent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind} {self.title}"


class NotificationPreference(TimeStampedModel):
    """How a person wants their notifications by e-mail; without a row, immediately."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id} {self.email_mode}"
