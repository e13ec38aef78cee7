"""Malformed return addresses and ids: the default page, never a server error."""

import pytest
from django.urls import reverse

from lumbung.organisation.models import Region


@pytest.mark.parametrize("target", ["abc", "-1", "a\x00b", "https://evil.example/", ""])
def test_opening_a_region_with_a_malformed_return_address_goes_back_to_the_list(client, world, target):
    pesisir = Region.objects.create(code="18.13", name="Kabupaten Pesisir Barat", kind=Region.Kind.REGENCY)
    client.force_login(world.national_admin)
    response = client.post(reverse("organisation:region-hosting", args=[pesisir.pk]), {"hosted": "1", "next": target})
    assert response.status_code == 302
    assert response.url == reverse("organisation:region-list")
    pesisir.refresh_from_db()
    assert pesisir.is_hosted


def test_opening_a_region_returns_to_the_page_of_the_list_it_came_from(client, world):
    pesisir = Region.objects.create(code="18.13", name="Kabupaten Pesisir Barat", kind=Region.Kind.REGENCY)
    client.force_login(world.national_admin)
    back = reverse("organisation:region-list") + "?q=pesisir"
    response = client.post(reverse("organisation:region-hosting", args=[pesisir.pk]), {"hosted": "1", "next": back})
    assert response.url == back
