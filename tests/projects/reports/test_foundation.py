"""Reports (issue 12 §2): requested, built by the task with progress, downloaded, retried — through a
kind registered here, so the machinery is tested apart from any one document."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govproj.errors import InvalidTransition, NotFound, ValidationFailed
from jurisdictions.models import Role
from projects.models import AuditEvent
from projects.notifications.models import Notification
from projects.reports.models import Report, ReportStatus
from projects.reports.services import report_request, report_retry
from tests.conftest import client_for, make_project
from tests.projects.reports.helpers import registered_probe, text_of

pytestmark = pytest.mark.django_db
FAILS = {"times": 0}


def _context(report, progress):
    progress(30, "一半")
    if FAILS["times"]:
        FAILS["times"] -= 1
        raise RuntimeError("磁盘已满")
    return {}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The build is queued on commit: `with committed():` runs the callbacks as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def probe():
    with registered_probe("probe", "测试报告", _context) as kind:
        yield kind
    FAILS["times"] = 0


def test_a_requested_report_is_built_with_its_header_and_pinned_pack(alpha, probe, committed):
    project = make_project(alpha, title="智慧城管平台")
    reviewer = alpha.users[Role.REVIEWER]
    with committed():
        report = report_request(actor=reviewer, kind="probe", project_id=project.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.rule_pack_id == project.rule_pack_id
    assert report.size == report.file.size and len(report.sha256) == 64
    text = text_of(report)
    assert "智慧城管平台 · 测试报告" in text
    assert report.document_number in text.replace("\n", "")
    assert "第 1 页 / 共 1 页" in text
    event = AuditEvent.objects.get(project=project, action="report_requested")
    assert event.changes["report"] == report.pk and event.rule_pack_id == project.rule_pack_id
    notice = Notification.objects.get(recipient=reviewer, kind="report")
    assert notice.title == "报告已生成：智慧城管平台 · 测试报告" and notice.url == f"/reports/{report.pk}/"


def test_the_project_page_loads_what_can_be_printed(alpha, probe, committed):
    project = make_project(alpha, title="智慧城管平台")
    page = Client()
    page.force_login(alpha.users[Role.REVIEWER])
    detail = page.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:report-offers", args=[project.pk]) in detail
    offers = page.get(reverse("projects:report-offers", args=[project.pk]), HTTP_HX_REQUEST="true")
    shown = offers.content.decode()
    assert "测试报告" in shown and "打印：智慧城管平台（全文）" in shown and "<html" not in shown
    with committed():
        response = page.post(
            reverse("projects:report-request", args=[project.pk]),
            {"kind": "probe", "subject": f"project:{project.pk}"},
        )
    report = Report.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    shown = page.get(response["Location"]).content.decode()
    assert 'data-status="done"' in shown and "下载" in shown and "测试报告" in shown
    refused = page.post(
        reverse("projects:report-request", args=[project.pk]), {"kind": "probe", "subject": "x"}
    )
    assert refused.status_code == 302 and refused["Location"].endswith("#reports")


def test_failure_is_kept_with_its_reason_and_a_retry_builds_it(alpha, probe, committed):
    project = make_project(alpha)
    staff = alpha.users[Role.DEPARTMENT_STAFF]
    FAILS["times"] = 1
    with committed():
        report = report_request(actor=staff, kind="probe", project_id=project.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "磁盘已满" in report.error and not report.file
    page = Client()
    page.force_login(staff)
    shown = page.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "磁盘已满" in shown and "重试" in shown
    with committed():
        response = page.post(reverse("reports:retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE and report.attempts == 2
    with pytest.raises(InvalidTransition):
        report_retry(actor=staff, report_id=report.pk)


def test_bad_requests_get_clear_errors(alpha, beta, probe, committed):
    project = make_project(alpha)
    with pytest.raises(ValidationFailed):
        report_request(actor=alpha.users[Role.REVIEWER], kind="nonsense", project_id=project.pk)
    with pytest.raises(InvalidTransition) as refused:
        report_request(
            actor=alpha.users[Role.REVIEWER], kind="probe", project_id=project.pk, subject="stage:1"
        )
    assert refused.value.extra["allowed"] == [f"project:{project.pk}"]
    with pytest.raises(NotFound):
        report_request(actor=beta.users[Role.REVIEWER], kind="probe", project_id=project.pk)


def test_download_is_permission_checked(alpha, beta, probe, committed):
    project = make_project(alpha)
    with committed():
        report = report_request(actor=alpha.users[Role.REVIEWER], kind="probe", project_id=project.pk)
    own = Client()
    own.force_login(alpha.users[Role.DEPARTMENT_STAFF])
    response = own.get(reverse("reports:download", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = Client()
    other.force_login(beta.users[Role.REVIEWER])
    assert other.get(reverse("reports:download", args=[report.pk])).status_code == 404
    assert client_for(beta.users[Role.REVIEWER]).get(f"/api/v1/reports/{report.pk}/file/").status_code == 404
    api = client_for(alpha.users[Role.AUDITOR]).get(f"/api/v1/reports/{report.pk}/")
    assert api.status_code == 200 and api.json()["status"] == "done"


def test_the_api_requests_and_joins_and_lists(alpha, probe, committed):
    project = make_project(alpha)
    api = client_for(alpha.users[Role.REVIEWER])
    printable = api.get(f"/api/v1/projects/{project.pk}/reports/printable/").json()
    assert any(entry["kind"] == "probe" for entry in printable)
    with committed():
        created = api.post("/api/v1/reports/", {"kind": "probe", "project": project.pk}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "queued" and created.json()["download"] is None  # built after commit
    done = api.get(f"/api/v1/reports/{created.json()['id']}/").json()
    assert done["status"] == "done" and done["download"] == f"/api/v1/reports/{done['id']}/file/"
    listed = api.get("/api/v1/reports/", {"project": project.pk}).json()
    assert [row["id"] for row in listed] == [created.json()["id"]]
    assert api.post("/api/v1/reports/", {"kind": "x"}, format="json").status_code == 400
    assert api.post(f"/api/v1/reports/{created.json()['id']}/retry/").status_code == 409
