"""The O&M funding pages' forms; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 2000


def _text(label, required=False):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("A reason is required.")},
    )


def _confirm(label):
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


def _amount(label, required=True):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class ApplyForm(forms.Form):
    year = forms.IntegerField(label=_("O&M year"), min_value=2000, max_value=2200)
    amount_wan = _amount(_("Annual O&M funds requested (10k CNY)"))
    term_years = forms.DecimalField(
        label=_("Contract term (years)"),
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=99,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    is_continuation = forms.BooleanField(
        label=_("Continuing O&M (a new round after an O&M period)"), required=False
    )
    period_end_date = forms.DateField(
        label=_("Current O&M period ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For continuing O&M only."),
    )
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm that this application goes to the finance officer."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class CommentForm(forms.Form):
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm."))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve as requested")),
            ("reduce", _("Approve a reduced amount")),
            ("refuse", _("Refuse")),
        ],
    )
    granted_wan = _amount(_("Amount granted (10k CNY)"), required=False)
    reason = _text(_("Reason (required to reduce or refuse)"))
    confirm = _confirm(_("I confirm this decision."))

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in ("reduce", "refuse") and not data.get("reason"):
            self.add_error("reason", _("A reason is required."))
        if decision == "reduce" and data.get("granted_wan") is None:
            self.add_error("granted_wan", _("Give the amount granted."))
        return data
