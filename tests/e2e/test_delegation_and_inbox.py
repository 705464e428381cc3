"""代理审批 and 待办: 红山区's reviewer 李娜 sees the declarations waiting on her, hands her work to 钱进 for
the coming week; 钱进 finds them in his 待办 marked 「代李娜」, approves two in one batch — one enters
the library, the other is still owed its pre-review and is reported as not done — and the project's
timeline names both people: 「钱进（代李娜）」."""

from __future__ import annotations

import datetime as dt
import io
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, detail, log_in, log_out, section

READY = "红山区政务数据治理平台"  # declared, pre-reviewed, screening confirmed: may enter the library
HELD = "红山区社区矫正管理系统"  # declared; the cloud centre's pre-review (前置审核) is still owed


def _declared(demo, title: str, *, pre_reviewed: bool):
    """Filed and declared by 红山 staff with every document library entry asks for (as seed_demo files)."""
    import yaml

    from approvals.reviews.demo import pass_review_steps
    from jurisdictions.models import Department, Jurisdiction, Role
    from projects.management.commands.seed_demo import DEMO_FILE, Command

    spec = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["jurisdictions"]["hongshan"]
    place = Jurisdiction.objects.get(code="hongshan")
    departments = {d.code: d for d in Department.objects.filter(jurisdiction=place)}
    departments = {row["code"]: departments[row["code"]] for row in spec["departments"]}
    users = {
        Role.DEPARTMENT_STAFF: demo.user("hongshan_staff"),
        Role.REVIEWER: demo.user("hongshan_reviewer"),
    }
    row = {
        "title": title,
        "category": "construction",
        "investment": 260,
        "year": timezone.localdate().year + 1,
        "facts": spec["facts"],
        "steps": ["declare"],
    }
    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    command._project(place, departments, users, row)
    project = demo.project(title)
    assert project.phase == "declared", project.phase
    command._review_screening(project, users[Role.REVIEWER])
    if pre_reviewed:
        pass_review_steps(project, "enter_library")
    return project


def test_a_delegate_decides_for_the_reviewer_from_the_inbox(page, phone, demo):
    _declared(demo, READY, pre_reviewed=True)
    _declared(demo, HELD, pre_reviewed=False)

    # 李娜 sees what waits on her, then delegates for the coming week
    log_in(page, "hongshan_reviewer")
    expect(page.locator("a.inbox-link .badge")).to_have_text("2")  # the header counts what waits
    page.get_by_role("link", name=re.compile("^待办")).click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    for title in (READY, HELD):
        expect(page.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("代李娜")
    assert_speaks_chinese(page)
    page.get_by_role("link", name="代理审批").click()
    page.get_by_role("link", name="委托他人代理审批").click()
    today = timezone.localdate()  # China's date, as the form checks it (UTC's is a day behind after 16:00)
    page.get_by_label("受托人").select_option(label="钱进")
    page.get_by_label("起始日期").fill(today.isoformat())
    page.get_by_label("至").fill((today + dt.timedelta(days=7)).isoformat())
    page.get_by_label("原因").fill("赴自治区参加培训一周")
    page.get_by_role("button", name="创建委托").click()
    expect(page.locator("ul.messages")).to_contain_text("委托已创建")
    given = page.locator("table.delegations").first
    expect(given).to_contain_text("钱进")
    expect(given).to_contain_text("生效中")
    assert_speaks_chinese(page)
    log_out(page)

    # 钱进 works through 李娜's 待办, on a phone
    log_in(phone, "hongshan_reviewer2")
    phone.get_by_role("link", name=re.compile("^待办")).click()
    expect(phone.locator("main")).to_contain_text("您正在代理 李娜 的审批工作（至")
    for title in (READY, HELD):
        row = phone.get_by_role("row").filter(has=phone.get_by_role("link", name=title, exact=True))
        expect(row).to_contain_text("代李娜")
        expect(row).to_contain_text("260")
        row.get_by_role("checkbox").check()
    assert_speaks_chinese(phone)
    assert_fits_phone(phone)
    phone.get_by_role("button", name="批量通过").click()

    expect(phone.get_by_role("heading", name="批量通过")).to_be_visible()
    expect(phone.locator("main")).to_contain_text(READY)
    expect(phone.locator("main")).to_contain_text(HELD)
    phone.get_by_label("我已核对以上事项").check()
    phone.get_by_role("button", name="确认").click()

    report = phone.locator("ul.results")
    expect(phone.locator("main")).to_contain_text("成功 1 项，未办理 1 项")
    expect(report.locator("li").filter(has_text=READY)).to_contain_text("成功")
    held = report.locator("li").filter(has_text=HELD)
    expect(held).to_contain_text("未办理")
    expect(held).to_contain_text("前置审核")
    assert_speaks_chinese(phone)
    assert_fits_phone(phone)

    phone.get_by_role("link", name=READY).click()
    expect(detail(phone, "阶段")).to_have_text("已入库")
    entry = section(phone, "办理记录").get_by_role("listitem").last
    expect(entry).to_contain_text("钱进（代李娜）")
    expect(entry).to_contain_text("纳入项目库")

    phone.goto("/projects/inbox/?tab=done")
    expect(phone.locator("main")).to_contain_text(READY)
    expect(phone.locator("main")).to_contain_text("代李娜")
    assert demo.project(HELD).phase == "declared"
