"""Malformed return addresses and ids: the default page, never a server error."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("target", ["abc", "-1", "a\x00b", "https://evil.example/", ""])
def test_deactivating_a_region_with_a_malformed_return_address_goes_back_to_the_list(client, world, target):
    client.force_login(world.national_admin)
    url = reverse("accounts:region-deactivate", args=[world.region.pk])
    response = client.post(url, {"reason": "Uji", "next": target})
    assert response.status_code == 302
    assert response.url == reverse("organisation:region-list")
    world.region.refresh_from_db()
    assert not world.region.is_hosted


def test_deactivating_a_region_returns_to_the_page_of_the_list_it_came_from(client, world):
    client.force_login(world.national_admin)
    back = reverse("organisation:region-list") + "?q=lampung"
    response = client.post(
        reverse("accounts:region-deactivate", args=[world.region.pk]), {"reason": "Uji", "next": back}
    )
    assert response.url == back
