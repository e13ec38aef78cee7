"""Many writers on the embedded SQLite database: 16 clients sign in and save their profile at the
same moment against a real server (gunicorn, 2 processes × 8 threads) on a SQLite file. WAL mode,
the busy timeout and immediate transactions must make them wait their turn, never fail."""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from lumbung.core.roles import Role
from tests.factories import user_with_role

BASE_DIR = Path(django_settings.BASE_DIR)
CLIENTS, SAVES = 16, 4
PASSWORD = "kata-sandi-uji-123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _csrf(session, url) -> str:
    page = session.get(url, timeout=60)
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


@pytest.mark.django_db(transaction=True)
def test_sixteen_clients_write_at_once_without_database_is_locked(world, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the embedded SQLite database only")
    users = [user_with_role(Role.INNOVATOR, world.region) for _ in range(CLIENTS)]
    argon2 = Argon2PasswordHasher()  # the server's hasher, not the tests' MD5
    hashed = argon2.encode(PASSWORD, argon2.salt())
    type(users[0]).objects.filter(pk__in=[user.pk for user in users]).update(password=hashed)
    path = tmp_path / "lumbung.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DJANGO_DEBUG": "false",
        "DATABASE_ENGINE": "sqlite",
        "SQLITE_PATH": str(path),
        "LUMBUNG_VAR_DIR": str(tmp_path),
    }
    log = open(tmp_path / "server.log", "w+")  # noqa: SIM115 - read after the server stops
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "8",
         "--timeout", "120", "--error-logfile", "-"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                # Both gunicorn processes load the application on their first request.
                if all(requests.get(f"{base}/health/ready", timeout=60).ok for _ in range(4)):
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        start = threading.Barrier(CLIENTS)
        results: dict[int, list[int]] = {}

        def client(number: int, user) -> None:
            session = requests.Session()
            token = _csrf(session, f"{base}/akun/masuk/")
            start.wait(timeout=60)
            codes = []
            answer = session.post(
                f"{base}/akun/masuk/", data={"csrfmiddlewaretoken": token, "username": user.email, "password": PASSWORD},
                headers={"Referer": f"{base}/akun/masuk/"}, allow_redirects=False, timeout=120,
            )  # fmt: skip
            codes.append(answer.status_code)
            for save in range(SAVES):
                token = _csrf(session, f"{base}/akun/profil/")
                answer = session.post(
                    f"{base}/akun/profil/",
                    data={"csrfmiddlewaretoken": token, "full_name": f"Penulis {number} simpan {save}", "phone": "",
                          "language": "id"},
                    headers={"Referer": f"{base}/akun/profil/"}, allow_redirects=False, timeout=120,
                )  # fmt: skip
                codes.append(answer.status_code)
            results[number] = codes

        threads = [threading.Thread(target=client, args=(n, user)) for n, user in enumerate(users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    server_log = log.read()
    log.close()
    assert "database is locked" not in server_log
    assert len(results) == CLIENTS, server_log[-3000:]
    assert all(codes == [302] * (1 + SAVES) for codes in results.values()), (results, server_log[-3000:])
    with sqlite3.connect(path) as db:
        names = {row[0] for row in db.execute("SELECT full_name FROM accounts_user WHERE full_name LIKE 'Penulis %'")}
    assert names == {f"Penulis {n} simpan {SAVES - 1}" for n in range(CLIENTS)}
