"""What projects.notifications registers at start-up: audit events become notifications after commit.

Imported by the app's AppConfig.ready(). The receiver only defers: once the transaction that wrote the
event commits, `sources.notify_event` tells the people its action concerns (robust: a failure there is
logged, never turned into an error for the person whose action already committed). Rolled back, the
event tells nobody. Rows loaded from fixtures or a backup (`raw`) tell nobody either.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

import projects.notifications.tasks  # noqa: F401  (registers the e-mail tasks with Celery)
from projects.models import AuditEvent
from projects.notifications.sources import SOURCES, notify_event


@receiver(post_save, sender=AuditEvent, dispatch_uid="projects.notifications.audit_event")
def _audit_event_recorded(sender, instance, created, raw=False, using=None, **kwargs) -> None:
    if created and not raw and instance.action in SOURCES:
        transaction.on_commit(partial(notify_event, instance.pk), using=using, robust=True)
