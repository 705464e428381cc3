"""Records of evaluation (issue 10 §4): self-evaluation (自评价), post-evaluation (后评价) by experts or a
third party, and 莱州's yearly random checks (“双随机” 绩效后评估, 第三十四条).

The ratings they end with are facts (`self_evaluation_date`, `performance_rating`, `performance_poor`)
the next year's funding and O&M rules read (projects.records.record_facts, written by the services).
Files live in Django's storage and are read only through the permission-checked download view.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from govproj.models import TimeStampedModel

__all__ = [
    "PostEvaluation",
    "PostEvaluationExpert",
    "RandomCheckDraw",
    "RandomCheckResult",
    "Rating",
    "SelfEvaluation",
]


def evaluation_file_path(instance, filename: str) -> str:
    """A name the uploader cannot choose; the name people gave it is kept in `file_name`."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"projects/{instance.project_id}/evaluation/{uuid.uuid4().hex}{suffix}"


class Rating(models.TextChoices):
    """The rating vocabulary of the `performance_rating` fact (facts.py: excellent, good, pass, poor)."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Passing")
    POOR = "poor", _("Poor")


class SelfEvaluation(TimeStampedModel):
    """One self-evaluation report of a project in operation, with its rating and the window verdict."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="self_evaluations",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    evaluated_on = models.DateField(_("evaluation date"))
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("report"), upload_to=evaluation_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    outside_window = models.BooleanField(
        _("outside the window"),
        default=False,
        help_text=_("submitted before the window opened or after it closed"),
    )
    window_rule = models.CharField(_("window rule"), max_length=120, blank=True)
    window_article = models.CharField(_("article"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        ordering = ["project", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project_id} self-evaluation {self.evaluated_on} {self.rating}"


class PostStatus(models.TextChoices):
    OPEN = "open", _("Under evaluation")
    CONCLUDED = "concluded", _("Concluded")


class PostMethod(models.TextChoices):
    EXPERTS = "experts", _("Experts")
    THIRD_PARTY = "third_party", _("Third-party organisation")


class PostEvaluation(ConcurrentTransitionMixin, TimeStampedModel):
    """后评价: organised by a reviewer, by experts or a third party; concluded with the final rating."""

    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="post_evaluations",
    )
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=20, choices=PostMethod.choices)
    status = FSMField(_("status"), default=PostStatus.OPEN, choices=PostStatus.choices, protected=True)
    organised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+"
    )
    organised_at = models.DateTimeField(_("organised at"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation_rating = models.CharField(
        _("organisation's rating"), max_length=10, choices=Rating.choices, blank=True
    )
    organisation_comment = models.TextField(_("organisation's opinion"), blank=True)
    file = models.FileField(_("report"), upload_to=evaluation_file_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    rating = models.CharField(_("final rating"), max_length=10, choices=Rating.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("post-evaluation")
        verbose_name_plural = _("post-evaluations")
        ordering = ["project", "organised_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="open"), name="post_evaluation_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} post-evaluation {self.status}"

    @transition(field=status, source=PostStatus.OPEN, target=PostStatus.CONCLUDED)
    def conclude(self):
        pass


class PostEvaluationExpert(TimeStampedModel):
    """An expert assigned to a post-evaluation: declares no conflict, then gives a rating and an opinion."""

    evaluation = models.ForeignKey(
        PostEvaluation, verbose_name=_("post-evaluation"), on_delete=models.PROTECT, related_name="experts"
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
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("post-evaluation expert")
        verbose_name_plural = _("post-evaluation experts")
        ordering = ["evaluation", "assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "expert"], name="post_evaluation_expert_once"),
        ]
        indexes = [models.Index(fields=["expert", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.evaluation_id} expert {self.expert_id}"


class RandomCheckDraw(TimeStampedModel):
    """莱州 第三十四条 “双随机” sample of a year: the seed, the population and the chosen projects, so
    the draw can be shown and re-run to the same result. One standing draw per jurisdiction and year; a
    redraw (with its reason) supersedes the standing one, which stays on record."""

    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("year"))
    seed = models.CharField(_("seed"), max_length=64)
    population = models.JSONField(
        _("population"), default=list, help_text=_("ids of the projects drawn from")
    )
    chosen = models.JSONField(_("chosen projects"), default=list)
    count = models.PositiveIntegerField(_("sample size"))
    share = models.DecimalField(_("sample share"), max_digits=5, decimal_places=4, null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drawn by"), on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("drawn at"))
    superseded = models.BooleanField(_("superseded"), default=False)

    class Meta:
        verbose_name = _("random-check draw")
        verbose_name_plural = _("random-check draws")
        ordering = ["jurisdiction", "-year", "-drawn_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year"],
                condition=Q(superseded=False),
                name="random_check_one_standing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction_id}/{self.year} draw {self.pk}"


class RandomCheckResult(TimeStampedModel):
    """The result of checking one drawn project: a rating and what was found."""

    draw = models.ForeignKey(
        RandomCheckDraw, verbose_name=_("draw"), on_delete=models.PROTECT, related_name="results"
    )
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("rating"), max_length=10, choices=Rating.choices)
    finding = models.TextField(_("finding"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("random-check result")
        verbose_name_plural = _("random-check results")
        ordering = ["draw", "project_id"]
        constraints = [models.UniqueConstraint(fields=["draw", "project"], name="random_check_result_once")]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.project_id} {self.rating}"
