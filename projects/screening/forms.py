"""Forms of the screening pages: per item an answer and explanation, or a decision and comment.

Field names carry the item's code, never shown; the labels are the item's clause and text.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.screening.services import CONFIRM, OVERRULE, TEXT_MAX

APPLIES, NOT_APPLIES = "applies", "not_applies"


class ScreeningAnswerForm(forms.Form):
    """`lines`: the project's ScreeningLine list; an answered item starts with its answer."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            code, answer = line.item.code, line.answer
            self.fields[f"applies_{code}"] = forms.ChoiceField(
                label=f"{line.item.clause}{line.item.text}",
                choices=[(APPLIES, _("Applies")), (NOT_APPLIES, _("Does not apply"))],
                widget=forms.RadioSelect,
                required=False,
                initial=(APPLIES if answer.applies else NOT_APPLIES) if answer else None,
            )
            self.fields[f"explanation_{code}"] = forms.CharField(
                label=_("Explanation"),
                max_length=TEXT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required when the item applies."),
                initial=answer.explanation if answer else "",
            )

    def clean(self):
        data = super().clean()
        for line in self.lines:
            code = line.item.code
            if data.get(f"applies_{code}") == APPLIES and not (data.get(f"explanation_{code}") or "").strip():
                self.add_error(f"explanation_{code}", _("Explain how the item applies."))
        if not any(data.get(f"applies_{line.item.code}") for line in self.lines):
            raise forms.ValidationError(_("Answer at least one item."))
        return data

    def answers(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            line.item.code: {
                "applies": data[f"applies_{line.item.code}"] == APPLIES,
                "explanation": data.get(f"explanation_{line.item.code}", ""),
            }
            for line in self.lines
            if data.get(f"applies_{line.item.code}")
        }

    def error_field(self, code: str) -> str:
        return f"explanation_{code}"

    def pairs(self):
        """(line, answer field, explanation field) for the template."""
        return [
            (line, self[f"applies_{line.item.code}"], self[f"explanation_{line.item.code}"])
            for line in self.lines
        ]


class ScreeningReviewForm(forms.Form):
    """`lines`: the answered items of the project."""

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            code = line.item.code
            self.fields[f"decision_{code}"] = forms.ChoiceField(
                label=f"{line.item.clause}{line.item.text}",
                choices=[(CONFIRM, _("Confirm")), (OVERRULE, _("Overrule"))],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"comment_{code}"] = forms.CharField(
                label=_("Comment"),
                max_length=TEXT_MAX,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required when overruling."),
            )

    def clean(self):
        data = super().clean()
        for line in self.lines:
            code = line.item.code
            if data.get(f"decision_{code}") == OVERRULE and not (data.get(f"comment_{code}") or "").strip():
                self.add_error(f"comment_{code}", _("Say why the answer is overruled."))
        if not any(data.get(f"decision_{line.item.code}") for line in self.lines):
            raise forms.ValidationError(_("Decide on at least one item."))
        return data

    def decisions(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            line.item.code: {
                "decision": data[f"decision_{line.item.code}"],
                "comment": data.get(f"comment_{line.item.code}", ""),
            }
            for line in self.lines
            if data.get(f"decision_{line.item.code}")
        }

    def error_field(self, code: str) -> str:
        return f"comment_{code}"

    def pairs(self):
        return [
            (line, self[f"decision_{line.item.code}"], self[f"comment_{line.item.code}"])
            for line in self.lines
        ]
