"""The stage decisions as forms; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 2000


def _comment(label, required=False, help_text=""):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": _("A reason is required.")},
    )


def _confirm(label):
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


def _amount(label, required):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=0.01,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class SubmitForm(forms.Form):
    requested_amount_wan = _amount(_("Amount requested (10k CNY)"), False)
    comment = _comment(_("Comment"))


class WithdrawForm(forms.Form):
    comment = _comment(_("Comment"))


class PassReviewForm(forms.Form):
    comment = _comment(_("Comment"))


class ApproveForm(forms.Form):
    document_number = forms.CharField(label=_("Approval document number"), max_length=100)
    decision_date = forms.DateField(
        label=_("Decision date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount_wan = _amount(_("Approved amount (10k CNY)"), False)
    conditions = _comment(_("Conditions"))
    confirm = _confirm(_("I confirm this approval."))

    def __init__(self, *args, amount=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].initial = timezone.localdate()
        if amount:
            self.fields["amount_wan"].required = True
        else:
            del self.fields["amount_wan"]


class FileForm(forms.Form):
    document_number = forms.CharField(label=_("Filing number"), max_length=100, required=False)
    decision_date = forms.DateField(
        label=_("Filing date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    amount_wan = _amount(_("Amount (10k CNY)"), False)
    confirm = _confirm(_("I confirm this filing."))

    def __init__(self, *args, amount=False, fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].initial = timezone.localdate()
        if amount:
            self.fields["amount_wan"].required = True
        else:
            del self.fields["amount_wan"]
        self.filing_codes = []
        for code, name in fields:
            self.fields[f"field_{code}"] = forms.CharField(label=name, max_length=TEXT_MAX)
            self.filing_codes.append(code)


class ReturnForm(forms.Form):
    to_stage = forms.ChoiceField(label=_("Return to"))
    reason = _comment(_("Reason for returning"), required=True)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = choices


class RejectForm(forms.Form):
    reason = _comment(_("Reason for rejection"), required=True)
    confirm = _confirm(_("I confirm that the project is rejected."))
