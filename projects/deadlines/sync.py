"""Keeping a project's stored deadlines in step with its records (issue 11 §1).

`deadline_values` is pure: the pack's deadline and window verdicts in, the rows' values out.
`deadlines_sync` writes them for one project in a transaction on its locked row, so two syncs of one
project never interleave: new rules' rows are created, changed ones updated, rows whose rule no
longer gives a date deleted — except a waived row, which keeps its waiver. It runs after commit of
every transaction that wrote an audit event for the project (hooks.py), as a Celery task.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from jurisdictions.models import Department
from jurisdictions.rules.engine import Outcome, Verdict
from projects.deadlines.models import Deadline, DeadlineStatus
from projects.models import Phase, Project
from projects.selectors import project_verdicts

KINDS = ("deadline", "window")
# A project that ended owes nothing more.
ENDED = frozenset({Phase.REJECTED, Phase.TERMINATED, Phase.DECOMMISSIONED})
STAFF = "department_staff"
FIELDS = (
    "kind",
    "article",
    "title_zh",
    "title_en",
    "message_zh",
    "message_en",
    "opens_on",
    "due_date",
    "done_on",
    "status",
    "certain",
    "remind",
    "responsible_role",
    "responsible_department_id",
    "responsible_name",
    "rule_pack_id",
)


@dataclass(frozen=True)
class Responsible:
    role: str
    department_id: int | None
    name: str


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _status(verdict: Verdict, done: dt.date | None) -> str:
    if done is not None:
        return DeadlineStatus.MET
    return DeadlineStatus.OVERDUE if verdict.outcome is Outcome.FAIL else DeadlineStatus.OPEN


def _message(verdict: Verdict, due: dt.date) -> tuple[str, str]:
    try:
        zh = verdict.message.zh.format(due_date=due.isoformat())
        en = verdict.message.en.format(due_date=due.isoformat())
    except (KeyError, IndexError, ValueError):
        zh, en = verdict.message.zh, verdict.message.en
    return zh[:500], en[:500]


def deadline_values(verdicts, rules: dict, responsible_of) -> dict[str, dict[str, Any]]:
    """{rule_id: row values} for every deadline or window verdict that gives a date."""
    rows: dict[str, dict[str, Any]] = {}
    for verdict in verdicts:
        if verdict.kind not in KINDS or verdict.outcome in (Outcome.UNKNOWN, Outcome.NOT_APPLICABLE):
            continue
        data = verdict.data or {}
        due = _date(data.get("due_date") if verdict.kind == "deadline" else data.get("closes_on"))
        if due is None:
            continue
        rule = rules.get(verdict.rule_id)
        who = responsible_of(getattr(rule, "responsible", None))
        done = _date(data.get("done_on"))
        zh, en = _message(verdict, due)
        rows[verdict.rule_id] = {
            "kind": verdict.kind,
            "article": verdict.citation.get("article", "")[:40],
            "title_zh": verdict.title.zh[:200],
            "title_en": verdict.title.en[:200],
            "message_zh": zh,
            "message_en": en,
            "opens_on": _date(data.get("opens_on")),
            "due_date": due,
            "done_on": done,
            "status": _status(verdict, done),
            "certain": not data.get("calendar_unknown_years"),
            "remind": bool(getattr(rule, "remind", True)),
            "responsible_role": who.role,
            "responsible_department_id": who.department_id,
            "responsible_name": who.name[:100],
        }
    return rows


def _responsible_of(project: Project):
    departments: dict[str, int | None] = {}

    def responsible(taker) -> Responsible:
        if taker is None:
            name = project.department.name if project.department else ""
            return Responsible(STAFF, project.department_id, name)
        if taker.department and taker.department not in departments:
            departments[taker.department] = (
                Department.objects.filter(jurisdiction_id=project.jurisdiction_id, code=taker.department)
                .values_list("pk", flat=True)
                .first()
            )
        return Responsible(taker.role, departments.get(taker.department), taker.name.zh)

    return responsible


@transaction.atomic
def deadlines_sync(project_id: int, *, today: dt.date | None = None) -> dict[str, int]:
    """Bring the project's stored deadlines in step with its records; the counts of what changed."""
    project = (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "department", "rule_pack")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        return {"created": 0, "updated": 0, "deleted": 0}
    existing = {row.rule_id: row for row in Deadline.objects.filter(project=project)}
    wanted: dict[str, dict[str, Any]] = {}
    if project.phase not in ENDED:
        pack, verdicts = project_verdicts(project, as_of=today or timezone.localdate())
        rules = {rule.id: rule for rule in pack.spec.rules}
        wanted = deadline_values(verdicts, rules, _responsible_of(project))
        for values in wanted.values():
            values["rule_pack_id"] = pack.pk
    created, changed = [], []
    for rule_id, values in wanted.items():
        row = existing.pop(rule_id, None)
        if row is None:
            created.append(
                Deadline(project=project, jurisdiction_id=project.jurisdiction_id, rule_id=rule_id, **values)
            )
            continue
        if row.status == DeadlineStatus.WAIVED:
            values["status"] = DeadlineStatus.WAIVED
        if any(getattr(row, name) != values[name] for name in FIELDS):
            for name in FIELDS:
                setattr(row, name, values[name])
            if row.status != DeadlineStatus.OVERDUE:
                row.escalated_at = None
            row.updated_at = timezone.now()
            changed.append(row)
    gone = [
        row.pk for row in existing.values() if row.status != DeadlineStatus.WAIVED or project.phase in ENDED
    ]
    Deadline.objects.bulk_create(created)
    if changed:
        Deadline.objects.bulk_update(changed, [*FIELDS, "escalated_at", "updated_at"])
    if gone:
        Deadline.objects.filter(pk__in=gone).delete()
    return {"created": len(created), "updated": len(changed), "deleted": len(gone)}
