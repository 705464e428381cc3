"""The O&M funding pages: apply, the answer rule by rule, the decision with its confirmation, the
project page's section, the finance officer's queue (constant queries) and home."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from budgets.om.models import OmApplication, OmStatus
from tests.budgets.om.helpers import finance, laizhou_project, staff

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def _apply(tenant, project, amount="50", year=2028):
    return browser(staff(tenant)).post(
        reverse("projects:om-apply", args=[project.pk]),
        {"year": year, "amount_wan": amount, "term_years": "1", "comment": "", "confirm": "on"},
    )


def test_staff_apply_and_finance_decides_with_confirmation(laizhou):
    project = laizhou_project(laizhou)
    page = browser(staff(laizhou)).get(reverse("projects:om-apply", args=[project.pk]))
    assert page.status_code == 200 and "申请运维经费" in page.content.decode()
    response = _apply(laizhou, project, amount="61")
    assert response.status_code == 302
    application = OmApplication.objects.get(project=project)
    detail = browser(finance(laizhou)).get(response["Location"]).content.decode()
    assert "不予安排" in detail and "第二十九条" in detail and "60.00" in detail
    decide_url = reverse("projects:om-decide", args=[project.pk, application.pk])
    officer = browser(finance(laizhou))
    unconfirmed = officer.post(decide_url, {"decision": "reduce", "granted_wan": "60", "reason": "按10%核减"})
    assert unconfirmed.status_code == 400 and "请勾选以确认" in unconfirmed.content.decode()
    over = officer.post(decide_url, {"decision": "approve", "confirm": "on"})
    assert over.status_code == 400 and "第二十九条" in over.content.decode()
    done = officer.post(
        decide_url, {"decision": "reduce", "granted_wan": "60", "reason": "按10%核减", "confirm": "on"}
    )
    assert done.status_code == 302
    assert OmApplication.objects.get(pk=application.pk).status == OmStatus.REDUCED
    section = browser(staff(laizhou)).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "运维经费" in section and "核减后同意" in section and "按10%核减" in section


def test_staff_cannot_open_the_decision_or_the_queue(laizhou):
    project = laizhou_project(laizhou)
    _apply(laizhou, project)
    application = OmApplication.objects.get(project=project)
    url = reverse("projects:om-decide", args=[project.pk, application.pk])
    response = browser(staff(laizhou)).post(url, {"decision": "approve", "confirm": "on"})
    assert response.status_code == 403
    assert browser(staff(laizhou)).get(reverse("projects:om-queue")).status_code == 403


def test_the_queue_page_costs_the_same_for_one_or_many(laizhou, django_assert_max_num_queries):
    officer = browser(finance(laizhou))
    for n in range(12):
        project = laizhou_project(laizhou, title=f"莱州市治理平台{n}", shares_data=n % 3 != 0)
        _apply(laizhou, project, amount=f"{40 + n}")
    officer.get(reverse("projects:om-queue"))
    with django_assert_max_num_queries(16):
        page = officer.get(reverse("projects:om-queue"))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('class="om-row') == 12
    assert "不予安排" in body and "可以安排" in body and "第二十六条" in body


def test_the_finance_officers_home_shows_the_queue(laizhou):
    home = browser(finance(laizhou)).get("/")
    assert home.status_code == 200 and 'class="list stack om-queue"' in home.content.decode()
    assert "om-queue" not in browser(staff(laizhou)).get("/").content.decode()
