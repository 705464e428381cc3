"""A stage's texts are held while the stage is under review (projects.documents.services.UPLOAD_HOLDS)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from approvals.stages.models import ApprovalStage, StageStatus
from govproj.i18n import in_language
from jurisdictions.rules.schema import RequiredDocumentsRule
from projects.documents.services import UPLOAD_HOLDS
from projects.selectors import pack_for_project

UNDER_REVIEW = (StageStatus.SUBMITTED, StageStatus.REVIEW_PASSED)


def stage_documents(spec, stage: str) -> set[str]:
    """The documents of a stage: its own text (the document with its code) and those its rules list."""
    codes = {stage}
    for rule in spec.rules:
        if isinstance(rule, RequiredDocumentsRule) and rule.stage == stage:
            codes.update(requirement.code for requirement in rule.documents)
    return codes


def held_by_a_stage(project, code: str) -> str | None:
    spec = pack_for_project(project).spec
    if spec.review.approval is None:
        return None
    under_review = ApprovalStage.objects.filter(project=project, status__in=UNDER_REVIEW)
    for stage in under_review.values_list("code", flat=True):
        if code in stage_documents(spec, stage):
            return _(
                "This document is under review with “%(stage)s”: it can be replaced once the stage "
                "is decided or returned."
            ) % {"stage": in_language(spec.review.approval.stage(stage).name)}
    return None


UPLOAD_HOLDS.append(held_by_a_stage)
