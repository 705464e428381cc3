"""What a draft would decide for the projects in flight: their verdicts now and under the draft.

Projects keep the version they pinned when they were declared; a draft changes nothing for them
until someone decides otherwise. The preview shows what the draft *would* say about them (and so
what a new declaration would face): each project in flight is evaluated on its facts under the
version it pinned (or the one in force) — before — and under the draft — after.

The facts of every project are read together, in a number of queries that does not depend on how
many projects there are (the same four cursors as `projects.selectors.evaluate_projects`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govproj.errors import ValidationFailed
from govproj.i18n import in_language
from jurisdictions.models import Jurisdiction, RulePack, RulePackDraft, in_force
from jurisdictions.rules import PackError, evaluate, validate_pack
from jurisdictions.rules.calendar import WorkingCalendar
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.schema import TRANSITIONS, RulePackSpec, cited_article
from jurisdictions.selectors import working_calendar
from projects.detail import OUTCOME_LABELS
from projects.models import PHASE_LABELS, TRANSITION_LABELS, Phase, Project
from projects.selectors import projects_with_facts

# In flight: declared and not ended. A draft is not declared yet (it takes the version in force
# when it is); a rejected, terminated or decommissioned project is over. A project in operation is
# still in flight: self-evaluation windows and O&M funding rules keep applying to it.
ENDED = (Phase.DRAFT, Phase.REJECTED, Phase.TERMINATED, Phase.DECOMMISSIONED)
OUTCOMES = ("fail", "required", "unknown", "info", "pass", "not_applicable")
ABSENT = "absent"  # the rule is not in that pack (added or removed by the draft)


def in_flight(jurisdiction: Jurisdiction) -> QuerySet:
    return Project.objects.filter(jurisdiction=jurisdiction).exclude(phase__in=ENDED)


# ---------------------------------------------------------------------------- the preview


@dataclass(frozen=True)
class VerdictChange:
    project: Project
    rule_id: str
    title: str
    article: str
    before: str  # an outcome, or ABSENT
    after: str

    @property
    def before_label(self) -> str:
        return outcome_label(self.before)

    @property
    def after_label(self) -> str:
        return outcome_label(self.after)


@dataclass(frozen=True)
class TransitionChange:
    name: str
    label: str
    now: bool  # the project's phase allows it now


@dataclass
class ProjectImpact:
    project: Project
    pinned: RulePack
    changes: list[VerdictChange] = field(default_factory=list)
    blocked: list[TransitionChange] = field(default_factory=list)  # blocked under the draft, not before
    unblocked: list[TransitionChange] = field(default_factory=list)

    @property
    def phase_label(self) -> str:
        return str(PHASE_LABELS.get(self.project.phase, self.project.phase))

    @property
    def affected(self) -> bool:
        return bool(self.changes or self.blocked or self.unblocked)


@dataclass
class Impact:
    draft: RulePackDraft
    current: RulePack | None  # the version in force today
    as_of: dt.date
    projects: list[ProjectImpact]
    before: Counter
    after: Counter

    @property
    def affected(self) -> list[ProjectImpact]:
        return [p for p in self.projects if p.affected]

    @property
    def changes(self) -> list[VerdictChange]:
        return [change for p in self.projects for change in p.changes]

    @property
    def counts(self) -> list[dict[str, Any]]:
        """Per outcome: its label, how many verdicts before and after, and the difference."""
        return [
            {
                "outcome": outcome,
                "label": outcome_label(outcome),
                "before": self.before.get(outcome, 0),
                "after": self.after.get(outcome, 0),
                "delta": self.after.get(outcome, 0) - self.before.get(outcome, 0),
            }
            for outcome in OUTCOMES
        ]

    @property
    def pinned_elsewhere(self) -> int:
        """Projects whose pinned version is not the one in force (they keep it all the same)."""
        return sum(1 for p in self.projects if self.current is None or p.pinned.pk != self.current.pk)


def outcome_label(outcome: str) -> str:
    if outcome == ABSENT:
        return _("Not in the pack")
    return str(OUTCOME_LABELS.get(outcome, outcome))


def _transitions_now() -> dict[str, set[str]]:
    """Phase → the master transitions whose source it is (read from the state machine itself)."""
    phases: dict[str, set[str]] = {}
    phase_field = Project._meta.get_field("phase")
    for transition in phase_field.get_all_transitions(Project):
        sources = list(Phase.values) if transition.source in ("*", "+") else [transition.source]
        for source in sources:
            phases.setdefault(source, set()).add(transition.name)
    return phases


def _blocked(verdicts: list[Verdict]) -> set[str]:
    return {name for name in TRANSITIONS if any(v.blocks_transition(name) for v in verdicts)}


def draft_spec(draft: RulePackDraft) -> RulePackSpec:
    """The draft's spec; a draft is validated on every save, so this fails only on a hand-edited row."""
    try:
        return validate_pack(draft.content)
    except PackError as exc:
        raise ValidationFailed(
            _("The draft is not a valid rule pack; fix it before previewing its impact."),
            extra={"problems": exc.problems},
        ) from exc


def draft_impact(draft: RulePackDraft, *, as_of: dt.date | None = None) -> Impact:
    """The draft's verdicts on the jurisdiction's projects in flight, against those they have now."""
    as_of = as_of or timezone.localdate()
    jurisdiction = draft.jurisdiction
    after_spec = draft_spec(draft)
    packs = {pack.pk: pack for pack in RulePack.objects.filter(jurisdiction=jurisdiction).defer("content")}
    current = in_force(packs.values(), as_of)
    calendar: WorkingCalendar = working_calendar(jurisdiction.pk)
    now = _transitions_now()
    before_counts: Counter = Counter()
    after_counts: Counter = Counter()
    impacts = []
    for project, facts in projects_with_facts(in_flight(jurisdiction), columns=("code", "title")):
        pinned = packs.get(project.rule_pack_id) or current
        if pinned is None:
            continue  # no pack at all: nothing to compare against
        before = evaluate(pinned.spec, facts, as_of=as_of, calendar=calendar, messages=False, parsed=True)
        after = evaluate(after_spec, facts, as_of=as_of, calendar=calendar, messages=False, parsed=True)
        before_counts.update(v.outcome.value for v in before)
        after_counts.update(v.outcome.value for v in after)
        impact = ProjectImpact(project=project, pinned=pinned)
        impact.changes = _verdict_changes(project, before, after)
        was, will = _blocked(before), _blocked(after)
        allowed = now.get(project.phase, set())
        impact.blocked = [_transition(name, allowed) for name in TRANSITIONS if name in will - was]
        impact.unblocked = [_transition(name, allowed) for name in TRANSITIONS if name in was - will]
        impacts.append(impact)
    return Impact(draft, current, as_of, impacts, before_counts, after_counts)


def _transition(name: str, allowed: set[str]) -> TransitionChange:
    return TransitionChange(name=name, label=str(TRANSITION_LABELS.get(name, name)), now=name in allowed)


def _verdict_changes(project: Project, before: list[Verdict], after: list[Verdict]) -> list[VerdictChange]:
    old = {v.rule_id: v for v in before}
    new = {v.rule_id: v for v in after}
    changes = []
    for rule_id in list(new) + [rule_id for rule_id in old if rule_id not in new]:
        was, will = old.get(rule_id), new.get(rule_id)
        before_outcome = was.outcome.value if was else ABSENT
        after_outcome = will.outcome.value if will else ABSENT
        if before_outcome == after_outcome:
            continue
        said = will or was
        changes.append(
            VerdictChange(
                project=project,
                rule_id=rule_id,
                title=in_language(said.title),
                article=cited_article(said.citation),
                before=before_outcome,
                after=after_outcome,
            )
        )
    return changes


def impact_dict(impact: Impact) -> dict[str, Any]:
    """The preview as the API answers it."""
    return {
        "draft": impact.draft.pk,
        "jurisdiction": impact.draft.jurisdiction.code,
        "as_of": impact.as_of.isoformat(),
        "in_force_version": impact.current.version if impact.current else None,
        "projects_in_flight": len(impact.projects),
        "projects_affected": len(impact.affected),
        "counts": impact.counts,
        "projects": [
            {
                "id": p.project.pk,
                "code": p.project.code,
                "title": p.project.title,
                "phase": p.project.phase,
                "pinned_version": p.pinned.version,
                "changes": [
                    {
                        "rule_id": c.rule_id,
                        "title": c.title,
                        "article": c.article,
                        "before": c.before,
                        "after": c.after,
                        "before_label": c.before_label,
                        "after_label": c.after_label,
                    }
                    for c in p.changes
                ],
                "blocked": [{"transition": t.name, "label": t.label, "now": t.now} for t in p.blocked],
                "unblocked": [{"transition": t.name, "label": t.label, "now": t.now} for t in p.unblocked],
            }
            for p in impact.affected
        ],
    }
