"""The reviewer's inbox pages: 待办 (with batch decisions) and 已办.

A batch is a plain form post in two steps, so it works without JavaScript: the selected items and
the action are shown for confirmation (a reason is required to return), then each item is decided
through its source in its own transaction and the result page reports each one.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from approvals.inbox.registry import SOURCES
from approvals.inbox.services import (
    BATCH_ACTIONS,
    acting_for,
    cached_pending_count,
    check_batch,
    decide_batch,
    done_items,
    has_inbox,
    parse_selection,
    pending_items,
    remember_pending_count,
)
from govproj.errors import ValidationFailed
from jurisdictions.selectors import working_calendar

PAGE_SIZE = 50


def _action_label(action: str) -> str:
    return {"approve": _("Approve in batch"), "return": _("Return in batch")}.get(action, "")


def _rows(items, today):
    """Rows of one page: the kind's name, the clock (working days left, overdue)."""
    calendar = working_calendar(None) if any(i.due for i in items) else None
    rows = []
    for item in items:
        source = SOURCES.get(item.kind)
        left = None
        if item.due and calendar is not None and item.due >= today:
            left = calendar.working_days_between(today, item.due).days
        rows.append(
            {
                "item": item,
                "value": f"{item.kind}:{item.key}",
                "kind_label": source.label if source else item.kind,
                "days_left": left,
                "overdue": bool(item.due and item.due < today),
                "batch": bool(item.batch),
            }
        )
    return rows


@login_required
@require_GET
def inbox(request):
    """待办 / 已办 of the signed-in person."""
    tab = "done" if request.GET.get("tab") == "done" else "pending"
    if tab == "done":
        items = done_items(request.user)
    else:
        items = pending_items(request.user)
        remember_pending_count(request.user, len(items))
    paginator = Paginator(items, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "approvals/inbox/inbox.html",
        {
            "tab": tab,
            "rows": _rows(list(page.object_list), today),
            "page": page,
            "paginator": paginator,
            "querystring": f"tab={tab}",
            "acting_for": acting_for(request.user),
        },
    )


@login_required
@require_GET
def count(request):
    """The header's number of items waiting (fetched by the page after it has loaded: no page pays for it)."""
    return render(
        request,
        "approvals/inbox/_count.html",
        {"count": cached_pending_count(request.user) if has_inbox(request.user) else 0},
    )


@login_required
@require_POST
def batch(request):
    """Step 1 (no confirmation yet): what will happen; step 2 (confirmed): do it and report each item."""
    pairs = parse_selection(request.POST.getlist("items"))
    action = request.POST.get("action", "")
    comment = (request.POST.get("comment") or "").strip()
    if not pairs:
        messages.error(request, _("Select at least one item."))
        return redirect("projects:inbox")
    error = ""
    try:
        check_batch(action, comment, [kind for kind, _key in pairs])
    except ValidationFailed as exc:
        error = exc.message
    titles = _titles(request.user, pairs)  # named before deciding: decided items leave 待办
    if not error and request.POST.get("confirm") == "on":
        results = decide_batch(request.user, pairs, action, comment)
        return render(
            request,
            "approvals/inbox/result.html",
            {
                "action_label": _action_label(action),
                "results": [{"result": r, "item": titles.get((r.kind, r.key))} for r in results],
                "done_count": sum(1 for r in results if r.done),
                "refused_count": sum(1 for r in results if not r.done),
            },
        )
    if not error and request.POST.get("step") == "confirm":
        error = _("Tick the box to confirm.")
    return render(
        request,
        "approvals/inbox/confirm.html",
        {
            "selected": [
                {"value": f"{kind}:{key}", "item": titles.get((kind, key)), "key": key} for kind, key in pairs
            ],
            "action": action if action in BATCH_ACTIONS else "",
            "action_label": _action_label(action),
            "comment": comment,
            "error": error,
        },
        status=400 if error else 200,
    )


def _titles(user, pairs):
    """The user's pending items by (kind, key), for naming what was selected."""
    wanted = set(pairs)
    return {(i.kind, i.key): i for i in pending_items(user) if (i.kind, i.key) in wanted}
