"""Deploy defaults: production unless told otherwise, a strong secret, HTTPS, and a CSP with no inline code.

The deployment is docker-compose.yml on the image of the Dockerfile with `.env` copied from
`.env.example`. Outside the make targets (which choose `local`) and pytest (`test`), `manage.py`,
the WSGI app and Celery run production settings. The Content-Security-Policy is on in every
environment, so these tests and the browser journeys see a violation before production does.
"""

from __future__ import annotations

import os
import re
import runpy
import secrets
import shlex
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from jurisdictions.models import Role
from tests.conftest import make_project, make_tenant
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


def strong_secret() -> str:
    return secrets.token_urlsafe(50)


def clean_environment(**extra: str) -> dict[str, str]:
    """The process environment without any Django or service setting, plus `extra`."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_"))}
    return {**keep, **extra}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# --------------------------------------------------------------------------- production by default

SHOW_SETTINGS = "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"


@pytest.mark.parametrize(
    "entry_point",
    [
        "import govproj.wsgi",
        "import govproj.celery; import django; django.setup()",
        "import runpy, sys\nsys.argv = ['manage.py', 'check']\n"
        "runpy.run_path('manage.py', run_name='__main__')",
    ],
    ids=["wsgi", "celery", "manage.py"],
)
def test_entry_points_run_production_settings_unless_told_otherwise(entry_point, tmp_path):
    env = clean_environment(
        DJANGO_SECRET_KEY=strong_secret(),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/5",
    )
    result = run_python(f"{entry_point}\n{SHOW_SETTINGS}", env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "govproj.settings.production False"


def _env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as docker compose's env_file reads them (comments and blanks skipped)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _dockerfile_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    values = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            values.update(word.split("=", 1) for word in shlex.split(line[4:]))
    return values


def test_env_example_copied_into_docker_compose_runs_production_and_wants_a_secret():
    """Given .env copied from .env.example, the web container runs production settings without DEBUG."""
    example = _env_file(ROOT / ".env.example")
    assert "DJANGO_SETTINGS_MODULE" not in example
    assert example.get("DJANGO_DEBUG", "false").lower() in ("false", "0", "no", "off")
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]["web"]
    assert web["env_file"] == ".env"
    assert web["environment"]["DJANGO_SETTINGS_MODULE"] == "govproj.settings.production"
    # The container's environment: the image's ENV, then env_file, then compose's environment.
    container = {**_dockerfile_env(), **example, **web["environment"]}

    if not (ROOT / ".env").exists():  # a developer's own .env could hold a secret
        refused = run_python("import govproj.wsgi", clean_environment(**container))
        assert refused.returncode != 0
        assert "ImproperlyConfigured: DJANGO_SECRET_KEY must be set" in refused.stderr

    started = run_python(
        "import govproj.wsgi\nfrom django.conf import settings\n"
        "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.SECURE_SSL_REDIRECT)",
        clean_environment(**container, DJANGO_SECRET_KEY=strong_secret()),
    )
    assert started.returncode == 0, started.stderr[-2000:]
    assert started.stdout.split() == ["govproj.settings.production", "False", "True"]


# --------------------------------------------------------------------------- production settings


def load_production(monkeypatch, secret: str | None, database_url: str = "sqlite:////tmp/govproj-h3.db"):
    for name in list(os.environ):
        if name.startswith("DJANGO_SECURE") or name == "DJANGO_SECRET_KEY":
            monkeypatch.delenv(name)
    if secret is not None:
        monkeypatch.setenv("DJANGO_SECRET_KEY", secret)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/5")
    return runpy.run_module("govproj.settings.production")


@pytest.mark.parametrize(
    "secret",
    [
        None,
        "",
        "x" * 49,
        secrets.token_urlsafe(36)[:49],
        "django-insecure-" + secrets.token_urlsafe(50),
        "ab" * 40,
    ],
    ids=["unset", "empty", "49-same", "49-random", "django-insecure", "few-distinct"],
)
def test_production_refuses_a_missing_short_or_simple_secret(monkeypatch, secret):
    if (ROOT / ".env").exists() and secret is None:
        pytest.skip("a local .env may set DJANGO_SECRET_KEY")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        load_production(monkeypatch, secret)


def test_production_is_https_only_with_a_50_character_secret(monkeypatch):
    production = load_production(monkeypatch, strong_secret())
    assert production["DEBUG"] is False
    assert production["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is True and production["CSRF_COOKIE_SECURE"] is True
    # A SQLite DATABASE_URL gets the same concurrent-writer options as the embedded default.
    options = production["DATABASES"]["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE" and "journal_mode=WAL" in options["init_command"]


@pytest.mark.django_db
def test_production_redirects_plain_http_and_sends_hsts_behind_the_proxy(monkeypatch, settings):
    production = load_production(monkeypatch, strong_secret())
    for name in [n for n in production if n.startswith("SECURE_") or n.endswith("_COOKIE_SECURE")]:
        setattr(settings, name, production[name])
    client = Client()

    plain = client.get(reverse("login"))
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/accounts/login/"
    proxied = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert proxied.cookies["csrftoken"]["secure"] is True


def test_check_deploy_with_production_settings_prints_no_warning(tmp_path):
    env = clean_environment(
        DJANGO_SETTINGS_MODULE="govproj.settings.production",
        DJANGO_SECRET_KEY=strong_secret(),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/5",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Warnings would go to stderr ("System check identified some issues: WARNINGS: …"); a library's
    # start-up log line there (django-axes says hello) is not one.
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", output
    assert "WARNING" not in result.stderr and "identified some issues" not in result.stderr, output


# --------------------------------------------------------------------------- Content-Security-Policy


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_every_environment_sends_a_csp_without_inline_script_or_style():
    assert not settings.DEBUG  # the test settings; local and production share the policy (base)
    response = Client().get(reverse("login"))
    policy = csp_directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


class InlineCode(HTMLParser):
    """What a CSP without 'unsafe-inline' blocks: inline script and style, handlers, javascript: URLs."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            if (attributes.get("type") or "text/javascript") not in (
                "application/json",
                "application/ld+json",
            ):
                self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.found.append(f"<{tag} {name}=…> event handler")
            elif name == "style":
                self.found.append(f"<{tag} style=…> attribute")
            elif name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


TEMPLATE_COMMENTS = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)


def project_templates() -> list[Path]:
    """Every template of ours: templates/ and each local app's templates/ directory."""
    folders = [ROOT / "templates", *(p for p in ROOT.glob("*/templates") if ".venv" not in p.parts)]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


@pytest.mark.parametrize("template", project_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_holds_inline_script_style_or_handlers(template):
    source = TEMPLATE_COMMENTS.sub("", template.read_text(encoding="utf-8"))
    assert inline_code(source) == []


@pytest.mark.django_db
def test_rendered_pages_hold_no_inline_code():
    """Pages as rendered (partials, Django admin, Swagger UI, error pages) pass the same check."""
    tenant = make_tenant("alpha")
    project = make_project(tenant)
    staff = Client()
    staff.force_login(tenant.users[Role.DEPARTMENT_STAFF])
    admin = Client()
    admin.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    pages = {
        "login": Client().get(reverse("login")),
        "list": staff.get(reverse("projects:list")),
        "list partial": staff.get(reverse("projects:list"), {"q": "x"}, HTTP_HX_REQUEST="true"),
        "detail": staff.get(reverse("projects:detail", args=[project.pk])),
        "404": staff.get("/no-such-page/"),
        "api docs": staff.get(reverse("api-docs")),
        "admin": admin.get(reverse("admin:index")),
        "admin list": admin.get(reverse("admin:projects_project_changelist")),
        "admin change": admin.get(reverse("admin:projects_project_change", args=[project.pk])),
    }
    for name, response in pages.items():
        assert response.status_code in (200, 404), (name, response.status_code)
        assert "Content-Security-Policy" in response, name
        assert inline_code(response.content.decode()) == [], name


@pytest.mark.django_db(transaction=True)
def test_pages_htmx_admin_and_swagger_work_in_a_browser_under_the_csp(live_server):
    """In Chromium: no CSP violation on the pages, htmx still swaps the project table, Swagger UI renders."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium (scripts/system-deps.sh --dev)")
    from playwright.sync_api import sync_playwright

    tenant = make_tenant("alpha")
    project = make_project(tenant)
    UserFactory(username="root", is_staff=True, is_superuser=True)
    staff = tenant.users[Role.DEPARTMENT_STAFF].username
    violations: list[str] = []
    listen = (
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI + ' '"
        " + e.sourceFile + ':' + e.lineNumber));"
    )

    def log_in(page, username):
        page.goto(f"{live_server.url}{reverse('login')}")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill("pw-for-tests")
        with page.expect_navigation():
            page.locator("form[action='/accounts/login/'] button[type=submit]").click()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for username, paths in [
                (
                    staff,
                    [reverse("projects:list"), reverse("projects:detail", args=[project.pk]), "/nothing/"],
                ),
                ("root", [reverse("admin:index"), reverse("admin:projects_project_changelist")]),
            ]:
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                page.set_default_timeout(15_000)
                page.add_init_script(listen)
                page.on(
                    "console",
                    lambda m, page=page: (
                        ("CSP violation" in m.text or "Content Security Policy" in m.text)
                        and violations.append(f"{page.url}: {m.text}")
                    ),
                )
                log_in(page, username)
                for path in paths:
                    page.goto(f"{live_server.url}{path}")
                if username == staff:
                    page.goto(f"{live_server.url}{reverse('projects:list')}")
                    page.wait_for_function("window.htmx !== undefined")
                    with page.expect_response(
                        lambda r: "q=" in r.url and r.request.headers.get("hx-request")
                    ) as filtered:
                        page.locator("input[name=q]").press_sequentially("nothing-like-this")
                    answer = filtered.value
                    assert answer.ok, f"the htmx filter request got {answer.status}: {answer.url}"
                    page.locator("#project-table td.empty").wait_for()
                    assert page.evaluate("document.querySelectorAll('style').length") == 0
                    page.goto(f"{live_server.url}{reverse('api-docs')}")
                    page.locator(".swagger-ui .info .title").wait_for()
                context.close()
        finally:
            browser.close()
    assert violations == []


def test_env_example_lists_every_variable_the_settings_read():
    """`.env.example` lists every variable govproj reads: a setting added without its line fails here."""

    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "govproj" / "settings").glob("*.py"))
    read = set(re.findall(r'\benv(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', sources))
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "the pattern found no variable: it no longer matches how settings read them"
    assert read - listed == set()
