"""Forms of the people page: a new account with its first role, a role for someone already here."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from jurisdictions.models import Department, Jurisdiction, Role


class _RoleFields(forms.Form):
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdiction"), queryset=Jurisdiction.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("required for department staff; for other roles, the body they act for"),
    )

    def __init__(self, *args, administered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = administered
        self.fields["department"].queryset = Department.objects.filter(
            jurisdiction__in=administered
        ).select_related("jurisdiction")
        if len(administered) == 1:
            self.fields["jurisdiction"].initial = administered[0]


class AccountForm(_RoleFields):
    username = forms.CharField(label=_("Username"), max_length=150)
    name = forms.CharField(label=_("Name"), max_length=150, help_text=_("as colleagues know them, e.g. 张伟"))
    email = forms.EmailField(label=_("E-mail"), required=False)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)
    field_order = ["username", "name", "email", "password", "password_again", "jurisdiction", "role"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class GrantForm(_RoleFields):
    user = forms.ModelChoiceField(label=_("Person"), queryset=get_user_model().objects.none())

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.order_fields(["user", "jurisdiction", "role", "department"])


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )
