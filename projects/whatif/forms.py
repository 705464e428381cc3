"""The 规则推演 form: the project's facts as typed inputs, a pack version and a day.

Each fact gets the input its type calls for (yes / no / not known, an amount, a date, a choice of
words, the pack's documents as boxes, each negative-list item as yes / no / not known), labelled
with its Chinese name. The answers become a merge patch over the project's facts; the engine's
own check (`parse_facts`) then runs on them, and a value it refuses is put on its field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govproj.i18n import english, in_language
from jurisdictions.models import RulePack
from jurisdictions.rules import FactError, parse_facts
from jurisdictions.rules.facts import (
    FACT_DATE_MAX,
    FACT_DATE_MIN,
    FACT_NUMBER_MAX,
    FACTS,
    FactType,
    fact_info,
)
from jurisdictions.rules.schema import RulePackSpec
from projects.forms import WanField
from projects.whatif.selectors import facts_by_phase, negative_list_items, value_choices, version_label

PREFIX = "fact_"
ITEM = "__"  # fact_negative_list_answers__<item code>
YES, NO, UNKNOWN = "yes", "no", ""
ANSWERS = {YES: True, NO: False}
BY_DATE = ""  # the version choice of a project not declared yet: the one in force on the chosen day


class AmountInput(forms.TextInput):
    """A text box (a number box refuses separators) showing a Decimal as 1,234.5 without losing places."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,}"
        return super().format_value(value)


def field_name(fact: str) -> str:
    return PREFIX + fact


def _yes_no(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[(UNKNOWN, _("Not known")), (YES, _("Yes")), (NO, _("No"))],
    )


def fact_field(name: str, spec: RulePackSpec, current: Any) -> forms.Field:
    """The input for one fact, by its type; a coded value gets its words (the current one kept)."""
    info = fact_info(name)
    label = info.label(english=english())
    if info.type is FactType.BOOLEAN:
        return _yes_no(label)
    if info.type in (FactType.DECIMAL, FactType.INTEGER):
        places = 8 if info.type is FactType.DECIMAL else 0
        return WanField(
            label=label,
            required=False,
            max_digits=13 + places,
            decimal_places=places,
            min_value=-FACT_NUMBER_MAX,
            max_value=FACT_NUMBER_MAX,
            widget=AmountInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
    if info.type is FactType.DATE:
        return forms.DateField(
            label=label,
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
    words = value_choices(name, spec)
    if info.type is FactType.STRING_SET:
        codes = {**words, **{code: code for code in sorted(current or ()) if code not in words}}
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=list(codes.items()),
            widget=forms.CheckboxSelectMultiple,
        )
    if info.type is FactType.STRING and words:
        if current is not None and str(current) not in words:
            words = {**words, str(current): str(current)}
        return forms.ChoiceField(
            label=label, required=False, choices=[(UNKNOWN, _("Not known")), *words.items()]
        )
    return forms.CharField(label=label, required=False, max_length=200)


class WhatIfForm(forms.Form):
    """`spec`: the pack whose rules decide which facts lead; `facts`: the project's facts now."""

    version = forms.ChoiceField(label=gettext_lazy("Rule pack version"), required=False)
    as_of = forms.DateField(
        label=gettext_lazy("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("the day the rules are applied on (deadlines count to it)"),
    )

    def __init__(
        self, *args, spec: RulePackSpec, facts: dict[str, Any], versions: list[RulePack], pinned, **kw
    ):
        super().__init__(*args, **kw)
        self.spec, self.facts = spec, facts
        choices = [] if pinned else [(BY_DATE, _("The version in force on the chosen day"))]
        for pack in versions:
            label = version_label(pack)
            if pinned is not None and pack.pk == pinned.pk:
                label = _("%(version)s — pinned by this project") % {"version": label}
            choices.append((str(pack.version), label))
        self.fields["version"].choices = choices
        self.fields["version"].initial = str(pinned.version) if pinned else BY_DATE
        self.fields["as_of"].initial = timezone.localdate()
        self.read_groups: list[tuple[str, list[str]]] = []
        shown: set[str] = set()
        for _code, label, names in facts_by_phase(spec):
            self.read_groups.append((label, [n for n in names if self._add(n)]))
            shown.update(names)
        self.other_facts = [name for name in FACTS if name not in shown and self._add(name)]

    def _add(self, name: str) -> bool:
        """Add the fact's input(s) with the project's value as the initial one; False if it has none."""
        current = self.facts.get(name)
        if name == "negative_list_answers":
            items = negative_list_items(self.spec)
            if not items:
                return False
            answers = current if isinstance(current, dict) else {}
            for item in items:
                key = f"{field_name(name)}{ITEM}{item.code}"
                self.fields[key] = _yes_no(
                    f"{fact_info(name).label(english=english())}：{item.clause}{in_language(item.text)}"
                )
                self.fields[key].initial = _answer(answers.get(item.code))
            return True
        self.fields[field_name(name)] = fact_field(name, self.spec, current)
        self.fields[field_name(name)].initial = _initial(name, current)
        return True

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day is not None and not FACT_DATE_MIN <= day <= FACT_DATE_MAX:
            raise forms.ValidationError(
                _("Enter a date from %(first)s to %(last)s.")
                % {"first": FACT_DATE_MIN, "last": FACT_DATE_MAX}
            )
        return day

    # ------------------------------------------------------------------ for the template

    def fact_groups(self) -> list[tuple[str, list]]:
        """(phase label, bound fields) of the facts the pack's rules read."""
        return [(label, self._bound(names)) for label, names in self.read_groups if names]

    def other_fields(self) -> list:
        return self._bound(self.other_facts)

    def _bound(self, names: list[str]) -> list:
        bound = []
        for name in names:
            if name == "negative_list_answers":
                prefix = f"{field_name(name)}{ITEM}"
                bound.extend(self[key] for key in self.fields if key.startswith(prefix))
            else:
                bound.append(self[field_name(name)])
        return bound

    # ------------------------------------------------------------------ the answers

    def changes(self) -> dict[str, Any]:
        """The answers as a merge patch over the project's facts (None: not known), checked by the engine.

        Raises nothing: a value the engine refuses is put on its field (then `is_valid()` is False).
        """
        data = self.cleaned_data
        patch: dict[str, Any] = {}
        for name in FACTS:
            if name == "negative_list_answers":
                prefix = f"{field_name(name)}{ITEM}"
                keys = [key for key in self.fields if key.startswith(prefix)]
                if not keys:
                    continue
                current = self.facts.get(name)
                answers = dict(current) if isinstance(current, dict) else {}
                for key in keys:
                    code, answer = key[len(prefix) :], ANSWERS.get(data.get(key))
                    if answer is None:
                        answers.pop(code, None)
                    else:
                        answers[code] = answer
                patch[name] = answers if (answers or current is not None) else None
                continue
            key = field_name(name)
            if key not in self.fields:
                continue
            patch[name] = _value(name, data.get(key), self.facts.get(name))
        try:
            parse_facts(patch)
        except FactError as exc:
            for problem in exc.problems:
                self.add_error(self._field_of(problem["fact"]), _refusal(problem["fact"]))
            return {}
        return patch

    def name_invalid_facts(self) -> None:
        """Above the form: 「以下事实无效：试运行开始日期」, naming every fact whose input was refused."""
        labels = [str(self.fields[key].label) for key in self.errors if key.startswith(PREFIX)]
        if labels:
            self.add_error(None, _("These facts are not valid: %(facts)s") % {"facts": "、".join(labels)})

    def _field_of(self, fact: str) -> str | None:
        key = field_name(fact)
        if key in self.fields:
            return key
        return next((k for k in self.fields if k.startswith(key + ITEM)), None)


def _answer(value) -> str:
    return YES if value is True else NO if value is False else UNKNOWN


def _initial(name: str, value):
    if value is None:
        return UNKNOWN if fact_info(name).type in (FactType.BOOLEAN, FactType.STRING) else None
    if value is True or value is False:
        return _answer(value)
    if isinstance(value, frozenset | set | tuple | list):
        return sorted(value)
    return value


def _value(name: str, answer, current):
    """A cleaned answer as the fact's value (None: not known)."""
    kind = fact_info(name).type
    if kind is FactType.BOOLEAN:
        return ANSWERS.get(answer)
    if kind is FactType.INTEGER:
        return int(answer) if answer is not None else None
    if kind is FactType.STRING_SET:
        # No box ticked says "none on file" only where the fact was known: an unknown stays unknown.
        return list(answer) if (answer or current is not None) else None
    if kind is FactType.DATE or kind is FactType.DECIMAL:
        return answer
    return answer or None


def _refusal(fact: str) -> str:
    kind = FACTS[fact][0] if fact in FACTS else None
    if kind is FactType.DATE:
        return _("Enter a date from %(first)s to %(last)s.") % {"first": FACT_DATE_MIN, "last": FACT_DATE_MAX}
    if kind in (FactType.DECIMAL, FactType.INTEGER):
        return _("Enter a number of at most 12 digits before the point and 8 after it.")
    return _("This value is not valid.")


def chosen_version(raw) -> int | None:
    """The version a posted form names (None: the default), before the form is built on its pack."""
    text = str(raw or "")
    return int(text) if text.isascii() and text.isdecimal() and 0 < len(text) < 10 else None


def chosen_day(raw) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(str(raw or ""))
    except ValueError:
        return None
    return day if FACT_DATE_MIN <= day <= FACT_DATE_MAX else None
