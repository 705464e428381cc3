"""The typed schema of a rule pack, one model per rule kind.

A pack is YAML (jurisdictions/packs/<code>.yaml) or the same data edited by an admin.
`validate_pack` turns either into a RulePackSpec or raises PackError whose problems name
the field as a dotted path and, for YAML, the line.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.functional_validators import BeforeValidator

from jurisdictions.rules.conditions import Condition, parse_condition
from jurisdictions.rules.errors import PackError
from jurisdictions.rules.facts import FactType, fact_type

SCHEMA_VERSION = 1
# The master lifecycle's transitions (projects.models.Project): a rule's `blocks` names these.
TRANSITIONS = (
    "declare",
    "return_for_revision",
    "resubmit",
    "enter_library",
    "plan",
    "submit_for_review",
    "approve",
    "reject",
    "start_construction",
    "start_trial_operation",
    "apply_for_acceptance",
    "accept",
    "suspend",
    "resume",
    "terminate",
    "decommission",
)
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条$")


class Outcome(StrEnum):
    PASS = "pass"  # 通过
    FAIL = "fail"  # 不符合 — blocks the transitions the rule names
    REQUIRED = "required"  # 须办理 — something must be done or provided
    INFO = "info"  # 提示
    NOT_APPLICABLE = "not_applicable"  # 不适用
    UNKNOWN = "unknown"  # 缺少事实 — the facts it needs were not given


class Phase(StrEnum):
    SCOPE = "scope"
    INTAKE = "intake"
    REVIEW = "review"
    APPROVAL = "approval"
    CONSTRUCTION = "construction"
    CHANGE = "change"
    ACCEPTANCE = "acceptance"
    EVALUATION = "evaluation"
    OM_FUNDING = "om_funding"
    DECOMMISSION = "decommission"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Citation(Strict):
    article: str = Field(description="e.g. 第十九条")
    clause: str | None = Field(default=None, description="e.g. （二） or 第二款")
    quote: str | None = Field(default=None, description="the words of the article the rule encodes")

    @field_validator("article")
    @classmethod
    def _article(cls, value: str) -> str:
        if not ARTICLE.match(value):
            raise ValueError("must be an article such as 第十九条")
        return value


def cited_article(citation) -> str:
    """「第十九条（二）」: the article and clause of a Citation, or of one as a verdict's JSON keeps it."""
    if not citation:
        return ""
    if isinstance(citation, dict):
        return (citation.get("article") or "") + (citation.get("clause") or "")
    return citation.article + (citation.clause or "")


ConditionField = Annotated[Condition, BeforeValidator(parse_condition)]


class Coded(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text


class Offset(Strict):
    amount: int
    unit: Literal["calendar_days", "working_days", "months", "years"]


class FixedDate(Strict):
    """A fixed day of the year, e.g. 6-30 or 12-31; `year_offset` counts from the anchor's year."""

    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    year_offset: int = 0

    @model_validator(mode="after")
    def _exists_every_year(self):
        try:
            dt.date(2025, self.month, self.day)  # a common year: 2-29 does not exist every year
        except ValueError as exc:
            raise ValueError(f"{self.month}-{self.day} is not a day of every year") from exc
        return self


class RuleBase(Strict):
    id: str = Field(pattern=r"^[a-z]+(\.[a-z0-9_]+)+$")
    phase: Phase
    title: Text
    citation: Citation
    message: Text = Field(description="what the verdict says when the rule is not satisfied")
    pass_message: Text | None = None
    applies_when: ConditionField | None = None
    blocks: tuple[Literal[TRANSITIONS], ...] = Field(
        default=(), description="transitions a failing verdict forbids"
    )
    effect: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    note: Text | None = Field(default=None, description="how an ambiguity of the text was decided")
    switched_off: Text | None = Field(
        default=None,
        description="an admin switched the rule off, and why: it is kept, and says so as not applicable",
    )


class ThresholdRule(RuleBase):
    """`fact op value` holds → `when_met`, else `when_not_met` (e.g. 监理 required at ≥200万元)."""

    kind: Literal["threshold"]
    fact: str
    op: Literal["gt", "gte", "lt", "lte"]
    value: Decimal
    when_met: Outcome = Outcome.REQUIRED
    when_not_met: Outcome = Outcome.PASS


class DocumentRequirement(Strict):
    code: str
    when: ConditionField | None = None


class RequiredDocumentsRule(RuleBase):
    """Documents that must be on file for a stage (and track); missing ones are listed."""

    kind: Literal["required_documents"]
    stage: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    track: str | None = None
    documents: tuple[DocumentRequirement, ...] = Field(min_length=1)
    outcome_if_missing: Outcome = Outcome.FAIL


class NegativeListItem(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    clause: str
    text: Text


class NegativeListRule(RuleBase):
    """Screening questions (负面清单); any item answered true fails, unanswered ones are asked."""

    kind: Literal["negative_list"]
    items: tuple[NegativeListItem, ...] = Field(min_length=1)


class DateTerm(Strict):
    """One date of a `latest_of` anchor: a date fact, optionally shifted by an offset."""

    fact: str
    offset: Offset | None = None
    optional: bool = Field(
        default=False, description="when the fact is not given it is left out instead of unknown"
    )


class LatestOf(Strict):
    """An anchor that is the latest of several dates (e.g. review passed, prerequisites complete).

    Unknown while a date that is not `optional` is missing; an optional date that is not given
    is left out (e.g. a contract end date later than the legal minimum, when there is one).
    """

    latest_of: tuple[DateTerm, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_required(self):
        if all(term.optional for term in self.latest_of):
            raise ValueError("`latest_of` needs at least one date that is not optional")
        return self

    @property
    def facts(self) -> list[str]:
        return [term.fact for term in self.latest_of]


TAKER_ROLES = ("reviewer", "expert", "security_reviewer", "finance_officer", "jurisdiction_admin")


class Taker(Strict):
    """Who takes a step or gives an opinion: a body the measure names, by department code and role.

    `department` is the code of a department of the jurisdiction whose members of `role` act for the
    body; without it any member of `role` in the jurisdiction does (the data bureau itself).
    """

    name: Text
    role: Literal[TAKER_ROLES] = "reviewer"
    department: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_-]*$")


class Duty(Strict):
    """What a deadline or a window asks of someone, for reminders (stored deadlines, the daily scan)."""

    responsible: Taker | None = Field(
        default=None,
        description="who must meet it (a body: role, department); none: the project's department",
    )
    remind: bool = Field(
        default=True, description="false: a check the engine makes, not a duty to remind anyone of"
    )


class Extension(Strict):
    """An extension (延期) that moves the due date when it was applied for in time.

    Applied for on or before the original due date and granted: the granted date is the due
    date. Applied for in time and not decided yet: once the original date has passed, the
    outcome waits for the decision (unknown). Applied for late: the original date stands.
    """

    applied_fact: str = Field(description="date fact: when the extension was applied for")
    new_due_fact: str = Field(description="date fact: the new due date granted")


class DeadlineRule(Duty, RuleBase):
    """A due date: anchor date + offset, or a fixed day of the year. `done_fact` says it was met.

    `fixed` with an `anchor` is one due day (in the anchor's year + year_offset); `fixed`
    without one is a duty every year, owed from the `since` date on (e.g. construction start).
    The anchor is one date fact or `latest_of` several; `extension` lets an approved, timely
    extension move the due date.
    """

    kind: Literal["deadline"]
    anchor: str | LatestOf | None = None
    offset: Offset | None = None
    fixed: FixedDate | None = None
    since: str | None = Field(default=None, description="yearly duties: the date fact the duty starts on")
    done_fact: str | None = None
    extension: Extension | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.fixed is None and (self.anchor is None or self.offset is None):
            raise ValueError("a deadline needs `anchor` and `offset`, or `fixed`")
        if self.fixed is not None and self.offset is not None:
            raise ValueError("a deadline has `offset` or `fixed`, not both")
        if self.since is not None and (self.fixed is None or self.anchor is not None):
            raise ValueError("`since` is for yearly deadlines: `fixed` without `anchor`")
        if self.fixed is not None and self.anchor is None and self.fixed.year_offset:
            raise ValueError("a yearly deadline (`fixed` without `anchor`) has no `year_offset`")
        if self.extension is not None and self.anchor is None:
            raise ValueError("`extension` needs an `anchor`: a yearly duty has no single due date to move")
        return self

    @property
    def anchor_facts(self) -> list[str]:
        if isinstance(self.anchor, LatestOf):
            return self.anchor.facts
        return [self.anchor] if self.anchor else []


class WindowRule(Duty, RuleBase):
    """A window that opens and closes at offsets from an anchor (e.g. self-evaluation 12–24 months)."""

    kind: Literal["window"]
    anchor: str
    opens: Offset
    closes: Offset
    done_fact: str | None = None


class ConditionRule(RuleBase):
    """A condition over facts; `when_true`/`when_false` give the outcome (eligibility, screening).

    `excludes_measure`: the condition puts the project outside the measure (e.g. 涉密项目): while
    it holds, every other rule of the pack is not applicable and says why with this message.
    """

    kind: Literal["condition"]
    condition: ConditionField
    when_true: Outcome = Outcome.FAIL
    when_false: Outcome = Outcome.PASS
    excludes_measure: bool = False

    @model_validator(mode="after")
    def _exclusion(self):
        if self.excludes_measure and self.when_true is not Outcome.NOT_APPLICABLE:
            raise ValueError("`excludes_measure` needs `when_true: not_applicable`")
        return self


class ChangeToleranceRule(RuleBase):
    """Routes a change (调整) by its size against the approved estimate."""

    kind: Literal["change_tolerance"]
    max_ratio: Decimal = Field(gt=0, le=1)
    new_content_max_ratio: Decimal | None = Field(default=None, gt=0, le=1)
    new_content_max_wan: Decimal | None = Field(default=None, gt=0)
    exclude_tender_savings: bool = False
    # How the adjustment is counted: "adjustment" reads `adjustment_wan`; "larger_of" (包头 第二十一条)
    # takes the larger of the increased and the decreased content's investment when both are given
    # (`adjustment_increase_wan`, `adjustment_decrease_wan`; tender savings are part of the decrease),
    # and `adjustment_wan` otherwise.
    adjustment_basis: Literal["adjustment", "larger_of"] = "adjustment"
    only_before_procurement: bool = False
    requires_goal_unchanged: bool = False
    requires_within_estimate: bool = False
    allowed_reasons: tuple[str, ...] = ()
    route_within: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    route_beyond: str = Field(pattern=r"^[a-z][a-z0-9_]*$")


class TrackOption(Strict):
    track: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    when: ConditionField | None = None
    stages: tuple[str, ...] = Field(min_length=1, description="document stages in order")


class TrackRule(RuleBase):
    """Chooses the approval track (审批路径): the first option whose condition holds.

    A required-documents rule that names a `track` applies only when its track is chosen.
    """

    kind: Literal["track"]
    options: tuple[TrackOption, ...] = Field(min_length=1)

    @property
    def track_codes(self) -> set[str]:
        return {option.track for option in self.options}


class RatioCapRule(RuleBase):
    """`fact` may not exceed `max_ratio` × `base_fact` (e.g. O&M ≤ 10% of investment a year)."""

    kind: Literal["ratio_cap"]
    fact: str
    base_fact: str
    max_ratio: Decimal = Field(gt=0)


Rule = Annotated[
    ThresholdRule
    | RequiredDocumentsRule
    | NegativeListRule
    | DeadlineRule
    | WindowRule
    | ConditionRule
    | ChangeToleranceRule
    | TrackRule
    | RatioCapRule,
    Field(discriminator="kind"),
]


# ------------------------------------------------------------------ review and approval (who decides)
# The review and approval procedure of a measure: which review steps a project goes through and who
# takes each, which department opinions (会签) it needs, and which approval stages its track has.
# The records that follow them live in the approvals app; this is only what the measure says.


class ReviewStepSpec(Strict):
    """A review a project must pass before `before`: pre-review, expert, third-party or joint review."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    before: Literal[TRANSITIONS]
    stage: str | None = Field(
        default=None, description="with before: approve, the approval stage whose decision it precedes"
    )
    taker: Taker
    ways: tuple[Literal["decision", "experts", "third_party"], ...] = Field(
        default=("decision",),
        min_length=1,
        description="how the taker may reach the outcome: own decision, assigned experts, a third party",
    )
    optional: bool = Field(
        default=False, description="taken only when the taker decides to organise it (根据需要)"
    )
    when: ConditionField | None = Field(default=None, description="applies only when this holds")
    citation: Citation


class OpinionSpec(Strict):
    """One department opinion (会签意见) or prerequisite a project needs."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text = Field(description="what the opinion is about, e.g. 密码应用前置要件")
    giver: Taker
    when: ConditionField | None = None
    citation: Citation


class OpinionsSpec(Strict):
    before: Literal[TRANSITIONS]
    mode: Literal["all", "any"] = Field(default="all", description="all must agree, or any one (或签)")
    items: tuple[OpinionSpec, ...] = Field(min_length=1)
    citation: Citation


class StageSpec(Strict):
    """An approval stage a track lists (its code is a stage of a track option)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    decision: Literal["approval", "filing"] = "approval"
    amount: bool = Field(default=False, description="the decision states an approved amount (the baseline)")
    fields: tuple[Coded, ...] = Field(default=(), description="what a filing records (备案内容)")
    citation: Citation


class StageCeiling(Strict):
    """A later stage's amount may not exceed an earlier stage's approved amount without `document`."""

    stage: str
    over: str
    fact: str = Field(description="the fact that says it does (e.g. design_exceeds_fsr)")
    citation: Citation


class ApprovalSpec(Strict):
    track_rule: str = Field(description="the track rule whose chosen option lists the stages")
    stages: tuple[StageSpec, ...] = Field(min_length=1)
    decider: Taker
    clock_rule: str | None = Field(default=None, description="a deadline rule: the decision clock")
    ceilings: tuple[StageCeiling, ...] = ()
    citation: Citation

    def stage(self, code: str) -> StageSpec | None:
        return next((stage for stage in self.stages if stage.code == code), None)


class ReviewSpec(Strict):
    steps: tuple[ReviewStepSpec, ...] = ()
    opinions: OpinionsSpec | None = None
    approval: ApprovalSpec | None = None


class JurisdictionInfo(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: Text
    level: Literal["province", "city", "district", "county"]
    parent: str | None = None


class Measure(Strict):
    title: Text
    document_number: str | None = None
    issuer: Text | None = None
    published: dt.date | None = None
    effective_from: dt.date
    effective_to: dt.date | None = None
    validity: Text = Field(description="how the period of validity is stated and decided")
    source: str = Field(description="the seed file the pack encodes")

    @model_validator(mode="after")
    def _dates(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def cite(self, article: str, clause: str | None = None) -> str:
        head = self.document_number or self.title.zh
        return f"{head} {article}{clause or ''}"


class Edition(Strict):
    """The version itself (not the measure): when it applies, and what changed (an admin's publication).

    A version without one applies from the measure's dates. A version edited in the browser says
    from which day it applies (e.g. a lowered threshold from next month) and its change note.
    """

    effective_from: dt.date
    effective_to: dt.date | None = None
    note: str = Field(default="", max_length=2000, description="what changed, for the version list")

    @model_validator(mode="after")
    def _dates(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


DATE_FIELDS = ("done_fact", "since")


class RulePackSpec(Strict):
    schema_version: Literal[1]
    jurisdiction: JurisdictionInfo
    measure: Measure
    categories: tuple[Coded, ...] = ()
    documents: tuple[Coded, ...] = ()
    settings: dict[str, Any] = Field(
        default_factory=dict, description="configurable, unset values (e.g. 一定额度)"
    )
    rules: tuple[Rule, ...] = Field(min_length=1)
    review: ReviewSpec = Field(default_factory=ReviewSpec)
    edition: Edition | None = None

    @property
    def effective_from(self) -> dt.date:
        """The first day this version applies: its edition's, else the measure's."""
        return self.edition.effective_from if self.edition else self.measure.effective_from

    @property
    def effective_to(self) -> dt.date | None:
        if self.edition and self.edition.effective_to:
            return self.edition.effective_to
        return self.measure.effective_to

    @model_validator(mode="after")
    def _references(self):
        problems = []
        seen: set[str] = set()
        prefix = self.jurisdiction.code + "."
        documents = {d.code for d in self.documents}
        for index, rule in enumerate(self.rules):
            where = f"rules.{index}"
            if rule.id in seen:
                problems.append(f"{where}.id: duplicate rule id {rule.id}")
            seen.add(rule.id)
            if not rule.id.startswith(prefix):
                problems.append(f"{where}.id: must start with `{prefix}`")
            for name, expected in _typed_fact_fields(rule):
                kind = fact_type(name)
                if kind is None:
                    problems.append(f"{where}: unknown fact `{name}`")
                elif kind not in expected:
                    problems.append(f"{where}: fact `{name}` is {kind.value}, needs {'/'.join(expected)}")
            if isinstance(rule, RequiredDocumentsRule) and rule.track is not None:
                offering = [
                    r.id for r in self.rules if isinstance(r, TrackRule) and rule.track in r.track_codes
                ]
                if len(offering) != 1:
                    found = f"offered by {', '.join(offering)}" if offering else "offered by no track rule"
                    problems.append(
                        f"{where}.track: track `{rule.track}` must be offered by one track rule ({found})"
                    )
            if isinstance(rule, TrackRule) and rule.switched_off is not None:
                problems.append(
                    f"{where}.switched_off: a track rule cannot be switched off (stages follow it)"
                )
            if isinstance(rule, RequiredDocumentsRule):
                for d_index, requirement in enumerate(rule.documents):
                    if requirement.code not in documents:
                        problems.append(
                            f"{where}.documents.{d_index}.code: `{requirement.code}` is not in `documents`"
                        )
        problems += self._review_problems()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _review_problems(self) -> list[str]:
        problems: list[str] = []
        by_id = {rule.id: rule for rule in self.rules}
        codes = [step.code for step in self.review.steps]
        if len(codes) != len(set(codes)):
            problems.append("review.steps: duplicate step code")
        if self.review.opinions:
            codes = [item.code for item in self.review.opinions.items]
            if len(codes) != len(set(codes)):
                problems.append("review.opinions.items: duplicate opinion code")
        approval = self.review.approval
        if approval is None:
            return problems
        for index, step in enumerate(self.review.steps):
            if step.stage is not None and (step.before != "approve" or approval.stage(step.stage) is None):
                problems.append(f"review.steps.{index}.stage: `{step.stage}` is no stage decided on approve")
        track = by_id.get(approval.track_rule)
        if not isinstance(track, TrackRule):
            problems.append(f"review.approval.track_rule: `{approval.track_rule}` is not a track rule")
        else:
            named = {stage.code for stage in approval.stages}
            used = {stage for option in track.options for stage in option.stages}
            if missing := sorted(used - named):
                problems.append(f"review.approval.stages: no entry for track stages {', '.join(missing)}")
        if approval.clock_rule and not isinstance(by_id.get(approval.clock_rule), DeadlineRule):
            problems.append(f"review.approval.clock_rule: `{approval.clock_rule}` is not a deadline rule")
        for index, ceiling in enumerate(approval.ceilings):
            if approval.stage(ceiling.stage) is None or approval.stage(ceiling.over) is None:
                problems.append(f"review.approval.ceilings.{index}: unknown stage")
            if fact_type(ceiling.fact) is not FactType.BOOLEAN:
                problems.append(f"review.approval.ceilings.{index}.fact: `{ceiling.fact}` is not yes/no")
        return problems

    def rule(self, rule_id: str):
        return next(rule for rule in self.rules if rule.id == rule_id)

    def document_name(self, code: str) -> Text:
        for document in self.documents:
            if document.code == code:
                return document.name
        return Text(zh=code, en=code)


NUMBER = (FactType.DECIMAL.value, FactType.INTEGER.value)
DATE = (FactType.DATE.value,)


def _typed_fact_fields(rule) -> list[tuple[str, tuple[str, ...]]]:
    pairs: list[tuple[str, tuple[str, ...]]] = []
    if isinstance(rule, ThresholdRule):
        pairs.append((rule.fact, NUMBER))
    if isinstance(rule, RatioCapRule):
        pairs += [(rule.fact, NUMBER), (rule.base_fact, NUMBER)]
    if isinstance(rule, DeadlineRule | WindowRule):
        pairs += [(getattr(rule, name), DATE) for name in DATE_FIELDS if getattr(rule, name, None)]
    if isinstance(rule, WindowRule):
        pairs.append((rule.anchor, DATE))
    if isinstance(rule, DeadlineRule):
        pairs += [(name, DATE) for name in rule.anchor_facts]
        if rule.extension is not None:
            pairs += [(rule.extension.applied_fact, DATE), (rule.extension.new_due_fact, DATE)]
    return pairs


# ---------------------------------------------------------------------------- loading


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as ISO strings (pydantic parses them) and records lines."""


_LineLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _index_lines(node, path=(), index=None) -> dict[tuple, int]:
    index = {} if index is None else index
    index[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            index[(*path, key.value)] = key.start_mark.line + 1
            _index_lines(value, (*path, key.value), index)
    elif isinstance(node, yaml.SequenceNode):
        for position, value in enumerate(node.value):
            _index_lines(value, (*path, position), index)
    return index


# The largest shipped pack has about 3,000 values; these bounds leave room and stop an alias bomb.
MAX_VALUES = 200_000
MAX_DEPTH = 40


def _within(value: Any, budget: list[int], depth: int = 0) -> bool:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(_within(item, budget, depth + 1) for item in value.values())
    if isinstance(value, list):
        return all(_within(item, budget, depth + 1) for item in value)
    return True


def load_pack_text(text: str, *, source: str = "<pack>") -> tuple[RulePackSpec, dict]:
    """Parse and validate YAML text; return the spec and the plain data that is stored."""
    try:
        loader = _LineLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PackError([{"field": source, "line": line, "problem": f"malformed YAML: {problem}"}]) from exc
    if node is None or not isinstance(data, dict):
        raise PackError([{"field": source, "line": 1, "problem": "a pack is a YAML mapping"}])
    if not _within(data, [MAX_VALUES]):
        # YAML aliases let a short text stand for a huge value ("billion laughs"): refuse it whole.
        raise PackError(
            [
                {
                    "field": source,
                    "line": 1,
                    "problem": f"a pack has at most {MAX_VALUES} values, nested {MAX_DEPTH} deep",
                }
            ]
        )
    lines = _index_lines(node)
    return validate_pack(data, lines=lines), data


def validate_pack(data: Any, *, lines: dict[tuple, int] | None = None) -> RulePackSpec:
    try:
        return RulePackSpec.model_validate(data)
    except ValidationError as exc:
        problems: list[dict] = []
        errors = exc.errors()
        for error in errors:
            if error["type"] == "too_short" and _inside(error["loc"], errors):
                continue  # the list's only item failed: report the item, not an "empty" list
            problems += _problems(error, lines or {})
        raise PackError(problems) from exc


_RULE_KINDS = {
    "threshold",
    "required_documents",
    "negative_list",
    "deadline",
    "window",
    "condition",
    "change_tolerance",
    "track",
    "ratio_cap",
}


def _inside(loc: tuple, errors: list[dict]) -> bool:
    return any(len(e["loc"]) > len(loc) and e["loc"][: len(loc)] == loc for e in errors)


def _clean_loc(raw: tuple) -> tuple:
    """Drop pydantic's union tags and validator names so the path reads as the YAML does."""
    loc: list = []
    for position, part in enumerate(raw):
        if isinstance(part, str) and part.startswith("function-"):
            continue
        # The discriminator tag sits right after ("rules", index); a field that happens to be
        # named like a kind (a condition rule's `condition`) comes later and is kept.
        after_rule_index = (
            position >= 2 and raw[position - 2] == "rules" and isinstance(raw[position - 1], int)
        )
        if isinstance(part, str) and part in _RULE_KINDS and after_rule_index:
            continue
        loc.append(part)
    return tuple(loc)


def _line(loc: tuple, lines: dict[tuple, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _problems(error: dict, lines: dict[tuple, int]) -> list[dict]:
    loc = _clean_loc(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if not loc and re.match(r"^rules\.\d+", message):
        # Cross-reference errors from RulePackSpec carry their own paths: "rules.3.id: ...; ...".
        found = []
        for piece in message.split("; "):
            path, _, problem = piece.partition(": ")
            sub = tuple(int(p) if p.isdigit() else p for p in path.split("."))
            found.append({"field": path, "line": _line(sub, lines), "problem": problem})
        return found
    field = ".".join(str(part) for part in loc) or "(pack)"
    return [{"field": field, "line": _line(loc, lines), "problem": message}]


# ---------------------------------------------------------------------------- writing

# Keys in the order a person reads a pack (and the shipped files are written); others follow as stored.
# PostgreSQL's jsonb keeps no key order, so an export puts them back in this one.
KEY_ORDER = (
    "schema_version",
    "jurisdiction",
    "measure",
    "edition",
    "categories",
    "documents",
    "settings",
    "rules",
    "review",
    "id",
    "code",
    "kind",
    "phase",
    "title",
    "name",
    "zh",
    "en",
    "citation",
    "article",
    "clause",
    "quote",
    "switched_off",
    "applies_when",
)


def _ordered(data: Any) -> Any:
    if isinstance(data, dict):
        rank = {key: index for index, key in enumerate(KEY_ORDER)}
        keys = sorted(data, key=lambda key: rank.get(key, len(rank)))
        return {key: _ordered(data[key]) for key in keys}
    if isinstance(data, list):
        return [_ordered(item) for item in data]
    return data


def dump_pack_text(content: dict, *, header: str = "") -> str:
    """A pack's stored content as YAML that `load_pack_text` (and `load_rulepacks`) reads back equal."""
    text = yaml.safe_dump(
        _ordered(content), allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    lines = "".join(f"# {line}\n" for line in header.splitlines())
    return lines + text
