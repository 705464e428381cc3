"""What projects.construction registers at start-up: what its records' facts are without a record, the
gate its incidents hold on resuming, its inbox items and its project-page section.

Imported by the app's AppConfig.ready().
"""

from __future__ import annotations

from approvals.inbox.registry import inbox_source
from projects.construction.inbox import IncidentSource
from projects.construction.models import INCIDENT_RECTIFICATION_OPEN, IncidentReport
from projects.construction.rules import incident_requirement, rectification_citation
from projects.construction.selectors import CONSTRUCTION_PHASES, construction_overview
from projects.gates import Gate, gate_provider
from projects.records import project_section
from projects.selectors import RECORD_FACT_DEFAULTS

# No supervision contract recorded: no supervisor engaged; no procurement record: not started, and no
# contract that states IP ownership (a value the record stores, or an imported one, wins).
RECORD_FACT_DEFAULTS.update(
    {"supervisor_engaged": False, "procurement_started": False, "ip_terms_in_contract": False}
)


@gate_provider
def open_rectifications(project, transition, spec, stage=None) -> list[Gate]:
    """Construction resumes only after the approver confirmed every rectification it ordered."""
    if transition != "resume" or not project.pk:
        return []
    rows = list(
        IncidentReport.objects.filter(project_id=project.pk, status__in=INCIDENT_RECTIFICATION_OPEN)
        .order_by("pk")
        .values_list("pk", "rectification_due_date")
    )
    if not rows:
        return []
    citation = rectification_citation(project) or incident_requirement(project).citation
    gates = []
    for pk, due in rows:
        when = due.isoformat() if due else "—"
        gates.append(
            Gate(
                kind="incident",
                code=str(pk),
                title={"zh": "整改确认", "en": "Rectification confirmed"},
                message={
                    "zh": f"责令的整改（限期至 {when}）尚未经审批部门确认，不得恢复建设",
                    "en": f"The rectification ordered (due {when}) has not been confirmed by the approver",
                },
                citation={k: citation.get(k, "") for k in ("article", "clause", "quote") if citation.get(k)},
            )
        )
    return gates


@project_section(10, "projects/construction/_section.html")
def construction_section(user, project, *, pack, verdicts, events):
    if project.phase not in CONSTRUCTION_PHASES:
        return None
    return {"construction": construction_overview(user, project, verdicts=verdicts)}


inbox_source(IncidentSource())
