"""The demo's trial runs and acceptances: seed_demo calls `acceptance_step` for 试运行, 申请验收 and 验收.

Dates are set back from today so that each measure's clock has run as it would have: the trial run
started months ago (南充 第二十九条: three months before the application), stable since (红山), a
delay applied for before the six months ran out and granted (where the measure has one), the checks
before acceptance passed (包头 pre-acceptance, 鄂尔多斯 archive), then the application and the decision.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from acceptance.completion import services
from acceptance.completion.models import AcceptanceDelay
from acceptance.completion.selectors import current_due_date, measure_parts
from projects.models import Project
from projects.selectors import project_verdicts

RECORD_STEPS = frozenset({"start_trial_operation", "apply_for_acceptance", "accept"})


def _days(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def acceptance_step(project: Project, step: str, staff, reviewer) -> Project:
    """Take one of the record-run master steps through the acceptance records."""
    if step == "start_trial_operation":
        services.trial_run_record(
            actor=staff,
            project_id=project.pk,
            completion_date=_days(200),
            start_date=_days(190),
            comment="系统已建成并上线试运行",
        )
    elif step == "apply_for_acceptance":
        _before_application(project, staff, reviewer)
        services.acceptance_apply(
            actor=staff, project_id=project.pk, applied_date=_days(10), comment="申请竣工验收"
        )
    else:
        services.acceptance_decide(
            actor=reviewer,
            project_id=project.pk,
            passed=True,
            decision_date=_days(5),
            conditions="验收合格，按期移交运维",
        )
    return Project.objects.get(pk=project.pk)


def _before_application(project: Project, staff, reviewer) -> None:
    pack, verdicts = project_verdicts(project)
    parts = measure_parts(pack.spec)
    if parts.stable is not None:
        services.trial_run_stable(actor=staff, project_id=project.pk, stable_date=_days(150))
    for kind, _rule in parts.checks:
        services.check_request(actor=staff, project_id=project.pk, kind=kind, comment="请予审核")
        services.check_decide(
            actor=reviewer,
            project_id=project.pk,
            kind=kind,
            passed=True,
            decision_date=timezone.localdate(),
            opinion="符合要求",
        )
    if parts.delay is None:
        return
    pack, verdicts = project_verdicts(project)
    due = current_due_date(project, verdicts, parts)
    if due is None or due - dt.timedelta(days=10) > timezone.localdate():
        return  # the deadline is still far: no delay needed
    services.delay_apply(
        actor=staff,
        project_id=project.pk,
        reason="第三方测评报告尚未出具，申请延期验收",
        requested_date=due + dt.timedelta(days=90),
        applied_date=due - dt.timedelta(days=10),
    )
    delay = AcceptanceDelay.objects.filter(project=project).last()
    services.delay_decide(
        actor=reviewer,
        project_id=project.pk,
        delay_id=delay.pk,
        granted=True,
        granted_date=due + dt.timedelta(days=60),
        reason="同意延期",
    )
