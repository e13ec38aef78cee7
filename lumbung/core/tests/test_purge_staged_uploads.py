from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from lumbung.core.models import StagedUpload
from tests.factories import UserFactory


def _staged(owner, name):
    staged = StagedUpload(owner=owner, original_name=name, sha256="0" * 64, size=3, content_type="application/pdf")
    staged.file.save(name, ContentFile(b"abc"), save=True)
    return staged


@pytest.mark.django_db
def test_it_removes_only_old_staged_files_and_their_storage():
    owner = UserFactory()
    old, fresh = _staged(owner, "lama.pdf"), _staged(owner, "baru.pdf")
    StagedUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=49))
    storage, old_name = old.file.storage, old.file.name

    call_command("purge_staged_uploads")

    assert list(StagedUpload.objects.all()) == [fresh]
    assert not storage.exists(old_name) and storage.exists(fresh.file.name)
