"""Malformed ids in the innovation forms and the similarity lookup: a message, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.core.models import StagedUpload
from lumbung.innovations.models import Attachment, Innovation

from .helpers import pdf_file, profile_data


@pytest.fixture
def operator(world):
    client = Client()
    client.force_login(world.user("operator"))
    return client


@pytest.mark.django_db
def test_an_unknown_related_affair_too_large_for_the_database_keeps_the_form_and_the_upload(
    world, reference_data, operator
):
    data = profile_data(world.unit, related_affairs=[str(10**20)])
    data["attachment_kind"] = Attachment.Kind.BUDGET
    data["attachment_file"] = pdf_file()
    response = operator.post(reverse("innovations:create"), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "bukan salah satu dari pilihan" in page
    assert "Sistem Informasi Harga Kopi Robusta" in page
    assert StagedUpload.objects.filter(owner=world.user("operator")).exists()
    assert Innovation.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("exclude", ["abc", "²", str(10**20), "x" * 5000])
def test_the_similarity_lookup_ignores_a_malformed_exclude(world, operator, exclude):
    response = operator.get(reverse("innovations:similar"), {"name": "Sistem Informasi", "exclude": exclude})
    assert response.status_code == 200
