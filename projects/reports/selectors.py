"""Which reports a person sees, and what they may print now.

A project's report is seen by whoever sees the project (Project.objects.for_user), a jurisdiction's
(the plan table, the rule-pack summary) by its jurisdiction-wide roles; a kind that names roles
(the dossier: auditors, reviewers, the administrator) only by those. Everyone sees what they asked for.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from govproj.errors import NotFound
from jurisdictions.models import memberships_of
from projects.models import JURISDICTION_WIDE_ROLES, Project
from projects.reports.kinds import KINDS, ReportKind, Subject, ordered_kinds
from projects.reports.models import Report
from projects.selectors import parsed_project_id


def may_use(user, kind: ReportKind, jurisdiction_id: int) -> bool:
    """The kind's roles in the jurisdiction (None: no role of its own is needed)."""
    if kind.roles is None or user.is_superuser:
        return True
    return any(m.jurisdiction_id == jurisdiction_id and m.role in kind.roles for m in memberships_of(user))


def reports_for(user) -> QuerySet[Report]:
    if not user.is_authenticated:
        return Report.objects.none()
    rows = Report.objects.select_related("requested_by", "rule_pack", "project", "jurisdiction")
    if user.is_superuser:
        return rows
    memberships = memberships_of(user)
    wide = sorted({m.jurisdiction_id for m in memberships if m.role in JURISDICTION_WIDE_ROLES})
    seen = Q(project__in=Project.objects.for_user(user).values("pk"))
    if wide:
        seen |= Q(project__isnull=True, jurisdiction_id__in=wide)
    for code, kind in KINDS.items():
        if kind.roles is not None:
            allowed = sorted({m.jurisdiction_id for m in memberships if m.role in kind.roles})
            seen &= ~Q(kind=code) | Q(jurisdiction_id__in=allowed)
    return rows.filter(seen | Q(requested_by=user))


def report_for(user, pk) -> Report:
    """The report if the user may see it, else NotFound (another tenant's is simply not there)."""
    pk = parsed_project_id(pk)
    found = reports_for(user).filter(pk=pk).first() if pk else None
    if found is None:
        raise NotFound()
    return found


def project_reports(project: Project, user, limit: int | None = 20) -> list[Report]:
    rows = reports_for(user).filter(project=project).order_by("-created_at", "-pk")
    return list(rows[:limit] if limit else rows)


def printable(user, project: Project) -> list[tuple[ReportKind, list[Subject]]]:
    """Each kind offered on the project page with what can be printed now (an empty list: not yet)."""
    offered = []
    for kind in ordered_kinds():
        if not may_use(user, kind, project.jurisdiction_id):
            continue
        if kind.scope == "project":
            subjects = kind.subjects(user, project)
        elif kind.project_subjects is not None:
            subjects = kind.project_subjects(user, project)
        else:
            continue
        offered.append((kind, subjects))
    return offered


def printable_in(user, jurisdiction) -> list[tuple[ReportKind, list[Subject]]]:
    """The jurisdiction's kinds (plan table, rule-pack summary) with what can be printed now."""
    return [
        (kind, kind.subjects(user, jurisdiction))
        for kind in ordered_kinds()
        if kind.scope == "jurisdiction" and may_use(user, kind, jurisdiction.pk)
    ]
