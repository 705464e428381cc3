"""In Chromium: the charts draw under the Content-Security-Policy with no console error, at desktop
width and at 375 px (no sideways scrolling), for a reviewer, a finance officer and department staff.

Every failed response counts, so it runs against a live server on PostgreSQL (as the journeys do)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from jurisdictions.models import Role
from tests.conftest import make_tenant
from tests.projects.dashboard.helpers import grow
from tests.test_deploy import CHROMIUM

LISTEN = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
)


@pytest.mark.django_db(transaction=True)
def test_the_charts_draw_without_a_console_error_on_a_desktop_and_a_phone(live_server):
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (scripts/system-deps.sh --dev)")
    if connection.vendor != "postgresql":  # DATABASE_URL=postgres://… to run it
        pytest.skip("SQLite's shared in-memory test database locks under the page's parallel header requests")
    from playwright.sync_api import sync_playwright

    tenant = make_tenant("alpha")
    grow(tenant, 8)
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for role, charts in (
                (Role.REVIEWER, 5),
                (Role.FINANCE_OFFICER, 2),
                (Role.DEPARTMENT_STAFF, 1),
            ):
                for width in (1280, 375):
                    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 800})
                    page = context.new_page()
                    page.set_default_timeout(15_000)
                    page.add_init_script(LISTEN)
                    page.on(
                        "console",
                        lambda m, w=width: (
                            m.type == "error"
                            and not m.text.startswith("Failed to load resource")  # said with its URL below
                            and errors.append(f"{w}px: {m.text}")
                        ),
                    )
                    page.on(
                        "response",
                        lambda r, w=width: (
                            r.status >= 400
                            and not r.url.endswith("/favicon.ico")
                            and errors.append(f"{w}px: {r.status} {r.url}")
                        ),
                    )
                    page.on("pageerror", lambda e, w=width: errors.append(f"{w}px: {e}"))
                    page.goto(f"{live_server.url}{reverse('login')}")
                    page.locator("input[name=username]").fill(tenant.users[role].username)
                    page.locator("input[name=password]").fill("pw-for-tests")
                    with page.expect_navigation():
                        page.locator("form[action='/accounts/login/'] button[type=submit]").click()
                    page.goto(f"{live_server.url}{reverse('dashboard:index')}")
                    page.wait_for_function(
                        f"document.querySelectorAll('.chart.drawn canvas').length >= {charts}"
                    )
                    assert page.locator(".chart[data-chart]").count() == charts, (role, width)
                    page.locator(
                        ".chart.drawn"
                    ).first.hover()  # a tooltip: rich text, never HTML with style=""
                    page.wait_for_timeout(400)
                    assert page.evaluate("document.querySelectorAll('style').length") == 0
                    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                    assert overflow <= 0, (role, width, overflow)
                    widest = page.evaluate(
                        "Math.max(...[...document.querySelectorAll('.chart canvas')].map(c => c.clientWidth))"
                    )
                    assert 0 < widest <= width, (role, width, widest)
                    context.close()
        finally:
            browser.close()
    assert errors == [], "\n".join(errors)
