"""Nudges (催办, issue 11 §3): a reviewer or the administrator reminds whoever must act, with a message.

A `Nudge` is about one item: the project as a whole (its department) or one of its stored deadlines.
`item` names it ("" for the project, the deadline's rule id otherwise) so that the unique constraint
"one nudge per item per day" holds even after the deadline row is recomputed away (its foreign key
then goes null, the item stays). `day` is the date in China (Asia/Shanghai, the site's time zone).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Nudge"]

PROJECT_ITEM = ""  # the project as a whole: its department is nudged


class Nudge(models.Model):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="nudges"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.ForeignKey(
        "projects.Deadline",
        verbose_name=_("deadline"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nudges",
    )
    item = models.CharField(
        _("item"), max_length=120, blank=True, help_text=_("the deadline's rule; empty: the project")
    )
    item_title = models.CharField(_("about"), max_length=200, blank=True)
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), related_name="nudges_received"
    )
    message = models.TextField(_("message"))
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "item", "day"], name="nudge_once_per_item_and_day"),
        ]
        indexes = [models.Index(fields=["day", "deadline"], name="nudge_day_deadline")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.item or 'project'} {self.day}"
