"""The investment baseline (投资基线): the amount the latest stage approval or change (调整) set.

Every approval that states an amount, and every filed or approved change request, adds a row; the
current baseline is the latest row, and the earlier ones are its history (可研批复 → 初步设计概算批复
→ 调整备案 …).
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
        null=True,
        blank=True,
    )
    source_change = models.ForeignKey(
        "budgets.ChangeRequest",
        verbose_name=_("set by the change"),
        on_delete=models.PROTECT,
        related_name="baselines",
        null=True,
        blank=True,
    )
    set_at = models.DateTimeField(_("set at"), auto_now_add=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("investment baseline")
        verbose_name_plural = _("investment baselines")
        ordering = ["project_id", "id"]
        constraints = [
            # Exactly one source: the approval stage or the change request (调整) that set the amount.
            models.CheckConstraint(
                condition=models.Q(source_stage__isnull=False, source_change__isnull=True)
                | models.Q(source_stage__isnull=True, source_change__isnull=False),
                name="investment_baseline_one_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.amount_wan}"


def baseline_source_label(row: InvestmentBaseline) -> str:
    """What set a row a change request set, as people read it (调整备案 or 调整批复)."""
    change = row.source_change
    if change is None:
        return ""
    if change.status == "filed":
        return str(_("Change filed"))
    return str(_("Change approved"))


def current_baseline(project) -> InvestmentBaseline | None:
    """The project's baseline now (the latest row), or None before any approval with an amount."""
    return InvestmentBaseline.objects.filter(project=project).order_by("-id").first()


def baseline_history(project) -> list[InvestmentBaseline]:
    """Every baseline row of the project, latest first."""
    return list(
        InvestmentBaseline.objects.filter(project=project)
        .select_related("set_by", "source_stage", "source_change")
        .order_by("-id")
    )
