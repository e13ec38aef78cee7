"""The restore drill: build data with evidence files, back up, wipe, restore in a fresh process,
and compare every table's rows and every file's checksum. Used by test_drill.py and
`make backup-drill`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection, connections

from lumbung.backups import services
from lumbung.backups.snapshot import opened, sha256_of, storage_files

BASE_DIR = Path(settings.BASE_DIR)


def build_data(world, files: int = 12) -> None:
    """An assessment with evidence documents (real PDF files), an image and linked rows."""
    from lumbung.assessment import evidence
    from lumbung.assessment import services as assessment_services
    from lumbung.assessment.tests.factories import enter, open_assessment, pdf_file, png_file

    admin = world.user("admin")
    entry = enter(open_assessment(world.region, admin), admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
    rows = {row.indicator.code: row for row in entry.answers.select_related("indicator")}
    assessment_services.answer_set(row=rows["16"], level=3, actor=admin)
    for number in range(files - 1):
        document = evidence.document_store(
            region=world.region, actor=admin, title=f"SK Tim Inovasi {number}", year=2026,
            file=pdf_file(f"sk-{number}.pdf", salt=str(number)),
        )  # fmt: skip
        evidence.evidence_link(document=document, row=rows["16"], actor=admin)
    evidence.document_store(region=world.region, actor=admin, title="Foto kegiatan", year=2026, file=png_file())


def table_names(db) -> list[str]:
    with db.cursor() as cursor:
        return sorted(db.introspection.table_names(cursor))


def table_rows(db, table: str) -> Counter:
    """Every row of a table as a multiset of text (PostgreSQL casts the row; SQLite's repr)."""
    name = db.ops.quote_name(table)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(f"SELECT t::text FROM {name} t")  # noqa: S608 - names from the catalogue
            return Counter(row[0] for row in cursor.fetchall())
        cursor.execute(f"SELECT * FROM {name}")  # noqa: S608
        return Counter(repr(row) for row in cursor.fetchall())


VERSION_TABLE = "core_dataversion"


def database_image(db) -> dict[str, Counter]:
    return {table: table_rows(db, table) for table in table_names(db)}


def data_versions(db) -> dict[str, int]:
    with db.cursor() as cursor:
        cursor.execute(f"SELECT scope, version FROM {VERSION_TABLE}")  # noqa: S608 - our own name
        return dict(cursor.fetchall())


def without_versions(image: dict[str, Counter]) -> dict[str, Counter]:
    """The image without the data versions, which a restore moves on purpose (past every version the
    caches and each process's memory may hold: core.caching.versions_after_restore); they are
    compared apart (versions_moved)."""
    return {table: rows for table, rows in image.items() if table != VERSION_TABLE}


def versions_moved(before: dict[str, int], after: dict[str, int]) -> bool:
    """Every version of the backup is there after the restore, past its old number by far, and the
    national one (which every cache key carries) too."""
    scopes = before.keys() | {"all"}
    return after.keys() == scopes and all(after[scope] > before.get(scope, 0) + 10**9 for scope in scopes)


def files_image(storage) -> dict[str, str]:
    image = {}
    for name in storage_files(storage):
        with opened(storage, name) as stream:
            image[name] = sha256_of(stream)
    return image


def differences(before: dict, after: dict) -> int:
    """Rows missing or extra per table, plus files missing, extra or changed."""
    count = 0
    for key in before.keys() | after.keys():
        left, right = before.get(key), after.get(key)
        if isinstance(left, Counter) or isinstance(right, Counter):
            left, right = left or Counter(), right or Counter()
            count += sum(((left - right) + (right - left)).values())
        elif left != right:
            count += 1
    return count


@dataclass
class Target:
    """Where the restore goes: a new empty database and an empty storage, in a new process."""

    env: dict
    database: str

    def connection(self):
        settings_dict = {**connection.settings_dict, "NAME": self.database}
        return type(connections["default"])(settings_dict, alias="restored")


def empty_target(tmp: Path, storage_env: dict | None = None) -> Target:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "LUMBUNG_VAR_DIR": str(tmp / "pulih")}
    env.update(storage_env or {})
    if connection.vendor == "postgresql":
        name = f"{connection.settings_dict['NAME']}_pulih"[:63]
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        env["POSTGRES_DB"] = name
        return Target(env, name)
    path = str(tmp / "pulih.sqlite3")
    env.update(DATABASE_ENGINE="sqlite", SQLITE_PATH=path)
    return Target(env, path)


def drop_target(target: Target) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')


def restore_command(archive: str, target: Target, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", archive, *extra],
        cwd=BASE_DIR, env=target.env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def run_drill(
    tmp: Path, *, restored_storage, storage_env=None, recipients=None, identity_file=None, remote: bool = False
):
    """Back up the current database and default storage, restore elsewhere, compare. Returns figures."""
    clock = time.monotonic()
    rows_before = database_image(connection)
    versions_before = data_versions(connection)
    files_before = files_image(default_storage)
    result = services.backup_create(directory=tmp / "cadangan", recipients=recipients, upload=remote)
    target = empty_target(tmp, storage_env)
    try:
        extra = ("--identity", str(identity_file)) if identity_file else ()
        if remote:  # fetched back from the off-machine bucket, not from the local folder
            run = restore_command(result.path.name, target, "--remote", *extra)
        else:
            run = restore_command(str(result.path), target, *extra)
        assert run.returncode == 0, run.stderr[-3000:]
        assert "Traceback" not in run.stderr
        restored = target.connection()
        try:
            rows_after = database_image(restored)
            versions_after = data_versions(restored)
        finally:
            restored.close()
    finally:
        drop_target(target)
    files_after = files_image(restored_storage)
    # The images were taken before the backup; its own record is written after the snapshot.
    figures = {
        "rows": sum(sum(rows.values()) for rows in rows_before.values()),
        "files": len(files_before),
        "differences": differences(without_versions(rows_before), without_versions(rows_after))
        + differences(files_before, files_after),
        "versions_moved": versions_moved(versions_before, versions_after),
        "seconds": time.monotonic() - clock,
        "backup": result,
        "stdout": run.stdout,
    }
    return figures


def report(figures: dict) -> str:
    return (
        f"BACKUP rows={figures['rows']} files={figures['files']} "
        f"differences={figures['differences']} seconds={figures['seconds']:.1f}"
    )
