"""The form of one finding or statement: the answer (yes / no / not known), the reason and its basis."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govproj.i18n import english
from govproj.inputs import TEXT_MAX
from projects.findings.services import BASIS_MAX
from projects.forms import fact_answer, fact_field, fact_shown


class FindingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the finding rests on: an inspection, a report, a decision."),
    )
    basis = forms.CharField(
        label=_("Basis (document number)"),
        max_length=BASIS_MAX,
        required=False,
        help_text=_("e.g. the number of the decision or report, if any"),
    )

    def __init__(self, *args, fact: str, current=None, rules_help: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fact = fact
        field = fact_field(fact, english())
        field.help_text = rules_help
        self.fields = {"value": field, **self.fields}
        self.initial.setdefault("value", fact_shown(fact, current))

    def clean_value(self):
        return fact_answer(self.fact, self.cleaned_data.get("value"))
