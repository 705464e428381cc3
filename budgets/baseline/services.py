"""Setting the investment baseline: one row per amount that sets it, and the fact the rules read."""

from __future__ import annotations

from decimal import Decimal

from budgets.baseline.models import InvestmentBaseline
from projects.models import Project
from projects.records import record_facts


def set_baseline(
    project: Project, amount_wan: Decimal, actor, *, sets_estimate: bool = True, **source
) -> InvestmentBaseline:
    """Add the baseline row `amount_wan` set by `source` (source_stage=… or source_change=…), in the
    caller's transaction.

    The approved amount is also the `approved_estimate_wan` fact (批复概算) the packs read, e.g.
    鄂尔多斯 第十六条's supervision threshold and 南充 第二十三条's cap. The caller holds the project's lock.
    `sets_estimate=False`: a row that is not an approval (a change the unit filed, 备案, within the
    estimate) moves the baseline but leaves the approved estimate as approved.
    """
    previous = InvestmentBaseline.objects.filter(project=project).order_by("-id").first()
    row = InvestmentBaseline.objects.create(
        project=project,
        amount_wan=amount_wan,
        previous_amount_wan=previous.amount_wan if previous else None,
        set_by=actor,
        **source,
    )
    if sets_estimate:
        record_facts(project, {"approved_estimate_wan": amount_wan})
    return row
