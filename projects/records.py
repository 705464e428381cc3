"""What every phase record shares (ARCHITECTURE.md, "Phase records").

- `record_facts`: a record's service stores the derived and decided facts its record decides on the
  project (supervisor engaged, trial run stable since, the approved baseline …), in the record's own
  transaction, so evaluation reads them with no query of its own and lists stay at constant queries.
  The project form and the API still refuse those facts from a person: only records write them.
- `project_section`: a record's section on the project page, registered by its app; the detail view
  renders every registered section in order, after the approval sections.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from projects.models import AuditEvent, Project
from projects.selectors import project_for


def _stored(value: Any) -> Any:
    """A fact value as the project's JSON facts keep it (parse_facts reads it back)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    return value


def record_facts(project: Project, facts: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Store facts a record decides on the (locked) project; a None value removes the fact.

    Returns {name: {"from": old, "to": new}} for each fact that changed (for the audit event);
    saves the project only when something changed. The caller holds the project's row lock.
    """
    stored = dict(project.facts or {})
    changed: dict[str, dict[str, Any]] = {}
    for name, value in facts.items():
        new = _stored(value)
        old = stored.get(name)
        if new is None:
            if name in stored:
                del stored[name]
                changed[name] = {"from": old, "to": None}
        elif old != new:
            stored[name] = new
            changed[name] = {"from": old, "to": new}
    if changed:
        project.facts = stored
        project.save(update_fields=["facts", "version", "updated_at"])
    return changed


def locked_project(actor, project_id) -> Project:
    """The project the actor may see, its row locked for the record's transaction (else NotFound: 404)."""
    visible = project_for(
        actor, project_id
    )  # another tenant's project (or none): 404 before anything is locked
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("jurisdiction", "rule_pack", "department")
        .get(pk=visible.pk)
    )


def record_event(project: Project, actor, action: str, comment: str = "", **changes) -> AuditEvent:
    """The record's audit event on the project's chain, with the rule-pack version it is pinned to."""
    return AuditEvent.objects.record(
        project,
        actor,
        action,
        from_phase=project.phase,
        comment=comment,
        rule_pack=project.rule_pack,
        changes=changes,
    )


# ---------------------------------------------------------------------------- project page sections


@dataclass(frozen=True)
class Section:
    """A phase record's card on the project page: its template and the context it needs."""

    order: int
    template: str
    context: Callable[..., dict[str, Any] | None]


SECTIONS: list[Section] = []


def project_section(order: int, template: str):
    """Register fn(user, project, *, pack, verdicts, events) -> context dict (None: nothing to show).

    The template is included with the page's context plus the returned dict; keep the dict's keys
    the record's own (e.g. {"construction": …}) so sections never overwrite one another.
    """

    def register(fn):
        SECTIONS.append(Section(order, template, fn))
        SECTIONS.sort(key=lambda s: s.order)
        return fn

    return register


def record_sections(user, project: Project, *, pack, verdicts, events) -> tuple[dict[str, Any], list[str]]:
    """The context of every registered section with something to show, and their templates in order."""
    context: dict[str, Any] = {}
    templates: list[str] = []
    for section in SECTIONS:
        found = section.context(user, project, pack=pack, verdicts=verdicts, events=events)
        if found is None:
            continue
        context.update(found)
        templates.append(section.template)
    return context, templates
