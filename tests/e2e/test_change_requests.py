"""调整: a department asks for a change of its project in construction, and the measure routes it.

(a) 鄂尔多斯 project in construction: the staff file a change of 10.53% of the approved estimate; the
page says it must be approved again as a new project (第二十条) and offers to start the new project.
(b) 莱州 600万 project in construction, before procurement: a 12% change is asked; 第十九条 第二款 says
the building unit may apply for it before procurement (within 15%), so it goes to the reviewer, who
approves it with 批复文号 and the new amount; the baseline shows the new amount and its history.
"""

from __future__ import annotations

import io
import re

import yaml
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, log_out, messages

ORDOS = "鄂尔多斯市“蒙速办”接入改造"
LAIZHOU = "莱州市城市综合治理平台"


def _laizhou_in_construction_before_procurement(demo):
    """A 莱州 600万 governance project approved through the real services, then put in construction as
    if it had started (no procurement recorded yet)."""
    from jurisdictions.models import Department, Jurisdiction, Membership
    from projects.management.commands.seed_demo import DEMO_FILE, Command
    from tests.conftest import advance

    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    spec = data["jurisdictions"]["laizhou"]
    place = Jurisdiction.objects.get(code="laizhou")
    departments = {d.code: d for d in Department.objects.filter(jurisdiction=place)}
    departments = {row["code"]: departments[row["code"]] for row in spec["departments"]}
    users = {m.role: m.user for m in Membership.objects.filter(jurisdiction=place).select_related("user")}
    row = {
        "title": LAIZHOU,
        "category": "digital_infrastructure",
        "investment": 600,
        "facts": dict(spec["facts"]),
        "steps": data["common_steps"]["approved"],
    }
    errors = io.StringIO()
    Command(stdout=io.StringIO(), stderr=errors)._project(place, departments, users, row)
    assert not errors.getvalue(), errors.getvalue()
    project = demo.project(LAIZHOU)
    assert project.phase == "approved"
    return advance(project, "in_construction")


def _ask_for_change(page, increase: str, decrease: str, content: str) -> None:
    page.locator("section#changes").get_by_role("link", name="申请调整").click()
    page.get_by_label("调整内容").fill(content)
    page.get_by_label("调增投资（万元）").fill(increase)
    page.get_by_label("调减投资（万元）").fill(decrease)
    page.get_by_label("所依据的情形").select_option(label="确需对原技术方案进行完善优化")
    page.get_by_label("调整理由").fill("原方案的数据接口需按省级平台新规范调整")
    page.get_by_role("button", name="保存并查看调整路径").click()


def _submit(page) -> None:
    page.locator(".change-actions").get_by_role("link", name="提交调整申请").click()
    page.get_by_label(re.compile("确认按现有内容提交")).check()
    page.get_by_role("button", name="提交调整申请").click()


def test_ordos_change_beyond_ten_percent_goes_back_as_a_new_project(page, phone, demo):
    project = demo.project(ORDOS)
    assert project.phase == "in_construction"

    log_in(phone, "ordos_staff")  # on a phone: the section and the form fit 375 px
    phone.goto(f"/projects/{project.pk}/")
    expect(phone.locator("section#changes")).to_contain_text("投资与调整")
    assert_fits_phone(phone)
    _ask_for_change(phone, "40", "40", "将“蒙速办”接入方式由专线改为政务外网，并增加统一身份认证接口")
    assert_fits_phone(phone)
    route = phone.locator(".change-route")
    expect(route).to_contain_text("须按新建项目重新履行审批手续")
    expect(route.locator(".route-article")).to_contain_text("第二十条")
    expect(route).to_contain_text("10.53")
    expect(route).to_contain_text("调整金额超过可自行调整的概算比例")
    assert_speaks_chinese(phone)
    _submit(phone)
    expect(messages(phone)).to_contain_text("须按新建项目重新履行审批手续")
    expect(phone.locator(".change-status")).to_have_text("须重新申报")
    expect(phone.locator(".change-actions")).to_contain_text("据此新建项目草稿")
    assert_speaks_chinese(phone)
    assert_fits_phone(phone)
    # The baseline did not move.
    phone.goto(f"/projects/{project.pk}/")
    expect(phone.locator("section#changes .baseline-amount")).to_have_text("380.00")
    phone.locator("section#changes").get_by_role("link", name="调整与决算").click()
    expect(phone.locator(".change-table")).to_contain_text("须重新申报")
    assert_fits_phone(phone)
    assert_speaks_chinese(phone)


def test_laizhou_twelve_percent_before_procurement_is_applied_for_and_approved(page, demo):
    project = _laizhou_in_construction_before_procurement(demo)

    log_in(page, "laizhou_staff")
    page.goto(f"/projects/{project.pk}/")
    expect(page.locator("section#changes .baseline-amount")).to_have_text("600.00")
    _ask_for_change(page, "50", "72", "取消视频会商终端采购，新增城市部件巡查移动端")
    route = page.locator(".change-route")
    expect(route).to_contain_text("由建设单位在采购前申请调整，审批部门决定")
    expect(route.locator(".route-article")).to_contain_text("第十九条第二款")
    expect(route).to_contain_text("调整12%未超过15%，可由建设单位在采购前申请调整")
    expect(page.locator(".resulting-total")).to_contain_text("578.00")
    assert_speaks_chinese(page)
    _submit(page)
    expect(page.locator(".change-status")).to_have_text("待审批")
    log_out(page)

    log_in(page, "laizhou_reviewer")
    page.goto("/projects/inbox/")  # 待办: the change waits on the reviewer
    row = page.locator("tr", has_text="项目调整申请（待审批）").filter(has_text=LAIZHOU)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=LAIZHOU).click()
    expect(page.locator(".change-route")).to_contain_text("第十九条第二款")
    page.locator(".change-actions").get_by_role("link", name="批复调整").click()
    page.get_by_label("批复文号").fill("莱大数批〔2026〕21号")
    expect(page.get_by_label("核定调整后金额（万元）")).to_have_value("578.00")
    page.get_by_label(re.compile("我已确认")).check()
    page.get_by_role("button", name="批复调整").click()
    expect(messages(page)).to_contain_text("批复调整")
    expect(page.locator(".change-status")).to_have_text("已批复")
    expect(page.locator(".document-number")).to_have_text("莱大数批〔2026〕21号")
    expect(page.locator(".baseline-amount")).to_have_text("578.00")
    history = page.locator(".baseline-history")
    expect(history).to_contain_text("项目调整批复")
    expect(history).to_contain_text("600.00")
    assert_speaks_chinese(page)
