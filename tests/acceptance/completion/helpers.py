"""Put a walk's project where an acceptance endpoint's call succeeds for the role allowed to make it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from acceptance.completion import services
from jurisdictions.models import Role
from tests.conftest import advance


def acceptance_for_walk(name: str, tenant, project) -> None:
    """trial-run: in construction; apply: in trial operation; decide: an application waiting."""
    project.refresh_from_db()
    if project.phase != "draft":  # set up already (a walk may call twice)
        return
    staff = tenant.users[Role.DEPARTMENT_STAFF]
    today = timezone.localdate()
    if name == "api:project-acceptance-trial-run":
        advance(project, "in_construction", on=today - dt.timedelta(days=30))
    elif name in ("api:project-acceptance-apply", "api:project-acceptance-decide"):
        advance(project, "in_construction", on=today - dt.timedelta(days=60))
        services.trial_run_record(
            actor=staff,
            project_id=project.pk,
            completion_date=today - dt.timedelta(days=20),
            start_date=today - dt.timedelta(days=10),
        )
        if name == "api:project-acceptance-decide":
            services.acceptance_apply(actor=staff, project_id=project.pk)
