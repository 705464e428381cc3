"""The master lifecycle: every (phase, transition) pair, rule gating, separation of duties, audit events."""

from __future__ import annotations

import pytest
from django.utils import translation
from django_fsm import ConcurrentTransition

from govproj.errors import (
    InvalidTransition,
    MissingDocuments,
    NotFound,
    NotPermitted,
    RuleViolation,
    ValidationFailed,
)
from jurisdictions.models import Role
from jurisdictions.rules.schema import load_pack_text
from jurisdictions.services import publish_rule_pack
from projects import services
from projects.models import AuditEvent, Phase, Project
from projects.plans import services as plans
from projects.selectors import RECORD_RUN
from tests.conftest import make_project, testland_text

# The graph of ARCHITECTURE.md "Lifecycle", typed out independently of the model.
GRAPH = {
    "declare": ({"draft"}, "declared"),
    "withdraw": ({"declared"}, "draft"),
    "return_for_revision": ({"declared", "in_review"}, "returned"),
    "resubmit": ({"returned"}, "declared"),
    "enter_library": ({"declared"}, "in_library"),
    "plan": ({"in_library"}, "planned"),
    "submit_for_review": ({"planned"}, "in_review"),
    "approve": ({"in_review"}, "approved"),
    "reject": ({"declared", "in_review"}, "rejected"),
    "start_construction": ({"approved"}, "in_construction"),
    "start_trial_operation": ({"in_construction"}, "trial_operation"),
    "apply_for_acceptance": ({"trial_operation"}, "in_acceptance"),
    "accept": ({"in_acceptance"}, "in_operation"),
    "suspend": ({"in_construction", "trial_operation"}, "suspended"),
    "resume": ({"suspended"}, "in_construction"),
    "terminate": (
        {"declared", "returned", "in_library", "planned", "approved", "in_construction", "suspended"},
        "terminated",
    ),
    "decommission": ({"in_operation"}, "decommissioned"),
}
STAFF_TRANSITIONS = {
    "declare",
    "withdraw",
    "resubmit",
    "submit_for_review",
    "start_construction",
    "start_trial_operation",
    "apply_for_acceptance",
}
CASES = [(phase, name) for phase in Phase.values for name in GRAPH]


def _actor(tenant, name):
    return tenant.users[Role.DEPARTMENT_STAFF if name in STAFF_TRANSITIONS else Role.REVIEWER]


# Run by the trial-run and acceptance records (acceptance.completion), with their own events.
RECORD_EVENTS = ("trial_run_record", "acceptance_apply", "acceptance_pass")
# 停用 likewise (projects.decommission): the stop plan, the disposals and the filings come first; the
# stopped system is then flagged (is_zombie).
RECORD_EVENTS += (
    "decommission_plan",
    "data_disposal",
    "asset_disposal",
    "decommission_filing",
    "system_flag",
)


def _run_by_record(tenant, project, name):
    """试运行, 申请验收 and 验收 as the product runs them: through the acceptance records."""
    from django.utils import timezone

    from acceptance.completion import services as acceptance
    from acceptance.completion.models import AcceptanceApplication

    staff, today = tenant.users[Role.DEPARTMENT_STAFF], timezone.localdate()
    if name == "decommission":
        from tests.projects.decommission.helpers import decommission_by_record

        return decommission_by_record(tenant, project)
    if name == "start_trial_operation":
        acceptance.trial_run_record(
            actor=staff, project_id=project.pk, completion_date=today, start_date=today
        )
    elif name == "apply_for_acceptance":
        acceptance.acceptance_apply(actor=staff, project_id=project.pk)
    else:
        if not AcceptanceApplication.objects.filter(project=project).exists():  # put in acceptance directly
            AcceptanceApplication.objects.create(project=project, applied_date=today, applied_by=staff)
        acceptance.acceptance_decide(
            actor=tenant.users[Role.REVIEWER], project_id=project.pk, passed=True, decision_date=today
        )
    return Project.objects.get(pk=project.pk)


def _run(tenant, project, name, **kwargs):
    """Run a transition as the product does: `plan` only by publishing an annual plan with the project."""
    if name in RECORD_RUN:
        return _run_by_record(tenant, project, name)
    if name != "plan":
        actor = _actor(tenant, name)
        return services.transition_project(actor=actor, project_id=project.pk, name=name, **kwargs)
    reviewer = tenant.users[Role.REVIEWER]
    plan = plans.plan_create(actor=reviewer, jurisdiction=tenant.jurisdiction, year=project.year)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)
    plans.plan_publish(actor=reviewer, plan_id=plan.pk)
    return Project.objects.get(pk=project.pk)


def _put_in(project, phase):
    Project.objects.filter(pk=project.pk).update(
        phase=phase, rule_pack=project.jurisdiction.rule_packs.first()
    )


@pytest.mark.parametrize(("phase", "name"), CASES, ids=[f"{p}-{n}" for p, n in CASES])
def test_every_phase_and_transition(alpha, phase, name):
    project = make_project(alpha)
    _put_in(project, phase)
    sources, target = GRAPH[name]
    if phase in sources:
        moved = _run(alpha, project, name, comment="理由")
        assert moved.phase == target
        event = AuditEvent.objects.filter(project=project, action=name).get()
        assert (event.from_phase, event.to_phase) == (phase, target)
    else:
        with pytest.raises(InvalidTransition) as raised:
            services.transition_project(
                actor=_actor(alpha, name), project_id=project.pk, name=name, comment="理由"
            )
        allowed = raised.value.extra["allowed"]
        assert name not in allowed
        assert set(allowed) <= {n for n, (s, _) in GRAPH.items() if phase in s}
        assert Project.objects.get(pk=project.pk).phase == phase  # nothing lost


def test_full_happy_path_records_pack_and_verdicts(alpha):
    project = make_project(alpha)
    path = [
        "declare",
        "enter_library",
        "plan",
        "submit_for_review",
        "approve",
        "start_construction",
        "start_trial_operation",
        "apply_for_acceptance",
        "accept",
        "decommission",
    ]
    for name in path:
        _run(alpha, project, name, comment=name)
    project.refresh_from_db()
    assert project.phase == Phase.DECOMMISSIONED
    assert project.rule_pack.version == 1
    events = list(project.events.order_by("at", "pk"))
    assert [e.action for e in events if e.action not in ("plan_add", *RECORD_EVENTS)] == ["create", *path]
    declare = events[1]
    assert declare.rule_pack == project.rule_pack and declare.comment == "declare"
    assert [v["rule_id"] for v in declare.verdicts] == ["alpha.intake.declaration_documents"]
    assert declare.verdicts[0]["citation"]["article"] == "第八条"


def test_missing_document_is_400_naming_document_and_article(alpha):
    project = make_project(alpha, total_investment_wan="150", facts={"documents": ["proposal"]})
    with pytest.raises(MissingDocuments) as raised:
        services.transition_project(
            actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
        )
    error = raised.value
    assert error.http_status == 400
    assert "可行性研究报告" in error.message and "第八条" in error.message
    assert [d["code"] for d in error.extra["missing_documents"]] == ["fsr"]
    assert Project.objects.get(pk=project.pk).phase == Phase.DRAFT
    assert not AuditEvent.objects.filter(project=project, action="declare").exists()


def test_document_needed_only_above_threshold(alpha):
    project = make_project(alpha, total_investment_wan="99.99", facts={"documents": ["proposal"]})
    moved = services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    assert moved.phase == Phase.DECLARED


def test_negative_list_hit_blocks_library_entry(alpha):
    project = make_project(
        alpha, facts={"documents": ["proposal", "fsr"], "negative_list_answers": {"duplicate": True}}
    )
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    with pytest.raises(RuleViolation) as raised:
        services.transition_project(
            actor=alpha.users[Role.REVIEWER], project_id=project.pk, name="enter_library"
        )
    assert raised.value.extra["verdicts"][0]["rule_id"] == "alpha.intake.negative_list"
    assert "重复建设" in raised.value.message and "第九条" in raised.value.message


def test_unanswered_screening_blocks_until_answered(alpha):
    project = make_project(alpha, facts={"documents": ["proposal", "fsr"]})
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    with pytest.raises(RuleViolation):
        services.transition_project(
            actor=alpha.users[Role.REVIEWER], project_id=project.pk, name="enter_library"
        )


def test_filer_never_decides(alpha):
    filer = alpha.users[Role.DEPARTMENT_STAFF]
    project = make_project(alpha)
    services.transition_project(actor=filer, project_id=project.pk, name="declare")
    # Even with the reviewer role as well, the filer may not decide on their own project.
    alpha.jurisdiction.memberships.create(user=filer, role=Role.REVIEWER)
    with pytest.raises(NotPermitted) as raised, translation.override("en"):
        services.transition_project(actor=filer, project_id=project.pk, name="enter_library")
    assert "filed" in raised.value.message


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.DEPARTMENT_STAFF])
def test_only_department_staff_declare(alpha, role):
    project = make_project(alpha)
    with pytest.raises((NotPermitted, NotFound)):
        services.transition_project(actor=alpha.users[role], project_id=project.pk, name="declare")


def test_other_tenant_gets_not_found(alpha, beta):
    project = make_project(alpha)
    with pytest.raises(NotFound):
        services.transition_project(
            actor=beta.users[Role.REVIEWER], project_id=project.pk, name="enter_library"
        )


def test_unknown_transition_is_a_validation_error(alpha):
    project = make_project(alpha)
    with pytest.raises(ValidationFailed) as raised:
        services.transition_project(actor=alpha.users[Role.REVIEWER], project_id=project.pk, name="launch")
    assert raised.value.http_status == 400
    assert raised.value.extra["errors"]["transition"] == ["'launch' is not a transition"]


def test_pack_pinned_at_declaration_survives_new_version(alpha):
    project = make_project(alpha)
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=project.pk, name="declare"
    )
    changed = testland_text("alpha").replace("value: 200", "value: 300")
    spec, content = load_pack_text(changed, source="v2")
    assert publish_rule_pack(spec, content, source="v2").pack.version == 2
    project.refresh_from_db()
    assert project.rule_pack.version == 1
    fresh = make_project(alpha, title="新项目")
    services.transition_project(actor=alpha.users[Role.DEPARTMENT_STAFF], project_id=fresh.pk, name="declare")
    fresh.refresh_from_db()
    assert fresh.rule_pack.version == 2


def test_stale_instance_cannot_overwrite_a_transition(alpha):
    """ConcurrentTransitionMixin: two copies read in the same phase; the second save loses."""
    project = make_project(alpha)
    first, second = Project.objects.get(pk=project.pk), Project.objects.get(pk=project.pk)
    first.declare()
    first.save()
    second.declare()
    with pytest.raises(ConcurrentTransition):
        second.save()


def test_audit_events_are_append_only(alpha):
    project = make_project(alpha)
    event = project.events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_phase_field_is_protected(alpha):
    project = make_project(alpha)
    with pytest.raises(AttributeError):
        project.phase = Phase.APPROVED


def test_generated_codes_count_per_jurisdiction_and_year(alpha, beta):
    codes = [make_project(alpha, title=f"p{i}").code for i in range(2)]
    codes.append(make_project(alpha, title="p2", year=2027).code)
    codes.append(make_project(beta, title="p3").code)
    assert codes == ["ALPHA-2026-0001", "ALPHA-2026-0002", "ALPHA-2027-0001", "BETA-2026-0001"]


def test_edit_only_while_draft_or_returned(alpha):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    services.update_project(actor=staff, project_id=project.pk, changes={"title": "改名"})
    services.transition_project(actor=staff, project_id=project.pk, name="declare")
    with pytest.raises(InvalidTransition):
        services.update_project(actor=staff, project_id=project.pk, changes={"title": "再改"})
    update = project.events.get(action="update")
    assert update.changes == {"title": {"from": "政务服务平台升级", "to": "改名"}}
