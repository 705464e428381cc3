"""The intake decisions as forms: a reason where the measure's reader needs one, a tick before final steps.

The field is `comment` in every form (the audit event's comment and the API's name); its label says
what it is for: 退回意见 or 驳回理由. The service checks the reason again (ValidationFailed naming
`comment`), so a form that got past this still cannot record a decision without one.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

COMMENT_MAX = 2000


def _reason(label, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=COMMENT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=help_text,
        error_messages={"required": _("A reason is required.")},
    )


def _confirm(label) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


class ReturnForm(forms.Form):
    """退回修改: the department reads the comment and revises the project."""

    transition = "return_for_revision"
    comment = _reason(_("Comment for the department"), _("What the department must revise (required)."))


class EnterLibraryForm(forms.Form):
    """纳入项目库: final for intake, so a tick confirms it."""

    transition = "enter_library"
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = _confirm(_("I confirm that the project enters the project library."))


class RejectForm(forms.Form):
    """驳回: final, with the reason the department reads."""

    transition = "reject"
    comment = _reason(_("Reason for rejection"), _("The department reads this reason (required)."))
    confirm = _confirm(_("I confirm the rejection. It is final and cannot be undone."))


class WithdrawForm(forms.Form):
    """撤回申报: the department takes its declaration back to a draft."""

    transition = "withdraw"
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = _confirm(
        _("I confirm that the declaration is withdrawn and the project becomes a draft again.")
    )


DECISION_FORMS = {
    "return": ReturnForm,
    "enter-library": EnterLibraryForm,
    "reject": RejectForm,
    "withdraw": WithdrawForm,
}
