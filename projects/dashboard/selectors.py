"""The numbers behind the dashboards (统计看板), per role, each chart from ONE aggregate query.

Who sees what:
- reviewers, jurisdiction admins, auditors and security reviewers (jurisdiction-wide readers): the
  projects of their jurisdictions by phase, investment by department and year, this year's annual
  plan against its ceiling, review cycle times, overdue deadlines by department;
- finance officers (and whoever stands in for one): O&M applications by outcome, O&M amounts
  against construction investment by year;
- department staff: their department's projects by phase, and the active ones with their next step.

A person with several roles gets every section they have; each section counts only the
jurisdictions (or departments) the role covers, so another jurisdiction's projects never count.
Every chart is one GROUP BY (or one UNION of two) in the database: the number of queries does not
depend on the number of projects. The staff table reads at most STAFF_SHOWN projects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from budgets.om.models import GRANTED, OM_STATUS_LABELS, OmApplication, OmStatus
from govproj.i18n import english
from jurisdictions.models import Role, memberships_of
from projects.deadlines.models import Deadline
from projects.home.selectors import overdue_condition
from projects.models import PHASE_LABELS, AuditEvent, Phase, Project
from projects.plans.models import PLAN_STATUS_LABELS, AnnualPlan
from projects.plans.selectors import wan

OVERVIEW_ROLES = frozenset({Role.REVIEWER, Role.JURISDICTION_ADMIN, Role.AUDITOR, Role.SECURITY_REVIEWER})
STAFF_SHOWN = 20  # projects in the staff table: the most recently changed active ones
REVIEW_CYCLE_MONTHS = 12
ENDED = frozenset({Phase.REJECTED, Phase.TERMINATED, Phase.DECOMMISSIONED})
# Investment counts declared projects that were not turned down (a draft is not yet a proposal).
NOT_INVESTMENT = frozenset({Phase.DRAFT, Phase.REJECTED})
# Construction investment: projects approved, whatever happened after (terminated ones are left out).
APPROVED_ONWARD = frozenset(
    {
        Phase.APPROVED,
        Phase.IN_CONSTRUCTION,
        Phase.SUSPENDED,
        Phase.TRIAL_OPERATION,
        Phase.IN_ACCEPTANCE,
        Phase.IN_OPERATION,
        Phase.DECOMMISSIONED,
    }
)
# O&M applications that reached the finance officer, in the order the table lists them.
OM_OUTCOMES = (OmStatus.SUBMITTED, OmStatus.APPROVED, OmStatus.REDUCED, OmStatus.REFUSED, OmStatus.WITHDRAWN)
MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0.00"), output_field=MONEY)
PHASE_ORDER = {code: index for index, code in enumerate(Phase.values)}

ALL = None  # a superuser's scope: every jurisdiction


@dataclass(frozen=True)
class Scope:
    """The jurisdictions (or departments) each section counts; None: all (superuser), empty: no section."""

    overview: frozenset[int] | None
    finance: frozenset[int] | None
    departments: frozenset[int]

    @property
    def has_overview(self) -> bool:
        return self.overview is None or bool(self.overview)

    @property
    def has_finance(self) -> bool:
        return self.finance is None or bool(self.finance)

    @property
    def has_staff(self) -> bool:
        return bool(self.departments)


def scope_of(user) -> Scope:
    """What the user's roles cover (memberships are read once per request)."""
    from budgets.om.selectors import finance_jurisdictions  # O&M reads projects: imported when used

    if user.is_superuser:
        return Scope(overview=ALL, finance=ALL, departments=frozenset())
    memberships = memberships_of(user)
    finance = finance_jurisdictions(user)
    return Scope(
        overview=frozenset(m.jurisdiction_id for m in memberships if m.role in OVERVIEW_ROLES),
        finance=frozenset(finance) if finance is not None else ALL,
        departments=frozenset(
            m.department_id for m in memberships if m.role == Role.DEPARTMENT_STAFF and m.department_id
        ),
    )


def _within(field: str, ids: frozenset[int] | None) -> Q:
    return Q() if ids is None else Q(**{f"{field}__in": sorted(ids)})


def _several(ids: frozenset[int] | None) -> bool:
    """Labels name the jurisdiction too when the section spans more than one."""
    return ids is None or len(ids) > 1


def _name(row: dict, prefix: str) -> str:
    return row[f"{prefix}name_en"] if english() else row[f"{prefix}name_zh"]


def _department_label(row: dict, prefix: str, several: bool) -> str:
    name = _name(row, f"{prefix}department__")
    if several:
        return f"{_name(row, f'{prefix}jurisdiction__')} · {name}"
    return name


def _department_values(prefix: str) -> tuple[str, ...]:
    return (
        f"{prefix}department_id",
        f"{prefix}department__name_zh",
        f"{prefix}department__name_en",
        f"{prefix}jurisdiction__name_zh",
        f"{prefix}jurisdiction__name_en",
    )


# ------------------------------------------------------------------------------------------- overview


def projects_by_phase(projects) -> list[dict[str, Any]]:
    """How many projects are in each phase, in the lifecycle's order (one GROUP BY)."""
    rows = projects.order_by().values("phase").annotate(count=Count("pk"))
    found = sorted(rows, key=lambda row: PHASE_ORDER.get(row["phase"], len(PHASE_ORDER)))
    return [
        {
            "phase": row["phase"],
            "label": str(PHASE_LABELS.get(row["phase"], row["phase"])),
            "count": row["count"],
        }
        for row in found
    ]


def investment_by_department_and_year(jurisdictions: frozenset[int] | None) -> list[dict[str, Any]]:
    """Total investment (万元) of declared projects not turned down, by department and plan year."""
    several = _several(jurisdictions)
    rows = (
        Project.objects.filter(_within("jurisdiction_id", jurisdictions))
        .exclude(phase__in=NOT_INVESTMENT)
        .order_by()
        .values("year", *_department_values(""))
        .annotate(count=Count("pk"), total=Coalesce(Sum("total_investment_wan"), ZERO))
    )
    found = [
        {
            "year": row["year"],
            "department_id": row["department_id"],
            "department": _department_label(row, "", several),
            "count": row["count"],
            "total_wan": wan(row["total"]),
        }
        for row in rows
    ]
    return sorted(found, key=lambda row: (row["year"], row["department"]))


def plans_against_ceiling(jurisdictions: frozenset[int] | None, year: int) -> list[dict[str, Any]]:
    """Each jurisdiction's annual plan of `year`: its projects and total (万元) against its ceiling."""
    rows = (
        AnnualPlan.objects.filter(_within("jurisdiction_id", jurisdictions), year=year)
        .order_by()
        .values(
            "pk",
            "jurisdiction__code",
            "jurisdiction__name_zh",
            "jurisdiction__name_en",
            "status",
            "ceiling_wan",
        )
        .annotate(count=Count("entries"), total=Coalesce(Sum("entries__project__total_investment_wan"), ZERO))
    )
    found = []
    for row in sorted(rows, key=lambda row: row["jurisdiction__code"]):
        total = wan(row["total"])
        ceiling = wan(row["ceiling_wan"]) if row["ceiling_wan"] is not None else None
        found.append(
            {
                "plan_id": row["pk"],
                "jurisdiction": row["jurisdiction__code"],
                "jurisdiction_name": _name(row, "jurisdiction__"),
                "year": year,
                "status": row["status"],
                "status_label": str(PLAN_STATUS_LABELS.get(row["status"], row["status"])),
                "count": row["count"],
                "total_wan": total,
                "ceiling_wan": ceiling,
                "over_ceiling_wan": total - ceiling if ceiling is not None and total > ceiling else None,
            }
        )
    return found


def cycle_start(today: dt.date) -> dt.datetime:
    """The first moment of the month REVIEW_CYCLE_MONTHS - 1 months before this one (local time)."""
    month = today.year * 12 + today.month - 1 - (REVIEW_CYCLE_MONTHS - 1)
    first = dt.date(month // 12, month % 12 + 1, 1)
    return timezone.make_aware(dt.datetime.combine(first, dt.time.min))


def review_cycle(jurisdictions: frozenset[int] | None, today: dt.date) -> list[dict[str, Any]]:
    """Calendar days from a project's first declaration to its approval, averaged per month of approval.

    One query: each approval event with its project's first `declare` event as a correlated subquery,
    grouped by the approval's month (local time); the last REVIEW_CYCLE_MONTHS months.
    """
    declared = (
        AuditEvent.objects.filter(project_id=OuterRef("project_id"), action="declare")
        .order_by("at", "pk")
        .values("at")[:1]
    )
    rows = (
        AuditEvent.objects.filter(
            _within("jurisdiction_id", jurisdictions), action="approve", at__gte=cycle_start(today)
        )
        .annotate(declared_at=Subquery(declared), month=TruncMonth("at"))
        .filter(declared_at__isnull=False)
        .order_by()
        .values("month")
        .annotate(
            count=Count("pk"),
            average=Avg(ExpressionWrapper(F("at") - F("declared_at"), output_field=DurationField())),
        )
    )
    found = []
    for row in sorted(rows, key=lambda row: row["month"]):
        month = row["month"]
        month = timezone.localtime(month).date() if isinstance(month, dt.datetime) else month
        average = row["average"]
        days = Decimal(average.total_seconds() / 86400 if average is not None else 0).quantize(Decimal("0.1"))
        found.append(
            {"month": f"{month.year:04d}-{month.month:02d}", "count": row["count"], "average_days": days}
        )
    return found


def overdue_by_department(jurisdictions: frozenset[int] | None, today: dt.date) -> list[dict[str, Any]]:
    """Overdue stored deadlines (marked by the scan, or open and past due) by the project's department."""
    several = _several(jurisdictions)
    rows = (
        Deadline.objects.filter(_within("jurisdiction_id", jurisdictions))
        .filter(overdue_condition(today))
        .order_by()
        .values(*_department_values("project__"))
        .annotate(count=Count("pk"))
    )
    found = [
        {
            "department_id": row["project__department_id"],
            "department": _department_label(row, "project__", several),
            "count": row["count"],
        }
        for row in rows
    ]
    return sorted(found, key=lambda row: (-row["count"], row["department"]))


def overview(jurisdictions: frozenset[int] | None, today: dt.date) -> dict[str, Any]:
    projects = Project.objects.filter(_within("jurisdiction_id", jurisdictions))
    return {
        "by_phase": projects_by_phase(projects),
        "investment": investment_by_department_and_year(jurisdictions),
        "plans": plans_against_ceiling(jurisdictions, today.year),
        "review_cycle": review_cycle(jurisdictions, today),
        "overdue": overdue_by_department(jurisdictions, today),
    }


# -------------------------------------------------------------------------------------------- finance


def om_outcomes(jurisdictions: frozenset[int] | None) -> list[dict[str, Any]]:
    """O&M applications that reached the finance officer, by status: how many, requested and granted."""
    rows = {
        row["status"]: row
        for row in OmApplication.objects.filter(
            _within("project__jurisdiction_id", jurisdictions), submitted_at__isnull=False
        )
        .order_by()
        .values("status")
        .annotate(
            count=Count("pk"),
            requested=Coalesce(Sum("amount_wan"), ZERO),
            granted=Coalesce(Sum("granted_wan"), ZERO),
        )
    }
    return [
        {
            "status": status.value,
            "label": str(OM_STATUS_LABELS[status]),
            "count": rows[status]["count"] if status in rows else 0,
            "requested_wan": wan(rows[status]["requested"] if status in rows else 0),
            "granted_wan": wan(rows[status]["granted"] if status in rows else 0),
        }
        for status in OM_OUTCOMES
    ]


def om_against_construction(jurisdictions: frozenset[int] | None) -> list[dict[str, Any]]:
    """Per year: construction investment of approved projects (plan year) against the O&M funds
    requested and granted (O&M year), in 万元. One query: the UNION of the two GROUP BYs."""
    construction = (
        Project.objects.filter(_within("jurisdiction_id", jurisdictions), phase__in=APPROVED_ONWARD)
        .order_by()
        .values("year")
        .annotate(construction=Coalesce(Sum("total_investment_wan"), ZERO), requested=ZERO, granted=ZERO)
    )
    om = (
        OmApplication.objects.filter(
            _within("project__jurisdiction_id", jurisdictions), submitted_at__isnull=False
        )
        .order_by()
        .values("year")
        .annotate(
            construction=ZERO,
            requested=Coalesce(Sum("amount_wan"), ZERO),
            granted=Coalesce(Sum("granted_wan", filter=Q(status__in=GRANTED)), ZERO),
        )
    )
    years: dict[int, dict[str, Any]] = {}
    for row in construction.union(om, all=True):
        line = years.setdefault(
            row["year"],
            {
                "year": row["year"],
                "construction_wan": wan(0),
                "om_requested_wan": wan(0),
                "om_granted_wan": wan(0),
            },
        )
        line["construction_wan"] += wan(row["construction"])
        line["om_requested_wan"] += wan(row["requested"])
        line["om_granted_wan"] += wan(row["granted"])
    return [years[year] for year in sorted(years)]


def finance(jurisdictions: frozenset[int] | None) -> dict[str, Any]:
    return {
        "om_outcomes": om_outcomes(jurisdictions),
        "om_against_construction": om_against_construction(jurisdictions),
    }


# ---------------------------------------------------------------------------------------------- staff


def next_step(project: Project, pack, verdicts) -> dict[str, str]:
    """The project page's 「下一步」 in one line: what blocks the first step, or what may be done now.

    The same computation as the project page (projects.detail.next_steps with the phase records'
    gates), said briefly: `kind` is blocked, ready, open or none.
    """
    from projects.detail import next_steps
    from projects.gates import open_gates
    from projects.selectors import available_transitions

    possible = available_transitions(project)
    needs = next_steps(
        project,
        verdicts,
        possible,
        owed={name: open_gates(project, name, pack.spec) for name in possible},
    )
    if needs["blocking"]:
        step = needs["blocking"][0]
        reason = step["reasons"][0]
        more = sum(len(s["reasons"]) for s in needs["blocking"]) - 1
        text = _("Before “%(step)s”: %(reason)s") % {"step": step["label"], "reason": reason["message"]}
        if more:
            text += _(" (and %(count)s more)") % {"count": more}
        return {"kind": "blocked", "text": text, "article": reason["article"]}
    if needs["ready"]:
        return {
            "kind": "ready",
            "text": _("Nothing blocks: %(steps)s") % {"steps": "、".join(needs["ready"])},
            "article": "",
        }
    if needs["open"]:
        reason = needs["open"][0]
        return {"kind": "open", "text": reason["message"], "article": reason["article"]}
    return {"kind": "none", "text": _("No further step is open for this project."), "article": ""}


def staff_projects(departments: frozenset[int]) -> list[dict[str, Any]]:
    """The department's active projects, most recently changed first (at most STAFF_SHOWN), each with
    its next step. Verdicts come from one batch evaluation; the gates cost a few queries per project
    shown, never per project of the department."""
    from projects.selectors import evaluate_projects

    shown = list(
        Project.objects.filter(department_id__in=sorted(departments))
        .exclude(phase__in=ENDED)
        .select_related("department", "jurisdiction", "rule_pack")
        .order_by("-updated_at", "-id")[:STAFF_SHOWN]
    )
    if not shown:
        return []
    evaluated = {
        e.project.pk: e
        for e in evaluate_projects(Project.objects.filter(pk__in=[p.pk for p in shown]), messages=True)
    }
    rows = []
    for project in shown:
        found = evaluated[project.pk]
        rows.append(
            {
                "id": project.pk,
                "code": project.code,
                "title": project.title,
                "department": project.department.name,
                "phase": project.phase,
                "phase_label": str(project.phase_label),
                "total_investment_wan": wan(project.total_investment_wan),
                "next_step": next_step(project, found.pack, found.verdicts),
            }
        )
    return rows


def staff(departments: frozenset[int]) -> dict[str, Any]:
    by_phase = projects_by_phase(Project.objects.filter(department_id__in=sorted(departments)))
    active = sum(row["count"] for row in by_phase if row["phase"] not in ENDED)
    projects = staff_projects(departments)
    return {"by_phase": by_phase, "projects": projects, "more": max(active - len(projects), 0)}


# ------------------------------------------------------------------------------------------ dashboard


def dashboard_for(user, *, today: dt.date | None = None) -> dict[str, Any]:
    """Every section the user's roles give them (None where they have none)."""
    today = today or timezone.localdate()
    scope = scope_of(user)
    return {
        "today": today,
        "year": today.year,
        "overview": overview(scope.overview, today) if scope.has_overview else None,
        "finance": finance(scope.finance) if scope.has_finance else None,
        "staff": staff(scope.departments) if scope.has_staff else None,
    }
