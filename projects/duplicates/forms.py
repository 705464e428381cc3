"""The reviewer's duplicate-check form: the browser's input is checked here, then by the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.duplicates.models import Verdict
from projects.duplicates.services import COMMENT_MAX


class DuplicateDecisionForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Finding"), choices=Verdict.choices, widget=forms.RadioSelect)
    other = forms.TypedChoiceField(
        label=_("Duplicated project"), coerce=int, required=False, empty_value=None
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a duplicate; the department sees it."),
    )

    def __init__(self, *args, projects: list[tuple[int, str]], **kwargs):
        """`projects`: the similar projects as (id, "code title")."""
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", "—"), *projects]
