"""The project form: a draft's fields and the declared facts its jurisdiction's measure reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from govproj.i18n import english
from jurisdictions.rules.facts import FACT_VALUE_LABELS, FACTS, FactType, fact_info
from jurisdictions.rules.reads import FactGroup, fact_groups
from jurisdictions.rules.schema import RulePackSpec
from projects.models import FundingSource, Project

# Facts the form has fields of their own for: never asked again among the declared facts.
FIELD_FACTS = frozenset({"category", "funding_source", "total_investment_wan"})
FACT_PREFIX = "fact_"
YES, NO, NOT_KNOWN = "yes", "no", ""
ANSWERS = {YES: True, NO: False}


class WanField(forms.DecimalField):
    """An amount in 万元 as people write it: "1,234.50", "1，234.5" or " 80 "."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").replace(" ", "").strip()
        return super().to_python(value)


class WanInput(forms.TextInput):
    """A text box (a number box refuses separators) that shows a stored amount as 1,234.50."""

    input_type = "text"

    def format_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        return super().format_value(value)


def fact_field_name(name: str) -> str:
    return FACT_PREFIX + name


NUMBER_TYPES = frozenset({FactType.DECIMAL, FactType.INTEGER})


def _askable(name: str) -> bool:
    """Yes/no facts, amounts, and words with labelled values: what a person can answer on a form."""
    kind = fact_info(name).type
    return kind is FactType.BOOLEAN or kind in NUMBER_TYPES or name in FACT_VALUE_LABELS


def form_fact_groups(spec: RulePackSpec) -> list[FactGroup]:
    """The facts the form asks: declared, read by the pack, and not one of the form's own fields."""
    groups = []
    for group in fact_groups(spec, exclude=FIELD_FACTS):
        names = tuple(name for name in group.facts if _askable(name))
        if names:
            groups.append(FactGroup(group.article, names))
    return groups


def fact_field(name: str, in_english: bool) -> forms.Field:
    """Yes / no / not known for a yes/no fact; an amount or a choice of words for the others."""
    info = fact_info(name)
    label, help_text = info.label(english=in_english), info.help(english=in_english)
    if info.type in NUMBER_TYPES:
        return WanField(
            label=label,
            help_text=help_text,
            required=False,
            max_digits=14,
            decimal_places=2 if info.type is FactType.DECIMAL else 0,
            min_value=Decimal(0),
            widget=WanInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
    if info.type is FactType.BOOLEAN:
        choices = [(YES, _("Yes")), (NO, _("No"))]
    else:
        values = FACT_VALUE_LABELS[name]
        choices = [(code, en if in_english else zh) for code, (zh, en) in values.items()]
    return forms.ChoiceField(
        label=label,
        help_text=help_text,
        choices=[*choices, (NOT_KNOWN, _("Not known"))],
        required=False,
        initial=NOT_KNOWN,
        widget=forms.RadioSelect,
    )


def fact_answer(name: str, value):
    """A cleaned answer as the fact's value (None: not known)."""
    kind = fact_info(name).type
    if kind is FactType.BOOLEAN:
        return ANSWERS.get(value)
    if kind is FactType.INTEGER:
        return int(value) if value is not None else None
    if kind is FactType.DECIMAL and value is not None:
        # JSON keeps numbers, not Decimals: a whole number as such, else the float that prints the same
        return int(value) if value == value.to_integral_value() else float(value)
    return value or None


def same_fact(stored, answer) -> bool:
    """Whether a stored fact already says what the form answers (1 and True are not the same)."""
    if isinstance(stored, bool) or isinstance(answer, bool):
        return stored is answer
    if isinstance(stored, int | float | str | Decimal) and isinstance(answer, int | float):
        try:
            return Decimal(str(stored)) == Decimal(str(answer))
        except ArithmeticError:
            return False
    return stored == answer


def fact_shown(name: str, value):
    """A stored fact's value as the form shows it."""
    if value is True or value is False:
        return YES if value else NO
    if fact_info(name).type in NUMBER_TYPES and isinstance(value, int | float | str):
        try:
            return Decimal(str(value))
        except ArithmeticError:
            return value
    return value


class ProjectForm(forms.Form):
    """新建或编辑项目. `departments`: the user's own (staff) departments; `spec`: the pack in force.

    On edit (`project` given) the department is the project's and cannot change, and `version`
    carries the version the form was read at, so a concurrent edit is refused, not overwritten.
    """

    department = forms.ModelChoiceField(label=_("Department"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label=_("Category"), help_text=_("as the measure names its categories"))
    total_investment_wan = WanField(
        label=_("Total investment (10k CNY)"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        widget=WanInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=_("in 万元, e.g. 1,234.50"),
    )
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    year = forms.IntegerField(label=_("Plan year"), min_value=2000, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, departments, spec: RulePackSpec, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.spec = spec
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = lambda department: department.name
        in_english = english()
        self.fields["category"].choices = [
            (c.code, c.name.en if in_english else c.name.zh) for c in spec.categories
        ]
        if project is None:
            del self.fields["version"]
            self.fields["year"].initial = dt.date.today().year + 1
        else:
            self.fields["department"].disabled = True
            self.fields["department"].initial = project.department
        self.fact_groups = form_fact_groups(spec)
        for group in self.fact_groups:
            for name in group.facts:
                self.fields[fact_field_name(name)] = fact_field(name, in_english)

    @classmethod
    def initial_for(cls, project: Project) -> dict:
        """What the edit form shows first: the project's fields, its facts as yes / no / not known."""
        initial = {
            "title": project.title,
            "description": project.description,
            "category": project.category,
            "total_investment_wan": project.total_investment_wan,
            "funding_source": project.funding_source,
            "year": project.year,
            "version": project.version,
        }
        facts = project.facts if isinstance(project.facts, dict) else {}
        for name, value in facts.items():
            if name in FACTS and value is not None:
                initial[fact_field_name(name)] = fact_shown(name, value)
        return initial

    def fact_rows(self) -> list[tuple[str, list]]:
        """(article, bound fields) for the template, in the measure's order."""
        return [
            (group.article, [self[fact_field_name(n)] for n in group.facts]) for group in self.fact_groups
        ]

    def main_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith(FACT_PREFIX) and name != "version"]

    def declared_facts(self) -> dict:
        """The answers as a merge patch: a value, or None for "not known" (which removes the fact)."""
        answers = {}
        for group in self.fact_groups:
            for name in group.facts:
                answers[name] = fact_answer(name, self.cleaned_data.get(fact_field_name(name)))
        return answers

    def service_fields(self) -> dict:
        """The project's own fields among the valid input (for the service or the preview)."""
        names = ("title", "description", "category", "total_investment_wan", "funding_source", "year")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
