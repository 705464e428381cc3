"""Forms of the rule editor, generated from the typed pack schema (jurisdictions.rules.schema).

One walk over a pydantic model's `model_fields` gives one Django field per simple value, named by its
dotted path (`value`, `citation.quote`, `items.2.text.zh`): the schema's errors come back with the same
paths, so each lands beside its field. Texts are a Chinese and an English input (a blank English copies
the Chinese); nested models are fieldsets; a tuple of models is a set of rows (the rows on file, one
blank extra row, a remove box per row); conditions and whatever else the walk cannot say with simple
inputs are a small YAML textarea holding just that value.

What the form does not render (the id, the kind, a rule's `switched_off`, a measure's `source`, keys it
does not know) is kept from the stored value: a save never loses data. A blank optional field is left
out so that the schema's default applies, and a value equal to the default is written only when the
stored rule said it already (re-posting a form unchanged stores the rule unchanged).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import types
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from budgets.changes.models import ChangeReason
from jurisdictions.editor.services import localized_problem
from jurisdictions.models import Role
from jurisdictions.rules import schema
from jurisdictions.rules.facts import FACT_DECIMAL_PLACES, FACT_NUMBER_MAX, FACTS, FactType, fact_label
from projects.detail import OUTCOME_LABELS, RULE_PHASES
from projects.models import TRANSITION_LABELS

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING", "__bool__": lambda self: False})()
MAX_ROWS = 200
YAML_MAX = 20_000
YAML_MAX_NODES = 5_000
YAML_MAX_DEPTH = 30
INT_LIMIT = 1000  # offsets and years: far beyond any measure, short of dates the calendar cannot hold

RULE_MODELS: dict[str, type[BaseModel]] = {
    "threshold": schema.ThresholdRule,
    "required_documents": schema.RequiredDocumentsRule,
    "negative_list": schema.NegativeListRule,
    "deadline": schema.DeadlineRule,
    "window": schema.WindowRule,
    "condition": schema.ConditionRule,
    "change_tolerance": schema.ChangeToleranceRule,
    "track": schema.TrackRule,
    "ratio_cap": schema.RatioCapRule,
}
KIND_LABELS = {
    "threshold": gettext_lazy("Threshold"),
    "ratio_cap": gettext_lazy("Ratio cap"),
    "deadline": gettext_lazy("Deadline"),
    "window": gettext_lazy("Time window"),
    "change_tolerance": gettext_lazy("Change tolerance"),
    "required_documents": gettext_lazy("Required documents"),
    "negative_list": gettext_lazy("Negative list"),
    "track": gettext_lazy("Approval track"),
    "condition": gettext_lazy("Condition"),
}

# Field name → label (English msgid; the page shows the Chinese). Also used to say an error's path.
FIELD_LABELS = {
    "title": gettext_lazy("Rule title"),
    "phase": gettext_lazy("Phase"),
    "citation": gettext_lazy("Citation"),
    "article": gettext_lazy("Article (e.g. 第十九条)"),
    "clause": gettext_lazy("Clause (e.g. （二）)"),
    "quote": gettext_lazy("Words of the measure"),
    "message": gettext_lazy("Message when not met"),
    "pass_message": gettext_lazy("Message when met"),
    "applies_when": gettext_lazy("Applies only when"),
    "blocks": gettext_lazy("Steps blocked while not met"),
    "effect": gettext_lazy("Effect code"),
    "note": gettext_lazy("How the text was interpreted"),
    "switched_off": gettext_lazy("Switched off"),
    "id": gettext_lazy("Rule identifier"),
    "kind": gettext_lazy("Kind of rule"),
    "fact": gettext_lazy("Fact compared"),
    "op": gettext_lazy("Comparison"),
    "value": gettext_lazy("Value"),
    "when_met": gettext_lazy("Outcome when it holds"),
    "when_not_met": gettext_lazy("Outcome when it does not hold"),
    "stage": gettext_lazy("Stage code"),
    "track": gettext_lazy("Approval track"),
    "documents": gettext_lazy("Documents"),
    "outcome_if_missing": gettext_lazy("Outcome when documents are missing"),
    "code": gettext_lazy("Code"),
    "when": gettext_lazy("Only when"),
    "items": gettext_lazy("Items"),
    "text": gettext_lazy("Wording"),
    "anchor": gettext_lazy("Counted from"),
    "offset": gettext_lazy("Period"),
    "amount": gettext_lazy("Length"),
    "unit": gettext_lazy("Unit"),
    "fixed": gettext_lazy("Fixed day of the year"),
    "month": gettext_lazy("Month"),
    "day": gettext_lazy("Day"),
    "year_offset": gettext_lazy("Years after the starting year"),
    "since": gettext_lazy("Owed every year from"),
    "done_fact": gettext_lazy("Met on"),
    "extension": gettext_lazy("Extension"),
    "applied_fact": gettext_lazy("Extension applied for on"),
    "new_due_fact": gettext_lazy("New due date granted"),
    "responsible": gettext_lazy("Who must meet it"),
    "name": gettext_lazy("Entry name"),
    "role": gettext_lazy("Role"),
    "department": gettext_lazy("Department code"),
    "remind": gettext_lazy("Send reminders"),
    "opens": gettext_lazy("Opens after"),
    "closes": gettext_lazy("Closes after"),
    "condition": gettext_lazy("Condition"),
    "when_true": gettext_lazy("Outcome when the condition holds"),
    "when_false": gettext_lazy("Outcome when it does not hold"),
    "excludes_measure": gettext_lazy("Puts the project outside the measure"),
    "max_ratio": gettext_lazy("Maximum ratio"),
    "new_content_max_ratio": gettext_lazy("Maximum ratio of new content"),
    "new_content_max_wan": gettext_lazy("Maximum amount of new content (10k yuan)"),
    "exclude_tender_savings": gettext_lazy("Tender savings are not counted"),
    "adjustment_basis": gettext_lazy("How the change is measured"),
    "only_before_procurement": gettext_lazy("Only before procurement starts"),
    "requires_goal_unchanged": gettext_lazy("The construction goal must stay the same"),
    "requires_within_estimate": gettext_lazy("Must stay within the approved estimate"),
    "allowed_reasons": gettext_lazy("Reasons that allow the change"),
    "route_within": gettext_lazy("Route within the limit (code)"),
    "route_beyond": gettext_lazy("Route beyond the limit (code)"),
    "options": gettext_lazy("Track options"),
    "stages": gettext_lazy("Stages (one code per line)"),
    "base_fact": gettext_lazy("Base fact"),
    "latest_of": gettext_lazy("Latest of"),
    "optional": gettext_lazy("Optional"),
    "zh": gettext_lazy("Chinese"),
    "en": gettext_lazy("English text"),
    "document_number": gettext_lazy("Document number"),
    "issuer": gettext_lazy("Issued by"),
    "published": gettext_lazy("Published on"),
    "effective_from": gettext_lazy("In force from"),
    "effective_to": gettext_lazy("In force until"),
    "validity": gettext_lazy("Period of validity"),
    "source": gettext_lazy("Source"),
    "measure": gettext_lazy("Measure"),
    "categories": gettext_lazy("Project categories"),
    "rules": gettext_lazy("Rules"),
    "review": gettext_lazy("Review procedure"),
    "settings": gettext_lazy("Settings"),
    "rows": gettext_lazy("Rows"),
    "(rule)": gettext_lazy("The rule as a whole"),
    "(pack)": gettext_lazy("The rule pack"),
}
# Where a field's name says too little on its own: (model, field) → label.
MODEL_LABELS = {
    ("Measure", "title"): gettext_lazy("Title of the measure"),
    ("DocumentRequirement", "code"): gettext_lazy("Document"),
    ("NegativeListItem", "code"): gettext_lazy("Item code"),
    ("TrackOption", "track"): gettext_lazy("Track code"),
    ("Taker", "name"): gettext_lazy("Name of the body"),
}
HELP = {
    "quote": gettext_lazy("Quote the words of the article the rule encodes."),
    "effect": gettext_lazy("Lowercase letters, digits and underscores; leave blank for none."),
    "max_ratio": gettext_lazy("A share: 0.15 means 15%."),
    "new_content_max_ratio": gettext_lazy("A share: 0.05 means 5%."),
    "year_offset": gettext_lazy("0: the same year; -1: the year before."),
    "stage": gettext_lazy("Lowercase letters, digits, underscores and dots."),
}
EN_HELP = gettext_lazy("Leave blank to use the Chinese.")
YAML_HELP = gettext_lazy("Written as YAML (an expert format); leave blank for none.")
OP_LABELS = {
    "gt": gettext_lazy("greater than"),
    "gte": gettext_lazy("not less than"),
    "lt": gettext_lazy("less than"),
    "lte": gettext_lazy("not more than"),
}
UNIT_LABELS = {
    "calendar_days": gettext_lazy("calendar days"),
    "working_days": gettext_lazy("working days"),
    "months": gettext_lazy("months"),
    "years": gettext_lazy("years"),
}
BASIS_LABELS = {
    "adjustment": gettext_lazy("The amount of the adjustment"),
    "larger_of": gettext_lazy("The larger of the increase and the decrease"),
}
CHOICE_LABELS: dict[str, dict] = {
    "op": OP_LABELS,
    "unit": UNIT_LABELS,
    "role": dict(Role.choices),
    "adjustment_basis": BASIS_LABELS,
    "phase": dict(RULE_PHASES),
    "blocks": TRANSITION_LABELS,
}
OUTCOME_FIELDS = {"when_met", "when_not_met", "when_true", "when_false", "outcome_if_missing"}
NUMBER_FACTS = {FactType.DECIMAL, FactType.INTEGER}
# Fields that name a fact: amounts for thresholds and caps, dates for deadlines and windows.
FACT_FIELDS = {
    "fact": NUMBER_FACTS,
    "base_fact": NUMBER_FACTS,
    "anchor": {FactType.DATE},
    "since": {FactType.DATE},
    "done_fact": {FactType.DATE},
    "applied_fact": {FactType.DATE},
    "new_due_fact": {FactType.DATE},
}
LONG_TEXTS = {"message", "pass_message", "note", "switched_off", "validity", "text"}
CODE_PATTERN_MESSAGE = gettext_lazy(
    "Use lowercase letters, digits and underscores, beginning with a letter, as the field says."
)


@dataclass
class FormContext:
    """What the selects of a rule offer: the draft's documents and approval tracks (code → name)."""

    documents: list[tuple[str, str]] = field(default_factory=list)
    tracks: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, content: dict) -> FormContext:
        documents = [
            (d.get("code", ""), (d.get("name") or {}).get("zh") or d.get("code", ""))
            for d in content.get("documents") or []
            if isinstance(d, dict)
        ]
        tracks = []
        for rule in content.get("rules") or []:
            if isinstance(rule, dict) and rule.get("kind") == "track":
                for option in rule.get("options") or []:
                    name = (option.get("name") or {}).get("zh") or option.get("track", "")
                    tracks.append((option.get("track", ""), name))
        return cls(documents=documents, tracks=tracks)


# ---------------------------------------------------------------------------- the nodes of a form


@dataclass
class Node:
    """One schema field as the form shows it. `name` is its key in the parent, `path` its form name."""

    name: str
    path: str
    label: str
    kind: str  # "field", "group", "rows"
    default: Any = MISSING
    optional: bool = False
    children: list = field(default_factory=list)
    text: bool = False  # a zh/en pair
    checkbox: bool = False
    convert: Any = None  # field nodes: cleaned value → stored value or MISSING
    rows: list = field(default_factory=list)  # rows nodes: [Node (a group per row)]
    count_name: str = ""
    row_map: list = field(default_factory=list)  # rows nodes: index stored → form row
    errors: list = field(default_factory=list)
    bound: Any = None  # the BoundField (field nodes), set when the form is built
    remove: Any = None  # a row's remove box (BoundField)
    count: Any = None  # a rows node's hidden count (BoundField)

    @property
    def anchor(self) -> str:
        return "f-" + self.path.replace(".", "-")


def _same(value, default) -> bool:
    if isinstance(default, Enum):
        default = default.value
    if isinstance(default, tuple):
        default = list(default)
    return value == default


def _put(container: dict, node: Node, value) -> None:
    """Set `value` under the node's name: blank leaves the key out (a stated null stays), a default
    is only written where the stored value had the key already."""
    if value is MISSING:
        if container.get(node.name, MISSING) is not None:
            container.pop(node.name, None)
        return
    if node.name not in container and node.default is not MISSING and _same(value, node.default):
        return
    container[node.name] = value


def _blank(value) -> bool:
    return value is MISSING or value == [] or value is False


def emit(node: Node, cleaned: dict, original) -> Any:
    """The value the node stores, built from the cleaned data over the stored `original`."""
    if node.kind == "field":
        return node.convert(cleaned.get(node.path), original)
    if node.kind == "group":
        result = copy.deepcopy(original) if isinstance(original, dict) else {}
        blank = True
        for child in node.children:
            value = emit(child, cleaned, result.get(child.name, MISSING))
            blank = blank and _blank(value)
            _put(result, child, value)
        if node.optional and blank:
            return MISSING
        if node.text and result.get("zh") and not result.get("en"):
            result["en"] = result["zh"]
        return result
    # rows: kept in order, removed and blank rows dropped
    stored = original if isinstance(original, list) else []
    result, node.row_map = [], []
    for index, row in enumerate(node.rows):
        if cleaned.get(f"{row.path}._remove"):
            continue
        value = emit(row, cleaned, stored[index] if index < len(stored) else MISSING)
        if value is MISSING:
            continue
        result.append(value)
        node.row_map.append(index)
    return result


# ---------------------------------------------------------------------------- conversions


def _number(value: Decimal | None):
    """A JSON number as YAML would have read it (200, 0.15); a decimal no float says exactly, as text."""
    if value is None:
        return MISSING
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    as_float = float(value)
    if math.isfinite(as_float) and Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


def _text(value, _original=MISSING):
    value = (value or "").strip()
    return value or MISSING


def _int(value, _original=MISSING):
    return MISSING if value is None else value


def _decimal(value, _original=MISSING):
    return _number(value)


def _bool(value, _original=MISSING):
    return bool(value)


def _date(value, _original=MISSING):
    return MISSING if value is None else value.isoformat()


def _lines(value, _original=MISSING):
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def _ordered(value, original):
    """Checked choices, in the stored order where the choice was stored already."""
    chosen = list(value or [])
    if not isinstance(original, list):
        return chosen
    kept = [item for item in original if item in chosen]
    return kept + [item for item in chosen if item not in kept]


def _yaml_value(value, _original=MISSING):
    return MISSING if value is None else value


class _TextLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (as packs are stored; the schema parses them)."""


_TextLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _plain(value, budget: list[int], depth: int = 0) -> bool:
    """Only what JSON stores: mappings with text keys, lists, text, finite numbers, true/false, null
    (and not too much of it: aliases can make a short text a huge value)."""
    budget[0] -= 1
    if budget[0] < 0 or depth > YAML_MAX_DEPTH:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, budget, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(item, budget, depth + 1) for item in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | bool | int)


class YamlField(forms.CharField):
    """A value as a small YAML text: blank is none, a syntax error is this field's error."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4, "class": "yaml", "spellcheck": "false"}))
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False).rstrip()

    def to_python(self, value):
        text = super().to_python(value)
        if not text.strip():
            return None
        if len(text) > YAML_MAX:
            raise ValidationError(_("At most %(count)s characters.") % {"count": YAML_MAX})
        try:
            data = yaml.load(text, Loader=_TextLoader)
        except RecursionError as exc:
            raise ValidationError(
                _("Only plain values (text, numbers, lists, mappings) are allowed.")
            ) from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise ValidationError(
                _("Not valid YAML (line %(line)s); check the indentation and the colons."),
                code="yaml",
                params={"line": line},
            ) from exc
        if not _plain(data, [YAML_MAX_NODES]):
            raise ValidationError(_("Only plain values (text, numbers, lists, mappings) are allowed."))
        return data


def _gt(limit):
    def check(value):
        if value is not None and value <= limit:
            raise ValidationError(_("Must be greater than %(limit)s.") % {"limit": limit})

    return check


def _validators(info) -> tuple[list, dict]:
    """Django validators (Chinese messages) for the schema's constraints, so they are checked first."""
    validators, bounds = [], {}
    for item in getattr(info, "metadata", []) or []:
        pattern = getattr(item, "pattern", None)
        if pattern:
            validators.append(RegexValidator(pattern, message=CODE_PATTERN_MESSAGE))
        if getattr(item, "gt", None) is not None:
            validators.append(_gt(item.gt))
        if getattr(item, "ge", None) is not None:
            bounds["min_value"] = item.ge
        if getattr(item, "le", None) is not None:
            bounds["max_value"] = item.le
    return validators, bounds


# ---------------------------------------------------------------------------- the walk


def _unwrap(annotation) -> tuple[Any, bool]:
    """(the type, whether None is allowed) of an annotation."""
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = get_args(annotation)
        rest = [arg for arg in args if arg is not type(None)]
        optional = len(rest) < len(args)
        annotation = rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007
    return annotation, optional


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _label(name: str) -> str:
    return FIELD_LABELS.get(name, name)


def _choices(name: str, values, *, blank: bool, current=MISSING) -> list[tuple[str, str]]:
    labels = OUTCOME_LABELS if name in OUTCOME_FIELDS else CHOICE_LABELS.get(name, {})
    choices = [(str(v), labels.get(str(v), str(v))) for v in values]
    if current is not MISSING and current is not None and str(current) not in {c for c, _l in choices}:
        choices.append((str(current), str(current)))
    return ([("", "—")] if blank else []) + choices


def _fact_choices(types_: set, *, current) -> list[tuple[str, str]]:
    names = sorted((n for n, (kind, _m) in FACTS.items() if kind in types_), key=fact_label)
    if isinstance(current, str) and current and current not in names:
        names.append(current)
    return [(name, fact_label(name)) for name in names]


class Walker:
    """Builds the nodes and the Django fields of one model; `form.fields` receives the fields."""

    def __init__(self, form: forms.Form, context: FormContext, data):
        self.form = form
        self.context = context
        self.data = data

    def model(self, model: type[BaseModel], prefix: str, value, *, optional: bool, skip=()) -> list[Node]:
        value = value if isinstance(value, dict) else {}
        nodes = []
        for name, info in model.model_fields.items():
            if name in skip:
                continue
            label = MODEL_LABELS.get((model.__name__, name)) or _label(name)
            nodes.append(
                self.node(
                    name, info, f"{prefix}{name}", value.get(name, MISSING), optional=optional, label=label
                )
            )
        return nodes

    def node(self, name: str, info, path: str, value, *, optional: bool, label) -> Node:
        """`optional`: the node sits in an optional group or a row, so nothing in it is required."""
        annotation, may_be_none = _unwrap(info.annotation)
        default = MISSING if info.default in (PydanticUndefined, None) else info.default
        if info.default_factory is not None:
            default = info.default_factory()
        required = info.is_required() and not optional
        node = Node(name=name, path=path, label=str(label), kind="field", default=default)
        node.optional = not info.is_required()
        if name == "anchor" and get_origin(annotation) in (Union, types.UnionType):
            # `str | LatestOf`: a date fact, or (stored as latest_of) the YAML of it
            if isinstance(value, dict):
                return self._yaml(node, value, required=required)
            annotation = str
        if annotation is schema.Text or _is_model(annotation):
            return self._group(node, annotation, value, optional=optional or may_be_none)
        origin = get_origin(annotation)
        if origin is tuple:
            item = get_args(annotation)[0]
            if _is_model(item):
                return self._rows(node, item, value)
            if get_origin(item) is Literal:
                return self._multi(node, name, get_args(item), value)
            if item is str and name == "allowed_reasons":
                return self._multi(node, name, ChangeReason.values, value, labels=dict(ChangeReason.choices))
            if item is str:
                return self._field(
                    node,
                    forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3})),
                    "\n".join(value) if isinstance(value, list) else "",
                    _lines,
                )
        if origin is Literal or (isinstance(annotation, type) and issubclass(annotation, Enum)):
            values = get_args(annotation) if origin is Literal else [m.value for m in annotation]
            shown = value if value is not MISSING else (default if not optional else MISSING)
            shown = shown.value if isinstance(shown, Enum) else shown
            choices = _choices(name, values, blank=optional or default is MISSING, current=value)
            return self._field(node, forms.ChoiceField(choices=choices, required=required), shown, _text)
        if annotation is bool:
            shown = value if value is not MISSING else (default if default is not MISSING else False)
            node.checkbox = True
            return self._field(node, forms.BooleanField(required=False), shown, _bool)
        validators, bounds = _validators(info)
        if annotation is int:
            bounds = {"min_value": -INT_LIMIT, "max_value": INT_LIMIT, **bounds}
            formfield = forms.IntegerField(required=required, validators=validators, **bounds)
            shown = value if value is not MISSING else (default if not optional else MISSING)
            return self._field(node, formfield, shown, _int)
        if annotation is Decimal:
            bounds = {"min_value": -FACT_NUMBER_MAX, "max_value": FACT_NUMBER_MAX, **bounds}
            formfield = forms.DecimalField(
                required=required,
                validators=validators,
                decimal_places=FACT_DECIMAL_PLACES,
                widget=forms.NumberInput(attrs={"step": "any"}),
                **bounds,
            )
            return self._field(node, formfield, value, _decimal)
        if annotation is dt.date:
            formfield = forms.DateField(
                required=required, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
            )
            return self._field(node, formfield, value, _date)
        if annotation is str:
            if name in FACT_FIELDS and path.count(".") < 2:
                blank = [("", "—")] if (optional or not info.is_required()) else [("", _("Choose…"))]
                choices = blank + _fact_choices(FACT_FIELDS[name], current=value)
                return self._field(node, forms.ChoiceField(choices=choices, required=required), value, _text)
            if name == "track" and path == "track":
                return self._field(node, self._select(self.context.tracks, value, required), value, _text)
            if name == "code" and path.startswith("documents."):
                return self._field(node, self._select(self.context.documents, value, required), value, _text)
            textarea = name == "quote" or (name in ("zh", "en") and path.rsplit(".", 2)[-2] in LONG_TEXTS)
            widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput()
            formfield = forms.CharField(
                required=required, validators=validators, widget=widget, max_length=5000
            )
            return self._field(node, formfield, value, _text)
        return self._yaml(node, value, required=required)

    def _select(self, options, value, required) -> forms.ChoiceField:
        choices = [("", "—"), *list(options)]
        if isinstance(value, str) and value and value not in {code for code, _n in options}:
            choices.append((value, value))
        return forms.ChoiceField(choices=choices, required=required)

    def _field(self, node: Node, formfield: forms.Field, initial, convert) -> Node:
        formfield.label = node.label
        if node.name in HELP:
            formfield.help_text = HELP[node.name]
        formfield.initial = None if initial is MISSING else initial
        node.convert = convert
        self.form.fields[node.path] = formfield
        return node

    def _yaml(self, node: Node, value, *, required: bool) -> Node:
        formfield = YamlField(required=required, help_text=YAML_HELP)
        lines = formfield.prepare_value(None if value is MISSING else value) or ""
        formfield.widget.attrs["rows"] = min(max(lines.count("\n") + 1, 2), 14)
        return self._field(node, formfield, value, _yaml_value)

    def _multi(self, node: Node, name: str, values, value, labels=None) -> Node:
        labels = labels or CHOICE_LABELS.get(name, {})
        choices = [(v, labels.get(v, v)) for v in values]
        for item in value if isinstance(value, list) else []:
            if item not in values:
                choices.append((item, item))
        formfield = forms.MultipleChoiceField(
            choices=choices, required=False, widget=forms.CheckboxSelectMultiple
        )
        return self._field(node, formfield, value if isinstance(value, list) else [], _ordered)

    def _group(self, node: Node, model, value, *, optional: bool) -> Node:
        node.kind = "group"
        node.text = model is schema.Text
        node.optional = optional
        # In an optional group nothing is required and every select may be blank: all blank, it is left out.
        node.children = self.model(model, node.path + ".", value, optional=optional)
        if node.text:
            _zh, en = node.children
            en_field = self.form.fields[en.path]
            en_field.required = False
            en_field.help_text = EN_HELP
        return node

    def _rows(self, node: Node, model, value) -> Node:
        node.kind = "rows"
        stored = value if isinstance(value, list) else []
        node.count_name = f"{node.path}._rows"
        count = len(stored) + 1
        if self.data is not None:
            try:
                count = int(self.data.get(node.count_name, count))
            except (TypeError, ValueError):
                pass
            if self.data.get("_add_row") == node.path:
                count += 1
        count = max(len(stored), min(count, MAX_ROWS))
        self.form.fields[node.count_name] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=count
        )
        for index in range(count):
            row_value = stored[index] if index < len(stored) else MISSING
            row = Node(
                name=str(index),
                path=f"{node.path}.{index}",
                label=_("Row %(n)s") % {"n": index + 1},
                kind="group",
                optional=True,
            )
            row.children = self.model(model, row.path + ".", row_value, optional=True)
            self.form.fields[f"{row.path}._remove"] = forms.BooleanField(
                required=False, label=_("Remove this row")
            )
            node.rows.append(row)
        return node


def _leaves(node: Node):
    if node.kind == "field":
        yield node
    for child in node.children:
        yield from _leaves(child)
    for row in node.rows:
        yield from _leaves(row)


def _groups(node: Node):
    if node.kind != "field":
        yield node
    for child in node.children:
        yield from _groups(child)
    for row in node.rows:
        yield from _groups(row)


# ---------------------------------------------------------------------------- errors in words

_HAN = re.compile(r"[\u4e00-\u9fff]")


def problem_text(problem: str) -> str:
    """A schema problem in the reader's words (the schema speaks English to developers)."""
    said = localized_problem(problem or "")
    if _HAN.search(said):  # said in the reader's language (by the services, or just now)
        return said
    return _("This value does not fit the rule pack's format.")


def path_label(path: str, rule_titles: list[str] | None = None) -> str:
    """「条款 › 原文」: a dotted path said with the fields' labels (rows by number, rules by title)."""
    words, parts, index = [], path.split("."), 0
    while index < len(parts):
        part = parts[index]
        if (
            part == "rules"
            and rule_titles is not None
            and index + 1 < len(parts)
            and parts[index + 1].isdigit()
        ):
            position = int(parts[index + 1])
            title = rule_titles[position] if position < len(rule_titles) else ""
            words.append(_("Rule “%(title)s”") % {"title": title} if title else str(FIELD_LABELS["rules"]))
            index += 2
            continue
        if part.isdigit():
            words.append(_("item %(n)s") % {"n": int(part) + 1})
        elif part in FIELD_LABELS:
            words.append(str(FIELD_LABELS[part]))
        index += 1
    return " › ".join(words) or str(FIELD_LABELS["(pack)"])


# ---------------------------------------------------------------------------- the forms


class SchemaForm(forms.Form):
    """A form for one value of the pack (a rule, the measure, a list of codes) made from its model."""

    error_css_class = "has-error"

    def __init__(
        self,
        data=None,
        *,
        model: type[BaseModel],
        value: dict,
        revision: int,
        context: FormContext | None = None,
        skip=(),
        rule_titles: list[str] | None = None,
    ):
        super().__init__(data)
        self.quiet = data is not None and "_add_row" in data
        self.model = model
        self.original = copy.deepcopy(value) if isinstance(value, dict) else {}
        self.rule_titles = rule_titles
        self.fields["_revision"] = forms.IntegerField(widget=forms.HiddenInput, initial=revision, min_value=1)
        walker = Walker(self, context or FormContext(), data)
        self.nodes = walker.model(model, "", self.original, optional=False, skip=skip)
        self._bind(self.nodes)

    def _bind(self, nodes):
        for node in nodes:
            for leaf in _leaves(node):
                leaf.bound = self[leaf.path]
            for group in _groups(node):
                if group.kind == "rows":
                    group.count = self[group.count_name]
                    for row in group.rows:
                        row.remove = self[f"{row.path}._remove"]

    @property
    def revision(self) -> int | None:
        return self.cleaned_data.get("_revision")

    def value_dict(self) -> dict:
        """The stored value with the form's fields put in (call after is_valid)."""
        result = copy.deepcopy(self.original)
        for node in self.nodes:
            _put(result, node, emit(node, self.cleaned_data, result.get(node.name, MISSING)))
        return result

    def full_clean(self):
        super().full_clean()
        if self.quiet:  # “add a row” shows the form again, as typed, without judging it yet
            self._errors = ErrorDict()

    def disable(self) -> None:
        for formfield in self.fields.values():
            formfield.disabled = True

    # -- errors from the service, by path

    def _find(self, parts: list[str]) -> Node | None:
        """The deepest node a stored path names (stored row numbers → the form's rows)."""
        nodes, found, index = self.nodes, None, 0
        while index < len(parts):
            match = next((n for n in nodes if n.name == parts[index]), None)
            if match is None:
                break
            found, nodes, index = match, match.children, index + 1
            if match.kind == "rows" and index < len(parts) and parts[index].isdigit():
                stored = int(parts[index])
                if stored >= len(match.row_map):
                    break
                found = match.rows[match.row_map[stored]]
                nodes, index = found.children, index + 1
        return found

    def service_errors(self, problems: list[dict]) -> None:
        """Each problem beside its field, else on its group, else at the top with its path in words."""
        for problem in problems:
            path = problem.get("field") or ""
            message = problem_text(problem.get("problem", ""))
            local = self._local(path)
            node = self._find(local.split(".")) if local else None
            if node is not None and node.kind == "field":
                self.add_error(node.path, message)
            elif node is not None:
                node.errors.append(message)
            else:
                self.add_error(None, f"{path_label(path, self.rule_titles)}：{message}")

    def _local(self, path: str) -> str | None:
        """A problem's path relative to this form's value (None: it is about another part of the pack)."""
        return path


class RuleForm(SchemaForm):
    """One rule of a kind. A new rule asks for the last part of its id (`<code>.<phase>.<slug>`)."""

    HEAD = ("title", "phase", "citation")
    TAIL = ("message", "pass_message", "applies_when", "blocks", "effect", "note")
    SKIP = ("id", "kind", "switched_off")

    def __init__(
        self, data=None, *, kind: str, rule: dict | None, jurisdiction_code: str, phase: str = "", **kwargs
    ):
        self.kind = kind
        self.adding = rule is None
        self.new_id = ""
        self.jurisdiction_code = jurisdiction_code
        super().__init__(data, model=RULE_MODELS[kind], value=rule or {}, skip=self.SKIP, **kwargs)
        if self.adding:
            self.fields["_slug"] = forms.CharField(
                label=_("Rule identifier (lowercase letters, digits, underscores)"),
                help_text=_(
                    "The last part of the rule's identifier, e.g. supervision; it cannot change later."
                ),
                max_length=60,
                validators=[
                    RegexValidator(
                        r"^[a-z0-9_]+$", message=_("Use lowercase letters, digits and underscores only.")
                    )
                ],
            )
            self.fields["_slug"].widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})
            for name in ("citation.article", "citation.quote"):
                self.fields[name].required = True
            self.fields["phase"].initial = phase or None
        by_name = {node.name: node for node in self.nodes}
        self.sections = [
            (_("The rule"), [by_name[n] for n in self.HEAD if n in by_name]),
            (
                _("What it checks"),
                [n for n in self.nodes if n.name not in self.HEAD + self.TAIL],
            ),
            (_("What it says"), [by_name[n] for n in ("message", "pass_message", "note") if n in by_name]),
            (
                _("When it applies and what it blocks"),
                [by_name[n] for n in ("applies_when", "blocks", "effect") if n in by_name],
            ),
        ]

    @property
    def slug_field(self):
        return self["_slug"] if "_slug" in self.fields else None

    def rule_dict(self) -> dict:
        rule = self.value_dict()
        rule["kind"] = self.kind
        if self.adding:
            phase = rule.get("phase") or ""
            rule["id"] = self.new_id = f"{self.jurisdiction_code}.{phase}.{self.cleaned_data['_slug']}"
            rule = {"id": rule.pop("id"), "kind": rule.pop("kind"), **rule}
        return rule

    def service_errors(self, problems: list[dict]) -> None:
        if self.adding:
            rest = []
            for problem in problems:
                if problem.get("field") == "id":
                    said = problem.get("problem", "")
                    message = (  # the service names the id taken already; say so in words
                        _("Another rule has this identifier.") if said == self.new_id else problem_text(said)
                    )
                    if "_slug" not in self.errors:
                        self.add_error("_slug", message)
                else:
                    rest.append(problem)
            problems = rest
        super().service_errors(problems)


class _CodedRows(schema.Strict):
    """A pack's `categories` or `documents` as the rows of one form."""

    rows: tuple[schema.Coded, ...] = ()


class SectionForm(SchemaForm):
    """The measure (its source stays as it is), or the categories or the documents (rows of code + name)."""

    def __init__(self, data=None, *, section: str, content: dict, **kwargs):
        self.section = section
        if section == "measure":
            super().__init__(
                data, model=schema.Measure, value=content.get("measure") or {}, skip=("source",), **kwargs
            )
        else:
            super().__init__(data, model=_CodedRows, value={"rows": content.get(section) or []}, **kwargs)

    def section_value(self):
        value = self.value_dict()
        return value if self.section == "measure" else value.get("rows", [])

    def _local(self, path: str) -> str | None:
        head, _dot, rest = path.partition(".")
        if head != self.section:
            return None
        if self.section == "measure":
            return rest or None
        return "rows" + ("." + rest if rest else "")


def relative_problems(error, *, rule_index: int | None = None) -> list[dict]:
    """A ValidationFailed's problems with the paths its `errors` use (relative to the rule saved)."""
    problems = error.extra.get("problems")
    if not problems:
        return [
            {"field": name, "problem": message}
            for name, messages in (error.extra.get("errors") or {}).items()
            for message in messages
        ]
    found = []
    prefix = f"rules.{rule_index}" if rule_index is not None else None
    for problem in problems:
        problem = dict(problem)
        name = problem.get("field") or ""
        if prefix is not None and (name == prefix or name.startswith(prefix + ".")):
            problem["field"] = name[len(prefix) + 1 :] or "(rule)"
        found.append(problem)
    return found


class SwitchForm(forms.Form):
    """Switching a rule off needs the reason its verdicts will then give; switching it on, a confirmation."""

    _revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Why is the rule switched off?"),
        help_text=gettext_lazy("Projects checked under this version show this reason instead of the rule."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args, off: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.off = off
        if off:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]


__all__ = [
    "KIND_LABELS",
    "MISSING",
    "RULE_MODELS",
    "FormContext",
    "RuleForm",
    "SectionForm",
    "SwitchForm",
    "path_label",
    "problem_text",
    "relative_problems",
]
