"""Records of review steps (前置审核, expert review, third-party review): issue 9 §1, §2.

A pack's `review.steps` say which steps a project goes through before which transition and who
takes them. A `ReviewStep` row is one round of one step for one project: created when the step is
organised (optional steps), when experts are assigned, or when it is decided. A failed step can
be reopened as the next round; earlier rounds stay. Files live in Django's storage and are read
only through the permission-checked download view (approvals.reviews.views.download).
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govproj.models import TimeStampedModel


def review_file_path(instance, filename: str) -> str:
    """A name the uploader cannot choose; the name people gave it is kept in `*_name`."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"projects/{instance.project_id}/reviews/{uuid.uuid4().hex}{suffix}"


class StepStatus(models.TextChoices):
    OPEN = "open", _("Under review")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class Opinion(models.TextChoices):
    AGREE = "agree", _("Agree")
    AGREE_WITH_CONDITIONS = "agree_with_conditions", _("Agree with conditions")
    DISAGREE = "disagree", _("Disagree")


class Conclusion(models.TextChoices):
    AGREE = "agree", _("Agree")
    CONDITIONAL = "conditional", _("Agree with conditions")
    DISAGREE = "disagree", _("Disagree")


class ReviewStep(TimeStampedModel):
    """One round of one pack review step for one project."""

    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="review_steps"
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("review step"), max_length=60)
    round = models.PositiveIntegerField(_("round"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organised_at = models.DateTimeField(_("organised at"), null=True, blank=True)
    comment = models.TextField(_("outcome"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
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
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=review_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["project", "code", "round"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code", "round"], name="review_step_round"),
        ]
        indexes = [models.Index(fields=["jurisdiction", "status"])]

    def __str__(self) -> str:
        return f"{self.project_id} {self.code} #{self.round} {self.status}"


class ExpertAssignment(TimeStampedModel):
    """An expert assigned to a step's round; the expert declares no conflict, then gives an opinion."""

    step = models.ForeignKey(
        ReviewStep, verbose_name=_("review step"), on_delete=models.PROTECT, related_name="assignments"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    no_conflict_declared_at = models.DateTimeField(_("no conflict declared at"), null=True, blank=True)
    opinion = models.CharField(_("opinion"), max_length=30, choices=Opinion.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    file = models.FileField(_("file"), upload_to=review_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        ordering = ["step", "assigned_at", "pk"]
        indexes = [models.Index(fields=["expert", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.step_id} expert {self.expert_id}"


class ThirdPartyReview(TimeStampedModel):
    """A third-party organisation's review report for a step's round (委托第三方专业机构)."""

    step = models.ForeignKey(
        ReviewStep, verbose_name=_("review step"), on_delete=models.PROTECT, related_name="third_party"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=200)
    conclusion = models.CharField(_("conclusion"), max_length=20, choices=Conclusion.choices)
    comment = models.TextField(_("comment"), blank=True)
    file = models.FileField(_("report"), upload_to=review_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("third-party review")
        verbose_name_plural = _("third-party reviews")
        ordering = ["step", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.step_id} {self.organisation}"
