"""How every printed report writes amounts and dates (one place for all kinds)."""

from __future__ import annotations

from decimal import Decimal


def wan(value) -> str:
    """1,234.50: an amount in 万元 with thousands separators, to the cent."""
    return f"{Decimal(value):,.2f}" if value is not None else ""


def chinese_date(day) -> str:
    """2026年11月24日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
