"""审核人员 The 红山区 reviewer compiles the 2027 annual plan in the browser and publishes it.

Starts the plan on the 年度计划 page, adds a project from the library, reads the totals against the
ceiling, publishes after the confirmation step, and sees the project listed in the annual plan.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, detail, log_in, messages, section

IN_LIBRARY = "红山区民政救助信息系统"  # the demo's 红山 project in the library (120 万元)


def test_reviewer_publishes_the_2027_annual_plan(page, demo):
    log_in(page, "hongshan_reviewer")
    page.get_by_role("link", name="年度计划").click()
    expect(page.get_by_role("heading", name="年度计划", exact=True)).to_be_visible()
    assert_speaks_chinese(page)

    page.get_by_label("计划年度").fill("2027")
    page.get_by_label("总额上限（万元）").fill("100")
    page.get_by_role("button", name="新建计划").click()

    expect(messages(page)).to_contain_text("已新建2027年度计划。")
    expect(page.get_by_role("heading", level=1)).to_contain_text("2027年度计划")
    expect(detail(page, "状态")).to_have_text("编制中")
    assert_speaks_chinese(page)

    page.get_by_label(re.compile(IN_LIBRARY)).check()
    page.get_by_role("button", name="加入计划").click()

    expect(messages(page)).to_contain_text("已将1个项目加入计划。")
    entries = section(page, "计划中的项目")
    expect(entries.get_by_role("link", name=IN_LIBRARY)).to_be_visible()
    expect(entries).to_contain_text("120.00")
    expect(entries).to_contain_text("发布后列入")
    totals = section(page, "合计")
    expect(totals).to_contain_text("超出总额上限 20.00 万元。")
    expect(totals.get_by_role("table").first).to_contain_text("120.00")  # by department
    expect(totals.get_by_role("table").last).to_contain_text("财政资金")  # by funding source
    assert_speaks_chinese(page)

    page.get_by_role("link", name="发布计划").click()
    expect(page.get_by_text("发布后不可撤回。")).to_be_visible()
    expect(page.locator("main")).to_contain_text(IN_LIBRARY)
    assert_speaks_chinese(page)
    page.get_by_label(re.compile("我确认")).check()
    page.get_by_role("button", name="发布", exact=True).click()

    expect(messages(page)).to_contain_text("2027年度计划已发布")
    expect(detail(page, "状态")).to_have_text("已发布")
    expect(section(page, "计划中的项目")).to_contain_text("已列入年度计划")
    expect(page.get_by_role("button", name="修订计划")).to_be_visible()

    section(page, "计划中的项目").get_by_role("link", name=IN_LIBRARY).click()
    expect(detail(page, "阶段")).to_have_text("已列入年度计划")
    entry = section(page, "办理记录").get_by_role("listitem").last
    expect(entry).to_contain_text("列入年度计划")
    expect(entry).to_contain_text("列入2027年度计划")
    assert_speaks_chinese(page)


def test_plans_fit_a_phone(phone, demo):
    from django.contrib.auth import get_user_model

    from jurisdictions.models import Jurisdiction
    from projects.models import Project
    from projects.plans import services as plans

    reviewer = get_user_model().objects.get(username="hongshan_reviewer")
    plan = plans.plan_create(
        actor=reviewer, jurisdiction=Jurisdiction.objects.get(code="hongshan"), year=2027, ceiling_wan=100
    )
    project = Project.objects.get(title=IN_LIBRARY)
    plans.plan_add_project(actor=reviewer, plan_id=plan.pk, project_id=project.pk)

    log_in(phone, "hongshan_reviewer")
    phone.goto("/projects/plans/")
    expect(phone.get_by_role("heading", name="年度计划", exact=True)).to_be_visible()
    assert_fits_phone(phone)
    phone.get_by_role("link", name="2027年度计划").click()
    expect(section(phone, "合计")).to_contain_text("超出总额上限 20.00 万元。")
    assert_fits_phone(phone)
    phone.get_by_role("link", name="发布计划").click()
    expect(phone.get_by_text("发布后不可撤回。")).to_be_visible()
    assert_fits_phone(phone)
