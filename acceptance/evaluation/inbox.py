"""Inbox source of evaluation (kind "evaluation"): what waits on an expert (a post-evaluation rating) and
on a reviewer (a post-evaluation to conclude, a drawn project's random-check result).

A fixed number of queries whatever the number of items; nothing here is decided in a batch (each is
given on its own page, with a rating and a reason).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from acceptance.evaluation.models import (
    PostEvaluation,
    PostEvaluationExpert,
    PostStatus,
    RandomCheckDraw,
    RandomCheckResult,
)
from acceptance.evaluation.services import ORGANISERS, RANDOM_CHECKERS
from approvals.inbox.registry import InboxItem, inbox_source
from govproj.errors import ValidationFailed
from govproj.i18n import in_language
from jurisdictions.models import memberships_of
from projects.models import Project

DONE_LIMIT = 500


def _item(key, what, project, since, url, **extra) -> InboxItem:
    return InboxItem(
        kind="evaluation",
        key=key,
        what=what,
        url=url,
        project_id=project.pk,
        project_code=project.code,
        project_title=project.title,
        department=in_language({"zh": project.department.name_zh, "en": project.department.name_en}),
        amount_wan=project.total_investment_wan,
        since=since,
        **extra,
    )


def _detail(project_id: int) -> str:
    return reverse("projects:detail", kwargs={"pk": project_id}) + "#evaluation"


class EvaluationSource:
    kind = "evaluation"
    label = gettext_lazy("Evaluation")

    def pending(self, user) -> list[InboxItem]:
        if not user.is_authenticated:
            return []
        items = [
            _item(
                f"opinion:{a.pk}",
                _("Post-evaluation rating"),
                a.project,
                a.assigned_at,
                reverse(
                    "projects:evaluation-post-opinion", kwargs={"pk": a.project_id, "assignment_id": a.pk}
                ),
            )
            for a in PostEvaluationExpert.objects.filter(
                expert_id=user.pk, submitted_at__isnull=True, evaluation__status=PostStatus.OPEN
            )
            .select_related("project__department")
            .order_by("assigned_at", "pk")
        ]
        held = memberships_of(user)
        organising = sorted({m.jurisdiction_id for m in held if m.role in ORGANISERS})
        if organising:
            waiting = Exists(
                PostEvaluationExpert.objects.filter(evaluation=OuterRef("pk"), submitted_at__isnull=True)
            )
            given = Exists(
                PostEvaluationExpert.objects.filter(evaluation=OuterRef("pk"), submitted_at__isnull=False)
            )
            ready = (
                PostEvaluation.objects.filter(jurisdiction_id__in=organising, status=PostStatus.OPEN)
                .annotate(waiting=waiting, given=given)
                .filter(
                    Q(method="experts", waiting=False, given=True)
                    | Q(method="third_party") & ~Q(organisation_rating="")
                )
                .exclude(project__created_by_id=user.pk)
                .select_related("project__department")
                .order_by("organised_at", "pk")
            )
            items += [
                _item(
                    f"conclude:{p.pk}",
                    _("Conclude the post-evaluation"),
                    p.project,
                    p.organised_at,
                    _detail(p.project_id),
                )
                for p in ready
            ]
        checking = sorted({m.jurisdiction_id for m in held if m.role in RANDOM_CHECKERS})
        if checking:
            draws = list(RandomCheckDraw.objects.filter(jurisdiction_id__in=checking, superseded=False))
            chosen = {pid: d for d in draws for pid in d.chosen}
            if chosen:
                done = set(
                    RandomCheckResult.objects.filter(draw__in=draws).values_list("draw_id", "project_id")
                )
                projects = Project.objects.filter(pk__in=sorted(chosen)).select_related("department")
                items += [
                    _item(
                        f"random:{chosen[p.pk].pk}:{p.pk}",
                        _("Random check result (%(year)s)") % {"year": chosen[p.pk].year},
                        p,
                        chosen[p.pk].drawn_at,
                        reverse("projects:evaluation-random-check", kwargs={"draw_id": chosen[p.pk].pk}),
                    )
                    for p in projects
                    if (chosen[p.pk].pk, p.pk) not in done
                ]
        return items

    def done(self, user) -> list[InboxItem]:
        if not user.is_authenticated:
            return []
        rows = (
            PostEvaluationExpert.objects.filter(expert_id=user.pk, submitted_at__isnull=False)
            .select_related("project__department")
            .order_by("-submitted_at")[:DONE_LIMIT]
        )
        return [
            _item(
                f"opinion:{a.pk}",
                _("Post-evaluation rating"),
                a.project,
                a.submitted_at,
                _detail(a.project_id),
                outcome=a.get_rating_display(),
            )
            for a in rows
        ]

    def decide(self, user, key: str, action: str, comment: str) -> None:
        raise ValidationFailed(_("An evaluation is given on its own page, with a rating and a reason."))


inbox_source(EvaluationSource())
