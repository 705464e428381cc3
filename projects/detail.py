"""The project page as people read it: what it needs next, every rule by phase, the timeline in words.

Pure composition over what the detail view has read already (the project, its verdicts, its
events, its pack): no queries here, so the page's query count does not depend on its history.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.reviews.selectors import timeline_details as review_timeline_details
from govproj.i18n import english, in_language
from jurisdictions.rules.engine import BLOCKING, Verdict
from jurisdictions.rules.facts import FACT_VALUE_LABELS, FACTS, fact_label
from projects.models import TRANSITION_LABELS, FundingSource, Phase, Project
from projects.nudges.selectors import timeline_details as nudge_timeline_details

# The rule phases in the order a project meets them, as people call them.
RULE_PHASES = (
    ("scope", gettext_lazy("Scope of the measure")),
    ("intake", gettext_lazy("Declaration and project library")),
    ("review", gettext_lazy("Review")),
    ("approval", gettext_lazy("Approval")),
    ("construction", gettext_lazy("Construction")),
    ("change", gettext_lazy("Changes")),
    ("acceptance", gettext_lazy("Acceptance")),
    ("evaluation", gettext_lazy("Evaluation")),
    ("om_funding", gettext_lazy("O&M funding")),
    ("decommission", gettext_lazy("Decommissioning")),
)
RULE_PHASE_INDEX = {code: index for index, (code, _label) in enumerate(RULE_PHASES)}
# How far along the rule phases a project in each master phase is: rules of a later phase are not
# yet its business and never show as failures. A finished or stopped project is judged on all.
_LAST = len(RULE_PHASES) - 1
REACHED = {
    Phase.DRAFT: RULE_PHASE_INDEX["intake"],
    Phase.DECLARED: RULE_PHASE_INDEX["intake"],
    Phase.RETURNED: RULE_PHASE_INDEX["intake"],
    Phase.IN_LIBRARY: RULE_PHASE_INDEX["intake"],
    Phase.PLANNED: RULE_PHASE_INDEX["review"],
    Phase.IN_REVIEW: RULE_PHASE_INDEX["approval"],
    Phase.REJECTED: _LAST,
    Phase.APPROVED: RULE_PHASE_INDEX["construction"],
    Phase.IN_CONSTRUCTION: RULE_PHASE_INDEX["change"],
    Phase.SUSPENDED: RULE_PHASE_INDEX["change"],
    Phase.TRIAL_OPERATION: RULE_PHASE_INDEX["change"],
    Phase.IN_ACCEPTANCE: RULE_PHASE_INDEX["acceptance"],
    Phase.IN_OPERATION: _LAST,
    Phase.TERMINATED: _LAST,
    Phase.DECOMMISSIONED: _LAST,
}

PAST_INTAKE = frozenset(REACHED) - {Phase.DRAFT, Phase.DECLARED, Phase.RETURNED, Phase.REJECTED}

OUTCOME_ORDER = {"fail": 0, "required": 1, "unknown": 2, "info": 3, "pass": 4, "not_applicable": 5}
OUTCOME_LABELS = {
    "fail": gettext_lazy("Not met"),
    "required": gettext_lazy("Action required"),
    "unknown": gettext_lazy("Facts missing"),
    "info": gettext_lazy("For information"),
    "pass": gettext_lazy("Met"),
    "not_applicable": gettext_lazy("Not applicable"),
    "later": gettext_lazy("Applies at a later phase"),
}


def _said(verdict: Verdict) -> dict[str, Any]:
    """A verdict as the page shows it: its words in the reader's language and its article."""
    documents = [
        document["name_en" if english() else "name_zh"] for document in verdict.data.get("missing", []) or []
    ]
    return {
        "rule_id": verdict.rule_id,  # only under the page's "details" toggle
        "title": in_language(verdict.title),
        "message": in_language(verdict.message),
        "article": verdict.citation.get("article", ""),
        "citation": verdict.citation.get("text", ""),
        "outcome": verdict.outcome.value,
        "outcome_label": OUTCOME_LABELS.get(verdict.outcome.value, ""),
        "documents": documents,
    }


# The rule phase each master transition belongs to: a rule that only blocks transitions of a
# phase the project has not reached (不得未批先建 blocks starting construction) is a later matter.
TRANSITION_STAGE = {
    "declare": "intake",
    "resubmit": "intake",
    "withdraw": "intake",
    "return_for_revision": "intake",
    "enter_library": "intake",
    "plan": "intake",
    "submit_for_review": "review",
    "approve": "approval",
    "reject": "approval",
    "start_construction": "construction",
    "suspend": "construction",
    "resume": "construction",
    "start_trial_operation": "construction",
    "apply_for_acceptance": "acceptance",
    "accept": "acceptance",
    "terminate": "scope",
    "decommission": "decommission",
}


def is_later(project: Project, verdict: Verdict) -> bool:
    """Whether the rule is a matter of a phase the project has not reached yet."""
    reached = REACHED.get(project.phase, _LAST)
    if RULE_PHASE_INDEX.get(verdict.phase, 0) > reached:
        return True
    stages = [RULE_PHASE_INDEX[TRANSITION_STAGE[name]] for name in verdict.blocks if name in TRANSITION_STAGE]
    return bool(stages) and min(stages) > reached


def is_past(project: Project, verdict: Verdict) -> bool:
    """Whether the rule is a matter of intake on a project already in the library (history, not a to-do)."""
    return project.phase in PAST_INTAKE and verdict.phase in ("scope", "intake")


def next_steps(
    project: Project, verdicts: list[Verdict], possible: list[str], owed: dict[str, list] | None = None
) -> dict[str, Any]:
    """What blocks each step the project's state allows now (first), then what is still open.

    `possible`: the transitions its state allows, whoever may take them. A verdict blocking
    several steps is said once, under the first. Matters of later phases are left out.
    `owed`: for each transition, what its phase records still owe (projects.gates).
    """
    blocking: list[dict[str, Any]] = []
    seen: set[str] = set()
    for name in possible:
        reasons = [_said(v) for v in verdicts if v.blocks_transition(name) and v.rule_id not in seen]
        reasons += [gate.said() for gate in (owed or {}).get(name, ()) if gate.said()["rule_id"] not in seen]
        seen.update(r["rule_id"] for r in reasons)
        if reasons:
            label = TRANSITION_LABELS.get(name, name)
            blocking.append({"transition": name, "label": label, "reasons": reasons})
    open_now = [
        _said(v)
        for v in sorted(verdicts, key=lambda v: (OUTCOME_ORDER[v.outcome.value], v.rule_id))
        if v.outcome in BLOCKING
        and v.rule_id not in seen
        and not is_later(project, v)
        and not is_past(project, v)
    ]
    stopped = {step["transition"] for step in blocking}
    ready = [str(TRANSITION_LABELS.get(name, name)) for name in possible if name not in stopped]
    return {"blocking": blocking, "open": open_now, "ready": ready}


def rules_by_phase(project: Project, verdicts: list[Verdict]) -> list[dict[str, Any]]:
    """Every rule of the pack, grouped by phase in the order a project meets them.

    Rules of a phase the project has not reached (or that only block its later steps) say so
    instead of "not met".
    """
    reached = REACHED.get(project.phase, _LAST)
    groups = []
    for code, label in RULE_PHASES:
        rows = []
        for verdict in sorted(
            (v for v in verdicts if v.phase == code),
            key=lambda v: (OUTCOME_ORDER[v.outcome.value], v.rule_id),
        ):
            row = _said(verdict)
            if verdict.outcome.value != "not_applicable" and is_later(project, verdict):
                row["outcome"], row["outcome_label"] = "later", OUTCOME_LABELS["later"]
            rows.append(row)
        if rows:
            groups.append(
                {
                    "code": code,
                    "label": label,
                    "later": RULE_PHASE_INDEX[code] > reached,
                    "rows": rows,
                }
            )
    return groups


# ------------------------------------------------------------------------------------ timeline

FIELD_LABELS = {  # as the project form names them
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "category": gettext_lazy("Category"),
    "total_investment_wan": gettext_lazy("Total investment (10k CNY)"),
    "funding_source": gettext_lazy("Funding source"),
    "year": gettext_lazy("Plan year"),
}
FUNDING_LABELS = dict(FundingSource.choices)


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _who(user, changes: dict) -> str:
    """The actor, or 「受托人（代委托人）」 when they acted as someone's delegate."""
    behalf = changes.get("on_behalf_of")
    if isinstance(behalf, dict) and behalf.get("name"):
        return f"{_person(user)}（代{behalf['name']}）"
    return _person(user)


def _fact_value(name: str, value: Any) -> str:
    if value is None:
        return _("not given")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    words = FACT_VALUE_LABELS.get(name, {}).get(str(value))
    if words:
        return words[1] if english() else words[0]
    return str(value)


def _amount(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return _("%(amount)s (10k CNY)") % {"amount": f"{number:,.2f}"}


def _field_value(name: str, value: Any, categories: dict[str, str]) -> str:
    if name == "total_investment_wan":
        return _amount(value)
    if name == "funding_source":
        return str(FUNDING_LABELS.get(value, value))
    if name == "category":
        return categories.get(value, str(value))
    return str(value) if value not in (None, "") else _("(empty)")


def _changes(changes: dict[str, Any], categories: dict[str, str]) -> list[str]:
    """An edit's field diffs in words: 「总投资」由 100.00 万元 改为 80.00 万元."""
    lines = []
    for name, change in changes.items():
        if not isinstance(change, dict) or not {"from", "to"} <= change.keys():
            continue
        if name == "facts":
            before, after = change["from"], change["to"]
            if not (isinstance(before, dict) and isinstance(after, dict)):
                lines.append(_("the answers on the project form were changed"))
                continue
            for fact in sorted(set(before) | set(after)):
                if before.get(fact) != after.get(fact) and fact in FACTS:
                    lines.append(
                        _("“%(field)s” from %(before)s to %(after)s")
                        % {
                            "field": fact_label(fact, english=english()),
                            "before": _fact_value(fact, before.get(fact)),
                            "after": _fact_value(fact, after.get(fact)),
                        }
                    )
            continue
        label = FIELD_LABELS.get(name)
        if label is None:
            continue
        lines.append(
            _("“%(field)s” from %(before)s to %(after)s")
            % {
                "field": label,
                "before": _field_value(name, change["from"], categories),
                "after": _field_value(name, change["to"], categories),
            }
        )
    return lines


def _document_line(changes: dict[str, Any], documents: dict[str, str]) -> list[str]:
    code = changes.get("document")
    if not code:
        return []
    return [
        _("%(document)s, version %(version)s (%(file)s)")
        % {
            "document": documents.get(code, code),
            "version": changes.get("version", ""),
            "file": changes.get("file", ""),
        }
    ]


def timeline(events, pack) -> list[dict[str, Any]]:
    """Each event as a sentence: who (by name), what they did, and what changed, newest last."""
    spec = pack.spec
    categories = {c.code: in_language(c.name) for c in spec.categories}
    documents = {d.code: in_language(d.name) for d in spec.documents}
    entries = []
    for event in events:
        changes = event.changes if isinstance(event.changes, dict) else {}
        if event.action in ("update", "admin_edit"):
            details = _changes(changes, categories)
        elif event.action in ("document_upload", "document_reject"):
            details = _document_line(changes, documents)
        elif event.action == "nudge":  # 催办: the deadline it is about, who was told
            details = nudge_timeline_details(changes)
        else:
            details = review_timeline_details(event.action, changes, spec)  # [] for other events
        entries.append(
            {
                "event": event,
                "who": _who(event.actor, changes),
                "what": event.action_label,
                "moved": event.from_phase != event.to_phase and bool(event.to_phase),
                "details": details,
                "verdicts": [
                    {**v, "outcome_label": OUTCOME_LABELS.get(v.get("outcome"), "")}
                    for v in (event.verdicts or [])
                ],
            }
        )
    return entries
