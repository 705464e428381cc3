"""Put a walk's project where a change endpoint's call succeeds for the role allowed to make it."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from budgets.changes import services
from budgets.changes.models import ChangeRequest, ChangeStatus, FinalAccount
from jurisdictions.models import Role
from projects.models import Project
from projects.records import record_facts
from tests.conftest import advance

TERMS = {
    "content": "调整服务器配置",
    "increases_wan": "10",
    "decreases_wan": "5",
    "reason": "technical_optimisation",
}
# Which request each endpoint needs (its status), set in the database where the testland pack cannot route.
NEEDS = {
    "api:project-change-detail": ChangeStatus.DRAFT,
    "api:project-change-submit": ChangeStatus.DRAFT,
    "api:project-change-withdraw": ChangeStatus.DRAFT,
    "api:project-change-approve": ChangeStatus.SUBMITTED,
    "api:project-change-return": ChangeStatus.SUBMITTED,
    "api:project-change-reject": ChangeStatus.SUBMITTED,
    "api:project-change-acknowledge": ChangeStatus.FILED,
    "api:project-change-new-project": ChangeStatus.NEW_DECLARATION_REQUIRED,
}


def change_for_walk(name: str, tenant, project) -> int | str:
    """In trial operation with an approved estimate; the request the endpoint acts on (its id), if any."""
    project.refresh_from_db()
    if project.phase == "draft":
        advance(project, "trial_operation")
        with transaction.atomic():
            locked = Project.objects.select_for_update().get(pk=project.pk)
            record_facts(locked, {"approved_estimate_wan": Decimal("150")})
    staff = tenant.users[Role.DEPARTMENT_STAFF]
    if name == "api:project-surplus-return" and not FinalAccount.objects.filter(project=project).exists():
        FinalAccount.objects.create(
            project=project,
            actual_spend_wan=Decimal("100"),
            baseline_wan=Decimal("150"),
            surplus_wan=Decimal("50"),
            must_return=True,
            recorded_by=staff,
        )
    status = NEEDS.get(name)
    if status is None:
        return ""
    found = ChangeRequest.objects.filter(project=project).first()
    if found is not None:
        return found.pk
    request = services.change_request_create(actor=staff, project_id=project.pk, **TERMS)
    if status == ChangeStatus.SUBMITTED:
        services.change_request_submit(actor=staff, project_id=project.pk, request_id=request.pk)
    elif status != ChangeStatus.DRAFT:  # testland has no change article to route to these
        ChangeRequest.objects.filter(pk=request.pk).update(status=status, submitted_by=staff)
    return request.pk
