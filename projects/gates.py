"""What a phase record still owes before a master transition (ARCHITECTURE.md, "Phase records").

The rules say what a project must be; the records of review and approval say whether the people
the measure names have done their part: the pre-review passed, the experts' review concluded, the
department opinions (会签) arrived. Each app that keeps such records registers a provider here; the
project service asks them all before it moves the phase, and the project page shows what they
say under the step they hold up. Who owes what is the pack's `review` section, never code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from govproj.errors import RuleViolation
from govproj.i18n import english, in_language


@dataclass(frozen=True)
class Gate:
    """One thing still owed before `transition`: its name, why, and the article that asks for it."""

    kind: str  # the record that owes it, e.g. "review_step", "opinions"
    code: str  # the step or opinion code of the pack
    title: dict[str, str]  # {"zh": …, "en": …}
    message: dict[str, str]
    citation: dict[str, Any] = field(default_factory=dict)  # {"article", "clause", "quote"}

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "title": self.title,
            "message": self.message,
            "citation": self.citation,
        }

    def said(self) -> dict[str, Any]:
        """As the project page shows a reason (the shape of projects.detail._said)."""
        return {
            "rule_id": f"{self.kind}:{self.code}",
            "title": in_language(self.title),
            "message": in_language(self.message),
            "article": self.citation.get("article", ""),
            "citation": self.citation.get("quote") or "",
            "outcome": "required",
            "outcome_label": "",
            "documents": [],
        }


# provider(project, transition, spec, stage) -> the gates it still holds; `spec` is the pinned
# RulePackSpec; `stage`: for "approve", the approval stage about to be decided (None: the project).
Provider = Callable[..., list[Gate]]
_PROVIDERS: list[Provider] = []


def gate_provider(provider: Provider) -> Provider:
    """Register a provider (an app does it in AppConfig.ready); registering twice is harmless."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def open_gates(project, transition: str, spec, *, stage: str | None = None) -> list[Gate]:
    """Everything still owed before `transition` (before deciding `stage`), from every provider."""
    if spec is None:
        return []
    return [gate for provider in _PROVIDERS for gate in provider(project, transition, spec, stage)]


def gates_error(transition: str, gates: list[Gate], pack=None) -> RuleViolation:
    """The refusal that names each thing owed and its article, as the rule refusal does."""
    cite, separator = ("{} ({})", "; ") if english() else ("{}（{}）", "；")
    detail = separator.join(
        cite.format(in_language(gate.message), gate.citation.get("article", "")) for gate in gates
    )
    extra: dict[str, Any] = {"transition": transition, "owed": [gate.to_dict() for gate in gates]}
    if pack is not None:
        extra.update(rule_pack=pack.label, rule_pack_version=pack.version)
    return RuleViolation(detail, extra=extra)
