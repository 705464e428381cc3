"""For the demo seeder: put projects in the annual plan the way the product does, by publishing it.

`projects.services.transition_project(name="plan")` is refused (projects enter the plan when the
plan is published); the seeder calls `put_in_published_plan` where a demo project's steps say `plan`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction

from projects.models import Project
from projects.plans import services
from projects.plans.models import AnnualPlan, PlanStatus


@transaction.atomic
def put_in_published_plan(projects: Iterable[Project], actor) -> list[AnnualPlan]:
    """Each library project enters its jurisdiction's plan for the project's year, published.

    The plan is created (draft) when there is none, reopened for revision when it is published,
    the projects are added and the plan published: each project moves in_library → planned with
    its audit event. `actor`: a reviewer of the projects' jurisdiction (not who filed them).
    Returns the plans published. Raises the services' ApplicationError when a rule blocks.
    """
    groups: dict[tuple[int, int], list[Project]] = defaultdict(list)
    for project in projects:
        groups[(project.jurisdiction_id, project.year)].append(project)
    published = []
    for (jurisdiction_id, year), members in groups.items():
        plan = AnnualPlan.objects.filter(jurisdiction_id=jurisdiction_id, year=year).first()
        if plan is None:
            plan = services.plan_create(actor=actor, jurisdiction=members[0].jurisdiction, year=year)
        elif plan.status == PlanStatus.PUBLISHED:
            plan = services.plan_revise(actor=actor, plan_id=plan.pk)
        for project in members:
            services.plan_add_project(actor=actor, plan_id=plan.pk, project_id=project.pk)
        published.append(services.plan_publish(actor=actor, plan_id=plan.pk))
    return published
