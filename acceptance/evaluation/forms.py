"""The forms of evaluation: a rating, a reason where one is needed, a tick before a final decision."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acceptance.evaluation.models import PostMethod, Rating

TEXT_MAX = 2000


def _text(label, *, required=False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": _("This field is required.")},
    )


def _confirm(label) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


def _rating(label=None) -> forms.ChoiceField:
    label = label or _("Rating")
    return forms.ChoiceField(label=label, choices=Rating.choices, widget=forms.RadioSelect)


class SelfEvaluationForm(forms.Form):
    rating = _rating(_("Self-evaluation rating"))
    evaluated_on = forms.DateField(
        label=_("Evaluation date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    file = forms.FileField(label=_("Self-evaluation report"), required=False)
    summary = _text(_("Summary of the report"), help_text=_("Attach the report or write its summary."))
    confirm = _confirm(_("I confirm that this self-evaluation is submitted."))

    def clean_evaluated_on(self):
        value = self.cleaned_data["evaluated_on"]
        if value > timezone.localdate() or value < dt.date(2000, 1, 1):
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class OrganiseForm(forms.Form):
    method = forms.ChoiceField(label=_("Evaluated by"), choices=PostMethod.choices, widget=forms.RadioSelect)
    comment = _text(_("Comment"))


class AssignForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int, choices=())

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [("", "—"), *experts]


class OpinionForm(forms.Form):
    no_conflict = forms.BooleanField(
        label=_("I have no interest in this project (no conflict of interest)."),
        required=True,
        error_messages={"required": _("The declaration is required.")},
    )
    rating = _rating()
    opinion = _text(_("Opinion"), required=True)


class ThirdPartyForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    rating = _rating(_("The organisation's rating"))
    comment = _text(_("The organisation's opinion"))
    file = forms.FileField(label=_("Evaluation report"), required=False)


class ConcludeForm(forms.Form):
    rating = _rating(_("Final rating"))
    conclusion = _text(_("Conclusion"), required=True, help_text=_("The department reads this conclusion."))
    waste_found = forms.BooleanField(label=_("Investment waste or low performance found"), required=False)
    confirm = _confirm(_("I confirm the final rating of this post-evaluation."))

    def __init__(self, *args, waste_article: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if waste_article:
            self.fields["waste_found"].help_text = waste_article
        else:
            del self.fields["waste_found"]


class DrawForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    count = forms.IntegerField(
        label=_("Number of projects to draw"), min_value=1, max_value=10000, required=False
    )
    reason = _text(
        _("Reason for drawing again"), help_text=_("Required when the year's sample is drawn already.")
    )
    confirm = _confirm(_("I confirm the draw (it is recorded and cannot be undone)."))

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class ResultForm(forms.Form):
    rating = _rating()
    finding = _text(_("Check finding"), required=True)
