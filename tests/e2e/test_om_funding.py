"""运维经费: a 莱州 600万 governance project in operation asks for O&M funds; the finance officer decides.

The department applies for 2028 (its free O&M of 3 years from acceptance on 2024-03-01 is over) with
70万元; the finance officer's queue shows 不予安排 with the reasons and their articles (data not shared,
第二十六条; above 10% of the construction investment, 第二十九条: 60万元) and refuses it with a reason after
confirming. After rectification (the data bureau records that the data is shared: set up here, as its
own record would) the department applies again for 60万元 and the finance officer approves; the finance
officer's home lists both decisions. Also on a 375 px phone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, log_out, messages, section

TITLE = "莱州市城市综合治理平台"
FACTS = {
    "laizhou_class": "governance",
    "free_om_years": 3,
    "in_system_catalogue": True,
    "uses_resource_catalogue": True,
    "crypto_compliant": True,
    "security_compliant": True,
    "duplicates_data_collection": False,
}


def _record(project, facts: dict) -> None:
    """What another record (acceptance, evaluation, the data bureau's flags) records on the project."""
    from projects.models import Project
    from projects.records import record_facts

    with transaction.atomic():
        record_facts(Project.objects.select_for_update().get(pk=project.pk), facts)


def _project_in_operation(demo):
    from tests.conftest import advance

    project = demo.given_draft(
        "laizhou",
        TITLE,
        category="digital_infrastructure",
        investment=600,
        facts={**FACTS, "shares_data": False},
    )
    advance(project, "in_operation", on=dt.date(2024, 3, 1))
    _record(project, {"accepted": True, "major_security_hazard": False, "performance_poor": False})
    assert project.total_investment_wan == Decimal("600")
    return project


def _apply(page, amount: str) -> None:
    page.get_by_role("link", name=TITLE, exact=True).first.click()
    om = section(page, "运维经费")
    om.get_by_role("link", name="申请运维经费").click()
    page.get_by_label("运维年度").fill("2028")
    page.get_by_label("申请年度运维经费（万元）").fill(amount)
    page.get_by_label("合同履行期限（年）").fill("1")
    page.get_by_label("我确认将本申请提交财政审核。").check()
    page.get_by_role("button", name="提交财政审核").click()
    expect(messages(page)).to_contain_text("运维经费申请已提交财政审核")


def _queue_row(page):
    return page.locator("table.om-queue tr").filter(has=page.get_by_role("link", name=TITLE, exact=True))


def _decide(page, choice: str, reason: str = "") -> None:
    _queue_row(page).get_by_role("link", name="审核").click()
    expect(page.get_by_role("heading", name="审核运维经费")).to_be_visible()
    page.get_by_label(choice, exact=True).check()
    if reason:
        page.get_by_label("理由（核减或不予安排时必填）").fill(reason)
    confirm = page.get_by_label("我确认此决定。")
    page.get_by_role("button", name="记录决定").click()  # not confirmed yet: the form will not go
    assert confirm.evaluate("box => box.validity.valueMissing")
    expect(page.get_by_role("heading", name="审核运维经费")).to_be_visible()
    confirm.check()
    page.get_by_role("button", name="记录决定").click()
    expect(messages(page)).to_contain_text("决定已记录")


def test_om_funds_refused_then_approved_after_rectification(page, phone, demo):
    project = _project_in_operation(demo)

    log_in(page, "laizhou_staff")
    _apply(page, "70")
    log_out(page)

    log_in(page, "laizhou_finance")
    page.goto("/")  # the finance officer's home: the O&M queue
    expect(page.get_by_role("heading", name="运维经费申请", exact=True)).to_be_visible()
    row = _queue_row(page)
    expect(row).to_contain_text("不予安排")
    expect(row).to_contain_text("第二十六条")
    expect(row).to_contain_text("70.00")
    assert_speaks_chinese(page)
    row.get_by_role("link", name="逐条理由").click()
    reasons = page.locator(".om-reasons")
    expect(reasons).to_contain_text("未按要求汇聚、共享、开放数据资源")
    expect(reasons).to_contain_text("第二十六条")
    expect(reasons).to_contain_text("第二十九条")
    expect(page.locator(".om-cap")).to_contain_text("60.00")
    assert_speaks_chinese(page)
    page.goto("/")
    _decide(page, "不予安排", "数据资源未按要求共享，且超过建设总投入的10%，整改后再申请")
    expect(page.locator(".om-decision-status")).to_have_text("不予安排")
    log_out(page)

    _record(project, {"shares_data": True})  # rectified: the data is shared now

    log_in(page, "laizhou_staff")
    _apply(page, "60")  # corrected to 10% of 600万元
    expect(page.locator(".om-answer-label").first).to_have_text("可以安排")
    log_out(page)

    log_in(page, "laizhou_finance")
    page.goto("/")
    expect(_queue_row(page)).to_contain_text("可以安排")
    _decide(page, "按申请金额同意")
    page.goto("/")
    decisions = page.locator("table.om-decisions")
    expect(decisions.locator("tr").filter(has_text=TITLE)).to_have_count(2)
    expect(decisions).to_contain_text("整改后再申请")
    expect(decisions).to_contain_text("同意安排")
    expect(_queue_row(page)).to_have_count(0)
    assert_speaks_chinese(page)

    log_in(phone, "laizhou_finance")
    phone.goto("/")
    assert_fits_phone(phone)
    phone.locator("table.om-decisions").get_by_role("link", name=TITLE).first.click()
    expect(phone.locator(".om-answer")).to_be_visible()
    assert_fits_phone(phone)
