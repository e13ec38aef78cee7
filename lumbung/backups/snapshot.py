"""The parts of a backup: the database (pg_dump or SQLite's online backup), stored files, row counts.

Kept apart from services.py so the drill tests can use the same listing and hashing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections, transaction

CHUNK = 1024 * 1024


class SnapshotError(Exception):
    """A step failed; the message is already in Bahasa Indonesia for the operator."""


def sha256_of(stream) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    with open(path, "rb") as stream:
        return sha256_of(stream)


def storage_files(storage, path: str = "") -> Iterator[str]:
    """Every file name in a Django storage (local folder or bucket), recursively."""
    try:
        dirs, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for name in sorted(dirs):
        yield from storage_files(storage, f"{path}/{name}" if path else name)


def quote(connection, table: str) -> str:
    return connection.ops.quote_name(table)


def table_counts(connection) -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(connection, table)}")  # noqa: S608 - names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def _pg_environment(settings_dict: dict) -> tuple[list[str], dict]:
    args = ["-h", settings_dict.get("HOST") or "127.0.0.1", "-p", str(settings_dict.get("PORT") or 5432)]
    if settings_dict.get("USER"):
        args += ["-U", settings_dict["USER"]]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict, what: str) -> None:
    if shutil.which(command[0]) is None:
        raise SnapshotError(f"Program {command[0]} tidak ditemukan; pasang paket postgresql-client.")
    run = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if run.returncode != 0:
        raise SnapshotError(f"{what} gagal: {run.stderr.strip()[-600:]}")


def database_dump(target: Path, alias: str = "default") -> tuple[str, dict[str, int]]:
    """Write the database to `target`; return (file kind, row counts of that very snapshot)."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        return "pgdump", _pg_dump(connection, target)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            # The online backup API copies a consistent image even while the server writes.
            connection.connection.backup(copy)
        copy.close()
        return "sqlite3", sqlite_counts(target)
    raise SnapshotError(f"Basis data {connection.vendor} belum didukung oleh pencadangan.")


def _pg_dump(connection, target: Path) -> dict[str, int]:
    """pg_dump and the row counts from one exported snapshot, so the manifest matches the dump."""
    args, env = _pg_environment(connection.settings_dict)
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        counts = table_counts(connection)
        command = ["pg_dump", "-Fc", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", "-f", str(target)]
        _run([*command, *args, connection.settings_dict["NAME"]], env, "pg_dump")
    return counts


def database_is_empty(alias: str = "default") -> bool:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def database_load(source: Path, kind: str, alias: str = "default") -> None:
    connection = connections[alias]
    if kind == "pgdump":
        if connection.vendor != "postgresql":
            raise SnapshotError("Cadangan ini dari PostgreSQL; basis data tujuan bukan PostgreSQL.")
        args, env = _pg_environment(connection.settings_dict)
        connection.close()
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        _run([*command, *args, "-d", connection.settings_dict["NAME"], str(source)], env, "pg_restore")
        return
    if kind == "sqlite3":
        if connection.vendor != "sqlite":
            raise SnapshotError("Cadangan ini dari SQLite; basis data tujuan bukan SQLite.")
        path = connection.settings_dict["NAME"]
        connection.close()
        with sqlite3.connect(source) as origin, sqlite3.connect(path) as target:
            origin.backup(target)
        return
    raise SnapshotError(f"Jenis basis data di cadangan tidak dikenal: {kind}.")


@contextmanager
def opened(storage, name: str):
    stream = storage.open(name, "rb")
    try:
        yield stream
    finally:
        stream.close()
