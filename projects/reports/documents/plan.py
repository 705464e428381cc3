"""年度计划表 (plan_table): a jurisdiction's annual plan as a printed table.

Its entries (No., project code, title, department, category as the pack names it, investment in 万元,
funding source, and for an emergency addition 紧急增补 the approval it entered with: who agreed, the
document number and date), the total, the ceiling and what remains of it (or how far the total is
over it), the totals by department and by funding source (projects.plans.selectors.plan_totals),
and the plan's status, revision and who published it when.

A jurisdiction's kind: its subjects are the jurisdiction's plans the person may see (department staff:
published ones); on a project page it offers the plan the project is in.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govproj.errors import NotFound
from projects.models import FundingSource
from projects.plans.models import PLAN_STATUS_LABELS, AnnualPlan, AnnualPlanEntry
from projects.plans.selectors import plan_entries, plan_totals
from projects.reports.documents.printing import wan
from projects.reports.kinds import ReportKind, Subject, register
from security.selectors import person_name

PREFIX = "plan:"


def plan_label(plan: AnnualPlan) -> str:
    return f"{plan.year}年度计划（{PLAN_STATUS_LABELS.get(plan.status, '')}）"


def _subject(plan: AnnualPlan) -> Subject:
    return Subject(f"{PREFIX}{plan.pk}", plan_label(plan))


def subjects(user, jurisdiction) -> list[Subject]:
    plans = AnnualPlan.objects.for_user(user).filter(jurisdiction=jurisdiction).order_by("-year")
    return [_subject(plan) for plan in plans]


def project_subjects(user, project) -> list[Subject]:
    entry = AnnualPlanEntry.objects.filter(project=project).only("plan_id").first()
    if entry is None:
        return []
    plan = AnnualPlan.objects.for_user(user).filter(pk=entry.plan_id).first()
    return [_subject(plan)] if plan is not None else []


def plan_of(report) -> AnnualPlan:
    key = report.subject_key.removeprefix(PREFIX)
    found = (
        AnnualPlan.objects.filter(jurisdiction=report.jurisdiction, pk=int(key))
        .select_related("jurisdiction", "published_by")
        .first()
        if key.isdigit()
        else None
    )
    if found is None:
        raise NotFound()
    return found


def _categories(report, entries) -> dict[str, str]:
    """Category codes to their Chinese names: the report's pack, then each project's own pinned pack."""
    names = {c.code: c.name.zh for c in report.rule_pack.spec.categories} if report.rule_pack else {}
    for entry in entries:
        pack = entry.project.rule_pack
        if entry.project.category not in names and pack is not None:
            names.update({c.code: c.name.zh for c in pack.spec.categories if c.code not in names})
    return names


def context(report, progress) -> dict:
    plan = plan_of(report)
    progress(20, str(_("Collecting the records")))
    entries = list(plan_entries(plan).select_related("project__rule_pack"))
    categories = _categories(report, entries)
    sources = dict(FundingSource.choices)
    rows = [
        {
            "number": index,
            "code": entry.project.code,
            "title": entry.project.title,
            "department": entry.project.department.name_zh,
            "category": categories.get(entry.project.category, "—"),
            "amount": wan(entry.project.total_investment_wan),
            "source": str(sources.get(entry.project.funding_source, "—")),
            "emergency": entry.is_emergency,
            "approved_by": entry.approved_by,
            "document": entry.approval_document_no,
            "approval_date": entry.approval_date,
        }
        for index, entry in enumerate(entries, start=1)
    ]
    progress(35, str(_("Adding up the plan")))
    totals = plan_totals(plan)
    return {
        "plan": plan,
        "status": PLAN_STATUS_LABELS.get(plan.status, ""),
        "rows": rows,
        "count": totals.count,
        "total": wan(totals.total_wan),
        "ceiling": wan(plan.ceiling_wan),
        "remaining": wan(totals.remaining_wan),
        "over": wan(totals.over_ceiling_wan),
        "by_department": [(line.label, line.count, wan(line.total_wan)) for line in totals.by_department],
        "by_source": [(line.label, line.count, wan(line.total_wan)) for line in totals.by_funding_source],
        "emergencies": sum(1 for row in rows if row["emergency"]),
        "published_by": person_name(plan.published_by) if plan.published_by_id else "",
        "published_on": timezone.localtime(plan.published_at).date() if plan.published_at else None,
    }


register(
    ReportKind(
        code="plan_table",
        label=_("Annual plan table"),
        scope="jurisdiction",
        subjects=subjects,
        project_subjects=project_subjects,
        unavailable=_("No annual plan has been compiled yet."),
        template="reports/pdf/plan_table.html",
        context=context,
        order=30,
    )
)
