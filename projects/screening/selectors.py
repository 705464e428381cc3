"""Read side of negative-list screening: the pack's items, the answers on file, and the questionnaire.

The items are those of the pack's `negative_list` rules, in the pack's order, each with its clause,
its text and the article that lists it (document number + 第X条). An item listed by two rules is
asked once.
"""

from __future__ import annotations

from dataclasses import dataclass

from govproj.i18n import in_language
from jurisdictions.models import RulePack
from projects.models import Project
from projects.screening.models import ScreeningAnswer
from projects.selectors import pack_for_project


@dataclass(frozen=True)
class ScreeningItem:
    code: str
    clause: str  # （一）
    text: str  # in the current language, verbatim from the measure
    rule_title: str
    citation: str  # document number and article, e.g. 包府办发〔2024〕106号 第十条


def screening_items(project: Project, pack: RulePack | None = None) -> list[ScreeningItem]:
    """The negative-list items of the project's pack (`pack`, when the caller has it), in the pack's order."""
    spec = (pack or pack_for_project(project)).spec
    items: dict[str, ScreeningItem] = {}
    for rule in spec.rules:
        if getattr(rule, "kind", "") != "negative_list":
            continue
        citation = spec.measure.cite(rule.citation.article, rule.citation.clause)
        for item in rule.items:
            items.setdefault(
                item.code,
                ScreeningItem(
                    code=item.code,
                    clause=item.clause,
                    text=in_language(item.text),
                    rule_title=in_language(rule.title),
                    citation=citation,
                ),
            )
    return list(items.values())


def project_screening(project: Project) -> list[ScreeningAnswer]:
    return list(
        ScreeningAnswer.objects.filter(project=project)
        .select_related("answered_by", "reviewed_by")
        .order_by("item_code")
    )


@dataclass
class ScreeningLine:
    item: ScreeningItem
    answer: ScreeningAnswer | None

    @property
    def hit(self) -> bool:
        return self.answer is not None and self.answer.effective_applies


def screening_lines(
    project: Project, answers: list[ScreeningAnswer], pack: RulePack | None = None
) -> list[ScreeningLine]:
    """Each item of the pack with its answer (None: unanswered)."""
    by_code = {a.item_code: a for a in answers}
    return [ScreeningLine(item, by_code.get(item.code)) for item in screening_items(project, pack)]
