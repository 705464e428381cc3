"""The journeys' own safety net: a Content-Security-Policy violation or a script error fails a journey."""

from __future__ import annotations

CSP = "default-src 'self'; script-src 'self'; style-src 'self'"
BROKEN = "<!doctype html><p>hi</p><script>undefinedFunction()</script><style>p { color: red }</style>"


def test_the_watch_sees_csp_violations_and_script_errors(page, browser_errors):
    page.route(
        "**/broken/",
        lambda route: route.fulfill(
            body=BROKEN, content_type="text/html", headers={"Content-Security-Policy": CSP}
        ),
    )
    page.route("**/unsafe/", lambda route: route.fulfill(body=BROKEN, content_type="text/html"))

    page.goto("/broken/")
    page.goto("/unsafe/")

    assert any("Content Security Policy" in e and "script" in e for e in browser_errors), browser_errors
    assert any("Content Security Policy" in e and "style" in e for e in browser_errors), browser_errors
    assert any("script error" in e and "undefinedFunction" in e for e in browser_errors), browser_errors
    browser_errors.clear()  # seen on purpose: this test must not fail for them
