"""The project dossier (issue 12 §3): one ZIP of every document version, attachment, report and the
audit trail, with a manifest whose sizes and SHA-256 the members match, and `sha256sum -c` lines."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.base import ContentFile

from govproj.errors import NotFound, NotPermitted
from jurisdictions.models import Role
from projects import services
from projects.construction.models import SupervisionContract
from projects.documents import services as documents
from projects.reports import kinds
from projects.reports.documents import dossier
from projects.reports.kinds import ReportKind, Subject
from projects.reports.models import Report, ReportStatus
from projects.reports.selectors import printable
from projects.reports.services import report_request
from security.selectors import person_name
from tests.conftest import make_project
from tests.projects.documents import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def probe():
    kind = ReportKind(
        code="dossier_probe",
        label="测试报告",
        scope="project",
        subjects=lambda user, project: [Subject(f"project:{project.pk}", "全文")],
        template="reports/pdf/base.html",
        context=lambda report, progress: {},
    )
    kinds.register(kind)
    yield kind
    kinds.KINDS.pop(kind.code)


def upload(tenant, project, code, content, name):
    return documents.document_upload(
        actor=tenant.users[Role.DEPARTMENT_STAFF],
        project_id=project.pk,
        code=code,
        file=files.upload(name, content),
    )


def pdf(body: bytes) -> bytes:
    return b"%PDF-1.4\n" + body + b"\n%%EOF\n"


def archive_of(report: Report) -> zipfile.ZipFile:
    with report.file.open("rb") as stream:
        return zipfile.ZipFile(io.BytesIO(stream.read()))


@pytest.fixture
def filed(alpha, probe, committed):
    """A declared project: 建议书 in two versions, the 可研 rejected, a supervision contract, a report."""
    project = make_project(alpha, title="智慧城管平台", facts={})
    upload(alpha, project, "proposal", pdf(b"first"), "项目建议书.pdf")
    upload(alpha, project, "fsr", files.DOCX, "可研报告.docx")
    upload(alpha, project, "proposal", pdf(b"second draft"), "项目建议书.pdf")
    services.transition_project(
        actor=alpha.users[Role.DEPARTMENT_STAFF],
        project_id=project.pk,
        name="declare",
        as_of=dt.date(2026, 3, 2),
    )
    fsr = project.documents.get(code="fsr")
    documents.document_reject(
        actor=alpha.users[Role.REVIEWER], project_id=project.pk, document_id=fsr.pk, reason="缺少投资估算"
    )
    contract = SupervisionContract(
        project=project,
        company="某监理公司",
        contract_number="JL-2026-01",
        contract_date=dt.date(2026, 3, 5),
        recorded_by=alpha.users[Role.DEPARTMENT_STAFF],
        file_name="../../监理合同.pdf",
    )
    contract.file.save("contract.pdf", ContentFile(pdf(b"contract")), save=False)
    contract.save()
    with committed():
        printed = report_request(
            actor=alpha.users[Role.REVIEWER], kind="dossier_probe", project_id=project.pk
        )
    printed.refresh_from_db()
    assert printed.status == ReportStatus.DONE
    project.refresh_from_db()
    project.printed = printed
    return project


def test_the_dossier_holds_every_file_with_matching_digests(alpha, filed, committed):
    auditor = alpha.users[Role.AUDITOR]
    with committed():
        report = report_request(actor=auditor, kind="dossier", project_id=filed.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    assert report.subject_label == "完整档案" and report.title == "智慧城管平台 · 项目档案"
    assert report.file_name == "智慧城管平台 · 项目档案.zip" and report.file.name.endswith(".zip")
    archive = archive_of(report)
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))

    assert manifest["project"]["code"] == filed.code and manifest["project"]["title"] == "智慧城管平台"
    assert manifest["project"]["jurisdiction"]["name"] == alpha.jurisdiction.name_zh
    assert manifest["project"]["department"] == alpha.department.name_zh
    assert manifest["rule_pack"]["version"] == filed.rule_pack.version
    assert manifest["requested_by"] == person_name(auditor)
    assert manifest["missing"] == []
    for entry in manifest["files"]:
        data = archive.read(entry["path"])
        assert len(data) == entry["size"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]

    by_path = {entry["path"]: entry for entry in manifest["files"]}
    first, second = (
        by_path["documents/proposal/v1_项目建议书.pdf"],
        by_path["documents/proposal/v2_项目建议书.pdf"],
    )
    assert archive.read(first["path"]) == pdf(b"first") and archive.read(second["path"]) == pdf(
        b"second draft"
    )
    assert (first["current"], second["current"]) == (False, True)
    assert first["document_name"] == "项目建议书" and first["matches_record"] is True
    fsr = by_path["documents/fsr/v1_可研报告.docx"]
    assert fsr["rejected"] is True and fsr["rejection_reason"] == "缺少投资估算"
    assert not second["rejected"]
    # an attachment whose given name tried to climb out of its folder lands inside it
    (contract,) = [e for e in manifest["files"] if e["source"] == "attachment"]
    assert re.fullmatch(r"attachments/supervision_contract_\d+/监理合同\.pdf", contract["path"])
    assert all(".." not in name.split("/") and not name.startswith("/") for name in names)
    (printed,) = [e for e in manifest["files"] if e["source"] == "report"]
    assert (
        printed["path"] == f"reports/{filed.printed.file_name}" and printed["sha256"] == filed.printed.sha256
    )
    assert {"audit/events.csv", "audit/events.json", "audit/verdicts.json"} <= set(by_path)
    # already compressed files are stored, text deflated
    assert archive.getinfo(first["path"]).compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("audit/events.csv").compress_type == zipfile.ZIP_DEFLATED

    checked = {}
    for line in archive.read("MANIFEST.sha256").decode("utf-8").splitlines():
        digest, path = re.fullmatch(r"([0-9a-f]{64})  (.+)", line).groups()
        assert hashlib.sha256(archive.read(path)).hexdigest() == digest, path
        checked[path] = digest
    assert set(checked) == set(by_path) | {"manifest.json"}
    assert names == set(checked) | {"MANIFEST.sha256"}


def test_the_audit_trail_reads_in_chinese_with_its_chain_and_verdicts(alpha, filed, committed):
    with committed():
        report = report_request(
            actor=alpha.users[Role.JURISDICTION_ADMIN], kind="dossier", project_id=filed.pk
        )
    report.refresh_from_db()
    archive = archive_of(report)
    raw = archive.read("audit/events.csv")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["事件编号", "时间", "操作人", "操作"]
    actions = [row[3] for row in rows[1:]]
    assert "创建" in actions and "上传材料" in actions and "申报" in actions and "申请生成报告" in actions
    declared = next(row for row in rows[1:] if row[3] == "申报")
    assert (declared[4], declared[5]) == ("草稿", "已申报")  # the phases' labels, not their codes
    assert declared[2] == person_name(alpha.users[Role.DEPARTMENT_STAFF])
    assert not re.search(
        r"\b(draft|declared|document_upload)\b", "".join([*actions, declared[4], declared[5]])
    )
    events = json.loads(archive.read("audit/events.json"))
    assert len(events) == len(rows) - 1
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert all(len(e["hash"]) == 64 for e in events)
    assert all(later["prev_hash"] == earlier["hash"] for earlier, later in itertools.pairwise(events))
    verdicts = json.loads(archive.read("audit/verdicts.json"))
    declare = next(v for v in verdicts if v["action"] == "declare")
    assert declare["rule_pack_version"] == filed.rule_pack.version and declare["verdicts"]
    assert all(v["verdicts"] for v in verdicts)


def test_a_done_dossier_is_not_packed_into_the_next(alpha, filed, committed):
    auditor = alpha.users[Role.AUDITOR]
    with committed():
        report_request(actor=auditor, kind="dossier", project_id=filed.pk)
    with committed():
        again = report_request(actor=auditor, kind="dossier", project_id=filed.pk)
    again.refresh_from_db()
    manifest = json.loads(archive_of(again).read("manifest.json"))
    assert [e["kind"] for e in manifest["files"] if e["source"] == "report"] == ["dossier_probe"]


def test_only_auditors_reviewers_and_the_admin_may_take_it(alpha, beta):
    project = make_project(alpha)
    with pytest.raises(NotPermitted):
        report_request(actor=alpha.users[Role.DEPARTMENT_STAFF], kind="dossier", project_id=project.pk)
    with pytest.raises(NotFound):
        report_request(actor=beta.users[Role.AUDITOR], kind="dossier", project_id=project.pk)
    offered = [kind.code for kind, _subjects in printable(alpha.users[Role.DEPARTMENT_STAFF], project)]
    assert "dossier" not in offered
    offered = {kind.code: subjects for kind, subjects in printable(alpha.users[Role.AUDITOR], project)}
    assert [subject.label for subject in offered["dossier"]] == ["完整档案"]


def test_safe_names_keep_chinese_and_stay_inside():
    assert dossier.safe_name("../../etc/passwd") == "passwd"
    assert dossier.safe_name("/绝对/路径/批复.pdf") == "批复.pdf"
    assert dossier.safe_name("..") == "file"
    assert dossier.safe_name("a\\b\\..\\评审意见.docx") == "评审意见.docx"
    assert dossier.safe_name("坏\x00名\n字.pdf") == "坏_名_字.pdf"
    long = dossier.safe_name("长" * 300 + ".pdf")
    assert len(long) == dossier.NAME_MAX and long.endswith(".pdf")


def test_the_builder_streams_instead_of_reading_files_whole(alpha, tmp_path):
    """A 5 MB document goes through in 1 MiB chunks: the build's peak allocation stays well below it."""
    project = make_project(alpha, facts={})
    big = pdf(os.urandom(5 * 1024 * 1024))
    upload(alpha, project, "proposal", big, "大文件.pdf")
    report = report_request(
        actor=alpha.users[Role.AUDITOR], kind="dossier", project_id=project.pk
    )  # not built
    seen = []
    tracemalloc.start()
    try:
        built = dossier.build(report, lambda percent, step="": seen.append(percent), tmp_path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    print(f"dossier build peak: {peak / 1e6:.2f} MB")
    with zipfile.ZipFile(built.path) as archive:
        (name,) = [n for n in archive.namelist() if n.startswith("documents/")]
        assert hashlib.sha256(archive.read(name)).hexdigest() == hashlib.sha256(big).hexdigest()
    assert seen == sorted(seen) and seen[-1] >= 90 and len(set(seen)) > 5  # progress as the bytes go


def test_a_file_the_storage_lost_is_listed_as_missing(alpha, committed):
    project = make_project(alpha, facts={})
    kept = upload(alpha, project, "proposal", pdf(b"kept"), "建议书.pdf")
    lost = upload(alpha, project, "fsr", pdf(b"lost"), "可研.pdf")
    lost.file.storage.delete(lost.file.name)
    with committed():
        report = report_request(actor=alpha.users[Role.REVIEWER], kind="dossier", project_id=project.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    manifest = json.loads(archive_of(report).read("manifest.json"))
    assert [(m["path"], m["document"], m["version"]) for m in manifest["missing"]] == [
        ("documents/fsr/v1_可研.pdf", "fsr", 1)
    ]
    documents_listed = [e for e in manifest["files"] if e["source"] == "document"]
    assert [e["path"] for e in documents_listed] == ["documents/proposal/v1_建议书.pdf"]
    assert documents_listed[0]["sha256"] == kept.sha256
