"""Whole pages from the cache (core.pagecache): one reader's page never reaches another, the CSRF
token is fresh and valid on every response, gzip and plain bodies say the same, and whatever a
page shows of the reader (messages, the notification bell, their roles) is never stale."""

import gzip
import re
from collections import Counter

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, _unmask_cipher_token
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lumbung.accounts.services import role_revoke
from lumbung.core.pagecache import _random_letters, csrf_token
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.notifications.models import Notification
from lumbung.notifications.services import mark_read, notify
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"([A-Za-z0-9]{64})"')


@pytest.fixture
def shown(world, reference_data):
    return InnovationFactory(
        region=world.region, unit=world.unit, status=Innovation.Status.PUBLISHED, name="Lapak Kopi Liwa"
    )


def _body(response) -> str:
    content = response.content
    if response.get("Content-Encoding") == "gzip":
        content = gzip.decompress(content)
    return content.decode()


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _stored(response) -> bool:
    """A page served from the cache was not rendered in this request (no template context)."""
    return response.status_code == 200 and response.context is None


def test_a_page_is_stored_once_and_gzip_and_plain_bodies_agree(world, shown):
    url = reverse("showcase:index", args=[world.region.code])
    browser = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    first = browser.get(url)
    assert not _stored(first)
    second = browser.get(url)
    assert _stored(second) and second["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in second["Vary"] and int(second["Content-Length"]) == len(second.content)
    plain = Client().get(url)
    assert _stored(plain) and not plain.has_header("Content-Encoding")
    without_tokens = [TOKEN.sub("TOKEN", _body(response)) for response in (first, second, plain)]
    assert without_tokens[0] == without_tokens[1] == without_tokens[2]
    assert "Lapak Kopi Liwa" in without_tokens[1]


def test_every_stored_page_carries_a_fresh_token_that_the_readers_cookie_accepts(world, shown):
    url = reverse("showcase:index", args=[world.region.code])
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_ENCODING="gzip")
    browser.get(url)
    tokens = []
    for _ in range(3):
        response = browser.get(url)
        assert _stored(response)
        tokens += TOKEN.findall(_body(response))
    assert len(set(tokens)) == 3  # masked afresh for each response (BREACH), the same within one
    assert len(tokens) > 3
    secret = browser.cookies["csrftoken"].value
    assert all(_unmask_cipher_token(token) == secret for token in tokens)
    # The language form of the stored page posts with its token; without it, refused.
    form = {"language": "en", "next": url, "csrfmiddlewaretoken": tokens[-1]}
    assert browser.post(reverse("set_language"), form).status_code == 302
    assert Client(enforce_csrf_checks=True).post(reverse("set_language"), form).status_code == 403


def test_a_visitor_without_a_cookie_gets_one_that_matches_the_stored_page(world, shown):
    url = reverse("showcase:index", args=[world.region.code])
    Client().get(url)
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(url)
    assert _stored(response)
    secret = response.cookies["csrftoken"].value
    assert {_unmask_cipher_token(token) for token in TOKEN.findall(_body(response))} == {secret}


def test_one_readers_page_never_reaches_another(world, shown):
    """Signed-in pages are stored per reader: same region, same page, different people."""
    url = reverse("innovations:list")
    first = user_with_role(Role.ADMIN, world.region, full_name="Ani Admin Pertama")
    second = user_with_role(Role.ADMIN, world.region, full_name="Budi Admin Kedua")
    first_client, second_client = _signed_in(first), _signed_in(second)
    assert "Ani" in _body(first_client.get(url))
    assert _stored(stored := first_client.get(url)) and "Ani" in _body(stored)
    page = _body(second_client.get(url))
    assert "Budi" in page and "Ani Admin Pertama" not in page
    # A visitor of the public page never gets a signed-in reader's copy of it.
    public = reverse("showcase:index", args=[world.region.code])
    assert first.get_short_name() in _body(first_client.get(public))
    assert first.get_short_name() not in _body(Client().get(public))


def test_a_message_is_shown_once_and_never_stored(world, shown, rf):
    url = reverse("innovations:list")
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    client.get(url)
    assert _stored(client.get(url))
    # A message waiting for the next page (as after a save): that page is rendered, not stored.
    request = rf.get("/")
    client.cookies["messages"] = CookieStorage(request)._encode([Message(constants.SUCCESS, "Inovasi disimpan.")])
    with_message = client.get(url)
    assert not _stored(with_message) and "Inovasi disimpan." in _body(with_message)
    after = client.get(url)
    assert _stored(after) and "Inovasi disimpan." not in _body(after)


def test_the_bell_follows_new_and_read_notifications(world, shown):
    url = reverse("innovations:list")
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    assert 'class="count"' not in _body(client.get(url))
    assert _stored(client.get(url))
    notify(recipients=[admin], title="Baris ditolak", email=False)
    assert '<span class="count">1' in _body(client.get(url))
    Notification.objects.create(recipient=admin, title="Satu lagi")
    assert '<span class="count">2' in _body(client.get(url))
    mark_read(user=admin)
    assert 'class="count"' not in _body(client.get(url))


def test_a_role_taken_away_is_refused_at_once(world, shown):
    url = reverse("innovations:list")
    admin = user_with_role(Role.ADMIN, world.region)
    client = _signed_in(admin)
    client.get(url)
    assert _stored(client.get(url))
    role_revoke(assignment=admin.role_assignments.get(), revoked_by=world.national_admin, reason="Pindah tugas")
    assert client.get(url).status_code in (302, 403)


def test_a_change_to_the_region_shows_on_the_next_read(world, shown):
    url = reverse("innovations:list")
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    assert "Lapak Kopi Liwa" in _body(client.get(url))
    assert _stored(client.get(url))
    shown.name = "Lapak Kopi Sekincau"
    shown.save()
    page = client.get(url)
    assert not _stored(page) and "Lapak Kopi Sekincau" in _body(page)


def test_a_stored_page_costs_a_few_queries(world, shown, django_assert_max_num_queries):
    url = reverse("innovations:list")
    client = _signed_in(user_with_role(Role.ADMIN, world.region))
    client.get(url)
    # Session, user, roles and the data versions (region, nation, reader).
    with django_assert_max_num_queries(4):
        assert _stored(client.get(url))
    public = reverse("showcase:index", args=[world.region.code])
    visitor = Client()
    visitor.get(public)
    with django_assert_max_num_queries(1):  # the region and its data version, in one query
        assert _stored(visitor.get(public))


def test_posts_and_errors_are_never_stored(world, shown):
    missing = reverse("showcase:detail", args=[world.region.code, shown.pk + 1000])
    visitor = Client()
    assert visitor.get(missing).status_code == 404
    assert visitor.get(missing).status_code == 404
    unknown = reverse("showcase:index", args=["99.99"])
    assert visitor.get(unknown).status_code == 404


@given(secret=st.text(alphabet=CSRF_ALLOWED_CHARS, min_size=CSRF_SECRET_LENGTH, max_size=CSRF_SECRET_LENGTH))
def test_the_token_of_a_stored_page_unmasks_to_the_readers_secret_as_djangos_does(secret):
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret
    tokens = {csrf_token(request) for _ in range(3)}
    assert len(tokens) == 3  # a fresh mask each time
    assert all(len(token) == 2 * CSRF_SECRET_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS) for token in tokens)
    assert {_unmask_cipher_token(token) for token in tokens} == {secret}
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_visitor_without_a_secret_gets_one_made_as_django_makes_it():
    request = RequestFactory().get("/")
    token = csrf_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == CSRF_SECRET_LENGTH and set(secret) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret


def test_random_letters_use_the_whole_alphabet_evenly():
    letters = "".join(_random_letters(CSRF_SECRET_LENGTH) for _ in range(2000))
    counts = Counter(letters)
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    expected = len(letters) / len(CSRF_ALLOWED_CHARS)  # about 1,032 each
    assert all(0.8 * expected < count < 1.2 * expected for count in counts.values())
