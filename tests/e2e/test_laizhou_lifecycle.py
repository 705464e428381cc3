"""One 莱州 600万 治理类 project from 已批复 to 运行中 and its O&M funds, in the browser (issue 10 §8).

Staff see 开工建设 held by 第二十三条 (supervision from 500万) and record the supervision contract; before
procurement a 12% change is applied for and approved (第十九条第二款: the baseline moves to 578万元); then
procurement with its contract, 开工; at completion the trial run, a delay application granted by the
reviewer, the acceptance application with its checklist and the acceptance; a self-evaluation
(第三十四条); and an O&M application for the year after the free O&M period (三年, 第二十九条) that the
finance officer refuses (data not shared, 第二十六条; above 10% of the construction investment, 第二十九条)
and approves once the department states its data is shared, the data bureau finds no major security
hazard (审核认定与运行情况) and the amount is within the cap.

Set up outside the pages: the project filed as the demo files its own and put in 已批复 (approval is
other journeys' business), the confidentiality commitments (第四十条) and the acceptance documents on
file (the documents pages are other journeys').
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_speaks_chinese, log_in, log_out, messages, section
from tests.e2e.test_acceptance import _acceptance_documents, _record_trial_run
from tests.e2e.test_change_requests import _ask_for_change, _submit

TITLE = "莱州市社会治理综合指挥平台"
FACTS = {
    "laizhou_class": "governance",
    "free_om_years": 3,
    "in_system_catalogue": True,
    "uses_resource_catalogue": True,
    "crypto_compliant": True,
    "security_compliant": True,
    "duplicates_data_collection": False,
    "shares_data": False,  # the data bureau finds it later: rectified before the second application
}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n%%EOF\n"


def _approved(demo):
    from projects.documents.services import document_upload
    from tests.conftest import advance

    project = demo.given_draft(
        "laizhou", TITLE, category="digital_infrastructure", investment=600, facts=FACTS
    )
    project = advance(project, "approved")
    document_upload(
        actor=demo.user("laizhou_staff"),
        project_id=project.pk,
        code="confidentiality_commitment",
        file=ContentFile(PDF, name="保密承诺书.pdf"),
    )
    return project


def _find(page, project, matter: str, answer: str, reason: str) -> None:
    """The 「审核认定与运行情况」 section: record one matter with its answer and reason."""
    _open(page, project)
    section(page, "审核认定与运行情况").get_by_role("link", name=f"记录：{matter}").click()
    page.get_by_label(answer, exact=True).check()
    page.get_by_label("原因").fill(reason)
    page.get_by_role("button", name="记录").click()
    expect(messages(page)).to_contain_text(f"已记录：{matter}")
    row = section(page, "审核认定与运行情况").locator("tr.finding-row").filter(has_text=matter)
    expect(row.locator(".finding-value")).to_have_text(answer)


def _open(page, project) -> None:
    page.goto(f"/projects/{project.pk}/")


def _apply_for_om(page, project, year: int, amount: str) -> None:
    _open(page, project)
    section(page, "运维经费").get_by_role("link", name="申请运维经费").click()
    page.get_by_label("运维年度").fill(str(year))
    page.get_by_label("申请年度运维经费（万元）").fill(amount)
    page.get_by_label("合同履行期限（年）").fill("1")
    page.get_by_label("我确认将本申请提交财政审核。").check()
    page.get_by_role("button", name="提交财政审核").click()
    expect(messages(page)).to_contain_text("运维经费申请已提交财政审核")


def _decide_om(page, choice: str, reason: str = "") -> None:
    page.goto("/")  # the finance officer's home: the O&M queue
    row = page.locator("table.om-queue tr").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    row.get_by_role("link", name="审核").click()
    page.get_by_label(choice, exact=True).check()
    if reason:
        page.get_by_label("理由（核减或不予安排时必填）").fill(reason)
    page.get_by_label("我确认此决定。").check()
    page.get_by_role("button", name="记录决定").click()
    expect(messages(page)).to_contain_text("决定已记录")


def test_laizhou_governance_project_from_approval_to_om_funds(page, demo):
    project = _approved(demo)
    today = timezone.localdate()

    # 开工 is held until a supervision firm is engaged (第二十三条)
    log_in(page, "laizhou_staff")
    _open(page, project)
    expect(page.locator("section#construction .supervision-missing")).to_contain_text("第二十三条")
    page.locator("#actions").get_by_role("button", name="开工建设").click()
    expect(messages(page)).to_contain_text("第二十三条")
    page.locator("section#construction").get_by_role("link", name="登记监理合同").click()
    page.get_by_label("监理单位").fill("烟台信诚工程监理有限公司")
    page.get_by_label("合同编号").fill("JL-2026-031")
    page.get_by_label("合同签订日期").fill(today.isoformat())
    page.get_by_role("button", name="登记监理合同").click()
    expect(messages(page)).to_contain_text("监理合同已登记")

    # a 12% change before procurement: applied for, decided by the approver (第十九条第二款)
    _open(page, project)
    expect(page.locator("section#changes .baseline-amount")).to_have_text("600.00")
    _ask_for_change(page, "50", "72", "取消视频会商终端采购，新增网格巡查移动端")
    route = page.locator(".change-route")
    expect(route.locator(".route-article")).to_contain_text("第十九条第二款")
    expect(route).to_contain_text("调整12%未超过15%")
    _submit(page)
    expect(page.locator(".change-status")).to_have_text("待审批")
    assert_speaks_chinese(page)
    log_out(page)

    log_in(page, "laizhou_reviewer")
    _open(page, project)
    section(page, "投资与调整").locator(".change-requests a").first.click()
    page.locator(".change-actions").get_by_role("link", name="批复调整").click()
    page.get_by_label("批复文号").fill("莱大数批〔2026〕35号")
    page.get_by_label(re.compile("我已确认")).check()
    page.get_by_role("button", name="批复调整").click()
    expect(page.locator(".change-status")).to_have_text("已批复")
    expect(page.locator(".baseline-amount")).to_have_text("578.00")
    log_out(page)

    # procurement and its contract, then 开工
    log_in(page, "laizhou_staff")
    _open(page, project)
    page.locator("section#construction").get_by_role("link", name="登记采购与合同").click()
    page.get_by_label("采购启动日期").fill(today.isoformat())
    page.get_by_label("采购方式").select_option(label="公开招标")
    page.get_by_label("中标供应商").fill("山东数智科技股份有限公司")
    page.get_by_label("合同编号").fill("HT-2026-120")
    page.get_by_label("合同签订日期").fill(today.isoformat())
    page.get_by_label("合同金额（万元）").fill("570")
    page.get_by_label(re.compile("产权归属")).check()
    page.get_by_role("button", name="登记采购与合同").click()
    expect(messages(page)).to_contain_text("采购与合同已登记")
    _open(page, project)
    page.locator("#actions").get_by_role("button", name="开工建设").click()
    expect(page.locator("h1 .phase")).to_have_text("建设中")

    # built: the trial run, then a delay of acceptance applied for
    _acceptance_documents(demo, project, "laizhou_staff")
    _open(page, project)
    _record_trial_run(page, today, today)
    expect(page.locator("h1 .phase")).to_have_text("试运行")
    acceptance = page.locator("section#acceptance")
    original = acceptance.locator(".acceptance-due-date").inner_text()
    acceptance.get_by_role("link", name="申请延期验收").click()
    page.get_by_label("延期理由").fill("第三方软件验收测评排期至下半年")
    page.get_by_label("申请延期至").fill(
        (dt.date.fromisoformat(original) + dt.timedelta(days=60)).isoformat()
    )
    page.get_by_role("button", name="申请延期验收").click()
    expect(messages(page)).to_contain_text("申请延期验收")
    log_out(page)

    log_in(page, "laizhou_reviewer")
    _open(page, project)
    page.locator("section#acceptance").get_by_role("link", name="审批延期验收申请").click()
    granted = dt.date.fromisoformat(original) + dt.timedelta(days=45)
    page.get_by_label("批准延期").check()
    page.get_by_label("批准的新验收期限").fill(granted.isoformat())
    page.get_by_label("意见（不批准时须说明理由）").fill("同意延期")
    page.get_by_label(re.compile("我确认此决定")).check()
    page.get_by_role("button", name="审批延期验收申请").click()
    expect(page.locator("section#acceptance .acceptance-due-date")).to_have_text(granted.isoformat())
    log_out(page)

    # the acceptance application with the measure's checklist, and the acceptance
    log_in(page, "laizhou_staff")
    _open(page, project)
    page.locator("section#acceptance").get_by_role("link", name="申请验收").click()
    expect(page.locator(".acceptance-checklist .document.missing")).to_have_count(0)
    page.get_by_label(re.compile("我确认以已上传的材料申请验收")).check()
    page.get_by_role("button", name="申请验收").click()
    expect(page.locator("h1 .phase")).to_have_text("验收中")
    log_out(page)

    log_in(page, "laizhou_reviewer")
    _open(page, project)
    page.locator("section#acceptance").get_by_role("link", name="登记验收结论").click()
    page.get_by_label("已通过").check()
    page.get_by_label("验收条件或意见").fill("验收合格")
    page.get_by_label(re.compile("我确认此验收结论")).check()
    page.get_by_role("button", name="登记验收结论").click()
    expect(page.locator("h1 .phase")).to_have_text("运行中")
    log_out(page)

    # the self-evaluation (第三十四条)
    log_in(page, "laizhou_staff")
    _open(page, project)
    page.locator("section#evaluation").get_by_role("link", name="提交自评价").click()
    page.get_by_label("良好").check()
    page.get_by_label("报告摘要").fill("平台运行稳定，事件处置时长缩短三成。")
    page.get_by_label(re.compile("我确认提交本次自评价")).check()
    page.get_by_role("button", name="提交自评价").click()
    expect(messages(page)).to_contain_text("自评价已提交")
    expect(page.locator("section#evaluation .evaluation-rating")).to_have_text("良好")

    # O&M funds for the first year after the three free years: 70万元 is refused …
    year = today.year + 4
    _apply_for_om(page, project, year, "70")
    log_out(page)
    log_in(page, "laizhou_finance")
    page.goto("/")
    row = page.locator("table.om-queue tr").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(row).to_contain_text("不予安排")
    row.get_by_role("link", name="逐条理由").click()
    reasons = page.locator(".om-reasons")
    expect(reasons).to_contain_text("第二十六条")
    expect(reasons).to_contain_text("第二十九条")
    cap = Decimal(page.locator(".om-cap .amount").inner_text().replace(",", ""))
    assert cap == Decimal("57.80")  # 10% of the construction investment after the approved change
    assert_speaks_chinese(page)
    _decide_om(page, "不予安排", "数据资源未按要求共享，且超过建设投资的10%，整改后再申请")
    log_out(page)

    # … and approved after rectification, within the cap: the department states its data is shared
    # now, and the data bureau finds no major security hazard
    log_in(page, "laizhou_staff")
    _find(page, project, "按要求共享数据", "是", "业务数据已全部接入市共享交换平台并按目录共享")
    log_out(page)
    log_in(page, "laizhou_reviewer")
    _find(page, project, "存在重大安全隐患", "否", "2026年网络安全检查未发现重大安全隐患")
    log_out(page)
    log_in(page, "laizhou_staff")
    _apply_for_om(page, project, year, "57.8")
    expect(page.locator(".om-answer-label").first).to_have_text("可以安排")
    log_out(page)
    log_in(page, "laizhou_finance")
    _decide_om(page, "按申请金额同意")
    page.goto("/")
    decisions = page.locator("table.om-decisions tr").filter(has_text=TITLE)
    expect(decisions).to_have_count(2)
    assert_speaks_chinese(page)

    project.refresh_from_db()
    assert project.phase == "in_operation"
    assert project.total_investment_wan == Decimal("578.00")
