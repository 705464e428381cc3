"""Hash-chained, append-only event tables: tampering shows (ARCHITECTURE.md, "Security audit").

Each row belongs to a stream (a project's audit trail, a jurisdiction's security log) and
stores its position in it (`seq`, 1, 2, 3 …), the hash of the previous row of its stream and
the sha256 of its own content, which includes that previous hash. Changing, removing or
reordering a row breaks the chain at that row; `manage.py verify_audit` names the first
broken link. PostgreSQL also refuses UPDATE and DELETE on these tables (django-pgtrigger,
see the models' Meta.triggers); on SQLite only the application guards and the chain hold.

`seq` is unique per stream, so two writers that append to the same stream at once cannot
both take the same place. On PostgreSQL writers of one stream queue on an advisory lock
held to the end of their transaction; should one still lose the place, it retries on the
new end of the chain. SQLite serialises writers by itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connections, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64
APPEND_ATTEMPTS = 8


def _plain(value: Any) -> Any:
    """A field value as it reads back from any database, in a form JSON keeps exactly."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def normalise_json(value: Any) -> Any:
    """What a JSONField gives back after a round trip (tuples → lists, keys → strings, dates → text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


CHAIN_FIELDS = ("at", "stream", "seq", "prev_hash")


def row_digest(row: models.Model, fields: tuple[str, ...] | None = None) -> str:
    """sha256 of the row's chained fields (`chain_fields`: every field but the id and the hash).

    The list is spelled out per model rather than read from `_meta`, so that adding a column
    later does not silently change the digest of every row already written; a migration that
    backfills passes the list it was written against.
    """
    fields = fields if fields is not None else type(row).chain_fields
    payload = {name: _plain(getattr(row, name)) for name in fields}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ChainQuerySet(models.QuerySet):
    def append(self, stream: str, **fields) -> models.Model:
        """Add one row at the end of `stream`; retried when a concurrent writer took the place first."""
        for _attempt in range(APPEND_ATTEMPTS):
            try:
                with transaction.atomic(using=self.db):
                    return self._append(stream, fields)
            except IntegrityError:
                if not self.filter(stream=stream).exists():
                    raise  # not a lost race: the row itself is wrong
        raise IntegrityError(f"could not append to {stream} after {APPEND_ATTEMPTS} attempts")

    def _append(self, stream: str, fields: dict) -> models.Model:
        connection = connections[self.db]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"chain:{stream}"])
        last = self.filter(stream=stream).order_by("-seq").values("seq", "hash").first()
        row = self.model(
            stream=stream,
            seq=(last["seq"] + 1) if last else 1,
            prev_hash=last["hash"] if last else GENESIS,
            **fields,
        )
        for field in row._meta.concrete_fields:
            if isinstance(field, models.JSONField):
                setattr(row, field.attname, normalise_json(getattr(row, field.attname)))
        row.hash = row_digest(row)
        row.save(force_insert=True, using=self.db)
        return row

    def update(self, **kwargs):
        raise TypeError(f"{self.model._meta.verbose_name} rows are append-only.")

    def delete(self):
        raise TypeError(f"{self.model._meta.verbose_name} rows are append-only.")


class ChainedEvent(models.Model):
    """Abstract base of the append-only event tables. Write rows with `objects.append(stream, ...)`."""

    at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)
    stream = models.CharField(max_length=60, editable=False)
    seq = models.PositiveBigIntegerField(editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = ChainQuerySet.as_manager()
    # Attnames hashed into each row: CHAIN_FIELDS plus the model's own; tests check none is left out.
    chain_fields: tuple[str, ...] = CHAIN_FIELDS

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError(f"{self._meta.verbose_name} rows are append-only.")
        if not self.hash:
            raise TypeError(f"Write {self._meta.verbose_name} rows with objects.append(), which chains them.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(f"{self._meta.verbose_name} rows are append-only.")


@dataclass(frozen=True)
class BrokenLink:
    table: str
    stream: str
    seq: int
    row_id: int
    problem: str

    def __str__(self) -> str:
        return f"{self.table} stream {self.stream} seq {self.seq} (id {self.row_id}): {self.problem}"


def verify_chain(model: type[models.Model], anchors: dict[str, tuple[int, str]] | None = None) -> Iterator:
    """Yield every broken link of `model`'s streams, in order (the first is the first broken link).

    `anchors` maps a stream whose beginning was purged to (last purged seq, its hash), so the
    chain is checked from the first kept row on (security.services.purge_security_events).
    """
    anchors = anchors or {}
    table = model._meta.label
    stream, expected_seq, expected_prev = None, 1, GENESIS
    for row in model._default_manager.order_by("stream", "seq").iterator(chunk_size=2000):
        if row.stream != stream:
            stream = row.stream
            expected_seq, expected_prev = 1, GENESIS
            if stream in anchors:
                purged_through, purged_hash = anchors[stream]
                expected_seq, expected_prev = purged_through + 1, purged_hash
        if row.seq != expected_seq:
            what = "missing" if row.seq > expected_seq else "repeated"
            yield BrokenLink(table, stream, row.seq, row.pk, f"row {expected_seq} is {what}")
        elif row.prev_hash != expected_prev:
            yield BrokenLink(table, stream, row.seq, row.pk, "does not follow the previous row's hash")
        elif row_digest(row) != row.hash:
            yield BrokenLink(table, stream, row.seq, row.pk, "content was changed after it was written")
        expected_seq, expected_prev = row.seq + 1, row.hash
