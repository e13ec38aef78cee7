"""Backups and restores of the whole service: one archive holding the database, every stored file
and a manifest (row counts per table, SHA-256 per file), optionally age-encrypted and copied to an
S3-compatible bucket off the machine.

Archive layout (a plain tar; PDFs and the custom-format dump are compressed already):
    database.pgdump | database.sqlite3
    files/<storage name>...
    manifest.json            written last: an archive cut short has none and is refused
"""

from __future__ import annotations

import datetime as dt
import getpass
import io
import json
import logging
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from lumbung.core.caching import versions_after_restore

from .models import Backup
from .snapshot import (
    SnapshotError,
    database_dump,
    database_is_empty,
    database_load,
    opened,
    sha256_file,
    sha256_of,
    storage_files,
    table_counts,
)

logger = logging.getLogger(__name__)

FORMAT = 1
PREFIX = "lumbung-"
STAMP = "%Y%m%dT%H%M%SZ"
SUFFIXES = (".tar.age", ".tar")


class BackupError(Exception):
    """Refused or failed; the message is for the operator, in Bahasa Indonesia."""


@dataclass
class BackupResult:
    name: str
    path: Path
    size: int
    tables: int
    rows: int
    files: int
    seconds: float
    remote: str = ""
    pruned: list[str] = field(default_factory=list)


# --- where backups go -----------------------------------------------------------------------


def backup_directory() -> Path:
    path = Path(settings.LUMBUNG_BACKUP_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def remote_storage():
    """The off-machine bucket, or None. Credentials come from the usual AWS_* variables."""
    bucket = settings.LUMBUNG_BACKUP_S3_BUCKET
    if not bucket:
        return None
    from storages.backends.s3 import S3Storage

    return S3Storage(
        bucket_name=bucket,
        endpoint_url=settings.LUMBUNG_BACKUP_S3_ENDPOINT_URL or None,
        location=settings.LUMBUNG_BACKUP_S3_PREFIX,
        addressing_style="path",
        default_acl="private",
        file_overwrite=True,
    )


def stamp_of(name: str) -> dt.datetime | None:
    """The time in a backup's file name, or None for any other file."""
    for suffix in SUFFIXES:
        if name.startswith(PREFIX) and name.endswith(suffix):
            try:
                return dt.datetime.strptime(name[len(PREFIX) : -len(suffix)], STAMP).replace(tzinfo=dt.UTC)
            except ValueError:
                return None
    return None


# --- backup ---------------------------------------------------------------------------------


def backup_create(
    *, storage=None, directory: Path | None = None, recipients=None, upload: bool = True, started_by: str = ""
) -> BackupResult:
    """Write one archive; record the run (ok or not) so the national admin sees it."""
    storage = storage or default_storage
    directory = directory or backup_directory()
    directory.mkdir(parents=True, exist_ok=True)
    recipients = settings.LUMBUNG_BACKUP_RECIPIENTS if recipients is None else recipients
    started = timezone.now()
    name = PREFIX + started.astimezone(dt.UTC).strftime(STAMP)
    record = Backup(name=name, started_at=started, started_by=started_by or _who(), encrypted=bool(recipients))
    clock = time.monotonic()
    try:
        result = _write_archive(name, storage, directory, recipients)
        remote = remote_storage() if upload else None
        if remote is not None:
            with open(result.path, "rb") as stream:
                remote.save(result.path.name, File(stream))
            result.remote = f"s3://{settings.LUMBUNG_BACKUP_S3_BUCKET}/{remote.location}/{result.path.name}"
    except (SnapshotError, OSError, ValueError) as error:
        record.finished_at, record.error = timezone.now(), str(error)[:2000]
        record.save()
        logger.exception("Backup %s failed", name)
        raise BackupError(f"Pencadangan gagal: {error}") from error
    except Exception as error:
        record.finished_at, record.error = timezone.now(), repr(error)[:2000]
        record.save()
        raise
    result.seconds = time.monotonic() - clock
    record.finished_at, record.ok, record.size = timezone.now(), True, result.size
    record.tables, record.rows, record.files = result.tables, result.rows, result.files
    record.location, record.remote = str(result.path), result.remote
    record.save()
    return result


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _write_archive(name: str, storage, directory: Path, recipients) -> BackupResult:
    with tempfile.TemporaryDirectory(dir=directory, prefix=".kerja-") as work:
        work = Path(work)
        dump = work / "database"
        kind, counts = database_dump(dump)
        manifest = {
            "format": FORMAT,
            "name": name,
            "created_at": timezone.now().isoformat(),
            "database": {"kind": kind, "member": f"database.{kind}", "sha256": sha256_file(dump)},
            "tables": counts,
            "files": {},
        }
        plain = work / f"{name}.tar"
        with tarfile.open(plain, "w") as archive:
            archive.add(dump, arcname=manifest["database"]["member"])
            for file_name in storage_files(storage):
                manifest["files"][file_name] = _add_stored_file(archive, storage, file_name, work)
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(time.time())
            archive.addfile(info, io.BytesIO(data))
        final = directory / f"{name}.tar"
        if recipients:
            final = directory / f"{name}.tar.age"
            _encrypt(plain, work / final.name, recipients)
            (work / final.name).replace(final)
        else:
            plain.replace(final)
    return BackupResult(
        name=name,
        path=final,
        size=final.stat().st_size,
        tables=len(counts),
        rows=sum(counts.values()),
        files=len(manifest["files"]),
        seconds=0.0,
    )


def _add_stored_file(archive, storage, file_name: str, work: Path) -> dict:
    # Through a local copy: a bucket's object is read once, and its size and hash are the ones stored.
    local = work / "file"
    with opened(storage, file_name) as stream, open(local, "wb") as copy:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            copy.write(chunk)
    digest = sha256_file(local)
    archive.add(local, arcname=f"files/{file_name}")
    size = local.stat().st_size
    local.unlink()
    return {"sha256": digest, "size": size}


def _encrypt(source: Path, target: Path, recipients) -> None:
    import pyrage

    try:
        keys = [pyrage.x25519.Recipient.from_str(key.strip()) for key in recipients]
    except pyrage.RecipientError as error:
        raise SnapshotError(f"Kunci publik age tidak sah ({error}).") from error
    pyrage.encrypt_file(str(source), str(target), keys)


# --- restore --------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int
    seconds: float


def backup_restore(source: Path, *, identity: str = "", storage=None) -> RestoreResult:
    """Restore into an empty database and an empty storage, then prove it against the manifest."""
    storage = storage or default_storage
    clock = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lumbung-pulih-") as work:
        work = Path(work)
        archive_path = _decrypted(Path(source), identity, work)
        manifest, extracted = _unpack_and_verify(archive_path, work)
        if archive_path.parent == work:
            archive_path.unlink()  # the decrypted copy; the extracted members are what is restored
        if not database_is_empty():
            raise BackupError(
                "Basis data tujuan tidak kosong. Pemulihan hanya ke basis data kosong "
                "(buat basis data baru, atau hapus isinya dulu) agar tidak ada data yang tertimpa."
            )
        if next(storage_files(storage), None) is not None:
            raise BackupError("Penyimpanan berkas tujuan tidak kosong. Pemulihan hanya ke folder atau bucket kosong.")
        try:
            database_load(extracted / manifest["database"]["member"], manifest["database"]["kind"])
        except SnapshotError as error:
            raise BackupError(f"Basis data tidak dapat dipulihkan: {error}") from error
        for name in manifest["files"]:
            with open(extracted / "files" / name, "rb") as stream:
                saved = storage.save(name, File(stream))
            if saved != name:
                raise BackupError(f"Berkas {name} tersimpan dengan nama lain ({saved}); pemulihan dihentikan.")
    _verify_restored(manifest, storage)
    # After the check (it counts rows): caches may hold later data under the restored versions.
    versions_after_restore()
    counts = manifest["tables"]
    return RestoreResult(len(counts), sum(counts.values()), len(manifest["files"]), time.monotonic() - clock)


def _decrypted(source: Path, identity: str, work: Path) -> Path:
    if not source.exists():
        raise BackupError(f"Berkas cadangan {source} tidak ditemukan.")
    if not source.name.endswith(".age"):
        return source
    import pyrage

    if not identity:
        raise BackupError("Cadangan ini terenkripsi; berikan kunci rahasia age dengan --identity.")
    try:
        key = pyrage.x25519.Identity.from_str(identity.strip())
    except pyrage.IdentityError as error:
        raise BackupError("Kunci rahasia age tidak sah (harus diawali AGE-SECRET-KEY-).") from error
    target = work / source.name.removesuffix(".age")
    try:
        pyrage.decrypt_file(str(source), str(target), [key])
    except pyrage.DecryptError as error:
        raise BackupError(
            "Cadangan tidak dapat dibuka dengan kunci ini: kuncinya salah, atau berkasnya rusak."
        ) from error
    return target


def _unpack_and_verify(archive_path: Path, work: Path) -> tuple[dict, Path]:
    """Extract into `work/isi` and check every member against the manifest before anything is written."""
    target = work / "isi"
    target.mkdir()
    try:
        with tarfile.open(archive_path, "r") as archive:
            members = {member.name: member for member in archive.getmembers() if member.isfile()}
            if "manifest.json" not in members:
                raise BackupError("Cadangan tidak lengkap: manifes tidak ada (berkas terpotong atau bukan cadangan).")
            manifest = json.loads(archive.extractfile(members["manifest.json"]).read())
            wanted = [manifest["database"]["member"], *(f"files/{name}" for name in manifest["files"])]
            for member_name in wanted:
                path = PurePosixPath(member_name)
                if member_name not in members or path.is_absolute() or ".." in path.parts:
                    raise BackupError(f"Cadangan tidak lengkap: {member_name} tidak ada di arsip.")
                local = target.joinpath(*path.parts)
                local.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(members[member_name]) as stream, open(local, "wb") as copy:
                    for chunk in iter(lambda stream=stream: stream.read(1024 * 1024), b""):
                        copy.write(chunk)
    except (tarfile.TarError, EOFError, OSError) as error:
        raise BackupError(f"Cadangan rusak dan tidak dapat dibaca ({error}).") from error
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError("Cadangan rusak: manifesnya tidak dapat dibaca.") from error
    bad = []
    if sha256_file(target / manifest["database"]["member"]) != manifest["database"]["sha256"]:
        bad.append(manifest["database"]["member"])
    bad += [
        name for name, entry in manifest["files"].items() if sha256_file(target / "files" / name) != entry["sha256"]
    ]
    if bad:
        raise BackupError(
            f"Cadangan rusak: {len(bad)} berkas tidak cocok dengan manifes (mis. {bad[0]}). Tidak ada yang dipulihkan."
        )
    return manifest, target


def _verify_restored(manifest: dict, storage) -> None:
    counts = table_counts(connection)
    differ = [
        f"{table} ({counts.get(table)} ≠ {expected})"
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    ]
    if differ:
        raise BackupError(f"Pemulihan tidak cocok dengan manifes: jumlah baris berbeda di {', '.join(differ[:5])}.")
    for name, entry in manifest["files"].items():
        with opened(storage, name) as stream:
            if sha256_of(stream) != entry["sha256"]:
                raise BackupError(f"Pemulihan tidak cocok dengan manifes: berkas {name} berbeda.")


def remote_fetch(name: str, work: Path) -> Path:
    remote = remote_storage()
    if remote is None:
        raise BackupError("Penyimpanan cadangan di luar mesin belum diatur (LUMBUNG_BACKUP_S3_BUCKET).")
    if not remote.exists(name):
        raise BackupError(f"Cadangan {name} tidak ada di bucket {settings.LUMBUNG_BACKUP_S3_BUCKET}.")
    local = work / Path(name).name
    with opened(remote, name) as stream, open(local, "wb") as copy:
        for chunk in iter(lambda: stream.read(1024 * 1024), b""):
            copy.write(chunk)
    return local


# --- retention ------------------------------------------------------------------------------


def retention_keep(stamps, *, daily: int, weekly: int, monthly: int) -> set:
    """The newest backup of each of the last `daily` days, `weekly` ISO weeks and `monthly` months.

    The newest backup overall is always kept, whatever the numbers say.
    """
    ordered = sorted(set(stamps), reverse=True)
    keep = set(ordered[:1])
    periods = (
        (lambda stamp: stamp.date(), daily),
        (lambda stamp: tuple(stamp.isocalendar())[:2], weekly),
        (lambda stamp: (stamp.year, stamp.month), monthly),
    )
    for period_of, count in periods:
        seen = []
        for stamp in ordered:
            period = period_of(stamp)
            if period in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(period)
            keep.add(stamp)
    return keep


def backups_prune(directory: Path | None = None, remote=None, keep: dict | None = None) -> list[str]:
    """Delete the archives retention does not keep, here and in the remote bucket."""
    keep = keep or settings.LUMBUNG_BACKUP_KEEP
    removed = []
    directory = directory or backup_directory()
    local = {path.name: stamp_of(path.name) for path in directory.iterdir() if path.is_file()}
    removed += _prune(local, keep, lambda name: (directory / name).unlink())
    if remote is not None:
        names = {name: stamp_of(name) for name in remote.listdir("")[1]}
        removed += [f"s3:{name}" for name in _prune(names, keep, remote.delete)]
    return removed


def _prune(names: dict, keep: dict, delete) -> list[str]:
    names = {name: stamp for name, stamp in names.items() if stamp is not None}
    kept = retention_keep(names.values(), **keep)
    gone = sorted(name for name, stamp in names.items() if stamp not in kept)
    for name in gone:
        delete(name)
    return gone


# --- status for the national admin ----------------------------------------------------------


def backup_status(now=None) -> dict:
    now = now or timezone.now()
    last_ok = Backup.objects.filter(ok=True).order_by("-finished_at").first()
    last = Backup.objects.order_by("-started_at").first()
    max_age = dt.timedelta(hours=settings.LUMBUNG_BACKUP_MAX_AGE_HOURS)
    return {
        "last_ok": last_ok,
        "last_failed": last if last and not last.ok else None,
        "max_age_hours": settings.LUMBUNG_BACKUP_MAX_AGE_HOURS,
        "stale": last_ok is None or now - last_ok.finished_at > max_age,
    }
