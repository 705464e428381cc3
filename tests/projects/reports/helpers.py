"""Set-ups other test modules share: a report of the project for the API permission walk."""

from __future__ import annotations

from django.core.files.base import ContentFile

from jurisdictions.models import Role
from projects.reports.models import Report, ReportStatus


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
