"""Read side of evaluation: the pack's self-evaluation window, the random-check setting, the records."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from acceptance.evaluation.models import (
    PostEvaluation,
    PostEvaluationExpert,
    RandomCheckDraw,
    SelfEvaluation,
)
from govproj.i18n import in_language
from jurisdictions.rules.engine import Verdict
from jurisdictions.rules.schema import Outcome

SELF_EVALUATION_FACT = "self_evaluation_date"


def window_rule(spec):
    """The pack's self-evaluation rule (the window or deadline whose done fact is self_evaluation_date)."""
    return next(
        (r for r in spec.rules if getattr(r, "done_fact", None) == SELF_EVALUATION_FACT),
        None,
    )


def window_verdict(verdicts: list[Verdict], spec) -> Verdict | None:
    rule = window_rule(spec)
    if rule is None:
        return None
    return next((v for v in verdicts if v.rule_id == rule.id), None)


def window_said(verdict: Verdict | None) -> dict[str, Any] | None:
    """The window as the page shows it: when it opens and closes (or is due), the article, the verdict."""
    if verdict is None:
        return None
    data = verdict.data or {}
    return {
        "rule_id": verdict.rule_id,
        "title": in_language(verdict.title),
        "message": in_language(verdict.message),
        "article": verdict.citation.get("article", ""),
        "quote": verdict.citation.get("quote", ""),
        "opens_on": data.get("opens_on"),
        "closes_on": data.get("closes_on") or data.get("due_date"),
        "done_on": data.get("done_on"),
        "outcome": verdict.outcome.value,
        "outside": verdict.outcome is Outcome.FAIL,
    }


@dataclass(frozen=True)
class RandomCheckSetting:
    article: str
    quote: str
    share: Decimal | None
    count: int | None

    @property
    def open_choice(self) -> bool:
        """The measure names neither share nor count: the reviewer chooses how many."""
        return self.share is None and self.count is None


def random_check_setting(spec) -> RandomCheckSetting | None:
    """The pack's `settings.random_check` (莱州 第三十四条), or None when the measure has no random checks."""
    setting = spec.settings.get("random_check")
    if not isinstance(setting, dict) or not setting.get("article"):
        return None
    share = setting.get("share")
    try:
        share = Decimal(str(share)) if share is not None else None
    except InvalidOperation:
        share = None
    count = setting.get("count")
    return RandomCheckSetting(
        article=str(setting["article"]),
        quote=str(setting.get("quote") or ""),
        share=share if share is not None and 0 < share <= 1 else None,
        count=count if isinstance(count, int) and count > 0 else None,
    )


def draw_sample(seed: str, population: list[int], count: int) -> list[int]:
    """The seeded draw: the same seed and population always give the same projects (sorted ids)."""
    ordered = sorted(population)
    return sorted(random.Random(seed).sample(ordered, min(count, len(ordered))))


def verify_draw(draw: RandomCheckDraw) -> bool:
    """Re-run the draw from its seed and population: does it choose the same projects?"""
    return draw_sample(draw.seed, list(draw.population), draw.count) == sorted(draw.chosen)


def evaluation_records(project) -> dict[str, Any]:
    """The project's self-evaluations, post-evaluations and their experts (three queries)."""
    selfs = list(
        SelfEvaluation.objects.filter(project=project)
        .select_related("submitted_by")
        .order_by("-submitted_at")
    )
    posts = list(
        PostEvaluation.objects.filter(project=project)
        .select_related("organised_by", "concluded_by")
        .order_by("-organised_at")
    )
    experts: dict[int, list[PostEvaluationExpert]] = {}
    if posts:
        for row in (
            PostEvaluationExpert.objects.filter(evaluation__in=[p.pk for p in posts])
            .select_related("expert")
            .order_by("assigned_at", "pk")
        ):
            experts.setdefault(row.evaluation_id, []).append(row)
    return {"selfs": selfs, "posts": posts, "experts": experts}
