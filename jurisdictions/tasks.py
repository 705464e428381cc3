"""Celery tasks for jurisdictions. Tasks take plain values, call selectors/services, and are idempotent."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from jurisdictions.models import Jurisdiction
from jurisdictions.rules import measure_status
from jurisdictions.selectors import rule_pack

logger = logging.getLogger(__name__)


@shared_task
def check_measures(as_of: str | None = None) -> list[dict]:
    """The daily check: which jurisdictions' measures are expired, expiring or not yet in force."""
    day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
    flagged = []
    for jurisdiction in Jurisdiction.objects.filter(is_active=True, rule_packs__isnull=False).distinct():
        pack = rule_pack(jurisdiction, as_of=day)
        status = measure_status(pack.spec, day)
        if status["flagged"]:
            logger.warning("%s: %s", pack.label, status["message"]["en"])
            flagged.append({"jurisdiction": jurisdiction.code, "version": pack.version, **status})
    return flagged
