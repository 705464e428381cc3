"""Refusals (403, 404, 409, 400), the transitions API giving way to the records, the API and the inbox."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acceptance.completion import services
from acceptance.completion.models import AcceptanceApplication, TrialRun
from approvals.inbox.registry import SOURCES
from govproj.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from jurisdictions.models import Role
from projects import services as projects
from projects.models import AuditEvent, Phase
from projects.selectors import available_transitions
from tests.acceptance.completion.conftest import in_construction
from tests.conftest import client_for

D = dt.date


def _trial(tenant, code="laizhou", **kwargs):
    project = in_construction(tenant, code, **kwargs)
    services.trial_run_record(
        actor=tenant.users[Role.DEPARTMENT_STAFF],
        project_id=project.pk,
        completion_date=D(2026, 3, 1),
        start_date=D(2026, 3, 5),
    )
    project.refresh_from_db()
    return project


@pytest.mark.parametrize("name", ["start_trial_operation", "apply_for_acceptance", "accept"])
def test_plain_transitions_give_way_to_the_records(pack_tenant, name):
    tenant = pack_tenant("laizhou")
    project = in_construction(tenant, "laizhou")
    actor = tenant.users[Role.REVIEWER if name == "accept" else Role.DEPARTMENT_STAFF]
    with pytest.raises(InvalidTransition) as raised:
        projects.transition_project(actor=actor, project_id=project.pk, name=name)
    assert raised.value.http_status == 409
    assert raised.value.extra["record"].startswith(f"/projects/{project.pk}/acceptance/")
    assert name not in available_transitions(project)


def test_the_transitions_api_answers_409_pointing_to_the_record(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = in_construction(tenant, "laizhou")
    response = client_for(tenant.users[Role.DEPARTMENT_STAFF]).post(
        f"/api/v1/projects/{project.pk}/transitions/", {"transition": "start_trial_operation"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["record"] == f"/projects/{project.pk}/acceptance/trial-run/"


def test_roles_and_tenants(pack_tenant):
    tenant, other = pack_tenant("laizhou"), pack_tenant("ordos")
    project = in_construction(tenant, "laizhou")
    dates = {"completion_date": D(2026, 3, 1), "start_date": D(2026, 3, 5)}
    with pytest.raises(NotPermitted):  # the reviewer does not record the department's trial run
        services.trial_run_record(actor=tenant.users[Role.REVIEWER], project_id=project.pk, **dates)
    with pytest.raises(NotFound):  # another jurisdiction's project is not there
        services.trial_run_record(actor=other.users[Role.DEPARTMENT_STAFF], project_id=project.pk, **dates)
    with pytest.raises(NotFound):  # the other department's staff do not see it
        services.trial_run_record(actor=tenant.other_staff, project_id=project.pk, **dates)
    services.trial_run_record(actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, **dates)
    services.acceptance_apply(
        actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, applied_date=D(2026, 8, 1)
    )
    with pytest.raises(NotPermitted):  # the department does not decide its own acceptance
        services.acceptance_decide(
            actor=tenant.users[Role.DEPARTMENT_STAFF],
            project_id=project.pk,
            passed=True,
            decision_date=D(2026, 8, 2),
        )
    with pytest.raises(NotPermitted):
        services.acceptance_decide(
            actor=tenant.users[Role.FINANCE_OFFICER],
            project_id=project.pk,
            passed=True,
            decision_date=D(2026, 8, 2),
        )


def test_states_refused_with_409(pack_tenant):
    tenant = pack_tenant("laizhou")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    project = in_construction(tenant, "laizhou")
    with pytest.raises(InvalidTransition):  # no application in construction
        services.acceptance_apply(actor=staff, project_id=project.pk)
    with pytest.raises(InvalidTransition):  # nothing to decide
        services.acceptance_decide(
            actor=reviewer, project_id=project.pk, passed=True, decision_date=D(2026, 8, 2)
        )
    project = _trial(tenant)
    with pytest.raises(InvalidTransition):  # recorded once
        services.trial_run_record(
            actor=staff, project_id=project.pk, completion_date=D(2026, 3, 1), start_date=D(2026, 3, 5)
        )
    assert TrialRun.objects.filter(project=project).count() == 1
    row = services.delay_apply(
        actor=staff,
        project_id=project.pk,
        reason="测评",
        requested_date=D(2026, 12, 1),
        applied_date=D(2026, 8, 1),
    )
    with pytest.raises(InvalidTransition):  # one waiting at a time
        services.delay_apply(
            actor=staff,
            project_id=project.pk,
            reason="再次",
            requested_date=D(2026, 12, 1),
            applied_date=D(2026, 8, 2),
        )
    services.delay_decide(
        actor=reviewer, project_id=project.pk, delay_id=row.pk, granted=False, reason="理由不足"
    )
    with pytest.raises(InvalidTransition):  # decided already
        services.delay_decide(
            actor=reviewer, project_id=project.pk, delay_id=row.pk, granted=True, granted_date=D(2026, 12, 1)
        )
    with pytest.raises(NotFound):
        services.delay_decide(actor=reviewer, project_id=project.pk, delay_id="x", granted=True)


def test_check_not_in_the_measure_is_404(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = _trial(tenant)
    for kind in ("pre_acceptance", "archive", "nonsense"):
        with pytest.raises(NotFound):
            services.check_request(
                actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, kind=kind
            )
    with pytest.raises(NotFound):  # 莱州 does not count from a stable trial run
        services.trial_run_stable(
            actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, stable_date=D(2026, 4, 1)
        )


def test_bad_input_is_400_naming_the_field(pack_tenant):
    tenant = pack_tenant("laizhou")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    project = in_construction(tenant, "laizhou")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    cases = [
        ({"completion_date": tomorrow, "start_date": tomorrow}, "completion_date"),  # not in the future
        (
            {"completion_date": D(2026, 3, 5), "start_date": D(2026, 3, 1)},
            "start_date",
        ),  # not before completion
        ({"completion_date": "not a date", "start_date": D(2026, 3, 1)}, "completion_date"),
    ]
    for dates, field in cases:
        with pytest.raises(ValidationFailed) as raised:
            services.trial_run_record(actor=staff, project_id=project.pk, **dates)
        assert field in raised.value.extra["errors"]
    project = _trial(tenant)
    with pytest.raises(ValidationFailed) as raised:  # before the trial run started
        services.acceptance_apply(actor=staff, project_id=project.pk, applied_date=D(2026, 3, 1))
    assert "applied_date" in raised.value.extra["errors"]
    with pytest.raises(ValidationFailed) as raised:  # a reason for the delay
        services.delay_apply(actor=staff, project_id=project.pk, reason=" ", requested_date=D(2026, 12, 1))
    assert "reason" in raised.value.extra["errors"]
    services.acceptance_apply(actor=staff, project_id=project.pk, applied_date=D(2026, 8, 1))
    with pytest.raises(ValidationFailed) as raised:  # not passed needs a reason
        services.acceptance_decide(
            actor=reviewer, project_id=project.pk, passed=False, decision_date=D(2026, 8, 2)
        )
    assert "reason" in raised.value.extra["errors"]


def test_not_passed_then_applied_again(pack_tenant):
    tenant = pack_tenant("laizhou")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    project = _trial(tenant)
    services.acceptance_apply(actor=staff, project_id=project.pk, applied_date=D(2026, 8, 1))
    services.acceptance_decide(
        actor=reviewer,
        project_id=project.pk,
        passed=False,
        decision_date=D(2026, 8, 5),
        reason="测评报告问题未整改",
    )
    project.refresh_from_db()
    assert project.phase == Phase.IN_ACCEPTANCE and project.facts["accepted"] is False
    second = services.acceptance_apply(actor=staff, project_id=project.pk, applied_date=D(2026, 9, 1))
    assert second.round == 2
    services.acceptance_decide(
        actor=reviewer, project_id=project.pk, passed=True, decision_date=D(2026, 9, 10)
    )
    project.refresh_from_db()
    assert project.phase == Phase.IN_OPERATION
    assert (
        project.facts["acceptance_date"] == "2026-09-10"
        and project.facts["operation_start_date"] == "2026-09-10"
    )
    actions = list(AuditEvent.objects.filter(project=project).values_list("action", flat=True))
    assert actions.count("apply_for_acceptance") == 1 and actions.count("accept") == 1
    assert {"trial_run_record", "acceptance_apply", "acceptance_fail", "acceptance_pass"} <= set(actions)


def test_api_overview_and_flow(pack_tenant):
    tenant = pack_tenant("laizhou")
    staff = client_for(tenant.users[Role.DEPARTMENT_STAFF])
    reviewer = client_for(tenant.users[Role.REVIEWER])
    project = in_construction(tenant, "laizhou")
    base = f"/api/v1/projects/{project.pk}/acceptance/"
    response = staff.post(
        base + "trial-run/", {"completion_date": "2026-03-01", "start_date": "2026-03-05"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["trial_run"]["start_date"] == "2026-03-05"
    assert body["clock"]["due_date"] == "2026-09-01" and body["clock"]["article"] == "第二十三条第二款"
    assert body["may"]["apply"] is True
    response = staff.post(base + "delays/", {"reason": "测评", "requested_date": "2026-12-01"}, format="json")
    assert response.status_code in (
        200,
        400,
    )  # today may be past the six months: then refused naming the article
    if response.status_code == 400:
        assert "第二十三条" in response.json()["detail"]
    response = staff.post(base + "apply/", {"applied_date": "2026-08-01"}, format="json")
    assert response.status_code == 200, response.content
    response = reviewer.post(
        base + "decide/", {"passed": False, "decision_date": "2026-08-02"}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = reviewer.post(base + "decide/", {"passed": True, "decision_date": "2026-08-02"}, format="json")
    assert response.status_code == 200
    assert response.json()["applications"][0]["status"] == "passed"
    assert (
        staff.post(
            base + "decide/", {"passed": True, "decision_date": "2026-08-02"}, format="json"
        ).status_code
        == 403
    )
    assert staff.post(base + "checks/archive/request/", {}, format="json").status_code == 404
    assert staff.get("/api/v1/projects/abc/acceptance/").status_code == 400


def _waiting(tenant, count):
    staff = tenant.users[Role.DEPARTMENT_STAFF]
    for _ in range(count):
        project = _trial(tenant, "ordos")
        services.check_request(actor=staff, project_id=project.pk, kind="archive")
        services.delay_apply(
            actor=staff,
            project_id=project.pk,
            reason="测评",
            requested_date=D(2026, 12, 1),
            applied_date=D(2026, 8, 1),
        )
        services.acceptance_apply(actor=staff, project_id=project.pk, applied_date=D(2026, 8, 2))


def test_inbox_pending_for_the_reviewer_at_constant_queries(pack_tenant):
    tenant = pack_tenant("ordos")
    source = SOURCES["acceptance"]
    reviewer = tenant.users[Role.REVIEWER]
    _waiting(tenant, 1)
    source.pending(reviewer)
    with CaptureQueriesContext(connection) as few:
        items = source.pending(reviewer)
    assert sorted(i.what for i in items) == ["延期验收申请", "档案验收", "验收申请"]
    assert source.count(reviewer) == 3
    _waiting(tenant, 4)
    with CaptureQueriesContext(connection) as many:
        items = source.pending(reviewer)
    assert len(items) == 15 and len(many) == len(few)
    assert source.pending(tenant.users[Role.DEPARTMENT_STAFF]) == []  # the filer's side sees none
    project = items[0].project_id
    services.check_decide(
        actor=reviewer, project_id=project, kind="archive", passed=True, decision_date=timezone.localdate()
    )
    assert source.count(reviewer) == 14
    assert [i.outcome for i in source.done(reviewer)] == ["已通过"]
    with pytest.raises(ValidationFailed):
        source.decide(reviewer, items[1].key, "approve", "")
    assert AcceptanceApplication.objects.filter(status="submitted").count() == 5
