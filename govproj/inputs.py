"""Checks of a service's plain inputs (texts, dates, amounts, choices), one way for every service.

A service is called by a page, the API, a task or a command, so it checks what it is given itself:
anything malformed (a list where a text belongs, a NUL byte, 10¹⁸ 万元, 2026-02-30) is a
ValidationFailed (400) naming the field, never a 500. Each returns the cleaned value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from govproj.errors import ValidationFailed

TEXT_MAX = 2000
AMOUNT_MAX = Decimal("999999999999.99")
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2200, 12, 31)
REASON_FIELDS = frozenset({"reason", "comment"})


def invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, extra={"errors": {field: [message]}})


def text(value, field: str, *, required: bool = False, limit: int = TEXT_MAX) -> str:
    """A stripped text of at most `limit` characters; required: not empty (a reason for reason fields)."""
    cleaned = (value or "").strip() if isinstance(value, str) or value is None else None
    if cleaned is None or "\x00" in cleaned:
        raise invalid(field, _("Give a text."))
    if len(cleaned) > limit:
        raise invalid(field, _("At most %(n)s characters.") % {"n": limit})
    if required and not cleaned:
        raise invalid(
            field, _("A reason is required.") if field in REASON_FIELDS else _("Fill in this field.")
        )
    return cleaned


def date(value, field: str, *, required: bool = False, not_after: dt.date | None = None) -> dt.date | None:
    """A date (or YYYY-MM-DD) between 1900 and 2200; `not_after`: not later than that day."""
    if value in (None, ""):
        if required:
            raise invalid(field, _("Give a date."))
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, dt.date) or not DATE_MIN <= value <= DATE_MAX:
        raise invalid(field, _("Give a date as YYYY-MM-DD."))
    if not_after is not None and value > not_after:
        raise invalid(field, _("The date cannot be in the future."))
    return value


def amount(value, field: str, *, required: bool = False, maximum: Decimal = AMOUNT_MAX) -> Decimal | None:
    """An amount in 万元 from 0 up to `maximum`, to the cent."""
    if value in (None, ""):
        if required:
            raise invalid(field, _("Give an amount."))
        return None
    try:
        cleaned = None if isinstance(value, bool) else Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        cleaned = None
    if cleaned is None or not cleaned.is_finite() or not Decimal(0) <= cleaned <= maximum:
        raise invalid(field, _("Give an amount from 0 up to %(max)s.") % {"max": maximum})
    return cleaned


def choice(value, field: str, choices) -> str:
    """One of `choices` (codes, or (code, label) pairs)."""
    codes = {c[0] if isinstance(c, tuple | list) else c for c in choices}
    if not isinstance(value, str) or value not in codes:
        raise invalid(field, _("Choose one of the options."))
    return value
