"""Reports and dossier (issue 12 §5): a reviewer prints a 批复, an auditor takes the project's dossier.

(a) 南充 李娜 (nanchong_reviewer) opens 南充市城市运行管理服务平台 — in construction, its 项目实施方案
approved by the demo with 南政数审〔2026〕…号 — finds 「报告与档案」, prints the 批复文件, watches the
report page until it is ready, downloads the PDF and reads the project's title and the 批复 in it.
(b) 南充 赵敏 (nanchong_auditor) prints the same project's 完整档案 and downloads the ZIP: every file
its manifest.json lists is in the ZIP with that size and SHA-256, MANIFEST.sha256 agrees, and the 批复
printed earlier (given here through the service) is kept in it.
(c) On a 375 px phone the reviewer prints the 批复 too: the report page fits and its download is in reach.

The e2e run builds reports eagerly (Celery in-process), so the page may say 已生成 at once; the
journey still waits for `#report-progress[data-status=done]` as a person waits for the bar.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from pathlib import PurePosixPath

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_on_screen,
    assert_speaks_chinese,
    log_in,
    visible_text,
)

PROJECT = "南充市城市运行管理服务平台"  # in construction: its one approval stage (项目实施方案) approved
BUILD_TIMEOUT_MS = 30_000  # a PDF or the dossier is typeset in the request (eager Celery): allow it time
# What a Chinese reader must not meet on a report page: the statuses' and buttons' English words.
ENGLISH = re.compile(
    r"\b(queued|running|done|failed|ready|being prepared|download|print|try again|progress)\b", re.IGNORECASE
)


def _assert_no_english(page: Page) -> None:
    assert_speaks_chinese(page)
    found = sorted({m.group(0) for m in ENGLISH.finditer(visible_text(page))})
    assert not found, f"{page.url} shows English words to a Chinese reader: {found}"


def _print(page: Page, kind: str, label: str) -> None:
    """On the project page: the 「报告与档案」 section, the kind's row, its (first) 打印 button."""
    section = page.locator("section#reports")
    expect(section.get_by_role("heading", name="报告与档案")).to_be_visible()
    offer = section.locator(f"li.report-offer[data-kind='{kind}']")
    expect(offer).to_contain_text(label)
    with page.expect_navigation():
        offer.get_by_role("button", name=re.compile("^打印")).first.click()
    expect(page).to_have_url(re.compile(r"/reports/\d+/$"))


def _wait_until_ready(page: Page) -> None:
    """The report page shows its progress, then says it is ready with the bar full."""
    progress = page.locator("#report-progress")
    expect(progress).to_be_visible()
    expect(progress).to_have_attribute("data-status", re.compile(r"^(queued|running|done)$"))
    expect(page.locator("#report-progress[data-status=done]")).to_be_visible(timeout=BUILD_TIMEOUT_MS)
    expect(progress.locator("progress")).to_have_attribute("value", "100")
    expect(progress.locator(".report-status")).to_have_text("已生成")


def _download(page: Page, extension: str) -> bytes:
    link = page.locator("#report-progress").get_by_role("link", name=re.compile("^下载"))
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(f".{extension}"), download.suggested_filename
    return download.path().read_bytes()


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", "", text)  # a long title may wrap across lines


def _given_approval_reply(demo, project) -> bytes:
    """李娜 printed the 批复 earlier (through the service; the build runs on commit, eagerly)."""
    from projects.reports.models import Report, ReportStatus
    from projects.reports.services import report_request

    reviewer = demo.user("nanchong_reviewer")
    requested = report_request(actor=reviewer, kind="approval_reply", project_id=project.pk)
    report = Report.objects.get(pk=requested.pk)
    assert report.status == ReportStatus.DONE, report.error
    with report.file.open("rb") as stream:
        return stream.read()


def test_reviewer_prints_the_approval_reply(page, demo):
    from approvals.stages.models import ApprovalStage

    project = demo.project(PROJECT)
    stage = ApprovalStage.objects.get(project=project, status="approved")
    log_in(page, "nanchong_reviewer")
    page.goto(f"/projects/{project.pk}/")

    _print(page, "approval_reply", "批复文件")
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    _wait_until_ready(page)
    expect(page.locator("main")).to_contain_text(stage.document_number)  # the 批复文号 it carries
    _assert_no_english(page)
    text = _pdf_text(_download(page, "pdf"))

    assert PROJECT in text
    assert "批复" in text
    assert stage.document_number in text
    assert f"{stage.approved_amount_wan:,.2f}" in text  # 万元, as approved

    page.get_by_role("link", name=f"← {PROJECT}").click()  # back to the project: the report is listed
    row = page.locator("section#reports .report-row").first
    expect(row).to_contain_text("已生成")
    expect(row.get_by_role("link", name="下载")).to_be_visible()
    _assert_no_english(page)


def test_auditor_downloads_the_dossier(page, demo):
    project = demo.project(PROJECT)
    reply = _given_approval_reply(demo, project)
    log_in(page, "nanchong_auditor")
    page.goto(f"/projects/{project.pk}/")

    _print(page, "dossier", "档案")
    _wait_until_ready(page)
    _assert_no_english(page)
    archive = zipfile.ZipFile(io.BytesIO(_download(page, "zip")))

    names = set(archive.namelist())
    manifest_name = min((n for n in names if PurePosixPath(n).name == "manifest.json"), key=len)
    root = manifest_name[: -len("manifest.json")]  # "" or the dossier's own folder
    manifest = json.loads(archive.read(manifest_name))
    files = manifest["files"]
    assert files, "the manifest lists no file"
    for entry in files:
        name = root + entry["path"]
        assert name in names, f"{entry['path']} is in the manifest but not in the ZIP"
        data = archive.read(name)
        assert len(data) == entry["size"], entry["path"]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]
    listed = {entry["path"] for entry in files}
    for needed in ("audit/events.csv", "audit/events.json", "audit/verdicts.json"):
        assert needed in listed, f"the dossier has no {needed}"
    assert any(path.startswith("documents/") for path in listed), "the dossier has no documents/"
    reply_sha = hashlib.sha256(reply).hexdigest()
    assert any(e["path"].startswith("reports/") and e["sha256"] == reply_sha for e in files), (
        "the 批复 printed before is not kept under reports/"
    )

    lines = archive.read(root + "MANIFEST.sha256").decode("utf-8").splitlines()
    checked = set()
    for line in filter(None, lines):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](.+)", line)
        assert match, f"not a sha256sum line: {line!r}"
        digest, path = match.groups()
        assert hashlib.sha256(archive.read(root + path)).hexdigest() == digest, path
        checked.add(path)
    assert listed <= checked, f"MANIFEST.sha256 leaves out {sorted(listed - checked)}"


def test_report_page_is_usable_on_a_phone(phone, demo):
    project = demo.project(PROJECT)
    log_in(phone, "nanchong_reviewer")
    phone.goto(f"/projects/{project.pk}/")
    expect(phone.locator("section#reports li.report-offer[data-kind='approval_reply']")).to_be_visible()
    assert_fits_phone(phone)

    _print(phone, "approval_reply", "批复文件")
    _wait_until_ready(phone)

    assert_fits_phone(phone)
    assert_on_screen(phone, phone.locator("#report-progress").get_by_role("link", name=re.compile("^下载")))
    _assert_no_english(phone)
