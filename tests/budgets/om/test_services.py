"""The O&M funding services on the real 莱州 and 南充 packs: apply, submit, decide, withdraw."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from budgets.om import services
from budgets.om.models import OmApplication, OmStatus
from budgets.om.selectors import application_answer
from govproj.errors import InvalidTransition, MissingDocuments, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from projects.models import AuditEvent, Project
from tests.budgets.om.helpers import finance, laizhou_project, set_facts, staff
from tests.conftest import advance, make_project
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def apply(tenant, project, *, year=2028, amount="50", term="1", submit=True, **extra):
    application = services.om_create(
        actor=staff(tenant), project_id=project.pk, year=year, amount_wan=amount, term_years=term, **extra
    )
    if submit:
        services.om_submit(actor=staff(tenant), project_id=project.pk, application_id=application.pk)
    return OmApplication.objects.get(pk=application.pk)


def decide(tenant, application, decision, **kwargs):
    return services.om_decide(
        actor=finance(tenant),
        project_id=application.project_id,
        application_id=application.pk,
        decision=decision,
        **kwargs,
    )


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def test_submitting_records_the_facts_the_application_decides(laizhou):
    project = laizhou_project(laizhou)
    application = apply(laizhou, project, amount="55.5", term="2")
    facts = Project.objects.get(pk=project.pk).facts
    assert facts["om_annual_request_wan"] == "55.50"
    assert facts["om_contract_term_years"] == "2.00"
    assert facts["om_is_continuation"] is False
    assert facts["om_year_start_date"] == "2028-01-01"
    assert facts["om_application_date"] == dt.date.today().isoformat()
    assert facts["free_om_end_date"] == "2027-03-01"  # 3 agreed years from acceptance
    assert application.status == OmStatus.SUBMITTED
    event = AuditEvent.objects.filter(project=project, action="om_submit").get()
    assert event.changes["facts"]["om_annual_request_wan"]["to"] == "55.50"


@pytest.mark.parametrize(
    "amount, fundable",
    [("60", True), ("60.00", True), ("60.01", False), ("100", False)],
    ids=["exactly-10%", "exactly-10%-decimals", "a-cent-above", "far-above"],
)
def test_laizhou_cap_is_10_percent_of_the_construction_investment(laizhou, amount, fundable):
    """莱州 第二十九条: 原则每年不超过建设总投入费用的10% (600万元 → 60万元)."""
    project = laizhou_project(laizhou)
    application = apply(laizhou, project, amount=amount)
    answer, _version = application_answer(project, application)
    assert (answer.code == "fundable") is fundable
    assert answer.cap_wan == Decimal("60")
    if fundable:
        decided = decide(laizhou, application, "approve")
        assert decided.status == OmStatus.APPROVED and decided.granted_wan == Decimal(amount)
        return
    assert answer.first_reason.rule_id == "laizhou.om_funding.annual_cap"
    with pytest.raises(RuleViolation) as refused:
        decide(laizhou, application, "approve")
    assert "第二十九条" in refused.value.message
    if Decimal(amount) > Decimal("60.01"):
        with pytest.raises(RuleViolation):  # still above the cap
            decide(laizhou, application, "reduce", granted_wan="60.01", reason="核减")
    reduced = decide(laizhou, application, "reduce", granted_wan="60", reason="按建设总投入10%核减")
    assert reduced.status == OmStatus.REDUCED and reduced.granted_wan == Decimal("60")
    assert reduced.answer == "refused"  # the answer on what was asked for, kept with the decision


def test_nanchong_contract_terms_up_to_three_years(pack_tenant):
    """南充 第四十条: 可以采购不超过三年履行期限的服务."""
    tenant = pack_tenant("nanchong")
    facts = {"in_system_catalogue": True, "shares_data": True, "duplicates_data_collection": False}
    facts |= {"crypto_compliant": True, "security_compliant": True}
    results = {}
    for term in ("3", "3.5"):
        project = make_project(
            tenant,
            title=f"南充市政务系统{term}",
            category="business_system",
            total_investment_wan=Decimal("300"),
            facts=facts,
        )
        advance(project, "in_operation", on=dt.date(2024, 3, 1))
        set_facts(
            project,
            {
                "accepted": True,
                "major_security_hazard": False,
                "performance_rating": "good",
                "free_om_end_date": "2027-06-30",
            },
        )
        application = apply(tenant, project, year=2028, term=term)
        answer, _version = application_answer(Project.objects.get(pk=project.pk), application)
        results[term] = answer
    assert results["3"].code == "fundable", [(x.rule_id, x.level) for x in results["3"].lines]
    assert results["3.5"].code == "refused"
    assert (results["3.5"].first_reason.rule_id, results["3.5"].first_reason.article) == (
        "nanchong.om_funding.contract_term",
        "第四十条",
    )


def test_nanchong_continuing_om_needs_its_needs_assessment_on_file(pack_tenant):
    """南充 第三十五条（二）: a new round's needs reassessed: submission refused naming the document."""
    tenant = pack_tenant("nanchong")
    project = make_project(
        tenant, title="南充市续运维系统", category="business_system", facts={"in_system_catalogue": True}
    )
    advance(project, "in_operation", on=dt.date(2024, 3, 1))
    draft = apply(tenant, project, submit=False, is_continuation=True, period_end_date="2027-12-31")
    with pytest.raises(MissingDocuments) as refused:
        services.om_submit(actor=staff(tenant), project_id=project.pk, application_id=draft.pk)
    assert "第三十五条" in refused.value.message
    assert OmApplication.objects.get(pk=draft.pk).status == OmStatus.DRAFT


def test_no_funds_while_the_free_period_runs(laizhou):
    """莱州 第二十九条: 免费运维期结束后 … 列入年度预算 (the free period ends 2027-03-01)."""
    project = laizhou_project(laizhou)
    application = apply(laizhou, project, year=2027)
    answer, _version = application_answer(project, application)
    assert answer.code == "refused"
    assert answer.first_reason.rule_id == "laizhou.om_funding.free_period_running"
    with pytest.raises(RuleViolation):
        decide(laizhou, application, "approve")


def test_refused_then_approved_after_rectification(laizhou):
    project = laizhou_project(laizhou, shares_data=False)
    first = apply(laizhou, project)
    answer, _version = application_answer(project, first)
    assert answer.code == "refused" and answer.first_reason.rule_id == "laizhou.om_funding.data_sharing"
    with pytest.raises(ValidationFailed) as no_reason:
        decide(laizhou, first, "refuse", reason=" ")
    assert "reason" in no_reason.value.extra["errors"]
    refused = decide(laizhou, first, "refuse", reason="数据未共享，整改后再申请")
    assert refused.status == OmStatus.REFUSED and refused.reason == "数据未共享，整改后再申请"
    set_facts(project, {"shares_data": True})  # rectified: the data bureau records it
    second = apply(laizhou, project)
    assert second.follows_id == first.pk
    approved = decide(laizhou, second, "approve")
    assert approved.status == OmStatus.APPROVED and approved.answer == "fundable"
    assert list(
        AuditEvent.objects.filter(project=project, action__startswith="om_").values_list("action", flat=True)
    ) == [
        "om_create",
        "om_submit",
        "om_refuse",
        "om_create",
        "om_submit",
        "om_approve",
    ]


def test_the_decision_keeps_its_verdicts_when_facts_change_later(laizhou):
    project = laizhou_project(laizhou)
    application = decide(laizhou, apply(laizhou, project), "approve")
    stored = list(application.verdicts)
    assert (
        application.pack_version == project.rule_pack.version
        and application.rule_pack_id == project.rule_pack_id
    )
    assert {row["rule_id"] for row in stored} >= {
        "laizhou.om_funding.data_sharing",
        "laizhou.om_funding.annual_cap",
    }
    assert all({"rule_id", "outcome", "article", "message"} <= set(row) for row in stored)
    set_facts(project, {"shares_data": False, "performance_poor": True})
    again = OmApplication.objects.get(pk=application.pk)
    answer, version = application_answer(Project.objects.get(pk=project.pk), again)
    assert again.verdicts == stored
    assert answer.code == "fundable" and version == application.pack_version


def test_separation_of_duties(laizhou):
    project = laizhou_project(laizhou)
    application = apply(laizhou, project)
    with pytest.raises(NotPermitted):  # the department never decides
        services.om_decide(
            actor=staff(laizhou), project_id=project.pk, application_id=application.pk, decision="approve"
        )
    # the filer, even when also a finance officer, may not decide on what they filed
    MembershipFactory(user=staff(laizhou), jurisdiction=laizhou.jurisdiction, role=Role.FINANCE_OFFICER)
    with pytest.raises(NotPermitted):
        services.om_decide(
            actor=staff(laizhou), project_id=project.pk, application_id=application.pk, decision="approve"
        )
    with pytest.raises(NotPermitted):  # only the department applies
        services.om_create(
            actor=finance(laizhou), project_id=project.pk, year=2029, amount_wan=1, term_years=1
        )


def test_wrong_state_is_409_with_the_allowed_actions(laizhou):
    project = laizhou_project(laizhou)
    draft = apply(laizhou, project, submit=False)
    with pytest.raises(InvalidTransition) as early:
        decide(laizhou, draft, "approve")
    assert early.value.extra["allowed"] == ["submit", "withdraw"]
    with pytest.raises(InvalidTransition) as second_open:
        apply(laizhou, project, submit=False)
    assert second_open.value.extra["allowed"] == ["submit", "withdraw"]
    services.om_submit(actor=staff(laizhou), project_id=project.pk, application_id=draft.pk)
    decide(laizhou, OmApplication.objects.get(pk=draft.pk), "approve")
    with pytest.raises(InvalidTransition) as twice:
        decide(laizhou, OmApplication.objects.get(pk=draft.pk), "refuse", reason="再议")
    assert twice.value.extra["allowed"] == ["create"]


def test_reduce_needs_a_lower_amount_and_a_reason(laizhou):
    project = laizhou_project(laizhou)
    application = apply(laizhou, project, amount="50")
    for kwargs, field in (
        ({"granted_wan": "50", "reason": "核减"}, "granted_wan"),
        ({"granted_wan": "0", "reason": "核减"}, "granted_wan"),
        ({"granted_wan": "40", "reason": ""}, "reason"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            decide(laizhou, application, "reduce", **kwargs)
        assert field in refused.value.extra["errors"]
    reduced = decide(laizhou, application, "reduce", granted_wan="40", reason="按实际需求核减")
    assert reduced.granted_wan == Decimal("40")


def test_a_project_not_yet_in_operation_cannot_submit(laizhou):
    project = make_project(
        laizhou, title="建设中项目", category="e_government", facts={"laizhou_class": "governance"}
    )
    advance(project, "in_construction", on=dt.date(2025, 3, 1))
    draft = apply(laizhou, project, submit=False)
    with pytest.raises(InvalidTransition):
        services.om_submit(actor=staff(laizhou), project_id=project.pk, application_id=draft.pk)


def test_withdrawing_a_submitted_application_takes_its_facts_back(laizhou):
    project = laizhou_project(laizhou)
    granted = decide(laizhou, apply(laizhou, project, amount="30"), "approve")
    later = apply(laizhou, project, year=2029, amount="45")
    assert Project.objects.get(pk=project.pk).facts["om_annual_request_wan"] == "45.00"
    services.om_withdraw(actor=staff(laizhou), project_id=project.pk, application_id=later.pk)
    facts = Project.objects.get(pk=project.pk).facts
    assert facts["om_annual_request_wan"] == "30.00" and granted.status == OmStatus.APPROVED
    assert OmApplication.objects.get(pk=later.pk).status == OmStatus.WITHDRAWN


@pytest.mark.parametrize(
    "field, value",
    [("year", "1999"), ("year", "²"), ("amount_wan", "-1"), ("amount_wan", "NaN"), ("term_years", "0")],
)
def test_bad_input_names_the_field(laizhou, field, value):
    project = laizhou_project(laizhou)
    values = {"year": 2028, "amount_wan": "50", "term_years": "1", field: value}
    with pytest.raises(ValidationFailed) as refused:
        services.om_create(actor=staff(laizhou), project_id=project.pk, **values)
    assert field in refused.value.extra["errors"]


def test_hongshan_om_service_project_applies_before_library_entry(pack_tenant):
    """红山 第八条: 接续运维的，在运维期结束上一年度申请入库 — an O&M-service project applies as a draft."""
    tenant = pack_tenant("hongshan")
    facts = {"shares_data": True, "duplicates_data_collection": False, "is_public_service": False}
    facts |= {"is_office_system": False, "is_new_build": False, "is_zombie": False}
    project = make_project(tenant, title="红山区政务外网运维服务", category="om_service", facts=facts)
    set_facts(project, {"performance_rating": "good"})  # the last evaluation's rating
    application = apply(tenant, project, year=2027, is_continuation=True, period_end_date="2027-12-31")
    answer, _version = application_answer(Project.objects.get(pk=project.pk), application)
    lines = {line.rule_id: line for line in answer.lines}
    assert lines["hongshan.om_funding.continuing_om_application"].level == "pass"  # applied before 2026-12-31
    assert lines["hongshan.om_funding.data_sharing"].level == "pass"
    assert answer.code == "fundable", [(line.rule_id, line.level) for line in answer.lines]
