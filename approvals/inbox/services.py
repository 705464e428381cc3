"""The inbox across sources: what waits on a person (待办), what they decided (已办), batch decisions.

Every source answers in a fixed number of queries, so the inbox does too, however many items wait.
A batch decides each item through its source in the item's own transaction: one refusal leaves
that item untouched and the others done; each item is reported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.delegation.models import Delegation
from approvals.inbox.registry import SOURCES, InboxItem
from govproj.errors import ApplicationError, ValidationFailed
from jurisdictions.models import Role, memberships_of

BATCH_ACTIONS = ("approve", "return")
# Roles for whom the header shows 待办 (they take decisions or give opinions).
INBOX_ROLES = frozenset({Role.REVIEWER, Role.SECURITY_REVIEWER, Role.FINANCE_OFFICER, Role.EXPERT})
_FAR = dt.date.max


def has_inbox(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or any(m.role in INBOX_ROLES for m in memberships_of(user))


def _sources():
    return [SOURCES[kind] for kind in sorted(SOURCES)]


def pending_items(user) -> list[InboxItem]:
    """Everything waiting on the user, the soonest clock first: due dates first (earliest), then the
    longest waiting."""
    items = [item for source in _sources() for item in source.pending(user)]
    items.sort(key=lambda i: (i.due is None, i.due or _FAR, i.since, i.kind, i.key))
    return items


def done_items(user) -> list[InboxItem]:
    """What the user decided, the most recent first."""
    items = [item for source in _sources() for item in source.done(user)]
    items.sort(key=lambda i: (i.since, i.kind, i.key), reverse=True)
    return items


def pending_count(user) -> int:
    """How many items wait: one count query per source (a source without `count` is listed)."""
    total = 0
    for source in _sources():
        count = getattr(source, "count", None)
        total += count(user) if count is not None else len(source.pending(user))
    return total


COUNT_SECONDS = 60


def _count_key(user) -> str:
    return f"inbox:pending:{user.pk}"


def cached_pending_count(user) -> int:
    """`pending_count`, kept a minute (the header shows it on every page)."""
    count = cache.get(_count_key(user))
    if count is None:
        count = pending_count(user)
        cache.set(_count_key(user), count, COUNT_SECONDS)
    return count


def remember_pending_count(user, count: int | None = None) -> None:
    """Renew (a number just counted) or forget (after decisions) the header's number."""
    if count is None:
        cache.delete(_count_key(user))
    else:
        cache.set(_count_key(user), count, COUNT_SECONDS)


def acting_for(user, on: dt.date | None = None) -> list[Delegation]:
    """The delegations in force today by which the user stands in for someone."""
    if not user.is_authenticated:
        return []
    on = on or timezone.localdate()
    return list(
        Delegation.objects.active_on(on)
        .filter(delegate_id=user.pk)
        .select_related("delegator", "jurisdiction")
    )


@dataclass(frozen=True)
class BatchResult:
    kind: str
    key: str
    done: bool
    reason: str = ""
    code: str = ""


def check_batch(action: str, comment: str, kinds: list[str] | None = None) -> None:
    """ValidationFailed when the batch as a whole cannot run: unknown action or kind, no reason to return."""
    errors = {}
    if action not in BATCH_ACTIONS:
        errors["action"] = [_("Choose approve or return.")]
    if action == "return" and not (comment or "").strip():
        errors["comment"] = [_("A reason is required.")]
    unknown = sorted({k for k in kinds or () if k not in SOURCES})
    if unknown:
        errors["kind"] = [_("Unknown kind of item.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], extra={"errors": errors})


def decide_batch(user, pairs: list[tuple[str, str]], action: str, comment: str) -> list[BatchResult]:
    """Decide each (kind, key) through its source, each in its own transaction; report each."""
    check_batch(action, comment, [kind for kind, _key in pairs])
    results = []
    seen = set()
    for kind, key in pairs:
        if (kind, key) in seen:
            continue
        seen.add((kind, key))
        try:
            SOURCES[kind].decide(user, key, action, comment)
        except ApplicationError as exc:
            results.append(BatchResult(kind, key, False, exc.message, exc.code))
        else:
            results.append(BatchResult(kind, key, True))
    remember_pending_count(user)
    return results


def parse_selection(values: list[str]) -> list[tuple[str, str]]:
    """Checkbox values "kind:key" → (kind, key); malformed values are dropped."""
    pairs = []
    for value in values:
        kind, sep, key = (value or "").partition(":")
        if sep and kind and key:
            pairs.append((kind, key))
    return pairs
