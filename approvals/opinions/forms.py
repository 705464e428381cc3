"""Forms of the opinion pages: request (a tick), add a signer, re-request (a reason), answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.opinions.models import Answer
from approvals.opinions.services import TEXT_MAX
from jurisdictions.models import Role
from jurisdictions.rules.schema import TAKER_ROLES


def _confirm(label) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


def _text(label, *, required: bool, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": _("A reason is required.")},
    )


class RequestForm(forms.Form):
    confirm = _confirm(_("I confirm that the opinions are requested from these departments."))


class RerequestForm(forms.Form):
    reason = _text(_("Why the opinions are requested again"), required=True)
    confirm = _confirm(_("I confirm a new round: the unanswered requests of this round are closed."))


class AddSignerForm(forms.Form):
    department = forms.TypedChoiceField(label=_("Department"), coerce=int)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role, Role(role).label) for role in TAKER_ROLES],
        initial=Role.SECURITY_REVIEWER,
    )
    name = forms.CharField(
        label=_("What the opinion is about"),
        max_length=200,
        required=False,
        help_text=_("Optional, e.g. data-sharing opinion."),
    )
    reason = _text(_("Reason for adding this department"), required=True)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—")] + [(d.pk, d.name) for d in departments]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (Answer.AGREE, _("Agree")),
            (Answer.AGREE_WITH_CONDITIONS, _("Agree with conditions")),
            (Answer.DISAGREE, _("Disagree")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to disagree or to agree with conditions (say which)."),
    )
    file = forms.FileField(label=_("File (optional)"), required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("answer") in (Answer.DISAGREE, Answer.AGREE_WITH_CONDITIONS)
            and not (data.get("comment") or "").strip()
        ):
            self.add_error("comment", _("Say why, or on which conditions."))
        return data
