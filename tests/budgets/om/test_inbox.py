"""The finance officer's 待办 (kind "om"): submitted applications wait there; decisions go to 已办."""

from __future__ import annotations

import pytest
from django.test import Client

from approvals.inbox.registry import SOURCES
from budgets.om import services
from tests.budgets.om.helpers import finance, laizhou_project, staff

pytestmark = pytest.mark.django_db


def test_pending_then_done(pack_tenant):
    laizhou = pack_tenant("laizhou")
    project = laizhou_project(laizhou)
    application = services.om_create(
        actor=staff(laizhou), project_id=project.pk, year=2028, amount_wan="50", term_years="1"
    )
    source = SOURCES["om"]
    assert source.pending(finance(laizhou)) == []  # a draft waits on nobody
    services.om_submit(actor=staff(laizhou), project_id=project.pk, application_id=application.pk)
    (item,) = source.pending(finance(laizhou))
    assert (item.key, item.project_id, item.what) == (str(application.pk), project.pk, "2028年度运维经费")
    assert source.count(finance(laizhou)) == 1
    assert source.pending(staff(laizhou)) == [] and source.count(staff(laizhou)) == 0
    browser = Client()
    browser.force_login(finance(laizhou))
    assert "2028年度运维经费" in browser.get("/projects/inbox/").content.decode()
    source.decide(finance(laizhou), item.key, "approve", "")
    assert source.pending(finance(laizhou)) == []
    (done,) = source.done(finance(laizhou))
    assert done.outcome == "同意安排"
