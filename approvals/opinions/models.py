"""Department opinions (会签意见) and prerequisites (前置要件) a project needs before a transition.

The pack's `review.opinions` names the items (what about, which body gives it, when it applies,
the article). A reviewer requests them in rounds: each request goes to the body's people, who
answer once per round (agree, agree with conditions, disagree; a comment and an optional file).
A reviewer may add a signer (加签) to the current round; a new round (re-request) closes the
earlier one's open requests and keeps its answers visible. "Prerequisites complete" is derived
from these rows (see approvals.opinions.state) and recorded as an `opinions_complete` event.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govproj.i18n import in_language
from govproj.models import TimeStampedModel


class Answer(models.TextChoices):
    AGREE = "agree", _("Agreed")
    AGREE_WITH_CONDITIONS = "agree_with_conditions", _("Agreed with conditions")
    DISAGREE = "disagree", _("Disagreed")


AGREEING = frozenset({Answer.AGREE, Answer.AGREE_WITH_CONDITIONS})
ADDED_PREFIX = "added-"


def opinion_file_path(instance: OpinionRequest, filename: str) -> str:
    """A name the giver cannot choose; the name they gave is kept in `file_name`."""
    suffix = f".{instance.file_kind}" if instance.file_kind else PurePosixPath(filename).suffix.lower()[:10]
    return f"projects/{instance.project_id}/opinions/{uuid.uuid4().hex}{suffix}"


class OpinionRequest(TimeStampedModel):
    """One request for one body's opinion in one round, and its answer."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="opinion_requests",
    )
    code = models.CharField(
        _("opinion"), max_length=60, help_text="the pack item's code, or added-<n> (加签)"
    )
    round = models.PositiveIntegerField(_("round"), default=1)
    name = models.JSONField(_("what about"), default=dict, help_text='{"zh": …, "en": …}')
    giver_name = models.JSONField(_("giver"), default=dict, help_text="the body, as the pack names it")
    department = models.ForeignKey(
        "jurisdictions.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department_code = models.CharField(_("department code"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=40)
    required = models.BooleanField(_("required"), default=True)
    citation = models.JSONField(_("citation"), default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_reason = models.TextField(_("reason for adding"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, help_text="a later round opened before it was answered"
    )
    answer = models.CharField(_("answer"), max_length=30, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    file = models.FileField(_("file"), upload_to=opinion_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_kind = models.CharField(_("file type"), max_length=10, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("opinion request")
        verbose_name_plural = _("opinion requests")
        ordering = ["project", "-round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code", "round"], name="opinion_request_once_per_round"
            ),
        ]
        indexes = [models.Index(fields=["role", "answer", "closed_at"], name="opinion_request_waiting")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.code} #{self.round}"

    @property
    def is_open(self) -> bool:
        return not self.answer and self.closed_at is None

    @property
    def agreed(self) -> bool:
        return self.answer in AGREEING

    @property
    def is_added(self) -> bool:
        return self.code.startswith(ADDED_PREFIX)

    @property
    def title(self) -> str:
        return in_language(self.name) if self.name else self.code

    @property
    def giver(self) -> str:
        """The body, as the pack names it (or the department added)."""
        if self.giver_name:
            return in_language(self.giver_name)
        return self.department.name if self.department_id else ""
