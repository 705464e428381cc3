"""Caches that stay correct by construction.

Three kinds, each with the rule that keeps it right:

- `per_request`: a value read once per HTTP request (the signed-in person's memberships and
  object grants), dropped when the request ends. Outside a request (services, commands,
  tests calling selectors directly) nothing is kept: every call reads afresh.
- `stamp` / `bump`: a token per kind of data, kept in the shared cache (Redis wherever more
  than one process serves; see CACHES in the settings). Writers bump it on commit; a reader
  that keys its own process-local copy on the token sees the change on its next request. A
  token that was evicted comes back as a new random value, which is a miss, never a stale hit.
- `Memo`: a small process-local LRU for values derived from immutable or stamped inputs.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models, transaction

T = TypeVar("T")

_request_values: ContextVar[dict | None] = ContextVar("govproj_request_values", default=None)


class RequestCacheMiddleware:
    """Opens a fresh `per_request` store for each request and drops it afterwards."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_values.set({})
        try:
            return self.get_response(request)
        finally:
            _request_values.reset(token)


def per_request(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per request for `key` (every time outside a request)."""
    values = _request_values.get()
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


def forget_per_request(key: Hashable) -> None:
    """Drop one value of this request's store (after the request itself changed it)."""
    values = _request_values.get()
    if values is not None:
        values.pop(key, None)


STAMP_PREFIX = "govproj:stamp:"
# While a transaction that wrote the data is open, the token is provisional: nobody caches under
# it (the write may yet be rolled back). Commit settles it; a rollback leaves it to expire.
PROVISIONAL = "provisional:"
PROVISIONAL_SECONDS = 60


# Every stamp there is, read together (one round trip) once per request.
STAMPS = ("access", "projects", "rule-packs", "working-calendar")


def stamp(name: str) -> str:
    """The current token of `name`; a new random one when none is stored (first use, eviction).

    In a request all stamps are read once, together, at the first ask.
    """
    return per_request("stamps", _read_stamps).get(name) or _read_stamps((name,))[name]


def _read_stamps(names: tuple[str, ...] = STAMPS) -> dict[str, str]:
    found = cache.get_many([STAMP_PREFIX + name for name in names])
    tokens = {}
    for name in names:
        key = STAMP_PREFIX + name
        value = found.get(key)
        if value is None:
            value = uuid.uuid4().hex
            if not cache.add(key, value, timeout=None):
                value = cache.get(key) or value
        tokens[name] = value
    return tokens


def bump(name: str) -> None:
    """Invalidate everything keyed on `name`'s token: provisional now, settled on commit."""
    key = STAMP_PREFIX + name
    connection = transaction.get_connection()
    cache.set(key, PROVISIONAL + uuid.uuid4().hex, timeout=PROVISIONAL_SECONDS)
    forget_per_request("stamps")
    if connection.in_atomic_block:
        _written_here(connection).add(name)

    def settle():
        cache.set(key, uuid.uuid4().hex, timeout=None)
        forget_per_request("stamps")
        _written_here(connection).discard(name)

    transaction.on_commit(settle)


def _written_here(connection) -> set[str]:
    """Names this connection bumped in the transaction still open: it must not cache them.

    Others read only committed rows, so they may cache once the token settles or expires; the
    writer would cache its own uncommitted ones. The set belongs to the outermost atomic block
    (one transaction): a rolled-back transaction's names go with it.
    """
    outermost = connection.atomic_blocks[0] if connection.atomic_blocks else None
    owner, pending = connection.__dict__.get("govproj_written_stamps", (None, set()))
    if owner is not outermost:
        owner, pending = outermost, set()
        connection.__dict__["govproj_written_stamps"] = (owner, pending)
    return pending


def _cacheable(name: str, token: str) -> bool:
    return not token.startswith(PROVISIONAL) and name not in _written_here(transaction.get_connection())


def stamped(memo: Memo, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` kept in `memo` under `key` and `name`'s token (not kept while it is provisional)."""
    token = stamp(name)
    if not _cacheable(name, token):
        return compute()
    return memo.get_or_compute((key, token), compute)


def remembered(name: str, key: str, compute: Callable[[], T], *, timeout: int = 600) -> T:
    """`compute()` kept in the shared cache under `key` and `name`'s token, for at most `timeout` s."""
    token = stamp(name)
    if not _cacheable(name, token):
        return compute()
    cache_key = f"govproj:remembered:{name}:{token}:{key}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, timeout=timeout)
    return value


class StampedQuerySet(models.QuerySet):
    """Bulk writes (which send no per-row signals) renew `stamp_name` too."""

    stamp_name: str = ""

    def update(self, **kwargs):
        bump(self.stamp_name)
        return super().update(**kwargs)

    def bulk_create(self, *args, **kwargs):
        bump(self.stamp_name)
        return super().bulk_create(*args, **kwargs)

    def bulk_update(self, *args, **kwargs):
        bump(self.stamp_name)
        return super().bulk_update(*args, **kwargs)

    def delete(self):
        bump(self.stamp_name)
        return super().delete()


class Memo:
    """A thread-safe, bounded, process-local map (least recently used out first)."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
