"""The API's JSON parser: DRF's, refusing bodies that no later layer could handle.

Python's decoder raises RecursionError (a 500) on JSON nested about a thousand levels deep,
turns 1e999 into an infinite float, and keeps NUL characters and lone surrogates, which
PostgreSQL and the UTF-8 renderer cannot store or write. Each of these is refused here,
once for every endpoint, with a 400 that says where in the body the problem is.
"""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

MAX_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(
                _("JSON parse error - nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
            ) from exc
        check_json(data)
        return data


def check_json(data: Any) -> None:
    """Walk the decoded body without recursion; raise a 400 naming the first unusable place."""
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise exceptions.ParseError(
                _("JSON parse error - nested more than %(depth)d levels deep.") % {"depth": MAX_DEPTH}
            )
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                _refuse(path, _("Must not contain NUL characters or lone surrogates."))
        elif isinstance(value, float):
            if not math.isfinite(value):
                _refuse(path, _("The number is too large."))
        elif isinstance(value, dict):
            for key, item in value.items():
                where = f"{path}.{_shown(key)}" if path else _shown(key)
                if _UNSTORABLE.search(key):
                    _refuse(where, _("Must not contain NUL characters or lone surrogates."))
                stack.append((item, where, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))


def _shown(key: str) -> str:
    return key[:100].encode("utf-8", "backslashreplace").decode("utf-8")


def _refuse(path: str, message: str) -> None:
    raise exceptions.ValidationError({path or "body": [message]})
