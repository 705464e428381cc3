"""The form of the notification settings page: how to be told by e-mail."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.notifications.models import EmailMode


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("E-mail me my notifications"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("This field is required.")},
    )
