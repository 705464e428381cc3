"""审核认定 and 运行情况更新: facts about a project that no other record decides (issue 10).

Most decided facts come from their own record (a review, a stage, an acceptance check …). The rest
are a person's judgement on the project as a whole: the city government approved it, the design
exceeds the FSR, the change is major, a major security hazard was found, the rectification failed.
A `Finding` records one such judgement by the data bureau (or an administrator) with its reason and
its basis (文号); the department's own statements about a running system (data shared, connected to
the exchange platform, security compliant …) are recorded the same way once the project form is
closed to edits. The latest finding of a fact is its value (projects.records.record_facts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govproj.models import TimeStampedModel

__all__ = ["Finding"]


class Finding(TimeStampedModel):
    """One fact judged or stated about a project, with who, why and on what basis."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="findings"
    )
    fact = models.CharField(_("fact"), max_length=64)
    value = models.JSONField(_("value"), null=True, blank=True, help_text=_("empty: no longer known"))
    reason = models.TextField(_("reason"), max_length=2000)
    basis = models.CharField(_("basis"), max_length=200, blank=True, help_text=_("e.g. a document number"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "fact", "-created_at"], name="finding_project_fact")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.fact}={self.value!r}"
