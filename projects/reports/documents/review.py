"""评审意见汇总 (review_summary): every review opinion given on a project, in one document.

Per review step and round (前置审核, expert or third-party review), as the pack names the step: the
experts by name with their opinion and comment — a withdrawn assignment, or one with no declaration
of no conflict of interest or no opinion yet, is said so — the third-party reviews (organisation,
conclusion, comment), and the step's outcome, who decided it and when. Then the department opinions
(会签) by round: the body, what about, the answer and comment, who answered (for whom) and when,
and the article the request cites.

A project's kind: printable once any opinion has been given (a decided step, an expert's opinion,
a third-party review or an answered department opinion); its one subject is the project.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from approvals.acting import Acting
from approvals.opinions.models import Answer, OpinionRequest
from approvals.reviews.models import (
    Conclusion,
    ExpertAssignment,
    Opinion,
    ReviewStep,
    StepStatus,
    ThirdPartyReview,
)
from approvals.reviews.selectors import step_spec
from govproj.errors import NotFound
from jurisdictions.rules.schema import cited_article
from projects.reports.kinds import ReportKind, Subject, register
from projects.selectors import pack_for_project
from security.selectors import person_name

PREFIX = "project:"
# The records' own labels (同意 / 有条件同意 / 不同意 under Chinese, which the build renders in).
OPINIONS = dict(Opinion.choices)
CONCLUSIONS = dict(Conclusion.choices)
ANSWERS = dict(Answer.choices)
STEP_OUTCOMES = {StepStatus.OPEN: "评审中", StepStatus.PASSED: "通过", StepStatus.FAILED: "未通过"}
CSS = {"agree": "outcome-pass", "agree_with_conditions": "outcome-warn", "conditional": "outcome-warn"}
LABEL = "项目评审与会签意见"


def has_opinions(project) -> bool:
    return (
        ReviewStep.objects.filter(project=project).exclude(status=StepStatus.OPEN).exists()
        or ExpertAssignment.objects.filter(project=project, submitted_at__isnull=False).exists()
        or ThirdPartyReview.objects.filter(project=project).exists()
        or OpinionRequest.objects.filter(project=project).filter(~Q(answer="")).exists()
    )


def subjects(user, project) -> list[Subject]:
    return [Subject(f"{PREFIX}{project.pk}", LABEL)] if has_opinions(project) else []


def _person(user, principal=None) -> str:
    """「受托人（代委托人）」 under a delegation, else the person's name (approvals.acting says it)."""
    return Acting(user, principal or user).label if user is not None else ""


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def _expert(row: ExpertAssignment) -> dict:
    if row.withdrawn:
        state, css = "已撤回指派（未评审）", "muted"
    elif row.submitted_at:
        state, css = OPINIONS.get(row.opinion, row.opinion), CSS.get(row.opinion, "outcome-refuse")
    else:
        state, css = "尚未提交意见", "muted"
    return {
        "name": person_name(row.expert),
        "opinion": state,
        "css": css,
        "comment": row.comment,
        "declared": _day(row.no_conflict_declared_at),
        "withdrawn": row.withdrawn,
        "withdrawn_on": _day(row.withdrawn_at),
        "submitted_on": _day(row.submitted_at),
    }


def step_rows(project, spec) -> list[dict]:
    steps = list(
        ReviewStep.objects.filter(project=project)
        .select_related("decided_by", "on_behalf_of", "organised_by")
        .order_by("created_at", "code", "round")
    )
    experts: dict[int, list] = {}
    for row in (
        ExpertAssignment.objects.filter(project=project)
        .select_related("expert")
        .order_by("assigned_at", "pk")
    ):
        experts.setdefault(row.step_id, []).append(_expert(row))
    reviews: dict[int, list] = {}
    for row in ThirdPartyReview.objects.filter(project=project).select_related("recorded_by"):
        reviews.setdefault(row.step_id, []).append(
            {
                "organisation": row.organisation,
                "conclusion": CONCLUSIONS.get(row.conclusion, row.conclusion),
                "css": CSS.get(row.conclusion, "outcome-refuse"),
                "comment": row.comment,
                "recorded_by": person_name(row.recorded_by),
                "recorded_on": _day(row.recorded_at),
            }
        )
    rows = []
    for step in steps:
        named = step_spec(spec, step.code)
        rows.append(
            {
                "name": named.name.zh if named is not None else "评审环节",
                "taker": named.taker.name.zh if named is not None else "",
                "article": named.citation.article if named is not None else "",
                "round": step.round,
                "outcome": STEP_OUTCOMES.get(step.status, step.status),
                "css": {StepStatus.PASSED: "outcome-pass", StepStatus.FAILED: "outcome-refuse"}.get(
                    step.status, "muted"
                ),
                "comment": step.comment,
                "decided_by": _person(step.decided_by, step.on_behalf_of),
                "decided_on": _day(step.decided_at),
                "organised_by": person_name(step.organised_by) if step.organised_by_id else "",
                "experts": experts.get(step.pk, []),
                "third_party": reviews.get(step.pk, []),
            }
        )
    return rows


def opinion_rows(project) -> list[dict]:
    rows = []
    for row in (
        OpinionRequest.objects.filter(project=project)
        .select_related("department", "answered_by", "on_behalf_of", "added_by")
        .order_by("round", "pk")
    ):
        if row.answer:
            answer, css = ANSWERS.get(row.answer, row.answer), CSS.get(row.answer, "outcome-refuse")
        elif row.closed_at:
            answer, css = "未答复（已由下一轮取代）", "muted"
        else:
            answer, css = "待答复", "muted"
        giver = (row.giver_name or {}).get("zh") or (row.department.name_zh if row.department_id else "")
        rows.append(
            {
                "round": row.round,
                "title": (row.name or {}).get("zh") or "会签意见",
                "giver": giver,
                "answer": answer,
                "css": css,
                "comment": row.comment,
                "answered_by": _person(row.answered_by, row.on_behalf_of),
                "answered_on": _day(row.answered_at),
                "article": cited_article(row.citation),
                "added": row.is_added,
                "added_reason": row.added_reason,
                "required": row.required,
            }
        )
    return rows


def context(report, progress) -> dict:
    project = report.project
    if report.subject_key != f"{PREFIX}{project.pk}":
        raise NotFound()
    spec = (report.rule_pack or pack_for_project(project)).spec
    progress(20, str(_("Collecting the records")))
    steps = step_rows(project, spec)
    progress(35, str(_("Collecting the records")))
    return {
        "project": project,
        "department": project.department.name_zh,
        "steps": steps,
        "opinions": opinion_rows(project),
        "measure": spec.measure.title.zh,
    }


register(
    ReportKind(
        code="review_summary",
        label=_("Review opinions summary"),
        scope="project",
        subjects=subjects,
        unavailable=_("No review opinion has been given yet."),
        template="reports/pdf/review_summary.html",
        context=context,
        order=20,
    )
)
