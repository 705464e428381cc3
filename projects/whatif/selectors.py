"""规则推演 what-if replay (issue 13 §4): a project's facts, changed, under another version or day.

Nothing here writes. The project's facts are read once (`project_facts`), the changes laid over
them as a JSON merge patch (a fact set to None is unknown), and the engine runs twice: on the
facts as they are, under the pack the project page uses today, and on the changed facts under
the chosen version and day. What differs — each rule's outcome, each transition blocked or freed —
is what the person came to see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from govproj.errors import ValidationFailed
from govproj.i18n import english, in_language
from jurisdictions.models import RulePack, in_force
from jurisdictions.rules import FactError, evaluate, measure_status, parse_facts
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.facts import FACT_VALUE_LABELS, FACTS, fact_label
from jurisdictions.rules.reads import facts_read
from jurisdictions.rules.schema import NegativeListRule, RulePackSpec
from jurisdictions.selectors import working_calendar
from projects import detail
from projects.models import TRANSITION_LABELS, FundingSource, Project
from projects.selectors import available_transitions, project_facts


def _fixed_choices() -> dict[str, list[tuple[str, Any]]]:
    from acceptance.evaluation.models import Rating
    from budgets.changes.models import ChangeReason

    return {
        "funding_source": FundingSource.choices,
        "change_reason": ChangeReason.choices,
        "performance_rating": Rating.choices,
    }


# The words for the fixed vocabularies of string facts (the records that decide them name them so).
FIXED_CHOICES = _fixed_choices()


def pack_versions(project: Project) -> list[RulePack]:
    """Every version of the project's jurisdiction's pack, newest first (content deferred: one query)."""
    return list(
        RulePack.objects.filter(jurisdiction_id=project.jurisdiction_id).defer("content").order_by("-version")
    )


def version_label(pack: RulePack) -> str:
    """「第 N 版（自 YYYY-MM-DD 起）」."""
    return _("Version %(version)s (from %(day)s)") % {"version": pack.version, "day": pack.effective_from}


def chosen_pack(project: Project, versions: list[RulePack], version: int | None, as_of: dt.date) -> RulePack:
    """The version asked for; else the pinned one; else (not declared yet) the one in force on `as_of`."""
    if version is not None:
        found = next((pack for pack in versions if pack.version == version), None)
        if found is None:
            raise ValidationFailed(
                _("No version %(version)s of this jurisdiction's rule pack.") % {"version": version},
                extra={"errors": {"version": [_("No such version.")]}},
            )
        return found
    if project.rule_pack_id:
        return next((p for p in versions if p.pk == project.rule_pack_id), None) or project.rule_pack
    return in_force(versions, as_of)


def fact_problems(exc: FactError) -> list[dict[str, Any]]:
    """FactError's problems, each with the fact's name as people call it (Chinese and English)."""
    return [
        {
            **problem,
            "label": {"zh": fact_label(problem["fact"]), "en": fact_label(problem["fact"], english=True)},
        }
        for problem in exc.problems
    ]


def invalid_facts(exc: FactError) -> ValidationFailed:
    """A 400 naming each invalid fact by its label: 「以下事实无效：总投资（万元）」."""
    problems = fact_problems(exc)
    names = "、".join(dict.fromkeys(p["label"]["en" if english() else "zh"] for p in problems))
    return ValidationFailed(
        _("These facts are not valid: %(facts)s") % {"facts": names}, extra={"errors": {"facts": problems}}
    )


def merged_facts(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The current facts with `changes` laid over them (None: the fact becomes unknown); FactError if bad."""
    parsed = parse_facts(changes)
    facts = dict(current)
    for name, value in parsed.items():
        if value is None:
            facts.pop(name, None)
        else:
            facts[name] = value
    return facts


def changed_facts(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """The facts whose value differs, in the vocabulary's order."""
    return [name for name in FACTS if before.get(name) != after.get(name)]


def blocked_transitions(verdicts: list[Verdict]) -> dict[str, list[str]]:
    """Each transition the verdicts block, with the ids of the rules that block it (as the evaluate API)."""
    blocked: dict[str, list[str]] = {}
    for verdict in verdicts:
        for name in verdict.blocks:
            if verdict.blocks_transition(name):
                blocked.setdefault(name, []).append(verdict.rule_id)
    return blocked


def facts_by_phase(spec: RulePackSpec) -> list[tuple[str, str, tuple[str, ...]]]:
    """(phase code, phase label, facts) for the facts the pack's rules read, each under the phase of
    the first rule that reads it, in the order a project meets the phases."""
    placed: set[str] = set()
    groups = []
    for code, label in detail.RULE_PHASES:
        names = tuple(
            name for name in facts_read(spec, phases=[code]) if name in FACTS and name not in placed
        )
        placed.update(names)
        if names:
            groups.append((code, str(label), names))
    return groups


@dataclass
class Replay:
    """The verdicts as they are and as they would be, and what differs."""

    project: Project
    as_of: dt.date
    pack: RulePack  # the version replayed
    current_pack: RulePack  # the version the project page uses today
    facts: dict[str, Any]
    current_facts: dict[str, Any]
    verdicts: list[Verdict]
    current_verdicts: list[Verdict]
    changed: list[str] = field(default_factory=list)  # facts changed

    @property
    def measure(self) -> dict[str, Any]:
        return measure_status(self.pack.spec, self.as_of)

    @property
    def blocked(self) -> dict[str, list[str]]:
        return blocked_transitions(self.verdicts)

    @property
    def current_blocked(self) -> dict[str, list[str]]:
        return blocked_transitions(self.current_verdicts)

    def differences(self) -> list[dict[str, Any]]:
        """Each rule whose outcome differs (or that only one of the two versions has), in the new order."""
        before = {v.rule_id: v for v in self.current_verdicts}
        after = {v.rule_id: v for v in self.verdicts}
        rows = []
        for rule_id in [*after, *(r for r in before if r not in after)]:
            old, new = before.get(rule_id), after.get(rule_id)
            if old is not None and new is not None and old.outcome == new.outcome:
                continue
            shown = new or old
            rows.append(
                {
                    "rule_id": rule_id,
                    "title": {"zh": shown.title.zh, "en": shown.title.en},
                    "article": shown.citation.get("article", ""),
                    "before": old.outcome.value if old else None,
                    "after": new.outcome.value if new else None,
                    "message": {"zh": new.message.zh, "en": new.message.en} if new else None,
                }
            )
        return rows

    def transitions(self) -> list[dict[str, Any]]:
        """Each transition blocked before or after: blocked now, freed, or blocked as before."""
        before, after = self.current_blocked, self.blocked
        titles = {v.rule_id: v for v in self.verdicts}
        rows = []
        for name in TRANSITION_LABELS:
            if name not in before and name not in after:
                continue
            rows.append(
                {
                    "transition": name,
                    "label": str(TRANSITION_LABELS[name]),
                    "before": name in before,
                    "after": name in after,
                    "change": (
                        "blocked" if name not in before else "unblocked" if name not in after else "unchanged"
                    ),
                    "reasons": [
                        {
                            "title": in_language(titles[rule_id].title),
                            "article": titles[rule_id].citation.get("article", ""),
                        }
                        for rule_id in after.get(name, [])
                    ],
                }
            )
        return rows


def replay(
    project: Project,
    *,
    changes: Mapping[str, Any] | None = None,
    version: int | None = None,
    as_of: dt.date | None = None,
    versions: list[RulePack] | None = None,
    facts: dict[str, Any] | None = None,
) -> Replay:
    """The project's verdicts with `changes` to its facts, under `version` (default: as the project
    page) on `as_of` (default today), beside its verdicts now. Raises ValidationFailed (400) naming
    an invalid fact by its label or an unknown version.

    `versions` (`pack_versions`) and `facts` (`project_facts`): when the caller has read them.
    """
    today = timezone.localdate()
    as_of = as_of or today
    versions = versions if versions is not None else pack_versions(project)
    current = facts if facts is not None else project_facts(project)
    try:
        changed = merged_facts(current, changes or {})
    except FactError as exc:
        raise invalid_facts(exc) from exc
    pack = chosen_pack(project, versions, version, as_of)
    current_pack = chosen_pack(project, versions, None, today)
    calendar = working_calendar(project.jurisdiction_id)
    return Replay(
        project=project,
        as_of=as_of,
        pack=pack,
        current_pack=current_pack,
        facts=changed,
        current_facts=current,
        verdicts=evaluate(pack.spec, changed, as_of=as_of, calendar=calendar, parsed=True),
        current_verdicts=evaluate(current_pack.spec, current, as_of=today, calendar=calendar, parsed=True),
        changed=changed_facts(current, changed),
    )


def shown_value(name: str, value: Any, spec: RulePackSpec) -> str:
    """A fact's value as a person reads it: 是 / 否 / 未知, a date, an amount, names for codes."""
    if value is None:
        return _("not known")
    if value is True or value is False:
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    choices = value_choices(name, spec)
    if isinstance(value, frozenset | set | list | tuple):
        ordered = [code for code in choices if code in value] + sorted(set(value) - set(choices))
        return "、".join(choices.get(code, code) for code in ordered) or _("none")
    if isinstance(value, Mapping):
        return "；".join(
            f"{choices.get(code, code)}：{_('yes') if applies else _('no')}"
            for code, applies in sorted(value.items())
        ) or _("none")
    return choices.get(str(value), str(value))


def value_choices(name: str, spec: RulePackSpec) -> dict[str, str]:
    """The words for a fact's coded values: categories, documents, negative-list items, fixed vocabularies."""
    if name == "category":
        return {c.code: in_language(c.name) for c in spec.categories}
    if name == "documents":
        return {d.code: in_language(d.name) for d in spec.documents}
    if name == "negative_list_answers":
        return {item.code: f"{item.clause}{in_language(item.text)}" for item in negative_list_items(spec)}
    words = FACT_VALUE_LABELS.get(name)
    if words:
        return {code: (en if english() else zh) for code, (zh, en) in words.items()}
    fixed = FIXED_CHOICES.get(name)
    return {code: str(label) for code, label in fixed} if fixed else {}


def negative_list_items(spec: RulePackSpec) -> list:
    """The negative-list items of the pack's screening rules, each once, in the pack's order."""
    seen: dict[str, Any] = {}
    for rule in spec.rules:
        if isinstance(rule, NegativeListRule):
            for item in rule.items:
                seen.setdefault(item.code, item)
    return list(seen.values())


def result_view(result: Replay, user) -> dict[str, Any]:
    """What the page shows of a replay: the rules by phase with what changed, the transitions, the facts."""
    before = {v.rule_id: v.outcome.value for v in result.current_verdicts}
    differences = result.differences()
    differing = {row["rule_id"] for row in differences}
    groups = detail.rules_by_phase(result.project, result.verdicts)
    for group in groups:
        group["changed"] = 0
        for row in group["rows"]:
            old = before.get(row["rule_id"])
            row["changed"] = row["rule_id"] in differing
            row["before_label"] = detail.OUTCOME_LABELS.get(old, "") if old else _("not in that version")
            group["changed"] += row["changed"]
    for row in differences:
        row["title_shown"] = in_language(row["title"])
        row["message_shown"] = in_language(row["message"]) if row["message"] else ""
        row["before_label"] = detail.OUTCOME_LABELS.get(row["before"], "") if row["before"] else ""
        row["after_label"] = detail.OUTCOME_LABELS.get(row["after"], "") if row["after"] else ""
    possible = set(available_transitions(result.project))
    transitions = result.transitions()
    for row in transitions:
        row["now"] = row["transition"] in possible
    transitions.sort(key=lambda row: (not row["now"], row["change"] == "unchanged"))
    spec = result.pack.spec
    return {
        "facts": [
            {
                "label": fact_label(name, english=english()),
                "before": shown_value(name, result.current_facts.get(name), spec),
                "after": shown_value(name, result.facts.get(name), spec),
            }
            for name in result.changed
        ],
        "groups": groups,
        "differences": differences,
        "transitions": transitions,
        "measure": result.measure,
        "measure_message": in_language(result.measure["message"]),
        "pack_label": version_label(result.pack),
        "pack": result.pack,
        "as_of": result.as_of,
    }
