"""How every printed report writes amounts and dates (one place for all kinds)."""

from __future__ import annotations

from decimal import Decimal


def wan(value) -> str:
    """1,234.50: an amount in 万元 with thousands separators, to the cent."""
    return f"{Decimal(value):,.2f}" if value is not None else ""


def stage_name(spec, code: str) -> str:
    """The approval stage's Chinese name from the pack (or 审批环节 for a stage the pack no longer has)."""
    found = spec_stage(spec, code)
    return found.name.zh if found is not None else "审批环节"


def spec_stage(spec, code: str):
    """The pack's approval stage of that code, or None."""
    approval = spec.review.approval
    return approval.stage(code) if approval is not None else None


def chinese_date(day) -> str:
    """2026年11月24日."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
