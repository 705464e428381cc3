"""Negative-list screening (负面清单筛查): one answer per project and screening item.

The items are the `negative_list` rules' items of the project's rule pack. Staff of the project's
department answer each (applies / does not apply, with an explanation); during intake review a
reviewer confirms or overrules each answer with a comment. The `negative_list_answers` fact the
engine reads is derived from these rows (projects.selectors.project_facts): the reviewer's answer
where there is one, else the staff answer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govproj.models import TimeStampedModel


class ScreeningAnswer(TimeStampedModel):
    """The answer to one screening item for one project, and the reviewer's decision on it."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="screening_answers",
    )
    item_code = models.CharField(_("screening item"), max_length=60)
    applies = models.BooleanField(_("applies"))
    explanation = models.TextField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"))
    reviewed_applies = models.BooleanField(_("applies (reviewer)"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("screening answer")
        verbose_name_plural = _("screening answers")
        ordering = ["project", "item_code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "item_code"], name="screening_answer_one_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.item_code}"

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def effective_applies(self) -> bool:
        """What the rules read: the reviewer's answer once reviewed, else the staff answer."""
        return self.reviewed_applies if self.reviewed_applies is not None else self.applies

    @property
    def is_overruled(self) -> bool:
        return self.reviewed_applies is not None and self.reviewed_applies != self.applies
