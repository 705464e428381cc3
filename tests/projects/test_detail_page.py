"""The project page as people read it (issue 8 §7): what it needs next, rules by phase, timeline in words."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Role
from jurisdictions.rules.facts import fact_label
from projects import services
from tests.conftest import make_project


def page(user, project) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def section(body: str, section_id: str) -> str:
    found = re.search(rf'<section[^>]*id="{section_id}".*?</section>', body, re.S)
    assert found, section_id
    return found.group(0)


def without_tags(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_what_blocks_the_next_step_comes_first_with_the_document_and_article(alpha):
    project = make_project(alpha, facts={"documents": ["proposal"]}, total_investment_wan=Decimal("250"))
    body = page(alpha.users[Role.DEPARTMENT_STAFF], project)
    assert body.index('id="next-steps"') < body.index('id="about"') < body.index('id="all-rules"')
    needs = without_tags(section(body, "next-steps"))
    assert "「申报」之前需要" in needs
    assert "可行性研究报告" in needs and "第八条" in needs
    assert "alpha.intake" not in needs  # no rule id outside the details toggle


@pytest.mark.django_db
def test_rules_of_later_phases_never_show_as_failures_on_a_draft(alpha):
    project = make_project(alpha, facts={"documents": ["proposal"]}, total_investment_wan=Decimal("250"))
    rules = section(page(alpha.users[Role.REVIEWER], project), "all-rules")
    supervision = re.search(r"<tr[^>]*>(?:(?!</tr>).)*alpha\.construction\.supervision.*?</tr>", rules, re.S)
    assert supervision, "the construction rule is listed under the toggle"
    row = without_tags(supervision.group(0))
    assert "后续阶段适用" in row and "不符合" not in row and "须提交" not in row
    assert "（后续阶段）" in without_tags(rules)  # the construction group says it is a later phase
    intake = re.search(r"<tr[^>]*>(?:(?!</tr>).)*alpha\.intake\.declaration_documents.*?</tr>", rules, re.S)
    assert "不符合" in without_tags(intake.group(0))  # the draft's own phase fails as it is


@pytest.mark.django_db
def test_the_timeline_says_who_did_what_with_the_fields_changed(alpha):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    staff.first_name = "张伟"
    staff.save()
    project = make_project(alpha, facts={"is_urgent": False}, total_investment_wan=Decimal("250"))
    services.update_project(
        actor=staff,
        project_id=project.pk,
        changes={"total_investment_wan": Decimal("80"), "facts": {"is_urgent": True}},
    )
    timeline = without_tags(section(page(alpha.users[Role.REVIEWER], project), "timeline"))
    assert "张伟 创建" in timeline and "张伟 编辑" in timeline
    assert "「总投资（万元）」由 250.00 万元 改为 80.00 万元" in timeline
    assert f"「{fact_label('is_urgent')}」由 否 改为 是" in timeline
    assert "update" not in timeline and "create" not in timeline
