"""What changed between two versions of a rule pack (or a draft and the version it was based on).

Works on stored content (plain JSON), rule by rule: rules are matched by id, so a rule that was
edited shows its changed fields (「阈值 200 万元 → 100 万元」), not a removal and an addition. The
other parts of a pack (the measure, the edition, documents, categories, settings, the review
procedure) are compared field by field the same way. Labels and values are said in the active
language (Chinese first): no fact code, rule id or YAML key reaches a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govproj.i18n import english, in_language
from jurisdictions.rules.facts import FACT_VALUE_LABELS, fact_label
from jurisdictions.rules.schema import cited_article
from projects.detail import OUTCOME_LABELS, RULE_PHASES
from projects.models import TRANSITION_LABELS, FundingSource

# What a field of a pack is called on a page. One dict for every part of a pack: a key means the
# same wherever it appears (the few that differ by place are in PLACE_LABELS).
FIELD_LABELS = {
    "kind": gettext_lazy("Kind of rule"),
    "phase": gettext_lazy("Phase"),
    "title": gettext_lazy("Title of the rule"),
    "citation": gettext_lazy("Article cited"),
    "article": gettext_lazy("Article"),
    "clause": gettext_lazy("Clause"),
    "quote": gettext_lazy("Words of the article"),
    "message": gettext_lazy("Message when not met"),
    "pass_message": gettext_lazy("Message when met"),
    "applies_when": gettext_lazy("Applies when"),
    "blocks": gettext_lazy("Transitions it stops"),
    "effect": gettext_lazy("Effect"),
    "note": gettext_lazy("Note"),
    "switched_off": gettext_lazy("Switched off"),
    "fact": gettext_lazy("Fact"),
    "op": gettext_lazy("Comparison"),
    "value": gettext_lazy("Threshold"),
    "when_met": gettext_lazy("Outcome when met"),
    "when_not_met": gettext_lazy("Outcome when not met"),
    "stage": gettext_lazy("Stage"),
    "track": gettext_lazy("Approval track"),
    "documents": gettext_lazy("Documents"),
    "outcome_if_missing": gettext_lazy("Outcome when documents are missing"),
    "items": gettext_lazy("List items"),
    "text": gettext_lazy("Text"),
    "anchor": gettext_lazy("Counted from"),
    "latest_of": gettext_lazy("Counted from the latest of"),
    "offset": gettext_lazy("Time limit"),
    "fixed": gettext_lazy("Fixed day"),
    "since": gettext_lazy("Owed from"),
    "done_fact": gettext_lazy("Met on"),
    "extension": gettext_lazy("Extension"),
    "applied_fact": gettext_lazy("Applied for on"),
    "new_due_fact": gettext_lazy("New due date"),
    "responsible": gettext_lazy("Responsible"),
    "remind": gettext_lazy("Reminders"),
    "opens": gettext_lazy("Opens"),
    "closes": gettext_lazy("Closes"),
    "condition": gettext_lazy("Condition"),
    "when_true": gettext_lazy("Outcome when the condition holds"),
    "when_false": gettext_lazy("Outcome when it does not"),
    "excludes_measure": gettext_lazy("Puts the project outside the measure"),
    "max_ratio": gettext_lazy("Ratio limit"),
    "new_content_max_ratio": gettext_lazy("New content ratio limit"),
    "new_content_max_wan": gettext_lazy("New content amount limit"),
    "exclude_tender_savings": gettext_lazy("Tender savings not counted"),
    "adjustment_basis": gettext_lazy("How the adjustment is counted"),
    "only_before_procurement": gettext_lazy("Only before procurement"),
    "requires_goal_unchanged": gettext_lazy("Goal must stay unchanged"),
    "requires_within_estimate": gettext_lazy("Must stay within the estimate"),
    "allowed_reasons": gettext_lazy("Allowed reasons"),
    "route_within": gettext_lazy("Route within the limit"),
    "route_beyond": gettext_lazy("Route beyond the limit"),
    "options": gettext_lazy("Track options"),
    "name": gettext_lazy("Name of the item"),
    "when": gettext_lazy("Condition"),
    "stages": gettext_lazy("Stages"),
    "base_fact": gettext_lazy("Base"),
    "code": gettext_lazy("Code"),
    # the measure and the edition
    "document_number": gettext_lazy("Document number"),
    "issuer": gettext_lazy("Issued by"),
    "published": gettext_lazy("Published on"),
    "effective_from": gettext_lazy("Effective from"),
    "effective_to": gettext_lazy("Effective to"),
    "validity": gettext_lazy("Period of validity"),
    "source": gettext_lazy("Source"),
    "level": gettext_lazy("Level"),
    "parent": gettext_lazy("Parent jurisdiction"),
    # the review procedure
    "steps": gettext_lazy("Review steps"),
    "opinions": gettext_lazy("Department opinions"),
    "approval": gettext_lazy("Approval"),
    "before": gettext_lazy("Before"),
    "taker": gettext_lazy("Taken by"),
    "ways": gettext_lazy("Ways"),
    "role": gettext_lazy("Role"),
    "department": gettext_lazy("Department"),
    "decider": gettext_lazy("Decided by"),
    "clock_rule": gettext_lazy("Decision clock"),
    "track_rule": gettext_lazy("Track rule"),
    "ceilings": gettext_lazy("Ceilings"),
    "over": gettext_lazy("Over"),
    "fields": gettext_lazy("Fields"),
    "rounds": gettext_lazy("Rounds"),
    "amount": gettext_lazy("Amount"),
    "unit": gettext_lazy("Unit"),
    "month": gettext_lazy("Month"),
    "day": gettext_lazy("Day"),
    "year_offset": gettext_lazy("Years after"),
    "optional": gettext_lazy("Optional"),
}
# Where a key means something else: the edition's note is the change note.
PLACE_LABELS = {
    ("edition", "note"): gettext_lazy("Change note"),
    ("edition", "effective_from"): gettext_lazy("Version applies from"),
    ("edition", "effective_to"): gettext_lazy("Version applies to"),
    ("measure", "title"): gettext_lazy("Title of the measure"),
}
SECTION_LABELS = {
    "jurisdiction": gettext_lazy("Jurisdiction"),
    "measure": gettext_lazy("Measure"),
    "edition": gettext_lazy("Edition"),
    "categories": gettext_lazy("Categories"),
    "documents": gettext_lazy("Documents"),
    "settings": gettext_lazy("Settings"),
    "review": gettext_lazy("Review and approval procedure"),
}
SECTIONS = tuple(SECTION_LABELS)
ORDERED_OPS = {"gt", "gte", "lt", "lte"}
OP_SIGNS = {"gt": "＞", "gte": "≥", "lt": "＜", "lte": "≤", "eq": "＝", "ne": "≠"}
UNIT_LABELS = {
    "calendar_days": gettext_lazy("days"),
    "working_days": gettext_lazy("working days"),
    "months": gettext_lazy("months"),
    "years": gettext_lazy("years"),
}
ROLE_LABELS = {
    "reviewer": gettext_lazy("Reviewer"),
    "expert": gettext_lazy("Expert"),
    "security_reviewer": gettext_lazy("Security reviewer"),
    "finance_officer": gettext_lazy("Finance officer"),
    "jurisdiction_admin": gettext_lazy("Jurisdiction administrator"),
}
PHASE_NAMES = dict(RULE_PHASES)
FUNDING_LABELS = dict(FundingSource.choices)
# Values of string facts the vocabulary (FACT_VALUE_LABELS) does not name yet: (zh, en).
VALUE_WORDS = {
    "performance_rating": {
        "excellent": ("优秀", "excellent"),
        "good": ("良好", "good"),
        "pass": ("合格", "pass"),
        "poor": ("差", "poor"),
    },
    "change_reason": {
        "higher_order": ("上级要求", "orders from above"),
        "technical_optimisation": ("技术优化", "technical optimisation"),
        "business_need": ("业务需要", "business needs"),
        "other": ("其他", "other"),
    },
}
# The settings the shipped packs carry (values the measures leave open); another key shows as 配置项.
SETTING_LABELS = {
    "project_initiation_threshold_wan": gettext_lazy("Amount from which a project is initiated"),
    "security_assessment_interval_months": gettext_lazy("Security assessment interval"),
    "security_assessment_interval": gettext_lazy("Security assessment interval"),
    "crypto_assessment_interval_months": gettext_lazy("Cryptography assessment interval"),
    "crypto_assessment_interval": gettext_lazy("Cryptography assessment interval"),
    "rectification_period": gettext_lazy("Rectification period"),
    "low_usage_rate_threshold": gettext_lazy("Low usage rate"),
    "expert_review_criterion": gettext_lazy("When an expert review is needed"),
    "emergency_addition": gettext_lazy("Emergency additions"),
    "digital_city_special_fund_wan": gettext_lazy("Digital city special fund"),
    "performance_poor_definition": gettext_lazy("What counts as poor performance"),
    "random_check": gettext_lazy("Random checks"),
    "acceptance_application_period_months": gettext_lazy("Period to apply for acceptance"),
    "procurement_limit_standard_wan": gettext_lazy("Procurement limit"),
    "plan_submission_deadline": gettext_lazy("Plan submission deadline"),
    "per_capita_investment_limit_wan": gettext_lazy("Investment limit per person"),
    "asset_registration_period": gettext_lazy("Asset registration period"),
    "approver": gettext_lazy("Approved by"),
    "rule": gettext_lazy("Rule"),
    "share": gettext_lazy("Share"),
    "count": gettext_lazy("Count"),
}
# Keys whose value names facts, transitions, outcomes: said by their labels, never by code.
FACT_KEYS = {"fact", "base_fact", "anchor", "since", "done_fact", "applied_fact", "new_due_fact"}
OUTCOME_KEYS = {"when_met", "when_not_met", "when_true", "when_false", "outcome_if_missing"}
RATIO_KEYS = {"max_ratio", "new_content_max_ratio"}
# Lists whose items are matched by these keys (an item edited is a change, not a removal and an addition).
IDENTITY_KEYS = ("code", "track", "id")
EMPTY = "—"


# ---------------------------------------------------------------------------- values in words


def number(value) -> str:
    """200, 1,000, 0.5: a number as a person writes it (thousands separators, no trailing zeros)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    amount = amount.normalize()
    if amount == amount.to_integral_value():
        return f"{amount.quantize(Decimal(1)):,}"
    return f"{amount:,f}"


def percent(ratio) -> str:
    """0.15 → 15%."""
    try:
        return number(Decimal(str(ratio)) * 100) + "%"
    except InvalidOperation:
        return str(ratio)


def amount_of(fact: str | None, value) -> str:
    """A threshold's value with its unit: 「200 万元」 for an amount fact, the bare number otherwise."""
    shown = number(value)
    if fact and fact.endswith("_wan"):
        return shown + (" " + _("10k yuan") if english() else " 万元")
    return shown


def offset_text(offset: dict | None) -> str:
    """{amount: 3, unit: months} → 「3 个月」."""
    if not offset:
        return EMPTY
    unit = offset.get("unit")
    label = UNIT_LABELS.get(unit, unit)
    return f"{offset.get('amount')} {label}"


def condition_text(condition, context: Names | None = None) -> str:
    """A condition (all / any / not / fact op value) in words: 「项目总投资 ≥ 200 万元 且 …」."""
    if condition is None:
        return EMPTY
    if not isinstance(condition, dict):
        return str(condition)
    if "all" in condition:
        return _(" and ").join(_grouped(part, context) for part in condition["all"])
    if "any" in condition:
        return _(" or ").join(_grouped(part, context) for part in condition["any"])
    if "not" in condition:
        return _("not ") + _grouped(condition["not"], context)
    name = condition.get("fact", "")
    label = fact_label(name, english=english())
    op = condition.get("op")
    value = condition.get("value")
    if op == "is_true":
        return label
    if op == "is_false":
        return _("not %(fact)s") % {"fact": label}
    if op == "is_set":
        return _("%(fact)s is given") % {"fact": label}
    shown = _fact_value(name, value, context)
    if op in ORDERED_OPS and label.endswith("（万元）"):
        shown = number(value) if not isinstance(value, dict) else shown
    if op in ("in", "not_in"):
        word = _("is one of") if op == "in" else _("is none of")
        return f"{label} {word} {shown}"
    if op == "contains":
        return f"{label} {_('includes')} {shown}"
    return f"{label} {OP_SIGNS.get(op, op)} {shown}"


def _grouped(part, context: Names | None) -> str:
    text = condition_text(part, context)
    return f"（{text}）" if isinstance(part, dict) and ("all" in part or "any" in part) else text


def _fact_value(name: str, value, context: Names | None = None) -> str:
    if isinstance(value, dict) and "fact" in value:  # another fact, maybe scaled
        other = fact_label(value["fact"], english=english())
        times = value.get("times")
        return f"{percent(times)} × {other}" if times is not None else other
    if isinstance(value, list):
        return "、".join(_fact_value(name, item, context) for item in value)
    labels = FACT_VALUE_LABELS.get(name) or VALUE_WORDS.get(name, {})
    if isinstance(value, str) and value in labels:
        zh, en = labels[value]
        return en if english() else zh
    if name == "funding_source" and value in FUNDING_LABELS:
        return str(FUNDING_LABELS[value])
    if name == "category" and context is not None and value in context.categories:
        return context.categories[value]
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal) or _is_number(value):
        return amount_of(name, value)
    return str(value)


def _is_number(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        Decimal(value)
    except InvalidOperation:
        return False
    return True


def _is_text(value) -> bool:
    return isinstance(value, dict) and set(value) == {"zh", "en"}


def _is_condition(value) -> bool:
    """A condition of the grammar: {all: […]}, {any: […]}, {not: …} or {fact, op, value}; never a rule."""
    if not isinstance(value, dict) or "kind" in value:
        return False
    if len(value) == 1 and next(iter(value)) in ("all", "any", "not"):
        return True
    return "op" in value and "fact" in value


class Names:
    """What a value is read against: both contents (for rule titles, document and category names)."""

    def __init__(self, old: dict, new: dict):
        self.rules: dict[str, dict] = {}
        self.documents: dict[str, dict] = {}
        self.categories: dict[str, str] = {}
        for content in (old, new):
            for category in content.get("categories") or ():
                if isinstance(category, dict) and _is_text(category.get("name")):
                    self.categories[category.get("code")] = in_language(category["name"])
            for rule in content.get("rules") or ():
                if isinstance(rule, dict) and "id" in rule:
                    self.rules[rule["id"]] = rule
            for document in content.get("documents") or ():
                if isinstance(document, dict) and "code" in document:
                    self.documents[document["code"]] = document

    def rule_title(self, rule_id: str) -> str:
        rule = self.rules.get(rule_id)
        return in_language(rule["title"]) if rule and _is_text(rule.get("title")) else _("(a rule)")

    def document_name(self, code: str) -> str:
        document = self.documents.get(code)
        return in_language(document["name"]) if document and _is_text(document.get("name")) else code


def shown(key: str | None, value, *, owner: dict | None = None, context: Names | None = None) -> str:
    """A value of the field `key` in words (owner: the dict it belongs to, e.g. the rule for `value`)."""
    if value is None or value == [] or value == {}:
        return EMPTY
    if _is_text(value):
        return in_language(value)
    if key in FACT_KEYS and isinstance(value, str):
        return fact_label(value, english=english())
    if key == "anchor" and isinstance(value, dict) and "latest_of" in value:
        return shown("latest_of", value["latest_of"], context=context)
    if key == "latest_of" and isinstance(value, list):
        return "、".join(
            fact_label(term.get("fact", ""), english=english())
            + (f"+{offset_text(term['offset'])}" if term.get("offset") else "")
            for term in value
            if isinstance(term, dict)
        )
    if key in OUTCOME_KEYS:
        return str(OUTCOME_LABELS.get(value, value))
    if key == "phase":
        return str(PHASE_NAMES.get(value, value))
    if key in ("blocks", "before") and isinstance(value, list | str):
        names = [value] if isinstance(value, str) else value
        return "、".join(str(TRANSITION_LABELS.get(name, name)) for name in names)
    if key == "op":
        return OP_SIGNS.get(value, str(value))
    if key in RATIO_KEYS:
        return percent(value)
    if key == "value" and owner is not None:
        return amount_of(owner.get("fact"), value)
    if key == "new_content_max_wan":
        return amount_of("_wan", value)
    if key in ("offset", "opens", "closes"):
        return offset_text(value)
    if key == "fixed" and isinstance(value, dict):
        return _("%(month)s-%(day)s each year") % {"month": value.get("month"), "day": value.get("day")}
    if key in ("applies_when", "condition", "when") or _is_condition(value):
        return condition_text(value, context)
    if key == "role" and isinstance(value, str):
        return str(ROLE_LABELS.get(value, value))
    if key in ("clock_rule", "track_rule", "rule") and isinstance(value, str) and context is not None:
        return context.rule_title(value)
    if key == "citation" and isinstance(value, dict):
        return cited_article(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return number(value)
    if isinstance(value, dict):
        if "name" in value and _is_text(value["name"]):
            return in_language(value["name"])
        if "text" in value and _is_text(value["text"]):
            return (value.get("clause") or "") + in_language(value["text"])
        if "code" in value and context is not None and key == "documents":
            return context.document_name(value["code"])
        return "；".join(
            f"{label_of((part,))}：{shown(part, item, owner=value, context=context)}"
            for part, item in value.items()
        )
    if isinstance(value, list):
        return "、".join(shown(key, item, owner=owner, context=context) for item in value)
    return str(value)


def label_of(path: tuple, *, section: str | None = None, names: dict | None = None) -> str:
    """「引用条款 · 原文」: a path's label from the labels of its keys (list items by their names)."""
    parts: list[str] = []
    for index, part in enumerate(path):
        if names and path[: index + 1] in names:
            parts.append(names[path[: index + 1]])
            continue
        if isinstance(part, int):
            parts.append(_("item %(n)s") % {"n": part + 1})
            continue
        place = (section, part) if index == 0 else (path[index - 1], part)
        if section == "settings":
            label = SETTING_LABELS.get(part) or FIELD_LABELS.get(part) or _("a setting")
        else:
            label = PLACE_LABELS.get(place) or FIELD_LABELS.get(part) or _("another field")
        parts.append(str(label))
    return " · ".join(parts)


# ---------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class FieldChange:
    """One field that changed: its dotted path (relative to the rule or section), label and values."""

    path: str
    label: str
    before: str
    after: str

    @property
    def text(self) -> str:
        return f"{self.label}：{self.before} → {self.after}"

    def __str__(self) -> str:
        return self.text

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "label": self.label, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class RuleRef:
    """A rule as a page names it: its title, article and phase."""

    rule_id: str
    title: str
    article: str
    phase: str
    phase_label: str
    kind: str

    def to_dict(self) -> dict[str, str]:
        return {
            "rule_id": self.rule_id,
            "title": self.title,
            "article": self.article,
            "phase": self.phase,
            "phase_label": self.phase_label,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class RuleChange:
    rule: RuleRef
    changes: tuple[FieldChange, ...]
    switched: str | None = None  # "off" / "on" when the change switched the rule off or on again

    # A page reads these as the rule's
    @property
    def rule_id(self) -> str:
        return self.rule.rule_id

    @property
    def title(self) -> str:
        return self.rule.title

    @property
    def article(self) -> str:
        return self.rule.article

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.rule.to_dict(),
            "switched": self.switched,
            "changes": [change.to_dict() for change in self.changes],
        }


@dataclass(frozen=True)
class SectionChange:
    section: str
    label: str
    changes: tuple[FieldChange, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "label": self.label,
            "changes": [change.to_dict() for change in self.changes],
        }


@dataclass(frozen=True)
class PackDiff:
    added: tuple[RuleRef, ...] = ()
    removed: tuple[RuleRef, ...] = ()
    changed_rules: tuple[RuleChange, ...] = ()
    sections: tuple[SectionChange, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed_rules or self.sections)

    def __bool__(self) -> bool:
        return not self.empty

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed_rules),
            "sections": len(self.sections),
        }

    def section(self, name: str) -> SectionChange | None:
        return next((s for s in self.sections if s.section == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "added": [rule.to_dict() for rule in self.added],
            "removed": [rule.to_dict() for rule in self.removed],
            "changed_rules": [change.to_dict() for change in self.changed_rules],
            "sections": [section.to_dict() for section in self.sections],
        }


def rule_ref(rule: dict) -> RuleRef:
    title = rule.get("title")
    phase = rule.get("phase") or ""
    return RuleRef(
        rule_id=rule.get("id", ""),
        title=in_language(title) if _is_text(title) else _("(untitled rule)"),
        article=cited_article(rule.get("citation") if isinstance(rule.get("citation"), dict) else None),
        phase=phase,
        phase_label=str(PHASE_NAMES.get(phase, phase)),
        kind=rule.get("kind", ""),
    )


def _leaf(value) -> bool:
    """Values compared whole: scalars, texts, conditions, offsets, fixed days, lists of plain values."""
    if not isinstance(value, dict | list):
        return True
    if isinstance(value, dict):
        return _is_text(value) or _is_condition(value) or {"amount", "unit"} == set(value) or "month" in value
    return not value or not all(isinstance(item, dict) and _identity(item) is not None for item in value)


def _identity(item: dict) -> tuple[str, Any] | None:
    for key in IDENTITY_KEYS:
        if key in item:
            return key, item[key]
    return None


def _walk(old, new, path: tuple, names: dict, context: Names):
    """(path, key, old, new, owner) for every leaf that differs; list items matched by their code."""
    if old == new:
        return
    whole_item = bool(path) and isinstance(path[-1], int)  # an item added or removed is said whole
    if not whole_item and ((old is None and not _leaf(new)) or (new is None and not _leaf(old))):
        # A part added or taken away whole (an edition, a list): said field by field.
        empty = {} if isinstance(old if new is None else new, dict) else []
        old, new = (empty, new) if old is None else (old, empty)
    if isinstance(old, dict) and isinstance(new, dict) and not (_leaf(old) and _leaf(new)):
        for key in list(old) + [k for k in new if k not in old]:
            yield from _walk(old.get(key), new.get(key), (*path, key), names, context)
        return
    both_lists = isinstance(old, list) and isinstance(new, list)
    if both_lists and not (_leaf(old) and _leaf(new)):
        before = {_identity(item): item for item in old}
        after = {_identity(item): item for item in new}
        for position, identity in enumerate(list(before) + [i for i in after if i not in before]):
            item = after.get(identity) or before.get(identity)
            sub = (*path, position)
            names[sub] = _item_name(path, item, context)
            yield from _walk(before.get(identity), after.get(identity), sub, names, context)
        return
    yield path, old, new


def _item_name(path: tuple, item: dict, context: Names) -> str:
    """A list item named as a person knows it: a document by its name, a list item by its clause."""
    if "text" in item and _is_text(item["text"]):
        return (item.get("clause") or "") + in_language(item["text"])[:24]
    if _is_text(item.get("name")):
        return in_language(item["name"])
    if "code" in item and path and path[-1] == "documents":
        return context.document_name(item["code"])
    if "stage" in item and "over" in item:
        return f"{item['stage']} / {item['over']}"
    return _("item")


def _changes(old, new, *, section: str | None, context: Names) -> tuple[FieldChange, ...]:
    names: dict[tuple, str] = {}
    found = []
    for path, before, after in _walk(old, new, (), names, context):
        key = next((part for part in reversed(path) if isinstance(part, str)), None)  # a list item: its list
        owner_path = path[:-1]
        owner_old = _at(old, owner_path)
        owner_new = _at(new, owner_path)
        found.append(
            FieldChange(
                path=".".join(str(part) for part in path),
                label=_label(path, section, names),
                before=_said(key, before, owner_old, context, added=after),
                after=_said(key, after, owner_new, context, added=before),
            )
        )
    return tuple(found)


def _label(path: tuple, section: str | None, names: dict) -> str:
    if not path:
        return _section_label(section)
    if isinstance(path[-1], int):  # an item added or removed: the list's name
        return label_of(path[:-1], section=section, names=names) if len(path) > 1 else _section_label(section)
    return label_of(path, section=section, names=names)


def _section_label(section: str | None) -> str:
    return str(SECTION_LABELS[section]) if section in SECTION_LABELS else _("the whole rule")


def _said(key, value, owner, context: Names, *, added) -> str:
    if value is None and added is not None:
        return _("(none)")
    return shown(key, value, owner=owner if isinstance(owner, dict) else None, context=context)


def _at(data, path: tuple):
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _rules(content: dict) -> dict[str, dict]:
    return {
        rule["id"]: rule for rule in content.get("rules") or () if isinstance(rule, dict) and "id" in rule
    }


def pack_diff(old_content: dict, new_content: dict) -> PackDiff:
    """What `new_content` changes in `old_content`: rules added, removed, changed; the other sections.

    Both are stored pack contents (RulePack.content, RulePackDraft.content). Rules keep the order
    of the new pack (removed ones: of the old).
    """
    old_content, new_content = old_content or {}, new_content or {}
    context = Names(old_content, new_content)
    old_rules, new_rules = _rules(old_content), _rules(new_content)
    added = tuple(rule_ref(rule) for rule_id, rule in new_rules.items() if rule_id not in old_rules)
    removed = tuple(rule_ref(rule) for rule_id, rule in old_rules.items() if rule_id not in new_rules)
    changed = []
    for rule_id, rule in new_rules.items():
        before = old_rules.get(rule_id)
        if before is None or before == rule:
            continue
        changes = _changes(before, rule, section=None, context=context)
        switched = None
        if bool(before.get("switched_off")) != bool(rule.get("switched_off")):
            switched = "off" if rule.get("switched_off") else "on"
        changed.append(RuleChange(rule=rule_ref(rule), changes=changes, switched=switched))
    sections = []
    for name in SECTIONS:
        old, new = old_content.get(name), new_content.get(name)
        if old == new or (not old and not new):
            continue
        changes = _changes(old, new, section=name, context=context)
        if changes:
            sections.append(SectionChange(section=name, label=str(SECTION_LABELS[name]), changes=changes))
    return PackDiff(added=added, removed=removed, changed_rules=tuple(changed), sections=tuple(sections))
