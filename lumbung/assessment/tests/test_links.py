"""Pages show only links their reader may follow (an innovator met 403s on the assessment tabs)."""

import re

import pytest
from django.urls import reverse

from lumbung.core.roles import Role

from .factories import enter


def refused_links(client, url) -> list[str]:
    page = client.get(url).content.decode()
    links = set(re.findall(r'href="(/penilaian/[^"?#]*)"', page))
    assert links, "the page links to assessment pages"
    return [link for link in links if client.get(link).status_code == 403]


@pytest.mark.parametrize("role", [Role.INNOVATOR, Role.OPERATOR])
def test_every_link_of_an_entry_and_its_rows_opens(client, world, assessment, admin, role):
    user = world.user(role)
    entry = enter(assessment, admin, unit=world.unit, created_by=user)
    row = entry.answers.first()
    client.force_login(user)
    assert refused_links(client, reverse("assessment:entry-detail", args=[entry.pk])) == []
    assert refused_links(client, reverse("assessment:row-detail", args=[row.scope, row.pk])) == []


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.LEADER, Role.VERIFIER])
def test_every_link_of_the_overview_opens(client, world, assessment, admin, role):
    enter(assessment, admin, unit=world.unit)
    client.force_login(world.user(role))
    assert refused_links(client, reverse("assessment:detail", args=[assessment.pk])) == []
