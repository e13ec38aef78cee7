"""The public front page: the hosted regions with their latest predicate, and the latest published
innovations (a citizens' one among them), in a few queries whatever the number of regions."""

import pytest
from django.urls import reverse

from lumbung.assessment.models import OfficialResult
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory

pytestmark = pytest.mark.django_db


def test_the_landing_shows_predicates_and_the_latest_innovations(client, world, reference_data,
                                                                  django_assert_max_num_queries):  # fmt: skip
    admin = world.user(Role.ADMIN)
    world.region.is_hosted = True
    world.region.save(update_fields=["is_hosted"])
    OfficialResult.objects.create(region=world.region, year=2020, rank=6, predicate="Inovatif", entered_by=admin)
    OfficialResult.objects.create(region=world.region, year=2021, rank=1, predicate="Sangat Inovatif",
                                  entered_by=admin)  # fmt: skip
    OfficialResult.objects.create(region=world.region, year=2022, entered_by=admin)  # no predicate yet
    shown = InnovationFactory(region=world.region, unit=world.unit, created_by=admin, name="Kopi Digital",
                              status=Innovation.Status.PUBLISHED)  # fmt: skip
    citizens = InnovationFactory(region=world.region, unit=None, track=Innovation.Track.SOCIETY,
                                 group_name="Kelompok Tani Maju", initiator_name="Kelompok Tani Maju", created_by=world.user(Role.CITIZEN),
                                 name="Pupuk Organik Warga", status=Innovation.Status.PUBLISHED)  # fmt: skip
    InnovationFactory(region=world.region, unit=world.unit, created_by=admin, name="Masih Draf")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("core:landing")).content.decode()
    assert "Sangat Inovatif" in page and "IGA 2021" in page and "peringkat 1" in page
    assert shown.name in page and citizens.name in page and "Kelompok Tani Maju" in page
    assert "Masih Draf" not in page
    assert reverse("showcase:detail", args=[world.region.code, citizens.pk]) in page
