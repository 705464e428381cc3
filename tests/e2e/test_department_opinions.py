"""部门会签 on 红山区: the reviewer requests the opinions, the 保密机要局 and the 公安分局 answer in the
browser, the project page shows both answers and the prerequisites-complete date; and a round that
is disagreed, re-requested, keeps its answers visible on the page."""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, log_out, messages, section

IN_REVIEW = "红山区养老服务信息平台"  # the demo takes it to 审核中 (submitted for review)


def _project_in_review(demo):
    project = demo.project(IN_REVIEW)
    assert project.phase == "in_review", project.phase
    return project


def _request_opinions(page, project):
    log_in(page, "hongshan_reviewer")
    page.goto(f"/projects/{project.pk}/")
    opinions = section(page, "部门会签意见")
    expect(opinions).to_contain_text("尚未征求部门会签意见")
    expect(opinions).to_contain_text("全部同意")
    expect(opinions).to_contain_text("第十一条")
    opinions.get_by_role("link", name="发起会签").click()
    expect(page.get_by_role("heading", name="发起会签")).to_be_visible()
    expect(page.locator("main")).to_contain_text("区委保密机要局")
    page.get_by_label(re.compile("我已确认")).check()  # a final step asks for confirmation
    page.get_by_role("button", name="发起会签").click()
    expect(messages(page)).to_contain_text("已发起部门会签")
    expect(section(page, "部门会签意见").locator(".opinion-status")).to_have_text(["待答复", "待答复"])
    assert_speaks_chinese(page)
    log_out(page)


def _answer(page, username, project, choice, comment=""):
    log_in(page, username)
    page.goto("/projects/opinions/mine/")
    expect(page.get_by_role("heading", name="待我答复的会签")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=IN_REVIEW)
    row.get_by_role("link", name="答复").click()
    expect(page.get_by_role("heading", name="答复会签请求")).to_be_visible()
    assert_speaks_chinese(page)
    page.get_by_label(choice, exact=True).check()
    if comment:
        page.get_by_label(re.compile(r"^意见")).fill(comment)
    page.get_by_role("button", name="提交答复").click()
    expect(messages(page)).to_contain_text("您的意见已记录")
    log_out(page)


def test_secrecy_and_police_answer_and_the_page_shows_the_complete_date(page, phone, demo):
    project = _project_in_review(demo)
    _request_opinions(page, project)

    _answer(page, "hongshan_secrecy_bureau", project, "有条件同意", "须通过商用密码应用安全性评估")
    _answer(page, "hongshan_public_security_branch", project, "同意")

    log_in(page, "hongshan_reviewer")
    page.goto(f"/projects/{project.pk}/")
    opinions = section(page, "部门会签意见")
    expect(opinions.locator(".opinion-status")).to_have_text(["有条件同意", "同意"])
    expect(opinions).to_contain_text("须通过商用密码应用安全性评估")
    expect(opinions).to_contain_text("区公安分局")
    today = timezone.localdate().strftime("%Y-%m-%d")
    expect(opinions.locator(".opinion-complete")).to_contain_text(f"前置要件齐全：{today}")
    assert_speaks_chinese(page)

    log_in(phone, "hongshan_reviewer")
    phone.goto(f"/projects/{project.pk}/#opinions")
    expect(section(phone, "部门会签意见")).to_be_visible()
    assert_fits_phone(phone)


def test_a_disagreement_is_re_requested_and_the_first_round_stays_visible(page, demo):
    project = _project_in_review(demo)
    _request_opinions(page, project)
    _answer(page, "hongshan_public_security_branch", project, "不同意", "未完成网络安全等级保护定级备案")

    log_in(page, "hongshan_reviewer")
    page.goto(f"/projects/{project.pk}/")
    opinions = section(page, "部门会签意见")
    expect(opinions).to_contain_text("不同意")
    opinions.get_by_role("link", name="重新征求").click()
    page.get_by_label("重新征求的原因").fill("建设单位已完成定级备案")
    page.get_by_label(re.compile("我已确认")).check()
    page.get_by_role("button", name="重新征求").click()
    expect(messages(page)).to_contain_text("已重新征求部门会签意见")

    opinions = section(page, "部门会签意见")
    expect(opinions.get_by_role("heading", name="第2轮")).to_be_visible()
    expect(opinions.locator(".opinion-status").first).to_have_text("待答复")
    earlier = opinions.locator("details.opinion-round-earlier")
    earlier.locator("summary").click()  # folded, but there
    expect(earlier).to_contain_text("第1轮（此前）")
    expect(earlier).to_contain_text("未完成网络安全等级保护定级备案")
    expect(earlier).to_contain_text("不同意")
    expect(opinions.locator(".opinion-complete")).to_contain_text("尚未齐全")
    assert_speaks_chinese(page)
