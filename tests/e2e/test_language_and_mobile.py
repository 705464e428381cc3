"""Anyone: reads govproj in Chinese first, switches to English and back, and uses it on a 375 px phone."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import (
    assert_fits_phone,
    assert_on_screen,
    assert_speaks_chinese,
    detail,
    log_in,
)

PROJECT = "包头市智慧医疗影像云"  # in construction: the detail page has verdicts, a timeline and actions


def test_switch_to_english_and_back(page, demo):
    log_in(page, "baotou_reviewer")
    page.get_by_role("link", name=PROJECT, exact=True).click()
    expect(detail(page, "阶段")).to_have_text("建设中")

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(detail(page, "Phase")).to_have_text("In construction")  # the same page, now in English
    page.get_by_role("navigation").get_by_role("link", name="Projects").click()
    expect(page.get_by_role("heading", name="Projects", exact=True)).to_be_visible()  # and it stays so

    page.get_by_role("button", name="简体中文").click()

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", name="项目", exact=True)).to_be_visible()
    assert_speaks_chinese(page)


def test_navigation_is_usable_on_a_phone(phone, demo):
    log_in(phone, "baotou_reviewer")
    navigation = phone.get_by_role("navigation")

    phone.get_by_role("link", name=PROJECT, exact=True).click()
    expect(phone.get_by_role("heading", name=PROJECT)).to_be_visible()
    navigation.get_by_role("link", name="项目", exact=True).click()
    expect(phone.get_by_role("heading", name="项目", exact=True)).to_be_visible()
    navigation.get_by_role("button", name="退出").click()
    expect(phone.get_by_role("button", name="登录")).to_be_visible()


def test_navigation_fits_a_phone(phone, demo):
    log_in(phone, "baotou_admin")  # the busiest navigation: people, security log, administration
    navigation = phone.get_by_role("navigation")
    controls = navigation.get_by_role("link").all() + navigation.get_by_role("button").all()
    assert len(controls) >= 4

    for control in controls:
        assert_on_screen(phone, control)


def test_project_list_fits_a_phone(phone, demo):
    log_in(phone, "baotou_reviewer")
    expect(phone.get_by_role("link", name=PROJECT, exact=True)).to_be_attached()

    assert_fits_phone(phone)


def test_project_page_fits_a_phone(phone, demo):
    log_in(phone, "baotou_reviewer")
    phone.get_by_role("link", name=PROJECT, exact=True).click()
    expect(phone.get_by_role("heading", name=PROJECT)).to_be_visible()

    assert_fits_phone(phone)


def test_login_page_fits_a_phone(phone):
    phone.goto("/")
    expect(phone.get_by_role("button", name="登录")).to_be_visible()

    assert_fits_phone(phone)
    assert_speaks_chinese(phone)
