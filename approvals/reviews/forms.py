"""The forms of review steps: a reason where one is needed, a tick before a final decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from approvals.reviews.models import Conclusion, Opinion

COMMENT_MAX = 2000


def _text(label, *, required=False, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=COMMENT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": _("A reason is required.")},
    )


def _confirm(label) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


class OrganiseForm(forms.Form):
    comment = _text(_("Comment"))


class PassForm(forms.Form):
    comment = _text(_("Review opinion"))
    file = forms.FileField(label=_("Review opinion file (optional)"), required=False)
    confirm = _confirm(_("I confirm that this review step passes."))


class FailForm(forms.Form):
    comment = _text(
        _("Reason it does not pass"),
        required=True,
        help_text=_("The department reads this reason (required)."),
    )
    file = forms.FileField(label=_("Review opinion file (optional)"), required=False)
    confirm = _confirm(_("I confirm that this review step does not pass."))


class ReopenForm(forms.Form):
    comment = _text(_("Comment"))


class AssignForm(forms.Form):
    expert = forms.TypedChoiceField(label=_("Expert"), coerce=int, choices=())

    def __init__(self, *args, experts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [("", "—"), *experts]


class WithdrawForm(forms.Form):
    comment = _text(_("Comment"))
    confirm = _confirm(_("I confirm that this expert's assignment is withdrawn."))


class OpinionForm(forms.Form):
    no_conflict = forms.BooleanField(
        label=_("I have no interest in this project (no conflict of interest)."),
        required=True,
        error_messages={"required": _("The declaration is required.")},
    )
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices, widget=forms.RadioSelect)
    comment = _text(_("Explanation of the opinion"), help_text=_("Required unless you agree."))
    file = forms.FileField(label=_("Opinion file (optional)"), required=False)


class ThirdPartyForm(forms.Form):
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    comment = _text(_("Comment"))
    file = forms.FileField(label=_("Review report"), required=False)
