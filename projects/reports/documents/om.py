"""运维经费资格审查报告 (om_eligibility): one O&M funding application, the answer on it and the decision.

The overall answer (可以安排 / 需关注 / 不予安排) and each O&M rule's line — refusing ones first, with
its article and message — exactly as budgets.om.answer gives them: from the verdicts the finance
officer's decision stored (and the pack version it applied) once decided, else computed now by the
selector the O&M page uses. Then the decision: approved, reduced or refused, the amount, the reason,
who decided.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from budgets.om.answer import NOT_APPLICABLE
from budgets.om.models import DECIDED, OmApplication, OmStatus
from budgets.om.selectors import application_answer
from govproj.errors import NotFound
from projects.reports.kinds import ReportKind, Subject, register
from security.selectors import person_name

PREFIX = "om:"
# The records a report is printed about: an application that was withdrawn has nothing to examine.
PRINTED = (OmStatus.DRAFT, OmStatus.SUBMITTED, *DECIDED)
LEVEL_CLASSES = {"refuse": "outcome-refuse", "attention": "outcome-warn", "pass": "outcome-pass"}


def label_of(application: OmApplication, repeat: int) -> str:
    again = f"（第{repeat}次）" if repeat > 1 else ""
    return f"{application.year}年度运维经费申请{again}"


def subjects(user, project) -> list[Subject]:
    rows = list(
        OmApplication.objects.filter(project=project, status__in=PRINTED)
        .select_related("rule_pack")
        .order_by("year", "pk")
    )
    seen: dict[int, int] = {}
    found = []
    for application in rows:
        seen[application.year] = seen.get(application.year, 0) + 1
        found.append(
            Subject(
                f"{PREFIX}{application.pk}",
                label_of(application, seen[application.year]),
                rule_pack=application.rule_pack if application.status in DECIDED else None,
            )
        )
    return list(reversed(found))  # latest first


def application_of(report) -> OmApplication:
    key = report.subject_key.removeprefix(PREFIX)
    found = (
        OmApplication.objects.filter(project=report.project, pk=int(key))
        .select_related("created_by", "submitted_by", "decided_by", "on_behalf_of", "rule_pack")
        .first()
        if key.isdigit()
        else None
    )
    if found is None:
        raise NotFound()
    return found


def context(report, progress) -> dict:
    project = report.project
    application = application_of(report)
    progress(20, str(_("Reading the rules")))
    answer, version = application_answer(project, application)
    lines = [
        {
            "title": line.title["zh"],
            "message": line.message["zh"],
            "article": f"{line.article}{line.clause}",
            "level": line.level_label,
            "css": LEVEL_CLASSES.get(line.level, "muted"),
            "cap_wan": line.cap_wan,
        }
        for line in answer.lines
        if line.level != NOT_APPLICABLE
    ]
    not_applicable = [line.title["zh"] for line in answer.lines if line.level == NOT_APPLICABLE]
    decided = application.status in DECIDED
    return {
        "project": project,
        "application": application,
        "answer": answer,
        "answer_css": {"refused": "outcome-refuse", "attention": "outcome-warn"}.get(
            answer.code, "outcome-pass"
        ),
        "lines": lines,
        "not_applicable": not_applicable,
        "pack_version": version,
        "decided": decided,
        "status_label": application.status_label,
        "decided_by": person_name(application.decided_by),
        "on_behalf_of": person_name(application.on_behalf_of),
        "filed_by": person_name(application.created_by),
        "submitted_by": person_name(application.submitted_by),
    }


register(
    ReportKind(
        code="om_eligibility",
        label=_("O&M funding eligibility report"),
        scope="project",
        subjects=subjects,
        unavailable=_("No O&M funding application has been filed yet."),
        template="reports/pdf/om_eligibility.html",
        context=context,
        order=60,
    )
)
