"""Two real web processes (gunicorn, production WSGI entry, DEBUG off) behind a trusted proxy address,
sharing one PostgreSQL database, one Redis and one S3-compatible store (the local moto server):

- a change made through one is seen through the other at once (the cache is shared, and the data
  version bumped by the write makes every process rebuild);
- a check-in code used on one cannot be used again on the other;
- the check-in rate limit counts a client's guesses on both together;
- private evidence in the bucket is streamed by either, only to those allowed.

Runs in `make test` on PostgreSQL with Redis (CI starts both); skipped, saying why, elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lumbung.assessment import evidence as assessment_evidence
from lumbung.assessment.tests.factories import pdf_file
from lumbung.core.roles import Role
from lumbung.events.models import Event, Registration
from lumbung.events.tests.factories import EventFactory, RegistrationFactory
from lumbung.events.views import CHECK_IN_ATTEMPTS
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory

requests = pytest.importorskip("requests")

BASE_DIR = Path(django_settings.BASE_DIR)
REDIS_URL = "redis://127.0.0.1:6379/0"


def _on_postgresql() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def _redis_running() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not _on_postgresql(),
        reason="two web processes need a database server they share (PostgreSQL: `.ci/run` runs the suite on it); "
        "the embedded SQLite database is one file per test process",
    ),
    pytest.mark.skipif(
        not _redis_running(), reason="Redis is not running at 127.0.0.1:6379 (`.ci/run` starts it when it is down)"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """One gunicorn process serving the test database."""

    def __init__(self, env: dict, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", "1", "--timeout", "120", "--access-logfile", "-"],
                cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def wait_ready(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the web process stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/health/ready", timeout=30).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        pytest.fail(f"the web process did not get ready:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def bucket(s3, settings, tmp_path):
    """The shared object store: this process and both servers keep files in one bucket."""
    name = s3.bucket(f"dua-proses-{uuid.uuid4().hex[:8]}")
    settings.MEDIA_ROOT = str(tmp_path / "tidak-dipakai")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": name, "endpoint_url": s3.endpoint, "addressing_style": "path"},
        },
    }
    return name


@pytest.fixture
def servers(s3, bucket, tmp_path):
    db = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev", DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", LUMBUNG_VAR_DIR=str(tmp_path / "var"),
        DATABASE_ENGINE="postgresql", POSTGRES_DB=db["NAME"], POSTGRES_USER=db["USER"] or "postgres",
        POSTGRES_PASSWORD=db["PASSWORD"] or "", POSTGRES_HOST=db["HOST"] or "127.0.0.1",
        POSTGRES_PORT=str(db["PORT"] or 5432),
        LUMBUNG_REDIS_URL=REDIS_URL, LUMBUNG_CACHE_PREFIX=f"uji-dua-proses-{uuid.uuid4().hex[:12]}",
        AWS_STORAGE_BUCKET_NAME=bucket, AWS_S3_ENDPOINT_URL=s3.endpoint, AWS_ACCESS_KEY_ID="uji",
        AWS_SECRET_ACCESS_KEY="uji-rahasia", AWS_DEFAULT_REGION="us-east-1",
        # Both sit behind "the proxy" on the loopback address, which names the client.
        LUMBUNG_TRUSTED_PROXIES="127.0.0.1", LUMBUNG_CLIENT_ADDRESS_HEADER="X-Forwarded-For",
    )  # fmt: skip
    pair = [Server(env, tmp_path / f"web-{name}.log") for name in ("a", "b")]
    try:
        deadline = time.monotonic() + 120
        for server in pair:
            server.wait_ready(deadline)
        yield pair
    finally:
        for server in pair:
            server.stop()


def _signed_in(user) -> requests.Session:
    """A browser session for `user` (sessions live in the shared database)."""
    client = Client()
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return session


def _post_form(session: requests.Session, url: str, data: dict, **kwargs) -> requests.Response:
    """GET the form (for its CSRF token and cookie), then POST it."""
    page = session.get(url, timeout=30, **kwargs)
    assert page.status_code == 200, page.text[-2000:]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(url, data={"csrfmiddlewaretoken": token, **data}, timeout=30, allow_redirects=False, **kwargs)


def test_a_change_made_through_one_process_is_seen_through_the_other_at_once(world, servers):
    a, b = servers
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, name="Lapak Kopi Lambar", status=Innovation.Status.PUBLISHED
    )
    showcase = reverse("showcase:index", args=[world.region.code])
    assert "Lapak Kopi Lambar" in requests.get(a.url + showcase, timeout=30).text

    # A write that skips the version bump (a raw UPDATE): B still serves the page A cached, so the
    # two processes do share one cache.
    Innovation.objects.filter(pk=innovation.pk).update(name="Lapak Kopi Liwa")
    assert "Lapak Kopi Lambar" in requests.get(b.url + showcase, timeout=30).text

    # A real change through B (the admin renames a unit) bumps the region's data version in the
    # same transaction: A rebuilds at once and shows the database as it is.
    admin = _signed_in(world.user(Role.ADMIN))
    saved = _post_form(
        admin, b.url + reverse("organisation:unit-edit", args=[world.unit.pk]),
        {"name": "Dinas Kominfo dan Persandian", "short_name": "Diskominfotik", "kind": world.unit.kind, "code": ""},
    )  # fmt: skip
    assert saved.status_code == 302, saved.text[-2000:]
    page = requests.get(a.url + showcase, timeout=30).text
    assert "Lapak Kopi Liwa" in page and "Lapak Kopi Lambar" not in page
    assert "Lapak Kopi Liwa" in requests.get(b.url + showcase, timeout=30).text


def _check_in(server: Server, code: str, client_address: str) -> requests.Response:
    session = requests.Session()
    headers = {"X-Forwarded-For": client_address}
    return _post_form(session, server.url + reverse("events:check-in"), {"code": code}, headers=headers)


def test_a_check_in_code_works_once_across_both_and_guesses_count_on_both(world, servers):
    a, b = servers
    now = timezone.now()
    event = EventFactory(
        region=world.region, organiser=world.unit, status=Event.Status.RUNNING,
        starts_at=now - dt.timedelta(hours=1), ends_at=now + dt.timedelta(hours=4),
    )  # fmt: skip
    registration = RegistrationFactory(event=event, name="Rini Oktaviani")

    first = _check_in(a, registration.code, "198.51.100.5")
    assert first.status_code == 200 and "Rini Oktaviani" in first.text
    registration.refresh_from_db()
    assert registration.status == Registration.Status.ATTENDED
    again = _check_in(b, registration.code, "198.51.100.6")
    assert "Kode ini sudah dipakai" in again.text

    # One client's wrong codes, half through each process: the shared counter stops it on both.
    guesser = "198.51.100.77"
    for attempt in range(CHECK_IN_ATTEMPTS):
        response = _check_in(a if attempt % 2 else b, f"ZZZ{attempt:03d}", guesser)
        assert response.status_code in (200, 429)
    assert _check_in(a, registration.code, guesser).status_code == 429
    assert _check_in(b, registration.code, guesser).status_code == 429
    # Another client behind the same proxy is not held back.
    assert _check_in(b, "ZZZ999", "198.51.100.78").status_code == 200


def test_private_evidence_in_the_shared_bucket_is_served_by_either_only_to_those_allowed(world, servers):
    a, b = servers
    upload = pdf_file("sk-tim-inovasi.pdf", salt="dua-proses")
    content = upload.read()
    upload.seek(0)
    admin = world.user(Role.ADMIN)
    document = assessment_evidence.document_store(
        region=world.region, actor=admin, title="SK Tim Inovasi", year=2026, file=upload
    )
    url = reverse("assessment:document-download", args=[document.pk])
    own, foreign = _signed_in(admin), _signed_in(world.other_admin)
    for server in (a, b):
        response = own.get(server.url + url, timeout=30, allow_redirects=False)
        assert response.status_code == 200 and response.content == content
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]
        assert foreign.get(server.url + url, timeout=30, allow_redirects=False).status_code == 404
        assert requests.get(server.url + url, timeout=30, allow_redirects=False).status_code == 302
