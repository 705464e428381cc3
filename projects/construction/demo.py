"""The construction records of the demo's projects: before a demo project starts construction, its
department records the supervision contract where the measure requires one and its procurement with
the contract (stating IP ownership), as a department does on the construction pages."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from projects.construction import services
from projects.construction.models import ProcurementMethod, ProcurementRecord, SupervisionContract
from projects.construction.selectors import supervision_status
from projects.selectors import project_verdicts

SUPERVISOR = "信诚工程监理咨询有限公司"
SUPPLIER = "数智科技股份有限公司"


def record_construction_demo(project, staff) -> None:
    """Supervision (where required) and procurement, dated a few weeks before today."""
    today = timezone.localdate()
    started = today - dt.timedelta(days=30)
    signed = today - dt.timedelta(days=10)
    serial = f"{project.pk:04d}"
    _pack, verdicts = project_verdicts(project, transition="start_construction")
    needed = supervision_status(project, verdicts, None)["status"] == "required"
    if needed and not SupervisionContract.objects.filter(project=project).exists():
        services.supervision_record(
            actor=staff,
            project_id=project.pk,
            company=SUPERVISOR,
            contract_number=f"JL-{today.year}-{serial}",
            contract_date=signed,
        )
    if not ProcurementRecord.objects.filter(project=project).exists():
        facts = project.facts or {}
        services.procurement_record(
            actor=staff,
            project_id=project.pk,
            started_on=started,
            method=ProcurementMethod.PUBLIC_TENDER,
            supplier=SUPPLIER,
            contract_number=f"HT-{today.year}-{serial}",
            contract_date=signed,
            contract_amount_wan=project.total_investment_wan,
            ip_terms_stated=True,
            free_om_years=facts.get("free_om_years"),
        )
