"""Pages: a draft's impact on the projects in flight, the diff of two versions, the measures side by side.

The impact preview is the jurisdiction admins' (like the draft itself); the diff is for every member
of the jurisdiction; the comparison for everyone signed in (the measures are public law).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govproj.errors import NotFound, NotPermitted, ValidationFailed
from jurisdictions.compare import comparison
from jurisdictions.editor import selectors
from jurisdictions.editor.diff import pack_diff
from jurisdictions.editor.impact import ENDED, draft_impact
from jurisdictions.selectors import jurisdiction_for
from projects.models import PHASE_LABELS


def _guarded(call, *args, **kwargs):
    """A selector's NotFound / NotPermitted as the page's 404 / 403."""
    try:
        return call(*args, **kwargs)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc


@login_required
@require_GET
def impact(request, pk: int):
    """What the draft would decide for the projects in flight, against what they have now."""
    draft = _guarded(selectors.draft_for, request.user, pk)
    problem = None
    result = None
    try:
        result = draft_impact(draft)
    except ValidationFailed as exc:
        problem = exc.message
    context = {
        "draft": draft,
        "jurisdiction": draft.jurisdiction,
        "impact": result,
        "problem": problem,
        "ended": [PHASE_LABELS[phase] for phase in ENDED],
    }
    return render(request, "rules/impact.html", context, status=200 if problem is None else 409)


def version_pair(versions: list[int], a, b) -> tuple[int, int]:
    """The versions to compare: as asked, else the previous and the latest. ValueError names a bad one."""
    latest = versions[0] if versions else None
    previous = versions[1] if len(versions) > 1 else latest
    chosen = []
    for name, value, default in (("a", a, previous), ("b", b, latest)):
        if value in (None, ""):
            chosen.append(default)
            continue
        text = str(value)
        if not (text.isascii() and text.isdecimal()) or int(text) not in versions:
            raise ValueError(name)
        chosen.append(int(text))
    return chosen[0], chosen[1]


@login_required
@require_GET
def diff(request, code: str):
    """Rule by rule, what changed between two versions of the jurisdiction's pack."""
    jurisdiction = _guarded(jurisdiction_for, request.user, code)
    listed = list(selectors.versions(jurisdiction))
    numbers = [pack.version for pack in listed]
    if not numbers:
        raise Http404
    try:
        a, b = version_pair(numbers, request.GET.get("a"), request.GET.get("b"))
    except ValueError as exc:
        raise Http404(f"no such version ({exc})") from exc
    old = _guarded(selectors.version_of, jurisdiction, a)
    new = old if a == b else _guarded(selectors.version_of, jurisdiction, b)
    context = {
        "jurisdiction": jurisdiction,
        "versions": listed,
        "old": old,
        "new": new,
        "diff": pack_diff(old.content, new.content),
    }
    return render(request, "rules/diff.html", context)


@login_required
@require_GET
def compare(request):
    """The measures in force side by side, theme by theme."""
    return render(request, "rules/compare.html", {"table": comparison(request.user)})
