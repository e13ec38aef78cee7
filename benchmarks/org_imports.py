"""The organisation imports on PostgreSQL: 1,000 units (a two-level tree), then 5,000 officials.

    .venv/bin/python benchmarks/org_imports.py

Builds a scratch database (lumbung_bench_org_imports, or BENCH_ORG_DB), migrates it, makes one
region and its admin, and runs the whole flow an admin starts for each sheet: read the uploaded
.xlsx, check every row, then save (core.imports parse_import + apply_import, called in this process
as the worker would). The database is dropped at the end. Prints:

    BENCH import_units_1000_s=S queries_per_row=Q
    BENCH import_officials_5000_s=S queries_per_row=Q

S is the wall time from upload to done; the save alone is shown on the line after each.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATABASE = os.environ.get("BENCH_ORG_DB", "lumbung_bench_org_imports")
TOP_UNITS, CHILDREN = 40, 24  # 40 dinas with 24 UPTD each: 1,000 units
OFFICIALS = 5000


def _environment() -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_ENGINE="postgresql",
        POSTGRES_DB=DATABASE,
        LUMBUNG_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("POSTGRES_HOST", "127.0.0.1")
    os.environ.setdefault("POSTGRES_USER", "postgres")


def _workbook(headers: list[str], rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _unit_rows():
    for top in range(1, TOP_UNITS + 1):
        yield [f"Dinas Uji {top:02d}", f"DU{top:02d}", "Dinas", ""]
        for child in range(1, CHILDREN + 1):
            yield [f"UPTD Uji {top:02d}.{child:02d}", "", "UPTD", f"Dinas Uji {top:02d}"]


def _nips(count: int) -> list[str]:
    nips, number = [], 0
    while len(nips) < count:
        birth = dt.date(1965 + number % 30, 1 + number % 12, 1 + number % 28)
        appointed = dt.date(birth.year + 25, 1 + (number // 12) % 12, 1)
        nips.append(f"{birth:%Y%m%d}{appointed:%Y%m}{1 + number % 2}{1 + number // 360 % 999:03d}")
        number += 1
    assert len(set(nips)) == count
    return nips


def _official_rows():
    for number, nip in enumerate(_nips(OFFICIALS), start=1):
        top, child = 1 + number % TOP_UNITS, 1 + number % CHILDREN
        structural = number % 10 == 0
        yield [
            nip, f"Pegawai Uji {number:05d}", f"Kepala Seksi {number}" if structural else "Pelaksana",
            "IV.a" if structural else "JF", f"UPTD Uji {top:02d}.{child:02d}", "02-01-2024", "Tidak",
            f"800/{number}/2024", "081234567890",
        ]  # fmt: skip


def _run(kind: str, upload, region, admin) -> dict:
    from django.db import connection

    from lumbung.core.imports import apply_import, import_confirm, import_start, parse_import
    from lumbung.core.models import ImportBatch

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        batch = import_start(kind=kind, region=region, actor=admin, uploaded=upload)
        parse_import.call(job_id=str(batch.job_id), batch_id=batch.pk)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.PREVIEW and not batch.error_count, batch.file_errors
        saving = time.perf_counter()
        before = len(queries)
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
        batch.refresh_from_db()
        apply_import.call(job_id=str(batch.job_id), batch_id=batch.pk)
        end = time.perf_counter()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE, (batch.status, batch.save_errors)
    return {
        "seconds": end - start, "save_seconds": end - saving, "queries": len(queries),
        "save_queries": len(queries) - before, "imported": batch.imported_count,
    }  # fmt: skip


def main() -> int:
    _environment()
    from benchmarks.dataset import create_database, drop_database

    create_database(DATABASE)
    try:
        import django

        django.setup()
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.core.management import call_command

        from lumbung.accounts.models import RoleAssignment, User
        from lumbung.core.roles import Role
        from lumbung.organisation.models import Official, Region, Unit

        call_command("migrate", verbosity=0)
        region = Region.objects.create(code="99.01", name="Kabupaten Uji", kind=Region.Kind.REGENCY, is_hosted=True)
        admin = User.objects.create(email="bench-admin@lumbung.test", full_name="Admin Benchmark")
        RoleAssignment.objects.create(user=admin, region=region, role=Role.ADMIN)

        units = SimpleUploadedFile("unit.xlsx", _workbook(["Nama", "Singkatan", "Jenis", "Induk"], _unit_rows()))
        result = _run("units", units, region, admin)
        rows = TOP_UNITS * (1 + CHILDREN)
        assert result["imported"] == rows == Unit.objects.filter(region=region).count(), result
        print(f"BENCH import_units_{rows}_s={result['seconds']:.1f} queries_per_row={result['queries'] / rows:.2f}")
        print(f"(units: saving {result['save_seconds']:.1f} s, {result['save_queries']} queries)")

        headers = ["NIP", "Nama", "Jabatan", "Eselon", "Perangkat Daerah", "TMT Jabatan", "Plt", "Nomor SK", "No HP"]
        officials = SimpleUploadedFile("pejabat.xlsx", _workbook(headers, _official_rows()))
        result = _run("officials", officials, region, admin)
        assert result["imported"] == OFFICIALS == Official.objects.filter(region=region).count(), result
        print(
            f"BENCH import_officials_{OFFICIALS}_s={result['seconds']:.1f} "
            f"queries_per_row={result['queries'] / OFFICIALS:.2f}"
        )
        print(f"(officials: saving {result['save_seconds']:.1f} s, {result['save_queries']} queries)")
    finally:
        drop_database(DATABASE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
