"""The construction records as forms; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.construction.models import IncidentKind, ProcurementMethod

TEXT_MAX = 2000


def _text(label, required=True, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _reason(label):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("A reason is required.")},
    )


def _date(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _confirm(label):
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


class SupervisionForm(forms.Form):
    company = forms.CharField(label=_("Supervision company"), max_length=200)
    contract_number = forms.CharField(label=_("Contract number"), max_length=100)
    contract_date = _date(_("Contract date"))
    file = forms.FileField(label=_("Contract file (optional)"), required=False)


class ProcurementForm(forms.Form):
    started_on = _date(_("Procurement started on"))
    method = forms.ChoiceField(label=_("Procurement method"), choices=ProcurementMethod.choices)
    supplier = forms.CharField(label=_("Winning supplier"), max_length=200, required=False)
    contract_number = forms.CharField(label=_("Contract number"), max_length=100, required=False)
    contract_date = _date(_("Contract date"), required=False)
    contract_amount_wan = forms.DecimalField(
        label=_("Contract amount (10k CNY)"),
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    ip_terms_stated = forms.BooleanField(
        label=_("The tender documents and contract state who owns the technical results (IP)"),
        required=False,
    )
    free_om_years = forms.DecimalField(
        label=_("Free O&M period agreed (years)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year reported on"), coerce=int)
    progress = _text(_("Construction progress"))
    investment = _text(_("Investment plan execution"))
    problems = _text(_("Problems met, and the trial run's effect where it has begun"), required=False)

    def __init__(self, *args, years=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].initial = timezone.localdate().year
        self.document_codes = []
        for code, name, on_file in documents:
            self.fields[f"file_{code}"] = forms.FileField(
                label=name,
                required=False,
                help_text=_("already on file this year; a new file replaces it") if on_file else "",
            )
            self.document_codes.append(code)

    def files_given(self) -> dict:
        return {
            code: self.cleaned_data[f"file_{code}"]
            for code in self.document_codes
            if self.cleaned_data.get(f"file_{code}")
        }


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    happened = _text(_("What happened"))
    impact = _text(_("Impact"))
    measures = _text(_("Measures taken or proposed"))
    file = forms.FileField(label=_("The written report"), required=False)
    confirm = _confirm(_("I confirm the report is sent to the approving authority."))


class RectifyForm(forms.Form):
    due_date = _date(_("Rectify by"))
    reason = _reason(_("What must be rectified"))


class SuspendForm(forms.Form):
    reason = _reason(_("Reason for suspension"))
    confirm = _confirm(_("I confirm the construction is suspended."))


class RectifiedForm(forms.Form):
    summary = _text(_("What was rectified"))


class ConfirmForm(forms.Form):
    comment = _text(_("Comment"), required=False)
    confirm = _confirm(_("I confirm the rectification is complete."))


class ReturnForm(forms.Form):
    reason = _reason(_("Why the rectification is not complete"))
