"""Pages of the security app: the security audit log for auditors and jurisdiction administrators."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from govproj.errors import NotPermitted
from security.models import Kind, Outcome
from security.selectors import (
    describe,
    person_name,
    security_event_list,
    security_log_people,
    target_label,
)


class SecurityLogFilter(forms.Form):
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int, empty_value=None)
    username = forms.CharField(label=_("Username given"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Kind.choices])
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", _("All")), *Outcome.choices]
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Everyone"))] + [
            (person.pk, person_name(person)) for person in security_log_people(user)
        ]


@login_required
def security_log(request):
    """安全审计日志: read-only, filtered by person, kind, outcome and dates."""
    form = SecurityLogFilter(request.GET or None, user=request.user)
    form.is_valid()  # an invalid filter is left out and said; the valid ones still apply
    filters = getattr(form, "cleaned_data", {})
    try:
        events = security_event_list(user=request.user, **{k: v for k, v in filters.items() if v})
    except NotPermitted as error:
        raise PermissionDenied(error.message) from error
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    rows = [{"event": event, "lines": describe(event), "target": target_label(event)} for event in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "security/security_log.html",
        {"form": form, "page": page, "rows": rows, "querystring": query.urlencode()},
    )
