"""The home page per role (/) and the header's overdue count (fetched after the page has loaded)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.home import selectors


@login_required
@require_GET
def home(request):
    """待办, deadlines within 30 days, overdue ones, recent activity (and the O&M queue for finance)."""
    context = selectors.home_for(request.user, page_number=request.GET.get("page"))
    return render(request, "projects/home/home.html", {"home": context, **_om(context)})


def _om(context) -> dict:
    """The O&M partial (budgets/om/_queue.html) reads `page`, `rows` and `decisions` at the top level."""
    return context["finance"] or {}


@login_required
@require_GET
def overdue_count(request):
    """The header's 「逾期」 link with its number, or nothing when nothing the person sees is overdue."""
    return render(
        request, "projects/home/_overdue_count.html", {"count": selectors.overdue_count(request.user)}
    )
