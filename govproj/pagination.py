"""Keyset pagination: pages by the (time, id) of the last row seen, newest first.

DRF's CursorPagination keys its cursor on the first ordering field only and steps through
rows that share it by an offset, so where many rows share a time (an import, a bulk update)
`previous` comes back empty and a row filed meanwhile repeats. Here the cursor holds both
keys of the total order, and each page is a range of the index that serves it:
`(created_at, id) < (t, i)` going on, `> (t, i)` going back. No total is counted.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from govproj.errors import ValidationFailed

FORWARD, BACKWARD = "n", "p"


class KeysetPagination(CursorPagination):
    """Newest first by (`time_field`, id); `next` and `previous` are links to follow as given."""

    time_field = "created_at"
    ordering = ("-created_at", "-id")
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        key = self._key(request.query_params.get(self.cursor_query_param))
        time = self.time_field
        if key is None:
            rows = list(queryset.order_by(f"-{time}", "-id")[: self.page_size + 1])
            more, rows = len(rows) > self.page_size, rows[: self.page_size]
            self.next_key = (FORWARD, rows[-1]) if more else None
            self.previous_key = None
        elif key[0] == FORWARD:
            _direction, at, pk = key
            after = Q(**{f"{time}__lt": at}) | Q(**{time: at, "id__lt": pk})
            rows = list(queryset.filter(after).order_by(f"-{time}", "-id")[: self.page_size + 1])
            more, rows = len(rows) > self.page_size, rows[: self.page_size]
            self.next_key = (FORWARD, rows[-1]) if more else None
            self.previous_key = (BACKWARD, rows[0]) if rows else None
        else:
            _direction, at, pk = key
            before = Q(**{f"{time}__gt": at}) | Q(**{time: at, "id__gt": pk})
            rows = list(queryset.filter(before).order_by(time, "id")[: self.page_size + 1])
            more, rows = len(rows) > self.page_size, rows[: self.page_size]
            rows.reverse()
            self.previous_key = (BACKWARD, rows[0]) if more else None
            self.next_key = (FORWARD, rows[-1]) if rows else None
        return rows

    def get_next_link(self):
        return self._link(self.next_key)

    def get_previous_link(self):
        return self._link(self.previous_key)

    def _link(self, key) -> str | None:
        if key is None:
            return None
        direction, row = key
        at, pk = (
            (row[self.time_field], row["id"])
            if isinstance(row, dict)
            else (getattr(row, self.time_field), row.pk)
        )
        token = f"{direction}|{at.isoformat()}|{pk}".encode()
        cursor = base64.urlsafe_b64encode(token).decode("ascii").rstrip("=")
        return replace_query_param(remove_query_param(self.base_url, "page"), self.cursor_query_param, cursor)

    def _key(self, cursor: str | None) -> tuple[str, dt.datetime, int] | None:
        """The cursor's (direction, time, id), or a 400 naming `cursor` when it is not one of ours."""
        if not cursor:
            return None
        try:
            text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
            direction, at, pk = text.split("|")
            at = dt.datetime.fromisoformat(at)
            if direction not in (FORWARD, BACKWARD) or at.tzinfo is None or not pk.isdecimal():
                raise ValueError(text)
            pk = int(pk)
            if not 0 < pk < 2**63:
                raise ValueError(text)
        except (ValueError, UnicodeError, binascii.Error) as exc:
            raise ValidationFailed(
                _("The cursor is not valid: follow the next and previous links as given."),
                extra={"errors": {self.cursor_query_param: ["not a cursor this list gave"]}},
            ) from exc
        return direction, at, pk
