"""Change requests and final accounts as forms; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.changes.models import ChangeReason

TEXT_MAX = 2000


def _text(label, required=False, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": _("A reason is required.")} if not help_text else None,
    )


def _confirm(label):
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


def _amount(label, required=False, help_text="", positive=False):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=0.01 if positive else 0,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ChangeRequestForm(forms.Form):
    content = forms.CharField(
        label=_("Content changed"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is changed in the approved content: items, quantities, parameters, new content"),
    )
    increases_wan = _amount(_("Increased investment (10k CNY)"), help_text=_("content added or enlarged"))
    decreases_wan = _amount(
        _("Decreased investment (10k CNY)"),
        help_text=_("content removed or reduced, tender savings included"),
    )
    new_content_wan = _amount(_("Of the increase: new content (10k CNY)"))
    tender_savings_wan = _amount(_("Of the decrease: tender savings (10k CNY)"))
    goal_changed = forms.BooleanField(label=_("The construction goal changes"), required=False)
    reason = forms.ChoiceField(label=_("Condition it rests on"), choices=ChangeReason.choices)
    explanation = forms.CharField(
        label=_("Why the change is needed"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("increases_wan", "decreases_wan", "new_content_wan", "tender_savings_wan"):
            if data.get(name) is None:
                data[name] = 0
        return data


class SubmitForm(forms.Form):
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm that this change request is submitted as it stands."))


class WithdrawForm(forms.Form):
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm that this change request is withdrawn."))


class ApproveForm(forms.Form):
    document_number = forms.CharField(label=_("Approval document number"), max_length=100)
    decision_date = _date(_("Decision date"))
    amount_wan = _amount(_("Approved new amount (10k CNY)"), required=True, positive=True)
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm this approval."))

    def __init__(self, *args, amount=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_date"].initial = timezone.localdate()
        if amount is not None:
            self.fields["amount_wan"].initial = amount


class ReturnForm(forms.Form):
    reason = _text(_("Reason for returning"), required=True)


class RejectForm(forms.Form):
    reason = _text(_("Reason for rejection"), required=True)
    confirm = _confirm(_("I confirm that the change is rejected."))


class AcknowledgeForm(forms.Form):
    comment = _text(_("Comment"))


class NewProjectForm(forms.Form):
    confirm = _confirm(_("I confirm that a new project draft is started from this change."))


class FinalAccountForm(forms.Form):
    actual_spend_wan = _amount(_("Actual spend (10k CNY)"), required=True)


class SurplusReturnForm(forms.Form):
    returned_on = _date(_("Returned on"))
    reference = forms.CharField(label=_("Voucher or reference"), max_length=100, required=False)
    confirm = _confirm(_("I confirm that the surplus has been returned."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()
