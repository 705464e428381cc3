"""Evaluation pages: the section on the project page, the self-evaluation and post-evaluation forms, the
random-check page (莱州 第三十四条); in Chinese, with refusals shown on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from acceptance.evaluation import services
from acceptance.evaluation.models import RandomCheckDraw, SelfEvaluation
from jurisdictions.models import Role
from tests.acceptance.evaluation.helpers import operating

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_section_shows_the_window_and_staff_submit(pack_tenant):
    tenant = pack_tenant("nanchong")
    project = operating(tenant, dt.date.today() - dt.timedelta(days=400))
    staff = browser(tenant.users[Role.DEPARTMENT_STAFF])
    page = staff.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="evaluation"' in page and "第四十四条" in page and "绩效评价" in page
    url = reverse("projects:evaluation-self", args=[project.pk])
    assert "第四十四条" in staff.get(url).content.decode()
    refused = staff.post(
        url, {"rating": "good", "evaluated_on": dt.date.today().isoformat(), "summary": "好"}
    )
    assert refused.status_code == 400  # the confirmation is missing
    done = staff.post(
        url,
        {
            "rating": "good",
            "evaluated_on": dt.date.today().isoformat(),
            "summary": "运行稳定",
            "confirm": "on",
        },
    )
    assert done.status_code == 302
    assert SelfEvaluation.objects.get(project=project).rating == "good"
    page = staff.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "良好" in page


def test_reviewer_is_refused_the_self_evaluation(pack_tenant):
    tenant = pack_tenant("baotou")
    project = operating(tenant)
    reviewer = browser(tenant.users[Role.REVIEWER])
    response = reviewer.post(
        reverse("projects:evaluation-self", args=[project.pk]),
        {"rating": "good", "evaluated_on": dt.date.today().isoformat(), "summary": "x", "confirm": "on"},
    )
    assert response.status_code == 403
    assert not SelfEvaluation.objects.exists()


def test_post_evaluation_pages(pack_tenant):
    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    reviewer, expert = browser(tenant.users[Role.REVIEWER]), browser(tenant.users[Role.EXPERT])
    assert (
        reviewer.post(
            reverse("projects:evaluation-post-organise", args=[project.pk]), {"method": "experts"}
        ).status_code
        == 302
    )
    assert (
        reviewer.post(
            reverse("projects:evaluation-post-assign", args=[project.pk]),
            {"expert": tenant.users[Role.EXPERT].pk},
        ).status_code
        == 302
    )
    assignment = project.post_evaluations.get().experts.get()
    page = expert.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:evaluation-post-opinion", args=[project.pk, assignment.pk]) in page
    response = expert.post(
        reverse("projects:evaluation-post-opinion", args=[project.pk, assignment.pk]),
        {"no_conflict": "on", "rating": "poor", "opinion": "使用率低"},
    )
    assert response.status_code == 302
    response = reviewer.post(
        reverse("projects:evaluation-post-conclude", args=[project.pk]),
        {"rating": "poor", "conclusion": "较差"},
    )
    assert response.status_code == 400  # no confirmation
    response = reviewer.post(
        reverse("projects:evaluation-post-conclude", args=[project.pk]),
        {"rating": "poor", "conclusion": "较差", "confirm": "on"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.facts["performance_rating"] == "poor"


def test_random_check_page(pack_tenant, django_assert_max_num_queries):
    tenant = pack_tenant("laizhou")
    for _ in range(4):
        operating(tenant)
    reviewer = browser(tenant.users[Role.REVIEWER])
    url = reverse("projects:evaluation-random-checks")
    page = reviewer.get(url).content.decode()
    assert "第三十四条" in page and "未规定" in page  # the measure leaves the size open
    year = dt.date.today().year
    response = reviewer.post(url, {"year": year, "count": 2, "confirm": "on"})
    assert response.status_code == 302
    draw = RandomCheckDraw.objects.get()
    detail = reviewer.get(response["Location"]).content.decode()
    assert draw.seed in detail
    with django_assert_max_num_queries(30):
        reviewer.get(response["Location"])
    chosen = draw.chosen[0]
    response = reviewer.post(
        response["Location"], {"project": chosen, "rating": "good", "finding": "正常使用"}
    )
    assert response.status_code == 302
    assert draw.results.get().project_id == chosen
    staff = browser(tenant.users[Role.DEPARTMENT_STAFF])
    assert staff.post(url, {"year": year, "count": 2, "confirm": "on"}).status_code == 403


def test_random_check_page_elsewhere(pack_tenant):
    tenant = pack_tenant("ordos")
    page = (
        browser(tenant.users[Role.REVIEWER])
        .get(reverse("projects:evaluation-random-checks"))
        .content.decode()
    )
    assert "办法均未规定双随机抽查" in page and "抽取本年度样本" not in page


def test_inbox_lists_what_waits(pack_tenant):
    from approvals.inbox.registry import SOURCES

    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    reviewer, expert = tenant.users[Role.REVIEWER], tenant.users[Role.EXPERT]
    services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="experts")
    assignment = services.post_evaluation_assign_expert(
        actor=reviewer, project_id=project.pk, expert_id=expert.pk
    )
    source = SOURCES["evaluation"]
    assert [i.key for i in source.pending(expert)] == [f"opinion:{assignment.pk}"]
    assert source.pending(reviewer) == []
    services.post_evaluation_opinion(
        actor=expert,
        project_id=project.pk,
        assignment_id=assignment.pk,
        no_conflict=True,
        rating="good",
        opinion="好",
    )
    assert [i.key.split(":")[0] for i in source.pending(reviewer)] == ["conclude"]
    assert source.pending(expert) == [] and len(source.done(expert)) == 1
