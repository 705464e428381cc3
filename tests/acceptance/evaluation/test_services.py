"""Evaluation records on the real packs: the self-evaluation windows, ratings → facts → the funding and
O&M rules' verdicts, post-evaluation by experts and third parties, 莱州's random checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from guardian.shortcuts import get_perms

from acceptance.evaluation import services
from acceptance.evaluation.models import PostEvaluation, RandomCheckDraw, RandomCheckResult, SelfEvaluation
from acceptance.evaluation.selectors import draw_sample, verify_draw
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.models import AuditEvent
from projects.selectors import project_verdicts
from tests.acceptance.evaluation.helpers import first_category, operating
from tests.conftest import make_project

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
pytestmark = pytest.mark.django_db

# (pack, operation start, evaluation date, outside the window?, the article the window cites)
WINDOWS = [
    # 红山 第三十一条: 12–24 months from the acceptance date (both inclusive)
    ("hongshan", dt.date(2024, 3, 1), dt.date(2025, 2, 28), True, "第三十一条"),
    ("hongshan", dt.date(2024, 3, 1), dt.date(2025, 3, 1), False, "第三十一条"),
    ("hongshan", dt.date(2024, 3, 1), dt.date(2026, 3, 1), False, "第三十一条"),
    ("hongshan", dt.date(2024, 3, 1), dt.date(2026, 3, 2), True, "第三十一条"),
    # 南充 第四十四条: 12–24 months from the start of operation
    ("nanchong", dt.date(2024, 5, 10), dt.date(2025, 5, 9), True, "第四十四条"),
    ("nanchong", dt.date(2024, 5, 10), dt.date(2025, 5, 10), False, "第四十四条"),
    ("nanchong", dt.date(2024, 5, 10), dt.date(2026, 5, 10), False, "第四十四条"),
    ("nanchong", dt.date(2024, 5, 10), dt.date(2026, 5, 11), True, "第四十四条"),
    # 包头 第二十三条: one to two years from the start of operation
    ("baotou", dt.date(2024, 6, 1), dt.date(2025, 5, 31), True, "第二十三条"),
    ("baotou", dt.date(2024, 6, 1), dt.date(2025, 6, 1), False, "第二十三条"),
    ("baotou", dt.date(2024, 6, 1), dt.date(2026, 6, 1), False, "第二十三条"),
    ("baotou", dt.date(2024, 6, 1), dt.date(2026, 6, 2), True, "第二十三条"),
    # 莱州 第三十四条: within 12 months of use
    ("laizhou", dt.date(2024, 1, 15), dt.date(2024, 6, 1), False, "第三十四条"),
    ("laizhou", dt.date(2024, 1, 15), dt.date(2025, 1, 15), False, "第三十四条"),
    ("laizhou", dt.date(2024, 1, 15), dt.date(2025, 1, 16), True, "第三十四条"),
]


def _operating(tenant, on: dt.date):
    return operating(tenant, on)


@pytest.mark.parametrize(("code", "started", "evaluated", "outside", "article"), WINDOWS)
def test_self_evaluation_window(pack_tenant, code, started, evaluated, outside, article):
    tenant = pack_tenant(code)
    project = _operating(tenant, started)
    row = services.self_evaluation_submit(
        actor=tenant.users[Role.DEPARTMENT_STAFF],
        project_id=project.pk,
        rating="good",
        evaluated_on=evaluated,
        file=SimpleUploadedFile("自评价报告.pdf", PDF),
    )
    assert row.outside_window is outside  # recorded either way: late is flagged, not refused
    assert row.window_article == article
    project.refresh_from_db()
    assert project.facts["self_evaluation_date"] == evaluated.isoformat()
    assert project.facts["performance_rating"] == "good"
    event = AuditEvent.objects.filter(project=project, action="self_evaluation").get()
    assert event.changes["outside_window"] is outside


def test_ordos_has_no_window_but_takes_the_report(pack_tenant):
    tenant = pack_tenant("ordos")
    project = _operating(tenant, dt.date(2024, 1, 1))
    row = services.self_evaluation_submit(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, rating="pass", summary="运行良好"
    )
    assert row.window_rule == "" and row.outside_window is False


def test_self_evaluation_refusals(pack_tenant):
    tenant = pack_tenant("laizhou")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    draft = make_project(tenant, category=first_category(tenant))
    with pytest.raises(InvalidTransition):
        services.self_evaluation_submit(actor=staff, project_id=draft.pk, rating="good", summary="x")
    project = _operating(tenant, dt.date(2025, 1, 1))
    with pytest.raises(NotPermitted):
        services.self_evaluation_submit(actor=reviewer, project_id=project.pk, rating="good", summary="x")
    with pytest.raises(NotFound):  # another department's project is not there for its staff
        services.self_evaluation_submit(
            actor=tenant.other_staff, project_id=project.pk, rating="good", summary="x"
        )
    with pytest.raises(ValidationFailed):
        services.self_evaluation_submit(actor=staff, project_id=project.pk, rating="great", summary="x")
    with pytest.raises(ValidationFailed):  # neither the report nor its summary
        services.self_evaluation_submit(actor=staff, project_id=project.pk, rating="good")
    with pytest.raises(NotFound):
        services.self_evaluation_submit(actor=staff, project_id=999999, rating="good", summary="x")
    assert not SelfEvaluation.objects.exists()


def _rule(verdicts, rule_id):
    return next(v for v in verdicts if v.rule_id == rule_id)


# Ratings → facts → the verdicts of the rules that read them (next year's funding and O&M).
RESULT_RULES = [
    ("baotou", "baotou.om_funding.evaluation_results", "第二十六条", "poor", "required"),
    ("baotou", "baotou.om_funding.evaluation_results", "第二十六条", "good", "pass"),
    ("hongshan", "hongshan.evaluation.results_use", "第三十二条", "poor", "required"),
    ("hongshan", "hongshan.evaluation.results_use", "第三十二条", "excellent", "pass"),
    ("nanchong", "nanchong.om_funding.evaluation_results", "第四十四条", "poor", "required"),
    ("nanchong", "nanchong.om_funding.evaluation_results", "第四十四条", "pass", "pass"),
    ("laizhou", "laizhou.om_funding.performance", "第二十六条", "poor", "fail"),
    ("laizhou", "laizhou.om_funding.performance", "第二十六条", "good", "pass"),
]


@pytest.mark.parametrize(("code", "rule_id", "article", "rating", "outcome"), RESULT_RULES)
def test_post_evaluation_rating_feeds_the_rules(pack_tenant, code, rule_id, article, rating, outcome):
    tenant = pack_tenant(code)
    reviewer, expert = tenant.users[Role.REVIEWER], tenant.users[Role.EXPERT]
    project = _operating(tenant, dt.date(2024, 1, 1))
    services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="experts")
    assignment = services.post_evaluation_assign_expert(
        actor=reviewer, project_id=project.pk, expert_id=expert.pk
    )
    assert "view_project" in get_perms(expert, project)  # the guardian grant, as in expert review
    with pytest.raises(ValidationFailed):  # no opinion before the declaration of no conflict
        services.post_evaluation_opinion(
            actor=expert,
            project_id=project.pk,
            assignment_id=assignment.pk,
            no_conflict=False,
            rating=rating,
            opinion="x",
        )
    with pytest.raises(ValidationFailed):  # no conclusion before an expert's rating
        services.post_evaluation_conclude(
            actor=reviewer, project_id=project.pk, rating=rating, conclusion="x"
        )
    services.post_evaluation_opinion(
        actor=expert,
        project_id=project.pk,
        assignment_id=assignment.pk,
        no_conflict=True,
        rating=rating,
        opinion="意见",
    )
    row = services.post_evaluation_conclude(
        actor=reviewer, project_id=project.pk, rating=rating, conclusion="结论"
    )
    assert row.status == "concluded"
    project.refresh_from_db()
    assert project.facts["performance_rating"] == rating
    assert project.facts["performance_poor"] is (rating == "poor")
    verdict = _rule(project_verdicts(project)[1], rule_id)
    assert verdict.citation["article"] == article
    assert verdict.outcome.value == outcome


def test_post_evaluation_by_a_third_party(pack_tenant):
    tenant = pack_tenant("hongshan")
    reviewer = tenant.users[Role.REVIEWER]
    project = _operating(tenant, dt.date(2024, 1, 1))
    services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="third_party")
    with pytest.raises(InvalidTransition):  # one at a time
        services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="experts")
    with pytest.raises(InvalidTransition):  # not an experts' evaluation
        services.post_evaluation_assign_expert(
            actor=reviewer, project_id=project.pk, expert_id=tenant.users[Role.EXPERT].pk
        )
    services.post_evaluation_third_party(
        actor=reviewer,
        project_id=project.pk,
        organisation="某评估机构",
        rating="good",
        file=SimpleUploadedFile("后评价报告.pdf", PDF),
    )
    services.post_evaluation_conclude(actor=reviewer, project_id=project.pk, rating="good", conclusion="良好")
    assert PostEvaluation.objects.get(project=project).file_name == "后评价报告.pdf"


def test_post_evaluation_refusals(pack_tenant):
    tenant = pack_tenant("nanchong")
    staff, reviewer, expert = (tenant.users[r] for r in (Role.DEPARTMENT_STAFF, Role.REVIEWER, Role.EXPERT))
    project = _operating(tenant, dt.date(2024, 1, 1))
    with pytest.raises(NotPermitted):
        services.post_evaluation_organise(actor=staff, project_id=project.pk, method="experts")
    with pytest.raises(ValidationFailed):
        services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="phone")
    services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="experts")
    with pytest.raises(ValidationFailed):  # a reviewer is no expert
        services.post_evaluation_assign_expert(actor=reviewer, project_id=project.pk, expert_id=reviewer.pk)
    assignment = services.post_evaluation_assign_expert(
        actor=reviewer, project_id=project.pk, expert_id=expert.pk
    )
    with pytest.raises(InvalidTransition):
        services.post_evaluation_assign_expert(actor=reviewer, project_id=project.pk, expert_id=expert.pk)
    with pytest.raises(NotPermitted):  # only the assigned expert
        services.post_evaluation_opinion(
            actor=reviewer,
            project_id=project.pk,
            assignment_id=assignment.pk,
            no_conflict=True,
            rating="good",
            opinion="x",
        )
    with pytest.raises(ValidationFailed):  # a reason is required
        services.post_evaluation_opinion(
            actor=expert,
            project_id=project.pk,
            assignment_id=assignment.pk,
            no_conflict=True,
            rating="good",
            opinion=" ",
        )


# --- random checks (莱州 第三十四条) ----------------------------------------------------------------


def test_the_draw_is_reproducible():
    population = list(range(1, 40))
    assert draw_sample("seed-a", population, 5) == draw_sample("seed-a", list(reversed(population)), 5)
    assert len(draw_sample("seed-a", population, 5)) == 5
    assert draw_sample("seed-a", [3, 4], 9) == [3, 4]


def test_random_check_draw_recorded_and_redrawn(pack_tenant):
    tenant = pack_tenant("laizhou")
    reviewer, staff = tenant.users[Role.REVIEWER], tenant.users[Role.DEPARTMENT_STAFF]
    operating = [_operating(tenant, dt.date(2024, 1, 1)) for _ in range(5)]
    make_project(tenant, category=first_category(tenant))  # a draft is not drawn
    year = dt.date.today().year
    with pytest.raises(NotPermitted):
        services.random_check_draw(actor=staff, jurisdiction=tenant.jurisdiction, year=year, count=2)
    with pytest.raises(ValidationFailed):  # the measure sets no size: the reviewer must choose
        services.random_check_draw(actor=reviewer, jurisdiction=tenant.jurisdiction, year=year)
    draw = services.random_check_draw(actor=reviewer, jurisdiction=tenant.jurisdiction, year=year, count=2)
    assert sorted(draw.population) == sorted(p.pk for p in operating)
    assert len(draw.chosen) == 2 and set(draw.chosen) <= set(draw.population)
    assert verify_draw(draw)
    assert draw_sample(draw.seed, draw.population, 2) == draw.chosen
    assert AuditEvent.objects.filter(action="random_check_drawn").count() == 2
    with pytest.raises(ValidationFailed):  # one draw a year unless drawn again with a reason
        services.random_check_draw(actor=reviewer, jurisdiction=tenant.jurisdiction, year=year, count=2)
    again = services.random_check_draw(
        actor=reviewer, jurisdiction=tenant.jurisdiction, year=year, count=3, reason="样本含已停用项目"
    )
    draw.refresh_from_db()
    assert draw.superseded and not again.superseded and len(again.chosen) == 3
    assert RandomCheckDraw.objects.filter(jurisdiction=tenant.jurisdiction, year=year).count() == 2
    tampered = RandomCheckDraw(
        seed=again.seed, population=again.population, chosen=[again.population[0]], count=3
    )
    assert not verify_draw(tampered)

    chosen = again.chosen[0]
    with pytest.raises(InvalidTransition):  # a superseded draw takes no result
        services.random_check_result(
            actor=reviewer, draw_id=draw.pk, project_id=draw.chosen[0], rating="good", finding="x"
        )
    not_chosen = next(p for p in again.population if p not in again.chosen)
    with pytest.raises(ValidationFailed):
        services.random_check_result(
            actor=reviewer, draw_id=again.pk, project_id=not_chosen, rating="good", finding="x"
        )
    services.random_check_result(
        actor=reviewer, draw_id=again.pk, project_id=chosen, rating="poor", finding="使用率低"
    )
    result = RandomCheckResult.objects.get(draw=again, project_id=chosen)
    assert result.rating == "poor"
    project = result.project
    assert project.facts["performance_poor"] is True
    assert _rule(project_verdicts(project)[1], "laizhou.om_funding.performance").outcome.value == "fail"
    with pytest.raises(InvalidTransition):
        services.random_check_result(
            actor=reviewer, draw_id=again.pk, project_id=chosen, rating="good", finding="x"
        )


def test_random_checks_only_where_the_measure_has_them(pack_tenant, beta):
    tenant = pack_tenant("hongshan")
    _operating(tenant, dt.date(2024, 1, 1))
    with pytest.raises(NotFound):
        services.random_check_draw(
            actor=tenant.users[Role.REVIEWER],
            jurisdiction=tenant.jurisdiction,
            year=dt.date.today().year,
            count=1,
        )
    laizhou = pack_tenant("laizhou")
    with pytest.raises(NotFound):  # another jurisdiction's people do not see it
        services.jurisdiction_for_checks(beta.users[Role.REVIEWER], laizhou.jurisdiction.code)


# 莱州 第三十五条: waste or low performance found in the evaluation → rectification, payments suspended.
WASTE = [(True, "required"), (False, "pass")]


@pytest.mark.parametrize(("found", "outcome"), WASTE)
def test_laizhou_article_35_waste_found(pack_tenant, found, outcome):
    tenant = pack_tenant("laizhou")
    reviewer = tenant.users[Role.REVIEWER]
    project = _operating(tenant, dt.date(2024, 1, 1))
    services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="third_party")
    services.post_evaluation_third_party(
        actor=reviewer, project_id=project.pk, organisation="某机构", rating="poor", comment="使用率低"
    )
    services.post_evaluation_conclude(
        actor=reviewer, project_id=project.pk, rating="poor", conclusion="较差", waste_found=found
    )
    project.refresh_from_db()
    assert project.facts["waste_or_poor_performance_found"] is found
    verdict = _rule(project_verdicts(project)[1], "laizhou.evaluation.rectification")
    assert verdict.citation["article"] == "第三十五条"
    assert verdict.outcome.value == outcome


def test_waste_found_is_ignored_where_the_measure_has_no_such_rule(pack_tenant):
    tenant = pack_tenant("baotou")
    reviewer = tenant.users[Role.REVIEWER]
    project = _operating(tenant, dt.date(2024, 1, 1))
    services.post_evaluation_organise(actor=reviewer, project_id=project.pk, method="third_party")
    services.post_evaluation_third_party(
        actor=reviewer, project_id=project.pk, organisation="某机构", rating="pass"
    )
    services.post_evaluation_conclude(
        actor=reviewer, project_id=project.pk, rating="pass", conclusion="合格", waste_found=True
    )
    project.refresh_from_db()
    assert "waste_or_poor_performance_found" not in project.facts
