"""审批 by stage: a reviewer decides each approval stage of a project's track in the browser.

(a) 红山 80万 in review: its feasibility study passed its review on 2026-09-29 (set up here, with the
prerequisites complete the day before), so the 7-working-day clock runs across 国庆; the reviewer sees
the due date, overdue in red, and approves it with 文号 and amount; the staff submit the preliminary
design, the reviewer passes its review and approves it: the project is approved with its baseline.
(b) 南充 600万 on the merged track (项目实施方案): submitted, reviewed and approved, to approved.

The department opinions and review steps the packs ask before approval are given in setup through
their services (approvals.opinions.demo, approvals.reviews.demo): other journeys walk those pages.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, detail, log_in, log_out, messages

HONGSHAN = "红山区养老服务信息平台"
NANCHONG = "南充市智慧交通信号控制系统"
REVIEW_PASSED = dt.date(2026, 9, 29)


def _owed_before_approval(demo, project, reviewer: str, stages: list[str]) -> None:
    from approvals.opinions.demo import answer_all_opinions
    from approvals.reviews.demo import pass_review_steps

    for code in stages:
        pass_review_steps(project, "approve", stage=code)
    answer_all_opinions(project, demo.user(reviewer))


def _approval_documents(demo, project, staff: str) -> None:
    """Upload what the approval rules ask for (seed_demo uploads only what a project's steps need)."""
    from projects.documents.services import document_upload
    from projects.management.commands.seed_demo import DEMO_PDF
    from projects.selectors import project_verdicts

    _pack, verdicts = project_verdicts(project)
    needed = {
        d["code"]
        for v in verdicts
        if v.kind == "required_documents" and "approve" in v.blocks
        for d in v.data.get("missing", [])
    }
    for code in sorted(needed):
        document_upload(
            actor=demo.user(staff),
            project_id=project.pk,
            code=code,
            file=ContentFile(DEMO_PDF, name=f"{code}.pdf"),
        )


def _fsr_review_passed_on_29_september(demo, project) -> None:
    """The FSR was submitted, and passed its review on 2026-09-29; prerequisites complete on 09-28."""
    from approvals.stages import services
    from approvals.stages.models import ApprovalStage
    from projects.models import AuditEvent, Project

    services.stage_submit(actor=demo.user("hongshan_staff"), project_id=project.pk, code="fsr")
    reviewer = demo.user("hongshan_reviewer")
    at = timezone.make_aware(dt.datetime.combine(REVIEW_PASSED, dt.time(10, 0)))
    ApprovalStage.objects.filter(project=project, code="fsr").update(
        status="review_passed", review_passed_by=reviewer, review_passed_at=at
    )
    AuditEvent.objects.record(
        project, reviewer, "stage_review_pass", at=at, changes={"stage": "fsr", "round": 1}
    )
    facts = {**Project.objects.get(pk=project.pk).facts, "prerequisites_complete_date": "2026-09-28"}
    Project.objects.filter(pk=project.pk).update(facts=facts)


def _approve(page, number: str, amount: str, on: dt.date | None = None) -> None:
    page.get_by_role("link", name="批复", exact=True).click()
    page.get_by_label("批复文号").fill(number)
    if on is not None:
        page.get_by_label("批复日期").fill(on.isoformat())
    page.get_by_label("批复金额（万元）").fill(amount)
    page.get_by_label("批复条件").fill("按批复内容实施")
    page.get_by_label(re.compile("我已确认")).check()
    page.get_by_role("button", name="批复").click()


def test_hongshan_fsr_and_design_to_approved(page, demo):
    from jurisdictions.selectors import working_calendar

    project = demo.project(HONGSHAN)
    _owed_before_approval(demo, project, "hongshan_reviewer", ["fsr", "preliminary_design"])
    _approval_documents(demo, project, "hongshan_staff")
    _fsr_review_passed_on_29_september(demo, project)
    due = working_calendar(project.jurisdiction_id).add_working_days(REVIEW_PASSED, 7).date
    assert due > dt.date(2026, 10, 7)  # the seven working days run past 国庆

    log_in(page, "hongshan_reviewer")
    page.goto(f"/projects/{project.pk}/")
    stages = page.locator("section#stages")
    expect(stages).to_contain_text("可行性研究报告（二合一）审批")
    expect(stages.locator(".due-date")).to_have_text(due.isoformat())
    expect(stages).to_contain_text("起算：评审通过日与前置要件齐全日中较晚者")
    if timezone.localdate() > due:
        expect(stages.locator(".stage-clock.overdue")).to_be_visible()  # overdue: in red
    expect(page.locator("#actions button[value='approve']")).to_have_count(0)  # no plain 批复 here
    assert_speaks_chinese(page)
    # The FSR was decided on 10-12 (entered as the reply's date): within the clock that ran past 国庆.
    _approve(page, "红政数审〔2026〕12号", "80", on=dt.date(2026, 10, 12))
    expect(messages(page)).to_contain_text("批复")
    fsr = page.locator("#stage-fsr")
    expect(fsr).to_contain_text("已批复")
    expect(fsr).to_contain_text("红政数审〔2026〕12号")
    expect(fsr.locator(".stage-due-date")).to_have_text(due.isoformat())
    expect(fsr.locator(".stage-timeliness")).to_contain_text("已在时限内批复")
    expect(page.locator(".baseline-amount")).to_have_text("80.00")
    log_out(page)

    log_in(page, "hongshan_staff")
    page.goto(f"/projects/{project.pk}/")
    page.locator("#stage-preliminary_design").get_by_role("link", name="提交本阶段").click()
    page.get_by_role("button", name="提交本阶段").click()
    expect(page.locator("#stage-preliminary_design")).to_contain_text("已提交")
    log_out(page)

    log_in(page, "hongshan_reviewer")
    page.goto(f"/projects/{project.pk}/")
    page.locator("#stage-preliminary_design").get_by_role("link", name="评审通过").click()
    page.get_by_role("button", name="评审通过").click()
    today = timezone.localdate()
    expect(page.locator("section#stages .due-date")).to_have_text(
        working_calendar(project.jurisdiction_id).add_working_days(today, 7).date.isoformat()
    )
    _approve(page, "红政数审〔2026〕13号", "78.5")
    expect(detail(page, "阶段").first).to_have_text("已批复")
    expect(page.locator("#stage-preliminary_design")).to_contain_text("红政数审〔2026〕13号")
    expect(page.locator(".baseline-amount")).to_have_text("78.50")
    page.locator(".baseline-history summary").click()
    expect(page.locator(".baseline-history")).to_contain_text("80.00")
    assert_speaks_chinese(page)


def test_nanchong_implementation_plan_to_approved(page, phone, demo):
    project = demo.project(NANCHONG)
    _owed_before_approval(demo, project, "nanchong_reviewer", ["implementation_plan"])
    _approval_documents(demo, project, "nanchong_staff")

    log_in(page, "nanchong_staff")
    page.goto(f"/projects/{project.pk}/")
    stages = page.locator("section#stages")
    expect(stages).to_contain_text("合并编报项目实施方案")
    stages.get_by_role("link", name="提交本阶段").click()
    page.get_by_role("button", name="提交本阶段").click()
    expect(page.locator("#stage-implementation_plan")).to_contain_text("已提交")
    log_out(page)

    log_in(phone, "nanchong_reviewer")  # on a phone: the section and its forms fit 375 px
    phone.goto(f"/projects/{project.pk}/")
    assert_fits_phone(phone)
    phone.locator("#stage-implementation_plan").get_by_role("link", name="评审通过").click()
    phone.get_by_role("button", name="评审通过").click()
    expect(phone.locator("#stage-implementation_plan")).to_contain_text("评审通过")
    phone.get_by_role("link", name="批复", exact=True).click()
    assert_fits_phone(phone)
    phone.get_by_label("批复文号").fill("南发改审〔2026〕5号")
    phone.get_by_label("批复金额（万元）").fill("600")
    phone.get_by_label(re.compile("我已确认")).check()
    phone.get_by_role("button", name="批复").click()
    expect(detail(phone, "阶段").first).to_have_text("已批复")
    expect(phone.locator(".baseline-amount")).to_have_text("600.00")
    assert_speaks_chinese(phone)
