"""Change requests and final accounts through their services: the baseline and its history, the facts the
filing rules read, refusals (role, state, input), the state graph, the surplus and its return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.baseline.models import InvestmentBaseline, baseline_history
from budgets.changes import services
from budgets.changes.models import ChangeRequest, ChangeStatus
from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from projects.models import EVENT_LABELS, AuditEvent
from projects.selectors import project_facts, project_verdicts
from tests.budgets.changes.conftest import in_construction, reviewer, set_facts, staff
from tests.budgets.changes.test_routing import terms
from tests.conftest import advance

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _submit(tenant, project, given):
    draft = services.change_request_create(actor=staff(tenant), project_id=project.pk, **given)
    return services.change_request_submit(actor=staff(tenant), project_id=project.pk, request_id=draft.pk)


def _approve(tenant, project, request, amount="1100"):
    return services.change_request_approve(
        actor=reviewer(tenant),
        project_id=project.pk,
        request_id=request.pk,
        document_number="包审批〔2026〕8号",
        decision_date=TODAY,
        amount_wan=amount,
    )


def test_a_filed_change_moves_the_baseline_and_sets_the_facts_the_filing_rule_reads(tenants):
    """包头 第二十一条: within 15% the unit adjusts and files; baotou.change.filing wants its record."""
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    done = _submit(tenant, project, terms(inc="100", dec="130", savings="20"))
    assert done.status == ChangeStatus.FILED
    rows = baseline_history(project)
    assert [r.amount_wan for r in rows] == [Decimal("970.00")]
    assert rows[0].source_change_id == done.pk and rows[0].source_stage_id is None
    project.refresh_from_db()
    facts = project_facts(project)
    assert facts["approved_estimate_wan"] == Decimal("1000")  # 备案 does not re-approve the estimate
    assert project.total_investment_wan == Decimal("970.00")
    assert facts["adjustment_wan"] == Decimal("130") and facts["tender_savings_wan"] == Decimal("20")
    _pack, verdicts = project_verdicts(project)
    filing = next(v for v in verdicts if v.rule_id == "baotou.change.filing")
    assert filing.outcome.value in ("fail", "required")  # the change_filing document is not on file yet
    assert filing.blocks_transition("apply_for_acceptance")
    tolerance = next(v for v in verdicts if v.rule_id == "baotou.change.tolerance")
    assert tolerance.outcome.value == "pass"
    event = AuditEvent.objects.filter(project=project, action="change_file").get()
    assert event.changes["route"] == "unit_adjusts_and_files" and event.changes["article"] == "第二十一条"
    assert event.rule_pack_id == project.rule_pack_id


def test_an_approved_change_sets_the_approved_amount_and_keeps_the_history(tenants):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    first = _submit(tenant, project, terms(inc="50", dec="60"))
    assert first.status == ChangeStatus.FILED
    second = _submit(tenant, project, terms(inc="300", dec="100"))  # 30% and beyond the estimate
    assert second.status == ChangeStatus.SUBMITTED
    assert second.route == "follow_approval_procedures"
    assert (
        InvestmentBaseline.objects.filter(project=project).count() == 1
    )  # nothing moves before the decision
    _approve(tenant, project, second, amount="1180")
    rows = baseline_history(project)
    assert [(r.amount_wan, r.previous_amount_wan) for r in rows] == [
        (Decimal("1180.00"), Decimal("990.00")),
        (Decimal("990.00"), None),
    ]
    project.refresh_from_db()
    facts = project_facts(project)
    assert facts["approved_estimate_wan"] == Decimal("1180")
    assert project.total_investment_wan == Decimal("1180.00")
    assert "adjustment_wan" not in facts  # the approved change is the new estimate: nothing left to route
    _pack, verdicts = project_verdicts(project)
    assert not any(v.blocks_transition("apply_for_acceptance") for v in verdicts if v.phase == "change")


@pytest.mark.parametrize("action", ["return", "reject"])
def test_return_and_rejection_need_a_reason_and_leave_the_baseline(tenants, action):
    tenant2 = tenants("hongshan")
    project2 = in_construction(tenant2, "hongshan", "1000")
    submitted = _submit(tenant2, project2, terms(inc="200", dec="200"))
    assert submitted.status == ChangeStatus.SUBMITTED
    service = getattr(services, f"change_request_{action}")
    with pytest.raises(ValidationFailed) as refused:
        service(actor=reviewer(tenant2), project_id=project2.pk, request_id=submitted.pk, reason="  ")
    assert "reason" in refused.value.extra["errors"]
    done = service(actor=reviewer(tenant2), project_id=project2.pk, request_id=submitted.pk, reason="理由")
    assert done.status == {"return": ChangeStatus.RETURNED, "reject": ChangeStatus.REJECTED}[action]
    assert not InvestmentBaseline.objects.filter(project=project2).exists()


def test_a_returned_request_is_revised_and_submitted_again(tenants):
    tenant = tenants("hongshan")
    project = in_construction(tenant, "hongshan", "1000")
    request = _submit(tenant, project, terms(inc="200", dec="200"))
    services.change_request_return(
        actor=reviewer(tenant), project_id=project.pk, request_id=request.pk, reason="超比例"
    )
    services.change_request_update(
        actor=staff(tenant), project_id=project.pk, request_id=request.pk, **terms(inc="100", dec="100")
    )
    again = services.change_request_submit(actor=staff(tenant), project_id=project.pk, request_id=request.pk)
    assert again.status == ChangeStatus.FILED and again.ratio_percent == Decimal("10.00")


def test_the_approver_acknowledges_a_filed_change(tenants):
    tenant = tenants("ordos")
    project = in_construction(tenant, "ordos", "1000")
    filed = _submit(tenant, project, terms(inc="50", dec="50"))
    with pytest.raises(NotPermitted):
        services.change_request_acknowledge(actor=staff(tenant), project_id=project.pk, request_id=filed.pk)
    done = services.change_request_acknowledge(
        actor=reviewer(tenant), project_id=project.pk, request_id=filed.pk
    )
    assert done.acknowledged_by == reviewer(tenant)
    with pytest.raises(InvalidTransition) as twice:
        services.change_request_acknowledge(
            actor=reviewer(tenant), project_id=project.pk, request_id=filed.pk
        )
    assert twice.value.extra["allowed"] == []


def test_a_change_that_needs_a_new_declaration_starts_a_prefilled_draft(tenants):
    tenant = tenants("ordos")
    project = in_construction(tenant, "ordos", "1000")
    closed = _submit(tenant, project, terms(inc="150", dec="150"))
    assert closed.status == ChangeStatus.NEW_DECLARATION_REQUIRED and closed.article == "第二十条"
    assert not InvestmentBaseline.objects.filter(project=project).exists()
    new = services.change_request_start_new_project(
        actor=staff(tenant), project_id=project.pk, request_id=closed.pk
    )
    assert new.phase == "draft" and new.department_id == project.department_id
    assert new.total_investment_wan == Decimal("1000.00") and new.category == project.category
    with pytest.raises(InvalidTransition):
        services.change_request_start_new_project(
            actor=staff(tenant), project_id=project.pk, request_id=closed.pk
        )


def test_refusals(tenants, pack_tenant):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    with pytest.raises(NotPermitted):
        services.change_request_create(
            actor=reviewer(tenant), project_id=project.pk, **terms(inc="1", dec="1")
        )
    with pytest.raises(ValidationFailed) as nothing:
        services.change_request_create(actor=staff(tenant), project_id=project.pk, **terms())
    assert set(nothing.value.extra["errors"]) == {"increases_wan", "decreases_wan"}
    with pytest.raises(ValidationFailed) as savings:
        services.change_request_create(
            actor=staff(tenant), project_id=project.pk, **terms(inc="1", savings="2")
        )
    assert "tender_savings_wan" in savings.value.extra["errors"]
    with pytest.raises(ValidationFailed) as reason:
        services.change_request_create(
            actor=staff(tenant), project_id=project.pk, **terms(inc="1", reason="x")
        )
    assert "reason" in reason.value.extra["errors"]
    with pytest.raises(ValidationFailed):
        services.change_request_create(actor=staff(tenant), project_id=project.pk, **terms(inc="-1"))
    draft = services.change_request_create(
        actor=staff(tenant), project_id=project.pk, **terms(inc="1", dec="1")
    )
    with pytest.raises(InvalidTransition) as second:
        services.change_request_create(actor=staff(tenant), project_id=project.pk, **terms(inc="1", dec="1"))
    assert second.value.extra["allowed"] == ["edit", "submit", "withdraw"]
    with pytest.raises(InvalidTransition) as early:  # only a submitted request is decided
        _approve(tenant, project, draft)
    assert early.value.http_status == 409
    for pk in ("abc", "²", str(2**64), "999999"):
        with pytest.raises(NotFound):
            services.change_request_submit(actor=staff(tenant), project_id=project.pk, request_id=pk)
    other = pack_tenant("hongshan")
    with pytest.raises(NotFound):  # another tenant's project is not there
        services.change_request_submit(actor=staff(other), project_id=project.pk, request_id=draft.pk)
    done = services.change_request_submit(actor=staff(tenant), project_id=project.pk, request_id=draft.pk)
    with pytest.raises(InvalidTransition):
        services.change_request_withdraw(actor=staff(tenant), project_id=project.pk, request_id=done.pk)


def test_no_estimate_no_route(tenants):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    set_facts(project, {"approved_estimate_wan": None})
    with pytest.raises(RuleViolation) as refused:
        services.change_request_create(actor=staff(tenant), project_id=project.pk, **terms(inc="1", dec="1"))
    assert "approved_estimate_wan" in refused.value.extra["errors"]


def test_the_filer_of_the_project_or_the_change_never_decides_it(tenants):
    tenant = tenants("hongshan")
    project = in_construction(tenant, "hongshan", "1000")
    request = _submit(tenant, project, terms(inc="200", dec="200"))
    with pytest.raises(NotPermitted):
        services.change_request_return(
            actor=staff(tenant), project_id=project.pk, request_id=request.pk, reason="x"
        )
    with pytest.raises(NotPermitted):  # the auditor reads only
        services.change_request_return(
            actor=tenant.users[Role.AUDITOR], project_id=project.pk, request_id=request.pk, reason="x"
        )


def test_changes_are_asked_after_approval_and_before_acceptance(tenants):
    tenant = tenants("baotou")
    project = in_construction(tenant, "baotou", "1000")
    advance(project, "in_operation")
    with pytest.raises(InvalidTransition):
        services.change_request_create(actor=staff(tenant), project_id=project.pk, **terms(inc="1", dec="1"))


# Every (state, action) pair of the graph: what the service allows, and 409 with `allowed` otherwise.
ACTIONS = {
    "submit": lambda t, p, r: services.change_request_submit(
        actor=staff(t), project_id=p.pk, request_id=r.pk
    ),
    "withdraw": lambda t, p, r: services.change_request_withdraw(
        actor=staff(t), project_id=p.pk, request_id=r.pk
    ),
    "approve": lambda t, p, r: _approve(t, p, r),
    "return": lambda t, p, r: services.change_request_return(
        actor=reviewer(t), project_id=p.pk, request_id=r.pk, reason="理由"
    ),
    "reject": lambda t, p, r: services.change_request_reject(
        actor=reviewer(t), project_id=p.pk, request_id=r.pk, reason="理由"
    ),
    "acknowledge": lambda t, p, r: services.change_request_acknowledge(
        actor=reviewer(t), project_id=p.pk, request_id=r.pk
    ),
    "start_new_project": lambda t, p, r: services.change_request_start_new_project(
        actor=staff(t), project_id=p.pk, request_id=r.pk
    ),
}
GRAPH = {
    ChangeStatus.DRAFT: {"submit", "withdraw"},
    ChangeStatus.RETURNED: {"submit", "withdraw"},
    ChangeStatus.SUBMITTED: {"withdraw", "approve", "return", "reject"},
    ChangeStatus.FILED: {"acknowledge"},
    ChangeStatus.APPROVED: set(),
    ChangeStatus.REJECTED: set(),
    ChangeStatus.NEW_DECLARATION_REQUIRED: {"start_new_project"},
    ChangeStatus.WITHDRAWN: set(),
}


@pytest.mark.parametrize("status", list(GRAPH))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_state_and_action(tenants, status, action):
    tenant = tenants("hongshan")
    project = in_construction(tenant, "hongshan", "1000")
    draft = services.change_request_create(
        actor=staff(tenant), project_id=project.pk, **terms(inc="200", dec="200")
    )
    ChangeRequest.objects.filter(pk=draft.pk).update(status=status, submitted_by=staff(tenant))
    request = ChangeRequest.objects.get(pk=draft.pk)
    if action in GRAPH[status]:
        ACTIONS[action](tenant, project, request)
    else:
        with pytest.raises(InvalidTransition) as refused:
            ACTIONS[action](tenant, project, request)
        assert refused.value.extra["allowed"] == services.allowed_actions(request)


def test_every_action_has_its_label():
    for action in (
        "change_create",
        "change_update",
        "change_submit",
        "change_file",
        "change_new_declaration",
        "change_withdraw",
        "change_approve",
        "change_return",
        "change_reject",
        "change_acknowledge",
        "change_new_project",
        "final_account_record",
        "surplus_return",
    ):
        assert action in EVENT_LABELS


# ---------------------------------------------------------------------------- surplus (结余资金)
SURPLUS = [
    ("baotou", "第二十条", True),
    ("hongshan", "第二十二条", True),
    ("nanchong", "第三十四条", True),
    ("laizhou", "第十九条第一款", True),
    ("ordos", "第十九条", True),
]


@pytest.mark.parametrize(("code", "article", "must"), SURPLUS, ids=[f"{c} {a}" for c, a, _m in SURPLUS])
def test_the_surplus_is_returned_where_the_measure_says(tenants, code, article, must):
    tenant = tenants(code)
    project = in_construction(tenant, code, "600")
    advance(project, "trial_operation")
    account = services.final_account_record(
        actor=staff(tenant), project_id=project.pk, actual_spend_wan="550"
    )
    assert account.surplus_wan == Decimal("50.00")
    assert account.must_return is must and account.return_article == article
    project.refresh_from_db()
    assert project_facts(project)["surplus_wan"] == Decimal("50")
    with pytest.raises(NotPermitted):
        services.surplus_return_confirm(actor=staff(tenant), project_id=project.pk, returned_on=TODAY)
    finance = tenant.users[Role.FINANCE_OFFICER]
    with pytest.raises(ValidationFailed):
        services.surplus_return_confirm(
            actor=finance, project_id=project.pk, returned_on=TODAY + dt.timedelta(days=1)
        )
    done = services.surplus_return_confirm(
        actor=finance, project_id=project.pk, returned_on=TODAY, reference="凭证1"
    )
    assert done.returned_by == finance
    project.refresh_from_db()
    _pack, verdicts = project_verdicts(project)
    surplus = [v for v in verdicts if v.data.get("value") is not None and "surplus" in v.rule_id]
    assert all(v.outcome.value in ("pass", "not_applicable") for v in surplus)
    with pytest.raises(InvalidTransition):
        services.surplus_return_confirm(actor=finance, project_id=project.pk, returned_on=TODAY)


def test_no_surplus_when_the_goal_changed_under_laizhou(tenants):
    """莱州 第十九条 第一款 applies while the goal and content are unchanged."""
    tenant = tenants("laizhou")
    project = in_construction(tenant, "laizhou", "600", procurement_started=True)
    ChangeRequest.objects.create(
        project=project,
        content="目标调整",
        increases_wan=Decimal("1"),
        reason="other",
        goal_changed=True,
        created_by=staff(tenant),
    )
    ChangeRequest.objects.filter(project=project).update(status=ChangeStatus.APPROVED)
    advance(project, "trial_operation")
    account = services.final_account_record(
        actor=staff(tenant), project_id=project.pk, actual_spend_wan="500"
    )
    assert account.surplus_wan == Decimal("100.00") and account.must_return is False


def test_spending_more_than_the_baseline_leaves_no_surplus(tenants):
    tenant = tenants("ordos")
    project = in_construction(tenant, "ordos", "600")
    advance(project, "trial_operation")
    account = services.final_account_record(
        actor=staff(tenant), project_id=project.pk, actual_spend_wan="650"
    )
    assert account.surplus_wan == Decimal("0.00") and account.must_return is False


def test_a_filed_decrease_leaves_nothing_blocking_once_its_filing_is_on_file(tenants):
    """南充 第二十七条: a 10% decrease is filed; measured against the estimate as approved it stays within
    10%, the total stays within the estimate (第二十三条), and with the written filing on file nothing of
    the change phase holds acceptance."""
    from django.core.files.base import ContentFile

    from projects.documents.services import document_upload
    from projects.management.commands.seed_demo import DEMO_PDF

    tenant = tenants("nanchong")
    project = in_construction(tenant, "nanchong", "1000", major_change=False)  # the reviewer's finding
    assert _submit(tenant, project, terms(dec="100")).status == ChangeStatus.FILED
    project.refresh_from_db()

    def holding():
        _pack, verdicts = project_verdicts(project)
        return sorted(
            v.rule_id for v in verdicts if v.phase == "change" and v.blocks_transition("apply_for_acceptance")
        )

    assert holding() == ["nanchong.change.filing"]
    document_upload(
        actor=staff(tenant),
        project_id=project.pk,
        code="change_filing",
        file=ContentFile(DEMO_PDF, name="报备.pdf"),
    )
    project.refresh_from_db()
    assert holding() == []
