"""Stored deadlines (issue 11 §1): each deadline and window the engine gives for a project, as a row.

The engine computes deadlines from the project's facts (jurisdictions.rules.engine); a `Deadline`
keeps the answer — due date, rule, article, who must meet it, whether the working-day calendar
behind it was certain — so that the daily scan, the home page and the lists read it with one query
instead of evaluating every project. Rows are recomputed after commit whenever a project's records
change (projects.deadlines.sync), never on a page view. A `DeadlineReminder` is one reminder sent
for a deadline at one level on one day: its unique constraint is what makes the scan idempotent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govproj.models import TimeStampedModel

__all__ = ["Deadline", "DeadlineReminder", "DeadlineStatus", "ReminderLevel", "ReminderPolicy"]


class DeadlineStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("deadline status", "Open")
    MET = "met", pgettext_lazy("deadline status", "Met")
    OVERDUE = "overdue", pgettext_lazy("deadline status", "Overdue")
    WAIVED = "waived", pgettext_lazy("deadline status", "Waived")


class Deadline(TimeStampedModel):
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.CASCADE, related_name="deadlines"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule_pack = models.ForeignKey(
        "jurisdictions.RulePack",
        verbose_name=_("rule pack version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    rule_id = models.CharField(_("rule"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20)  # deadline or window
    article = models.CharField(_("article"), max_length=40)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    message_zh = models.CharField(_("message (Chinese)"), max_length=500, blank=True)
    message_en = models.CharField(_("message (English)"), max_length=500, blank=True)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("met on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    certain = models.BooleanField(
        _("calendar certain"),
        default=True,
        help_text=_("unticked: it runs through a year whose calendar is not entered"),
    )
    remind = models.BooleanField(_("remind"), default=True)
    responsible_role = models.CharField(_("responsible role"), max_length=30)
    responsible_department = models.ForeignKey(
        "jurisdictions.Department",
        verbose_name=_("responsible department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible_name = models.CharField(_("responsible body"), max_length=100, blank=True)
    waived_reason = models.TextField(_("reason waived"), blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("waived by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "rule_id"], name="deadline_project_rule_unique"),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="deadline_status_due"),
            models.Index(
                fields=["jurisdiction", "due_date"],
                name="deadline_open_due",
                condition=Q(status__in=["open", "overdue"], remind=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.rule_id} {self.due_date}"

    @property
    def late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_date


class ReminderLevel(models.TextChoices):
    BEFORE = "before", _("Reminder before the due date")
    OVERDUE = "overdue", _("Overdue reminder")
    ESCALATION = "escalation", _("Escalation")


class DeadlineReminder(models.Model):
    """One reminder of a deadline at one level on one day (two scans at once still send one)."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="reminders"
    )
    level = models.CharField(_("level"), max_length=12, choices=ReminderLevel.choices)
    working_days = models.IntegerField(_("working days to the due date"))  # negative once overdue
    day = models.DateField(_("day"))
    scan = models.UUIDField(_("scan"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "level", "day"], name="deadline_reminder_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id} {self.level} {self.day}"


def default_lead_days() -> list[int]:
    return [5, 2, 0]


class ReminderPolicy(TimeStampedModel):
    """When a jurisdiction's people are reminded (working days); the defaults serve where none is set."""

    jurisdiction = models.OneToOneField(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.CASCADE,
        related_name="reminder_policy",
    )
    lead_days = models.JSONField(
        _("reminders before the due date"),
        default=default_lead_days,
        help_text=_("working days before the due date, e.g. [5, 2, 0]"),
    )
    overdue_every = models.PositiveSmallIntegerField(
        _("overdue reminder every"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("working days"),
    )
    reviewer_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("told of escalations with the administrators; none: every reviewer is"),
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("escalate after"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
        help_text=_("working days overdue before the reviewer lead and the administrator are told"),
    )

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
