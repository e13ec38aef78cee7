"""Refusals of restore (damaged, partial, wrong key, non-empty target), retention, the record and
the national admin's panel."""

import datetime as dt
import io
import subprocess
import sys
import tarfile
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lumbung.backups import services
from lumbung.backups.models import Backup

from .drill import BASE_DIR, build_data, differences


def _rewrite(source, target, change):
    """Copy a tar, passing each member's bytes through change(name, data) (None drops it)."""
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            if data is None:
                continue
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return target


def _member(path, name) -> bytes:
    with tarfile.open(path) as archive:
        return archive.extractfile(name).read()


def _refusal(path, **options) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), **options)
    return str(refused.value)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_damaged_partial_wrongly_keyed_and_non_empty(world, settings, tmp_path):
    import pyrage

    settings.MEDIA_ROOT = str(tmp_path / "media")
    build_data(world, files=3)
    good = services.backup_create(directory=tmp_path, upload=False).path

    first = next(name for name in services.json.loads(_member(good, "manifest.json"))["files"])
    flipped = _rewrite(
        good, tmp_path / "rusak.tar", lambda name, data: data[:-1] + b"X" if name.endswith(first) else data
    )
    assert "Cadangan rusak: 1 berkas tidak cocok" in _refusal(flipped)
    no_manifest = _rewrite(good, tmp_path / "tanpa.tar", lambda name, data: None if name == "manifest.json" else data)
    assert "manifes tidak ada" in _refusal(no_manifest)
    cut = tmp_path / "terpotong.tar"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "Cadangan" in _refusal(cut)
    missing = _rewrite(good, tmp_path / "kurang.tar", lambda name, data: None if name.startswith("files/") else data)
    assert "tidak ada di arsip" in _refusal(missing)

    owner, stranger = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    sealed = services.backup_create(directory=tmp_path / "enk", recipients=[str(owner.to_public())], upload=False).path
    wrong_key = tmp_path / "kunci-lain.txt"
    wrong_key.write_text(f"{stranger}\n")
    assert "kuncinya salah" in _refusal(sealed, identity=str(wrong_key))
    assert "terenkripsi" in _refusal(sealed)

    # A valid archive and the right key, but this database already holds data: nothing is touched.
    right_key = tmp_path / "kunci.txt"
    right_key.write_text(f"{owner}\n")
    rows = Backup.objects.count()
    assert "Basis data tujuan tidak kosong" in _refusal(sealed, identity=str(right_key))
    assert Backup.objects.count() == rows

    # From the command line: one Indonesian line, no traceback.
    run = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "restore", str(flipped)],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 1 and "Cadangan rusak" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_is_recorded_and_explained(settings, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("backup", dir=str(tmp_path), recipient=["bukan-kunci"], no_upload=True)
    assert "Kunci publik age tidak sah" in str(refused.value)
    record = Backup.objects.get()
    assert not record.ok and "age" in record.error
    assert list(tmp_path.glob("lumbung-*")) == []


def test_differences_counts_rows_and_files():
    before = {"a": Counter({"(1, 'x')": 1, "(2, 'y')": 1}), "f.pdf": "abc"}
    assert differences(before, before) == 0
    assert differences(before, {"a": Counter({"(1, 'x')": 1, "(2, 'z')": 1}), "f.pdf": "abd"}) == 3
    assert differences(before, {}) == 3


NOW = dt.datetime(2026, 12, 6, 2, 0, tzinfo=dt.UTC)
stamps_strategy = st.lists(
    st.integers(min_value=0, max_value=60 * 24 * 500).map(lambda minutes: NOW - dt.timedelta(minutes=minutes)),
    max_size=80,
)


@given(stamps_strategy, st.integers(0, 10), st.integers(0, 8), st.integers(0, 14))
def test_retention_keeps_the_newest_of_each_recent_period(stamps, daily, weekly, monthly):
    kept = services.retention_keep(stamps, daily=daily, weekly=weekly, monthly=monthly)
    assert kept <= set(stamps)
    assert len(kept) <= 1 + daily + weekly + monthly
    if stamps:
        assert max(stamps) in kept
    days = sorted({stamp.date() for stamp in stamps}, reverse=True)[:daily]
    for day in days:
        assert max(stamp for stamp in stamps if stamp.date() == day) in kept


def test_prune_deletes_what_retention_does_not_keep(tmp_path):
    names = []
    for days_ago in range(40):
        stamp = NOW - dt.timedelta(days=days_ago)
        for hour in (0, 12):
            name = f"lumbung-{(stamp - dt.timedelta(hours=hour)).strftime(services.STAMP)}.tar"
            (tmp_path / name).write_bytes(b"x")
            names.append(name)
    (tmp_path / "catatan.txt").write_text("bukan cadangan")
    removed = services.backups_prune(tmp_path, keep={"daily": 7, "weekly": 4, "monthly": 2})
    left = sorted(path.name for path in tmp_path.glob("lumbung-*"))
    assert len(left) + len(removed) == 80
    assert names[0] in left and (tmp_path / "catatan.txt").exists()
    assert 7 <= len(left) <= 13


@pytest.mark.django_db
def test_the_national_admin_sees_the_last_backup_and_a_warning_when_it_is_old(client, world, settings):
    settings.LUMBUNG_BACKUP_MAX_AGE_HOURS = 26
    client.force_login(world.national_admin)
    page = client.get(reverse("core:home")).content.decode()
    assert "Belum ada cadangan yang berhasil" in page

    finished = timezone.now() - dt.timedelta(hours=2)
    Backup.objects.create(
        name="lumbung-a", started_at=finished, finished_at=finished, ok=True, size=5 * 1024 * 1024, rows=900, files=12
    )
    Backup.objects.create(name="lumbung-b", started_at=timezone.now(), finished_at=timezone.now(), error="disk penuh")
    page = client.get(reverse("core:home")).content.decode()
    assert "Cadangan terakhir yang berhasil:" in page and "5,0\xa0MB" in page
    assert "sudah lebih dari" not in page and "disk penuh" in page

    Backup.objects.filter(name="lumbung-a").update(finished_at=timezone.now() - dt.timedelta(hours=30))
    assert "sudah lebih dari 26 jam" in client.get(reverse("core:home")).content.decode()

    admin = world.user("admin")
    client.force_login(admin)
    assert "Cadangan data" not in client.get(reverse("core:home")).content.decode()
