from django import forms
from django.utils.translation import gettext_lazy as _

from govproj.inputs import TEXT_MAX


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("I confirm that this deadline no longer applies to the project."))


class ReminderPolicyForm(forms.Form):
    lead_days = forms.CharField(
        label=_("Reminders before the due date (working days)"),
        max_length=60,
        help_text=_("Numbers separated by commas, e.g. 5, 2, 0 (0: on the due date)."),
    )
    overdue_every = forms.IntegerField(
        label=_("Once overdue, remind every (working days)"), min_value=1, max_value=60
    )
    escalate_after = forms.IntegerField(
        label=_("Escalate after this many working days overdue"), min_value=1, max_value=250
    )
    reviewer_lead = forms.TypedChoiceField(
        label=_("Reviewer lead told of escalations"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("With the administrators. None chosen: every reviewer is told."),
    )

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer_lead"].choices = [("", _("Every reviewer")), *reviewers]
