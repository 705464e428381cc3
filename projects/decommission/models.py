"""Records of decommissioning (停用, 莱州 第三十八条; issue 10 §6).

One `Decommission` per project holds the stop plan (停用方案), the asset disposal (资产处置) and the
filing with the data bureau and the finance bureau (备案); each data kind's disposal (backed up,
migrated or destroyed: who, when, how verified) is a `DataDisposal` row. The master `decommission`
transition waits (projects.gates) until all of it is recorded. Flags on a system (停用、僵尸系统, 可替代)
are decided facts written with an audit event, not rows here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from govproj.models import TimeStampedModel

__all__ = ["DataDisposal", "Decommission"]


class DecommissionStatus(models.TextChoices):
    PLANNED = "planned", _("Stop plan made")
    DONE = "done", _("Decommissioned")


class DisposalAction(models.TextChoices):
    BACKUP = "backup", _("Backed up")
    MIGRATE = "migrate", _("Migrated")
    DESTROY = "destroy", _("Destroyed")


def _person_fk(label, *, null=True):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=label,
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Decommission(ConcurrentTransitionMixin, TimeStampedModel):
    """The decommissioning of one project: plan, asset disposal and the two filings."""

    project = models.OneToOneField(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="decommission_record",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = FSMField(
        _("status"), default=DecommissionStatus.PLANNED, choices=DecommissionStatus.choices, protected=True
    )
    reason = models.TextField(_("reason for stopping"))
    planned_stop_on = models.DateField(_("planned stop date"))
    successor = models.CharField(_("successor system"), max_length=200, blank=True)
    planned_by = _person_fk(_("plan made by"), null=False)
    planned_at = models.DateTimeField(_("plan made at"))
    assets_disposal = models.TextField(_("asset disposal"), blank=True)
    assets_recorded_by = _person_fk(_("asset disposal recorded by"))
    assets_recorded_at = models.DateTimeField(_("asset disposal recorded at"), null=True, blank=True)
    data_bureau_reference = models.CharField(_("data bureau filing reference"), max_length=100, blank=True)
    data_bureau_filed_by = _person_fk(_("filing with the data bureau recorded by"))
    data_bureau_filed_at = models.DateTimeField(_("filed with the data bureau at"), null=True, blank=True)
    finance_reference = models.CharField(_("finance bureau filing reference"), max_length=100, blank=True)
    finance_filed_by = _person_fk(_("filing with the finance bureau recorded by"))
    finance_filed_at = models.DateTimeField(_("filed with the finance bureau at"), null=True, blank=True)
    completed_by = _person_fk(_("decommissioned by"))
    completed_at = models.DateTimeField(_("decommissioned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decommissioning")
        verbose_name_plural = _("decommissionings")
        ordering = ["project"]

    def __str__(self) -> str:
        return f"{self.project_id} decommission {self.status}"

    @transition(field=status, source=DecommissionStatus.PLANNED, target=DecommissionStatus.DONE)
    def complete(self):
        pass


class DataDisposal(TimeStampedModel):
    """One kind of data of the stopped system and what was done with it (数据备份、迁移或销毁)."""

    decommission = models.ForeignKey(
        Decommission, verbose_name=_("decommissioning"), on_delete=models.PROTECT, related_name="disposals"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    data_kind = models.CharField(_("data kind"), max_length=200)
    action = models.CharField(_("disposal"), max_length=10, choices=DisposalAction.choices)
    done_by = models.CharField(_("done by"), max_length=200)
    done_on = models.DateField(_("done on"))
    verification = models.TextField(_("how it was verified"))
    recorded_by = _person_fk(_("recorded by"), null=False)
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("data disposal")
        verbose_name_plural = _("data disposals")
        ordering = ["decommission", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.data_kind} {self.action}"
