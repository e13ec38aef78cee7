"""The public showcase: published innovations only, open data of public fields, no personal data."""

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.innovations.models import Innovation, Programme, TeamMember
from lumbung.organisation.models import Official

from .factories import InnovationFactory

S = Innovation.Status


@pytest.fixture
def published(world, reference_data):
    innovation = InnovationFactory(
        region=world.region, unit=world.unit, status=S.PUBLISHED, name="Sekolah Lapang Kopi Petik Merah",
        latitude="-5.030000", longitude="104.060000", owner=world.official,
    )  # fmt: skip
    TeamMember.objects.create(innovation=innovation, user=world.user("innovator"), role=TeamMember.Role.MEMBER)
    world.official.phone = "081234567890"
    world.official.email = "kabid@lambarkab.go.id"
    world.official.save()
    return innovation


def public_urls(world, innovation) -> list[str]:
    code = world.region.code
    return [
        reverse("showcase:index", args=[code]),
        reverse("showcase:index", args=[code]) + "?q=kopi&digital=1",
        reverse("showcase:detail", args=[code, innovation.pk]),
        reverse("showcase:map", args=[code]),
        reverse("showcase:open-data-csv", args=[code]),
        reverse("showcase:open-data-json", args=[code]),
    ]


@pytest.mark.django_db
def test_no_nip_phone_or_email_on_any_public_page_or_file(world, published):
    people = list(Official.objects.filter(region=world.region)) + [world.user("innovator")]
    secrets = {official.nip for official in people if hasattr(official, "nip")}
    secrets |= {"081234567890", "kabid@lambarkab.go.id", world.user("innovator").email}
    client = Client()
    for url in public_urls(world, published):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8-sig")
        assert published.name in body, url
        leaked = [secret for secret in secrets if secret and secret in body]
        assert leaked == [], url
        assert not re.search(r"\b\d{18}\b", body), f"{url} shows an 18-digit number (a NIP?)"
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", body), f"{url} shows an e-mail address"


@pytest.mark.django_db
def test_only_published_innovations_are_public(world, published):
    draft = InnovationFactory(region=world.region, unit=world.unit, name="Draf Rahasia")
    verified = InnovationFactory(region=world.region, unit=world.unit, name="Belum Terbit", status=S.SUBSTANCE_VERIFIED)
    other = InnovationFactory(
        region=world.other_region, unit=world.other_unit, name="Inovasi Pemda Lain", status=S.PUBLISHED
    )
    client = Client()
    gallery = client.get(reverse("showcase:index", args=[world.region.code])).content.decode()
    assert published.name in gallery and draft.name not in gallery and verified.name not in gallery
    assert other.name not in gallery
    for innovation in (draft, verified, other):
        assert client.get(reverse("showcase:detail", args=[world.region.code, innovation.pk])).status_code == 404
    data = json.loads(client.get(reverse("showcase:open-data-json", args=[world.region.code])).content)
    assert [record["nama"] for record in data["inovasi"]] == [published.name]
    assert data["inovasi"][0]["lintang"] == -5.03
    assert set(data["inovasi"][0]) == set(data["inovasi"][0]) - {"tim", "nip", "email", "telepon"}


@pytest.mark.django_db
def test_unhosted_regions_have_no_showcase(world, published):
    world.other_region.is_hosted = False
    world.other_region.save()
    assert Client().get(reverse("showcase:index", args=[world.other_region.code])).status_code == 404
    assert Client().get(reverse("showcase:index", args=["99.99"])).status_code == 404


@pytest.mark.django_db
def test_showcase_pages_do_not_grow_with_rows(world, reference_data, django_assert_max_num_queries):
    for number in range(30):
        InnovationFactory(
            region=world.region,
            unit=world.unit,
            status=S.PUBLISHED,
            name=f"Inovasi Kopi {number}",
            latitude="-5.1",
            longitude="104.1",
        )
    client = Client()
    for name in ("showcase:index", "showcase:map", "showcase:open-data-json", "showcase:open-data-csv"):
        with django_assert_max_num_queries(8):
            assert client.get(reverse(name, args=[world.region.code]), {"q": "kopi"}).status_code == 200


@pytest.mark.django_db
def test_programme_pages_do_not_grow_with_rows(world, reference_data, django_assert_max_num_queries):
    from .factories import ProgrammeFactory

    admin = Client()
    admin.force_login(world.user("admin"))
    sosis = ProgrammeFactory(region=world.region, created_by=world.user("admin"))
    pm = ProgrammeFactory(region=world.region, kind=Programme.Kind.OFFICIAL_QUOTA, created_by=world.user("admin"))
    for _ in range(20):
        InnovationFactory(region=world.region, unit=world.unit, status=S.SUBMITTED, owner=world.official)
    for programme in (sosis, pm):
        with django_assert_max_num_queries(14):
            assert (
                admin.get(reverse("innovations:programme-detail", args=[programme.pk]), {"tampil": "semua"}).status_code
                == 200
            )
        with django_assert_max_num_queries(12):
            assert admin.get(reverse("innovations:programme-export", args=[programme.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert admin.get(reverse("innovations:programme-list")).status_code == 200


@pytest.mark.django_db
def test_home_panels_do_not_grow_with_rows(world, reference_data, rf, django_assert_max_num_queries):
    from lumbung.innovations import nav

    from .factories import ProgrammeFactory

    ProgrammeFactory(region=world.region, created_by=world.user("admin"))
    for number in range(20):
        InnovationFactory(
            region=world.region, unit=world.unit, status=[S.SUBMITTED, S.RETURNED, S.PUBLISHED][number % 3],
            created_by=world.user("operator"), owner=world.official,
        )  # fmt: skip
    panels = {
        "operator": nav._operator_context, "innovator": nav._innovator_context,
        "verifier": nav._verifier_context, "admin": nav._overview_context,
    }  # fmt: skip
    for role, context in panels.items():
        request = rf.get("/beranda/")
        request.user, request.region = world.user(role), world.region
        request.user.active_roles  # noqa: B018 - loaded once per request by the middleware
        with django_assert_max_num_queries(8):
            data = context(request)
        assert data, role


@pytest.mark.django_db
def test_a_published_innovation_can_be_shared_by_whatsapp_with_its_public_address(world, published, settings):
    settings.SITE_URL = "https://inovasi.lampungbaratkab.go.id"
    url = reverse("showcase:detail", args=[world.region.code, published.pk])
    page = Client().get(url).content.decode()
    share = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', page)
    assert share, "no WhatsApp share link"
    text = parse_qs(urlsplit(unescape(share.group(1))).query)["text"][0]
    assert text == f"Sekolah Lapang Kopi Petik Merah\nhttps://inovasi.lampungbaratkab.go.id{url}"
