"""The security audit log: sign-ins, lockouts, tokens, refusals, role grants, admin edits.

Append-only and hash-chained (govproj.chain): one stream per jurisdiction for events about a
tenant's objects, and a `platform` stream for sign-in events, which concern a person rather
than one jurisdiction. PostgreSQL refuses UPDATE and DELETE on the table; the retention purge
(`manage.py purge_security_events`) is the one sanctioned exception and records what it removed.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govproj.chain import CHAIN_FIELDS, ChainedEvent, ChainQuerySet
from jurisdictions.models import Jurisdiction, Role

PLATFORM_STREAM = "platform"
# Who reads a jurisdiction's security log (besides platform superusers).
READERS = (Role.AUDITOR, Role.JURISDICTION_ADMIN)


class Kind(models.TextChoices):
    LOGIN_SUCCESS = "login_success", _("Signed in")
    LOGIN_FAILURE = "login_failure", _("Sign-in failed")
    LOGOUT = "logout", _("Signed out")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    LOCKOUT = "lockout", _("Account locked")
    UNLOCK = "unlock", _("Account unlocked")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    USER_CREATED = "user_created", _("Account created")
    REFUSED = "refused", _("Action refused")
    MEMBERSHIP_GRANTED = "membership_granted", _("Role granted")
    MEMBERSHIP_CHANGED = "membership_changed", _("Role changed")
    MEMBERSHIP_REVOKED = "membership_revoked", _("Role revoked")
    ADMIN_ADDED = "admin_added", _("Added in the admin")
    ADMIN_CHANGED = "admin_changed", _("Changed in the admin")
    ADMIN_DELETED = "admin_deleted", _("Deleted in the admin")
    PURGED = "purged", _("Old events purged")
    DELEGATION_CREATED = "delegation_created", _("Delegation created")
    DELEGATION_ENDED = "delegation_ended", _("Delegation ended")
    RULE_PACK_DRAFTED = "rule_pack_drafted", _("Rule pack draft started")
    RULE_PACK_EDITED = "rule_pack_edited", _("Rule pack draft edited")
    RULE_PACK_PUBLISHED = "rule_pack_published", _("Rule pack version published")
    RULE_PACK_DISCARDED = "rule_pack_discarded", _("Rule pack draft discarded")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Succeeded")
    FAILURE = "failure", _("Failed or refused")


class SecurityEventQuerySet(ChainQuerySet):
    def for_user(self, user, action: str = "view") -> SecurityEventQuerySet:
        """Auditors and jurisdiction admins read their jurisdictions' events; nobody edits any."""
        if not user.is_authenticated or action != "view":
            return self.none()
        if user.is_superuser:
            return self
        readable = list(
            user.memberships.filter(role__in=READERS).values_list("jurisdiction_id", flat=True).distinct()
        )
        if not readable:
            return self.none()
        # Sign-in events belong to no jurisdiction: they are shown where the person concerned works.
        people = Q(jurisdiction__isnull=True) & Q(subject_user__memberships__jurisdiction_id__in=readable)
        ids = self.filter(Q(jurisdiction_id__in=readable) | people).values("pk")
        return self.filter(pk__in=ids)


class SecurityEvent(ChainedEvent):
    """One security-relevant event with who, from where, when, what, its outcome and why."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("who acted, when known"),
    )
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField(_("username given"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=400, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), null=True, blank=True, on_delete=models.PROTECT
    )
    target = models.CharField(_("object"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()
    chain_fields = (
        *CHAIN_FIELDS,
        "kind",
        "outcome",
        "actor_id",
        "subject_user_id",
        "username",
        "ip",
        "user_agent",
        "jurisdiction_id",
        "target",
        "reason",
        "data",
    )

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["stream", "seq"], name="security_event_chain_unique")]
        indexes = [models.Index(fields=["jurisdiction", "-at"])]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"
