"""Writing the security audit log. Call `security_event_record` from any door (view, signal, admin).

Record refusals after the refused transaction has rolled back, never inside it, or the
record would vanish with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ipware import get_client_ip

from govproj.errors import ValidationFailed
from security.models import PLATFORM_STREAM, Kind, Outcome, SecurityEvent


def _clean(text: str, limit: int) -> str:
    """Headers are attacker-controlled: drop NUL and unpaired surrogates, which databases refuse."""
    text = (text or "").replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")[:limit]


def request_origin(request) -> dict[str, Any]:
    if request is None:
        return {"ip": None, "user_agent": ""}
    ip, _routable = get_client_ip(request)
    return {"ip": ip, "user_agent": _clean(request.META.get("HTTP_USER_AGENT", ""), 400)}


def security_event_record(
    *,
    kind: Kind | str,
    outcome: Outcome | str = Outcome.SUCCESS,
    request=None,
    actor=None,
    subject_user=None,
    username: str = "",
    jurisdiction=None,
    target: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Append one event. `actor` defaults to the request's signed-in user.

    Events about a tenant's object name its `jurisdiction` (stream `jurisdiction:<id>`);
    sign-in events name the `subject_user` and go to the platform stream.
    """
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    jurisdiction_id = getattr(jurisdiction, "pk", jurisdiction)
    stream = f"jurisdiction:{jurisdiction_id}" if jurisdiction_id else PLATFORM_STREAM
    if not username:
        username = getattr(subject_user, "username", "") or getattr(actor, "username", "")
    return SecurityEvent.objects.append(
        stream,
        kind=kind,
        outcome=outcome,
        actor=actor,
        subject_user=subject_user,
        username=_clean(username, 150),
        jurisdiction_id=jurisdiction_id,
        target=_clean(target, 200),
        reason=_clean(str(reason), 4000),
        data=data or {},
        **request_origin(request),
    )


def retention_days() -> int:
    return max(settings.SECURITY_EVENT_RETENTION_DAYS, settings.SECURITY_EVENT_MINIMUM_RETENTION_DAYS)


def purged_anchors() -> dict[str, tuple[int, str]]:
    """For each stream whose beginning was purged: (last purged seq, its hash), from the latest purge."""
    anchors: dict[str, tuple[int, str]] = {}
    for event in SecurityEvent.objects.filter(kind=Kind.PURGED).order_by("stream", "seq"):
        anchors[event.stream] = (event.data["through_seq"], event.data["through_hash"])
    return anchors


def purge_security_events(*, before: dt.date, actor=None) -> list[SecurityEvent]:
    """Delete events older than `before` (at least the legal minimum ago), stream by stream.

    Each purged stream gets a `purged` event naming how many rows went, up to which seq, and
    the hash of the last one, so `verify_audit` still checks the chain from the first kept row.
    """
    import pgtrigger  # the one sanctioned delete on an append-only table

    earliest = timezone.localdate() - dt.timedelta(days=settings.SECURITY_EVENT_MINIMUM_RETENTION_DAYS)
    if before > earliest:
        raise ValidationFailed(
            _("Security events must be kept at least %(days)s days: purge only before %(date)s.")
            % {"days": settings.SECURITY_EVENT_MINIMUM_RETENTION_DAYS, "date": earliest.isoformat()},
            extra={"errors": {"before": [f"must be on or before {earliest.isoformat()}"]}},
        )
    cutoff = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    records = []
    with transaction.atomic():
        streams = (
            SecurityEvent.objects.filter(at__lt=cutoff)
            .exclude(kind=Kind.PURGED)
            .order_by()
            .values_list("stream", flat=True)
            .distinct()
        )
        for stream in list(streams):
            old = SecurityEvent.objects.filter(stream=stream, at__lt=cutoff).order_by("-seq")
            last = old.first()
            rows = SecurityEvent.objects.filter(stream=stream, seq__lte=last.seq)
            count = rows.count()
            first_at, last_at = rows.order_by("seq").values_list("at", flat=True)[0], last.at
            with pgtrigger.ignore("security.SecurityEvent:append_only"):
                deleted, _by_model = models.QuerySet.delete(rows)
            assert deleted == count
            jurisdiction_id = None if stream == PLATFORM_STREAM else int(stream.split(":")[1])
            records.append(
                security_event_record(
                    kind=Kind.PURGED,
                    actor=actor,
                    jurisdiction=jurisdiction_id,
                    reason=_("Retention: events before %(date)s removed.") % {"date": before.isoformat()},
                    data={
                        "before": before.isoformat(),
                        "count": count,
                        "through_seq": last.seq,
                        "through_hash": last.hash,
                        "oldest_removed": first_at.isoformat(),
                        "newest_removed": last_at.isoformat(),
                    },
                )
            )
    return records


def project_refusal_record(*, request, project_id, action: str, error) -> SecurityEvent | None:
    """Log a refused action on a project (403 role, 409 state, 400 from a rule), after its rollback.

    Other errors (malformed input, not found, a stale version) are not refusals and are not logged.
    """
    from govproj.errors import InvalidTransition, NotPermitted, RuleViolation
    from projects.models import Project
    from projects.selectors import parsed_project_id

    if not isinstance(error, NotPermitted | InvalidTransition | RuleViolation):
        return None
    project_id = parsed_project_id(project_id)
    if project_id is None:
        return None
    project = Project.objects.filter(pk=project_id).values("pk", "code", "jurisdiction_id").first()
    if project is None:
        return None
    verdicts = error.extra.get("verdicts", [])
    rules = [{"rule_id": v["rule_id"], "article": v["citation"]["article"]} for v in verdicts]
    return security_event_record(
        kind=Kind.REFUSED,
        outcome=Outcome.FAILURE,
        request=request,
        jurisdiction=project["jurisdiction_id"],
        target=f"projects.project:{project['pk']} {project['code']}",
        reason=error.message,
        data={
            "action": action,
            "http_status": error.http_status,
            "code": error.code,
            "allowed": error.extra.get("allowed", []),
            "rules": rules,
            "rule_pack": error.extra.get("rule_pack"),
        },
    )
