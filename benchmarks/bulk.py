"""Bulk work at national scale, on PostgreSQL: importing 5,000 innovations, exporting 36,742.

    .venv/bin/python benchmarks/bulk.py

With BENCH_DB set, the database of that name is used as it is when it exists (it must hold the
national data set of `make bench`, e.g. one kept by `make loadtest`), or built and kept when it
does not; without it, a scratch database (lumbung_bench_bulk) is built with that data set and
dropped at the end. Prints:

    BENCH import_5000_s=S queries_per_row=Q goal_s=30
    BENCH export_csv_36742_s=S peak_mb=M goal_s=20 goal_mb=300
    BENCH export_xlsx_36742_s=S peak_mb=M goal_s=60 goal_mb=300

The import is the whole flow the admin starts: read the uploaded .xlsx (5,000 rows for one
region), check every row, then save them (core.imports parse_import + apply_import, called in
this process as the worker would). The exports are what the worker runs for a large export: every
innovation of the country through `innovation_rows` into a CSV (csv_chunks) or an .xlsx
(write_workbook) in a temporary file.

Each measurement runs in a fresh Python process; peak_mb is that process's peak resident memory
(the kernel's VmHWM, which is what ru_maxrss reports without the figure inherited from the parent
process), Django and the interpreter included; the same figure for a process that only starts
Django is printed as the baseline.
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCRATCH_DB = "lumbung_bench_bulk"
IMPORT_ROWS = 5000
GOALS = {"import_s": 30, "csv_s": 20, "xlsx_s": 60, "mb": 300}


def _environment(database: str) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DATABASE_ENGINE="postgresql",
        POSTGRES_DB=database,
        LUMBUNG_LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("POSTGRES_HOST", "127.0.0.1")
    os.environ.setdefault("POSTGRES_USER", "postgres")


def _dataset():
    """The national data set's builder: the shared module when present, else `make bench`'s own."""
    try:
        from benchmarks import dataset

        return dataset.create_database, dataset.drop_database, dataset.build_national
    except ImportError:  # pragma: no cover - before the shared module existed
        from benchmarks import run

        def build():
            run.build()

        return (lambda _name: run.create_database()), (lambda _name: run.drop_database()), build


def _peak_mb() -> float:
    """This process's peak resident memory. Linux carries ru_maxrss over fork and exec (a child of
    a big parent starts at the parent's figure), so the kernel's high-water mark of this process's
    own memory (VmHWM) is read first; ru_maxrss where /proc is missing."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# In the child process ------------------------------------------------------------------------


def _import_sheet(region, unit) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Inovasi")
    sheet.append([f"DAFTAR INOVASI {region.name.upper()}"])
    sheet.append(["Nama inovasi", "Perangkat daerah", "Tahapan", "Inisiator", "Jenis", "Bentuk", "Urusan utama",
                  "Waktu uji coba", "Waktu penerapan", "Tujuan", "Manfaat", "Hasil"])  # fmt: skip
    stamp = int(time.time())
    for n in range(1, IMPORT_ROWS + 1):
        sheet.append([
            f"Inovasi Impor {stamp} {n}", unit.name, "Penerapan", "OPD", "Digital" if n % 2 else "Non digital",
            "Pelayanan publik", "pendidikan", "01-02-2024", "17 Agustus 2024",
            f"Mempercepat layanan sekolah nomor {n} di kecamatan.", "Warga terlayani lebih cepat.",
            "Waktu layanan turun dari tiga hari menjadi satu hari.",
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def child_import() -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    from lumbung.accounts.models import RoleAssignment, User
    from lumbung.core.imports import apply_import, import_confirm, import_start, parse_import
    from lumbung.core.models import ImportBatch
    from lumbung.core.roles import Role
    from lumbung.innovations.models import Innovation
    from lumbung.organisation.models import Region, Unit

    region = Region.objects.order_by("pk")[len(Region.objects.values_list("pk")) // 2]
    unit = Unit.objects.filter(region=region).order_by("pk").first()
    admin, _created = User.objects.get_or_create(
        email="bench-admin@lumbung.test", defaults={"full_name": "Admin Benchmark"}
    )
    RoleAssignment.objects.get_or_create(user=admin, region=region, role=Role.ADMIN)
    upload = SimpleUploadedFile("inovasi.xlsx", _import_sheet(region, unit))
    before = Innovation.objects.filter(region=region).count()
    queries = []

    def count(execute, sql, params, many, context):
        # Counted by a wrapper: Django's query log keeps only the last 9,000 queries.
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        start = time.perf_counter()
        # The tasks are enqueued for the worker; this process runs them as the worker would.
        batch = import_start(kind="innovations", region=region, actor=admin, uploaded=upload)
        parse_import.call(job_id=str(batch.job_id), batch_id=batch.pk)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.PREVIEW and batch.valid_count == IMPORT_ROWS, batch.file_errors
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
        batch.refresh_from_db()
        apply_import.call(job_id=str(batch.job_id), batch_id=batch.pk)
        seconds = time.perf_counter() - start
    batch.refresh_from_db()
    imported = Innovation.objects.filter(region=region).count() - before
    assert batch.status == ImportBatch.Status.DONE and imported == IMPORT_ROWS, (batch.status, imported)
    searchable = Innovation.objects.filter(region=region).search("sekolah kecamatan").count()
    return {"seconds": seconds, "queries": len(queries), "imported": imported, "searchable": searchable}


def child_export(fmt: str) -> dict:
    from lumbung.core.spreadsheets import csv_chunks, write_workbook
    from lumbung.innovations.exports import EXPORT_RELATIONS, innovation_rows
    from lumbung.innovations.models import Innovation

    queryset = (
        Innovation.objects.filter(name__startswith="Inovasi ")
        .exclude(name__startswith="Inovasi Impor")
        .select_related("unit", "main_affair", "theme")
        .prefetch_related(*EXPORT_RELATIONS)
        .order_by("pk")
    )
    start = time.perf_counter()
    headers, rows = innovation_rows(queryset)
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    with tempfile.TemporaryFile() as handle:
        if fmt == "csv":
            for chunk in csv_chunks(headers, counted()):
                handle.write(chunk.encode("utf-8"))
        else:
            write_workbook(handle, [("Inovasi", headers, counted())], title="Daftar inovasi nasional")
        size = handle.tell()
    return {"seconds": time.perf_counter() - start, "rows": count, "bytes": size}


def child_baseline() -> dict:
    from lumbung.innovations.models import Innovation

    return {"innovations": Innovation.objects.count()}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(what: str) -> None:
    import django

    django.setup()
    cpu = _cpu_seconds()
    function = {"import": child_import, "csv": lambda: child_export("csv"), "xlsx": lambda: child_export("xlsx"),
                "baseline": child_baseline}[what]  # fmt: skip
    result = function()
    result["peak_mb"] = _peak_mb()
    # Python's own CPU time: on a machine shared with other work the wall time says little alone.
    result["cpu_s"] = _cpu_seconds() - cpu
    print("RESULT " + json.dumps(result))


# In the parent -------------------------------------------------------------------------------


def _exists(database: str) -> bool:
    import psycopg

    with psycopg.connect(
        host=os.environ["POSTGRES_HOST"],
        port=os.environ.get("POSTGRES_PORT", "5432"),
        user=os.environ["POSTGRES_USER"],
        password=os.environ.get("POSTGRES_PASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    ) as connection:
        return bool(connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone())


def _run_child(what: str) -> dict:
    completed = subprocess.run(  # noqa: S603 - this script with a fixed argument
        [sys.executable, __file__, "--child", what], capture_output=True, text=True, env=os.environ.copy(), check=False
    )
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    if completed.returncode or not lines:
        sys.stderr.write(completed.stdout + completed.stderr)
        raise SystemExit(f"the {what} measurement failed")
    return json.loads(lines[-1][len("RESULT ") :])


def main() -> int:
    database = os.environ.get("BENCH_DB", "")
    scratch = not database
    _environment(database or SCRATCH_DB)
    create_database, drop_database, build_national = _dataset()
    build = scratch or not _exists(database)
    if build:
        create_database(database or SCRATCH_DB)
    try:
        if build:
            import django

            django.setup()
            start = time.perf_counter()
            build_national()
            print(f"(data set built in {time.perf_counter() - start:.1f} s)")
            from django.db import connections

            connections.close_all()
        baseline = _run_child("baseline")
        print(f"(baseline: a process that only starts Django peaks at {baseline['peak_mb']:.0f} MB)")
        result = _run_child("import")
        print(
            f"BENCH import_5000_s={result['seconds']:.1f} queries_per_row={result['queries'] / IMPORT_ROWS:.2f} "
            f"goal_s={GOALS['import_s']}"
        )
        print(
            f"(import: {result['imported']} innovations saved, {result['queries']} queries from upload to done, "
            f"peak {result['peak_mb']:.0f} MB, {result['cpu_s']:.1f} s of Python CPU; "
            f"{result['searchable']} found by a search of their goals)"
        )
        for fmt, goal in (("csv", GOALS["csv_s"]), ("xlsx", GOALS["xlsx_s"])):
            result = _run_child(fmt)
            print(
                f"BENCH export_{fmt}_{result['rows']}_s={result['seconds']:.1f} peak_mb={result['peak_mb']:.0f} "
                f"goal_s={goal} goal_mb={GOALS['mb']}"
            )
            print(f"({fmt}: {result['bytes'] / 1e6:.1f} MB file, {result['cpu_s']:.1f} s of Python CPU)")
    finally:
        if scratch:
            drop_database(SCRATCH_DB)
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _environment(os.environ.get("POSTGRES_DB", SCRATCH_DB))
        child(sys.argv[2])
        sys.exit(0)
    sys.exit(main())
