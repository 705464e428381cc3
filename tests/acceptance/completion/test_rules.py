"""Each measure's trial-run and acceptance rules, through the records, against the real packs.

One row per rule and article: 南充 第二十九条 (three months of trial run), 红山 第二十八条 (six months
from the stable trial run, the delay), 莱州 第二十三条 and 鄂尔多斯 第二十一条 (six months from
completion, the delay), 包头 第二十二条 (pre-acceptance review), 鄂尔多斯 第二十二条 (archive
acceptance), 莱州 第十五条 (a standard within a year, from 500万), 红山 第二十四条 and 莱州 第二十九条
(the free O&M period).
"""

from __future__ import annotations

import datetime as dt

import pytest

from acceptance.completion import services
from acceptance.completion.selectors import acceptance_overview
from govproj.errors import RuleViolation
from jurisdictions.models import Role
from projects.models import Phase, Project
from projects.selectors import project_verdicts
from tests.acceptance.completion.conftest import in_construction

D = dt.date


def staff(tenant):
    return tenant.users[Role.DEPARTMENT_STAFF]


def reviewer(tenant):
    return tenant.users[Role.REVIEWER]


COMPLETED, STARTED = D(2026, 5, 1), D(2026, 5, 10)


def on_trial(tenant, code, *, completion=COMPLETED, start=STARTED, **kwargs) -> Project:
    project = in_construction(tenant, code, **kwargs)
    services.trial_run_record(
        actor=staff(tenant), project_id=project.pk, completion_date=completion, start_date=start
    )
    project.refresh_from_db()
    assert project.phase == Phase.TRIAL_OPERATION
    return project


def verdict(project, rule_id):
    _pack, verdicts = project_verdicts(project)
    return next(v for v in verdicts if v.rule_id == rule_id)


def accept(tenant, project, on: dt.date, **kwargs):
    services.acceptance_decide(
        actor=reviewer(tenant), project_id=project.pk, passed=True, decision_date=on, **kwargs
    )
    project.refresh_from_db()
    return project


# ---------------------------------------------------------------------------- 南充 第二十九条


@pytest.mark.parametrize(
    ("applied", "allowed"),
    [
        (D(2026, 8, 9), False),  # start + 3 months − 1 day: refused
        (D(2026, 8, 10), True),  # start + 3 months: allowed
        (D(2026, 9, 1), True),
        (D(2026, 6, 10), False),
    ],
    ids=["3m-minus-1-day", "3m-on-the-day", "later", "one-month"],
)
def test_nanchong_art29_three_months_of_trial_run(pack_tenant, applied, allowed):
    tenant = pack_tenant("nanchong")
    project = on_trial(tenant, "nanchong", start=D(2026, 5, 10))
    if allowed:
        services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=applied)
        project.refresh_from_db()
        assert project.phase == Phase.IN_ACCEPTANCE
        assert project.facts["acceptance_applied_date"] == applied.isoformat()
        return
    with pytest.raises(RuleViolation) as raised:
        services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=applied)
    error = raised.value
    assert error.http_status == 400
    assert "第二十九条" in error.message and "3个月" in error.message
    assert error.extra["may_apply_on"] == "2026-08-10"
    assert "2026-08-10" in error.message
    assert [v["rule_id"] for v in error.extra["verdicts"]] == ["nanchong.acceptance.trial_run"]
    project.refresh_from_db()
    assert project.phase == Phase.TRIAL_OPERATION
    assert "acceptance_applied_date" not in project.facts  # nothing kept of a refused application


def test_nanchong_art29_documents_named_with_article(pack_tenant):
    tenant = pack_tenant("nanchong")
    project = on_trial(tenant, "nanchong", drop=("test_report", "audit_report"))
    with pytest.raises(RuleViolation) as raised:
        services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 9, 1))
    error = raised.value
    assert error.code == "missing_documents"
    assert {d["code"] for d in error.extra["missing_documents"]} == {"test_report", "audit_report"}
    assert "第二十九条" in error.message


# ---------------------------------------------------------------------------- 红山 第二十八条


@pytest.mark.parametrize(
    ("stable", "delay", "expected_due"),
    [
        (D(2026, 3, 15), None, D(2026, 9, 15)),  # six months from the stable trial run
        (D(2026, 3, 15), ("grant", D(2026, 9, 1), D(2026, 12, 31)), D(2026, 12, 31)),  # the granted date
        (D(2026, 3, 15), ("refuse", D(2026, 9, 1), None), D(2026, 9, 15)),  # refused: the six months stand
    ],
    ids=["six-months", "delay-granted", "delay-refused"],
)
def test_hongshan_art28_six_months_from_the_stable_trial_run(pack_tenant, stable, delay, expected_due):
    tenant = pack_tenant("hongshan")
    project = on_trial(tenant, "hongshan", completion=D(2026, 2, 20), start=D(2026, 3, 1))
    services.trial_run_stable(actor=staff(tenant), project_id=project.pk, stable_date=stable)
    if delay is not None:
        decision, applied, granted = delay
        row = services.delay_apply(
            actor=staff(tenant),
            project_id=project.pk,
            reason="第三方测评未完成",
            requested_date=D(2027, 1, 31),
            applied_date=applied,
        )
        services.delay_decide(
            actor=reviewer(tenant),
            project_id=project.pk,
            delay_id=row.pk,
            granted=decision == "grant",
            granted_date=granted,
            reason="" if decision == "grant" else "理由不充分",
        )
    project.refresh_from_db()
    found = verdict(project, "hongshan.acceptance.filing_deadline")
    assert found.citation["article"] == "第二十八条"
    assert found.data["due_date"] == expected_due
    clock = acceptance_overview(staff(tenant), project)["clock"]
    assert clock["due_date"] == expected_due


def test_hongshan_art28_application_files_the_form(pack_tenant):
    tenant = pack_tenant("hongshan")
    project = on_trial(tenant, "hongshan", completion=D(2026, 2, 20), start=D(2026, 3, 1))
    # Without the stable date the six months cannot be counted: the delay rule asks for it first.
    services.trial_run_stable(actor=staff(tenant), project_id=project.pk, stable_date=D(2026, 4, 1))
    project.refresh_from_db()
    # The application is the 备案表: applying files it, so the delay rule does not stand in the way.
    blocking = {row["rule_id"] for row in acceptance_overview(staff(tenant), project)["blocking_apply"]}
    assert "hongshan.acceptance.delay_application" not in blocking
    services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 9, 30))
    project.refresh_from_db()
    assert project.facts["acceptance_filing_date"] == "2026-09-30"
    assert verdict(project, "hongshan.acceptance.filing_deadline").outcome.value == "pass"


@pytest.mark.parametrize(
    ("custom", "needed"), [(True, True), (False, False)], ids=["custom-software", "no-custom-software"]
)
def test_hongshan_art28_software_test_report_only_for_custom_development(pack_tenant, custom, needed):
    tenant = pack_tenant("hongshan")
    project = on_trial(
        tenant,
        "hongshan",
        drop=("software_test_report",),
        has_custom_software=custom,
        completion=D(2026, 2, 1),
        start=D(2026, 2, 2),
    )
    checklist = acceptance_overview(staff(tenant), project)["checklist"]
    rule = next(r for r in checklist if r["rule_id"] == "hongshan.acceptance.documents")
    assert rule["article"] == "第二十八条"
    codes = {d["code"]: d["on_file"] for d in rule["documents"]}
    assert ("software_test_report" in codes) is needed
    if needed:
        assert codes["software_test_report"] is False
    assert codes["trial_run_report"] is True and codes["data_sharing_confirmation"] is True
    trial = acceptance_overview(staff(tenant), project)["trial_documents"]
    assert {"code": "trial_run_report", "on_file": True, "article": "第二十八条"}.items() <= next(
        d for d in trial if d["code"] == "trial_run_report"
    ).items()


# ------------------------------------------------------------- 莱州 第二十三条, 鄂尔多斯 第二十一条


@pytest.mark.parametrize(
    ("code", "rule_id", "article"),
    [
        ("laizhou", "laizhou.acceptance.deadline", "第二十三条"),
        ("ordos", "ordos.acceptance.deadline", "第二十一条"),
    ],
)
@pytest.mark.parametrize(
    ("delay", "expected_due"),
    [
        (None, D(2026, 9, 1)),  # six months from completion
        (
            ("grant", D(2026, 8, 20), D(2026, 11, 30)),
            D(2026, 11, 30),
        ),  # the granted date, not the one asked for
        (("pending", D(2026, 8, 20), None), D(2026, 9, 1)),
    ],
    ids=["six-months", "granted", "pending"],
)
def test_six_months_from_completion_and_the_delay(pack_tenant, code, rule_id, article, delay, expected_due):
    tenant = pack_tenant(code)
    project = on_trial(tenant, code, completion=D(2026, 3, 1), start=D(2026, 3, 5))
    if delay is not None:
        decision, applied, granted = delay
        row = services.delay_apply(
            actor=staff(tenant),
            project_id=project.pk,
            reason="等保测评排期",
            requested_date=D(2026, 12, 31),
            applied_date=applied,
        )
        if decision == "grant":
            services.delay_decide(
                actor=reviewer(tenant),
                project_id=project.pk,
                delay_id=row.pk,
                granted=True,
                granted_date=granted,
            )
    project.refresh_from_db()
    found = verdict(project, rule_id)
    assert found.citation["article"] == article
    if delay is not None and delay[0] == "pending":  # applied in time, undecided: waits for the decision
        assert (
            found.data.get("missing_facts") == ["acceptance_delay_new_due_date"]
            or found.data["due_date"] == expected_due
        )
        assert project.facts["acceptance_delay_applied_date"] == "2026-08-20"
        assert "acceptance_delay_new_due_date" not in project.facts
        return
    assert found.data["due_date"] == expected_due
    if delay is not None:
        assert found.data["extension"] == "granted"
        assert project.facts["acceptance_delay_new_due_date"] == expected_due.isoformat()


@pytest.mark.parametrize(("code", "article"), [("laizhou", "第二十三条"), ("ordos", "第二十一条")])
def test_delay_applied_after_the_deadline_is_refused(pack_tenant, code, article):
    tenant = pack_tenant(code)
    project = on_trial(tenant, code, completion=D(2026, 3, 1), start=D(2026, 3, 5))
    with pytest.raises(RuleViolation) as raised:
        services.delay_apply(
            actor=staff(tenant),
            project_id=project.pk,
            reason="晚了",
            requested_date=D(2026, 12, 31),
            applied_date=D(2026, 9, 2),
        )
    assert article in raised.value.message and "2026-09-01" in raised.value.message


def test_laizhou_delay_journey_accepted_within_the_granted_date(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = on_trial(tenant, "laizhou", completion=D(2026, 3, 1), start=D(2026, 3, 5))
    row = services.delay_apply(
        actor=staff(tenant),
        project_id=project.pk,
        reason="测评排期",
        requested_date=D(2026, 10, 31),
        applied_date=D(2026, 8, 25),
    )
    services.delay_decide(
        actor=reviewer(tenant),
        project_id=project.pk,
        delay_id=row.pk,
        granted=True,
        granted_date=D(2026, 10, 15),
    )
    services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 10, 1))
    project = accept(tenant, project, D(2026, 10, 10))
    assert project.phase == Phase.IN_OPERATION
    found = verdict(project, "laizhou.acceptance.deadline")
    assert found.outcome.value == "pass" and found.data["due_date"] == D(2026, 10, 15)


# ------------------------------------------------------------- 包头 第二十二条, 鄂尔多斯 第二十二条


@pytest.mark.parametrize(
    ("decision", "allowed"), [(None, False), (False, False), (True, True)], ids=["none", "failed", "passed"]
)
def test_baotou_art22_pre_acceptance_review(pack_tenant, decision, allowed):
    tenant = pack_tenant("baotou")
    project = on_trial(tenant, "baotou")
    if decision is not None:
        services.check_request(actor=staff(tenant), project_id=project.pk, kind="pre_acceptance")
        services.check_decide(
            actor=reviewer(tenant),
            project_id=project.pk,
            kind="pre_acceptance",
            passed=decision,
            decision_date=dt.date.today(),
            opinion="" if decision else "整改后再审",
        )
    if not allowed:
        with pytest.raises(RuleViolation) as raised:
            services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 9, 1))
        assert "第二十二条" in raised.value.message
        assert "baotou.acceptance.pre_review" in [v["rule_id"] for v in raised.value.extra["verdicts"]]
        return
    services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 9, 1))
    project.refresh_from_db()
    assert project.phase == Phase.IN_ACCEPTANCE and project.facts["pre_acceptance_passed"] is True


@pytest.mark.parametrize(
    ("archived", "allowed"), [(False, False), (True, True)], ids=["no-archive", "archive-passed"]
)
def test_ordos_art22_archive_acceptance_before_acceptance(pack_tenant, archived, allowed):
    tenant = pack_tenant("ordos")
    project = on_trial(tenant, "ordos")
    services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 8, 1))
    if archived:
        services.check_request(actor=staff(tenant), project_id=project.pk, kind="archive")
        services.check_decide(
            actor=reviewer(tenant),
            project_id=project.pk,
            kind="archive",
            passed=True,
            decision_date=dt.date.today(),
        )
    if not allowed:
        with pytest.raises(RuleViolation) as raised:
            accept(tenant, project, D(2026, 8, 20))
        assert "第二十二条" in raised.value.message
        project.refresh_from_db()
        assert project.phase == Phase.IN_ACCEPTANCE
        return
    project = accept(tenant, project, D(2026, 8, 20))
    assert project.phase == Phase.IN_OPERATION
    # 鄂尔多斯 第二十三条: the asset registration is due after acceptance
    after = acceptance_overview(staff(tenant), project)["after"]
    assert any(
        r["rule_id"] == "ordos.acceptance.asset_registration" and r["article"] == "第二十三条" for r in after
    )


@pytest.mark.parametrize("code", ["hongshan", "laizhou", "nanchong"])
def test_checks_shown_only_where_the_pack_has_the_rule(pack_tenant, code):
    tenant = pack_tenant(code)
    project = on_trial(tenant, code)
    assert acceptance_overview(staff(tenant), project)["checks"] == []


# ---------------------------------------------------------------------------- 莱州 第十五条


@pytest.mark.parametrize(("amount", "applies"), [("500.00", True), ("499.99", False), ("860.00", True)])
def test_laizhou_art15_standard_within_a_year_from_500(pack_tenant, amount, applies):
    tenant = pack_tenant("laizhou")
    project = on_trial(tenant, "laizhou", amount=amount, completion=D(2026, 3, 1), start=D(2026, 3, 5))
    services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 8, 1))
    project = accept(tenant, project, D(2026, 8, 20))
    found = verdict(project, "laizhou.acceptance.standard_publication")
    assert found.citation["article"] == "第十五条"
    if not applies:
        assert found.outcome.value == "not_applicable"
        assert acceptance_overview(staff(tenant), project)["may"]["record_standard"] is False
        return
    assert found.outcome.value == "required" and found.data["due_date"] == D(2027, 8, 20)
    services.standard_record(
        actor=staff(tenant),
        project_id=project.pk,
        published_date=D(2026, 11, 1),
        name="应急指挥调度平台数据规范",
    )
    project.refresh_from_db()
    assert project.facts["standard_published_date"] == "2026-11-01"
    assert verdict(project, "laizhou.acceptance.standard_publication").outcome.value == "pass"


# ---------------------------------------------------------------------------- free O&M period


@pytest.mark.parametrize(
    ("code", "years", "rule_id", "outcome", "end"),
    [
        (
            "hongshan",
            2,
            "hongshan.construction.free_om_period",
            "pass",
            D(2028, 8, 20),
        ),  # 第二十四条 ≥ 1 year
        ("hongshan", 1, "hongshan.construction.free_om_period", "pass", D(2027, 8, 20)),
        ("laizhou", 2, "laizhou.om_funding.free_period", "fail", D(2028, 8, 20)),  # 第二十九条 governance ≥ 3
        ("laizhou", 3, "laizhou.om_funding.free_period", "pass", D(2029, 8, 20)),
    ],
)
def test_free_om_period_ends_from_acceptance(pack_tenant, code, years, rule_id, outcome, end):
    tenant = pack_tenant(code)
    project = on_trial(tenant, code, free_om_years=years, completion=D(2026, 3, 1), start=D(2026, 3, 5))
    if code == "hongshan":
        services.trial_run_stable(actor=staff(tenant), project_id=project.pk, stable_date=D(2026, 4, 1))
    services.acceptance_apply(actor=staff(tenant), project_id=project.pk, applied_date=D(2026, 8, 1))
    project = accept(tenant, project, D(2026, 8, 20))
    assert project.facts["free_om_end_date"] == end.isoformat()
    overview = acceptance_overview(staff(tenant), project)
    assert overview["passed"].free_om_end_date == end
    row = next(v for v in overview["free_om"] if v["rule_id"] == rule_id)
    assert row["outcome"] == outcome
