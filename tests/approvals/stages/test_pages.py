"""The 审批 section and the stage pages: Chinese, the actions of each role, the decisions by form."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from approvals.stages.models import ApprovalStage
from jurisdictions.models import Role
from tests.approvals.stages.conftest import give_opinions, in_review

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(html: str) -> str:
    return re.search(r'<section class="card stages" id="stages">.*?</section>', html, re.S).group(0)


def test_section_and_decisions_by_form(staged):
    project = in_review(staged, "30")
    give_opinions(staged, project)
    staff, reviewer = browser(staged.users[Role.DEPARTMENT_STAFF]), browser(staged.users[Role.REVIEWER])
    page = section(staff.get(reverse("projects:stage-list", args=[project.pk])).content.decode())
    assert "审批" in page and "实施方案" in page and "待提交" in page and "提交本阶段" in page
    assert not re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>", "", page)), page  # Chinese only
    assert (
        staff.post(reverse("projects:stage-submit", args=[project.pk, "implementation_plan"]), {}).status_code
        == 302
    )
    assert (
        reviewer.post(
            reverse("projects:stage-pass-review", args=[project.pk, "implementation_plan"]), {}
        ).status_code
        == 302
    )
    page = section(reviewer.get(reverse("projects:stage-list", args=[project.pk])).content.decode())
    assert "评审通过" in page and "批复" in page and "退回" in page and "驳回" in page
    assert "须于" in page or "审批期限" in page or "工作日" in page
    approve = reverse("projects:stage-approve", args=[project.pk, "implementation_plan"])
    form = {
        "document_number": "步政数审〔2026〕12号",
        "decision_date": dt.date.today().isoformat(),
        "amount_wan": "1234.5",
        "conditions": "按批复实施",
    }
    refused = reviewer.post(approve, form)  # no confirmation
    assert refused.status_code == 400 and ApprovalStage.objects.get(project=project).status == "review_passed"
    assert reviewer.post(approve, {**form, "confirm": "on"}).status_code == 302
    page = section(reviewer.get(reverse("projects:stage-list", args=[project.pk])).content.decode())
    assert "步政数审〔2026〕12号" in page and "1,234.50" in page and "已批复" in page and "投资基线" in page
    project.refresh_from_db()
    assert project.phase == "approved"


def test_generic_approve_button_is_hidden_for_staged_packs(staged):
    project = in_review(staged, "30")
    html = (
        browser(staged.users[Role.REVIEWER])
        .get(reverse("projects:detail", args=[project.pk]))
        .content.decode()
    )
    assert 'value="approve"' not in html


def test_reject_page_needs_reason_and_confirmation(staged):
    project = in_review(staged, "30")
    browser(staged.users[Role.DEPARTMENT_STAFF]).post(
        reverse("projects:stage-submit", args=[project.pk, "implementation_plan"]), {}
    )
    reviewer = browser(staged.users[Role.REVIEWER])
    reject = reverse("projects:stage-reject", args=[project.pk, "implementation_plan"])
    assert reviewer.get(reject).status_code == 200
    assert reviewer.post(reject, {"reason": "不符合要求"}).status_code == 400
    assert reviewer.post(reject, {"reason": "不符合要求", "confirm": "on"}).status_code == 302
    project.refresh_from_db()
    assert project.phase == "rejected"
    # staff cannot decide: the page says so and a post is refused
    other = in_review(staged, "30")
    staff = browser(staged.users[Role.DEPARTMENT_STAFF])
    staff.post(reverse("projects:stage-submit", args=[other.pk, "implementation_plan"]), {})
    response = staff.post(
        reverse("projects:stage-reject", args=[other.pk, "implementation_plan"]),
        {"reason": "x", "confirm": "on"},
    )
    assert response.status_code == 403
