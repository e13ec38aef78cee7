"""Malformed facets on the replication catalogue: the list, never a server error."""

import pytest
from django.urls import reverse

from lumbung.core.roles import Role


@pytest.mark.parametrize("value", [str(10**20), "²", "abc", "-1", "a\x00b"])
def test_the_catalogue_ignores_malformed_facets(client, world, value):
    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("replication:catalogue"), {"asal": value, "urusan": value, "q": value})
    assert response.status_code == 200
