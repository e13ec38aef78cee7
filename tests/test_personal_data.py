"""Personal data (NIP, phone, e-mail) never on a public page, public file or open data (issue 12).

An anonymous visitor crawls the site from every page that takes no argument and each hosted
region's showcase, following every link and picture on the site, including the open-data files;
no official's or user's NIP, phone or e-mail may appear in what it gets.
"""

import io
import re
import zipfile
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lumbung.accounts.models import User
from lumbung.innovations.models import Innovation, TeamMember
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.organisation.models import Official

pytestmark = pytest.mark.django_db

MAX_PAGES = 400
LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"'#]+)""", re.I)


def _plain_urls() -> list[str]:
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.converters and namespace:
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    urls = []
    for name in sorted(set(names)):
        try:
            urls.append(reverse(name))
        except Exception:  # noqa: BLE001,S112 - optional arguments: not a plain page
            continue
    return urls


def _text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx/docx/zip: the text is in the XML parts
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()[:200])
        except zipfile.BadZipFile:
            pass
    return unescape(body.decode("utf-8", "replace"))


def _secrets(world) -> dict[str, str]:
    """Every official's and user's NIP, phone and e-mail, as they may be printed."""
    found = {}
    for official in Official.objects.all():
        if official.nip:
            found[official.nip] = f"NIP of {official.name}"
            found[" ".join((official.nip[:8], official.nip[8:14], official.nip[14], official.nip[15:]))] = "NIP spaced"
        for value in (official.phone, official.email):
            if value:
                found[value] = f"contact of {official.name}"
    for user in User.objects.all():
        found[user.email] = f"e-mail of {user.full_name}"
        if user.phone:
            found[user.phone] = f"phone of {user.full_name}"
    return found


@pytest.fixture
def public_content(world, reference_data):
    """Published innovations whose owners and team members have NIPs, phones and e-mails."""
    for official, phone, email in (
        (world.official, "0812-3456-7001", "kabid.kominfo@lambarkab.go.id"),
        (world.sibling_official, "0812-3456-7002", "kasi.dinkes@lambarkab.go.id"),
    ):
        official.phone, official.email = phone, email
        official.save()
    for user in world.users.values():
        user.phone = "0813-9999-" + str(1000 + user.pk)[-4:]
        user.save(update_fields=["phone"])
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, status=Innovation.Status.PUBLISHED, name="Sekolah Lapang Kopi",
        latitude="-5.030000", longitude="104.060000", owner=world.official,
    )  # fmt: skip
    TeamMember.objects.create(innovation=innovation, user=world.user("innovator"), role=TeamMember.Role.MEMBER)
    TeamMember.objects.create(innovation=innovation, official=world.sibling_official, role=TeamMember.Role.MEMBER)
    return innovation


def test_no_public_page_or_file_shows_personal_data(world, public_content):
    client = Client()
    secrets = _secrets(world)
    assert len(secrets) >= 20
    seeds = [u for u in _plain_urls() if "keluar" not in u]
    seeds += [reverse("showcase:index", args=[world.region.code]),
              reverse("showcase:detail", args=[world.region.code, public_content.pk])]  # fmt: skip
    queue, seen, fetched = deque(seeds), set(seeds), []
    while queue and len(fetched) < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        fetched.append((url, response.status_code))
        if response.status_code >= 500:
            pytest.fail(f"{url} answered {response.status_code}")
        if response.status_code != 200:
            continue
        text = _text_of(response)
        leaks = [f"{label}: {value}" for value, label in secrets.items() if value in text]
        assert leaks == [], url
        if "html" in response.get("Content-Type", ""):
            for link in LINK.findall(text):
                target = urlsplit(urljoin(url, link))
                if target.netloc and target.netloc != "testserver":
                    continue
                path = target.path + (f"?{target.query}" if target.query else "")
                if path.startswith("/static/") or "keluar" in path or path in seen:
                    continue
                seen.add(path)
                queue.append(path)
    ok = [url for url, status in fetched if status == 200]
    assert len(ok) >= 15, fetched
    # The crawl did reach the pages where the people behind an innovation are named.
    assert any(str(public_content.pk) in url for url in ok)
    assert any("csv" in url or "json" in url for url in ok), ok
