"""Real `manage.py worker` processes for the tests: a queue they share with the test, and a fault
that kills a worker with SIGKILL at a chosen point of a real task (faults/sitecustomize.py)."""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings as django_settings
from django.db import connection

from lumbung.core.models import Job

BASE_DIR = Path(django_settings.BASE_DIR)
FAULTS_DIR = Path(__file__).resolve().parent / "faults"


class Queue:
    """The test database as a separate process sees it (a file copy for in-memory SQLite).

    Worker processes keep their files under `tmp_path` (LUMBUNG_VAR_DIR): a test whose task reads
    stored files sets MEDIA_ROOT to `tmp_path / "media"` before it stores them.
    """

    def __init__(self, tmp_path: Path, stale_seconds: int = 60):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DJANGO_DEBUG": "false",
            "LUMBUNG_VAR_DIR": str(tmp_path),
            "LUMBUNG_JOB_STALE_SECONDS": str(stale_seconds),
        }
        self.path = None
        if connection.vendor == "sqlite":
            self.path = tmp_path / "antrean.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)
            self.env.update(DATABASE_ENGINE="sqlite", SQLITE_PATH=str(self.path))
        else:
            self.env.update(POSTGRES_DB=connection.settings_dict["NAME"])

    def jobs(self) -> dict:
        """{job id: (status, attempts, error)} as stored now."""
        if self.path is None:
            return {str(job.pk): (job.status, job.attempts, job.error) for job in Job.objects.all()}
        with sqlite3.connect(self.path) as db:
            rows = db.execute("SELECT id, status, attempts, error FROM core_job").fetchall()
        return {str(uuid.UUID(row[0])): tuple(row[1:]) for row in rows}

    def query(self, sql: str, params=()) -> list[tuple]:
        """Rows of a read-only SQL query on the queue's database (%s placeholders)."""
        if self.path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        with sqlite3.connect(self.path) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    def command(self, *args, env=None, **popen):
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**self.env, **(env or {})},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen,
        )  # fmt: skip

    def run(self, *args, timeout: float = 300) -> str:
        """Run a management command to its end; its output (a failure fails the test)."""
        process = self.command(*args)
        output = process.communicate(timeout=timeout)[0]
        assert process.returncode == 0, output
        return output

    def worker(self, *extra, kill_at: str = "", kill_attempts: int = 1):
        """A worker; with `kill_at="<job kind prefix>:<step>"` it kills itself (SIGKILL, no handler
        runs) when the first attempt of such a job (or any of the first `kill_attempts`) reports
        that step as done."""
        env = {}
        if kill_at:
            env = {
                "LUMBUNG_FAULT_KILL_AT": kill_at,
                "LUMBUNG_FAULT_KILL_ATTEMPTS": str(kill_attempts),
                "PYTHONPATH": os.pathsep.join(filter(None, [str(FAULTS_DIR), os.environ.get("PYTHONPATH")])),
            }
        return self.command("worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", *extra, env=env)

    def wait_for(self, predicate, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            jobs = self.jobs()
            if predicate(jobs):
                return jobs
            time.sleep(0.3)
        raise AssertionError(f"timed out; jobs: {self.jobs()}")
