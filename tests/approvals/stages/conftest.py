"""Projects of the staged tenant in review, and the department opinions its approval needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jurisdictions.models import Role
from projects.models import AuditEvent, Project
from tests.conftest import make_project


def in_review(tenant, amount="150.00", **facts) -> Project:
    """A staged project put in review (the phases before are other modules' and set here directly)."""
    project = make_project(
        tenant,
        total_investment_wan=Decimal(amount),
        facts={
            "documents": ["proposal", "fsr", "preliminary_design", "implementation_plan"],
            "negative_list_answers": {},
            **facts,
        },
    )
    Project.objects.filter(pk=project.pk).update(phase="in_review")
    project.refresh_from_db()
    return project


def give_opinions(tenant, project) -> None:
    """The department opinions (approvals.opinions) the staged pack asks before approval, all agreed."""
    from approvals.opinions import services as opinions
    from approvals.opinions.models import OpinionRequest

    opinions.request_opinions(actor=tenant.users[Role.REVIEWER], project_id=project.pk)
    givers = {"secrecy": tenant.users["secrecy_reviewer"], "police": tenant.users["police_reviewer"]}
    for request in OpinionRequest.objects.filter(project=project):
        giver = next(u for code, u in givers.items() if request.department_id == tenant.bodies[code].pk)
        opinions.answer_opinion(actor=giver, project_id=project.pk, request_id=request.pk, answer="agree")


def review_passed_on(project, actor, day: dt.date) -> None:
    """A 评审通过 event dated `day` (the audit record of a review passed on that day)."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    AuditEvent.objects.record(project, actor, "stage_review_pass", at=at, changes={"stage": "fsr"})


@pytest.fixture
def staged_project(staged):
    return in_review(staged)
