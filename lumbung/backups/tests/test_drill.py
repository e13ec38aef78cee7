"""The restore drill on the database of this run (SQLite or PostgreSQL) and on S3 storage served by
a real local S3 server: 0 differences in rows and files."""

import pytest
from django.core.files.storage import FileSystemStorage

from lumbung.backups.models import Backup

from .drill import build_data, report, run_drill


@pytest.mark.django_db(transaction=True)
def test_drill_restores_every_row_and_file(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    build_data(world)
    figures = run_drill(tmp_path, restored_storage=FileSystemStorage(location=tmp_path / "pulih" / "media"))
    print(report(figures))  # noqa: T201 - `make backup-drill` shows this line
    assert figures["differences"] == 0
    # Pages cached before the restore, under the versions it brings back, are never served.
    assert figures["versions_moved"]
    assert figures["files"] == 12 and figures["rows"] > 500
    assert "cocok dengan manifes" in figures["stdout"]
    record = Backup.objects.get()
    assert record.ok and record.size == figures["backup"].path.stat().st_size
    assert record.files == 12 and record.rows == figures["rows"]


@pytest.mark.django_db(transaction=True)
def test_drill_on_s3_storage_encrypted_and_copied_off_the_machine(world, settings, tmp_path, s3):
    """Evidence in one bucket; the encrypted archive goes to a backup bucket; the restore fetches it
    from there into a new empty database and a new empty bucket."""
    import pyrage

    source, restored, backups = s3.bucket("bukti"), s3.bucket("bukti-pulih"), s3.bucket("cadangan")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": source, "endpoint_url": s3.endpoint, "addressing_style": "path"},
        },
    }
    settings.LUMBUNG_BACKUP_S3_BUCKET, settings.LUMBUNG_BACKUP_S3_ENDPOINT_URL = backups, s3.endpoint
    build_data(world, files=5)
    identity = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "kunci.txt"
    key_file.write_text(f"# kunci rahasia\n{identity}\n")
    storage_env = {
        "AWS_STORAGE_BUCKET_NAME": restored,
        "AWS_S3_ENDPOINT_URL": s3.endpoint,
        "LUMBUNG_BACKUP_S3_BUCKET": backups,
        "LUMBUNG_BACKUP_S3_ENDPOINT_URL": s3.endpoint,
    }
    figures = run_drill(
        tmp_path, restored_storage=s3.storage(restored), storage_env=storage_env,
        recipients=[str(identity.to_public())], identity_file=key_file, remote=True,
    )  # fmt: skip
    print(report(figures))  # noqa: T201
    assert figures["differences"] == 0 and figures["files"] == 5
    assert figures["backup"].path.name.endswith(".tar.age")
    assert figures["backup"].remote.startswith(f"s3://{backups}/")
    # The copy off the machine is not a readable tar.
    assert not figures["backup"].path.read_bytes().startswith(b"database")
