"""The annual plan's forms: start a plan, add library projects, publish (ticked), emergency addition.

The services check everything again; a form only turns the browser's input into typed values.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.plans.services import TEXT_MAX, YEAR_MAX, YEAR_MIN


class PlanCreateForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(queryset=None, label=_("Jurisdiction"), empty_label=None)
    year = forms.IntegerField(label=_("Plan year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    ceiling_wan = forms.DecimalField(
        label=_("Ceiling (万元)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Optional: the total the plan should not exceed."),
    )

    def __init__(self, *args, jurisdictions, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["jurisdiction"]
        field.queryset = jurisdictions
        field.label_from_instance = lambda j: j.name
        if "year" not in self.initial:
            self.initial["year"] = dt.date.today().year + 1


class AddProjectsForm(forms.Form):
    projects = forms.MultipleChoiceField(
        label=_("Library projects not yet in a plan"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one project.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].choices = [(str(p.pk), f"{p.code} {p.title}") for p in candidates]


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: publishing is final, and every project listed enters the annual plan."),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )


class EmergencyForm(forms.Form):
    project = forms.ChoiceField(label=_("Library project"))
    approved_by = forms.CharField(label=_("Agreed by"), max_length=TEXT_MAX)
    approval_document_no = forms.CharField(label=_("Document number of the approval"), max_length=TEXT_MAX)
    approval_date = forms.DateField(
        label=_("Date of the approval"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, candidates, approver: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(str(p.pk), f"{p.code} {p.title}") for p in candidates]
        self.fields["approved_by"].initial = approver
        self.fields["approved_by"].help_text = _("The measure requires the consent of %(approver)s.") % {
            "approver": approver
        }
