"""施工建设 in the browser: a 莱州 project of 600万 from 已批复 into construction and through an incident.

Staff see 开工建设 held by 第二十三条 (supervision from 500万), record the supervision contract and the
procurement with its contract on their pages, start construction, file this year's progress report and
report a serious delay; the reviewer finds it in 待办, orders rectification by a date; staff report it
done; the reviewer confirms it. Set up: the project filed as the demo files its own and put in 已批复
(the approval is other journeys' business), with the confidentiality commitments (第四十条) on file.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, log_out, messages

TITLE = "莱州市城市综合管理服务平台"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n"


def _approved_600(demo):
    from projects.documents.services import document_upload
    from tests.conftest import advance

    project = demo.given_draft("laizhou", TITLE, category="digital_infrastructure", investment=600)
    project = advance(project, "approved")
    document_upload(
        actor=demo.user("laizhou_staff"),
        project_id=project.pk,
        code="confidentiality_commitment",
        file=ContentFile(PDF, name="保密承诺书.pdf"),
    )
    return project


def _attach_all(page, tmp_path) -> None:
    """A PDF in every file input of the form (each document the measure's report asks for)."""
    inputs = page.locator("form input[type=file]")
    for index in range(inputs.count()):
        path = tmp_path / f"doc{index}.pdf"
        path.write_bytes(PDF)
        inputs.nth(index).set_input_files(str(path))


def test_laizhou_project_into_and_through_construction(page, phone, demo, tmp_path):
    project = _approved_600(demo)
    today = timezone.localdate()

    log_in(page, "laizhou_staff")
    page.goto(f"/projects/{project.pk}/")
    card = page.locator("section#construction")
    expect(card.locator(".supervision-missing")).to_contain_text("第二十三条")
    expect(page.locator("body")).to_contain_text("500万元及以上项目须委托工程监理单位后方可开工")
    page.locator("#actions").get_by_role("button", name="开工建设").click()
    expect(messages(page)).to_contain_text("第二十三条")
    assert_speaks_chinese(page)

    # the supervision contract (监理合同)
    page.locator("section#construction").get_by_role("link", name="登记监理合同").click()
    assert_speaks_chinese(page)
    page.get_by_label("监理单位").fill("烟台信诚工程监理有限公司")
    page.get_by_label("合同编号").fill("JL-2026-017")
    page.get_by_label("合同签订日期").fill((today - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="登记监理合同").click()
    expect(messages(page)).to_contain_text("监理合同已登记")
    expect(page.locator(".supervision-engaged")).to_contain_text("烟台信诚工程监理有限公司")

    # procurement and its contract (采购与合同): IP ownership stated (第二十八条)
    page.get_by_role("link", name="登记采购与合同").click()
    page.get_by_label("采购启动日期").fill((today - dt.timedelta(days=30)).isoformat())
    page.get_by_label("采购方式").select_option(label="公开招标")
    page.get_by_label("中标供应商").fill("山东数智科技股份有限公司")
    page.get_by_label("合同编号").fill("HT-2026-088")
    page.get_by_label("合同签订日期").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("合同金额（万元）").fill("586.5")
    page.get_by_label(re.compile("产权归属")).check()
    assert_speaks_chinese(page)
    page.get_by_role("button", name="登记采购与合同").click()
    expect(messages(page)).to_contain_text("采购与合同已登记")
    expect(page.locator(".construction-procurement")).to_contain_text("586.50")

    # 开工
    page.goto(f"/projects/{project.pk}/")
    page.locator("#actions").get_by_role("button", name="开工建设").click()
    expect(page.locator("body")).to_contain_text("建设中")

    # this year's progress report (第二十四条)
    page.locator("section#construction").get_by_role("link", name="提交年度进展报告").click()
    expect(page.locator(".report-contents")).to_contain_text("第二十四条")
    page.get_by_label("报告年度").select_option(str(today.year))
    page.get_by_role("textbox", name="建设进度").fill("完成需求调研和总体设计，平台主体开发完成40%")
    page.get_by_role("textbox", name="投资计划执行情况").fill("已支付合同预付款30%")
    _attach_all(page, tmp_path)
    assert_speaks_chinese(page)
    page.get_by_role("button", name="提交报告").click()
    expect(messages(page)).to_contain_text("年度进展报告已提交")
    expect(page.locator(".report-year").last).to_contain_text(str(today.year))
    expect(page.locator(".report-year").last).to_contain_text("提交日期")

    # a serious delay reported to the approver (第三十二条)
    page.get_by_role("link", name="报告严重逾期、重大损失或重大变更").click()
    page.get_by_label("类型").select_option(label="工程严重逾期")
    page.get_by_label("发生的情况").fill("视频汇聚模块供货延迟，关键节点逾期三个月")
    page.get_by_label("影响").fill("年度建设目标无法按期完成")
    page.get_by_label("已采取或拟采取的措施").fill("督促供应商增派人员，调整实施计划")
    _attach_all(page, tmp_path)
    page.get_by_label(re.compile("我确认将本报告报送")).check()
    assert_speaks_chinese(page)
    page.get_by_role("button", name="报送报告").click()
    expect(messages(page)).to_contain_text("报告已报送项目审批部门")
    expect(page.locator(".incident-list")).to_contain_text("已报告，待审批部门处理")
    log_out(page)

    # the reviewer finds it in 待办 and orders rectification by a date (on a phone)
    log_in(phone, "laizhou_reviewer")
    phone.goto("/projects/inbox/")
    phone.locator("tr", has_text="工程严重逾期报告").get_by_role("link", name=TITLE).click()
    expect(phone.locator(".incident-record")).to_contain_text("视频汇聚模块供货延迟")
    assert_fits_phone(phone)
    assert_speaks_chinese(phone)
    phone.get_by_role("link", name="责令限期整改").click()
    due = today + dt.timedelta(days=30)
    phone.get_by_label("整改期限").fill(due.isoformat())
    phone.get_by_label("整改要求").fill("一个月内完成模块交付并提交整改报告")
    assert_fits_phone(phone)
    phone.get_by_role("button", name="责令限期整改").click()
    expect(phone.locator(".rectify-by")).to_have_text(due.isoformat())
    expect(phone.locator("h1 .status")).to_have_text("已责令限期整改")
    log_out(phone)

    # staff report it done
    log_in(page, "laizhou_staff")
    page.goto(f"/projects/{project.pk}/construction/")
    page.locator(".incident-list a").first.click()
    page.get_by_role("link", name="报告整改完成").click()
    page.get_by_label("整改情况").fill("模块已交付并通过测试")
    page.get_by_role("button", name="报告整改完成").click()
    expect(page.locator("h1 .status")).to_have_text("整改已报告，待审批部门确认")
    log_out(page)

    # the reviewer confirms it
    log_in(page, "laizhou_reviewer")
    page.goto("/projects/inbox/")
    page.locator("tr", has_text="工程严重逾期报告").get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="确认整改完成").click()
    page.get_by_label(re.compile("我确认整改已完成")).check()
    page.get_by_role("button", name="确认整改完成").click()
    expect(page.locator("h1 .status")).to_have_text("整改已确认")
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator("section#construction .incident-list")).to_contain_text("整改已确认")
    assert_speaks_chinese(page)
