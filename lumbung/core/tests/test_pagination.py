"""The shared pager keeps the list's filters and really moves to the next page."""

import re

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from lumbung.core.roles import Role
from tests.factories import OfficialFactory


def test_pager_links_keep_the_filters_and_carry_one_question_mark():
    request = RequestFactory().get("/daftar/", {"q": "kopi", "page": "2"})
    page = Paginator(range(90), 30).get_page(2)
    html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)
    links = re.findall(r'href="([^"]+)"', html)
    assert links == ["?q=kopi&amp;page=1", "?q=kopi&amp;page=3"]


@pytest.mark.django_db
def test_following_the_next_link_opens_the_second_page(client, world):
    OfficialFactory.create_batch(35, region=world.region)
    client.force_login(world.user(Role.ADMIN))
    first = client.get(reverse("organisation:official-list")).content.decode()
    next_href = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(reverse("organisation:official-list") + next_href).content.decode()
    assert "Halaman 2 dari 2" in second
