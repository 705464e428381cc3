"""The annual plan's API and pages: status codes (400/403/404/409), what the pages say, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from jurisdictions.models import Role
from projects.models import Phase, Project
from projects.plans import services as plans
from projects.plans.models import AnnualPlan, PlanStatus
from tests.conftest import client_for, make_project


def in_library(tenant, **overrides):
    """A project put straight in the library (the intake itself is tested elsewhere)."""
    project = make_project(tenant, facts={}, **overrides)
    Project.objects.filter(pk=project.pk).update(
        phase=Phase.IN_LIBRARY, rule_pack=tenant.jurisdiction.rule_packs.first()
    )
    return Project.objects.get(pk=project.pk)


def plan_with(tenant, count: int, **kwargs) -> AnnualPlan:
    reviewer = tenant.users[Role.REVIEWER]
    plan = plans.plan_create(actor=reviewer, jurisdiction=tenant.jurisdiction, year=2027, **kwargs)
    for n in range(count):
        project = in_library(tenant, title=f"计划项目{n}", total_investment_wan=Decimal("1234.50"))
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    return plan


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --------------------------------------------------------------------------- API


def test_create_list_and_read_a_plan(alpha):
    client = client_for(alpha.users[Role.REVIEWER])
    response = client.post(
        "/api/v1/plans/", {"jurisdiction": "alpha", "year": 2027, "ceiling_wan": "1000"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["year"], body["ceiling_wan"], body["allowed"]) == (
        "draft",
        2027,
        "1000.00",
        ["add", "remove", "publish"],
    )
    assert (
        client.post("/api/v1/plans/", {"jurisdiction": "alpha", "year": 2027}, format="json").status_code
        == 400
    )
    assert [p["year"] for p in client.get("/api/v1/plans/").json()] == [2027]


def test_entries_publish_and_totals_through_the_api(alpha):
    client = client_for(alpha.users[Role.REVIEWER])
    plan = plan_with(alpha, 0, ceiling_wan=Decimal("100"))
    project = in_library(alpha, total_investment_wan=Decimal("150"))
    response = client.post(f"/api/v1/plans/{plan.pk}/entries/", {"project": project.pk}, format="json")
    assert response.status_code == 201, response.content
    totals = response.json()["totals"]
    assert (totals["total_wan"], totals["over_ceiling_wan"]) == ("150.00", "50.00")
    response = client.post(f"/api/v1/plans/{plan.pk}/publish/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "published"
    assert response.json()["entries"][0]["project"]["phase"] == "planned"
    again = client.post(f"/api/v1/plans/{plan.pk}/publish/")
    assert again.status_code == 409 and again.json()["allowed"] == ["revise", "emergency"]
    assert client.delete(f"/api/v1/plans/{plan.pk}/entries/{project.pk}/").status_code == 409
    assert client.post(f"/api/v1/plans/{plan.pk}/revise/").json()["status"] == "revised"


@pytest.mark.parametrize(
    "body",
    [{}, {"project": "abc"}, {"project": 0}, {"project": 999999}, {"project": 2**70}],
)
def test_bad_entries_are_400(alpha, body):
    plan = plan_with(alpha, 0)
    response = client_for(alpha.users[Role.REVIEWER]).post(
        f"/api/v1/plans/{plan.pk}/entries/", body, format="json"
    )
    assert response.status_code == 400, response.content


def test_a_draft_project_is_400_naming_why(alpha):
    plan = plan_with(alpha, 0)
    draft = make_project(alpha, facts={})
    response = client_for(alpha.users[Role.REVIEWER]).post(
        f"/api/v1/plans/{plan.pk}/entries/", {"project": draft.pk}, format="json"
    )
    assert response.status_code == 400
    assert draft.code in response.json()["detail"] and "项目库" in response.json()["detail"]


def test_another_tenants_plan_is_404_and_bad_ids_too(alpha, beta):
    plan = plan_with(alpha, 1)
    client = client_for(beta.users[Role.REVIEWER])
    for path in (f"/api/v1/plans/{plan.pk}/", "/api/v1/plans/abc/", "/api/v1/plans/99999999999999999999999/"):
        assert client.get(path).status_code == 404
    assert client.post(f"/api/v1/plans/{plan.pk}/publish/").status_code == 404
    assert client.get("/api/v1/plans/").json() == []
    foreign = client.post("/api/v1/plans/", {"jurisdiction": "alpha", "year": 2030}, format="json")
    assert foreign.status_code == 404


def test_finance_officer_reads_but_gets_403_to_change(alpha):
    plan = plan_with(alpha, 1)
    client = client_for(alpha.users[Role.FINANCE_OFFICER])
    assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 200
    assert client.post(f"/api/v1/plans/{plan.pk}/publish/").status_code == 403


def test_staff_see_a_plan_once_published(alpha):
    plan = plan_with(alpha, 1)
    staff = client_for(alpha.users[Role.DEPARTMENT_STAFF])
    assert staff.get(f"/api/v1/plans/{plan.pk}/").status_code == 404
    plans.plan_publish(actor=alpha.users[Role.REVIEWER], plan_id=plan.pk)
    assert staff.get(f"/api/v1/plans/{plan.pk}/").status_code == 200
    assert staff.post(f"/api/v1/plans/{plan.pk}/revise/").status_code == 403


def test_emergency_without_article_is_400_and_bad_date_400(alpha):
    plan = plan_with(alpha, 1)
    reviewer = client_for(alpha.users[Role.REVIEWER])
    reviewer.post(f"/api/v1/plans/{plan.pk}/publish/")
    urgent = in_library(alpha)
    body = {
        "project": urgent.pk,
        "approved_by": "区政府",
        "approval_document_no": "1号",
        "approval_date": "x",
    }
    assert reviewer.post(f"/api/v1/plans/{plan.pk}/emergency/", body, format="json").status_code == 400
    body["approval_date"] = "2026-01-05"
    response = reviewer.post(f"/api/v1/plans/{plan.pk}/emergency/", body, format="json")
    assert response.status_code == 400 and "紧急增补" in response.json()["detail"]


def test_direct_plan_transition_through_the_api_is_409(alpha):
    project = in_library(alpha)
    response = client_for(alpha.users[Role.REVIEWER]).post(
        f"/api/v1/projects/{project.pk}/transitions/", {"transition": "plan"}, format="json"
    )
    assert response.status_code == 409
    assert "年度计划" in response.json()["detail"]


@pytest.mark.parametrize("count", [1, 10])
def test_plan_api_queries_do_not_grow_with_entries(alpha, django_assert_max_num_queries, count):
    plan = plan_with(alpha, count)
    client = client_for(alpha.users[Role.REVIEWER])
    client.get(f"/api/v1/plans/{plan.pk}/")  # warm the session and caches
    with django_assert_max_num_queries(5):
        response = client.get(f"/api/v1/plans/{plan.pk}/")
    assert response.status_code == 200 and len(response.json()["entries"]) == count


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("count", [1, 10])
def test_plan_page_queries_do_not_grow_with_entries(alpha, django_assert_max_num_queries, count):
    plan = plan_with(alpha, count)
    client = page_client(alpha.users[Role.REVIEWER])
    client.get(f"/projects/plans/{plan.pk}/")
    with django_assert_max_num_queries(12):
        response = client.get(f"/projects/plans/{plan.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count("计划项目") == count


def test_plan_page_speaks_chinese_with_totals_and_ceiling(alpha):
    plan = plan_with(alpha, 2, ceiling_wan=Decimal("2000"))
    candidate = in_library(alpha, title="候选项目")
    page = page_client(alpha.users[Role.REVIEWER]).get(f"/projects/plans/{plan.pk}/").content.decode()
    assert "2027年度计划" in page and "编制中" in page
    assert "2,469.00" in page  # two projects of 1,234.50 万元
    assert "超出总额上限 469.00 万元" in page
    assert "发布计划" in page and "加入计划" in page and candidate.title in page


def test_list_page_starts_a_plan(alpha):
    client = page_client(alpha.users[Role.REVIEWER])
    page = client.get("/projects/plans/").content.decode()
    assert "年度计划" in page and "新建年度计划" in page
    response = client.post(
        "/projects/plans/",
        {"new-jurisdiction": alpha.jurisdiction.pk, "new-year": 2027, "new-ceiling_wan": ""},
    )
    plan = AnnualPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/plans/{plan.pk}/"
    again = client.post("/projects/plans/", {"new-jurisdiction": alpha.jurisdiction.pk, "new-year": 2027})
    assert again.status_code == 400 and "2027年度计划已存在" in again.content.decode()


def test_publish_needs_the_tick_then_moves_the_projects(alpha):
    plan = plan_with(alpha, 1)
    client = page_client(alpha.users[Role.REVIEWER])
    confirm = client.get(f"/projects/plans/{plan.pk}/publish/").content.decode()
    assert "发布后不可撤回" in confirm
    refused = client.post(f"/projects/plans/{plan.pk}/publish/", {})
    assert refused.status_code == 400 and "请勾选以确认" in refused.content.decode()
    assert AnnualPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    client.post(f"/projects/plans/{plan.pk}/publish/", {"confirm": "on"})
    assert AnnualPlan.objects.get(pk=plan.pk).status == PlanStatus.PUBLISHED
    page = client.get(f"/projects/plans/{plan.pk}/").content.decode()
    assert "已列入年度计划" in page and "修订计划" in page


def test_staff_read_a_published_plan_without_forms_and_have_no_nav_link(alpha):
    plan = plan_with(alpha, 1)
    staff = page_client(alpha.users[Role.DEPARTMENT_STAFF])
    assert staff.get(f"/projects/plans/{plan.pk}/").status_code == 404
    plans.plan_publish(actor=alpha.users[Role.REVIEWER], plan_id=plan.pk)
    page = staff.get(f"/projects/plans/{plan.pk}/").content.decode()
    assert "计划项目0" in page and "修订计划" not in page and "加入计划" not in page
    assert 'href="/projects/plans/"' not in staff.get("/projects/").content.decode()
    reviewer_nav = page_client(alpha.users[Role.REVIEWER]).get("/projects/").content.decode()
    assert 'href="/projects/plans/"' in reviewer_nav


def test_emergency_addition_on_the_page_needs_its_approval(alpha):
    from tests.projects.test_plans import with_emergency_article

    with_emergency_article(alpha)
    plan = plan_with(alpha, 1)
    plans.plan_publish(actor=alpha.users[Role.REVIEWER], plan_id=plan.pk)
    urgent = in_library(alpha, title="应急指挥调度系统")
    client = page_client(alpha.users[Role.REVIEWER])
    page = client.get(f"/projects/plans/{plan.pk}/").content.decode()
    assert "紧急增补" in page and "管理办法规定须经区政府同意" in page and "同意文件文号" in page
    refused = client.post(
        f"/projects/plans/{plan.pk}/emergency/",
        {
            "emergency-project": urgent.pk,
            "emergency-approved_by": "区政府",
            "emergency-approval_document_no": "",
        },
    )
    assert refused.status_code == 400 and "必填项" in refused.content.decode()
    assert Project.objects.get(pk=urgent.pk).phase == Phase.IN_LIBRARY
    done = client.post(
        f"/projects/plans/{plan.pk}/emergency/",
        {
            "emergency-project": urgent.pk,
            "emergency-approved_by": "区政府",
            "emergency-approval_document_no": "测政函〔2026〕1号",
            "emergency-approval_date": "2026-01-05",
        },
    )
    assert done.status_code == 302
    page = client.get(f"/projects/plans/{plan.pk}/").content.decode()
    assert "经区政府同意，测政函〔2026〕1号，2026-01-05" in page
    assert Project.objects.get(pk=urgent.pk).phase == Phase.PLANNED
