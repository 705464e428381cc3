"""试运行与验收 in the browser.

(a) 南充 (第二十九条): the department records the trial run starting today and applies for acceptance at
once: refused, the page names 第二十九条 (three months of normal trial run) and the day it may apply.
(b) 莱州 (第二十三条): the trial run is recorded (built 100 days ago); the department applies for a delay,
the reviewer grants a date other than the one asked for and it is shown as the deadline; the department
applies for acceptance with the checklist all on file, and the reviewer records the conclusion: 运行中.

The acceptance documents are uploaded in setup (the documents pages are other journeys').
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, log_out, messages

NANCHONG = "南充市城市运行管理服务平台"
LAIZHOU = "莱州市应急指挥调度平台"


def _acceptance_documents(demo, project, staff: str) -> None:
    from projects.documents.services import document_upload
    from projects.management.commands.seed_demo import DEMO_PDF
    from projects.selectors import project_verdicts

    _pack, verdicts = project_verdicts(project)
    needed = {
        d["code"]
        for v in verdicts
        if v.kind == "required_documents" and {"apply_for_acceptance", "accept"} & set(v.blocks)
        for d in v.data.get("missing", [])
    }
    for code in sorted(needed):
        document_upload(
            actor=demo.user(staff),
            project_id=project.pk,
            code=code,
            file=ContentFile(DEMO_PDF, name=f"{code}.pdf"),
        )


def _record_trial_run(page, completion: dt.date, start: dt.date) -> None:
    page.locator("section#acceptance").get_by_role("link", name="登记试运行").click()
    page.get_by_label("建成日期").fill(completion.isoformat())
    page.get_by_label("试运行开始日期").fill(start.isoformat())
    page.get_by_label(re.compile("我确认项目已建成")).check()
    page.get_by_role("button", name="登记试运行").click()


@pytest.mark.browser_errors_allowed(r"status of 400 .*/acceptance/apply/")  # the refusal is the point
def test_nanchong_acceptance_refused_before_three_months_of_trial_run(page, phone, demo):
    project = demo.project(NANCHONG)
    today = timezone.localdate()
    log_in(page, "nanchong_staff")
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator("#actions button[value='start_trial_operation']")).to_have_count(
        0
    )  # the record's job
    _record_trial_run(page, today, today)
    expect(messages(page)).to_contain_text("登记试运行")
    expect(page.locator("h1 .phase")).to_have_text("试运行")
    acceptance = page.locator("section#acceptance")
    expect(acceptance.locator(".trial-start")).to_have_text(today.isoformat())
    assert_speaks_chinese(page)

    acceptance.get_by_role("link", name="申请验收").click()
    page.get_by_label(re.compile("我确认以已上传的材料申请验收")).check()
    page.get_by_role("button", name="申请验收").click()
    refusal = page.locator("form.acceptance-apply .error")
    expect(refusal).to_contain_text("第二十九条")
    expect(refusal).to_contain_text("3个月")
    may_apply = today.replace(day=min(today.day, 28))  # the shown date is three months after the start
    expect(refusal).to_contain_text("最早可于")
    assert str(may_apply.year) in refusal.inner_text()
    assert_speaks_chinese(page)
    project.refresh_from_db()
    assert project.phase == "trial_operation"

    log_in(phone, "nanchong_staff")
    phone.goto(f"/projects/{project.pk}/")
    assert_fits_phone(phone)
    phone.locator("section#acceptance").get_by_role("link", name="申请验收").click()
    assert_fits_phone(phone)


def test_laizhou_delay_then_acceptance_into_operation(page, phone, demo):
    project = demo.project(LAIZHOU)
    today = timezone.localdate()
    completion, start = today - dt.timedelta(days=100), today - dt.timedelta(days=95)
    _acceptance_documents(demo, project, "laizhou_staff")

    log_in(page, "laizhou_staff")
    page.goto(f"/projects/{project.pk}/")
    _record_trial_run(page, completion, start)
    expect(page.locator("h1 .phase")).to_have_text("试运行")
    acceptance = page.locator("section#acceptance")
    due = acceptance.locator(".acceptance-due-date")
    original = due.inner_text()
    assert original > today.isoformat()
    # 延期验收申请
    acceptance.get_by_role("link", name="申请延期验收").click()
    page.get_by_label("延期理由").fill("第三方软件验收测评排期至下季度")
    asked = dt.date.fromisoformat(original) + dt.timedelta(days=90)
    page.get_by_label("申请延期至").fill(asked.isoformat())
    page.get_by_role("button", name="申请延期验收").click()
    expect(messages(page)).to_contain_text("申请延期验收")
    expect(page.locator("section#acceptance .delay-pending")).to_be_visible()
    log_out(page)

    log_in(page, "laizhou_reviewer")
    page.goto("/projects/inbox/")
    expect(page.locator("main")).to_contain_text("延期验收申请")
    page.goto(f"/projects/{project.pk}/")
    page.locator("section#acceptance").get_by_role("link", name="审批延期验收申请").click()
    expect(page.locator(".requested-date")).to_have_text(asked.isoformat())
    granted = dt.date.fromisoformat(original) + dt.timedelta(days=60)  # not the date asked for
    page.get_by_label("批准延期").check()
    page.get_by_label("批准的新验收期限").fill(granted.isoformat())
    page.get_by_label("意见（不批准时须说明理由）").fill("同意延期，请按期完成")
    page.get_by_label(re.compile("我确认此决定")).check()
    page.get_by_role("button", name="审批延期验收申请").click()
    acceptance = page.locator("section#acceptance")
    expect(acceptance.locator(".acceptance-due-date")).to_have_text(granted.isoformat())
    expect(acceptance).to_contain_text(original)  # the original due date, said beside the granted one
    assert_speaks_chinese(page)
    log_out(page)

    log_in(page, "laizhou_staff")
    page.goto(f"/projects/{project.pk}/")
    page.locator("section#acceptance").get_by_role("link", name="申请验收").click()
    checklist = page.locator(".acceptance-checklist")
    expect(checklist).to_contain_text("第三方软件验收测评报告")
    expect(checklist).to_contain_text("第二十三条")
    expect(checklist.locator(".document.missing")).to_have_count(0)
    page.get_by_label(re.compile("我确认以已上传的材料申请验收")).check()
    page.get_by_role("button", name="申请验收").click()
    expect(page.locator("h1 .phase")).to_have_text("验收中")
    log_out(page)

    log_in(phone, "laizhou_reviewer")
    phone.goto(f"/projects/{project.pk}/")
    assert_fits_phone(phone)
    phone.locator("section#acceptance").get_by_role("link", name="登记验收结论").click()
    assert_fits_phone(phone)
    phone.get_by_label("已通过").check()
    phone.get_by_label("验收条件或意见").fill("验收合格，按期移交运维")
    phone.get_by_label(re.compile("我确认此验收结论")).check()
    phone.get_by_role("button", name="登记验收结论").click()
    expect(phone.locator("h1 .phase")).to_have_text("运行中")
    expect(phone.locator("section#acceptance .acceptance-date")).to_have_text(today.isoformat())
    assert_speaks_chinese(phone)
