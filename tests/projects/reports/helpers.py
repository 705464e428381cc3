"""Set-ups the report tests share: a kind registered for a test, a PDF's text, a report for the API
permission walk."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from pypdf import PdfReader

from jurisdictions.models import Role
from projects.reports import kinds
from projects.reports.kinds import ReportKind, Subject
from projects.reports.models import Report, ReportStatus


@contextmanager
def registered_probe(code: str, label: str, context) -> Iterator[ReportKind]:
    """A PDF kind about the project as a whole (the shared page only), registered while in use, so the
    machinery is tested apart from any one document."""
    kind = ReportKind(
        code=code,
        label=label,
        scope="project",
        subjects=lambda user, project: [Subject(f"project:{project.pk}", f"{project.title}（全文）")],
        template="reports/pdf/base.html",
        context=context,
    )
    kinds.register(kind)
    try:
        yield kind
    finally:
        kinds.KINDS.pop(code)


def text_of(report: Report) -> str:
    """The text of the report's stored PDF, as pypdf extracts it."""
    with report.file.open("rb") as stream:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(stream.read())).pages)


def report_for_walk(endpoint_name: str, tenant, project) -> Report:
    """A 评审意见汇总 of the project, requested by the reviewer: done (its file stored) for reading, failed
    for the retry (a kind any viewer of the project may use)."""
    failed = endpoint_name == "api:report-retry"
    report = Report(
        jurisdiction=tenant.jurisdiction,
        project=project,
        kind="review_summary",
        subject_key=f"project:{project.pk}",
        subject_label="项目评审与会签意见",
        title=f"{project.title} · 评审意见汇总",
        document_number="测试〔2026〕1号",
        rule_pack=project.rule_pack,
        requested_by=tenant.users[Role.REVIEWER],
        status=ReportStatus.FAILED if failed else ReportStatus.DONE,
        progress=100,
        attempts=1,
        error="报告未能生成：磁盘已满" if failed else "",
    )
    if not failed:
        report.file.save("walk.pdf", ContentFile(b"%PDF-1.4\n%walk\n%%EOF\n"), save=False)
        report.file_name, report.size = "评审意见汇总.pdf", report.file.size
    report.save()
    return report
