"""The evaluation records of the demo's projects: a project in operation whose measure counts its
self-evaluation window from the start of use (莱州 第三十四条: within 12 months) has its department's
self-evaluation on file, with a rating, as a department submits it on the evaluation page."""

from __future__ import annotations

from acceptance.evaluation import services
from acceptance.evaluation.models import SelfEvaluation
from acceptance.evaluation.selectors import window_rule
from projects.models import Phase
from projects.selectors import pack_for_project

SUMMARY = "系统运行稳定，主要绩效目标已实现；用户满意度调查良好。"


def record_evaluation_demo(project, staff) -> None:
    """A self-evaluation today, only where today is in the window (a deadline from the start of use)."""
    project.refresh_from_db()
    if project.phase != Phase.IN_OPERATION or SelfEvaluation.objects.filter(project=project).exists():
        return
    rule = window_rule(pack_for_project(project).spec)
    if rule is None or rule.kind != "deadline":  # a window that opens a year on is not open today
        return
    services.self_evaluation_submit(actor=staff, project_id=project.pk, rating="good", summary=SUMMARY)
