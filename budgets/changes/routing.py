"""How the measure routes a change request (调整): the engine decides, from the candidate facts.

The service states the change as facts (`candidate_facts`) and the pack's change rules evaluate them
on top of the project's own facts (procurement started, the approved estimate, a major change the
reviewer recorded …). The route is the change-tolerance rule's (`route_within` / `route_beyond`), or,
where a change-phase documents rule applies because of a major change (南充 第二十六条), that rule's
approval. What a route means for the request (file it, decide it, or close it for a new declaration)
is the vocabulary below; a route a pack names and this vocabulary does not know goes through approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.changes.models import Disposition
from govproj.i18n import in_language
from jurisdictions.rules import evaluate, parse_facts
from jurisdictions.rules.schema import Outcome, RequiredDocumentsRule, ThresholdRule, cited_article
from jurisdictions.selectors import working_calendar
from projects.selectors import pack_for_project, project_facts

# route code (the packs' route_within / route_beyond) → (what it means for the request, as people read it)
ROUTES: dict[str, tuple[str, Any]] = {
    "unit_adjusts_and_files": (Disposition.FILING, _("The unit adjusts and files it with the approver")),
    "follow_approval_procedures": (Disposition.APPROVAL, _("Back through the approval procedures")),
    "follow_procedures": (Disposition.APPROVAL, _("Back through the approval procedures")),
    "adjustment_approval": (Disposition.APPROVAL, _("Apply for the adjustment approval")),
    "unit_applies_before_procurement": (
        Disposition.APPROVAL,
        _("The unit applies for the adjustment before procurement; the approver decides"),
    ),
    "redeclare_and_adjust_budget": (
        Disposition.NEW_DECLARATION,
        _("A new project declaration and a budget adjustment are needed"),
    ),
    "reapprove_as_new_project": (
        Disposition.NEW_DECLARATION,
        _("Approval again as a new project is needed"),
    ),
}
MAJOR_CHANGE_ROUTE = "major_change_approval"
ROUTE_LABELS = {
    **{code: label for code, (_disposition, label) in ROUTES.items()},
    MAJOR_CHANGE_ROUTE: _("A major change: back through the adjustment approval"),
}
# Why a change is beyond the unit's power (the engine's `beyond_because`), as people read it.
BEYOND_LABELS = {
    "ratio": _("the adjustment exceeds the share of the approved estimate the unit may adjust"),
    "new_content_ratio": _("the new content exceeds its share of the approved estimate"),
    "new_content_amount": _("the new content exceeds its amount limit"),
    "after_procurement": _("procurement has started"),
    "goal_changed": _("the construction goal changes"),
    "beyond_estimate": _("the total exceeds the approved estimate"),
    "reason_not_allowed": _("none of the listed conditions applies"),
    "major_change": _("the reviewer found it a major change"),
}


def route_label(code: str) -> str:
    return str(ROUTE_LABELS.get(code, _("Back through the approval procedures"))) if code else ""


def disposition_of(code: str) -> str:
    return ROUTES.get(code, (Disposition.APPROVAL, None))[0]


def counted_adjustment(increases: Decimal, decreases: Decimal) -> Decimal:
    """调整金额: the larger of the increased and the decreased content (the packs count it from here)."""
    return max(increases, decreases)


def candidate_facts(*, estimate: Decimal, increases, decreases, new_content, savings, goal_changed, reason):
    """The facts the change would give the project, as the rules read them."""
    resulting = estimate + increases - decreases
    return {
        "adjustment_wan": counted_adjustment(increases, decreases),
        "adjustment_increase_wan": increases,
        "adjustment_decrease_wan": decreases,
        "new_content_wan": new_content,
        "tender_savings_wan": savings,
        "goal_changed": goal_changed,
        "change_reason": reason,
        "within_estimate": resulting <= estimate,
    }


@dataclass
class Route:
    code: str = ""
    disposition: str = ""
    rule_id: str = ""
    article: str = ""
    message: str = ""  # what the rule says, in the reader's language
    ratio_percent: Decimal | None = None
    adjustment_wan: Decimal | None = None
    beyond_because: list[str] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)
    pack: Any = None

    @property
    def label(self) -> str:
        return route_label(self.code)

    @property
    def beyond_labels(self) -> list[str]:
        return [str(BEYOND_LABELS.get(code, code)) for code in self.beyond_because]


def route_change(project, candidate: dict[str, Any]) -> Route:
    """The route the project's pack gives the change stated by `candidate` (see module docstring)."""
    pack = pack_for_project(project)
    facts = project_facts(project)
    facts.update(parse_facts(candidate))
    verdicts = evaluate(
        pack.spec,
        facts,
        as_of=timezone.localdate(),
        calendar=working_calendar(project.jurisdiction),
        phases=["change"],
        parsed=True,
    )
    rules = {rule.id: rule for rule in pack.spec.rules}
    tolerance = next((v for v in verdicts if v.kind == "change_tolerance"), None)
    if tolerance is None:  # a measure without a change article: the approver decides
        return Route(code="follow_approval_procedures", disposition=Disposition.APPROVAL, pack=pack)
    if tolerance.outcome is Outcome.UNKNOWN:
        return Route(
            rule_id=tolerance.rule_id,
            article=cited_article(tolerance.citation),
            message=in_language(tolerance.message),
            missing_facts=list(tolerance.data.get("missing_facts", [])),
            pack=pack,
        )
    if tolerance.outcome is Outcome.NOT_APPLICABLE:  # no adjustment: nothing the measure routes
        return Route(
            code="unit_adjusts_and_files",
            disposition=Disposition.FILING,
            rule_id=tolerance.rule_id,
            article=cited_article(tolerance.citation),
            message=in_language(tolerance.message),
            pack=pack,
        )
    data = tolerance.data
    route = Route(
        code=data["route"],
        disposition=disposition_of(data["route"]),
        rule_id=tolerance.rule_id,
        article=cited_article(tolerance.citation),
        message=in_language(tolerance.message),
        ratio_percent=data.get("ratio_percent"),
        adjustment_wan=data.get("adjustment_counted_wan"),
        beyond_because=list(data.get("beyond_because", [])),
        pack=pack,
    )
    if route.disposition == Disposition.FILING and facts.get("major_change") is True:
        # A documents rule of the change phase that applies because of a major change (南充 第二十六条:
        # 重大调整 needs the adjustment approval) takes the change back through approval.
        for verdict in verdicts:
            rule = rules.get(verdict.rule_id)
            if (
                isinstance(rule, RequiredDocumentsRule)
                and rule.applies_when is not None
                and "major_change" in rule.applies_when.facts()
                and verdict.outcome in (Outcome.REQUIRED, Outcome.FAIL)
            ):
                route.code, route.disposition = MAJOR_CHANGE_ROUTE, Disposition.APPROVAL
                route.rule_id, route.article = verdict.rule_id, cited_article(verdict.citation)
                route.message = in_language(verdict.message)
                route.beyond_because = [*route.beyond_because, "major_change"]
                break
    return route


@dataclass
class SurplusVerdict:
    must_return: bool
    rule_id: str = ""
    article: str = ""
    message: str = ""


def surplus_verdict(project, surplus: Decimal, goal_changed: bool) -> SurplusVerdict:
    """Whether the measure says the surplus must be returned (its threshold rule on `surplus_wan`)."""
    pack = pack_for_project(project)
    facts = project_facts(project)
    facts.update(parse_facts({"surplus_wan": surplus, "goal_changed": goal_changed}))
    ids = [r.id for r in pack.spec.rules if isinstance(r, ThresholdRule) and r.fact == "surplus_wan"]
    if not ids:
        return SurplusVerdict(False)
    verdicts = evaluate(
        pack.spec,
        facts,
        as_of=timezone.localdate(),
        calendar=working_calendar(project.jurisdiction),
        rule_ids=ids,
        parsed=True,
    )
    for verdict in verdicts:
        if verdict.outcome in (Outcome.REQUIRED, Outcome.FAIL):
            return SurplusVerdict(
                True, verdict.rule_id, cited_article(verdict.citation), in_language(verdict.message)
            )
    first = verdicts[0]
    return SurplusVerdict(False, first.rule_id, cited_article(first.citation), in_language(first.message))
