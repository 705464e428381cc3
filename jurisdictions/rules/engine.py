"""Facts + rule pack → verdicts. Pure: no ORM, no clock, no I/O.

Every verdict names its rule, the article it comes from and the data behind the outcome
(due date, missing documents, ratio), so a service, a page or a report can say exactly
which rule of which pack version it applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_CEILING, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta

from jurisdictions.rules.calendar import WorkingCalendar
from jurisdictions.rules.conditions import evaluate_condition, missing_facts
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


@dataclass
class _Context:
    pack: RulePackSpec
    facts: dict[str, Any]
    as_of: dt.date
    calendar: WorkingCalendar
    tracks: dict[str, Verdict] = field(default_factory=dict)  # track code → its track rule's verdict

    def track_verdict(self, track: str) -> Verdict:
        """The verdict of the one track rule offering `track`, evaluated once per evaluation."""
        if track not in self.tracks:
            chooser = next(r for r in self.pack.rules if isinstance(r, TrackRule) and track in r.track_codes)
            verdict = evaluate_rule(chooser, self)
            self.tracks.update(dict.fromkeys(chooser.track_codes, verdict))
        return self.tracks[track]


def evaluate(
    pack: RulePackSpec,
    facts: Mapping[str, Any],
    *,
    as_of: dt.date,
    calendar: WorkingCalendar | None = None,
    phases: Iterable[str] | None = None,
    rule_ids: Iterable[str] | None = None,
) -> list[Verdict]:
    """Evaluate every rule of `pack` (or the given phases / ids) on `facts` as of a date."""
    context = _Context(pack, parse_facts(facts), as_of, calendar or WorkingCalendar())
    wanted_phases = set(phases) if phases is not None else None
    wanted_ids = set(rule_ids) if rule_ids is not None else None
    exclusion = _exclusion(context)
    verdicts = []
    for rule in pack.rules:
        if wanted_phases is not None and rule.phase.value not in wanted_phases:
            continue
        if wanted_ids is not None and rule.id not in wanted_ids:
            continue
        if exclusion is not None and rule is not exclusion:
            verdicts.append(_excluded(rule, exclusion, context))
        else:
            verdicts.append(evaluate_rule(rule, context))
    return verdicts


def _exclusion(context: _Context) -> ConditionRule | None:
    """The first `excludes_measure` rule that holds: the project is outside the measure.

    An exclusion that is unknown (its fact not given) excludes nothing: the other rules are
    evaluated and the scope rule itself asks for the fact.
    """
    for rule in context.pack.rules:
        if isinstance(rule, ConditionRule) and rule.excludes_measure:
            applies = (
                True if rule.applies_when is None else evaluate_condition(rule.applies_when, context.facts)
            )
            if applies and evaluate_condition(rule.condition, context.facts) is True:
                return rule
    return None


def _excluded(rule, exclusion: ConditionRule, context: _Context) -> Verdict:
    verdict = _verdict(rule, context, Outcome.NOT_APPLICABLE, {"excluded_by": exclusion.id})
    cited = exclusion.citation.article + (exclusion.citation.clause or "")
    message = Text(zh=f"{exclusion.message.zh}（{cited}）", en=f"{exclusion.message.en} (Article {cited})")
    return replace(verdict, message=message)


def evaluate_rule(rule, context: _Context) -> Verdict:
    if rule.applies_when is not None:
        applies = evaluate_condition(rule.applies_when, context.facts)
        if applies is False:
            return _verdict(rule, context, Outcome.NOT_APPLICABLE, {})
        if applies is None:
            return _unknown(rule, context, missing_facts(rule.applies_when, context.facts))
    if isinstance(rule, RequiredDocumentsRule) and rule.track is not None:
        chosen = context.track_verdict(rule.track)
        if chosen.outcome is Outcome.UNKNOWN:
            return _unknown(rule, context, chosen.data["missing_facts"])
        if chosen.data.get("track") != rule.track:
            return _verdict(
                rule,
                context,
                Outcome.NOT_APPLICABLE,
                {"track": rule.track, "chosen": chosen.data.get("track")},
            )
    outcome, data = _EVALUATORS[type(rule)](rule, context)
    if outcome is Outcome.UNKNOWN:
        return _unknown(rule, context, data["missing_facts"])
    verdict = _verdict(rule, context, outcome, data)
    if isinstance(rule, TrackRule) and outcome is Outcome.INFO and rule.pass_message is None:
        chosen = Text(
            zh=f"{rule.title.zh}：{data['track_name_zh']}", en=f"{rule.title.en}: {data['track_name_en']}"
        )
        verdict = replace(verdict, message=chosen)
    if isinstance(rule, NegativeListRule) and outcome is Outcome.REQUIRED:
        # Nothing was found against the project: say which questions are open, not a failure.
        items = data["unanswered_items"]
        verdict = replace(
            verdict,
            message=Text(
                zh=f"{rule.title.zh}：尚未回答" + "、".join(i["name_zh"] for i in items),
                en=f"{rule.title.en}: not answered yet: " + ", ".join(i["name_en"] for i in items),
            ),
        )
    if isinstance(rule, WindowRule) and outcome is Outcome.INFO:
        # Not open yet: neither done nor late, only when it will be due.
        opens, closes = data["opens_on"].isoformat(), data["closes_on"].isoformat()
        verdict = replace(
            verdict,
            message=Text(
                zh=f"{rule.title.zh}：尚未开始，{opens}起至{closes}止",
                en=f"{rule.title.en}: not open yet; from {opens} to {closes}",
            ),
        )
    return verdict


def _citation(rule, pack: RulePackSpec) -> dict[str, Any]:
    return {
        "measure": pack.measure.title.zh,
        "document_number": pack.measure.document_number,
        "article": rule.citation.article,
        "clause": rule.citation.clause,
        "text": pack.measure.cite(rule.citation.article, rule.citation.clause),
    }


def _verdict(rule, context: _Context, outcome: Outcome, data: dict[str, Any]) -> Verdict:
    if outcome in NOT_SATISFIED or _info_on_the_unsatisfied_side(rule, outcome):
        message = _say(rule.message, data)
    elif getattr(rule, "excludes_measure", False) and data.get("condition_met") is True:
        message = _say(rule.message, data)  # the project is outside the measure: say why
    elif outcome is Outcome.NOT_APPLICABLE:
        message = Text(zh="不适用：" + rule.title.zh, en="Not applicable: " + rule.title.en)
    else:
        message = _say(rule.pass_message or rule.title, data)
    return Verdict(
        rule_id=rule.id,
        kind=rule.kind,
        phase=rule.phase.value,
        outcome=outcome,
        title=rule.title,
        message=message,
        citation=_citation(rule, context.pack),
        effect=rule.effect,
        blocks=rule.blocks,
        data=data,
    )


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


def _unknown(rule, context: _Context, missing: list[str]) -> Verdict:
    verdict = _verdict(rule, context, Outcome.UNKNOWN, {"missing_facts": missing})
    # People read what is missing by its name; the codes stay in data["missing_facts"].
    message = Text(
        zh=f"尚需填报：{'、'.join(fact_label(name) for name in missing)}（{rule.title.zh}）",
        en=f"Still to be given: {'; '.join(fact_label(n, english=True) for n in missing)} ({rule.title.en})",
    )
    return replace(verdict, message=message)


def _missing(*names: str, facts: dict[str, Any]) -> list[str]:
    return [name for name in names if facts.get(name) is None]


# ---------------------------------------------------------------------------- per kind


def _threshold(rule: ThresholdRule, c: _Context):
    if missing := _missing(rule.fact, facts=c.facts):
        return Outcome.UNKNOWN, {"missing_facts": missing}
    value = c.facts[rule.fact]
    met = {
        "gt": value > rule.value,
        "gte": value >= rule.value,
        "lt": value < rule.value,
        "lte": value <= rule.value,
    }[rule.op]
    data = {"fact": rule.fact, "value": value, "op": rule.op, "threshold": rule.value, "met": met}
    return (rule.when_met if met else rule.when_not_met), data


def _required_documents(rule: RequiredDocumentsRule, c: _Context):
    on_file = c.facts.get("documents") or frozenset()
    required, conditional_unknown = [], []
    for requirement in rule.documents:
        needed = True if requirement.when is None else evaluate_condition(requirement.when, c.facts)
        if needed is None:
            conditional_unknown.append(requirement.code)
        if needed is not False:  # unknown counts as required: ask rather than let it slip
            required.append(requirement.code)
    missing = [code for code in required if code not in on_file]
    data = {
        "stage": rule.stage,
        "track": rule.track,
        "required": required,
        "missing": [_document(c.pack, code) for code in missing],
        "conditional_unknown": conditional_unknown,
    }
    return (rule.outcome_if_missing if missing else Outcome.PASS), data


def _document(pack: RulePackSpec, code: str) -> dict[str, str]:
    name = pack.document_name(code)
    return {"code": code, "name_zh": name.zh, "name_en": name.en}


def _negative_list(rule: NegativeListRule, c: _Context):
    answers = c.facts.get("negative_list_answers") or {}
    hits = [item for item in rule.items if answers.get(item.code) is True]
    unanswered = [item for item in rule.items if item.code not in answers]
    data = {
        "hits": [_item(i) for i in hits],
        "unanswered": [item.code for item in unanswered],
        "unanswered_items": [_item(i) for i in unanswered],
        "items": [item.code for item in rule.items],
    }
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


def _deadline(rule: DeadlineRule, c: _Context):
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


def _window(rule: WindowRule, c: _Context):
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


def _condition(rule: ConditionRule, c: _Context):
    result = evaluate_condition(rule.condition, c.facts)
    if result is None:
        return Outcome.UNKNOWN, {"missing_facts": missing_facts(rule.condition, c.facts)}
    return (rule.when_true if result else rule.when_false), {"condition_met": result}


def _change_tolerance(rule: ChangeToleranceRule, c: _Context):
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
    if missing := _missing(*needed, facts=c.facts):
        return Outcome.UNKNOWN, {"missing_facts": missing}
    f = c.facts
    estimate = f["approved_estimate_wan"]
    adjustment = abs(f["adjustment_wan"])
    if rule.exclude_tender_savings and f.get("tender_savings_wan"):
        adjustment = max(adjustment - f["tender_savings_wan"], Decimal(0))
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


def _track(rule: TrackRule, c: _Context):
    missing: list[str] = []
    for option in rule.options:
        holds = True if option.when is None else evaluate_condition(option.when, c.facts)
        if holds is None:
            missing += missing_facts(option.when, c.facts)
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


def _ratio_cap(rule: RatioCapRule, c: _Context):
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
