"""The 催办 form: which item (the project, or one of its open or overdue deadlines) and the message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from projects.nudges.services import MESSAGE_MAX


def item_label(deadline, *, overdue: bool, nudged: bool) -> str:
    label = _("%(duty)s (%(article)s), due %(due)s") % {
        "duty": deadline.title_zh,
        "article": deadline.article,
        "due": deadline.due_date.isoformat(),
    }
    if overdue:
        label += " · " + pgettext("deadline status", "Overdue")
    if nudged:
        label += " · " + _("nudged today")
    return label


class NudgeForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("About"), widget=forms.RadioSelect, required=False)
    message = forms.CharField(
        label=gettext_lazy("Message to them"),
        max_length=MESSAGE_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX}),
        help_text=gettext_lazy("Say what is to be done and by when (at most 500 characters)."),
    )

    def __init__(self, *args, deadlines=(), today=None, nudged=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        project_label = _("The project as a whole (its department)")
        if "" in nudged:
            project_label += " · " + _("nudged today")
        self.fields["item"].choices = [("", project_label)] + [
            (
                str(row.pk),
                item_label(
                    row, overdue=today is not None and row.due_date < today, nudged=row.rule_id in nudged
                ),
            )
            for row in deadlines
        ]
