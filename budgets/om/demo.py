"""Demo O&M funding applications: every demo project in operation asks for next year's O&M funds, so
each jurisdiction's finance officer (`<code>_finance`) has an application waiting in the queue."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from budgets.om import services
from budgets.om.models import OmApplication
from govproj.errors import ApplicationError

SHARE = Decimal("0.08")  # the demo asks for 8% of the investment a year (under 莱州 第二十九条's 10%)


def seed_om_application(project, staff) -> OmApplication | None:
    """Draft and submit next year's O&M application of a project in operation (once)."""
    if OmApplication.objects.filter(project=project).exists():
        return None
    amount = (project.total_investment_wan * SHARE).quantize(Decimal("0.01"))
    try:
        application = services.om_create(
            actor=staff,
            project_id=project.pk,
            year=timezone.localdate().year + 1,
            amount_wan=amount,
            term_years=Decimal("1"),
            comment="下一年度运维经费（演示）",
        )
        return services.om_submit(actor=staff, project_id=project.pk, application_id=application.pk)
    except ApplicationError:
        return None
