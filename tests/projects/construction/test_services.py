"""The construction records against the five measures' own packs: each rule they feed, by article."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govproj.errors import (
    InvalidTransition,
    MissingDocuments,
    NotFound,
    NotPermitted,
    RuleViolation,
    ValidationFailed,
)
from jurisdictions.models import Role
from projects import services as project_services
from projects.construction import services
from projects.construction.models import IncidentStatus, ProgressReport
from projects.construction.rules import report_requirement
from projects.construction.selectors import supervision_status
from projects.construction.services import progress_report_date
from projects.documents.services import document_upload
from projects.models import Project
from projects.selectors import project_facts, project_verdicts
from tests.conftest import make_project
from tests.projects.construction.conftest import approved, reviewer, staff

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 64 + b"\n%%EOF\n"
TODAY = timezone.localdate()


def pdf(name="报告.pdf"):
    return SimpleUploadedFile(name, PDF)


def supervise(tenant, project, **overrides):
    values = {
        "company": "信诚监理",
        "contract_number": "JL-001",
        "contract_date": TODAY - dt.timedelta(days=3),
    }
    values.update(overrides)
    row = services.supervision_record(actor=staff(tenant), project_id=project.pk, **values)
    project.refresh_from_db()
    return row


def supervision_blocks(project) -> list[dict]:
    """The verdicts that hold `start_construction` for want of a supervisor, with their articles."""
    _pack, verdicts = project_verdicts(project, transition="start_construction")
    return [
        {"rule_id": v.rule_id, "article": v.citation["article"]}
        for v in verdicts
        if v.blocks_transition("start_construction") and "supervisor_engaged" in v.rule_id
    ]


# ---------------------------------------------------------------------------- supervision, per measure

# (pack, investment, imported facts, required?, article): 包头 第十九条 from 200万 total, 鄂尔多斯 第十六条
# from an approved estimate of 200万, 莱州 第二十三条 from 500万, 南充 第二十四条 whatever the amount.
SUPERVISION = [
    ("baotou", "199.99", {}, False, "第十九条"),
    ("baotou", "200", {}, True, "第十九条"),
    ("ordos", "300", {"approved_estimate_wan": "199.99"}, False, "第十六条"),
    ("ordos", "150", {"approved_estimate_wan": "200"}, True, "第十六条"),
    ("laizhou", "499", {}, False, "第二十三条"),
    ("laizhou", "500", {}, True, "第二十三条"),
    ("nanchong", "10", {}, True, "第二十四条"),
    ("nanchong", "5000", {}, True, "第二十四条"),
]


@pytest.mark.parametrize(("code", "amount", "facts", "required", "article"), SUPERVISION)
def test_supervision_holds_construction_where_the_measure_requires_it(
    pack_tenant, code, amount, facts, required, article
):
    tenant = pack_tenant(code)
    project = approved(tenant, code, amount, **facts)
    blocks = supervision_blocks(project)
    if not required:
        assert blocks == []
        return
    assert [b["article"] for b in blocks] == [article]
    with pytest.raises(RuleViolation) as refused:
        project_services.transition_project(
            actor=staff(tenant), project_id=project.pk, name="start_construction"
        )
    assert article in refused.value.message
    supervise(tenant, project)
    project.refresh_from_db()
    assert project_facts(project)["supervisor_engaged"] is True
    assert supervision_blocks(project) == []


@pytest.mark.parametrize(("amount", "status"), [("499", "optional"), ("500", "required")])
def test_laizhou_below_500_supervision_is_optional_and_the_unit_bears_it(pack_tenant, amount, status):
    """莱州 第二十三条: 500万以下可视情况设置监理机构；不设置的，由建设单位承担责任."""
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", amount)
    _pack, verdicts = project_verdicts(project)
    said = supervision_status(project, verdicts, None)
    assert said["status"] == status
    assert {v["article"] for v in said["verdicts"]} == {"第二十三条"}
    if status == "optional":
        assert any("建设单位承担" in v["message"] for v in said["verdicts"])


def test_hongshan_supervision_is_a_reminder_that_blocks_nothing(pack_tenant):
    """红山 第十七条 asks the supervision system be followed, with no threshold: a reminder."""
    tenant = pack_tenant("hongshan")
    project = approved(tenant, "hongshan", "800")
    _pack, verdicts = project_verdicts(project)
    said = supervision_status(project, verdicts, None)
    assert said["status"] == "reminder" and {v["article"] for v in said["verdicts"]} == {"第十七条"}
    assert supervision_blocks(project) == []


def test_supervision_record_refusals(pack_tenant):
    tenant = pack_tenant("laizhou")
    other = pack_tenant("baotou")
    project = approved(tenant, "laizhou", "600")
    with pytest.raises(NotPermitted):  # a reviewer does not record the department's contract
        services.supervision_record(
            actor=reviewer(tenant),
            project_id=project.pk,
            company="x",
            contract_number="1",
            contract_date=TODAY,
        )
    with pytest.raises(NotFound):  # another jurisdiction's staff: not there at all
        services.supervision_record(
            actor=staff(other), project_id=project.pk, company="x", contract_number="1", contract_date=TODAY
        )
    with pytest.raises(ValidationFailed) as blank:
        supervise(tenant, project, company="  ")
    assert "company" in blank.value.extra["errors"]
    with pytest.raises(ValidationFailed) as future:
        supervise(tenant, project, contract_date=TODAY + dt.timedelta(days=1))
    assert "contract_date" in future.value.extra["errors"]
    draft = make_project(tenant, category="digital_infrastructure", total_investment_wan=Decimal("600"))
    with pytest.raises(InvalidTransition):  # before approval there is no construction to supervise
        supervise(tenant, draft)
    assert not Project.objects.get(pk=project.pk).facts.get("supervisor_engaged")


def test_a_correction_replaces_the_contract_and_says_so(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600")
    supervise(tenant, project)
    supervise(tenant, project, company="华信监理", contract_number="JL-002")
    project.refresh_from_db()
    assert project.supervision_contract.company == "华信监理"
    actions = list(project.events.filter(action__startswith="supervision").values_list("action", flat=True))
    assert actions == ["supervision_record", "supervision_correct"]


# ---------------------------------------------------------------------------- procurement and contract


def procure(tenant, project, **overrides):
    values = {
        "started_on": TODAY - dt.timedelta(days=20),
        "method": "public_tender",
        "supplier": "数智科技",
        "contract_number": "HT-001",
        "contract_date": TODAY - dt.timedelta(days=5),
        "contract_amount_wan": "580.50",
        "ip_terms_stated": True,
    }
    values.update(overrides)
    return services.procurement_record(actor=staff(tenant), project_id=project.pk, **values)


@pytest.mark.parametrize(
    ("stated", "contract", "outcome"),
    [(True, "HT-001", "pass"), (False, "HT-001", "fail"), (False, "", "fail")],
)
def test_laizhou_ip_terms_come_from_the_contract(pack_tenant, stated, contract, outcome):
    """莱州 第二十八条: the tender documents and the contract state who owns the technical results."""
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "300")
    _pack, verdicts = project_verdicts(project)
    assert next(v for v in verdicts if v.rule_id == "laizhou.construction.ip_terms").outcome.value == "fail"
    extra = {} if contract else {"contract_date": None, "contract_amount_wan": None, "supplier": ""}
    procure(tenant, project, ip_terms_stated=stated, contract_number=contract, **extra)
    project.refresh_from_db()
    facts = project_facts(project)
    assert facts["procurement_started"] is True
    assert facts["procurement_start_date"] == TODAY - dt.timedelta(days=20)
    _pack, verdicts = project_verdicts(project)
    verdict = next(v for v in verdicts if v.rule_id == "laizhou.construction.ip_terms")
    assert (verdict.outcome.value, verdict.citation["article"]) == (outcome, "第二十八条")


def test_procurement_started_closes_laizhou_own_adjustment(pack_tenant):
    """莱州 第十九条: the unit adjusts on its own only before procurement; the record says when it began."""
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "300")
    assert project_facts(project)["procurement_started"] is False
    procure(tenant, project)
    project.refresh_from_db()
    assert project_facts(project)["procurement_started"] is True


def test_procurement_refusals(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "300")
    with pytest.raises(NotPermitted):
        services.procurement_record(
            actor=reviewer(tenant), project_id=project.pk, started_on=TODAY, method="public_tender"
        )
    with pytest.raises(ValidationFailed) as method:
        procure(tenant, project, method="bribe")
    assert "method" in method.value.extra["errors"]
    with pytest.raises(ValidationFailed) as before:
        procure(tenant, project, contract_date=TODAY - dt.timedelta(days=30))
    assert "contract_date" in before.value.extra["errors"]
    with pytest.raises(ValidationFailed) as amount:
        procure(tenant, project, contract_amount_wan="-1")
    assert "contract_amount_wan" in amount.value.extra["errors"]


def test_free_om_years_of_the_contract_reach_the_fact(pack_tenant):
    """红山 第二十四条: the free O&M period agreed in the contract (at least 1 year)."""
    tenant = pack_tenant("hongshan")
    project = approved(tenant, "hongshan", "300")
    procure(tenant, project, free_om_years="3")
    project.refresh_from_db()
    assert project_facts(project)["free_om_years"] == Decimal("3")


# ---------------------------------------------------------------------------- yearly reports


def report_files(project) -> dict:
    return {code: pdf(f"{code}.pdf") for code in report_requirement(project).codes}


def submit_report(tenant, project, year, files=None):
    return services.progress_report_submit(
        actor=staff(tenant),
        project_id=project.pk,
        year=year,
        progress="主体功能开发完成70%",
        investment="已支付合同款的40%",
        files=report_files(project) if files is None else files,
    )


def test_progress_report_date_counts_only_reports_within_their_year():
    late = (2025, dt.date(2026, 1, 10))
    on_time = (2026, dt.date(2026, 11, 2))
    assert progress_report_date([late]) is None
    assert progress_report_date([late, on_time]) == dt.date(2026, 11, 2)
    assert progress_report_date([(2025, dt.date(2025, 12, 31)), late]) == dt.date(2025, 12, 31)


# (pack, deadline rule, article): each year by the year's end during construction.
REPORT_DEADLINES = [
    ("laizhou", "laizhou.construction.performance_report_due", "第二十四条"),
    ("ordos", "ordos.construction.performance_report_deadline", "第十七条"),
    ("nanchong", "nanchong.construction.monitoring_report_deadline", "第四十三条"),
    ("hongshan", "hongshan.evaluation.annual_self_report", "第三十条"),
]


@pytest.mark.parametrize(("code", "rule_id", "article"), REPORT_DEADLINES)
def test_last_years_late_report_does_not_count_for_this_year(pack_tenant, code, rule_id, article):
    tenant = pack_tenant(code)
    last_year = TODAY.year - 1
    project = approved(
        tenant, code, "600", phase="in_construction", on=dt.date(last_year, 3, 1)
    )  # last spring
    supervise(tenant, project)

    def deadline():
        project.refresh_from_db()
        _pack, verdicts = project_verdicts(project)
        verdict = next(v for v in verdicts if v.rule_id == rule_id)
        assert verdict.citation["article"] == article
        return verdict

    assert deadline().outcome.value == "fail"  # last year's report is owed
    late = submit_report(tenant, project, last_year)
    assert not late.on_time
    verdict = deadline()
    assert verdict.outcome.value == "fail", "a late report for last year stands for no year"
    assert "progress_report_date" not in project.facts
    submit_report(tenant, project, TODAY.year)
    verdict = deadline()
    assert verdict.outcome.value == "pass"
    assert verdict.data["done_on"] == TODAY


def test_one_report_per_project_and_year(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600", phase="in_construction")
    supervise(tenant, project)
    submit_report(tenant, project, TODAY.year)
    with pytest.raises(InvalidTransition):
        submit_report(tenant, project, TODAY.year)
    assert ProgressReport.objects.filter(project=project).count() == 1


def test_a_report_carries_the_measures_contents(pack_tenant):
    """莱州 第二十四条: progress, investment, the demand unit's and the supervisor's opinions."""
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600", phase="in_construction")
    supervise(tenant, project)
    codes = report_requirement(project).codes
    assert set(codes) >= {"performance_report", "perf_progress", "perf_investment", "supervisor_opinion"}
    files = report_files(project)
    files.pop("supervisor_opinion")
    with pytest.raises(MissingDocuments) as missing:
        submit_report(tenant, project, TODAY.year, files=files)
    assert "第二十四条" in missing.value.message
    assert [m["code"] for m in missing.value.extra["missing"]] == ["supervisor_opinion"]
    # uploaded this year already on the documents page: it counts
    document_upload(actor=staff(tenant), project_id=project.pk, code="supervisor_opinion", file=pdf())
    report = submit_report(tenant, project, TODAY.year, files=files)
    assert {d["code"] for d in report.documents} == set(codes)


@pytest.mark.parametrize(
    ("year", "phase"), [(TODAY.year + 1, "in_construction"), ("二〇二六", "in_construction")]
)
def test_report_refusals(pack_tenant, year, phase):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "300", phase=phase)
    with pytest.raises(ValidationFailed) as refused:
        submit_report(tenant, project, year)
    assert "year" in refused.value.extra["errors"]


def test_no_report_before_construction(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "300")
    with pytest.raises(InvalidTransition):
        submit_report(tenant, project, TODAY.year)
    with pytest.raises(NotPermitted):
        services.progress_report_submit(
            actor=reviewer(tenant), project_id=project.pk, year=TODAY.year, progress="x", investment="y"
        )


# ---------------------------------------------------------------------------- incidents


def report_incident(tenant, project, file=True, kind="serious_delay"):
    return services.incident_report(
        actor=staff(tenant),
        project_id=project.pk,
        kind=kind,
        happened="核心模块交付逾期4个月",
        impact="影响年度建设目标",
        measures="增派开发人员，调整里程碑",
        file=pdf("严重逾期情况报告.pdf") if file else None,
    )


# (pack, the document the measure's report is, article)
INCIDENT_DOCUMENTS = [
    ("hongshan", "serious_issue_report", "第二十一条"),
    ("nanchong", "delay_loss_report", "第二十八条"),
    ("laizhou", "serious_issue_report", "第三十二条"),
    ("ordos", "serious_issue_report", "第十八条"),
]


@pytest.mark.parametrize(("code", "document", "article"), INCIDENT_DOCUMENTS)
def test_an_incident_report_is_the_measures_report_to_the_approver(pack_tenant, code, document, article):
    tenant = pack_tenant(code)
    project = approved(tenant, code, "600", phase="in_construction")
    with pytest.raises(MissingDocuments) as missing:
        report_incident(tenant, project, file=False)
    assert article in missing.value.message
    incident = report_incident(tenant, project)
    assert incident.document.code == document
    project.refresh_from_db()
    facts = project_facts(project)
    assert facts["serious_delay_or_loss"] is True and document in facts["documents"]
    _pack, verdicts = project_verdicts(project)
    said = [v for v in verdicts if v.kind == "required_documents" and v.citation["article"] == article]
    assert said and all(v.outcome.value == "pass" for v in said)


def test_baotou_names_no_report_document_and_keeps_the_file_on_the_record(pack_tenant):
    tenant = pack_tenant("baotou")
    project = approved(tenant, "baotou", "300", phase="in_construction")
    incident = report_incident(tenant, project, file=False)
    assert incident.document is None and not incident.file
    with_file = report_incident(tenant, project)
    assert with_file.file and with_file.file_name == "严重逾期情况报告.pdf"


@pytest.mark.parametrize("code", ["baotou", "hongshan", "nanchong", "ordos"])
def test_rectification_due_then_done_lets_construction_resume(pack_tenant, code):
    """限期整改 blocks resuming until done: 包头 第二十五条, 红山 第三十七条, 南充 第四十五条,
    鄂尔多斯 第二十七条."""
    tenant = pack_tenant(code)
    project = approved(tenant, code, "600", phase="in_construction")
    incident = report_incident(tenant, project)
    services.incident_suspend(
        actor=reviewer(tenant), project_id=project.pk, incident_id=incident.pk, reason="暂停整顿"
    )
    project.refresh_from_db()
    assert project.phase == "suspended"
    due = TODAY + dt.timedelta(days=30)
    services.incident_order_rectification(
        actor=reviewer(tenant),
        project_id=project.pk,
        incident_id=incident.pk,
        due_date=due,
        reason="补充人员",
    )
    project.refresh_from_db()
    assert project_facts(project)["rectification_due_date"] == due
    _pack, verdicts = project_verdicts(project, transition="resume")
    held = [v for v in verdicts if v.blocks_transition("resume") and v.kind == "deadline"]
    assert held and held[0].data["due_date"] == due
    with pytest.raises(RuleViolation):
        project_services.transition_project(actor=reviewer(tenant), project_id=project.pk, name="resume")
    services.incident_report_rectified(
        actor=staff(tenant), project_id=project.pk, incident_id=incident.pk, summary="已增派人员"
    )
    services.incident_confirm_rectified(
        actor=reviewer(tenant), project_id=project.pk, incident_id=incident.pk
    )
    project.refresh_from_db()
    assert project_facts(project)["rectification_done_date"] == TODAY
    _pack, verdicts = project_verdicts(project, transition="resume")
    assert not [v for v in verdicts if v.blocks_transition("resume") and v.kind == "deadline"]


def test_laizhou_incident_to_rectification_and_resume(pack_tenant):
    """莱州 第三十二条: the report goes to the approver; resuming waits for the rectification confirmed."""
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600", phase="in_construction")
    incident = report_incident(tenant, project)
    assert incident.status == IncidentStatus.REPORTED
    services.incident_suspend(
        actor=reviewer(tenant), project_id=project.pk, incident_id=incident.pk, reason="暂停"
    )
    services.incident_order_rectification(
        actor=reviewer(tenant),
        project_id=project.pk,
        incident_id=incident.pk,
        due_date=TODAY + dt.timedelta(days=10),
        reason="整改",
    )
    with pytest.raises(RuleViolation) as held:
        project_services.transition_project(actor=reviewer(tenant), project_id=project.pk, name="resume")
    assert "第三十二条" in held.value.message
    services.incident_report_rectified(
        actor=staff(tenant), project_id=project.pk, incident_id=incident.pk, summary="完成"
    )
    services.incident_return_rectification(
        actor=reviewer(tenant), project_id=project.pk, incident_id=incident.pk, reason="测试报告未附"
    )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.RECTIFYING
    services.incident_report_rectified(
        actor=staff(tenant), project_id=project.pk, incident_id=incident.pk, summary="已附"
    )
    services.incident_confirm_rectified(
        actor=reviewer(tenant), project_id=project.pk, incident_id=incident.pk
    )
    project_services.transition_project(actor=reviewer(tenant), project_id=project.pk, name="resume")
    project.refresh_from_db()
    assert project.phase == "in_construction"
    actions = list(project.events.values_list("action", flat=True))
    for action in (
        "incident_report",
        "suspend",
        "incident_rectify",
        "incident_rectified",
        "incident_return",
        "incident_confirm",
        "resume",
    ):
        assert action in actions


def test_incident_refusals(pack_tenant):
    tenant = pack_tenant("laizhou")
    other = pack_tenant("ordos")
    project = approved(tenant, "laizhou", "600", phase="in_construction")
    incident = report_incident(tenant, project)
    common = {"project_id": project.pk, "incident_id": incident.pk}
    with pytest.raises(NotPermitted):  # the department does not decide on its own report
        services.incident_order_rectification(
            actor=staff(tenant), due_date=TODAY + dt.timedelta(days=5), reason="x", **common
        )
    with pytest.raises(NotFound):
        services.incident_order_rectification(
            actor=other.users[Role.REVIEWER], due_date=TODAY + dt.timedelta(days=5), reason="x", **common
        )
    with pytest.raises(ValidationFailed) as past:
        services.incident_order_rectification(actor=reviewer(tenant), due_date=TODAY, reason="x", **common)
    assert "due_date" in past.value.extra["errors"]
    with pytest.raises(ValidationFailed) as reason:
        services.incident_suspend(actor=reviewer(tenant), reason=" ", **common)
    assert "reason" in reason.value.extra["errors"]
    with pytest.raises(InvalidTransition) as state:
        services.incident_confirm_rectified(actor=reviewer(tenant), **common)
    assert state.value.extra["allowed"] == ["rectify", "suspend"]
    with pytest.raises(NotFound):
        services.incident_confirm_rectified(actor=reviewer(tenant), project_id=project.pk, incident_id="abc")
    with pytest.raises(ValidationFailed):
        services.incident_report(
            actor=staff(tenant), project_id=project.pk, kind="rumour", happened="x", impact="y", measures="z"
        )
    approved_only = approved(tenant, "laizhou", "600")
    with pytest.raises(InvalidTransition):
        report_incident(tenant, approved_only)


def test_suspension_needs_construction_under_way(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600", phase="in_construction")
    incident = report_incident(tenant, project)
    Project.objects.filter(pk=project.pk).update(phase="suspended")
    with pytest.raises(InvalidTransition):
        services.incident_suspend(
            actor=reviewer(tenant), project_id=project.pk, incident_id=incident.pk, reason="x"
        )
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED


def test_the_approver_sees_waiting_reports_in_the_inbox(pack_tenant):
    from approvals.inbox.registry import SOURCES

    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600", phase="in_construction")
    incident = report_incident(tenant, project)
    source = SOURCES["incident"]
    items = source.pending(reviewer(tenant))
    assert [(i.kind, i.key) for i in items] == [("incident", str(incident.pk))]
    assert source.count(reviewer(tenant)) == 1
    assert source.pending(staff(tenant)) == []
    services.incident_order_rectification(
        actor=reviewer(tenant),
        project_id=project.pk,
        incident_id=incident.pk,
        due_date=TODAY + dt.timedelta(days=5),
        reason="整改",
    )
    assert source.pending(reviewer(tenant)) == []
    assert [i.key for i in source.done(reviewer(tenant))] == [str(incident.pk)]
    services.incident_report_rectified(
        actor=staff(tenant), project_id=project.pk, incident_id=incident.pk, summary="完成"
    )
    assert [i.due for i in source.pending(reviewer(tenant))] == [TODAY + dt.timedelta(days=5)]
