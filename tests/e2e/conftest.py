"""Browser journeys: Debian's headless Chromium, driven by Playwright, against a live server, real database.

Run them with `make e2e` (they are left out of `make test`). What a journey gets:
- `page`: a Chinese (zh-CN) desktop browser tab whose relative URLs go to the live server;
- `phone`: the same at 375 x 812, a touch screen, for "usable on a phone" checks;
- `demo`: the five shipped rule packs and `seed_demo`'s users and projects, loaded anew for each
  test (the live server needs committed rows, so each test starts from a flushed database);
- every browser tab is watched: a console error (a Content-Security-Policy violation, a failed
  load) or an uncaught script error fails the test. Allow one on purpose with
  `@pytest.mark.browser_errors_allowed(r"regex", ...)`.
- when a test fails, a screenshot and the page's HTML of each open tab are kept under
  test-results/e2e/<test>/ (gitignored).
People's actions (log in, check a page speaks Chinese, fits a phone) are in tests/e2e/helpers.py.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

CHROMIUM = "/usr/bin/chromium"  # Debian's package: no browser download is possible here
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 10_000  # a page of this app answers in well under a second; fail fast, not after 30 s


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser_errors_allowed(*patterns): browser errors matching these regexes do not fail the test",
    )


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright():
    """Let test code use the ORM while Playwright's sync API runs its event loop in this thread.

    Django refuses ORM calls from a thread with a running event loop (SynchronousOnlyOperation).
    Playwright's loop only drives the browser; nothing here is async. Scoped to the e2e run.
    Also serve the live server on 127.0.0.1 (no IPv6 guesswork for "localhost").
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        if not os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS"):
            patch.setenv("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
        yield


@pytest.fixture(scope="session")
def base_url(_orm_beside_playwright, django_db_setup, live_server) -> str:
    """Relative URLs in `page.goto("/projects/")` go to the live server (pytest-django's, real database)."""
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A browser set up as the people who use govproj have theirs: Chinese, in China's time zone."""
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


@pytest.fixture(autouse=True)
def browser_errors() -> list[str]:
    """Console errors and uncaught script errors seen in this test's tabs (checked after the test)."""
    return []


@pytest.fixture
def new_context(new_context, browser_errors, request, output_path):
    """pytest-playwright's `new_context`, with every tab watched for errors and its HTML kept on failure."""
    contexts = []

    def watched(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("console", lambda message: _console_error(message, browser_errors))
        context.on("weberror", lambda error: browser_errors.append(f"script error: {error.error}"))
        contexts.append(context)
        return context

    yield watched
    call = getattr(request.node, "rep_call", None)
    setup = getattr(request.node, "rep_setup", None)
    if (call is not None and call.failed) or (call is None and setup is not None and setup.failed):
        folder = Path(output_path)
        folder.mkdir(parents=True, exist_ok=True)
        pages = [page for context in contexts for page in context.pages]
        for index, page in enumerate(pages, start=1):
            try:
                (folder / f"page-{index}.html").write_text(page.content(), encoding="utf-8")
            except Exception as error:  # a crashed tab still lets the other artifacts be kept
                (folder / f"page-{index}.html.error").write_text(str(error), encoding="utf-8")


def _console_error(message, errors: list[str]) -> None:
    url = message.location.get("url", "")
    # The browser asks for /favicon.ico on its own; the page did not: not the page's error.
    if message.type == "error" and not url.endswith("/favicon.ico"):
        errors.append(f"console: {message.text} ({url})")


@pytest.fixture
def phone(new_context):
    """A tab on a 375 px wide phone (touch, mobile viewport), in Chinese like `page`."""
    return new_context(**PHONE).new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a journey whose browser logged an error, unless the test itself already failed."""
    result = yield
    errors = item.funcargs.get("browser_errors") or []
    marker = item.get_closest_marker("browser_errors_allowed")
    allowed = [re.compile(pattern) for pattern in (marker.args if marker else ())]
    unexpected = [e for e in errors if not any(p.search(e) for p in allowed)]
    if unexpected:
        raise AssertionError("The browser reported errors:\n" + "\n".join(unexpected))
    return result


# --------------------------------------------------------------------------- data


@dataclass
class Demo:
    """The demo world of `make run`: the real packs (包头, 红山, 南充, 莱州, 鄂尔多斯), people, projects.

    Users are `<jurisdiction>_<role>`: baotou_staff, baotou_reviewer, nanchong_reviewer, ...
    Use the `given_*` methods for what happened before the journey starts, not for the journey.
    """

    @property
    def password(self) -> str:
        from tests.e2e.helpers import demo_password

        return demo_password()

    def user(self, username: str):
        return get_user_model().objects.get(username=username)

    def project(self, title: str):
        from projects.models import Project

        return Project.objects.get(title=title)

    def given_transition(self, username: str, title: str, transition: str):
        """A step someone took earlier (through the service, so it passed the real rules)."""
        from projects import services

        return services.transition_project(
            actor=self.user(username), project_id=self.project(title).pk, name=transition
        )

    def given_draft(
        self, jurisdiction: str, title: str, *, category: str, investment: int, facts: dict | None = None
    ):
        """A draft filed by the jurisdiction's staff with every fact its demo projects declare.

        Filed the way `seed_demo` files its projects (same documents, answers and facts, with
        `facts` on top), so that it can be declared; today there is no page to file a project.
        """
        from jurisdictions.models import Department, Jurisdiction, Membership
        from projects.management.commands.seed_demo import DEMO_FILE, Command

        spec = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["jurisdictions"][jurisdiction]
        place = Jurisdiction.objects.get(code=jurisdiction)
        departments = {d.code: d for d in Department.objects.filter(jurisdiction=place)}
        # In the demo file's order: seed_demo files a project under the first (the staff's own).
        departments = {row["code"]: departments[row["code"]] for row in spec["departments"]}
        users = {m.role: m.user for m in Membership.objects.filter(jurisdiction=place).select_related("user")}
        row = {
            "title": title,
            "category": category,
            "investment": investment,
            "facts": {**spec["facts"], **(facts or {})},
        }
        Command(stdout=io.StringIO(), stderr=io.StringIO())._project(place, departments, users, row)
        return self.project(title)


@pytest.fixture
def demo(transactional_db) -> Demo:
    """`manage.py load_rulepacks` and `manage.py seed_demo`, as `make run` does, into the test database.

    On PostgreSQL the first journey of a session seeds and keeps a copy of every table in a schema
    of its own; each later journey gets the very same rows back by copying them in (a second,
    against half a minute of seeding). On SQLite each journey seeds.
    """
    if connection.vendor != "postgresql":
        _seed()
    elif not _SNAPSHOT_TABLES:
        _seed()
        _SNAPSHOT_TABLES.extend(_snapshot())
    else:
        _restore(_SNAPSHOT_TABLES)
    return Demo()


SNAPSHOT_SCHEMA = "e2e_demo"
_SNAPSHOT_TABLES: list[str] = []  # the tables copied, once per process (each xdist worker has its own)


def _seed() -> None:
    call_command("load_rulepacks", stdout=io.StringIO(), stderr=io.StringIO())
    errors = io.StringIO()
    call_command("seed_demo", stdout=io.StringIO(), stderr=errors)
    assert not errors.getvalue(), errors.getvalue()  # a demo project stopped short of its phase


def _snapshot() -> list[str]:
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in tables:
            cursor.execute(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS TABLE public."{table}"')
    return tables


def _restore(tables: list[str]) -> None:
    """The seeded rows back, ids and all: triggers (append-only guards, foreign keys) are off meanwhile."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute("TRUNCATE " + ", ".join(f'public."{t}"' for t in tables) + " CASCADE")
            for table in tables:
                cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {SNAPSHOT_SCHEMA}."{table}"')
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    ContentType.objects.clear_cache()  # the flush made content types anew, with other ids
