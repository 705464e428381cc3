"""The construction pages: what they say, who may use them, and that a page does what the service does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jurisdictions.models import Role
from projects.construction.models import (
    IncidentReport,
    ProcurementRecord,
    ProgressReport,
    SupervisionContract,
)
from projects.construction.rules import report_requirement
from tests.projects.construction.conftest import approved, reviewer, staff

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"x" * 64 + b"\n%%EOF\n"
TODAY = timezone.localdate()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_project_page_shows_supervision_blocking_construction(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600")
    page = browser(staff(tenant)).get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="construction"' in page
    assert "supervision-missing" in page and "第二十三条" in page
    assert "500万元及以上项目须委托工程监理单位后方可开工" in page  # under 下一步需要


def test_laizhou_below_500_the_page_says_the_unit_bears_it(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "300")
    page = (
        browser(staff(tenant))
        .get(reverse("projects:construction-overview", args=[project.pk]))
        .content.decode()
    )
    assert "supervision-optional" in page and "建设单位承担" in page


def test_staff_record_supervision_and_procurement_on_pages(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600")
    client = browser(staff(tenant))
    url = reverse("projects:construction-supervision", args=[project.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"company": "", "contract_number": "JL-1", "contract_date": TODAY.isoformat()})
    assert bad.status_code == 400
    done = client.post(
        url,
        {
            "company": "信诚监理",
            "contract_number": "JL-1",
            "contract_date": TODAY.isoformat(),
            "file": SimpleUploadedFile("监理合同.pdf", PDF),
        },
    )
    assert done.status_code == 302
    contract = SupervisionContract.objects.get(project=project)
    assert contract.file_name == "监理合同.pdf"
    download = client.get(reverse("projects:construction-supervision-file", args=[project.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    done = client.post(
        reverse("projects:construction-procurement", args=[project.pk]),
        {
            "started_on": (TODAY - dt.timedelta(days=9)).isoformat(),
            "method": "public_tender",
            "supplier": "数智科技",
            "contract_number": "HT-9",
            "contract_date": TODAY.isoformat(),
            "contract_amount_wan": "1234567.89",
            "ip_terms_stated": "on",
        },
    )
    assert done.status_code == 302
    assert ProcurementRecord.objects.get(project=project).ip_terms_stated
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "supervision-engaged" in page and "1,234,567.89" in page


def test_a_reviewer_cannot_record_the_departments_contract(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "600")
    client = browser(reviewer(tenant))
    url = reverse("projects:construction-supervision", args=[project.pk])
    assert "warning" in client.get(url).content.decode()
    refused = client.post(url, {"company": "x", "contract_number": "1", "contract_date": TODAY.isoformat()})
    assert refused.status_code == 403
    assert not SupervisionContract.objects.filter(project=project).exists()


def test_another_jurisdiction_gets_404(pack_tenant):
    tenant = pack_tenant("laizhou")
    other = pack_tenant("ordos")
    project = approved(tenant, "laizhou", "600")
    client = browser(other.users[Role.REVIEWER])
    assert client.get(reverse("projects:construction-overview", args=[project.pk])).status_code == 404


def test_report_and_incident_through_pages(pack_tenant):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "400", phase="in_construction")
    client = browser(staff(tenant))
    form = client.get(reverse("projects:construction-report-new", args=[project.pk])).content.decode()
    codes = report_requirement(project).codes
    for code in codes:
        assert f'name="file_{code}"' in form
    data = {"year": TODAY.year, "progress": "完成需求分析", "investment": "已支付30%"}
    missing = client.post(reverse("projects:construction-report-new", args=[project.pk]), data)
    assert missing.status_code == 400 and "第二十四条" in missing.content.decode()
    files = {f"file_{code}": SimpleUploadedFile(f"{code}.pdf", PDF) for code in codes}
    done = client.post(reverse("projects:construction-report-new", args=[project.pk]), {**data, **files})
    assert done.status_code == 302
    report = ProgressReport.objects.get(project=project, year=TODAY.year)
    page = client.get(reverse("projects:construction-report", args=[project.pk, TODAY.year])).content.decode()
    assert "完成需求分析" in page
    assert report.on_time
    # an incident: the written report is the measure's document (莱州 第三十二条)
    done = client.post(
        reverse("projects:construction-incident-new", args=[project.pk]),
        {
            "kind": "major_loss",
            "happened": "服务器机房进水",
            "impact": "设备损失",
            "measures": "更换设备",
            "confirm": "on",
            "file": SimpleUploadedFile("重大损失报告.pdf", PDF),
        },
    )
    assert done.status_code == 302
    incident = IncidentReport.objects.get(project=project)
    approver = browser(reviewer(tenant))
    detail = approver.get(
        reverse("projects:construction-incident", args=[project.pk, incident.pk])
    ).content.decode()
    assert "服务器机房进水" in detail and "incident-actions" in detail
    no_reason = approver.post(
        reverse("projects:construction-incident-suspend", args=[project.pk, incident.pk]), {"confirm": "on"}
    )
    assert no_reason.status_code == 400
    ordered = approver.post(
        reverse("projects:construction-incident-rectify", args=[project.pk, incident.pk]),
        {"due_date": (TODAY + dt.timedelta(days=14)).isoformat(), "reason": "补充备份"},
    )
    assert ordered.status_code == 302
    wrong = client.post(
        reverse("projects:construction-incident-confirm", args=[project.pk, incident.pk]), {"confirm": "on"}
    )
    assert wrong.status_code == 403
    inbox = approver.get(reverse("projects:inbox")).content.decode()
    assert "服务器机房进水" not in inbox  # ordered: no longer waiting on the approver


def test_overview_queries_do_not_grow_with_records(pack_tenant, django_assert_max_num_queries):
    tenant = pack_tenant("laizhou")
    project = approved(tenant, "laizhou", "400", phase="in_construction")
    for index in range(3):
        IncidentReport.objects.create(
            project=project,
            kind="serious_delay",
            happened=f"逾期{index}",
            impact="影响",
            measures="措施",
            reported_on=TODAY,
            reported_by=staff(tenant),
        )
    client = browser(staff(tenant))
    url = reverse("projects:construction-overview", args=[project.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200
