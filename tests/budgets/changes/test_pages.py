"""The 投资与调整 section and the change pages: Chinese, the route shown with its article, decisions by
form with confirmation, the final accounts, and constant queries for the list."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from budgets.changes import services
from budgets.changes.models import ChangeRequest, ChangeStatus
from jurisdictions.models import Role
from tests.budgets.changes.conftest import in_construction, reviewer, staff
from tests.budgets.changes.test_routing import terms
from tests.conftest import advance

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(html: str) -> str:
    return re.search(r'<section class="card changes" id="changes">.*?</section>', html, re.S).group(0)


def chinese_only(html: str) -> None:
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"[A-Za-z]{4,}", text), text


def form(given: dict) -> dict:
    return {k: ("on" if v is True else v) for k, v in given.items() if v is not False}


def test_ordos_change_beyond_ten_percent_is_sent_to_a_new_approval(tenants):
    tenant = tenants("ordos")
    project = in_construction(tenant, "ordos", "1000")
    user = browser(staff(tenant))
    page = section(user.get(reverse("projects:detail", args=[project.pk])).content.decode())
    assert "投资与调整" in page and "申请调整" in page and "1,000.00" in page
    chinese_only(page)
    response = user.post(
        reverse("projects:change-create", args=[project.pk]), form(terms(inc="120", dec="120"))
    )
    assert response.status_code == 302
    change = ChangeRequest.objects.get(project=project)
    detail = user.get(response["Location"]).content.decode()
    assert "须按新建项目重新履行审批手续" in detail and "第二十条" in detail and "12.00" in detail
    submit = reverse("projects:change-submit", args=[project.pk, change.pk])
    assert user.post(submit, {}).status_code == 400  # a confirmation first
    assert user.post(submit, {"confirm": "on"}).status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.NEW_DECLARATION_REQUIRED
    detail = user.get(reverse("projects:change-detail", args=[project.pk, change.pk])).content.decode()
    assert "须重新申报" in detail and "据此新建项目草稿" in detail
    chinese_only(re.search(r'<section class="card change-detail">.*?</section>', detail, re.S).group(0))
    new = user.post(reverse("projects:change-new-project", args=[project.pk, change.pk]), {"confirm": "on"})
    assert new.status_code == 302
    change.refresh_from_db()
    assert new["Location"] == reverse("projects:edit", args=[change.new_project_id])


def test_laizhou_change_goes_to_the_reviewer_and_moves_the_baseline(tenants):
    tenant = tenants("laizhou")
    project = in_construction(tenant, "laizhou", "600", procurement_started=False)
    user = browser(staff(tenant))
    user.post(reverse("projects:change-create", args=[project.pk]), form(terms(inc="72", dec="80")))
    change = ChangeRequest.objects.get(project=project)
    user.post(reverse("projects:change-submit", args=[project.pk, change.pk]), {"confirm": "on"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.SUBMITTED and change.route == "unit_applies_before_procurement"
    approver = browser(reviewer(tenant))
    detail = approver.get(reverse("projects:change-detail", args=[project.pk, change.pk])).content.decode()
    assert "由建设单位在采购前申请调整" in detail and "第十九条第二款" in detail and "批复调整" in detail
    approve = reverse("projects:change-approve", args=[project.pk, change.pk])
    decision = {"document_number": "莱大数〔2026〕3号", "decision_date": timezone.localdate().isoformat()}
    assert "592.00" in approver.get(approve).content.decode()  # the resulting total offered
    assert approver.post(approve, {**decision, "amount_wan": "592"}).status_code == 400  # no confirmation
    assert approver.post(approve, {**decision, "amount_wan": "592", "confirm": "on"}).status_code == 302
    page = section(approver.get(reverse("projects:detail", args=[project.pk])).content.decode())
    assert "592.00" in page and "项目调整批复" in page
    chinese_only(page)
    refused = user.post(approve, {**decision, "amount_wan": "592", "confirm": "on"})
    assert refused.status_code in (403, 409)


def test_final_accounts_and_the_return_of_the_surplus(tenants):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "500")
    advance(project, "trial_operation")
    user = browser(staff(tenant))
    assert (
        user.post(
            reverse("projects:change-account", args=[project.pk]), {"actual_spend_wan": "480"}
        ).status_code
        == 302
    )
    page = user.get(reverse("projects:change-list", args=[project.pk])).content.decode()
    assert "20.00" in page and "须退回" in page and "第二十条" in page
    finance = browser(tenant.users[Role.FINANCE_OFFICER])
    confirm = reverse("projects:change-surplus-return", args=[project.pk])
    today = timezone.localdate().isoformat()
    assert finance.post(confirm, {"returned_on": today}).status_code == 400  # no confirmation
    assert (
        finance.post(confirm, {"returned_on": today, "reference": "退库1号", "confirm": "on"}).status_code
        == 302
    )
    page = finance.get(reverse("projects:change-list", args=[project.pk])).content.decode()
    assert "已退回" in page and "退库1号" in page
    assert user.post(confirm, {"returned_on": today, "confirm": "on"}).status_code in (403, 409)


def test_the_list_page_runs_constant_queries(tenants, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tenant = tenants("hongshan")
    project = in_construction(tenant, "hongshan", "1000")

    def filed(count):
        for _ in range(count):
            draft = services.change_request_create(
                actor=staff(tenant), project_id=project.pk, **terms(inc="20", dec="20")
            )
            services.change_request_submit(actor=staff(tenant), project_id=project.pk, request_id=draft.pk)

    filed(1)
    user = browser(reviewer(tenant))
    url = reverse("projects:change-list", args=[project.pk])
    user.get(url)
    with CaptureQueriesContext(connection) as few:
        user.get(url)
    filed(5)
    with django_assert_max_num_queries(len(few)):
        page = user.get(url).content.decode()
    assert page.count('class="change change-filed"') == 6
