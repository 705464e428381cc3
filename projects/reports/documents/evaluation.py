"""绩效自评/评价报告 (performance_report): one self-evaluation or post-evaluation of a project.

A self-evaluation prints its rating, the period and the measure's window (the rule, its article, when
it opens and closes, and whether the report came outside it — recorded and flagged), who submitted it
and the summary. A post-evaluation prints how it was organised (experts or a third party), each
expert by name with the no-conflict declaration, rating and opinion, or the organisation's report,
then the final rating (较差: performance_poor) and the conclusion.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from acceptance.evaluation.models import (
    PostEvaluation,
    PostEvaluationExpert,
    PostMethod,
    PostStatus,
    Rating,
    SelfEvaluation,
)
from acceptance.evaluation.selectors import window_rule, window_said, window_verdict
from govproj.errors import NotFound
from projects.reports.documents.rulepack import criterion
from projects.reports.kinds import ReportKind, Subject, register
from projects.selectors import pack_for_project, project_verdicts
from security.selectors import person_name

SELF, POST = "self:", "post:"
RATINGS = dict(Rating.choices)


def _rating(code: str) -> str:
    return str(RATINGS.get(code, "")) if code else ""


def self_label(row: SelfEvaluation) -> str:
    return f"{row.evaluated_on.year}年度绩效自评"


def post_label(row: PostEvaluation) -> str:
    how = "专家评价" if row.method == PostMethod.EXPERTS else "第三方评价"
    return f"{row.organised_at.year}年度绩效后评价（{how}）"


def subjects(user, project) -> list[Subject]:
    selfs = SelfEvaluation.objects.filter(project=project).order_by("-submitted_at", "-pk")
    posts = PostEvaluation.objects.filter(project=project).order_by("-organised_at", "-pk")
    found = [Subject(f"{POST}{row.pk}", post_label(row)) for row in posts]
    found += [Subject(f"{SELF}{row.pk}", self_label(row)) for row in selfs]
    return found


def _pk(key: str, prefix: str) -> int | None:
    rest = key.removeprefix(prefix)
    return int(rest) if key.startswith(prefix) and rest.isdigit() else None


def _self_context(project, row: SelfEvaluation) -> dict:
    pack = pack_for_project(project)
    rule = window_rule(pack.spec)
    window = None
    if rule is not None:
        _pack, verdicts = project_verdicts(project)
        said = window_said(window_verdict(verdicts, pack.spec)) or {}
        window = {
            "title": rule.title.zh,
            "article": row.window_article or rule.citation.article,
            "criterion": criterion(rule, pack.spec),
            "opens_on": said.get("opens_on"),
            "closes_on": said.get("closes_on"),
        }
    return {
        "evaluation": row,
        "rating": _rating(row.rating),
        "poor": row.rating == Rating.POOR,
        "submitted_by": person_name(row.submitted_by),
        "window": window,
    }


def _post_context(project, row: PostEvaluation) -> dict:
    experts = [
        {
            "name": person_name(expert.expert),
            "declared_at": expert.no_conflict_declared_at,
            "rating": _rating(expert.rating),
            "opinion": expert.opinion,
            "submitted_at": expert.submitted_at,
        }
        for expert in PostEvaluationExpert.objects.filter(evaluation=row)
        .select_related("expert")
        .order_by("assigned_at", "pk")
    ]
    return {
        "post": row,
        "method": "专家评价" if row.method == PostMethod.EXPERTS else "委托第三方机构评价",
        "third_party": row.method == PostMethod.THIRD_PARTY,
        "concluded": row.status == PostStatus.CONCLUDED,
        "organised_by": person_name(row.organised_by),
        "concluded_by": person_name(row.concluded_by),
        "experts": experts,
        "organisation_rating": _rating(row.organisation_rating),
        "rating": _rating(row.rating),
        "poor": row.rating == Rating.POOR,
    }


def context(report, progress) -> dict:
    project = report.project
    key = report.subject_key
    progress(20, str(_("Collecting the records")))
    if (pk := _pk(key, SELF)) is not None:
        row = SelfEvaluation.objects.filter(project=project, pk=pk).select_related("submitted_by").first()
        if row is not None:
            return {"project": project, "kind": "self", **_self_context(project, row)}
    elif (pk := _pk(key, POST)) is not None:
        row = (
            PostEvaluation.objects.filter(project=project, pk=pk)
            .select_related("organised_by", "concluded_by")
            .first()
        )
        if row is not None:
            return {"project": project, "kind": "post", **_post_context(project, row)}
    raise NotFound()


register(
    ReportKind(
        code="performance_report",
        label=_("Performance evaluation report"),
        scope="project",
        subjects=subjects,
        unavailable=_("No self-evaluation or post-evaluation has been recorded yet."),
        template="reports/pdf/performance_report.html",
        context=context,
        order=50,
    )
)
