"""部门经办人 Department staff of 包头市: sees the API token a script of theirs holds and revokes it,
after confirming; the token stops working at once."""

from __future__ import annotations

from knox.models import AuthToken
from playwright.sync_api import expect

from tests.e2e.helpers import assert_fits_phone, assert_speaks_chinese, log_in, messages


def test_staff_revokes_their_token_after_confirming(page, demo):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.get(username="baotou_staff")
    _instance, token = AuthToken.objects.create(user=staff)

    log_in(page, "baotou_staff")
    page.get_by_role("navigation").get_by_role("link", name="API 令牌").click()
    row = page.get_by_role("row").filter(has_text=token[:8])
    expect(row).to_contain_text("张伟")
    assert_speaks_chinese(page)
    row.get_by_role("link", name="撤销…").click()

    expect(page.locator("main")).to_contain_text("不可撤销")
    page.get_by_role("button", name="吊销该令牌").click()
    expect(messages(page)).to_contain_text(token[:8])
    expect(page.get_by_role("row").filter(has_text=token[:8])).to_have_count(0)

    answer = page.request.get("/api/v1/projects/", headers={"Authorization": f"Token {token}"})
    assert answer.status == 401


def test_the_token_page_fits_a_phone(phone, demo):
    log_in(phone, "baotou_staff")
    phone.goto("/accounts/tokens/")
    assert_fits_phone(phone)
