"""The annual plan (年度计划): compile, publish (all projects move or none), revise, emergency additions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects import services
from projects.documents.services import document_upload
from projects.models import AuditEvent, Phase, Project
from projects.plans import services as plans
from projects.plans.models import AnnualPlan, AnnualPlanEntry, PlanStatus
from projects.plans.selectors import emergency_article, plan_candidates, plan_totals
from projects.screening.services import screening_answer
from tests.conftest import make_project, testland_text
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

PACKS = Path(__file__).resolve().parents[2] / "jurisdictions" / "packs"
TODAY = dt.date.today()


PDF = b"%PDF-1.4\n%plan\n%%EOF\n"


def library_project(tenant, **overrides):
    """A project the department filed (documents on file, screening answered) and declared, and a
    reviewer entered in the library."""
    overrides.setdefault("facts", {})
    project = make_project(tenant, **overrides)
    staff = overrides.get("actor") or tenant.users[Role.DEPARTMENT_STAFF]
    reviewer = tenant.users[Role.REVIEWER]
    for code in ("proposal", "fsr"):
        document_upload(
            actor=staff, project_id=project.pk, code=code, file=SimpleUploadedFile(f"{code}.pdf", PDF)
        )
    screening_answer(actor=staff, project_id=project.pk, answers={"duplicate": {"applies": False}})
    services.transition_project(actor=staff, project_id=project.pk, name="declare")
    return services.transition_project(actor=reviewer, project_id=project.pk, name="enter_library")


def new_plan(tenant, year=2027, **kwargs):
    return plans.plan_create(
        actor=tenant.users[Role.REVIEWER], jurisdiction=tenant.jurisdiction, year=year, **kwargs
    )


def with_emergency_article(tenant, approver="区政府"):
    """Publish a version of the tenant's pack that provides for emergency additions (like 红山 第十条)."""
    code = tenant.jurisdiction.code
    text = testland_text(code).replace(
        "\nrules:\n",
        f"\nsettings:\n  emergency_addition:\n    rule: {code}.intake.negative_list\n"
        f"    approver: {{zh: {approver}, en: the district government}}\nrules:\n",
    )
    spec, content = load_pack_text(text, source=f"testland-{code}-emergency")
    publish_rule_pack(spec, content, source=f"testland-{code}-emergency")


# --------------------------------------------------------------------------- the direct transition


def test_direct_plan_transition_is_refused_and_says_why(alpha):
    project = library_project(alpha)
    with pytest.raises(InvalidTransition) as raised:
        services.transition_project(actor=alpha.users[Role.REVIEWER], project_id=project.pk, name="plan")
    assert raised.value.http_status == 409
    assert "年度计划" in raised.value.message and "发布" in raised.value.message
    assert "plan" not in raised.value.extra["allowed"]
    assert Project.objects.get(pk=project.pk).phase == Phase.IN_LIBRARY


def test_direct_plan_transition_on_anothers_project_is_404(alpha, beta):
    project = library_project(alpha)
    with pytest.raises(NotFound):
        services.transition_project(actor=beta.users[Role.REVIEWER], project_id=project.pk, name="plan")


# --------------------------------------------------------------------------- create, add, remove


def test_create_plan_is_a_draft_once_per_year(alpha):
    plan = new_plan(alpha, ceiling_wan=Decimal("500"))
    assert (plan.status, plan.year, plan.revision, plan.ceiling_wan) == (PlanStatus.DRAFT, 2027, 0, 500)
    with pytest.raises(ValidationFailed) as raised:
        new_plan(alpha)
    assert "2027" in raised.value.message


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.REVIEWER])
def test_only_reviewers_create_plans(alpha, role):
    with pytest.raises(NotPermitted):
        plans.plan_create(actor=alpha.users[role], jurisdiction=alpha.jurisdiction, year=2027)


def test_reviewer_of_another_jurisdiction_cannot_create(alpha, beta):
    with pytest.raises(NotPermitted):
        plans.plan_create(actor=beta.users[Role.REVIEWER], jurisdiction=alpha.jurisdiction, year=2027)


def test_add_needs_a_library_project_of_the_jurisdiction(alpha, beta):
    plan = new_plan(alpha)
    reviewer = alpha.users[Role.REVIEWER]
    draft = make_project(alpha, facts={})
    with pytest.raises(ValidationFailed) as raised:
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=draft.pk)
    assert draft.code in raised.value.message and "项目库" in raised.value.message
    foreign = library_project(beta)
    with pytest.raises(ValidationFailed) as raised:
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=foreign.pk)
    assert "project" in raised.value.extra["errors"]
    assert not AnnualPlanEntry.objects.exists()


def test_a_project_is_in_one_plan_only(alpha):
    project = library_project(alpha)
    reviewer = alpha.users[Role.REVIEWER]
    first, second = new_plan(alpha, 2027), new_plan(alpha, 2028)
    plans.plan_add_project(actor=reviewer, plan_id=first.pk, project_id=project.pk)
    with pytest.raises(ValidationFailed) as raised:
        plans.plan_add_project(actor=reviewer, plan_id=second.pk, project_id=project.pk)
    assert "2027" in raised.value.message
    assert list(plan_candidates(second)) == []


def test_add_and_remove_write_audit_events(alpha):
    project = library_project(alpha)
    plan = new_plan(alpha)
    reviewer = alpha.users[Role.REVIEWER]
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    assert list(plan_candidates(plan)) == []
    plans.plan_remove_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    assert [e.action for e in project.events.order_by("seq")][-2:] == ["plan_add", "plan_remove"]
    assert list(plan_candidates(plan)) == [project]
    with pytest.raises(NotFound):
        plans.plan_remove_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)


def test_other_tenant_and_staff_of_a_draft_plan_get_404(alpha, beta):
    plan = new_plan(alpha)
    project = library_project(alpha)
    for actor in (beta.users[Role.REVIEWER], alpha.users[Role.DEPARTMENT_STAFF]):
        with pytest.raises(NotFound):
            plans.plan_add_project(actor=actor, plan_id=plan.pk, project_id=project.pk)


def test_finance_officer_sees_but_may_not_change(alpha):
    plan = new_plan(alpha)
    project = library_project(alpha)
    with pytest.raises(NotPermitted):
        plans.plan_add_project(
            actor=alpha.users[Role.FINANCE_OFFICER], plan_id=plan.pk, project_id=project.pk
        )


# --------------------------------------------------------------------------- totals


def test_totals_by_department_and_funding_source_against_the_ceiling(alpha):
    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha, ceiling_wan=Decimal("200"))
    a = library_project(alpha, total_investment_wan=Decimal("80.50"))
    b = library_project(alpha, total_investment_wan=Decimal("60"), funding_source="special_fund")
    c = library_project(
        alpha,
        actor=alpha.other_staff,
        department=alpha.other_department,
        total_investment_wan=Decimal("90"),
    )
    for project in (a, b, c):
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    totals = plan_totals(plan)
    assert totals.total_wan == Decimal("230.50") and totals.count == 3
    assert totals.over_ceiling_wan == Decimal("30.50")
    by_department = {line.label: (line.count, line.total_wan) for line in totals.by_department}
    assert by_department == {
        alpha.department.name_zh: (2, Decimal("140.50")),
        alpha.other_department.name_zh: (1, Decimal("90.00")),
    }
    by_source = {line.key: line.total_wan for line in totals.by_funding_source}
    assert by_source == {"fiscal": Decimal("170.50"), "special_fund": Decimal("60.00")}


# --------------------------------------------------------------------------- publish


def test_publish_moves_every_project_with_an_audit_event_each(alpha):
    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha)
    projects = [library_project(alpha) for _ in range(3)]
    for project in projects:
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    published = plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    assert (published.status, published.revision, published.published_by) == (
        PlanStatus.PUBLISHED,
        1,
        reviewer,
    )
    for project in projects:
        project.refresh_from_db()
        assert project.phase == Phase.PLANNED
        event = AuditEvent.objects.get(project=project, action="plan")
        assert (event.from_phase, event.to_phase, event.actor) == ("in_library", "planned", reviewer)
        assert event.rule_pack == project.rule_pack
        assert event.changes["annual_plan"] == {"id": plan.pk, "year": 2027, "revision": 1}
        assert "2027" in event.comment


def test_publish_is_all_or_nothing_and_names_every_blocked_project(alpha):
    """A rule blocking `plan` on two projects: nothing moves and both are named with the article."""
    code = alpha.jurisdiction.code
    text = testland_text(code).replace(
        "\nrules:\n",
        f"""\nrules:
  - id: {code}.intake.plan_ceiling
    kind: threshold
    phase: intake
    title: {{zh: 年度计划限额, en: Plan limit}}
    citation: {{article: 第十一条}}
    fact: total_investment_wan
    op: gt
    value: 100
    when_met: fail
    blocks: [plan]
    message: {{zh: 超过一百万元的项目不得列入年度计划, en: Over 100 cannot enter the plan}}
""",
    )
    spec, content = load_pack_text(text, source="blocking")
    publish_rule_pack(spec, content, source="blocking")  # declared below, so the projects pin it
    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha)
    fine = library_project(alpha, total_investment_wan=Decimal("90"))
    big = [library_project(alpha, total_investment_wan=Decimal("150"), title=f"大项目{i}") for i in range(2)]
    for project in (fine, *big):
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    with pytest.raises(RuleViolation) as raised:
        plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    message = raised.value.message
    for project in big:
        assert project.code in message and project.title in message
    assert fine.code not in message
    assert "超过一百万元的项目不得列入年度计划" in message and "第十一条" in message
    assert [b["code"] for b in raised.value.extra["blocked"]] == [p.code for p in big]
    assert set(
        Project.objects.filter(pk__in=[fine.pk, *[p.pk for p in big]]).values_list("phase", flat=True)
    ) == {Phase.IN_LIBRARY}
    assert AnnualPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    assert not AuditEvent.objects.filter(action="plan").exists()


def test_publish_twice_is_409_and_moves_nothing_again(alpha):
    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha)
    project = library_project(alpha)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    with pytest.raises(InvalidTransition) as raised:
        plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    assert raised.value.extra["allowed"] == ["revise", "emergency"]
    assert AuditEvent.objects.filter(project=project, action="plan").count() == 1


def test_empty_plan_cannot_be_published(alpha):
    plan = new_plan(alpha)
    with pytest.raises(ValidationFailed):
        plans.plan_publish(actor=alpha.users[Role.REVIEWER], plan_id=plan.pk)


def test_filer_may_not_publish_their_own_project(alpha):
    """Separation of duties: a reviewer who also filed a project of the plan may not put it in."""
    reviewer = alpha.users[Role.REVIEWER]
    MembershipFactory(
        user=reviewer,
        jurisdiction=alpha.jurisdiction,
        role=Role.DEPARTMENT_STAFF,
        department=alpha.department,
    )
    project = make_project(alpha, actor=reviewer, facts={})
    for code in ("proposal", "fsr"):
        document_upload(
            actor=reviewer, project_id=project.pk, code=code, file=SimpleUploadedFile(f"{code}.pdf", PDF)
        )
    screening_answer(actor=reviewer, project_id=project.pk, answers={"duplicate": {"applies": False}})
    services.transition_project(actor=reviewer, project_id=project.pk, name="declare")
    other_reviewer = UserFactory(username="alpha_reviewer_2")
    MembershipFactory(user=other_reviewer, jurisdiction=alpha.jurisdiction, role=Role.REVIEWER)
    services.transition_project(actor=other_reviewer, project_id=project.pk, name="enter_library")
    plan = new_plan(alpha)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    with pytest.raises(NotPermitted) as raised:
        plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    assert project.code in raised.value.message
    assert plans.plan_publish(actor=other_reviewer, plan_id=plan.pk).status == PlanStatus.PUBLISHED


def test_revise_then_publish_moves_only_the_new_projects(alpha):
    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha)
    first, second = library_project(alpha), library_project(alpha)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=first.pk)
    plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    with pytest.raises(InvalidTransition):
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=second.pk)
    assert plans.plan_revise(actor=reviewer, plan_id=plan.pk).status == PlanStatus.REVISED
    with pytest.raises(InvalidTransition):
        plans.plan_revise(actor=reviewer, plan_id=plan.pk)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=second.pk)
    with pytest.raises(InvalidTransition) as raised:  # already planned: it cannot leave the plan
        plans.plan_remove_project(actor=reviewer, plan_id=plan.pk, project_id=first.pk)
    assert first.code in raised.value.message
    published = plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    assert (published.status, published.revision) == (PlanStatus.PUBLISHED, 2)
    assert AuditEvent.objects.filter(project=first, action="plan").count() == 1
    event = AuditEvent.objects.get(project=second, action="plan")
    assert event.changes["annual_plan"]["revision"] == 2
    assert Project.objects.get(pk=second.pk).phase == Phase.PLANNED


# --------------------------------------------------------------------------- emergency additions


def test_emergency_addition_needs_all_three_approval_fields(alpha):
    with_emergency_article(alpha)
    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=library_project(alpha).pk)
    plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    urgent = library_project(alpha)
    with pytest.raises(ValidationFailed) as raised:
        plans.plan_emergency_add(
            actor=reviewer,
            plan_id=plan.pk,
            project_id=urgent.pk,
            approved_by="",
            approval_document_no=" ",
            approval_date=None,
        )
    assert set(raised.value.extra["errors"]) == {"approved_by", "approval_document_no", "approval_date"}
    with pytest.raises(ValidationFailed) as raised:  # who agreed must be whom the measure names
        plans.plan_emergency_add(
            actor=reviewer,
            plan_id=plan.pk,
            project_id=urgent.pk,
            approved_by="某局",
            approval_document_no="红政函〔2027〕3号",
            approval_date=TODAY,
        )
    assert "区政府" in raised.value.extra["errors"]["approved_by"][0]
    assert Project.objects.get(pk=urgent.pk).phase == Phase.IN_LIBRARY
    entry = plans.plan_emergency_add(
        actor=reviewer,
        plan_id=plan.pk,
        project_id=urgent.pk,
        approved_by="区政府",
        approval_document_no="红政函〔2027〕3号",
        approval_date=TODAY,
    )
    assert entry.is_emergency and entry.approval_document_no == "红政函〔2027〕3号"
    assert Project.objects.get(pk=urgent.pk).phase == Phase.PLANNED
    event = AuditEvent.objects.get(project=urgent, action="plan")
    assert event.changes["emergency"]["approved_by"] == "区政府"
    assert event.changes["emergency"]["article"] == "第九条"
    assert AnnualPlan.objects.get(pk=plan.pk).status == PlanStatus.PUBLISHED


def test_emergency_addition_goes_into_a_published_plan_only(alpha):
    with_emergency_article(alpha)
    plan = new_plan(alpha)
    with pytest.raises(InvalidTransition) as raised:
        plans.plan_emergency_add(
            actor=alpha.users[Role.REVIEWER],
            plan_id=plan.pk,
            project_id=library_project(alpha).pk,
            approved_by="区政府",
            approval_document_no="1号",
            approval_date=TODAY,
        )
    assert raised.value.extra["allowed"] == ["add", "remove", "publish"]


def test_jurisdiction_without_emergency_article_refuses(alpha):
    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=library_project(alpha).pk)
    plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    with pytest.raises(ValidationFailed) as raised:
        plans.plan_emergency_add(
            actor=reviewer,
            plan_id=plan.pk,
            project_id=library_project(alpha).pk,
            approved_by="区政府",
            approval_document_no="1号",
            approval_date=TODAY,
        )
    assert raised.value.http_status == 400 and "紧急增补" in raised.value.message


def _shipped(code: str):
    spec, content = load_pack_text((PACKS / f"{code}.yaml").read_text(encoding="utf-8"), source=code)
    return publish_rule_pack(spec, content, source=code).pack.jurisdiction


@pytest.mark.parametrize(
    ("code", "article", "approver"),
    [
        ("hongshan", "第十条", "区政府"),
        ("nanchong", "第二十二条", "市政府"),
        ("laizhou", "第十条", "市委、市政府"),
        ("ordos", "第六条", "市委、市人民政府"),
    ],
)
def test_shipped_packs_name_who_must_agree(db, code, article, approver):
    found = emergency_article(_shipped(code), as_of=dt.date(2024, 12, 1))
    assert (found.article, found.approver_zh) == (article, approver)


def test_baotou_refuses_emergency_additions_with_a_clear_400(db):
    baotou = _shipped("baotou")
    assert emergency_article(baotou, as_of=dt.date(2025, 6, 1)) is None
    reviewer = UserFactory(username="baotou_reviewer")
    MembershipFactory(user=reviewer, jurisdiction=baotou, role=Role.REVIEWER)
    DepartmentFactory(jurisdiction=baotou)
    plan = plans.plan_create(actor=reviewer, jurisdiction=baotou, year=2025)
    with pytest.raises(ValidationFailed) as raised:
        plans.plan_emergency_add(
            actor=reviewer,
            plan_id=plan.pk,
            project_id=1,
            approved_by="市政府",
            approval_document_no="1号",
            approval_date=dt.date(2025, 6, 1),
            as_of=dt.date(2025, 6, 1),
        )
    assert raised.value.http_status == 400
    assert "没有" in raised.value.message or "紧急增补" in raised.value.message


# --------------------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_publish_moves_each_project_once(alpha):
    import threading

    from django.db import close_old_connections

    reviewer = alpha.users[Role.REVIEWER]
    plan = new_plan(alpha)
    projects = [library_project(alpha) for _ in range(3)]
    for project in projects:
        plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    barrier, outcomes = threading.Barrier(2), []

    def publish():
        barrier.wait()
        try:
            plans.plan_publish(actor=reviewer, plan_id=plan.pk)
            outcomes.append("published")
        except InvalidTransition as exc:
            outcomes.append(exc.code)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["invalid_transition", "published"]
    for project in projects:
        assert AuditEvent.objects.filter(project=project, action="plan").count() == 1


def test_demo_helper_puts_projects_through_a_published_plan_per_year(alpha):
    from projects.plans.demo import put_in_published_plan

    reviewer = alpha.users[Role.REVIEWER]
    first = library_project(alpha)
    put_in_published_plan([first], reviewer)
    second, later = library_project(alpha), library_project(alpha, year=2028)
    plans_published = put_in_published_plan([second, later], reviewer)
    assert sorted((p.year, p.revision, p.status) for p in plans_published) == [
        (2026, 2, PlanStatus.PUBLISHED),
        (2028, 1, PlanStatus.PUBLISHED),
    ]
    for project in (first, second, later):
        assert Project.objects.get(pk=project.pk).phase == Phase.PLANNED
