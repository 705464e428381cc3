"""The trial-run and acceptance actions as forms; the services check everything again."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX = 2000


def _date(label, required=True, today=True):
    field = forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    field.today = today
    return field


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


class _Dated(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and getattr(field, "today", False):
                field.initial = timezone.localdate()


class TrialRunForm(_Dated):
    completion_date = _date(_("Construction completed on"))
    start_date = _date(_("Trial run started on"))
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm that construction is complete and the trial run has started."))


class StableForm(_Dated):
    stable_date = _date(_("Trial run stable since"))
    comment = _text(_("Comment"))


class CheckRequestForm(forms.Form):
    comment = _text(_("Comment"))


DECISIONS = [("pass", _("Passed")), ("fail", _("Not passed"))]


class CheckDecideForm(_Dated):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    decision_date = _date(_("Date decided"))
    opinion = _text(_("Opinion (required when not passed)"))
    confirm = _confirm(_("I confirm this decision."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "fail" and not data.get("opinion"):
            self.add_error("opinion", _("A reason is required."))
        return data


class DelayForm(_Dated):
    reason = _text(_("Reason for the delay"), required=True)
    requested_date = _date(_("Acceptance requested by"), today=False)


class DelayDecideForm(_Dated):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("grant", _("Grant the delay")), ("refuse", _("Refuse the delay"))],
        widget=forms.RadioSelect,
    )
    granted_date = _date(_("New acceptance due date"), required=False, today=False)
    reason = _text(_("Comment (reason required when refused)"))
    confirm = _confirm(_("I confirm this decision."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "grant" and not data.get("granted_date"):
            self.add_error("granted_date", _("Give the new due date."))
        if data.get("decision") == "refuse" and not data.get("reason"):
            self.add_error("reason", _("A reason is required."))
        return data


class ApplyForm(_Dated):
    applied_date = _date(_("Applied on"))
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm the application for acceptance with the documents on file."))


class DecideForm(_Dated):
    decision = forms.ChoiceField(
        label=_("Acceptance conclusion"), choices=DECISIONS, widget=forms.RadioSelect
    )
    decision_date = _date(_("Acceptance date"))
    operation_start_date = _date(_("Operation started on (when passed)"), required=False, today=False)
    conditions = _text(_("Conditions or opinion"))
    reason = _text(_("Reason (required when not passed)"))
    confirm = _confirm(_("I confirm this acceptance conclusion."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "fail" and not data.get("reason"):
            self.add_error("reason", _("A reason is required."))
        return data


class StandardForm(_Dated):
    name = forms.CharField(label=_("Standard"), max_length=200)
    published_date = _date(_("Published on"))
