"""红山区's reviewer returns a declaration; its department's staff member is told: the unread count in the
header, the notification centre, one click to the project; an e-mail at once; then they choose a daily
digest instead."""

from __future__ import annotations

from django.core import mail
from playwright.sync_api import expect

from projects.notifications.models import NotificationPreference
from projects.notifications.services import notification_mark_all_read, notify
from tests.e2e.helpers import (
    assert_fits_phone,
    assert_speaks_chinese,
    detail,
    log_in,
    log_out,
    messages,
)

QUEUED = "红山区社区养老服务信息平台"
REASON = "可行性研究报告缺少投资估算明细，请补充后重新提交。"
TOLD = f"项目「{QUEUED}」已被退回修改"


def _declared(demo):
    demo.given_draft("hongshan", QUEUED, category="construction", investment=1280)
    demo.given_transition("hongshan_staff", QUEUED, "declare")
    staff = demo.user("hongshan_staff")
    staff.email = "hongshan_staff@example.gov.cn"
    staff.save()
    notification_mark_all_read(user=staff)  # what the demo told them before is read
    return staff


def test_staff_are_told_of_a_return_and_choose_a_daily_digest(page, demo):
    staff = _declared(demo)

    log_in(page, "hongshan_reviewer")
    page.get_by_role("link", name="待审核申报").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=QUEUED, exact=True))
    row.get_by_role("link", name="退回修改").click()
    page.get_by_label("退回意见").fill(REASON)
    page.get_by_role("button", name="退回修改").click()
    expect(messages(page)).to_contain_text("已完成：退回修改。")
    log_out(page)

    # Mailed at once (immediate is everyone's default), in Chinese, with the link to the thing to do.
    [mailed] = [m for m in mail.outbox if m.to == [staff.email]]
    assert mailed.subject == f"【政务信息化项目】{TOLD}"
    assert REASON in mailed.body and "/notifications/" in mailed.body

    log_in(page, "hongshan_staff")
    header = page.locator("header a.notifications-link")
    expect(header.locator(".badge")).to_have_text("1")
    header.click()
    expect(page.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    expect(page.locator("main")).to_contain_text("未读：1")
    item = page.locator("li.notification").filter(has_text=TOLD)
    expect(item).to_contain_text(QUEUED)
    expect(item).to_contain_text(REASON)
    assert_speaks_chinese(page)

    item.get_by_role("link", name=TOLD).click()
    expect(page.get_by_role("heading", name=QUEUED)).to_be_visible()
    expect(detail(page, "阶段")).to_have_text("退回修改")
    assert page.url.endswith("#intake")
    expect(header.locator(".badge")).to_have_count(0)  # the count dropped

    header.click()
    page.get_by_role("link", name="邮件提醒设置").click()
    expect(page.get_by_role("heading", name="邮件提醒设置")).to_be_visible()
    expect(page.get_by_label("立即发送（每条一封）")).to_be_checked()
    assert_speaks_chinese(page)
    page.get_by_label("每日汇总").check()
    page.get_by_role("button", name="保存").click()
    expect(messages(page)).to_contain_text("已保存。")
    expect(page.get_by_label("每日汇总")).to_be_checked()
    assert NotificationPreference.objects.get(user=staff).email_mode == "digest"


def test_the_centre_fits_a_phone(phone, demo):
    staff = _declared(demo)
    project = demo.project(QUEUED)
    long_title = f"项目「{QUEUED}」的可行性研究报告审核意见已出，请在五个工作日内按意见修改并重新上传全部材料"
    notify([staff], kind="nudge", title=long_title, url=f"/projects/{project.pk}/", project=project)

    log_in(phone, "hongshan_staff")
    phone.goto("/notifications/")
    item = phone.locator("li.notification").filter(has_text=long_title)
    expect(item).to_contain_text(QUEUED)
    assert_fits_phone(phone)
    item.get_by_role("button", name="标为已读").click()  # htmx: the item and the header's count
    expect(item.get_by_role("button", name="标为已读")).to_have_count(0)
    expect(phone.locator("header a.notifications-link .badge")).to_have_count(0)
    assert_fits_phone(phone)
