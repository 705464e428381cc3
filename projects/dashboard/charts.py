"""The dashboard's numbers as ECharts wants them: categories and series, for static/js/dashboard.js.

Pure composition over projects.dashboard.selectors' rows (no queries). Amounts travel as strings
(Decimal in 万元) and the script reads them as numbers; labels are already in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _number(value) -> str | None:
    return None if value is None else str(value)


def _bar(categories, series, *, kind: str = "bar", unit: str = "", stack: bool = False) -> dict[str, Any]:
    return {
        "type": kind,
        "categories": [str(c) for c in categories],
        "series": series,
        "unit": unit,
        "stack": stack,
    }


def overview_charts(overview: dict[str, Any]) -> dict[str, Any]:
    charts: dict[str, Any] = {}
    if overview["by_phase"]:
        rows = overview["by_phase"]
        charts["overview-phase"] = _bar(
            [row["label"] for row in rows],
            [{"name": _("Number of projects"), "data": [row["count"] for row in rows]}],
        )
    if overview["investment"]:
        rows = overview["investment"]
        years = sorted({row["year"] for row in rows})
        departments: dict[int, str] = {}
        amounts: dict[tuple[int, int], Any] = {}
        for row in rows:
            departments.setdefault(row["department_id"], row["department"])
            amounts[(row["department_id"], row["year"])] = row["total_wan"]
        series = [
            {"name": name, "data": [_number(amounts.get((pk, year), 0)) for year in years]}
            for pk, name in sorted(departments.items(), key=lambda item: item[1])
        ]
        charts["overview-investment"] = _bar(years, series, unit="万元", stack=True)
    if overview["plans"]:
        rows = overview["plans"]
        charts["overview-plans"] = _bar(
            [row["jurisdiction_name"] for row in rows],
            [
                {"name": _("Plan total"), "data": [_number(row["total_wan"]) for row in rows]},
                {"name": _("Ceiling"), "data": [_number(row["ceiling_wan"]) for row in rows]},
            ],
            unit="万元",
        )
    if overview["review_cycle"]:
        rows = overview["review_cycle"]
        charts["overview-review"] = _bar(
            [row["month"] for row in rows],
            [{"name": _("Average days"), "data": [_number(row["average_days"]) for row in rows]}],
            kind="line",
            unit=_("days"),
        )
    if overview["overdue"]:
        rows = overview["overdue"]
        charts["overview-overdue"] = _bar(
            [row["department"] for row in rows],
            [{"name": _("Overdue deadlines"), "data": [row["count"] for row in rows]}],
            kind="hbar",
        )
    return charts


def finance_charts(finance: dict[str, Any]) -> dict[str, Any]:
    charts: dict[str, Any] = {}
    outcomes = [row for row in finance["om_outcomes"] if row["count"]]
    if outcomes:
        charts["finance-outcomes"] = {
            "type": "pie",
            "data": [{"name": row["label"], "value": row["count"]} for row in outcomes],
        }
    if finance["om_against_construction"]:
        rows = finance["om_against_construction"]
        charts["finance-om"] = _bar(
            [row["year"] for row in rows],
            [
                {
                    "name": _("Construction investment"),
                    "data": [_number(r["construction_wan"]) for r in rows],
                },
                {"name": _("O&M funds requested"), "data": [_number(r["om_requested_wan"]) for r in rows]},
                {"name": _("O&M funds granted"), "data": [_number(r["om_granted_wan"]) for r in rows]},
            ],
            unit="万元",
        )
    return charts


def staff_charts(staff: dict[str, Any]) -> dict[str, Any]:
    if not staff["by_phase"]:
        return {}
    rows = staff["by_phase"]
    return {
        "staff-phase": _bar(
            [row["label"] for row in rows],
            [{"name": _("Number of projects"), "data": [row["count"] for row in rows]}],
        )
    }


def charts_for(dashboard: dict[str, Any]) -> dict[str, Any]:
    """Every chart of the user's sections, keyed by the name its `<div data-chart>` carries."""
    charts: dict[str, Any] = {}
    if dashboard["overview"] is not None:
        charts.update(overview_charts(dashboard["overview"]))
    if dashboard["finance"] is not None:
        charts.update(finance_charts(dashboard["finance"]))
    if dashboard["staff"] is not None:
        charts.update(staff_charts(dashboard["staff"]))
    return charts
