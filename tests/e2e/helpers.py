"""What a journey does as a person, and what it checks on every page (see tests/e2e/README.md).

Import these in a journey; the fixtures (`page`, `phone`, `demo`) live in tests/e2e/conftest.py.
"""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlparse

from django.utils import translation
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

LOGIN_PATH = "/accounts/login/"
PHONE_WIDTH = 375  # the narrowest screen the product guide asks pages to work on


def demo_password() -> str:
    """The demo users' password, read from seed_demo each time (the sign-in work may change it)."""
    from projects.management.commands import seed_demo

    return seed_demo.PASSWORD


def log_in(page: Page, username: str, password: str | None = None) -> Page:
    """Log in through the Chinese login form as a person would; fail with what the page says if refused.

    The password defaults to the demo password. Lands on the project list (asked for first, so the
    login sends the person there); a journey about the home page goes to "/" itself.
    """
    page.goto("/projects/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(demo_password() if password is None else password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    if urlparse(page.url).path == LOGIN_PATH:
        said = page.locator("main").inner_text()
        raise AssertionError(f"{username} could not log in; the page says: {said}")
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    return page


def fail_to_log_in(page: Page, username: str, times: int) -> None:
    """Type a wrong password `times` times in a row (e.g. until the account locks)."""
    page.goto("/")
    for _attempt in range(times):
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill("a-wrong-password-2026")
        page.get_by_role("button", name="登录").click()


def log_out(page: Page) -> None:
    # The header's counts load after the page: signing out while they are in flight deletes the
    # session under them (Django answers them 400, SessionInterrupted), so let them finish first.
    # A page that polls (a report being built) never falls quiet: wait a little, then sign out anyway.
    try:
        page.wait_for_load_state("networkidle", timeout=3000)
    except PlaywrightTimeoutError:
        pass
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    assert urlparse(page.url).path == LOGIN_PATH


def detail(page: Page, label: str) -> Locator:
    """The value a detail page shows beside a label (its `<dt>label</dt><dd>value</dd>`)."""
    return page.locator(f"xpath=//dt[normalize-space()='{label}']/following-sibling::dd[1]")


def section(page: Page, heading: str) -> Locator:
    """The card or section headed by `heading` (e.g. 办理记录, the timeline)."""
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def messages(page: Page) -> Locator:
    """The messages the page shows after an action (success, refusal and its reasons)."""
    return page.locator("ul.messages")


def visible_text(page: Page) -> str:
    """What a person can read: the rendered text of the body (closed <details>, hidden nodes left out)."""
    return page.locator("body").inner_text()


@cache
def _untranslated_pattern() -> re.Pattern:
    from jurisdictions.packfiles import shipped_codes
    from jurisdictions.rules.facts import FACTS
    from projects.models import Phase

    with translation.override("en"):
        phase_words = [p.value for p in Phase] + [str(p.label) for p in Phase]
    words = sorted({*FACTS, *phase_words}, key=len, reverse=True)
    rule_ids = rf"(?:{'|'.join(map(re.escape, shipped_codes()))})\.[a-z_]+(?:\.[a-z_]+)*"
    alternatives = "|".join([rule_ids, *(re.escape(w) for w in words)])
    return re.compile(rf"(?<![A-Za-z0-9_.])(?:{alternatives})(?![A-Za-z0-9_])", re.IGNORECASE)


def untranslated(text: str) -> list[str]:
    """Fact codes (`declarer_role`), rule ids (`baotou.intake.declarer`) and English phase words
    (`draft`, `In the project library`) found in a Chinese page's text: a person reads none of them."""
    return sorted({m.group(0) for m in _untranslated_pattern().finditer(text)})


def assert_speaks_chinese(page: Page) -> None:
    """The page is in Chinese and shows no code, rule id or English phase word."""
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    found = untranslated(visible_text(page))
    assert not found, f"{urlparse(page.url).path} shows codes or English to a Chinese reader: {found}"


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def assert_fits_phone(page: Page) -> None:
    """No horizontal scroll at 375 px: the page is as wide as the screen, not wider."""
    width = page_width(page)
    assert width <= PHONE_WIDTH, f"{urlparse(page.url).path} is {width} px wide on a {PHONE_WIDTH} px phone"


def assert_on_screen(page: Page, locator) -> None:
    """The element is visible and wholly inside the viewport horizontally, so a thumb can reach it."""
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    viewport = page.viewport_size
    assert box is not None and viewport is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (
        f"{locator} lies outside the {viewport['width']} px screen: {box}"
    )
