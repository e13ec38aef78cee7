"""Pages under load, against a bare Django view on the same server (run by `make loadtest`).

1. Builds the PostgreSQL database `lumbung_load` (LOADTEST_DB), or reuses it when it was built
   by the same builder for the same migrations: the national data set of `make bench`
   (benchmarks/dataset.py) with Kabupaten Lampung Barat grown to 1,000 entered innovations ×
   20 rows (benchmarks/region.py).
2. Starts gunicorn with the production settings (DEBUG off, 2 workers) on a free port of
   127.0.0.1, with the bare view mounted (LUMBUNG_BARE_VIEW=1: a tiny response through the same
   middleware stack).
3. Signs in the region's admin and verifier with sessions made on the server side, checks that
   every page answers 200, and drives the bare view, each page, and the bare view again with the
   same client: `wrk -t2 -c16 -d<N>s --latency` (N = LOADTEST_SECONDS, default 8), with the
   headers of a browser that accepts gzip. Prints per page

       LOAD page=NAME rps=… p50_ms=… p95_ms=… bare_rps=… share=… goal_share=… goal_p95_ms=150 met=…

   where bare_rps is the mean of the two bare runs and share = rps / bare_rps.
4. Stops gunicorn (also on Ctrl+C or an error) and runs benchmarks/bulk.py, when present, for
   the import and export figures (BENCH lines), with the database name in BENCH_DB/LOADTEST_DB.

Traffic goes to 127.0.0.1 only. LOADTEST_REBUILD=1 forces a fresh data set; LOADTEST_BULK=0 skips
the import and export figures; LOADTEST_REDIS_URL names the Redis the server shares its cache
through, as a deployment of several machines does ("" for each process's local memory).
"""

# Fixed commands (git, wrk, gunicorn, our interpreter) and URLs of 127.0.0.1 built here, no input:
# ruff: noqa: S603, S607, S310

from __future__ import annotations

import gzip
import hashlib
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
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORIGINAL_ENVIRONMENT = dict(os.environ)
LOAD_DB = os.environ.get("LOADTEST_DB", "lumbung_load")
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "8"))
BULK_TIMEOUT = int(os.environ.get("LOADTEST_BULK_TIMEOUT", "1800"))
THREADS, CONNECTIONS = 2, 16
WORKERS = 2
VAR_DIR = ROOT / "var" / "loadtest"
P95_GOAL_MS = 150
# A browser's request: it accepts gzip, which the pages are sent with (PageCompressionMiddleware).
BROWSER_HEADERS = {"Accept": "text/html,application/json;q=0.9,*/*;q=0.8", "Accept-Encoding": "gzip"}

os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings.production",
    DATABASE_ENGINE="postgresql",
    POSTGRES_DB=LOAD_DB,
    LUMBUNG_VAR_DIR=str(VAR_DIR),
    DJANGO_SECRET_KEY=os.environ.get("LOADTEST_SECRET_KEY") or secrets.token_urlsafe(48),
    DJANGO_ALLOWED_HOSTS="127.0.0.1",
    DJANGO_SECURE_SSL_REDIRECT="false",
    DJANGO_DEBUG="false",
    LUMBUNG_BARE_VIEW="1",
    LUMBUNG_LOG_LEVEL="WARNING",
)
# A deployment of several machines shares one Redis (cache, docs/deployment.md; sessions are in the database): so
# does the measured server, when Redis answers (LOADTEST_REDIS_URL="" measures the embedded default).
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _answers(url: str) -> bool:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2):
            return True
    except OSError:
        return False


if REDIS_URL and not _answers(REDIS_URL):
    print(f"(Redis at {REDIS_URL} does not answer: measuring with each process's local memory)")
    REDIS_URL = ""
if REDIS_URL:
    os.environ.update(LUMBUNG_REDIS_URL=REDIS_URL, LUMBUNG_CACHE_PREFIX=f"loadtest-{secrets.token_hex(4)}")
os.environ.setdefault("POSTGRES_HOST", "127.0.0.1")
os.environ.setdefault("POSTGRES_USER", "postgres")

from benchmarks import dataset, region  # noqa: E402


@dataclass(frozen=True)
class Page:
    name: str
    url_name: str
    user: str | None  # None: a visitor
    share_goal: float
    query: str = ""


PAGES = (
    Page("showcase", "showcase:index", None, 0.35),
    Page("public_detail", "showcase:detail", None, 0.35),
    Page("opendata_json", "showcase:open-data-json", None, 0.35),
    Page("dashboard", "assessment:dashboard", "admin", 0.35),
    Page("assessment_overview", "assessment:detail", "admin", 0.10),
    Page("innovation_list", "innovations:list", "admin", 0.10),
    Page("search", "innovations:list", "admin", 0.10, "?q=posyandu"),
    Page("matrix", "assessment:matrix", "admin", 0.05),
    Page("planner", "assessment:planner", "admin", 0.05),
    Page("verification_queue", "assessment:queue", "verifier", 0.10),
)


@dataclass
class Run:
    rps: float
    p50_ms: float
    p95_ms: float
    requests: int
    errors: str  # non-2xx/3xx answers and socket errors, "" when none


# The data set ------------------------------------------------------------------------------------


def fingerprint() -> str:
    """The latest migration of every app and the builders' source: a database built for another
    schema or by another builder is rebuilt."""
    from django.db.migrations.loader import MigrationLoader

    leaves = sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    builders = hashlib.sha256()
    for name in ("dataset.py", "region.py"):
        builders.update((ROOT / "benchmarks" / name).read_bytes())
    migrations = ",".join(f"{app}.{name}" for app, name in leaves)
    return f"lumbung-loadtest target={region.TARGET} builder={builders.hexdigest()[:12]} migrations={migrations}"


def dataset_stage(wanted: str) -> str:
    """ "complete" when the database holds the whole data set built for `wanted`, "national"
    when only the national part is there (growing the region failed, e.g. on half-done code),
    "" otherwise."""
    comment = dataset.database_comment(LOAD_DB) or ""
    if os.environ.get("LOADTEST_REBUILD") == "1" or not comment.startswith(wanted + " stage="):
        return ""
    stage = comment.rsplit("stage=", 1)[1]
    if stage != "complete":
        return stage
    from lumbung.assessment.models import Entry

    # Someone may have changed the data (an import into it): the region must still be as built.
    entered = Entry.objects.filter(assessment__region__code=region.REGION_CODE, assessment__year=dataset.YEAR)
    return stage if entered.count() == region.TARGET else ""


def grow() -> None:
    """The grown region, the figures of every region and the planned actions, all or nothing."""
    from django.db import connection, transaction

    from lumbung.accounts.models import User
    from lumbung.assessment.scoring import recompute_year

    step = time.perf_counter()
    with transaction.atomic():
        big = region.grow_region(actor=User.objects.get(email=dataset.ACTOR_EMAIL))
        recompute_year(year=dataset.YEAR)
        actions = region.assign_planned_actions(big)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"({big.region.name} grown to {region.TARGET} entered innovations, {actions} planned actions, "
        f"figures of every region recomputed, in {time.perf_counter() - step:.1f} s)",
        flush=True,
    )


def prepare_database() -> None:
    import django

    exists = dataset.database_comment(LOAD_DB) is not None
    if not exists:
        dataset.create_database(LOAD_DB)
    django.setup()
    wanted = fingerprint()
    stage = dataset_stage(wanted) if exists else ""
    if stage == "complete":
        from lumbung.innovations.models import Innovation

        # benchmarks/bulk.py imports its 5,000 innovations into another region of this database.
        print(
            f"(reusing database {LOAD_DB}: built for the same migrations by the same builder; it holds "
            f"{Innovation.objects.count():,} innovations now)",
            flush=True,
        )
        return
    start = time.perf_counter()
    if stage != "national":
        if exists:
            print(f"(database {LOAD_DB} is missing, stale or changed: building it again)", flush=True)
            dataset.drop_database(LOAD_DB)
            dataset.create_database(LOAD_DB)
        dataset.build_national()
        dataset.set_database_comment(LOAD_DB, f"{wanted} stage=national")
        print(f"(national data set built in {time.perf_counter() - start:.1f} s)", flush=True)
    grow()
    dataset.set_database_comment(LOAD_DB, f"{wanted} stage=complete")
    print(f"(data set ready in {time.perf_counter() - start:.1f} s)", flush=True)


def collect_static() -> None:
    """The production settings serve hashed static files from a manifest (var/loadtest/static)."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders
    from django.core.management import call_command

    # Hashing and compressing every file takes minutes on a busy machine: only when one changed.
    sources = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            sources.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".loadtest-sources"
    if stamp.exists() and stamp.read_text() == sources.hexdigest():
        return
    start = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources.hexdigest())
    print(f"(static files collected in {time.perf_counter() - start:.1f} s)", flush=True)


# Who and what ------------------------------------------------------------------------------------


def session_cookie(user, region_obj) -> str:
    """A signed-in session for `user` in `region_obj`, as the login view would store it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from lumbung.accounts.middleware import SESSION_KEY as REGION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "lumbung.accounts.backends.RolesModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[REGION_KEY] = region_obj.pk
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def page_paths() -> tuple[dict[str, str], dict[str | None, str]]:
    """The path of every page for the grown region, and the Cookie header of each user."""
    from django.urls import reverse

    from lumbung.accounts.models import User
    from lumbung.assessment.models import Assessment
    from lumbung.innovations.models import Innovation
    from lumbung.organisation.models import Region

    place = Region.objects.get(code=region.REGION_CODE)
    assessment = Assessment.objects.get(region=place, year=dataset.YEAR)
    innovation = Innovation.objects.published().filter(region=place, latitude__isnull=False).order_by("pk").first()
    arguments = {
        "showcase:index": [place.code],
        "showcase:detail": [place.code, innovation.pk],
        "showcase:open-data-json": [place.code],
        "assessment:detail": [assessment.pk],
        "assessment:matrix": [assessment.pk],
        "assessment:planner": [assessment.pk],
        "assessment:queue": [assessment.pk],
    }
    paths = {page.name: reverse(page.url_name, args=arguments.get(page.url_name, [])) + page.query for page in PAGES}
    emails = {key: email for key, email, _name, _role, _unit in region.ACCOUNTS}
    cookies = {None: ""}
    for key in {page.user for page in PAGES if page.user}:
        cookies[key] = session_cookie(User.objects.get(email=emails[key]), place)
    return paths, cookies


# The server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("wb")
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}",
        "--workers", str(WORKERS), "--timeout", "120", "--error-logfile", "-", "--log-level", "warning",
    ]  # fmt: skip
    # Its own session: Ctrl+C reaches this script, which stops the server in order.
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped at start-up; see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_bare/", timeout=5) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer within 90 s; see {log_path}")


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.send_signal(signal.SIGTERM)  # the master stops its workers
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check(url: str, cookie: str) -> tuple[int, float, int, str]:
    """(status, seconds, bytes on the wire, detail) of one request, redirects not followed."""
    headers = dict(BROWSER_HEADERS, **({"Cookie": cookie} if cookie else {}))
    opener = urllib.request.build_opener(NoRedirects)
    start = time.perf_counter()
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=120) as response:
            body = response.read()
            return response.status, time.perf_counter() - start, len(body), ""
    except urllib.error.HTTPError as error:
        body = error.read()
        if error.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        detail = error.headers.get("Location") or body[:200].decode("utf-8", "replace").split("\n")[0]
        return error.code, time.perf_counter() - start, len(body), detail


WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def drive(url: str, cookie: str, seconds: int = SECONDS, connections: int = CONNECTIONS) -> Run:
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
               "-s", str(ROOT / "benchmarks" / "wrk_report.lua")]  # fmt: skip
    for name, value in dict(BROWSER_HEADERS, **({"Cookie": cookie} if cookie else {})).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout  # fmt: skip
    report = dict(pair.split("=") for pair in re.search(r"WRK_REPORT (.*)", output).group(1).split())
    numbers = {key: int(value) for key, value in report.items()}
    # The median from wrk's own latency distribution; the 95th percentile from the Lua report.
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    p50 = float(median.group(1)) * WRK_UNITS[median.group(2)] if median else numbers["p50_us"] / 1000
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    rps = float(rate.group(1)) if rate else numbers["requests"] / (numbers["duration_us"] / 1e6)
    errors = [
        f"{key}={numbers[key]}" for key in ("status_errors", "connect", "read", "write", "timeout") if numbers[key]
    ]
    return Run(rps, p50, numbers["p95_us"] / 1000, numbers["requests"], " ".join(errors))


# The run -----------------------------------------------------------------------------------------


def header() -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()  # fmt: skip
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    print(f"(commit {commit.stdout.strip()}{' with uncommitted changes in the tree' if dirty else ''}; "
          f"{os.cpu_count()} CPUs, {cpu}; load average {os.getloadavg()[0]:.2f})")  # fmt: skip
    print(f"(cache: {'Redis ' + REDIS_URL if REDIS_URL else 'local memory of each process'})")
    print(f"(gunicorn {WORKERS} workers, config.settings.production, DEBUG off; wrk -t{THREADS} -c{CONNECTIONS} "
          f"-d{SECONDS}s --latency, Accept-Encoding: gzip)", flush=True)  # fmt: skip


def server_error() -> str:
    """The last exception the server logged (pages answer 500 without details in production)."""
    log = VAR_DIR / "gunicorn.log"
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception): ", line)]
    return errors[-1].replace('"', "'")[:200] if errors else ""


def drain(base: str) -> None:
    """Wait until the requests still queued from the last run are served: wrk stops sending, but
    gunicorn answers what it accepted, and the next run must not pay for it."""
    for _ in range(2):
        check(f"{base}/_bare/", "")


def measure(port: int) -> tuple[list[str], bool]:
    base = f"http://127.0.0.1:{port}"
    paths, cookies = page_paths()
    runs: dict[str, Run | str] = {}
    bare_start = drive(f"{base}/_bare/", "")
    print(f"(bare view at the start: {bare_start.rps:.0f} req/s, p50 {bare_start.p50_ms:.1f} ms)", flush=True)
    for page in PAGES:
        url, cookie = base + paths[page.name], cookies[page.user]
        status, seconds, size, detail = check(url, cookie)
        if status != 200:
            if status >= 500:
                detail = server_error() or detail
            runs[page.name] = f"HTTP {status} {detail}".strip()
            print(f"(check {page.name} {paths[page.name]}: HTTP {status} {detail})", flush=True)
            continue
        status, seconds, size, _detail = check(url, cookie)  # the second request: the worker is warm
        print(f"(check {page.name} {paths[page.name]}: 200, one request {seconds * 1000:.0f} ms, {size / 1024:.0f} KB "
              "sent)", flush=True)  # fmt: skip
        runs[page.name] = drive(url, cookie)
        drain(base)
    bare_end = drive(f"{base}/_bare/", "")
    print(f"(bare view at the end: {bare_end.rps:.0f} req/s, p50 {bare_end.p50_ms:.1f} ms)", flush=True)
    bare = statistics.mean([bare_start.rps, bare_end.rps])
    lines, all_met = [], True
    for page in PAGES:
        run = runs[page.name]
        goals = f"goal_share={page.share_goal:.0%} goal_p95_ms={P95_GOAL_MS}"
        if isinstance(run, str):
            lines.append(f'LOAD page={page.name} failed=yes error="{run}" bare_rps={bare:.1f} {goals} met=no')
            all_met = False
            continue
        if run.requests == 0:
            # Every request outlasted the run or wrk's 10 s time-out: no latency to report.
            lines.append(
                f"LOAD page={page.name} rps=0.0 p50_ms=n/a p95_ms=n/a bare_rps={bare:.1f} share=0.00% {goals} "
                f"share_met=no p95_met=no met=no requests=0 errors={run.errors.replace(' ', ',') or 'none'}"
            )
            all_met = False
            continue
        share = run.rps / bare
        met = share >= page.share_goal and run.p95_ms <= P95_GOAL_MS
        all_met &= met
        lines.append(
            f"LOAD page={page.name} rps={run.rps:.1f} p50_ms={run.p50_ms:.1f} p95_ms={run.p95_ms:.1f} "
            f"bare_rps={bare:.1f} share={share:.2%} {goals} share_met={'yes' if share >= page.share_goal else 'no'} "
            f"p95_met={'yes' if run.p95_ms <= P95_GOAL_MS else 'no'} met={'yes' if met else 'no'} "
            f"requests={run.requests}" + (f" errors={run.errors.replace(' ', ',')}" if run.errors else "")
        )
    return lines, all_met


def run_bulk() -> None:
    script = ROOT / "benchmarks" / "bulk.py"
    if not script.exists():
        print("(benchmarks/bulk.py is not there: no BENCH lines for import and export)")
        return
    environment = dict(ORIGINAL_ENVIRONMENT, BENCH_DB=LOAD_DB, LOADTEST_DB=LOAD_DB, POSTGRES_DB=LOAD_DB)
    print(f"(running benchmarks/bulk.py against {LOAD_DB}, at most {BULK_TIMEOUT} s)", flush=True)
    try:
        subprocess.run([sys.executable, str(script)], cwd=ROOT, env=environment, timeout=BULK_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        print(f"(benchmarks/bulk.py did not finish within {BULK_TIMEOUT} s and was stopped)")


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: run `scripts/install-system-packages.sh loadtest` (make loadtest does).")
        return 2
    # Ctrl+C (even when started with SIGINT ignored, as from a script) and `kill` end the run
    # through the finally clause that stops the server.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))
    header()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    prepare_database()
    collect_static()
    from django.db import connections

    server = None
    try:
        port = free_port()
        server = start_server(port, VAR_DIR / "gunicorn.log")
        connections.close_all()
        lines, all_met = measure(port)
    finally:
        stop_server(server)
    for line in lines:
        print(line)
    print(f"(every page meets its goals: {'yes' if all_met else 'no'}; load average now {os.getloadavg()[0]:.2f})")
    sys.stdout.flush()
    if os.environ.get("LOADTEST_BULK", "1") != "0":
        run_bulk()
    return 0


if __name__ == "__main__":
    sys.exit(main())
