"""Findings (审核认定) and the department's statements (运行情况更新) on the real measures."""

from __future__ import annotations

import pytest

from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects.findings.models import Finding
from projects.findings.services import finding_record, recordable
from projects.models import AuditEvent, Phase, Project
from projects.selectors import pack_for_project, project_verdicts
from tests.acceptance.evaluation.helpers import operating
from tests.conftest import advance, make_project

pytestmark = pytest.mark.django_db


def _outcome(project, rule_id):
    project.refresh_from_db()
    _pack, verdicts = project_verdicts(project)
    return next(v for v in verdicts if v.rule_id == rule_id).outcome.value


@pytest.fixture
def laizhou(pack_tenant):
    return pack_tenant("laizhou")


def test_a_reviewer_finds_a_major_security_hazard_and_o_and_m_funds_are_withheld(laizhou):
    project = operating(laizhou, facts={"crypto_compliant": True, "security_compliant": True})
    reviewer = laizhou.users[Role.REVIEWER]
    before = _outcome(project, "laizhou.om_funding.security")

    finding = finding_record(
        actor=reviewer,
        project_id=project.pk,
        fact="major_security_hazard",
        value=True,
        reason="等保测评发现高危漏洞3项",
        basis="莱数检〔2026〕7号",
    )

    assert before != "fail"
    assert _outcome(project, "laizhou.om_funding.security") == "fail"
    assert (finding.fact, finding.value, finding.recorded_by, finding.basis) == (
        "major_security_hazard",
        True,
        reviewer,
        "莱数检〔2026〕7号",
    )
    event = AuditEvent.objects.filter(project=project).last()
    assert (event.action, event.actor, event.comment) == ("finding", reviewer, "等保测评发现高危漏洞3项")
    assert event.changes["facts"] == {"major_security_hazard": {"from": None, "to": True}}
    assert event.rule_pack_id == project.rule_pack_id


def test_a_failed_rectification_cancels_the_project_and_blocks_its_next_steps(laizhou):
    project = make_project(laizhou, category="digital_infrastructure", facts=None)
    project = advance(project, "in_construction")
    Project.objects.filter(pk=project.pk).update(
        facts={**project.facts, "waste_or_poor_performance_found": True}
    )
    finding_record(
        actor=laizhou.users[Role.REVIEWER],
        project_id=project.pk,
        fact="rectification_failed",
        value=True,
        reason="限期整改后复查仍不达标",
    )
    project.refresh_from_db()
    _pack, verdicts = project_verdicts(project)
    cancelled = next(v for v in verdicts if v.rule_id == "laizhou.evaluation.cancellation")
    assert cancelled.blocks_transition("start_trial_operation")
    assert cancelled.citation["article"] == "第三十五条"


def test_the_department_states_its_data_is_shared_once_the_form_is_closed(laizhou):
    project = operating(laizhou, facts={"shares_data": False, "duplicates_data_collection": False})
    staff = laizhou.users[Role.DEPARTMENT_STAFF]
    assert _outcome(project, "laizhou.om_funding.data_sharing") == "fail"

    finding_record(
        actor=staff, project_id=project.pk, fact="shares_data", value=True, reason="已接入共享交换平台"
    )

    assert _outcome(project, "laizhou.om_funding.data_sharing") != "fail"
    event = AuditEvent.objects.filter(project=project).last()
    assert (event.action, event.actor) == ("status_update", staff)


def test_not_known_removes_the_value(laizhou):
    project = operating(laizhou, facts={"shares_data": True})
    finding_record(
        actor=laizhou.users[Role.REVIEWER],
        project_id=project.pk,
        fact="shares_data",
        value=None,
        reason="待核实",
    )
    project.refresh_from_db()
    assert "shares_data" not in project.facts
    assert Finding.objects.get(project=project).value is None


@pytest.mark.parametrize(
    "role", [Role.DEPARTMENT_STAFF, Role.FINANCE_OFFICER, Role.SECURITY_REVIEWER, Role.AUDITOR]
)
def test_only_the_approving_authority_or_the_admin_records_a_finding(laizhou, role):
    project = operating(laizhou)
    with pytest.raises(NotPermitted):
        finding_record(
            actor=laizhou.users[role],
            project_id=project.pk,
            fact="major_security_hazard",
            value=True,
            reason="x",
        )
    finding_record(
        actor=laizhou.users[Role.JURISDICTION_ADMIN],
        project_id=project.pk,
        fact="major_security_hazard",
        value=False,
        reason="复查无重大隐患",
    )
    assert Finding.objects.filter(project=project).count() == 1


def test_another_tenants_project_is_not_there(laizhou, pack_tenant):
    project = operating(laizhou)
    ordos = pack_tenant("ordos")
    with pytest.raises(NotFound):
        finding_record(
            actor=ordos.users[Role.REVIEWER],
            project_id=project.pk,
            fact="shares_data",
            value=True,
            reason="x",
        )


def test_a_returned_project_is_answered_on_its_form(laizhou):
    project = make_project(laizhou, category="digital_infrastructure", facts=None)
    Project.objects.filter(pk=project.pk).update(phase=Phase.RETURNED)
    with pytest.raises(InvalidTransition) as refused:
        finding_record(
            actor=laizhou.users[Role.DEPARTMENT_STAFF],
            project_id=project.pk,
            fact="shares_data",
            value=True,
            reason="x",
        )
    assert refused.value.extra["allowed"] == ["update"]


def test_nothing_is_recorded_on_a_decommissioned_project(laizhou):
    project = operating(laizhou)
    Project.objects.filter(pk=project.pk).update(phase=Phase.DECOMMISSIONED)
    with pytest.raises(InvalidTransition):
        finding_record(
            actor=laizhou.users[Role.REVIEWER],
            project_id=project.pk,
            fact="shares_data",
            value=True,
            reason="x",
        )


@pytest.mark.parametrize(
    ("fact", "value", "reason", "field"),
    [
        ("city_government_approved", True, "x", "fact"),  # 南充's, not read by 莱州's measure
        ("documents", True, "x", "fact"),  # derived: never a finding
        ("no_such_fact", True, "x", "fact"),
        (["shares_data"], True, "x", "fact"),
        ("shares_data", "yes", "x", "value"),
        ("shares_data", 1, "x", "value"),
        ("shares_data", True, "", "reason"),
        ("shares_data", True, "   ", "reason"),
        ("shares_data", True, "a\x00b", "reason"),
        ("shares_data", True, ["x"], "reason"),
        ("shares_data", True, "x" * 2001, "reason"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_kept(laizhou, fact, value, reason, field):
    project = operating(laizhou)
    with pytest.raises(ValidationFailed) as refused:
        finding_record(
            actor=laizhou.users[Role.REVIEWER], project_id=project.pk, fact=fact, value=value, reason=reason
        )
    assert field in refused.value.extra["errors"]
    assert not Finding.objects.exists()


def test_what_each_role_may_record(laizhou):
    project = operating(laizhou)
    spec = pack_for_project(project).spec
    reviewer = set(recordable(laizhou.users[Role.REVIEWER], project, spec))
    staff = set(recordable(laizhou.users[Role.DEPARTMENT_STAFF], project, spec))
    finance = recordable(laizhou.users[Role.FINANCE_OFFICER], project, spec)
    assert {"major_security_hazard", "rectification_failed", "shares_data"} <= reviewer
    assert "shares_data" in staff and "major_security_hazard" not in staff
    assert staff < reviewer
    assert finance == []
