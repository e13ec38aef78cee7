"""Malformed filters on the knowledge base: the list, never a server error."""

import pytest
from django.urls import reverse

from lumbung.core.roles import Role


@pytest.mark.parametrize("value", [str(10**20), "²", "abc", "-1", "a\x00b"])
def test_the_index_ignores_a_malformed_category(client, world, value):
    client.force_login(world.user(Role.INNOVATOR))
    response = client.get(reverse("knowledge:index"), {"kategori": value, "jenis": value, "q": value})
    assert response.status_code == 200
