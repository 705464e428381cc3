"""停用 as the product runs it, for tests of the master lifecycle: through the decommissioning record."""

from __future__ import annotations

from jurisdictions.models import Role
from projects.decommission import services
from projects.models import Project
from tests.acceptance.evaluation.helpers import walk_setup

# The record's own events before the master `decommission` event.
DECOMMISSION_EVENTS = ("decommission_plan", "data_disposal", "asset_disposal", "decommission_filing")


def decommission_by_record(tenant, project, comment: str = "") -> Project:
    """Stop plan, data and asset disposal, both filings, then the transition (as the reviewer)."""
    walk_setup("api:project-decommission-complete", tenant, project)
    return services.decommission_complete(
        actor=tenant.users[Role.REVIEWER], project_id=project.pk, comment=comment
    )
