"""The dashboards (统计看板, issue 13 §6): each role's sections, their numbers, their tenancy, their cost."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.templatetags.static import static
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets.om.models import OmApplication
from jurisdictions.models import Role
from projects.dashboard.selectors import STAFF_SHOWN
from projects.models import PHASE_LABELS, AuditEvent, Project
from tests.conftest import advance, client_for, make_project
from tests.factories import MembershipFactory
from tests.projects.dashboard.helpers import block, grow, rows, text_of

URL = "/dashboard/"
API = "/api/v1/dashboard/"
OVERVIEW_HEADINGS = (
    "本辖区项目概况",
    "各阶段项目数",
    "各部门分年度投资",
    "年度计划与总额上限",
    "审批周期",
    "各部门逾期期限",
)
FINANCE_HEADINGS = ("运维经费", "运维经费申请办理结果", "运维经费与建设投资对比")
STAFF_HEADINGS = ("本部门项目", "各阶段项目数", "在办项目及下一步")


def page_for(user) -> str:
    browser = Client()
    browser.force_login(user)
    response = browser.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def wan(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# ------------------------------------------------------------------------------------------ sections


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.REVIEWER, OVERVIEW_HEADINGS, FINANCE_HEADINGS[1:] + STAFF_HEADINGS[::2]),
        (Role.JURISDICTION_ADMIN, OVERVIEW_HEADINGS, FINANCE_HEADINGS[1:] + STAFF_HEADINGS[::2]),
        (Role.AUDITOR, OVERVIEW_HEADINGS, FINANCE_HEADINGS[1:] + STAFF_HEADINGS[::2]),
        (Role.FINANCE_OFFICER, FINANCE_HEADINGS, OVERVIEW_HEADINGS + STAFF_HEADINGS),
        (Role.DEPARTMENT_STAFF, STAFF_HEADINGS, OVERVIEW_HEADINGS[2:] + FINANCE_HEADINGS[1:]),
    ],
)
def test_each_role_sees_its_sections(alpha, role, shown, hidden):
    grow(alpha, 6)
    text = text_of(page_for(alpha.users[role]))
    for heading in shown:
        assert heading in text, heading
    for heading in hidden:
        assert heading not in text, heading
    assert "暂无数据" not in text  # every chart of the section has data here


@pytest.mark.django_db
def test_a_person_with_several_roles_sees_every_section(alpha):
    grow(alpha, 6)
    reviewer = alpha.users[Role.REVIEWER]
    MembershipFactory(user=reviewer, jurisdiction=alpha.jurisdiction, role=Role.FINANCE_OFFICER)
    text = text_of(page_for(reviewer))
    for heading in OVERVIEW_HEADINGS + FINANCE_HEADINGS:
        assert heading in text, heading
    assert "本部门项目" not in text


@pytest.mark.django_db
def test_an_expert_is_told_there_is_no_dashboard_for_the_role(alpha):
    grow(alpha, 3)
    page = page_for(alpha.users[Role.EXPERT])
    assert "您的角色没有统计看板" in text_of(page)
    assert 'data-chart="' not in page
    body = client_for(alpha.users[Role.EXPERT]).get(API).json()
    assert (body["overview"], body["finance"], body["staff"]) == (None, None, None)


@pytest.mark.django_db
def test_without_data_each_chart_says_so_instead_of_drawing_nothing(alpha):
    page = page_for(alpha.users[Role.REVIEWER])
    for block_id in (
        "overview-phase",
        "overview-investment",
        "overview-plans",
        "overview-review",
        "overview-overdue",
    ):
        assert "暂无数据" in block(page, block_id), block_id
        assert "data-chart=" not in block(page, block_id), block_id
    finance = page_for(alpha.users[Role.FINANCE_OFFICER])
    for block_id in ("finance-outcomes", "finance-om"):
        assert "暂无数据" in block(finance, block_id), block_id


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_every_member_has_the_dashboard_in_the_navigation(alpha):
    for role in Role.values:
        assert f'href="{reverse("dashboard:index")}">统计看板</a>' in page_for(alpha.users[role]), role


# ------------------------------------------------------------------------------------------- numbers


@pytest.mark.django_db
def test_the_overview_tables_give_the_counts_and_sums_of_the_projects(alpha):
    grown = grow(alpha, 12)
    large = advance(make_project(alpha, title="大项目", total_investment_wan=Decimal("1234.50")), "declared")
    made = [*grown, large]  # the large one has no deadline
    page = page_for(alpha.users[Role.REVIEWER])
    today = timezone.localdate()

    phases = Counter(p.phase for p in made)
    assert {row[0]: int(row[1]) for row in rows(page, "overview-phase")} == {
        str(PHASE_LABELS[phase]): count for phase, count in phases.items()
    }

    expected = Counter()
    for p in made:
        if p.phase not in ("draft", "rejected"):
            expected[(p.department.name_zh, str(p.year))] += p.total_investment_wan
    shown = {(row[0], row[1]): wan(row[3]) for row in rows(page, "overview-investment")}
    assert shown == dict(expected)
    for row in rows(page, "overview-investment"):  # 万元 with thousands separated: 1,360.00
        assert row[3] == f"{wan(row[3]):,.2f}"
    assert any("," in row[3] for row in rows(page, "overview-investment"))  # 1,234.50 at least

    planned = [p for p in made if p.phase == "in_library"]
    (plan_row,) = rows(page, "overview-plans")
    assert plan_row[0] == alpha.jurisdiction.name_zh
    assert int(plan_row[2]) == len(planned)
    assert wan(plan_row[3]) == sum(p.total_investment_wan for p in planned)
    assert wan(plan_row[4]) == Decimal("250.00")
    assert wan(plan_row[5]) == sum(p.total_investment_wan for p in planned) - Decimal("250.00") > 0
    assert str(today.year) in text_of(page)

    approvals = AuditEvent.objects.filter(jurisdiction=alpha.jurisdiction, action="approve").count()
    (cycle,) = rows(page, "overview-review")
    assert int(cycle[1]) == approvals > 0
    assert cycle[2] == "10.0"  # declared 20 days ago, approved 10 days ago

    overdue = Counter(p.department.name_zh for index, p in enumerate(grown) if index % 2 == 0)
    assert {row[0]: int(row[1]) for row in rows(page, "overview-overdue")} == dict(overdue)


@pytest.mark.django_db
def test_the_review_cycle_averages_the_days_of_each_month_of_approval(alpha):
    approved_on = timezone.localdate() - dt.timedelta(days=1)
    for days in (4, 11):
        project = make_project(alpha)
        advance(project, "declared", on=approved_on - dt.timedelta(days=days))
        advance(project, "approved", on=approved_on)
    old = make_project(alpha)  # approved 13 months ago: outside the chart's twelve months
    advance(old, "declared", on=approved_on - dt.timedelta(days=420))
    advance(old, "approved", on=approved_on - dt.timedelta(days=400))
    page = page_for(alpha.users[Role.REVIEWER])
    assert rows(page, "overview-review") == [[f"{approved_on:%Y-%m}", "2", "7.5"]]


@pytest.mark.django_db
def test_the_finance_tables_give_the_applications_and_amounts(alpha):
    made = grow(alpha, 10)
    page = page_for(alpha.users[Role.FINANCE_OFFICER])
    applications = OmApplication.objects.filter(project__jurisdiction=alpha.jurisdiction)
    outcomes = {row[0]: row[1:] for row in rows(page, "finance-outcomes")}
    for status, label in (
        ("submitted", "待财政审核"),
        ("approved", "同意安排"),
        ("reduced", "核减后同意"),
        ("refused", "不予安排"),
    ):
        chosen = [a for a in applications if a.status == status]
        assert int(outcomes[label][0]) == applications.filter(status=status).count() == len(chosen) > 0
        assert wan(outcomes[label][1]) == sum(a.amount_wan for a in chosen)
        assert wan(outcomes[label][2]) == sum((a.granted_wan or 0) for a in chosen)
    assert "草稿" not in outcomes  # a draft never reached the finance officer

    years = {int(row[0]): [wan(cell) for cell in row[1:]] for row in rows(page, "finance-om")}
    approved = ("approved", "in_construction", "in_operation")
    for year, (construction, requested, granted) in years.items():
        assert construction == sum(
            p.total_investment_wan for p in made if p.year == year and p.phase in approved
        )
        submitted = [a for a in applications if a.year == year and a.submitted_at is not None]
        assert requested == sum(a.amount_wan for a in submitted)
        assert granted == sum(a.granted_wan for a in submitted if a.status in ("approved", "reduced"))
    assert timezone.localdate().year + 1 in years  # O&M of next year, construction of this one


@pytest.mark.django_db
def test_staff_see_their_department_with_each_projects_next_step(alpha):
    made = grow(alpha, 9)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    page = page_for(staff)
    mine = [p for p in made if p.department_id == alpha.department.pk]
    assert {row[0]: int(row[1]) for row in rows(page, "staff-phase")} == {
        str(PHASE_LABELS[phase]): count for phase, count in Counter(p.phase for p in mine).items()
    }
    listed = rows(page, "staff-projects")
    assert sorted(row[0] for row in listed) == sorted(p.code for p in mine)
    assert all(row[3] for row in listed)  # every project says its next step
    draft = next(p for p in mine if p.phase == "draft")
    (draft_row,) = [row for row in listed if row[0] == draft.code]
    assert draft_row[2] == "草稿" and ("申报" in draft_row[3])
    other = [p.code for p in made if p.department_id == alpha.other_department.pk]
    assert not any(code in page for code in other)


# ---------------------------------------------------------------------------------------- tenancy


@pytest.mark.django_db
def test_another_jurisdictions_projects_never_count(alpha, beta):
    grow(alpha, 4)
    grow(beta, 7)
    for role in (Role.REVIEWER, Role.FINANCE_OFFICER, Role.DEPARTMENT_STAFF):
        body = client_for(alpha.users[role]).get(API).json()
        if body["overview"]:
            overview = body["overview"]
            assert sum(row["count"] for row in overview["by_phase"]) == 4
            departments = {alpha.department.pk, alpha.other_department.pk}
            assert {row["department_id"] for row in overview["investment"]} <= departments
            assert {row["department_id"] for row in overview["overdue"]} <= departments
            assert [row["jurisdiction"] for row in overview["plans"]] == ["alpha"]
            assert (
                sum(row["count"] for row in overview["review_cycle"])
                == AuditEvent.objects.filter(jurisdiction=alpha.jurisdiction, action="approve").count()
            )
        if body["finance"]:
            assert (
                sum(row["count"] for row in body["finance"]["om_outcomes"])
                == OmApplication.objects.filter(
                    project__jurisdiction=alpha.jurisdiction, submitted_at__isnull=False
                ).count()
            )
        if body["staff"]:
            assert {row["code"].split("-")[0] for row in body["staff"]["projects"]} == {"ALPHA"}
    page = page_for(alpha.users[Role.REVIEWER])
    assert "beta项目" not in page and beta.department.name_zh not in page


@pytest.mark.django_db
def test_the_api_gives_the_pages_numbers(alpha):
    grow(alpha, 8)
    reviewer = alpha.users[Role.REVIEWER]
    body = client_for(reviewer).get(API).json()
    page = page_for(reviewer)
    assert [[row["label"], str(row["count"])] for row in body["overview"]["by_phase"]] == rows(
        page, "overview-phase"
    )
    assert [row["total_wan"] for row in body["overview"]["investment"]] == [
        row[3].replace(",", "") for row in rows(page, "overview-investment")
    ]
    assert body["finance"] is None and body["staff"] is None
    assert (
        body["overview"]["by_phase"][0]["count"]
        == Project.objects.filter(
            jurisdiction=alpha.jurisdiction, phase=body["overview"]["by_phase"][0]["phase"]
        ).count()
    )


# ------------------------------------------------------------------------------------------- cost


def _count(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


@pytest.mark.django_db
def test_the_reviewers_page_and_api_cost_the_same_queries_for_3_and_12_projects(
    alpha, django_assert_num_queries
):
    reviewer = alpha.users[Role.REVIEWER]
    browser = Client()
    browser.force_login(reviewer)
    api = client_for(reviewer)
    grow(alpha, 3)
    browser.get(URL), api.get(API)  # warm the per-process caches (calendars, packs) once
    page_queries = _count(lambda: browser.get(URL))
    api_queries = _count(lambda: api.get(API))
    grow(alpha, 9, start=3)
    browser.get(URL), api.get(API)
    with django_assert_num_queries(page_queries):
        response = browser.get(URL)
    with django_assert_num_queries(api_queries):
        body = api.get(API).json()
    assert sum(int(row[1]) for row in rows(response.content.decode(), "overview-phase")) == 12
    assert sum(row["count"] for row in body["overview"]["by_phase"]) == 12


@pytest.mark.django_db
def test_the_staff_page_reads_a_bounded_number_of_projects(alpha, django_assert_num_queries):
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    browser = Client()
    browser.force_login(staff)
    for index in range(STAFF_SHOWN + 1):
        make_project(alpha, title=f"在办项目{index}")
    browser.get(URL)
    queries = _count(lambda: browser.get(URL))
    for index in range(5):
        make_project(alpha, title=f"更多项目{index}")
    browser.get(URL)
    with django_assert_num_queries(queries):
        response = browser.get(URL)
    page = response.content.decode()
    assert len(rows(page, "staff-projects")) == STAFF_SHOWN
    assert f"未在此列出的在办项目：{STAFF_SHOWN + 6 - STAFF_SHOWN}个" in page


# ------------------------------------------------------------------------------------------ static


def test_echarts_is_served_from_our_static_files():
    vendor = Path(settings.BASE_DIR) / "static" / "vendor" / "echarts"
    script = (vendor / "echarts.min.js").read_text(encoding="utf-8")
    assert 'version:"6.1.0"' in script  # the version named in the report and LICENSE beside it
    assert "Apache License" in (vendor / "LICENSE").read_text(encoding="utf-8")
    template = (Path(settings.BASE_DIR) / "templates" / "projects" / "dashboard" / "index.html").read_text()
    assert "{% static 'vendor/echarts/echarts.min.js' %}" in template
    assert "{% static 'js/dashboard.js' %}" in template


@pytest.mark.django_db
def test_the_page_loads_echarts_from_static_never_a_cdn(alpha):
    grow(alpha, 3)
    page = page_for(alpha.users[Role.REVIEWER])
    script = static("vendor/echarts/echarts.min.js")
    assert script.startswith("/static/") and f'src="{script}"' in page
    assert finders.find("vendor/echarts/echarts.min.js") == str(
        Path(settings.BASE_DIR) / "static" / "vendor" / "echarts" / "echarts.min.js"
    )
    assert "cdn" not in page.lower() and "//" not in "".join(
        part.split('"')[1] for part in page.split("<script src=")[1:]
    )
    assert '<script id="dashboard-charts" type="application/json">' in page


@pytest.mark.django_db
def test_a_superuser_sees_every_jurisdiction_with_each_department_named_by_its_jurisdiction(alpha, beta):
    from tests.factories import UserFactory

    grow(alpha, 3)
    grow(beta, 4)
    body = client_for(UserFactory(is_superuser=True)).get(API).json()
    assert sum(row["count"] for row in body["overview"]["by_phase"]) == 7
    assert {row["jurisdiction"] for row in body["overview"]["plans"]} == {"alpha", "beta"}
    assert all(" · " in row["department"] for row in body["overview"]["investment"])
    assert body["finance"] is not None and body["staff"] is None
