"""The demo: each jurisdiction's finance officer has an O&M application waiting (budgets.om.demo)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from budgets.om.models import OmApplication, OmStatus
from budgets.om.selectors import finance_queue


@pytest.mark.django_db
def test_the_demo_leaves_an_application_for_each_finance_officer():
    call_command("load_rulepacks")
    call_command("seed_demo")
    waiting = OmApplication.objects.filter(status=OmStatus.SUBMITTED)
    assert waiting.filter(project__jurisdiction__code="laizhou").exists()
    for application in waiting:
        assert application.project.phase == "in_operation"
        assert application.project.facts["om_annual_request_wan"] == str(application.amount_wan)
    finance = get_user_model().objects.get(username="laizhou_finance")
    page = finance_queue(finance)
    assert [row.application.project.jurisdiction.code for row in page.object_list] == ["laizhou"]
    assert all(row.answer is not None for row in page.object_list)
    call_command("seed_demo")  # idempotent
    assert OmApplication.objects.count() == waiting.count()
