"""规则推演: change a project's facts, or pick another pack version or day, and see what the rules say.

A POST only computes: nothing is saved, no event written. Whoever may see the project may use it
(another tenant's project is a 404, as on the project page).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from govproj.errors import ValidationFailed
from govproj.pages import form_errors
from projects.pages import project_or_404
from projects.selectors import project_facts
from projects.whatif.forms import WhatIfForm, chosen_day, chosen_version
from projects.whatif.selectors import chosen_pack, pack_versions, replay, result_view


@login_required
@require_http_methods(["GET", "POST"])
def what_if(request, pk: int):
    project = project_or_404(request.user, pk)
    versions = pack_versions(project)
    facts = project_facts(project)
    today = timezone.localdate()
    posted = request.POST if request.method == "POST" else None
    as_of = (chosen_day(posted.get("as_of")) if posted else None) or today
    version = chosen_version(posted.get("version")) if posted else None
    try:
        pack = chosen_pack(project, versions, version, as_of)
    except ValidationFailed:  # a version that does not exist: the form says so, on the default's facts
        pack = chosen_pack(project, versions, None, as_of)
    pinned = next((p for p in versions if p.pk == project.rule_pack_id), None)
    form = WhatIfForm(posted, spec=pack.spec, facts=facts, versions=versions, pinned=pinned)
    result = None
    if posted is not None and form.is_valid():
        changes = form.changes()
        if form.is_valid():
            try:
                replayed = replay(
                    project,
                    changes=changes,
                    version=chosen_version(form.cleaned_data["version"]),
                    as_of=form.cleaned_data["as_of"] or today,
                    versions=versions,
                    facts=facts,
                )
            except ValidationFailed as error:
                form_errors(form, error)
            else:
                result = result_view(replayed, request.user)
    if posted is not None and form.errors:
        form.name_invalid_facts()
    status = 400 if posted is not None and form.errors else 200
    return render(
        request,
        "projects/whatif/what_if.html",
        {"project": project, "form": form, "result": result, "pack": pack},
        status=status,
    )
