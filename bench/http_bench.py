"""Side-by-side HTTP bench: the product's pages and API against floor views, under gunicorn.

For each backend (PostgreSQL with BENCH_PROJECTS projects, default 100,000; SQLite with
BENCH_SQLITE_PROJECTS, default 20,000) it builds or reuses the dataset (bench/dataset.py),
serves bench.settings (production settings plus the floor views, throttles lifted) under
gunicorn (2 sync workers) on the loopback, signs in through the login page, and drives wrk
against each endpoint and its floor, interleaved: every round runs each endpoint, product
then floor, so drift on the machine touches both alike. It prints req/s, p50 and p99 per
endpoint, the ratio product ÷ floor and the SQL queries each product page runs.

Figures print; nothing is asserted. The exit status is non-zero only when the harness itself
fails (a page answers anything but 200, the server does not start, the dataset build fails).

    python bench/http_bench.py [--projects N] [--sqlite-projects N] [--rounds R] [--seconds S]
                               [--only pg|sqlite] [--connections C]

(Not named http.py: a script in bench/ puts bench/ first on sys.path, where a file called
http.py would shadow the standard library's `http` for bench/run.py and for this script.)
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = BIN / "python" if (BIN / "python").exists() else Path(sys.executable)
PORTS = range(8790, 8800)
PG_DATABASE = "govproj_bench"
SQLITE_FILE = ROOT / "bench" / ".data" / "bench.sqlite3"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379")
REDIS_CACHE_DB = 9
READER = "baotou_reviewer"  # sees the projects of one jurisdiction in five
WORKERS = 2
SEARCH = "数据共享"

WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("bench-non200: %d\\n", total))
end
"""


class HarnessError(RuntimeError):
    """The bench itself failed: not a figure, a reason to stop."""


@dataclass
class Endpoint:
    label: str
    product: str
    floor: str
    user: str = READER
    results: dict[str, list[dict]] = field(default_factory=lambda: {"product": [], "floor": []})
    queries: dict[str, int] = field(default_factory=dict)


def endpoints_for(backend: str, detail_pk: int, admin_user: str) -> list[Endpoint]:
    search = urllib.parse.quote(SEARCH)
    rows = [
        Endpoint("list API, page 1", "/api/v1/projects/", "/bench/floor/projects/?size=25"),
        Endpoint(
            "list API, phase=in_review",
            "/api/v1/projects/?phase=in_review",
            "/bench/floor/projects/?size=25&phase=in_review",
        ),
        Endpoint(
            f"list API, q={SEARCH}",
            f"/api/v1/projects/?q={search}",
            f"/bench/floor/projects/?size=25&q={search}",
        ),
        Endpoint("list page (HTML)", "/projects/", "/bench/floor/projects/?size=20"),
        Endpoint(
            "admin changelist",
            "/admin/projects/project/",
            "/bench/floor/projects/?size=100",
            user=admin_user,
        ),
        Endpoint("detail page (HTML)", f"/projects/{detail_pk}/", f"/bench/floor/projects/{detail_pk}/"),
        Endpoint("detail API", f"/api/v1/projects/{detail_pk}/", f"/bench/floor/projects/{detail_pk}/"),
        Endpoint(
            "verdicts API",
            f"/api/v1/projects/{detail_pk}/verdicts/",
            f"/bench/floor/projects/{detail_pk}/",
        ),
        Endpoint(
            "events API",
            f"/api/v1/projects/{detail_pk}/events/",
            f"/bench/floor/projects/{detail_pk}/",
        ),
    ]
    if backend == "sqlite":
        return [rows[0], rows[3]]
    return rows


# ---------------------------------------------------------------------------------------------
# Processes


def backend_env(backend: str, secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secret,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_LOG_LEVEL="WARNING",
        CELERY_BROKER_URL=f"{REDIS}/10",
        CELERY_RESULT_BACKEND=f"{REDIS}/11",
        PYTHONPATH=str(ROOT),
    )
    if backend == "pg":
        host = os.environ.get("PGHOST", "127.0.0.1")
        port = os.environ.get("PGPORT", "5432")
        user = os.environ.get("PGUSER", "postgres")
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{PG_DATABASE}"
        env["REDIS_CACHE_URL"] = f"{REDIS}/{REDIS_CACHE_DB}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{SQLITE_FILE}"
        env.pop("REDIS_CACHE_URL", None)  # the embedded default: a cache per process
    return env


def run_dataset(env: dict[str, str], projects: int) -> None:
    done = subprocess.run(
        [str(PYTHON), "-m", "bench.dataset", "--projects", str(projects)], env=env, cwd=ROOT
    )
    if done.returncode != 0:
        raise HarnessError(f"the dataset build failed (exit {done.returncode})")
    done = subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env, cwd=ROOT
    )
    if done.returncode != 0:
        raise HarnessError(f"collectstatic failed (exit {done.returncode})")


def probe(env: dict[str, str], request: dict) -> dict:
    """Run `probe_main` in a subprocess with the backend's settings; JSON in, JSON out."""
    done = subprocess.run(
        [str(PYTHON), "-m", "bench.http_bench", "--probe"],
        env=env,
        cwd=ROOT,
        input=json.dumps(request),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise HarnessError(f"probe failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise HarnessError(f"no free port in {PORTS.start}–{PORTS.stop - 1}")


class Server:
    """gunicorn with bench.settings, in its own process group so that stopping it stops its workers."""

    def __init__(self, env: dict[str, str], workdir: Path):
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            str(BIN / "gunicorn"),
            "govproj.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--env",
            "DJANGO_SETTINGS_MODULE=bench.settings",
            "--error-logfile",
            str(self.log),
        ]
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/accounts/login/", timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise HarnessError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else "(no log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# ---------------------------------------------------------------------------------------------
# HTTP


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, username: str, password: str) -> str:
    """Sign in through the login page as a browser would; returns the Cookie header to send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(f"{base}/accounts/login/", timeout=30) as response:
        page = response.read().decode("utf-8")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not match:
        raise HarnessError("no CSRF token on the login page")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)}
    ).encode()
    try:
        opener.open(f"{base}/accounts/login/", data=form, timeout=60)
        raise HarnessError(f"signing in as {username}: the login page did not redirect (wrong password?)")
    except urllib.error.HTTPError as error:
        if error.code != 302:
            raise HarnessError(f"signing in as {username}: HTTP {error.code}") from error
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise HarnessError(f"signing in as {username}: no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch(url: str, cookie: str) -> int:
    """GET once, no redirect followed: the body size, or HarnessError unless the answer is 200."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=60) as response:
            return len(response.read())
    except urllib.error.HTTPError as error:
        raise HarnessError(f"GET {url} answered {error.code}, not 200") from error


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, cookie: str, seconds: float, connections: int, script: Path) -> dict:
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        str(script),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    out = done.stdout
    if done.returncode != 0:
        raise HarnessError(f"wrk failed ({done.returncode}) on {url}:\n{out}\n{done.stderr}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    bad = re.search(r"bench-non200: (\d+)", out)
    requests = re.search(r"(\d+) requests in", out)
    if not (rate and p50 and p99 and bad and requests):
        raise HarnessError(f"cannot read wrk's output for {url}:\n{out}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if int(bad.group(1)) or int(requests.group(1)) == 0 or (errors and int(errors.group(4))):
        raise HarnessError(f"{url}: {bad.group(1)} answers other than 200 under load:\n{out}")
    return {
        "rps": float(rate.group(1)),
        "p50": _ms(p50.group(1)),
        "p99": _ms(p99.group(1)),
        "requests": int(requests.group(1)),
    }


# ---------------------------------------------------------------------------------------------
# The run


@dataclass
class Options:
    projects: int
    sqlite_projects: int
    rounds: int
    seconds: float
    warmup: float
    connections: int
    only: str | None


def run_backend(backend: str, options: Options, workdir: Path) -> None:
    projects = options.projects if backend == "pg" else options.sqlite_projects
    title = "PostgreSQL" if backend == "pg" else "SQLite"
    print(f"\n=== {title}: {projects:,} projects", flush=True)
    env = backend_env(backend, secrets.token_urlsafe(64))
    run_dataset(env, projects)
    info = probe(env, {"mode": "info", "reader": READER})
    print(
        f"{info['database']}; {info['projects']:,} projects, {info['visible']:,} visible to {READER};"
        f" detail: project {info['detail_pk']} ({info['detail_code']}, in construction,"
        f" {info['detail_events']} events); admin changelist as {info['admin_user']}",
        flush=True,
    )
    endpoints = endpoints_for(backend, info["detail_pk"], info["admin_user"])
    counts = probe(
        env,
        {
            "mode": "queries",
            "requests": [[e.user, path] for e in endpoints for path in (e.product, e.floor)],
        },
    )["queries"]
    for endpoint in endpoints:
        endpoint.queries = {
            "product": counts[f"{endpoint.user} {endpoint.product}"],
            "floor": counts[f"{endpoint.user} {endpoint.floor}"],
        }
    if backend == "pg":
        flushed = subprocess.run(
            ["redis-cli", "-u", f"{REDIS}/{REDIS_CACHE_DB}", "FLUSHDB"], capture_output=True
        )
        if flushed.returncode != 0:
            raise HarnessError(f"could not empty Redis DB {REDIS_CACHE_DB}: {flushed.stderr!r}")
    server = Server(env, workdir)
    script = workdir / "status.lua"
    script.write_text(WRK_SCRIPT)
    try:
        server.start()
        cookies = {
            user: sign_in(server.base, user, info["password"]) for user in sorted({e.user for e in endpoints})
        }
        for endpoint in endpoints:  # every URL answers 200 before any is timed, then a short warm-up
            for path in (endpoint.product, endpoint.floor):
                for _ in range(WORKERS * 2):
                    fetch(server.base + path, cookies[endpoint.user])
                if options.warmup > 0:
                    wrk(
                        server.base + path,
                        cookies[endpoint.user],
                        options.warmup,
                        options.connections,
                        script,
                    )
        for round_number in range(1, options.rounds + 1):
            for endpoint in endpoints:
                for kind in ("product", "floor"):
                    path = getattr(endpoint, kind)
                    result = wrk(
                        server.base + path,
                        cookies[endpoint.user],
                        options.seconds,
                        options.connections,
                        script,
                    )
                    endpoint.results[kind].append(result)
                print(
                    f"  round {round_number}/{options.rounds} {padded(endpoint.label, 28)}"
                    f" product {endpoint.results['product'][-1]['rps']:8.1f} req/s"
                    f"   floor {endpoint.results['floor'][-1]['rps']:8.1f} req/s",
                    flush=True,
                )
    except HarnessError:
        print(f"--- gunicorn log (tail):\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        server.stop()
    print_table(title, projects, endpoints, options)


def print_table(title: str, projects: int, endpoints: list[Endpoint], options: Options) -> None:
    print(
        f"\n{title}, {projects:,} projects, {options.rounds} round(s) × {options.seconds:g} s per run,"
        f" wrk -t1 -c{options.connections}, gunicorn {WORKERS} sync workers; {load()} at the end"
    )
    print(
        "req/s, p50 and p99: medians over the rounds; ratio: median over the rounds of"
        " product req/s ÷ floor req/s measured in the same round; queries: SQL statements of one"
        " warm request (product / floor, session read and save included)"
    )
    header = (
        f"{'endpoint':<28} {'product/s':>9} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'floor/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} {'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for e in endpoints:
        product, floor = e.results["product"], e.results["floor"]

        def median(rows, key):
            return statistics.median(row[key] for row in rows)

        ratio = statistics.median(p["rps"] / f["rps"] for p, f in zip(product, floor, strict=True))
        queries = f"{e.queries['product']}/{e.queries['floor']}"
        print(
            f"{padded(e.label, 28)} {median(product, 'rps'):>9.1f} {median(product, 'p50'):>7.1f}"
            f" {median(product, 'p99'):>7.1f} {median(floor, 'rps'):>9.1f} {median(floor, 'p50'):>7.1f}"
            f" {median(floor, 'p99'):>7.1f} {ratio:>6.2f} {queries:>8}"
        )
    print("paths (product ← floor):")
    for e in endpoints:
        who = "" if e.user == READER else f"  [as {e.user}]"
        print(f"  {urllib.parse.unquote(e.product)}  ←  {urllib.parse.unquote(e.floor)}{who}")


def padded(text: str, width: int) -> str:
    """`text` left-aligned in `width` terminal columns (a Chinese character takes two)."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 0)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[:1]
    return (
        f"machine: {os.cpu_count()} CPUs ({cpu or platform.machine()}), Python {platform.python_version()},"
        f" {wrk_version[0] if wrk_version else 'wrk'}; {load()} at the start"
    )


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=int(os.environ.get("BENCH_PROJECTS", 100_000)))
    parser.add_argument(
        "--sqlite-projects", type=int, default=int(os.environ.get("BENCH_SQLITE_PROJECTS", 20_000))
    )
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)))
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 4)))
    parser.add_argument("--warmup", type=float, default=float(os.environ.get("BENCH_WARMUP", 1)))
    parser.add_argument("--connections", type=int, default=int(os.environ.get("BENCH_CONNECTIONS", 4)))
    parser.add_argument("--only", choices=["pg", "sqlite"], default=os.environ.get("BENCH_ONLY") or None)
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.seconds < 1 or args.connections < 1:
        parser.error("--rounds, --seconds and --connections must be at least 1")
    return Options(
        projects=args.projects,
        sqlite_projects=args.sqlite_projects,
        rounds=args.rounds,
        seconds=args.seconds,
        warmup=args.warmup,
        connections=args.connections,
        only=args.only,
    )


def main(argv: list[str] | None = None) -> int:
    if argv and argv[0] == "--probe":
        return probe_main()
    options = parse(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk; scripts/system-deps.sh --dev)", file=sys.stderr)
        return 2
    print(machine())
    print(
        f"parameters: PostgreSQL {options.projects:,} projects, SQLite {options.sqlite_projects:,};"
        f" {options.rounds} round(s), {options.seconds:g} s per run after a {options.warmup:g} s warm-up;"
        f" {options.connections} connections; reader {READER}"
    )
    backends = [options.only] if options.only else ["pg", "sqlite"]
    try:
        with tempfile.TemporaryDirectory(prefix="govproj-bench-") as workdir:
            for backend in backends:
                run_backend(backend, options, Path(workdir))
    except HarnessError as error:
        print(f"\nbench failed: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    return 0


# ---------------------------------------------------------------------------------------------
# In a subprocess, with the backend's settings


def probe_main() -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.floor import visible_projects
    from projects.management.commands.seed_demo import PASSWORD
    from projects.models import AuditEvent, Project

    request = json.loads(sys.stdin.read())
    users = get_user_model().objects
    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            clients[username] = Client(HTTP_HOST="127.0.0.1")
            clients[username].force_login(users.get(username=username))
        return clients[username]

    if request["mode"] == "info":
        reader = users.get(username=request["reader"])
        visible = visible_projects(reader)
        detail = visible.filter(phase="in_construction").order_by("-created_at", "-id").first()
        if detail is None:
            raise SystemExit(f"{reader} sees no project in construction")
        jurisdiction = request["reader"].split("_")[0]
        admin_user = f"{jurisdiction}_admin"
        if client_for(admin_user).get("/admin/projects/project/").status_code != 200:
            admin_user = "admin"  # the tenant's admin cannot open the changelist: the superuser
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SHOW server_version")
                database = f"PostgreSQL {cursor.fetchone()[0]}"
            else:
                cursor.execute("SELECT sqlite_version()")
                database = f"SQLite {cursor.fetchone()[0]}"
        answer = {
            "password": PASSWORD,
            "database": database,
            "projects": Project.objects.count(),
            "visible": visible.count(),
            "detail_pk": detail.pk,
            "detail_code": detail.code,
            "detail_events": AuditEvent.objects.filter(project=detail).count(),
            "admin_user": admin_user,
        }
    else:
        queries = {}
        for username, path in request["requests"]:
            client = client_for(username)
            client.get(path)  # warm: caches, the session's first save
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} as {username}: {response.status_code}")
            queries[f"{username} {path}"] = len(captured.captured_queries)
        answer = {"queries": queries}
    print(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
