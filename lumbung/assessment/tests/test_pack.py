"""The national portal pack: files renamed and ordered by indicator, the re-keying workbook, the
background job, and one run of the real db_worker process."""

import io
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.assessment import evidence as evidence_library
from lumbung.assessment import packs, services
from lumbung.core.models import Job

from .factories import pdf_file

BASE_DIR = Path(django_settings.BASE_DIR)


def _evidence(entry, admin, world):
    rows = {row.indicator.code: row for row in entry.answers.select_related("indicator", "entry__assessment")}
    services.answer_set(row=rows["16"], level=3, actor=admin)
    services.answer_set(row=rows["35"], level=2, actor=admin)
    regulation = evidence_library.document_store(
        region=world.region, actor=admin, title="Peraturan Bupati Lampung Barat Nomor 12 Tahun 2025", year=2025,
        file=pdf_file("perbup.pdf"),
    )  # fmt: skip
    team = evidence_library.document_store(
        region=world.region, actor=admin, title="SK Tim Inovasi", year=2026, file=pdf_file("sk.pdf", salt="tim")
    )
    video = evidence_library.document_store(
        region=world.region, actor=admin, title="Video", year=2026, link="https://youtu.be/lambar"
    )
    evidence_library.evidence_link(document=regulation, row=rows["16"], actor=admin)
    evidence_library.evidence_link(document=team, row=rows["16"], actor=admin)
    evidence_library.evidence_link(document=team, row=rows["17"], actor=admin)
    evidence_library.evidence_link(document=video, row=rows["35"], actor=admin)


def _check_zip(data: bytes, entry):
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    evidence = sorted(name for name in names if name.startswith("eviden/"))
    assert [name.split("_")[1] for name in evidence] == ["ind16", "ind16", "ind17"]
    assert evidence[0].startswith("eviden/21_ind16_1_peraturan-bupati")
    assert archive.read(evidence[0]).startswith(b"%PDF")
    workbook = load_workbook(io.BytesIO(archive.read("profil-dan-indikator.xlsx")))
    profile = [row for row in workbook["Profil"].iter_rows(min_row=3, values_only=True)]
    assert profile[0][1:] == ("Nama Pemda", entry.assessment.region.name)
    assert profile[1][1:] == ("Nama inovasi", entry.innovation.name)
    indicators = list(workbook["Indikator"].iter_rows(min_row=3, values_only=True))
    assert [row[0] for row in indicators] == [str(code) for code in range(16, 36)]
    assert indicators[0][2] == 3 and "perbup" not in indicators[0][7] and indicators[0][7].count("ind16") == 2
    assert indicators[-1][8] == "https://youtu.be/lambar"


def test_the_pack_holds_renamed_files_in_indicator_order_and_the_workbook(entry, admin, world):
    _evidence(entry, admin, world)
    steps = []
    name, data = packs.build_portal_pack(packs.pack_entry(entry.pk), progress=lambda done, total: steps.append(done))
    assert name == "paket-portal-2026-sistem-antrean-puskesmas-daring.zip"
    assert steps == [1, 2, 3, 4]
    _check_zip(data, entry)


def test_the_page_starts_a_job_and_offers_the_download(client, entry, admin, world):
    _evidence(entry, admin, world)
    client.force_login(admin)
    response = client.post(reverse("assessment:entry-pack", args=[entry.pk]))
    job = Job.objects.get()
    assert response.url == reverse("core:job-detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.kind == "portal_pack"
    download = client.get(reverse("core:job-download", args=[job.pk]))
    _check_zip(b"".join(download.streaming_content), entry)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_real_worker_builds_the_pack(settings, tmp_path, world):
    """Enqueue with the DatabaseBackend and let `manage.py db_worker --batch` run it."""
    from .factories import enter, open_assessment

    admin = world.user("admin")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    entry = enter(open_assessment(world.region, admin), admin, unit=world.unit, name="Sistem Antrean Puskesmas Daring")
    _evidence(entry, admin, world)
    job = packs.portal_pack_start(entry=entry, actor=admin)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "LUMBUNG_VAR_DIR": str(tmp_path)}
    if connection.vendor == "sqlite":
        # The test database lives in this process's memory; the worker gets a copy on disk.
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        env.update(DATABASE_ENGINE="sqlite", SQLITE_PATH=str(path))
    else:
        env.update(POSTGRES_DB=connection.settings_dict["NAME"])
    run = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]

    if connection.vendor == "sqlite":
        with sqlite3.connect(path) as copy:
            status, result_file = copy.execute(
                "SELECT status, result_file FROM core_job WHERE id = ?", (job.pk.hex,)
            ).fetchone()
    else:
        stored = Job.objects.get(pk=job.pk)
        status, result_file = stored.status, stored.result_file.name
    assert status == Job.Status.SUCCEEDED, run.stderr[-2000:]
    _check_zip((tmp_path / "media" / result_file).read_bytes(), entry)
