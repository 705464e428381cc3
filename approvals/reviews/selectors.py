"""Which review steps apply to a project, and where each stands (its latest round)."""

from __future__ import annotations

from functools import cache

from approvals.reviews.models import ReviewStep, StepStatus
from jurisdictions.rules.conditions import evaluate_condition
from jurisdictions.rules.facts import parse_facts
from projects.models import Project
from projects.selectors import project_facts, stored_facts


@cache
def transition_sources() -> dict[str, frozenset[str]]:
    """Each master transition's source phases (from the state machine, not repeated here)."""
    sources: dict[str, set[str]] = {}
    for t in Project._meta.get_field("phase").get_all_transitions(Project):
        sources.setdefault(t.name, set()).add(t.source)
    return {name: frozenset(found) for name, found in sources.items()}


def step_spec(spec, code: str):
    review = getattr(spec, "review", None)
    return next((s for s in (review.steps if review else ()) if s.code == code), None)


def pack_steps(spec) -> tuple:
    review = getattr(spec, "review", None)
    return tuple(review.steps) if review else ()


def light_facts(project: Project) -> dict:
    """The facts a step's `when` reads, from the row alone (no query): for lists such as the inbox."""
    facts = dict(stored_facts(project)[0])
    facts.update(
        parse_facts(
            {
                "total_investment_wan": project.total_investment_wan,
                "category": project.category,
                "funding_source": project.funding_source,
            }
        )
    )
    return facts


def step_applies(step, facts: dict) -> bool:
    """A step with a `when` applies when it holds; unknown (facts missing) counts as applying."""
    if step.when is None:
        return True
    return evaluate_condition(step.when, facts) is not False


def applicable_steps(project: Project, spec, facts: dict | None = None) -> list:
    steps = pack_steps(spec)
    if not steps:
        return []
    if any(s.when is not None for s in steps) and facts is None:
        facts = project_facts(project)
    return [s for s in steps if step_applies(s, facts or {})]


def step_rounds(project: Project) -> dict[str, list[ReviewStep]]:
    """Every round of every step of the project, oldest first, by step code."""
    rounds: dict[str, list[ReviewStep]] = {}
    for row in ReviewStep.objects.filter(project=project).order_by("code", "round"):
        rounds.setdefault(row.code, []).append(row)
    return rounds


def step_owed(step, latest: ReviewStep | None) -> bool:
    """Whether a step still holds up its transition: not passed, and (optional steps) organised."""
    if latest is None:
        return not step.optional
    return latest.status != StepStatus.PASSED


def in_step_phase(project: Project, step) -> bool:
    """Whether the project is where the step is taken: a source phase of the transition it precedes."""
    return project.phase in transition_sources().get(step.before, frozenset())


REVIEW_EVENTS = frozenset(
    {
        "review_organise",
        "review_pass",
        "review_fail",
        "review_reopen",
        "expert_assign",
        "expert_withdraw",
        "expert_opinion",
        "third_party_review",
    }
)


def timeline_details(action: str, changes: dict, spec) -> list[str]:
    """What the project page's timeline says under a review event: the step (and round), the expert."""
    from django.utils.translation import gettext as _

    from approvals.reviews.models import Conclusion, Opinion
    from govproj.i18n import in_language

    if action not in REVIEW_EVENTS or not changes.get("step"):
        return []
    step = step_spec(spec, changes["step"])
    name = in_language(step.name) if step else _("Review step")
    lines = [_("%(step)s, round %(round)s") % {"step": name, "round": changes.get("round", 1)}]
    expert = changes.get("expert")
    if isinstance(expert, dict) and expert.get("name"):
        lines.append(_("Expert: %(name)s") % {"name": expert["name"]})
    if changes.get("opinion") in Opinion.values:
        lines.append(str(Opinion(changes["opinion"]).label))
    if changes.get("organisation"):
        conclusion = changes.get("conclusion")
        label = str(Conclusion(conclusion).label) if conclusion in Conclusion.values else ""
        lines.append(f"{changes['organisation']}：{label}" if label else str(changes["organisation"]))
    return lines
