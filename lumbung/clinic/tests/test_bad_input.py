"""Malformed filters on the clinic queue: the list, never a server error."""

import pytest
from django.urls import reverse

from lumbung.core.roles import Role


@pytest.mark.parametrize("value", [str(10**20), "²", "abc", "-1", "a\x00b"])
def test_the_queue_ignores_a_malformed_mentor_filter(client, world, value):
    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("clinic:case-list"), {"mentor": value, "q": value, "kategori": value})
    assert response.status_code == 200
