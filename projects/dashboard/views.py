"""The dashboard page (/dashboard/): the sections of the person's roles, each chart with its table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.dashboard.charts import charts_for
from projects.dashboard.selectors import REVIEW_CYCLE_MONTHS, STAFF_SHOWN, dashboard_for


@login_required
@require_GET
def index(request):
    """统计看板: the charts come from the page's JSON (json_script); the tables carry the same numbers."""
    dashboard = dashboard_for(request.user)
    finance = dashboard["finance"]
    return render(
        request,
        "projects/dashboard/index.html",
        {
            "dashboard": dashboard,
            "charts": charts_for(dashboard),
            "om_any": bool(finance and any(row["count"] for row in finance["om_outcomes"])),
            "review_cycle_months": REVIEW_CYCLE_MONTHS,
            "staff_shown": STAFF_SHOWN,
        },
    )
