"""The reviewer's inbox (待办 / 已办) gathers work from every kind of record that waits on a person.

Each kind (intake decisions, review steps, expert opinions, department opinions, approval stages)
registers an `InboxSource` in its AppConfig.ready(). A source answers for one user in a number of
queries that does not depend on how many items there are (one or two `values()` queries with the
joins it needs): the inbox page of 10,000 items is asserted to run a constant number of queries.
Items waiting on someone the user stands in for (a Delegation in force) are the user's too, marked
with whom they act for: see approvals.acting.acting_memberships.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class InboxItem:
    kind: str  # the source's kind, e.g. "intake", "review_step", "opinion", "stage"
    key: str  # the source's id for the item (what `decide` receives), unique within the kind
    what: str  # what is to be done, in the reader's language: 「前置审核（蒙东云计算中心）」
    url: str  # the page where it is done
    project_id: int
    project_code: str
    project_title: str
    department: str  # the filing department's name
    amount_wan: Decimal
    since: dt.datetime  # waiting since (or decided at, for 已办)
    due: dt.date | None = None  # the clock, when a rule sets one
    for_whom: str = ""  # the delegator's name when the user would act for them
    batch: tuple[str, ...] = ()  # batch actions this item allows: "approve", "return"
    outcome: str = ""  # for 已办: what was decided, in the reader's language
    extra: dict = field(default_factory=dict)


class InboxSource(Protocol):
    kind: str
    label: str  # the kind as people read it (lazy translation)

    def pending(self, user) -> list[InboxItem]:
        """What waits on the user (or on someone they stand in for today)."""

    def done(self, user) -> list[InboxItem]:
        """What the user decided (most recent first); may be bounded (e.g. the last 500)."""

    def decide(self, user, key: str, action: str, comment: str) -> None:
        """Take `action` ("approve" / "return") on one item, in its own transaction, through the
        record's service: re-checked there; raises govproj.errors.ApplicationError when refused."""


SOURCES: dict[str, InboxSource] = {}


def inbox_source(source: InboxSource) -> InboxSource:
    SOURCES[source.kind] = source
    return source
