"""绩效评价与停用 in the browser.

(a) 莱州 (第三十四条): the department submits a self-evaluation with a rating on a project in operation;
the page shows the window's article and the rating.
(b) 莱州 (第三十四条): the reviewer draws the year's “双随机” sample on its page (the measure leaves the count
open: the reviewer chooses it) and records a result; the draw shows its seed and re-verifies.
(c) 红山: the reviewer takes a system through the stop plan, a data disposal, the asset disposal and both
filings, and decommissions it after confirming: 已停用.
"""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, messages

LAIZHOU = "莱州市电子证照库扩容"
HONGSHAN = "红山区基层治理网格化系统"


def test_staff_submit_a_self_evaluation(page, phone, demo):
    project = demo.project(LAIZHOU)
    log_in(page, "laizhou_staff")
    page.goto(f"/projects/{project.pk}/")
    evaluation = page.locator("section#evaluation")
    expect(evaluation).to_contain_text("第三十四条")
    evaluation.get_by_role("link", name="提交自评价").click()
    expect(page.locator(".notice")).to_contain_text("第三十四条")
    page.get_by_label("良好").check()
    page.get_by_label("报告摘要").fill("系统运行稳定，日均办件三百余件。")
    page.get_by_label(re.compile("我确认提交本次自评价")).check()
    assert_speaks_chinese(page)
    page.get_by_role("button", name="提交自评价").click()
    expect(messages(page)).to_contain_text("自评价已提交")
    evaluation = page.locator("section#evaluation")
    expect(evaluation.locator(".self-evaluations")).to_contain_text("良好")
    expect(evaluation.locator(".evaluation-rating")).to_have_text("良好")
    assert_speaks_chinese(page)

    log_in(phone, "laizhou_staff")
    phone.goto(f"/projects/{project.pk}/evaluation/self/")
    assert_fits_phone(phone)


def test_reviewer_draws_the_random_sample(page, phone, demo):
    log_in(page, "laizhou_reviewer")
    page.goto("/projects/random-checks/")
    card = page.locator("section.random-checks")
    expect(card).to_contain_text("第三十四条")
    expect(card).to_contain_text("办法未规定抽取比例和数量")
    assert_speaks_chinese(page)
    page.get_by_label("抽取项目数").fill("1")
    page.get_by_label(re.compile("我确认抽取")).check()
    page.get_by_role("button", name="抽取本年度样本").click()
    expect(messages(page)).to_contain_text("样本已抽取")
    draw = page.locator("section.random-check")
    expect(draw).to_contain_text(str(timezone.localdate().year))
    expect(draw.locator(".draw-verified")).to_contain_text("结果一致")
    expect(draw.locator(".drawn-projects li")).to_have_count(1)
    assert_speaks_chinese(page)
    draw.locator("details summary", has_text="登记结果").click()
    draw.get_by_label("合格").check()
    draw.get_by_label("抽查发现").fill("使用正常，绩效目标基本实现。")
    draw.get_by_role("button", name="登记结果").click()
    expect(messages(page)).to_contain_text("结果已登记")
    expect(page.locator(".drawn-projects")).to_contain_text("合格")
    assert_speaks_chinese(page)

    log_in(phone, "laizhou_reviewer")
    phone.goto(page.url)
    assert_fits_phone(phone)


def test_reviewer_decommissions_a_system(page, phone, demo):
    project = demo.project(HONGSHAN)
    yesterday = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    log_in(page, "hongshan_reviewer")
    page.goto(f"/projects/{project.pk}/")
    card = page.locator("section#decommission")
    assert_speaks_chinese(page)

    card.get_by_role("link", name="制定停用方案").click()
    page.get_by_label("停用理由").fill("功能已并入全区统建的基层治理平台。")
    page.get_by_label("计划停用日期").fill(yesterday)
    page.get_by_label("替代系统").fill("红山区统建基层治理平台")
    page.get_by_role("button", name="制定停用方案").click()
    expect(messages(page)).to_contain_text("停用方案已登记")
    expect(card.locator(".next-steps")).to_contain_text("数据")

    card.get_by_role("link", name="登记数据处置").click()
    page.get_by_label("数据类别").fill("网格事件业务数据")
    page.get_by_label("已迁移").check()
    page.get_by_label("执行人").fill("运维公司 王工")
    page.get_by_label("执行日期").fill(yesterday)
    page.get_by_label("核验方式").fill("迁移后抽样比对一千条记录，全部一致。")
    page.get_by_role("button", name="登记数据处置").click()
    expect(messages(page)).to_contain_text("数据处置已登记")

    card.get_by_role("link", name="登记资产处置").click()
    page.get_by_label("资产及其处置方式").fill("服务器两台按国有资产报废程序处置。")
    page.get_by_role("button", name="登记资产处置").click()
    expect(messages(page)).to_contain_text("资产处置已登记")

    card.get_by_role("link", name="登记数据主管部门备案").click()
    page.get_by_label("备案号或回执").fill("红数备〔2026〕3号")
    page.get_by_role("button", name="登记数据主管部门备案").click()
    card.get_by_role("link", name="登记财政部门备案").click()
    page.get_by_label("备案号或回执").fill("红财备〔2026〕5号")
    page.get_by_role("button", name="登记财政部门备案").click()
    expect(messages(page)).to_contain_text("备案已登记")
    expect(card.locator(".next-steps")).to_have_count(0)

    card.get_by_role("link", name="停用系统").click()
    expect(page.locator(".notice")).to_contain_text("各项均已登记")
    assert_speaks_chinese(page)
    page.get_by_label(re.compile("我确认停用该系统")).check()
    page.get_by_role("button", name="停用系统").click()
    expect(messages(page)).to_contain_text("系统已停用")
    expect(page.locator("h1 .phase")).to_have_text("已下线")
    assert_speaks_chinese(page)

    log_in(phone, "hongshan_reviewer")
    phone.goto(f"/projects/{project.pk}/")
    assert_fits_phone(phone)
