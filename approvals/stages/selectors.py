"""Read side of the approval stages: the track, each stage's rounds, the clock and the baseline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from approvals.acting import acting_as
from approvals.stages.models import DECIDED, ApprovalStage, StageStatus
from approvals.stages.services import Track, allowed_actions, track_from
from budgets.baseline.models import InvestmentBaseline, baseline_source_label
from govproj.i18n import in_language
from jurisdictions.models import Role
from jurisdictions.rules import evaluate
from jurisdictions.selectors import working_calendar
from projects.models import Phase
from projects.selectors import filer_ids, project_facts, project_verdicts, roles_of
from security.selectors import person_name

# Phases before the stages begin: the section is not shown yet (the API lists the track all the same).
BEFORE_REVIEW = frozenset({Phase.DRAFT, Phase.DECLARED, Phase.RETURNED, Phase.IN_LIBRARY, Phase.PLANNED})


@dataclass
class StageLine:
    code: str
    name: str
    decision: str  # approval | filing
    amount: bool
    article: str
    fields: list[tuple[str, str]]  # (code, name) a filing records
    row: ApprovalStage | None  # the latest round
    earlier: list[ApprovalStage] = field(default_factory=list)  # earlier rounds, oldest first
    current: bool = False
    timeliness: dict[str, Any] | None = None  # a decided stage against the decision clock

    @property
    def status(self) -> str:
        return self.row.status if self.row is not None else StageStatus.OPEN

    @property
    def status_label(self) -> str:
        return self.row.status_label if self.row is not None else str(StageStatus.OPEN.label)

    @property
    def allowed(self) -> list[str]:
        if not self.current:
            return []
        return allowed_actions(self.row, _Spec(self.decision))


@dataclass
class _Spec:
    decision: str


def decider_label(row: ApprovalStage) -> str:
    """「受托人（代委托人）」 when delegated, else the decider's name."""
    if row.decided_by is None:
        return ""
    if row.on_behalf_of_id and row.on_behalf_of_id != row.decided_by_id:
        return f"{person_name(row.decided_by)}（代{person_name(row.on_behalf_of)}）"
    return person_name(row.decided_by)


def clock(project, approval, verdicts, calendar=None, today=None) -> dict[str, Any] | None:
    """The decision clock from the clock rule's verdict: due date, working days left, overdue."""
    if approval is None or not approval.clock_rule:
        return None
    verdict = next((v for v in verdicts if v.rule_id == approval.clock_rule), None)
    if verdict is None or verdict.data.get("due_date") is None:
        return None
    due = verdict.data["due_date"]
    today = today or timezone.localdate()
    calendar = calendar or working_calendar(project.jurisdiction_id)
    if due >= today:
        left = calendar.working_days_between(today, due).days
    else:
        left = -calendar.working_days_between(due, today).days
    done = verdict.data.get("done_on")
    return {
        "due_date": due,
        "anchor_date": verdict.data.get("anchor_date"),
        "working_days_left": left,
        "overdue_days": max(-left, 0),
        "overdue": done is None and today > due,
        "done_on": done,
        "article": verdict.citation.get("article", ""),
        "title": in_language(verdict.title),
    }


def decided_in_time(project, pack, approval, lines: list[StageLine]) -> None:
    """Each decided stage against the clock (红山 第十一条: 相应程序审批 within 7 working days).

    The clock rule is evaluated by the engine as it stood for that stage: its own review-passed
    day as `review_passed_date` and its decision date as the rule's done fact; the prerequisites
    are the project's. Sets `line.timeliness` (due date, decided on, in time or late by N days).
    """
    rule = pack.spec.rule(approval.clock_rule) if approval.clock_rule else None
    decided = [line for line in lines if line.row and line.row.review_passed_at and line.row.decision_date]
    if rule is None or not decided:
        return
    facts = project_facts(project)
    calendar = working_calendar(project.jurisdiction_id)
    for line in decided:
        stage_facts = {
            **facts,
            "review_passed_date": timezone.localtime(line.row.review_passed_at).date(),
            rule.done_fact: line.row.decision_date,
        }
        verdict = evaluate(
            pack.spec,
            stage_facts,
            as_of=timezone.localdate(),
            calendar=calendar,
            rule_ids=[rule.id],
            parsed=True,
        )[0]
        due = verdict.data.get("due_date")
        if due is None:
            continue
        done = line.row.decision_date
        late = calendar.working_days_between(due, done).days if done > due else 0
        line.timeliness = {"due_date": due, "done_on": done, "in_time": not late, "late_days": late}


def stage_lines(approval, track: Track, rows: list[ApprovalStage]) -> list[StageLine]:
    lines = []
    current_found = False
    for code in track.stages:
        spec = approval.stage(code)
        rounds = [row for row in rows if row.code == code]
        latest = rounds[-1] if rounds else None
        current = not current_found and (latest is None or latest.status not in DECIDED)
        current_found = current_found or current
        lines.append(
            StageLine(
                code=code,
                name=in_language(spec.name),
                decision=spec.decision,
                amount=spec.amount,
                article=spec.citation.article,
                fields=[(f.code, in_language(f.name)) for f in spec.fields],
                row=latest,
                earlier=rounds[:-1],
                current=current,
            )
        )
    return lines


def project_stages(project, *, pack=None, verdicts=None) -> dict[str, Any] | None:
    """The project's track, stages, clock and baseline; None when its pack has no approval stages."""
    if pack is None or verdicts is None:
        pack, verdicts = project_verdicts(project)
    approval = pack.spec.review.approval
    if approval is None:
        return None
    track = track_from(verdicts, approval)
    rows = list(
        ApprovalStage.objects.filter(project=project)
        .select_related("submitted_by", "review_passed_by", "decided_by", "on_behalf_of")
        .order_by("id")
    )
    lines = stage_lines(approval, track, rows) if track is not None else []
    decided_in_time(project, pack, approval, lines)
    current = next((line for line in lines if line.current), None)
    waiting = current is not None and current.status == StageStatus.REVIEW_PASSED
    baselines = list(
        InvestmentBaseline.objects.filter(project=project)
        .select_related("set_by", "source_stage", "source_change")
        .order_by("-id")
    )
    for baseline in baselines:
        if baseline.source_stage is None:  # set by a change request (budgets.changes)
            baseline.stage_name = baseline_source_label(baseline)
            continue
        spec = approval.stage(baseline.source_stage.code)
        baseline.stage_name = in_language(spec.name) if spec else baseline.source_stage.code
    return {
        "approval": approval,
        "track": track,
        "track_name": in_language(track.name) if track else "",
        "lines": lines,
        "current": current,
        "clock": clock(project, approval, verdicts) if waiting or project.phase == Phase.APPROVED else None,
        "baseline": baselines[0] if baselines else None,
        "baseline_history": baselines,
        "in_review": project.phase == Phase.IN_REVIEW,
    }


def may(user, project, approval, current: StageLine | None) -> dict[str, bool]:
    """What the user may do on the current stage now (the pages' buttons; the services check again)."""
    none = dict.fromkeys(("submit", "withdraw", "pass_review", "approve", "file", "return", "reject"), False)
    if current is None or project.phase != Phase.IN_REVIEW or not user.is_authenticated:
        return none
    allowed = set(current.allowed)
    staff = user.is_superuser or Role.DEPARTMENT_STAFF in roles_of(user, project)
    acting = acting_as(user, project.jurisdiction_id, approval.decider)
    decider = acting is not None and not (acting.people() & filer_ids(project))
    return {
        "submit": staff and "submit" in allowed,
        "withdraw": staff and "withdraw" in allowed,
        "pass_review": decider and "pass_review" in allowed,
        "approve": decider and "approve" in allowed,
        "file": decider and "file" in allowed,
        "return": decider and "return" in allowed,
        "reject": decider and "reject" in allowed,
    }


def stage_section(user, project, *, pack=None, verdicts=None) -> dict[str, Any]:
    """The context of templates/approvals/stages/_section.html on the project page (from review on)."""
    if project.phase in BEFORE_REVIEW:
        return {"stages": None}
    overview = project_stages(project, pack=pack, verdicts=verdicts)
    if overview is None:
        return {"stages": None}
    overview["may"] = may(user, project, overview["approval"], overview["current"])
    return {"stages": overview}
