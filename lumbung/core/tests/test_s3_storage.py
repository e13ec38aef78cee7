"""Evidence in S3-compatible storage (a real local S3 server): stored in the bucket, never on the
disk, and streamed through the app only to those allowed, as an attachment with nosniff."""

import pytest
from django.urls import reverse

from lumbung.assessment import evidence
from lumbung.assessment.tests.factories import pdf_file


@pytest.mark.django_db
def test_private_evidence_in_a_bucket_is_streamed_only_to_those_allowed(client, world, settings, s3, tmp_path):
    bucket = s3.bucket("bukti-unduhan")
    settings.MEDIA_ROOT = str(tmp_path / "tidak-dipakai")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": s3.endpoint, "addressing_style": "path"},
        },
    }
    admin = world.user("admin")
    upload = pdf_file("sk-tim.pdf", salt="s3")
    content = upload.read()
    upload.seek(0)
    document = evidence.document_store(region=world.region, actor=admin, title="SK Tim", year=2026, file=upload)
    bucket_storage = s3.storage(bucket)
    assert bucket_storage.exists(document.file.name)
    assert not (tmp_path / "tidak-dipakai").exists()

    url = reverse("assessment:document-download", args=[document.pk])
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]

    client.force_login(world.other_admin)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
