"""Facts + rule pack → verdicts. Pure: no ORM, no clock, no I/O.

Every verdict names its rule, the article it comes from and the data behind the outcome
(due date, missing documents, ratio), so a service, a page or a report can say exactly
which rule of which pack version it applied.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from string import Formatter
from typing import Any, get_args

from dateutil.relativedelta import relativedelta

from jurisdictions.rules.calendar import WorkingCalendar
from jurisdictions.rules.conditions import Compiled, compile_condition
from jurisdictions.rules.facts import fact_label, parse_facts
from jurisdictions.rules.schema import (
    ChangeToleranceRule,
    ConditionRule,
    DeadlineRule,
    LatestOf,
    NegativeListRule,
    Offset,
    Outcome,
    RatioCapRule,
    RequiredDocumentsRule,
    RulePackSpec,
    Text,
    ThresholdRule,
    TrackRule,
    WindowRule,
)

# Outcomes that stop a transition the rule lists in `blocks`.
BLOCKING = frozenset({Outcome.FAIL, Outcome.REQUIRED, Outcome.UNKNOWN})
NOT_SATISFIED = frozenset({Outcome.FAIL, Outcome.REQUIRED})


@dataclass(frozen=True)
class Verdict:
    rule_id: str
    kind: str
    phase: str
    outcome: Outcome
    title: Text
    message: Text
    citation: dict[str, Any]
    effect: str | None = None
    blocks: tuple[str, ...] = ()
    data: dict[str, Any] = field(default_factory=dict)

    def blocks_transition(self, transition: str) -> bool:
        return transition in self.blocks and self.outcome in BLOCKING

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "phase": self.phase,
            "outcome": self.outcome.value,
            "title": {"zh": self.title.zh, "en": self.title.en},
            "message": {"zh": self.message.zh, "en": self.message.en},
            "citation": self.citation,
            "effect": self.effect,
            "blocks": list(self.blocks),
            "data": _jsonable(self.data),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_jsonable(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _Format(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _say(text: Text, data: dict[str, Any]) -> Text:
    zh = {k: _jsonable(v) for k, v in data.items()}
    en = dict(zh)
    for key, value in data.items():
        if isinstance(value, list) and not value:
            zh[key], en[key] = "无", "none"  # never "[]": a message does not list nothing
        elif isinstance(value, list) and isinstance(value[0], dict) and "name_zh" in value[0]:
            zh[key] = "、".join(item["name_zh"] for item in value)
            en[key] = ", ".join(item["name_en"] for item in value)
    return Text(zh=text.zh.format_map(_Format(zh)), en=text.en.format_map(_Format(en)))


# Verdicts built with `messages=False` carry this empty message (see `evaluate`).
UNSAID = Text.model_construct(zh="", en="")


@dataclass(frozen=True)
class _Template:
    """A message of a rule, read once: the data keys it names, or the Text when it names none.

    `keys` is None for a template this does not read (positional or nested fields, a stray
    brace): those are formatted by `_say` on the whole data, as always.
    """

    text: Text
    keys: tuple[str, ...] | None
    constant: Text | None

    @classmethod
    def of(cls, text: Text) -> _Template:
        keys: set[str] = set()
        try:
            for source in (text.zh, text.en):
                for _literal, name, spec, _conversion in Formatter().parse(source):
                    if name is None:
                        continue
                    key = _FIELD_KEY.match(name).group()
                    if not key or key.isdigit() or "{" in (spec or ""):
                        return cls(text, None, None)
                    keys.add(key)
        except ValueError:
            return cls(text, None, None)
        if not keys:
            return cls(text, (), Text(zh=text.zh.format_map({}), en=text.en.format_map({})))
        return cls(text, tuple(sorted(keys)), None)

    def render(self, data: dict[str, Any]) -> Text:
        """What `_say(self.text, data)` says, computing only the values the template names."""
        if self.constant is not None:
            return self.constant
        if self.keys is None:
            return _say(self.text, data)
        zh, en = _Format(), _Format()
        for key in self.keys:
            if key not in data:
                continue
            value = data[key]
            if isinstance(value, list) and not value:
                zh[key], en[key] = "无", "none"  # never "[]": a message does not list nothing
            elif isinstance(value, list) and isinstance(value[0], dict) and "name_zh" in value[0]:
                zh[key] = "、".join(item["name_zh"] for item in value)
                en[key] = ", ".join(item["name_en"] for item in value)
            else:
                zh[key] = en[key] = _jsonable(value)
        return Text(zh=self.text.zh.format_map(zh), en=self.text.en.format_map(en))


_FIELD_KEY = re.compile(r"[^.\[]*")
RULE_KINDS = frozenset(
    get_args(cls.model_fields["kind"].annotation)[0]
    for cls in (
        ThresholdRule,
        RequiredDocumentsRule,
        NegativeListRule,
        DeadlineRule,
        WindowRule,
        ConditionRule,
        ChangeToleranceRule,
        TrackRule,
        RatioCapRule,
    )
)


# ---------------------------------------------------------------------------- plans
# What does not depend on the facts is worked out once per pack (specs are frozen): each
# rule's citation, dispatch, compiled conditions, message templates and fixed texts.


@dataclass(frozen=True)
class _RulePlan:
    rule: Any
    kind: str
    phase: str
    title: Text
    effect: str | None
    blocks: tuple[str, ...]
    citation: dict[str, Any]  # copied into each verdict: a verdict's dict is its own
    evaluate: Callable[[_RulePlan, _Context], tuple[Outcome, dict[str, Any]]]
    applies: Compiled | None
    applies_facts: tuple[str, ...]  # sorted: the facts `applies_when` names
    message: _Template
    pass_message: _Template  # `pass_message`, else the title
    not_applicable: Text
    info_says_message: bool  # see _info_on_the_unsatisfied_side
    excludes_measure: bool
    track: str | None  # a required-documents rule's track
    extra: Any = None  # kind-specific, see _prepare
    unknown_messages: dict[tuple[str, ...], Text] = field(default_factory=dict)  # see _unknown_message


@dataclass(frozen=True)
class _PackPlan:
    rules: tuple[_RulePlan, ...]
    exclusions: tuple[tuple[_RulePlan, Text], ...]  # excludes_measure rules, the message they give
    choosers: dict[str, _RulePlan]  # track code → the (first) track rule offering it
    documents: dict[str, dict[str, str]]  # document code → {code, name_zh, name_en}


_PLANS: dict[int, tuple[weakref.ref, _PackPlan]] = {}


def _plan(pack: RulePackSpec) -> _PackPlan:
    """The pack's plan, kept while the spec lives (keyed on identity, checked by a weak reference)."""
    key = id(pack)
    found = _PLANS.get(key)
    if found is not None and found[0]() is pack:
        return found[1]
    plan = _make_plan(pack)
    _PLANS[key] = (weakref.ref(pack, lambda _ref, key=key: _PLANS.pop(key, None)), plan)
    return plan


def _make_plan(pack: RulePackSpec) -> _PackPlan:
    # Nothing here may hold `pack` itself: the plan would keep its spec alive forever.
    documents: dict[str, dict[str, str]] = {}
    for document in pack.documents:
        documents.setdefault(
            document.code, {"code": document.code, "name_zh": document.name.zh, "name_en": document.name.en}
        )
    rules = tuple(_rule_plan(rule, pack) for rule in pack.rules)
    exclusions = tuple(
        (p, _exclusion_message(p.rule)) for p in rules if p.excludes_measure and p.rule.switched_off is None
    )
    choosers: dict[str, _RulePlan] = {}
    for p in rules:
        if isinstance(p.rule, TrackRule):
            for code in p.rule.track_codes:
                choosers.setdefault(code, p)
    return _PackPlan(rules, exclusions, choosers, documents)


def _rule_plan(rule, pack: RulePackSpec) -> _RulePlan:
    excludes = isinstance(rule, ConditionRule) and rule.excludes_measure
    return _RulePlan(
        rule=rule,
        kind=rule.kind,
        phase=rule.phase.value,
        title=rule.title,
        effect=rule.effect,
        blocks=rule.blocks,
        citation=_citation(rule, pack),
        evaluate=_EVALUATORS[type(rule)],
        applies=compile_condition(rule.applies_when) if rule.applies_when is not None else None,
        applies_facts=tuple(sorted(rule.applies_when.facts())) if rule.applies_when is not None else (),
        message=_Template.of(rule.message),
        pass_message=_Template.of(rule.pass_message or rule.title),
        not_applicable=Text(zh="不适用：" + rule.title.zh, en="Not applicable: " + rule.title.en),
        info_says_message=_info_on_the_unsatisfied_side(rule, Outcome.INFO),
        excludes_measure=excludes,
        track=rule.track if isinstance(rule, RequiredDocumentsRule) else None,
        extra=_prepare(rule),
    )


def _prepare(rule) -> Any:
    """Per kind, what the evaluator would otherwise work out on every call."""
    if isinstance(rule, RequiredDocumentsRule):
        return tuple(
            (r.code, compile_condition(r.when) if r.when is not None else None) for r in rule.documents
        )
    if isinstance(rule, NegativeListRule):
        return tuple((item.code, _item(item)) for item in rule.items)
    if isinstance(rule, ConditionRule):
        return compile_condition(rule.condition), tuple(sorted(rule.condition.facts()))
    if isinstance(rule, TrackRule):
        return tuple(
            (
                option,
                compile_condition(option.when) if option.when is not None else None,
                tuple(sorted(option.when.facts())) if option.when is not None else (),
            )
            for option in rule.options
        )
    if isinstance(rule, ChangeToleranceRule):
        return tuple(change_tolerance_facts(rule))
    return None


def _exclusion_message(exclusion: ConditionRule) -> Text:
    cited = exclusion.citation.article + (exclusion.citation.clause or "")
    return Text(zh=f"{exclusion.message.zh}（{cited}）", en=f"{exclusion.message.en} (Article {cited})")


# ---------------------------------------------------------------------------- evaluation


@dataclass
class _Context:
    plan: _PackPlan
    facts: dict[str, Any]
    as_of: dt.date
    calendar: WorkingCalendar
    messages: bool = True
    tracks: dict[str, tuple[Outcome, dict[str, Any]]] = field(default_factory=dict)

    def track_outcome(self, track: str) -> tuple[Outcome, dict[str, Any]]:
        """The outcome and data of the one track rule offering `track`, decided once per evaluation."""
        found = self.tracks.get(track)
        if found is None:
            chooser = self.plan.choosers[track]
            found = _decide(chooser, self)
            self.tracks.update(dict.fromkeys(chooser.rule.track_codes, found))
        return found


def evaluate(
    pack: RulePackSpec,
    facts: Mapping[str, Any],
    *,
    as_of: dt.date,
    calendar: WorkingCalendar | None = None,
    phases: Iterable[str] | None = None,
    rule_ids: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    messages: bool = True,
    parsed: bool = False,
) -> list[Verdict]:
    """Evaluate every rule of `pack` (or the given phases / ids / kinds) on `facts` as of a date.

    For batches (many projects, e.g. the deadline scan): `kinds` keeps the rules of those kinds
    (e.g. {"deadline", "window"}); a scope rule that puts the project outside the measure
    still applies to them, and track rules are still decided for the required-documents rules
    that depend on them. `messages=False` skips writing messages: every verdict then carries
    `UNSAID` (an empty Text) as its message, and the same outcome, data and citation as with
    messages. The verdicts a filter keeps are the very verdicts a full evaluation gives.
    `parsed=True`: `facts` are values as `parse_facts` returns them (the caller checked them).
    """
    wanted_kinds = frozenset(kinds) if kinds is not None else None
    if wanted_kinds is not None and (unknown := wanted_kinds - RULE_KINDS):
        raise ValueError(f"unknown rule kind(s): {', '.join(sorted(unknown))}")
    plan = _plan(pack)
    facts = dict(facts) if parsed else parse_facts(facts)
    context = _Context(plan, facts, as_of, calendar or WorkingCalendar(), messages)
    wanted_phases = set(phases) if phases is not None else None
    wanted_ids = set(rule_ids) if rule_ids is not None else None
    exclusion = _exclusion(context)
    verdicts = []
    for p in plan.rules:
        if wanted_kinds is not None and p.kind not in wanted_kinds:
            continue
        if wanted_phases is not None and p.phase not in wanted_phases:
            continue
        if wanted_ids is not None and p.rule.id not in wanted_ids:
            continue
        if exclusion is not None and p is not exclusion[0]:
            verdicts.append(_excluded(p, exclusion, context))
        else:
            verdicts.append(_evaluate(p, context))
    return verdicts


def _exclusion(context: _Context) -> tuple[_RulePlan, Text] | None:
    """The first `excludes_measure` rule that holds: the project is outside the measure.

    An exclusion that is unknown (its fact not given) excludes nothing: the other rules are
    evaluated and the scope rule itself asks for the fact.
    """
    facts = context.facts
    for exclusion in context.plan.exclusions:
        p = exclusion[0]
        applies = True if p.applies is None else p.applies(facts)
        if applies and p.extra[0](facts) is True:
            return exclusion
    return None


def _excluded(p: _RulePlan, exclusion: tuple[_RulePlan, Text], context: _Context) -> Verdict:
    message = exclusion[1] if context.messages else UNSAID
    return _verdict(p, Outcome.NOT_APPLICABLE, {"excluded_by": exclusion[0].rule.id}, message)


def evaluate_rule(rule, context: _Context) -> Verdict:
    """One rule's verdict (the rule must be one of the pack the context was made for)."""
    return _evaluate(next(p for p in context.plan.rules if p.rule is rule), context)


def _decide(p: _RulePlan, c: _Context) -> tuple[Outcome, dict[str, Any]]:
    """A rule's outcome and data: not applicable, unknown with the facts missing, or its kind's."""
    if p.applies is not None:
        applies = p.applies(c.facts)
        if applies is False:
            return Outcome.NOT_APPLICABLE, {}
        if applies is None:
            return Outcome.UNKNOWN, {"missing_facts": _missing_of(p.applies_facts, c.facts)}
    if p.track is not None:
        chosen, data = c.track_outcome(p.track)
        if chosen is Outcome.UNKNOWN:
            return Outcome.UNKNOWN, {"missing_facts": data["missing_facts"]}
        if data.get("track") != p.track:
            return Outcome.NOT_APPLICABLE, {"track": p.track, "chosen": data.get("track")}
    return p.evaluate(p, c)


def _evaluate(p: _RulePlan, c: _Context) -> Verdict:
    if p.rule.switched_off is not None:
        # Kept in the pack, decided by nothing: it says it is off, and why.
        return _verdict(
            p, Outcome.NOT_APPLICABLE, {"switched_off": True}, p.rule.switched_off if c.messages else UNSAID
        )
    outcome, data = _decide(p, c)
    if outcome is Outcome.UNKNOWN:
        missing = data["missing_facts"]
        return _verdict(
            p, outcome, {"missing_facts": missing}, _unknown_message(p, missing) if c.messages else UNSAID
        )
    if not c.messages:
        return _verdict(p, outcome, data, UNSAID)
    rule = p.rule
    if p.kind == "track" and outcome is Outcome.INFO and rule.pass_message is None:
        message = Text(
            zh=f"{rule.title.zh}：{data['track_name_zh']}",
            en=f"{rule.title.en}: {data['track_name_en']}",
        )
    elif p.kind == "negative_list" and outcome is Outcome.REQUIRED:
        # Nothing was found against the project: say which questions are open, not a failure.
        items = data["unanswered_items"]
        message = Text(
            zh=f"{rule.title.zh}：尚未回答" + "、".join(i["name_zh"] for i in items),
            en=f"{rule.title.en}: not answered yet: " + ", ".join(i["name_en"] for i in items),
        )
    elif p.kind == "window" and outcome is Outcome.INFO:
        # Not open yet: neither done nor late, only when it will be due.
        opens, closes = data["opens_on"].isoformat(), data["closes_on"].isoformat()
        message = Text(
            zh=f"{rule.title.zh}：尚未开始，{opens}起至{closes}止",
            en=f"{rule.title.en}: not open yet; from {opens} to {closes}",
        )
    elif outcome in NOT_SATISFIED or (outcome is Outcome.INFO and p.info_says_message):
        message = p.message.render(data)
    elif p.excludes_measure and data.get("condition_met") is True:
        message = p.message.render(data)  # the project is outside the measure: say why
    elif outcome is Outcome.NOT_APPLICABLE:
        message = p.not_applicable
    else:
        message = p.pass_message.render(data)
    return _verdict(p, outcome, data, message)


def _citation(rule, pack: RulePackSpec) -> dict[str, Any]:
    return {
        "measure": pack.measure.title.zh,
        "document_number": pack.measure.document_number,
        "article": rule.citation.article,
        "clause": rule.citation.clause,
        "text": pack.measure.cite(rule.citation.article, rule.citation.clause),
    }


def _verdict(p: _RulePlan, outcome: Outcome, data: dict[str, Any], message: Text) -> Verdict:
    # Verdict(...) with every field given, less the frozen dataclass's one object.__setattr__
    # per field (a third of an evaluation's time). Verdict has no __post_init__ to skip; the
    # fast-path tests check that these verdicts equal ones built by Verdict(...).
    verdict = _new_object(Verdict)
    verdict.__dict__.update(
        rule_id=p.rule.id,
        kind=p.kind,
        phase=p.phase,
        outcome=outcome,
        title=p.title,
        message=message,
        citation=dict(p.citation),
        effect=p.effect,
        blocks=p.blocks,
        data=data,
    )
    return verdict


_new_object = object.__new__


def _info_on_the_unsatisfied_side(rule, outcome: Outcome) -> bool:
    """An `info` outcome whose other branch is `pass` reports what is not met: say `message`.

    (e.g. "not built on the plan" flagged without blocking). Saying the pass message or the
    title there would claim the opposite of what was found.
    """
    if outcome is not Outcome.INFO:
        return False
    if isinstance(rule, ConditionRule):
        branches = (rule.when_true, rule.when_false)
    elif isinstance(rule, ThresholdRule):
        branches = (rule.when_met, rule.when_not_met)
    else:
        return False
    return Outcome.INFO in branches and Outcome.PASS in branches


def _unknown_message(p: _RulePlan, missing: list[str]) -> Text:
    """What a rule says when facts are missing (kept per rule and list: the same few lists recur)."""
    key = tuple(missing)
    message = p.unknown_messages.get(key)
    if message is None:
        # People read what is missing by its name; the codes stay in data["missing_facts"].
        title = p.title
        message = p.unknown_messages[key] = Text(
            zh=f"尚需填报：{'、'.join(fact_label(name) for name in missing)}（{title.zh}）",
            en=f"Still to be given: {'; '.join(fact_label(n, english=True) for n in missing)} ({title.en})",
        )
    return message


def _missing_of(names: tuple[str, ...], facts: dict[str, Any]) -> list[str]:
    return [name for name in names if facts.get(name) is None]


def _missing(*names: str, facts: dict[str, Any]) -> list[str]:
    return [name for name in names if facts.get(name) is None]


# ---------------------------------------------------------------------------- per kind


_COMPARE = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def _threshold(p: _RulePlan, c: _Context):
    rule: ThresholdRule = p.rule
    if missing := _missing(rule.fact, facts=c.facts):
        return Outcome.UNKNOWN, {"missing_facts": missing}
    value = c.facts[rule.fact]
    met = _COMPARE[rule.op](value, rule.value)
    data = {"fact": rule.fact, "value": value, "op": rule.op, "threshold": rule.value, "met": met}
    return (rule.when_met if met else rule.when_not_met), data


def _required_documents(p: _RulePlan, c: _Context):
    rule: RequiredDocumentsRule = p.rule
    facts = c.facts
    on_file = facts.get("documents") or frozenset()
    required, conditional_unknown = [], []
    for code, when in p.extra:
        needed = True if when is None else when(facts)
        if needed is None:
            conditional_unknown.append(code)
        if needed is not False:  # unknown counts as required: ask rather than let it slip
            required.append(code)
    missing = [code for code in required if code not in on_file]
    data = {
        "stage": rule.stage,
        "track": rule.track,
        "required": required,
        "missing": [_document(c.plan, code) for code in missing],
        "conditional_unknown": conditional_unknown,
    }
    return (rule.outcome_if_missing if missing else Outcome.PASS), data


def _document(plan: _PackPlan, code: str) -> dict[str, str]:
    """{code, name_zh, name_en} of a document (its code as its name when the pack lacks it)."""
    found = plan.documents.get(code)
    return dict(found) if found is not None else {"code": code, "name_zh": code, "name_en": code}


def _negative_list(p: _RulePlan, c: _Context):
    answers = c.facts.get("negative_list_answers") or {}
    data = {
        "hits": [dict(item) for code, item in p.extra if answers.get(code) is True],
        "unanswered": [code for code, _item in p.extra if code not in answers],
        "unanswered_items": [dict(item) for code, item in p.extra if code not in answers],
        "items": [code for code, _item in p.extra],
    }
    hits, unanswered = data["hits"], data["unanswered"]
    if hits:
        return Outcome.FAIL, data
    return (Outcome.REQUIRED if unanswered else Outcome.PASS), data


def _item(item) -> dict[str, str]:
    return {
        "code": item.code,
        "clause": item.clause,
        "name_zh": item.clause + item.text.zh,
        "name_en": f"{item.clause} {item.text.en}",
    }


def _shift(c: _Context, start: dt.date, offset: Offset) -> tuple[dt.date, tuple[int, ...]]:
    if offset.unit == "working_days":
        result = c.calendar.add_working_days(start, offset.amount)
        return result.date, result.unknown_years
    if offset.unit == "calendar_days":
        return start + dt.timedelta(days=offset.amount), ()
    if offset.unit == "months":
        return start + relativedelta(months=offset.amount), ()
    return start + relativedelta(years=offset.amount), ()


def _anchor(rule: DeadlineRule, c: _Context) -> tuple[dt.date | None, list[str], tuple[int, ...]]:
    """The anchor date, the facts missing to know it, and calendar years it ran through unknown."""
    if not isinstance(rule.anchor, LatestOf):
        anchor = c.facts.get(rule.anchor)
        return anchor, ([] if anchor is not None else [rule.anchor]), ()
    dates, missing, unknown_years = [], [], set()
    for term in rule.anchor.latest_of:
        value = c.facts.get(term.fact)
        if value is None:
            if not term.optional:
                missing.append(term.fact)
            continue
        if term.offset is not None:
            value, unknown = _shift(c, value, term.offset)
            unknown_years.update(unknown)
        dates.append(value)
    if missing:
        return None, missing, ()
    return max(dates), [], tuple(sorted(unknown_years))


def _extended(rule: DeadlineRule, c: _Context, due: dt.date) -> tuple[dt.date, str | None, list[str]]:
    """The due date after a timely, granted extension; its state; facts missing to decide it.

    States: None (none applied for), granted, pending (applied in time, not decided yet),
    applied_late (the original due date stands).
    """
    if rule.extension is None:
        return due, None, []
    applied = c.facts.get(rule.extension.applied_fact)
    granted = c.facts.get(rule.extension.new_due_fact)
    if applied is None:
        return due, None, ([rule.extension.applied_fact] if granted is not None else [])
    if applied > due:
        return due, "applied_late", []
    if granted is None:
        return due, "pending", []
    return granted, "granted", []


def _deadline(p: _RulePlan, c: _Context):
    rule: DeadlineRule = p.rule
    if rule.fixed is not None and rule.anchor is None:
        return _yearly_deadline(rule, c)
    anchor, missing, unknown_years = _anchor(rule, c)
    if missing:
        return Outcome.UNKNOWN, {"missing_facts": missing}
    if rule.fixed is not None:
        year = anchor.year + rule.fixed.year_offset
        original = dt.date(year, rule.fixed.month, rule.fixed.day)
    else:
        original, shifted_years = _shift(c, anchor, rule.offset)
        unknown_years = tuple(sorted({*unknown_years, *shifted_years}))
    due, extension, missing = _extended(rule, c, original)
    if missing:
        return Outcome.UNKNOWN, {"missing_facts": missing}
    done = c.facts.get(rule.done_fact) if rule.done_fact else None
    data = {
        "anchor": rule.anchor_facts if isinstance(rule.anchor, LatestOf) else rule.anchor,
        "anchor_date": anchor,
        "due_date": due,
        "done_on": done,
        "days_left": (due - c.as_of).days,
        "calendar_unknown_years": list(unknown_years),
    }
    if rule.extension is not None:
        data.update(original_due_date=original, extension=extension)
    late = (done > due) if done is not None else (c.as_of > due)
    if late and extension == "pending":
        # Applied for in time and not decided yet: the approved new date will say.
        return Outcome.UNKNOWN, {"missing_facts": [rule.extension.new_due_fact]}
    if done is not None:
        return (Outcome.FAIL if late else Outcome.PASS), data
    return (Outcome.FAIL if late else Outcome.REQUIRED), data


def _yearly_deadline(rule: DeadlineRule, c: _Context):
    """A duty every year by a fixed day (e.g. 每年年底前 a report), owed from the `since` date on.

    The last due day on or before `as_of` was missed when nothing was done in the year up to
    it (and the duty had begun by then); otherwise the next due day is the one to meet.
    """
    since = c.facts.get(rule.since) if rule.since else None
    if rule.since and since is None:
        return Outcome.UNKNOWN, {"missing_facts": [rule.since]}
    month, day = rule.fixed.month, rule.fixed.day
    last_due = dt.date(c.as_of.year, month, day)
    if last_due >= c.as_of:
        last_due = dt.date(c.as_of.year - 1, month, day)
    next_due = dt.date(last_due.year + 1, month, day)
    done = c.facts.get(rule.done_fact) if rule.done_fact else None
    owed_last = since is None or since <= last_due
    met_last = done is not None and dt.date(last_due.year - 1, month, day) < done <= last_due
    filed_since = done is not None and done > last_due
    due = last_due if owed_last and not (met_last or filed_since) else next_due
    data = {
        "since": since,
        "done_on": done,
        "due_date": due,
        "days_left": (due - c.as_of).days,
        "calendar_unknown_years": [],
    }
    if due == last_due:
        return Outcome.FAIL, data
    return (Outcome.PASS if filed_since else Outcome.REQUIRED), data


def _window(p: _RulePlan, c: _Context):
    rule: WindowRule = p.rule
    anchor = c.facts.get(rule.anchor)
    if anchor is None:
        return Outcome.UNKNOWN, {"missing_facts": [rule.anchor]}
    opens, unknown_open = _shift(c, anchor, rule.opens)
    closes, unknown_close = _shift(c, anchor, rule.closes)
    done = c.facts.get(rule.done_fact) if rule.done_fact else None
    data = {
        "anchor": rule.anchor,
        "anchor_date": anchor,
        "opens_on": opens,
        "closes_on": closes,
        "done_on": done,
        "calendar_unknown_years": sorted(set(unknown_open) | set(unknown_close)),
    }
    if done is not None:
        return (Outcome.PASS if opens <= done <= closes else Outcome.FAIL), data
    if c.as_of < opens:
        return Outcome.INFO, data
    return (Outcome.REQUIRED if c.as_of <= closes else Outcome.FAIL), data


def _condition(p: _RulePlan, c: _Context):
    rule: ConditionRule = p.rule
    condition, names = p.extra
    result = condition(c.facts)
    if result is None:
        return Outcome.UNKNOWN, {"missing_facts": _missing_of(names, c.facts)}
    return (rule.when_true if result else rule.when_false), {"condition_met": result}


def change_tolerance_facts(rule: ChangeToleranceRule) -> list[str]:
    """The facts a change-tolerance rule needs, in the order it asks for them."""
    needed = ["approved_estimate_wan", "adjustment_wan"]
    if rule.new_content_max_ratio is not None or rule.new_content_max_wan is not None:
        needed.append("new_content_wan")
    if rule.only_before_procurement:
        needed.append("procurement_started")
    if rule.requires_goal_unchanged:
        needed.append("goal_changed")
    if rule.requires_within_estimate:
        needed.append("within_estimate")
    if rule.allowed_reasons:
        needed.append("change_reason")
    return needed


def _change_tolerance(p: _RulePlan, c: _Context):
    rule: ChangeToleranceRule = p.rule
    if missing := _missing_of(p.extra, c.facts):
        return Outcome.UNKNOWN, {"missing_facts": missing}
    f = c.facts
    estimate = f["approved_estimate_wan"]
    savings = f.get("tender_savings_wan") if rule.exclude_tender_savings else None
    increase, decrease = f.get("adjustment_increase_wan"), f.get("adjustment_decrease_wan")
    if rule.adjustment_basis == "larger_of" and increase is not None and decrease is not None:
        # The savings are money the tender left over: part of the decrease, never of the increase.
        decrease = abs(decrease)
        if savings:
            decrease = max(decrease - savings, Decimal(0))
        adjustment = max(abs(increase), decrease)
    else:
        adjustment = abs(f["adjustment_wan"])
        if savings:
            adjustment = max(adjustment - savings, Decimal(0))
    ratio = (adjustment / estimate) if estimate else Decimal("Infinity")
    reasons = []
    if ratio > rule.max_ratio:
        reasons.append("ratio")
    if (
        rule.new_content_max_ratio is not None
        and estimate
        and f["new_content_wan"] / estimate > rule.new_content_max_ratio
    ):
        reasons.append("new_content_ratio")
    if rule.new_content_max_wan is not None and f["new_content_wan"] > rule.new_content_max_wan:
        reasons.append("new_content_amount")
    if rule.only_before_procurement and f["procurement_started"]:
        reasons.append("after_procurement")
    if rule.requires_goal_unchanged and f["goal_changed"]:
        reasons.append("goal_changed")
    if rule.requires_within_estimate and not f["within_estimate"]:
        reasons.append("beyond_estimate")
    if rule.allowed_reasons and f["change_reason"] not in rule.allowed_reasons:
        reasons.append("reason_not_allowed")
    data = {
        "adjustment_counted_wan": adjustment,
        # Rounded up, so an overrun never displays as equal to the limit (15.001% → 15.01%).
        "ratio_percent": (ratio * 100).quantize(Decimal("0.01"), rounding=ROUND_CEILING)
        if ratio.is_finite()
        else None,
        "max_percent": (rule.max_ratio * 100).normalize(),
        "route": rule.route_beyond if reasons else rule.route_within,
        "beyond_because": reasons,
    }
    return (Outcome.REQUIRED if reasons else Outcome.PASS), data


def _track(p: _RulePlan, c: _Context):
    missing: list[str] = []
    for option, when, names in p.extra:
        holds = True if when is None else when(c.facts)
        if holds is None:
            missing += _missing_of(names, c.facts)
            break
        if holds:
            return Outcome.INFO, {
                "track": option.track,
                "track_name_zh": option.name.zh,
                "track_name_en": option.name.en,
                "stages": list(option.stages),
            }
    if missing:
        return Outcome.UNKNOWN, {"missing_facts": sorted(set(missing))}
    return Outcome.NOT_APPLICABLE, {}


def _ratio_cap(p: _RulePlan, c: _Context):
    rule: RatioCapRule = p.rule
    if missing := _missing(rule.fact, rule.base_fact, facts=c.facts):
        return Outcome.UNKNOWN, {"missing_facts": missing}
    cap = c.facts[rule.base_fact] * rule.max_ratio
    value = c.facts[rule.fact]
    return (Outcome.PASS if value <= cap else Outcome.FAIL), {"value": value, "cap_wan": cap}


_EVALUATORS = {
    ThresholdRule: _threshold,
    RequiredDocumentsRule: _required_documents,
    NegativeListRule: _negative_list,
    DeadlineRule: _deadline,
    WindowRule: _window,
    ConditionRule: _condition,
    ChangeToleranceRule: _change_tolerance,
    TrackRule: _track,
    RatioCapRule: _ratio_cap,
}


def measure_status(pack: RulePackSpec, as_of: dt.date, *, warn_days: int = 30) -> dict[str, Any]:
    """Whether the measure is in force on `as_of`; expired and soon-to-expire measures are flagged."""
    measure = pack.measure
    if as_of < measure.effective_from:
        state = "not_yet_effective"
    elif measure.effective_to and as_of > measure.effective_to:
        state = "expired"
    elif measure.effective_to and (measure.effective_to - as_of).days <= warn_days:
        state = "expiring"
    else:
        state = "in_force"
    days_left = (measure.effective_to - as_of).days if measure.effective_to else None
    messages = {
        "not_yet_effective": ("办法尚未施行（{d}起施行）", "The measure is not yet in force (from {d})"),
        "expired": (
            "办法已于{d}失效，仍按最后有效版本执行并提示",
            "The measure expired on {d}; its last version is applied and flagged",
        ),
        "expiring": ("办法将于{d}失效（剩余{n}天）", "The measure expires on {d} ({n} days left)"),
        "in_force": ("办法现行有效", "The measure is in force"),
    }
    day = measure.effective_from if state == "not_yet_effective" else measure.effective_to
    zh, en = messages[state]
    return {
        "state": state,
        "flagged": state != "in_force",
        "effective_from": measure.effective_from.isoformat(),
        "effective_to": measure.effective_to.isoformat() if measure.effective_to else None,
        "days_left": days_left,
        "message": {
            "zh": zh.format(d=day, n=days_left),
            "en": en.format(d=day, n=days_left),
        },
    }
