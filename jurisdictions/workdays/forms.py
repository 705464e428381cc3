"""The forms of the year view: a day to toggle (with an optional name), and a tick before a year is
marked complete or the mark is taken back."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jurisdictions.workdays.selectors import NAME_MAX, NOTES_MAX, YearView


class ToggleForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("This field is required."), "invalid": _("Enter a valid date.")},
    )
    name = forms.CharField(
        label=_("Holiday name (optional)"),
        required=False,
        max_length=NAME_MAX,
        strip=True,
        help_text=_("e.g. 春节, 国庆节调休; recorded with each day you click."),
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["date"].widget.attrs.update({"min": f"{year}-01-01", "max": f"{year}-12-31"})
        self.fields["name"].widget.attrs["id"] = "day-name"  # every day's button sends it along (htmx)

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day.year != self.year:
            raise forms.ValidationError(_("Pick a day of %(year)s.") % {"year": self.year})
        return day


def _confirm(label) -> forms.BooleanField:
    return forms.BooleanField(
        label=label, required=True, error_messages={"required": _("Tick the box to confirm.")}
    )


class MarkForm(forms.Form):
    notes = forms.CharField(
        label=_("The State Council's notice (optional)"),
        required=False,
        max_length=NOTES_MAX,
        strip=True,
        help_text=_("e.g. 国办发明电〔2026〕X号"),
    )
    confirm = _confirm(
        _("I have checked that every public holiday and make-up workday of this year is entered.")
    )

    def for_year(self, view: YearView) -> MarkForm:
        """The confirmation names whose deadlines the mark makes certain: the calendar's own."""
        if view.jurisdiction is None:
            label = gettext(
                "I have checked that every public holiday and make-up workday of this year is entered "
                "nationally. Deadlines in this year are then counted as certain in every jurisdiction."
            )
        else:
            label = gettext(
                "I have checked that every public holiday and make-up workday of this year is entered for "
                "%(name)s. Deadlines of %(name)s in this year are then counted as certain; other "
                "jurisdictions are not affected."
            ) % {"name": view.jurisdiction.name}
        self.fields["confirm"].label = label
        return self


class UnmarkForm(forms.Form):
    confirm = _confirm(_("Take the mark back: deadlines in this year are reported as uncertain again."))

    def for_year(self, view: YearView) -> UnmarkForm:
        if view.national_mark_stays:
            self.fields["confirm"].label = gettext(
                "Take %(name)s's own mark back: the year stays complete, as it is marked complete "
                "nationally too."
            ) % {"name": view.jurisdiction.name}
        return self
