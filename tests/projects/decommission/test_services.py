"""Decommissioning (莱州 第三十八条) on the real packs: the stop plan, data and asset disposal, the filings,
the master transition refused until everything is recorded; the zombie and replaceable flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from govproj.errors import InvalidTransition, NotFound, NotPermitted, RuleViolation, ValidationFailed
from jurisdictions.models import Role
from projects.decommission import services
from projects.decommission.models import Decommission
from projects.documents.services import document_upload
from projects.models import AuditEvent, Phase
from projects.selectors import project_verdicts
from tests.acceptance.evaluation.helpers import first_category, operating
from tests.conftest import make_project

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def _record_all(tenant, project, *, skip: str = ""):
    reviewer = tenant.users[Role.REVIEWER]
    staff = tenant.users[Role.DEPARTMENT_STAFF]
    services.decommission_plan(
        actor=staff,
        project_id=project.pk,
        reason="已由统建平台替代",
        planned_stop_on=YESTERDAY,
        successor="统建平台",
    )
    if skip != "data_disposal":
        services.data_disposal_record(
            actor=staff,
            project_id=project.pk,
            data_kind="业务数据",
            action="migrate",
            done_by="运维公司张工",
            done_on=YESTERDAY,
            verification="迁移后抽样核对1000条记录一致",
        )
    if skip != "asset_disposal":
        services.assets_disposal_record(
            actor=staff, project_id=project.pk, disposal="服务器2台按资产报废程序处置"
        )
    if skip != "data_bureau_filing":
        services.decommission_filing(
            actor=reviewer, project_id=project.pk, body="data_bureau", reference="备2026-01"
        )
    if skip != "finance_filing":
        services.decommission_filing(
            actor=tenant.users[Role.FINANCE_OFFICER],
            project_id=project.pk,
            body="finance",
            reference="财备2026-02",
        )


@pytest.mark.parametrize(
    "missing", ["data_disposal", "asset_disposal", "data_bureau_filing", "finance_filing"]
)
def test_decommission_refused_naming_what_is_missing(pack_tenant, missing):
    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    _record_all(tenant, project, skip=missing)
    with pytest.raises(RuleViolation) as refused:
        services.decommission_complete(actor=tenant.users[Role.REVIEWER], project_id=project.pk)
    owed = [gate["code"] for gate in refused.value.extra["owed"]]
    assert owed == [missing]
    project.refresh_from_db()
    assert project.phase == Phase.IN_OPERATION


def test_decommission_without_a_plan_is_refused(pack_tenant):
    tenant = pack_tenant("baotou")
    project = operating(tenant)
    with pytest.raises(RuleViolation) as refused:
        services.decommission_complete(actor=tenant.users[Role.REVIEWER], project_id=project.pk)
    assert next(g["code"] for g in refused.value.extra["owed"]) == "plan"
    with pytest.raises(InvalidTransition):  # no disposal before the plan
        services.assets_disposal_record(
            actor=tenant.users[Role.REVIEWER], project_id=project.pk, disposal="x"
        )


def test_decommission_when_everything_is_recorded(pack_tenant):
    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    _record_all(tenant, project)
    with pytest.raises(NotPermitted):  # the transition is the reviewer's or the admin's
        services.decommission_complete(actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk)
    services.decommission_complete(actor=tenant.users[Role.REVIEWER], project_id=project.pk, comment="停用")
    project.refresh_from_db()
    assert project.phase == Phase.DECOMMISSIONED
    assert Decommission.objects.get(project=project).status == "done"
    assert project.facts["is_zombie"] is True  # a stopped system: no O&M funds (红山 第三十五条（四）)
    actions = list(AuditEvent.objects.filter(project=project).values_list("action", flat=True))
    for action in (
        "decommission_plan",
        "data_disposal",
        "asset_disposal",
        "decommission_filing",
        "decommission",
    ):
        assert action in actions
    with pytest.raises(InvalidTransition):
        services.decommission_plan(
            actor=tenant.users[Role.REVIEWER], project_id=project.pk, reason="x", planned_stop_on=YESTERDAY
        )


def test_laizhou_article_38_documents(pack_tenant):
    """莱州 第三十八条: besides the records, the pack's documents (停用方案, 评估, 处置记录, 备案)."""
    tenant = pack_tenant("laizhou")
    staff, reviewer = tenant.users[Role.DEPARTMENT_STAFF], tenant.users[Role.REVIEWER]
    project = operating(tenant)
    _record_all(tenant, project)
    with pytest.raises(RuleViolation) as refused:
        services.decommission_complete(actor=reviewer, project_id=project.pk)
    assert "第三十八条" in str(refused.value.detail if hasattr(refused.value, "detail") else refused.value)
    for code in ("stop_plan", "data_asset_assessment", "data_disposal_record", "decommission_filing"):
        document_upload(
            actor=staff, project_id=project.pk, code=code, file=SimpleUploadedFile(f"{code}.pdf", PDF)
        )
    services.decommission_complete(actor=reviewer, project_id=project.pk)
    project.refresh_from_db()
    assert project.phase == Phase.DECOMMISSIONED


def test_gate_cites_laizhou_article(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = operating(tenant)
    from projects.gates import open_gates

    gates = open_gates(project, "decommission", project.rule_pack.spec)
    assert [g.code for g in gates][:1] == ["plan"]
    assert {g.citation.get("article") for g in gates} == {"第三十八条"}


def test_decommission_refusals(pack_tenant, beta):
    tenant = pack_tenant("nanchong")
    staff = tenant.users[Role.DEPARTMENT_STAFF]
    draft = make_project(tenant, category=first_category(tenant))
    with pytest.raises(InvalidTransition):
        services.decommission_plan(actor=staff, project_id=draft.pk, reason="x", planned_stop_on=YESTERDAY)
    project = operating(tenant)
    with pytest.raises(ValidationFailed):  # the reason is required
        services.decommission_plan(actor=staff, project_id=project.pk, reason=" ", planned_stop_on=YESTERDAY)
    with pytest.raises(NotPermitted):
        services.decommission_plan(
            actor=tenant.users[Role.AUDITOR], project_id=project.pk, reason="x", planned_stop_on=YESTERDAY
        )
    with pytest.raises(NotFound):
        services.decommission_plan(
            actor=beta.users[Role.REVIEWER], project_id=project.pk, reason="x", planned_stop_on=YESTERDAY
        )
    services.decommission_plan(actor=staff, project_id=project.pk, reason="x", planned_stop_on=YESTERDAY)
    with pytest.raises(ValidationFailed):  # who, when and how verified are required
        services.data_disposal_record(
            actor=staff,
            project_id=project.pk,
            data_kind="数据",
            action="destroy",
            done_by="",
            done_on=YESTERDAY,
            verification="x",
        )
    with pytest.raises(ValidationFailed):
        services.data_disposal_record(
            actor=staff,
            project_id=project.pk,
            data_kind="数据",
            action="burn",
            done_by="某",
            done_on=YESTERDAY,
            verification="x",
        )
    with pytest.raises(NotPermitted):  # staff do not acknowledge the data bureau's filing
        services.decommission_filing(actor=staff, project_id=project.pk, body="data_bureau", reference="x")


# 红山 第三十五条: stopped or zombie systems get no O&M funds; 南充 第八条: replaceable systems stop.
# (pack, category: the O&M-service projects 红山's O&M rules apply to, flag, rule, article, outcome)
FLAGS = [
    ("hongshan", "om_service", "zombie", "hongshan.om_funding.zombie_system", "第三十五条", "fail"),
    ("nanchong", None, "replaceable", "nanchong.decommission.replaceable_system", "第八条", "required"),
]


@pytest.mark.parametrize(("code", "category", "flag", "rule_id", "article", "outcome"), FLAGS)
def test_flags_feed_the_rules(pack_tenant, code, category, flag, rule_id, article, outcome):
    tenant = pack_tenant(code)
    reviewer = tenant.users[Role.REVIEWER]
    project = operating(tenant, category=category or first_category(tenant))
    with pytest.raises(NotPermitted):
        services.system_flag(
            actor=tenant.users[Role.DEPARTMENT_STAFF], project_id=project.pk, flag=flag, on=True, reason="x"
        )
    with pytest.raises(ValidationFailed):  # a reason is required
        services.system_flag(actor=reviewer, project_id=project.pk, flag=flag, on=True, reason="")
    services.system_flag(actor=reviewer, project_id=project.pk, flag=flag, on=True, reason="一年无登录")
    project.refresh_from_db()
    verdict = next(v for v in project_verdicts(project)[1] if v.rule_id == rule_id)
    assert verdict.citation["article"] == article
    assert verdict.outcome.value == outcome
    with pytest.raises(InvalidTransition):
        services.system_flag(actor=reviewer, project_id=project.pk, flag=flag, on=True, reason="again")
    services.system_flag(actor=reviewer, project_id=project.pk, flag=flag, on=False, reason="已恢复使用")
    project.refresh_from_db()
    verdict = next(v for v in project_verdicts(project)[1] if v.rule_id == rule_id)
    assert verdict.outcome.value != outcome
    assert AuditEvent.objects.filter(project=project, action="system_flag").count() == 2


def test_inbox_source(pack_tenant):
    from approvals.inbox.registry import SOURCES

    tenant = pack_tenant("hongshan")
    project = operating(tenant)
    reviewer, finance = tenant.users[Role.REVIEWER], tenant.users[Role.FINANCE_OFFICER]
    source = SOURCES["decommission"]
    assert source.pending(reviewer) == []
    services.decommission_plan(
        actor=tenant.users[Role.DEPARTMENT_STAFF],
        project_id=project.pk,
        reason="x",
        planned_stop_on=YESTERDAY,
    )
    assert [i.key.split(":")[0] for i in source.pending(reviewer)] == ["data_bureau"]
    assert [i.key.split(":")[0] for i in source.pending(finance)] == ["finance"]
    _record_all(tenant, project)  # amends the plan and records the rest
    assert [i.key.split(":")[0] for i in source.pending(reviewer)] == ["complete"]
    assert source.pending(finance) == []
