"""The investment baseline (投资基线): the amount the latest stage approval with an amount set.

Every approval that states an amount adds a row; the current baseline is the latest row, and the
earlier ones are its history (可研批复 → 初步设计概算批复 …).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from projects.models import Project


class InvestmentBaseline(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="baselines"
    )
    amount_wan = models.DecimalField(_("amount (10k CNY)"), max_digits=14, decimal_places=2)
    previous_amount_wan = models.DecimalField(
        _("previous amount (10k CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source_stage = models.ForeignKey(
        "approvals.ApprovalStage",
        verbose_name=_("set by the approval of"),
        on_delete=models.PROTECT,
        related_name="baselines",
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("investment baseline")
        verbose_name_plural = _("investment baselines")
        ordering = ["project_id", "id"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.amount_wan}"


def current_baseline(project) -> InvestmentBaseline | None:
    """The project's baseline now (the latest row), or None before any approval with an amount."""
    return InvestmentBaseline.objects.filter(project=project).order_by("-id").first()


def baseline_history(project) -> list[InvestmentBaseline]:
    """Every baseline row of the project, latest first."""
    return list(
        InvestmentBaseline.objects.filter(project=project)
        .select_related("set_by", "source_stage")
        .order_by("-id")
    )
