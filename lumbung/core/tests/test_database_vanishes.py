"""The database really goes away under a running web server and task worker, and comes back.

Both processes reach PostgreSQL through a TCP relay that the test cuts (every open connection
closed, new ones refused, as when the database server stops or the network drops) and restores.
While it is cut, pages answer the Indonesian 503 page and /health names the database; once it is
back, the web process answers again and the worker, still running, picks up new work.

PostgreSQL only (the embedded SQLite database is a file, it cannot vanish over a network).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from lumbung.core.jobs import start_job
from lumbung.core.models import Job, WorkerBeat

from .worker_tasks import record_run

requests = pytest.importorskip("requests")

BASE_DIR = Path(django_settings.BASE_DIR)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="the database vanishes over the network only for a database server (PostgreSQL)",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Relay:
    """A TCP relay to the database server that can be cut and restored on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = _free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            open_sockets, self.sockets = self.sockets, []
        with contextlib.suppress(OSError):
            listener.close()
        for sock in open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=10)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                if self.listener is not listener:  # cut meanwhile
                    client.close()
                    upstream.close()
                    return
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}")


def _get(url: str, **kwargs):
    try:
        return requests.get(url, timeout=30, **kwargs)
    except (requests.ConnectionError, requests.Timeout):
        return None


@pytest.fixture
def relay():
    db = connection.settings_dict
    relay = Relay((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    yield relay
    relay.cut()


@pytest.fixture
def processes(relay, tmp_path, settings):
    """A web process and a task worker, both reaching the database through the relay."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if key not in {"PYTEST_XDIST_WORKER"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev", DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", LUMBUNG_VAR_DIR=str(tmp_path / "var"),
        DATABASE_ENGINE="postgresql", POSTGRES_DB=db["NAME"], POSTGRES_USER=db["USER"] or "postgres",
        POSTGRES_PASSWORD=db["PASSWORD"] or "", POSTGRES_HOST="127.0.0.1", POSTGRES_PORT=str(relay.port),
    )  # fmt: skip
    port = _free_port()
    started = []
    try:
        with (tmp_path / "web.log").open("w") as web_log, (tmp_path / "worker.log").open("w") as worker_log:
            started.append(
                subprocess.Popen(  # noqa: S603 - fixed arguments
                    [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers",
                     "1", "--timeout", "120"],
                    cwd=BASE_DIR, env=env, stdout=web_log, stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
            started.append(
                subprocess.Popen(  # noqa: S603 - fixed arguments
                    [sys.executable, "manage.py", "worker", "--no-reload", "--no-startup-delay", "--interval", "0.3"],
                    cwd=BASE_DIR, env=env, stdout=worker_log, stderr=subprocess.STDOUT,
                )
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        _wait(lambda: (r := _get(f"{url}/health/ready")) is not None and r.status_code == 200, 120, "the web process")
        _wait(lambda: WorkerBeat.objects.exists(), 120, "the worker's first heartbeat")
        yield url, started[1], tmp_path
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()


def test_pages_say_503_while_the_database_is_gone_and_both_processes_recover(world, relay, processes):
    url, worker, tmp_path = processes
    client = Client()
    client.force_login(world.user("admin"))
    cookies = {django_settings.SESSION_COOKIE_NAME: client.cookies[django_settings.SESSION_COOKIE_NAME].value}
    assert _get(f"{url}/beranda/", cookies=cookies).status_code == 200

    relay.cut()
    for path in ("/beranda/", "/inovasi/", "/"):
        response = _get(f"{url}{path}", cookies=cookies)
        assert response is not None and response.status_code == 503, path
        assert "Layanan sementara tidak tersedia" in response.text and "Traceback" not in response.text
    health = _get(f"{url}/health")
    assert health.status_code == 503 and health.json()["checks"]["database"]["ok"] is False
    assert _get(f"{url}/health/ready").status_code == 503
    time.sleep(3)  # the worker polls an unreachable database meanwhile
    assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]

    relay.restore()
    _wait(lambda: (r := _get(f"{url}/beranda/", cookies=cookies)) is not None and r.status_code == 200, 60, "pages")
    assert _get(f"{url}/health").json()["checks"]["database"]["ok"] is True
    # The same worker process, never restarted, takes new work again.
    markers = tmp_path / "jejak"
    markers.mkdir()
    job = start_job(task=record_run, kind="uji", label="Sesudah basis data kembali", owner=None,
                    marker_dir=str(markers))  # fmt: skip
    _wait(
        lambda: Job.objects.get(pk=job.pk).status == Job.Status.SUCCEEDED,
        120,
        f"the job after the database came back:\n{(tmp_path / 'worker.log').read_text()[-3000:]}",
    )
    assert worker.poll() is None
