"""A rule pack as the pages show it: each rule's check in words with the pack's values, by phase.

Works on stored content (plain JSON: a version's or a draft's), so a draft that is being edited
shows the same way as a published version. Facts are said by their labels, documents by their
names, outcomes by theirs (「项目总投资 ≥ 200 万元 → 须办理」): no rule id or fact code as text.
The words of values (numbers, offsets, conditions) come from jurisdictions.editor.diff, which says
them the same way in the diff of two versions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from govproj.i18n import english, in_language
from jurisdictions.editor.diff import (
    FUNDING_LABELS,
    VALUE_WORDS,
    amount_of,
    condition_text,
    offset_text,
    percent,
)
from jurisdictions.editor.forms import KIND_LABELS
from jurisdictions.rules.facts import FACT_VALUE_LABELS, fact_label, fact_type
from projects.detail import OUTCOME_LABELS, RULE_PHASES
from projects.models import TRANSITION_LABELS

OP_SIGNS = {"gt": "＞", "gte": "≥", "lt": "＜", "lte": "≤"}


def rule_anchor(rule_id: str) -> str:
    """The id of a rule's card on a page (the rule forms redirect to it)."""
    return "rule-" + rule_id.replace(".", "-")


def _text(value) -> str:
    return in_language(value) if isinstance(value, dict) and {"zh", "en"} <= set(value) else ""


# A note says how an ambiguity of the text was decided, written beside the data: it names facts,
# values and other rules by their codes (`rectification_due_date`, `baotou.change.tolerance`).
# A page says them in words: the fact's label, the rule's title, the value's label.
CODE = re.compile(r"`?\b([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*|RULES\.md)\b`?")
CODE_WORDS = {
    "settings": ("设置项", "settings"),
    "effect": ("效果标记", "effect tag"),
    "RULES.md": ("规则矩阵", "the rule matrix"),
}


def _said(note: str, pack: _Pack) -> str:
    """The note with each code said in words (a code it cannot name stays as written)."""
    is_english = english()

    def word(match: re.Match) -> str:
        code = match[1]
        if fact_type(code) is not None:
            return fact_label(code, english=is_english)
        if code in pack.rule_titles:
            return "「" + pack.rule_titles[code] + "」"
        for values in (*FACT_VALUE_LABELS.values(), *VALUE_WORDS.values()):
            if code in values:
                return values[code][1 if is_english else 0]
        for labels in (pack.categories, FUNDING_LABELS, TRANSITION_LABELS):
            if code in labels:
                return str(labels[code])
        if code.startswith("settings.") or code in CODE_WORDS:
            return CODE_WORDS.get(code, CODE_WORDS["settings"])[1 if is_english else 0]
        return match[0]

    return CODE.sub(word, note) if not is_english else note


def _fact(name) -> str:
    return fact_label(name, english=english()) if isinstance(name, str) else ""


def _outcome(value, default: str) -> str:
    return str(OUTCOME_LABELS.get(value or default, value or default))


@dataclass
class RuleView:
    """One rule's card: what it checks in words, where the measure says so, whether it is off."""

    rule_id: str
    anchor: str
    kind: str
    kind_label: str
    phase: str
    title: str
    checks: str
    items: list[str] = field(default_factory=list)
    applies_when: str = ""
    article: str = ""
    quote: str = ""
    note: str = ""
    switched_off: str = ""


@dataclass
class PhaseView:
    phase: str
    label: str
    rules: list[RuleView]


class _Pack:
    """Names a rule refers to, read from the pack it belongs to (documents, approval stages)."""

    def __init__(self, content: dict):
        self.documents = {
            item.get("code"): _text(item.get("name"))
            for item in content.get("documents") or ()
            if isinstance(item, dict)
        }
        self.categories = {
            item.get("code"): _text(item.get("name"))
            for item in content.get("categories") or ()
            if isinstance(item, dict)
        }
        self.rule_titles = {
            rule.get("id"): _text(rule.get("title"))
            for rule in content.get("rules") or ()
            if isinstance(rule, dict)
        }
        approval = (content.get("review") or {}).get("approval") or {}
        self.stages = {
            item.get("code"): _text(item.get("name"))
            for item in approval.get("stages") or ()
            if isinstance(item, dict)
        }

    def named(self, condition):
        """The condition with the pack's own codes (categories, documents) replaced by their names."""
        if isinstance(condition, list):
            return [self.named(part) for part in condition]
        if not isinstance(condition, dict):
            return condition
        if "fact" not in condition:
            return {key: self.named(value) for key, value in condition.items()}
        names = {"category": self.categories, "documents": self.documents}.get(condition["fact"])
        value = condition.get("value")
        if names is None or value is None:
            return condition
        if isinstance(value, list):
            value = [names.get(item) or item for item in value]
        elif isinstance(value, str):
            value = names.get(value) or value
        return {**condition, "value": value}

    def condition(self, condition) -> str:
        return condition_text(self.named(condition))

    def document(self, code) -> str:
        return self.documents.get(code) or _("(a document not in the list)")


# ---------------------------------------------------------------------------- one renderer per kind


def _threshold(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    sign = OP_SIGNS.get(rule.get("op"), rule.get("op"))
    met = _outcome(rule.get("when_met"), "required")
    fact = rule.get("fact")
    label = _fact(fact)
    if isinstance(fact, str) and fact.endswith("_wan"):  # 「总投资（万元）」: the value says the unit
        label = label.removesuffix("（万元）")
    return f"{label} {sign} {amount_of(fact, rule.get('value'))} → {met}", []


def _ratio_cap(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    return (
        _("%(fact)s ≤ %(ratio)s of %(base)s")
        % {
            "fact": _fact(rule.get("fact")),
            "ratio": percent(rule.get("max_ratio")),
            "base": _fact(rule.get("base_fact")),
        },
        [],
    )


def _anchor(anchor) -> str:
    if isinstance(anchor, dict) and "latest_of" in anchor:
        dates = "、".join(
            _fact(term.get("fact")) + (" + " + offset_text(term["offset"]) if term.get("offset") else "")
            for term in anchor["latest_of"]
            if isinstance(term, dict)
        )
        return _("the later of %(dates)s") % {"dates": dates}
    return _fact(anchor)


def _deadline(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    anchor, offset, fixed = rule.get("anchor"), rule.get("offset"), rule.get("fixed")
    if isinstance(fixed, dict):
        day = {"month": fixed.get("month"), "day": fixed.get("day")}
        if anchor is None:
            text = _("by %(month)s-%(day)s every year") % day
            if rule.get("since"):
                text += _(" (from %(since)s on)") % {"since": _fact(rule["since"])}
            return text, []
        years = fixed.get("year_offset") or 0
        if years > 0:
            return _("by %(month)s-%(day)s, %(years)s year(s) after the year of %(anchor)s") % {
                **day,
                "years": years,
                "anchor": _anchor(anchor),
            }, []
        if years < 0:
            return _("by %(month)s-%(day)s, %(years)s year(s) before the year of %(anchor)s") % {
                **day,
                "years": -years,
                "anchor": _anchor(anchor),
            }, []
        return _("by %(month)s-%(day)s of the year of %(anchor)s") % {**day, "anchor": _anchor(anchor)}, []
    amount = (offset or {}).get("amount") or 0
    if amount == 0:
        return _("no later than %(anchor)s") % {"anchor": _anchor(anchor)}, []
    if amount < 0:
        before = {**offset, "amount": -amount}
        return _("%(offset)s before %(anchor)s") % {
            "offset": offset_text(before),
            "anchor": _anchor(anchor),
        }, []
    return _("within %(offset)s after %(anchor)s") % {
        "offset": offset_text(offset),
        "anchor": _anchor(anchor),
    }, []


def _window(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    return _("between %(opens)s and %(closes)s after %(anchor)s") % {
        "opens": offset_text(rule.get("opens")),
        "closes": offset_text(rule.get("closes")),
        "anchor": _anchor(rule.get("anchor")),
    }, []


def _change_tolerance(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    text = _("A change of at most %(ratio)s of the approved estimate is the unit's to make") % {
        "ratio": percent(rule.get("max_ratio"))
    }
    items = []
    if rule.get("new_content_max_ratio") is not None:
        items.append(_("New content at most %(ratio)s") % {"ratio": percent(rule["new_content_max_ratio"])})
    if rule.get("new_content_max_wan") is not None:
        items.append(
            _("New content at most %(amount)s") % {"amount": amount_of("_wan", rule["new_content_max_wan"])}
        )
    if rule.get("exclude_tender_savings"):
        items.append(_("Tender savings are not counted"))
    if rule.get("requires_goal_unchanged"):
        items.append(_("The goal must stay unchanged"))
    if rule.get("requires_within_estimate"):
        items.append(_("The total must stay within the approved estimate"))
    if rule.get("only_before_procurement"):
        items.append(_("Only before procurement"))
    return text, items


def _required_documents(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    items = []
    for requirement in rule.get("documents") or ():
        if not isinstance(requirement, dict):
            continue
        name = pack.document(requirement.get("code"))
        if requirement.get("when"):
            name += _(" (when %(condition)s)") % {"condition": pack.condition(requirement["when"])}
        items.append(name)
    missing = _outcome(rule.get("outcome_if_missing"), "fail")
    text = _("Documents to be on file (if missing: %(outcome)s):") % {"outcome": missing}
    if rule.get("track"):
        text = _("On its approval track: ") + text
    return text, items


def _negative_list(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    items = [
        (item.get("clause") or "") + _text(item.get("text"))
        for item in rule.get("items") or ()
        if isinstance(item, dict)
    ]
    return _("A project to which any of these applies is not met:"), items


def _track(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    items = []
    for option in rule.get("options") or ():
        if not isinstance(option, dict):
            continue
        when = pack.condition(option["when"]) if option.get("when") else _("otherwise")
        item = f"{_text(option.get('name'))}（{when}）"
        stages = [pack.stages.get(code) for code in option.get("stages") or ()]
        if stages and all(stages):  # stages the pack names (else the option's name says the way)
            item += "：" + " → ".join(stages)
        items.append(item)
    return _("The first option whose condition holds is the project's track:"), items


def _condition(rule: dict, pack: _Pack) -> tuple[str, list[str]]:
    outcome = _outcome(rule.get("when_true"), "fail")
    text = f"{_('Condition')}：{pack.condition(rule.get('condition'))} → {outcome}"
    if rule.get("excludes_measure"):
        text += _("; the measure then does not apply")
    return text, []


RENDERERS = {
    "threshold": _threshold,
    "ratio_cap": _ratio_cap,
    "deadline": _deadline,
    "window": _window,
    "change_tolerance": _change_tolerance,
    "required_documents": _required_documents,
    "negative_list": _negative_list,
    "track": _track,
    "condition": _condition,
}


def rule_view(rule: dict, pack: _Pack | None = None, *, content: dict | None = None) -> RuleView:
    pack = pack or _Pack(content or {})
    kind = rule.get("kind", "")
    renderer = RENDERERS.get(kind)
    checks, items = renderer(rule, pack) if renderer else ("", [])
    citation = rule.get("citation") or {}
    rule_id = rule.get("id", "")
    return RuleView(
        rule_id=rule_id,
        anchor=rule_anchor(rule_id),
        kind=kind,
        kind_label=str(KIND_LABELS.get(kind, "")),
        phase=rule.get("phase", ""),
        title=_text(rule.get("title")),
        checks=checks,
        items=items,
        applies_when=pack.condition(rule["applies_when"]) if rule.get("applies_when") else "",
        article=(citation.get("article") or "") + (citation.get("clause") or ""),
        quote=citation.get("quote") or "",
        note=_said(_text(rule.get("note")), pack),
        switched_off=_text(rule.get("switched_off")),
    )


def phases(content: dict) -> list[PhaseView]:
    """The pack's rules by phase, in the order of the project's life (phases without rules left out)."""
    pack = _Pack(content)
    by_phase: dict[str, list[RuleView]] = {}
    for rule in content.get("rules") or ():
        if isinstance(rule, dict):
            view = rule_view(rule, pack)
            by_phase.setdefault(view.phase, []).append(view)
    return [PhaseView(code, str(label), by_phase[code]) for code, label in RULE_PHASES if code in by_phase]


@dataclass
class MeasureView:
    title: str
    document_number: str
    issuer: str
    published: str
    effective_from: str
    effective_to: str
    validity: str


def measure_view(content: dict) -> MeasureView:
    measure = content.get("measure") or {}
    return MeasureView(
        title=_text(measure.get("title")),
        document_number=measure.get("document_number") or "",
        issuer=_text(measure.get("issuer")),
        published=str(measure.get("published") or ""),
        effective_from=str(measure.get("effective_from") or ""),
        effective_to=str(measure.get("effective_to") or ""),
        validity=_text(measure.get("validity")),
    )


def names(content: dict, section: str) -> list[str]:
    """The names of a pack's categories or documents."""
    return [_text(item.get("name")) for item in content.get(section) or () if isinstance(item, dict)]
