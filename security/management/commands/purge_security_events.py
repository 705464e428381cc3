"""Retention: remove security events older than the retention period, leaving a record of what went.

网络安全法 第二十一条 keeps network logs at least six months; the command refuses a shorter
period. Each purged stream gets a `purged` event (how many rows, which dates, up to which link
of the chain), so `verify_audit` still checks the chain from the first row kept.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from govproj.errors import ValidationFailed
from security.services import purge_security_events, retention_days


class Command(BaseCommand):
    help = "Delete security events older than SECURITY_EVENT_RETENTION_DAYS (at least 180), with a record."

    def add_arguments(self, parser):
        parser.add_argument(
            "--before",
            type=dt.date.fromisoformat,
            help="purge events before this date (YYYY-MM-DD); default: today minus the retention period",
        )

    def handle(self, *args, before=None, **options):
        before = before or timezone.localdate() - dt.timedelta(days=retention_days())
        try:
            records = purge_security_events(before=before)
        except ValidationFailed as error:
            raise CommandError(error.message) from error
        if not records:
            self.stdout.write(f"Nothing to purge before {before.isoformat()}.")
        for record in records:
            self.stdout.write(
                f"{record.stream}: purged {record.data['count']} events "
                f"({record.data['oldest_removed']} … {record.data['newest_removed']}), "
                f"through seq {record.data['through_seq']}"
            )
