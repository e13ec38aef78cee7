"""Pages show only links their reader may follow (an innovator met 403s on the assessment tabs)."""

import re

import pytest
from django.urls import reverse

from lumbung.core.roles import Role

from .factories import enter


@pytest.mark.parametrize("role", [Role.INNOVATOR, Role.OPERATOR])
def test_every_link_of_an_entry_page_opens(client, world, assessment, admin, role):
    user = world.user(role)
    entry = enter(assessment, admin, unit=world.unit, created_by=user)
    client.force_login(user)
    page = client.get(reverse("assessment:entry-detail", args=[entry.pk])).content.decode()
    links = set(re.findall(r'href="(/penilaian/[^"?#]*)"', page))
    assert links, "the page links to assessment pages"
    refused = [link for link in links if client.get(link).status_code == 403]
    assert refused == []
