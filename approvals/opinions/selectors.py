"""Read side of department opinions: which items apply, the rounds on file, and what they add up to.

`opinion_state` is the one place that says whether the opinions are complete (mode all: every
required request of the current round agreed, with or without conditions; mode any, 或签: one
agreed) and since when: the arrival of the last required answer (any: of the first agreement).
The gate, the page, the API and the `opinions_complete` event all read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from approvals.opinions.models import AGREEING, Answer, OpinionRequest
from jurisdictions.rules.conditions import evaluate_condition
from jurisdictions.rules.schema import Taker


def opinions_spec(spec):
    """The pack's OpinionsSpec, or None (packs without opinions)."""
    review = getattr(spec, "review", None)
    return getattr(review, "opinions", None)


def applicable_items(opinions, facts: dict) -> list:
    """The pack's items whose `when` holds for the facts; None (facts missing) counts as applying."""
    return [
        item
        for item in opinions.items
        if item.when is None or evaluate_condition(item.when, facts) is not False
    ]


def taker_of(request: OpinionRequest) -> Taker:
    """The body a request went to, as approvals.acting reads it."""
    name = request.giver_name or {"zh": request.department_code or request.role, "en": request.role}
    return Taker(name=name, role=request.role, department=request.department_code or None)


def project_requests(project) -> list[OpinionRequest]:
    """Every request of the project, latest round first, with the people and departments."""
    return list(
        OpinionRequest.objects.filter(project_id=project.pk)
        .select_related("department", "answered_by", "on_behalf_of", "added_by", "requested_by")
        .order_by("-round", "id")
    )


@dataclass
class OpinionState:
    mode: str
    round: int = 0  # the current round (0: never requested)
    current: list[OpinionRequest] = field(default_factory=list)
    earlier: dict[int, list[OpinionRequest]] = field(default_factory=dict)  # round → requests

    @property
    def requested(self) -> bool:
        return self.round > 0

    @property
    def required(self) -> list[OpinionRequest]:
        return [r for r in self.current if r.required]

    @property
    def waiting(self) -> list[OpinionRequest]:
        return [r for r in self.required if r.is_open]

    @property
    def disagreed(self) -> list[OpinionRequest]:
        return [r for r in self.required if r.answer == Answer.DISAGREE]

    @property
    def agreed(self) -> list[OpinionRequest]:
        return [r for r in self.required if r.answer in AGREEING]

    @property
    def added(self) -> list[OpinionRequest]:
        """The signers added (加签) to the current round: each must agree, whatever the mode."""
        return [r for r in self.required if r.is_added]

    @property
    def pack_items(self) -> list[OpinionRequest]:
        return [r for r in self.required if not r.is_added]

    @property
    def blocking(self) -> list[OpinionRequest]:
        """Required requests whose disagreement holds the project up (mode any: only 加签 ones)."""
        rows = self.added if self.mode == "any" else self.required
        return [r for r in rows if r.answer == Answer.DISAGREE]

    @property
    def complete(self) -> bool:
        """mode all: every required request agreed; mode any (或签): one of the pack's did, and every
        signer added (加签) did."""
        if not self.required:
            return False
        if self.mode == "any":
            return any(r.agreed for r in self.pack_items) and all(r.agreed for r in self.added)
        return all(r.agreed for r in self.required)

    @property
    def complete_at(self) -> dt.datetime | None:
        """When the last required opinion arrived (或签: the first agreement, or a later 加签 one)."""
        if not self.complete:
            return None
        if self.mode == "any":
            first = min(r.answered_at for r in self.pack_items if r.agreed)
            return max([first] + [r.answered_at for r in self.added])
        return max(r.answered_at for r in self.required)

    @property
    def complete_date(self) -> dt.date | None:
        at = self.complete_at
        return timezone.localtime(at).date() if at else None

    @property
    def has_open(self) -> bool:
        return any(r.is_open for r in self.current)

    @property
    def answered_any(self) -> bool:
        return any(r.answer for r in self.current)

    @property
    def next_added(self) -> int:
        """The number of the next 加签 request (added-<n>)."""
        numbers = [
            int(r.code.rsplit("-", 1)[1])
            for r in self.current + [r for rows in self.earlier.values() for r in rows]
            if r.is_added and r.code.rsplit("-", 1)[1].isdigit()
        ]
        return max(numbers, default=0) + 1


def opinion_state(requests: list[OpinionRequest], mode: str = "all") -> OpinionState:
    """The rounds of `requests` (any order) and what the current one adds up to."""
    state = OpinionState(mode=mode)
    if not requests:
        return state
    state.round = max(r.round for r in requests)
    state.current = sorted((r for r in requests if r.round == state.round), key=lambda r: r.pk or 0)
    for request in sorted(requests, key=lambda r: (-r.round, r.pk or 0)):
        if request.round != state.round:
            state.earlier.setdefault(request.round, []).append(request)
    return state
