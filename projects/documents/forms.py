"""Forms of the documents pages: the browser's input is checked here, then by the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.documents.content_types import EXTENSIONS
from projects.documents.services import REASON_MAX

ACCEPT = ",".join(sorted({suffix for suffixes in EXTENSIONS.values() for suffix in suffixes}))


class DocumentUploadForm(forms.Form):
    code = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, OFD, Word, Excel, PNG, JPEG or ZIP"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, documents: list[tuple[str, str]], **kwargs):
        """`documents`: the rule pack's documents as (code, name in the reader's language)."""
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "—"), *documents]


class DocumentRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The department sees it beside the document."),
    )
