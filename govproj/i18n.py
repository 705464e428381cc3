"""Which of a bilingual text to show: the rule packs and names carry zh and en side by side."""

from __future__ import annotations

from django.utils.translation import get_language


def english() -> bool:
    """True when the active language is English; Chinese is the default for everything else."""
    return (get_language() or "").startswith("en")


def in_language(text) -> str:
    """The active language's side of a {zh, en} pair (a dict, or an object with .zh/.en)."""
    key = "en" if english() else "zh"
    return text[key] if isinstance(text, dict) else getattr(text, key)
