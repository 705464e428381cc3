"""Recording a finding (审核认定) or a department's statement about its running system (运行情况更新).

One service, `finding_record`: on the locked project, it checks who may record the fact, that the
measure of the project's jurisdiction reads it and that the project is past its form, stores the
value (projects.records.record_facts), keeps the `Finding` with its reason and basis, and writes one
audit event (`finding` or `status_update`) naming the fact, the values and the rule-pack version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from approvals.acting import acting_as
from govproj import inputs
from govproj.errors import InvalidTransition, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from jurisdictions.rules import FactError, parse_facts
from jurisdictions.rules.facts import fact_label
from projects.construction.services import APPROVER
from projects.findings.catalog import CLOSED_PHASES, FINDINGS, STATEMENTS, facts_to_record
from projects.findings.models import Finding
from projects.models import Phase, Project
from projects.records import locked_project, record_event, record_facts
from projects.selectors import pack_for_project, roles_of
from projects.services import EDITABLE_PHASES

BASIS_MAX = 200


def may_decide(user, project: Project) -> bool:
    """The approving authority (a reviewer, or their delegate) or the jurisdiction's administrator."""
    if user.is_superuser or Role.JURISDICTION_ADMIN in roles_of(user, project):
        return True
    return acting_as(user, project.jurisdiction_id, APPROVER) is not None


def may_state(user, project: Project) -> bool:
    """The project's own department (its staff), once the project form is closed to edits."""
    return project.phase not in EDITABLE_PHASES and Role.DEPARTMENT_STAFF in roles_of(user, project)


def recordable(user, project: Project, spec) -> list[str]:
    """The facts this user may record on this project now, in the measure's order."""
    if project.phase in CLOSED_PHASES or project.phase == Phase.DRAFT:
        return []
    decides, states = may_decide(user, project), may_state(user, project)
    return [
        name
        for name in facts_to_record(spec)
        if (name in FINDINGS and decides) or (name in STATEMENTS and (decides or states))
    ]


def _value(fact: str, value: Any):
    try:
        return parse_facts({fact: value})[fact]
    except FactError:
        message = _("Answer yes, no or not known.")
        raise ValidationFailed(message, extra={"errors": {"value": [message]}}) from None


@transaction.atomic
def finding_record(*, actor, project_id, fact, value, reason, basis: str = "") -> Finding:
    """Record `fact` = `value` (None: not known) on the project, with the reason and its basis (文号)."""
    project = locked_project(actor, project_id)
    if not isinstance(fact, str) or fact not in FINDINGS | STATEMENTS:
        message = _("Choose a finding this page offers.")
        raise ValidationFailed(message, extra={"errors": {"fact": [message]}})
    spec = pack_for_project(project).spec
    if fact not in facts_to_record(spec):
        message = _("The measure of %(jurisdiction)s does not turn on this: %(fact)s.") % {
            "jurisdiction": project.jurisdiction.name,
            "fact": fact_label(fact),
        }
        raise ValidationFailed(message, extra={"errors": {"fact": [message]}})
    decides = may_decide(actor, project)
    if not decides and not (fact in STATEMENTS and Role.DEPARTMENT_STAFF in roles_of(actor, project)):
        raise NotPermitted(
            _("Only the approving authority or the administrator records a finding.")
            if fact in FINDINGS
            else _("Only the project's department or the approving authority records how the system stands.")
        )
    if project.phase in CLOSED_PHASES or project.phase == Phase.DRAFT:
        raise InvalidTransition(
            _("Nothing is recorded on a project that is %(phase)s.") % {"phase": project.phase_label},
            extra={"phase": project.phase, "allowed": []},
        )
    if not decides and project.phase in EDITABLE_PHASES:
        raise InvalidTransition(
            _("While the project can be edited, state this on the project form."),
            extra={"phase": project.phase, "allowed": ["update"]},
        )
    parsed = _value(fact, value)
    reason = inputs.text(reason, "reason", required=True)
    basis = inputs.text(basis, "basis", limit=BASIS_MAX)
    acting = acting_as(actor, project.jurisdiction_id, APPROVER) if fact in FINDINGS else None
    finding = Finding.objects.create(
        project=project,
        fact=fact,
        value=parsed,
        reason=reason,
        basis=basis,
        recorded_by=actor,
        on_behalf_of=acting.principal if acting is not None and acting.on_behalf else None,
    )
    changes = record_facts(project, {fact: parsed})
    record_event(
        project,
        actor,
        "finding" if decides else "status_update",
        comment=reason,
        fact=fact,
        value=parsed,
        basis=basis,
        facts=changes,
        **(acting.audit() if acting is not None else {}),
    )
    return finding
