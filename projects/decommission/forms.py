"""The forms of decommissioning: what each record needs, a reason where needed, a tick before the end."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.decommission.models import DisposalAction

TEXT_MAX = 2000


def _text(label, *, required=True, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": _("This field is required.")},
    )


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **kwargs
    )


def _confirm(label) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


class PlanForm(forms.Form):
    reason = _text(_("Why the system stops"))
    planned_stop_on = _date(_("Planned stop date"))
    successor = forms.CharField(
        label=_("Successor system"),
        max_length=200,
        required=False,
        help_text=_("The system that takes over, if any."),
    )


class DataDisposalForm(forms.Form):
    data_kind = forms.CharField(label=_("Data kind"), max_length=200)
    action = forms.ChoiceField(label=_("Disposal"), choices=DisposalAction.choices, widget=forms.RadioSelect)
    done_by = forms.CharField(label=_("Done by"), max_length=200)
    done_on = _date(_("Done on"), initial=timezone.localdate)
    verification = _text(_("How it was verified"))


class AssetsForm(forms.Form):
    disposal = _text(_("Assets and how they were disposed of"))


class FilingForm(forms.Form):
    reference = forms.CharField(label=_("Filing reference or acknowledgement"), max_length=100)


class CompleteForm(forms.Form):
    comment = _text(_("Comment"), required=False)
    confirm = _confirm(_("I confirm that this system is decommissioned (this cannot be undone)."))


class FlagForm(forms.Form):
    reason = _text(_("Reason"), help_text=_("Required: the department reads it."))
