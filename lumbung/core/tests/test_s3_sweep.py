"""The private-file part of the URL × role sweep again with every upload in an S3-compatible bucket
(the local moto server): each view that streams a stored file (found by what it calls, so a new one
joins by itself) refuses every role of region A on someone else's object, and the visitor is sent to
sign in (a public view answers 404 for a file that is not public). The files of the sweep's objects are in the bucket, never on the disk; what is allowed
comes from the bucket as an attachment with nosniff."""

import inspect

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from lumbung.core.access import rule_of
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.replication import catalogue, services
from lumbung.replication.tests.test_visits_and_replications import pdf_upload
from tests.factories import RegionFactory, user_with_role
from tests.test_url_access import DENIED, NAMED, _collect_cases
from tests.world import build_world


def _streams_a_stored_file(callback) -> bool:
    try:
        source = inspect.getsource(inspect.unwrap(callback))
    except (OSError, TypeError):
        return False
    return "private_file_response(" in source


FILE_URLS = sorted(name for name, pattern in NAMED.items() if _streams_a_stored_file(pattern.callback))


@pytest.fixture
def bucket(s3, settings, tmp_path):
    name = s3.bucket("sapuan-berkas")
    settings.MEDIA_ROOT = str(tmp_path / "tidak-dipakai")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": name, "endpoint_url": s3.endpoint, "addressing_style": "path"},
        },
    }
    return s3.storage(name)


def test_the_file_views_are_found():
    # The views that stream uploads today; a new one is swept without being listed here.
    assert {"assessment:document-download", "replication:agreement-download", "innovations:attachment-download",
            "events:photo-file", "clinic:message-file", "knowledge:article-file", "core:job-download"} <= set(FILE_URLS)  # fmt: skip


@pytest.mark.django_db
def test_no_role_of_region_a_gets_someone_elses_file_from_the_bucket(bucket, tmp_path):
    world = build_world(third_region=True)
    cases = _collect_cases(world)
    clients = {None: Client()}
    for role in REGION_ROLES:
        clients[str(role)] = Client()
        clients[str(role)].force_login(world.user(role))
    checked = []
    for name in FILE_URLS:
        case = cases.get(name)
        if case is None or not case.is_foreign:
            continue
        url = reverse(name, kwargs=case.kwargs)
        for role, client in clients.items():
            response = client.get(url)
            where = f"{name} ({url}) as {role or 'visitor'}"
            if role is None and not rule_of(NAMED[name].callback).public:
                assert response.status_code == 302, where
                assert response["Location"].startswith(reverse(django_settings.LOGIN_URL)), where
            else:
                assert response.status_code in DENIED, f"{where} gets someone else's file"
        checked.append(name)
    assert "replication:agreement-download" in checked and "assessment:document-download" in checked
    assert not (tmp_path / "tidak-dipakai").exists()  # every file of the sweep went to the bucket


@pytest.mark.django_db
def test_a_linked_agreement_in_the_bucket_is_streamed_to_both_regions_only(client, world, bucket, tmp_path):
    origin = InnovationFactory(region=world.other_region, unit=world.other_unit, status=Innovation.Status.PUBLISHED)
    replication = services.shared_innovation_adopt(
        shared=catalogue.shared_innovation(world.region, origin.pk), actor=world.user(Role.ADMIN), unit=world.unit,
        name="Replikasi", main_affair=origin.main_affair, reason="Cocok untuk kita.",
    )  # fmt: skip
    upload = pdf_upload(salt=b"s3")
    content = upload.read()
    upload.seek(0)
    services.replication_agreement_save(
        replication=replication, region=world.other_region, actor=world.other_admin,
        data={"agreement_kind": "pks", "agreement_number": "1/PKS/2026"}, uploaded=upload,
    )  # fmt: skip
    replication.refresh_from_db()
    assert bucket.exists(replication.agreement_file.name)
    assert not (tmp_path / "tidak-dipakai").exists()
    url = reverse("replication:agreement-download", args=[replication.pk])
    for user in (world.user(Role.VERIFIER), world.other_admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == content
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(user_with_role(Role.ADMIN, RegionFactory(code="33.01")))
    assert client.get(url).status_code == 404
