"""A reviewer's finding on duplicate declaration (重复申报): not a duplicate, or a duplicate of project X.

The measures ask the reviewer to check that a project does not repeat one already built or
planned in the jurisdiction (包头 第十条（五）, 红山 第六条（一）（二）, 南充 第八条（四））. Each
decision is kept; the newest is the project's current finding.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govproj.models import TimeStampedModel


class Verdict(models.TextChoices):
    NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")
    DUPLICATE_OF = "duplicate_of", _("Duplicate of another project")


class DuplicateFinding(TimeStampedModel):
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="duplicate_findings",
    )
    other = models.ForeignKey(
        "projects.Project",
        verbose_name=_("duplicated project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verdict = models.CharField(_("finding"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        verbose_name = _("duplicate finding")
        verbose_name_plural = _("duplicate findings")
        ordering = ["-decided_at", "-id"]
        constraints = [
            # A duplicate names the project it repeats; never itself.
            models.CheckConstraint(
                condition=~Q(verdict="duplicate_of") | Q(other__isnull=False), name="duplicate_names_other"
            ),
            models.CheckConstraint(condition=~Q(other=models.F("project")), name="duplicate_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.verdict} {self.other_id or ''}".strip()
