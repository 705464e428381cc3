"""Read side of the annual plan: the plans a person may see, a plan's entries and totals, candidates.

Totals are summed by the database (GROUP BY), so reading a plan costs the same few queries
whatever its size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from govproj.errors import NotFound
from govproj.i18n import english, in_language
from jurisdictions.models import Jurisdiction, Role, memberships_of
from jurisdictions.selectors import rule_pack
from projects.models import FundingSource, Phase, Project
from projects.plans.models import AnnualPlan, AnnualPlanEntry
from projects.selectors import parsed_project_id

PLAN_MANAGER_ROLES = frozenset({Role.REVIEWER})
ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=16, decimal_places=2))
CENT = Decimal("0.01")


def wan(value) -> Decimal:
    """An amount in 万元 to the cent (SQLite's SUM forgets the decimal places)."""
    return Decimal(value or 0).quantize(CENT)


def plans_for(user) -> QuerySet[AnnualPlan]:
    """The plans the user may see, newest year first, each with its entry count and total."""
    return (
        AnnualPlan.objects.for_user(user)
        .select_related("jurisdiction", "published_by")
        .annotate(
            entry_count=Count("entries"),
            total_wan=Coalesce(Sum("entries__project__total_investment_wan"), ZERO),
        )
        .order_by("-year", "jurisdiction__code")
    )


def plan_for(user, pk) -> AnnualPlan:
    """The plan if the user may see it, else NotFound (another tenant's plan is simply not there)."""
    number = parsed_project_id(pk)  # the same id range and the same refusal of "abc"
    plan = (
        AnnualPlan.objects.for_user(user)
        .select_related("jurisdiction", "published_by")
        .filter(pk=number)
        .first()
        if number is not None
        else None
    )
    if plan is None:
        raise NotFound()
    return plan


def managed_jurisdictions(user) -> list[Jurisdiction]:
    """The jurisdictions whose plans the user compiles and publishes (reviewer)."""
    if user.is_superuser:
        return list(Jurisdiction.objects.order_by("code"))
    ids = {m.jurisdiction_id for m in memberships_of(user) if m.role in PLAN_MANAGER_ROLES}
    return list(Jurisdiction.objects.filter(pk__in=ids).order_by("code"))


def may_manage(user, plan: AnnualPlan) -> bool:
    """The reviewer role of the plan's jurisdiction (the services check it again)."""
    if user.is_superuser:
        return True
    return any(
        m.jurisdiction_id == plan.jurisdiction_id and m.role in PLAN_MANAGER_ROLES
        for m in memberships_of(user)
    )


def plan_entries(plan: AnnualPlan) -> QuerySet[AnnualPlanEntry]:
    """The plan's entries with their projects, departments and who added them (one query)."""
    return (
        AnnualPlanEntry.objects.filter(plan=plan)
        .select_related("project", "project__department", "added_by")
        .order_by("project__department__code", "project__code")
    )


@dataclass(frozen=True)
class TotalLine:
    key: str
    label: str
    count: int
    total_wan: Decimal


@dataclass(frozen=True)
class PlanTotals:
    by_department: list[TotalLine]
    by_funding_source: list[TotalLine]
    count: int
    total_wan: Decimal
    ceiling_wan: Decimal | None

    @property
    def over_ceiling_wan(self) -> Decimal | None:
        """How far the total exceeds the ceiling, or None when it does not (or there is none)."""
        if self.ceiling_wan is None or self.total_wan <= self.ceiling_wan:
            return None
        return self.total_wan - self.ceiling_wan

    @property
    def remaining_wan(self) -> Decimal | None:
        if self.ceiling_wan is None or self.total_wan > self.ceiling_wan:
            return None
        return self.ceiling_wan - self.total_wan


def plan_totals(plan: AnnualPlan) -> PlanTotals:
    """Sums in 万元 by department and by funding source against the ceiling (two GROUP BY queries)."""
    entries = AnnualPlanEntry.objects.filter(plan=plan)
    amount = Coalesce(Sum("project__total_investment_wan"), ZERO)
    name = "project__department__name_en" if english() else "project__department__name_zh"
    departments = [
        TotalLine(str(row["project__department_id"]), row[name], row["count"], wan(row["total"]))
        for row in entries.values("project__department_id", name)
        .annotate(count=Count("pk"), total=amount)
        .order_by(name)
    ]
    labels = dict(FundingSource.choices)
    sources = [
        TotalLine(
            row["project__funding_source"],
            str(labels.get(row["project__funding_source"], "")),
            row["count"],
            wan(row["total"]),
        )
        for row in entries.values("project__funding_source")
        .annotate(count=Count("pk"), total=amount)
        .order_by("project__funding_source")
    ]
    return PlanTotals(
        by_department=departments,
        by_funding_source=sources,
        count=sum(line.count for line in departments),
        total_wan=sum((line.total_wan for line in departments), Decimal("0.00")),
        ceiling_wan=plan.ceiling_wan,
    )


def plan_candidates(plan: AnnualPlan) -> QuerySet[Project]:
    """Library projects of the plan's jurisdiction that are in no plan yet (the plan's year first)."""
    return (
        Project.objects.filter(
            jurisdiction_id=plan.jurisdiction_id, phase=Phase.IN_LIBRARY, plan_entry__isnull=True
        )
        .select_related("department")
        .order_by("-year", "code")
    )


@dataclass(frozen=True)
class EmergencyArticle:
    """What a jurisdiction's measure says about emergency additions (紧急增补), from its rule pack."""

    rule_id: str
    article: str
    quote: str
    citation: str  # document number (or title) and article
    approver_zh: str
    approver_en: str

    @property
    def approver(self) -> str:
        return self.approver_en if english() else self.approver_zh


def emergency_article(jurisdiction: Jurisdiction, as_of: dt.date | None = None) -> EmergencyArticle | None:
    """The pack's `settings.emergency_addition` (who must agree) and the rule it cites; None without one."""
    pack = rule_pack(jurisdiction, as_of=as_of or timezone.localdate())
    spec = pack.spec
    setting = spec.settings.get("emergency_addition")
    if not isinstance(setting, dict) or not setting.get("rule"):
        return None
    rule = next((r for r in spec.rules if r.id == setting["rule"]), None)
    approver = setting.get("approver") or {}
    if rule is None or not approver.get("zh"):
        return None
    return EmergencyArticle(
        rule_id=rule.id,
        article=rule.citation.article,
        quote=rule.citation.quote or "",
        citation=spec.measure.cite(rule.citation.article, rule.citation.clause),
        approver_zh=approver["zh"],
        approver_en=approver.get("en") or approver["zh"],
    )


def department_label(department) -> str:
    return in_language({"zh": department.name_zh, "en": department.name_en})
