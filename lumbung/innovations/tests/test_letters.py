"""Reminders on paper: the programme's targets without an account get a letter (PDF, one page
each, signed for the BRIDA) and a WhatsApp link with the same text; only the admin may print."""

import io
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from lumbung.innovations.models import Programme
from lumbung.organisation.models import Echelon, Unit
from tests.factories import AssignmentFactory, OfficialFactory

from .factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sosis(world, reference_data):
    """Both offices miss the quota; Diskominfo has an operator account, Dinkes has none."""
    head = OfficialFactory(region=world.region, name="dr. Ratna Sari", phone="0812 7000 1234")
    AssignmentFactory(official=head, unit=world.sibling_unit, position="Kepala Dinas Kesehatan", echelon=Echelon.II_B)
    return ProgrammeFactory(region=world.region, unit_kinds=[Unit.Kind.OFFICE], created_by=world.user("admin"))


LETTER = {
    "number": "B/145/III.02/2026",
    "date": "2026-11-30",
    "signatory_name": "Ir. Budi Santoso, M.T.",
    "signatory_position": "Kepala Badan Riset dan Inovasi Daerah",
    "signatory_nip": "",
}


def pdf_pages(response) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]


def test_the_page_lists_only_targets_without_an_account_with_a_whatsapp_link(world, sosis):
    response = client_for(world.user("admin")).get(reverse("innovations:programme-letters", args=[sosis.pk]))
    targets = response.context["targets"]
    assert [target.row.name for target in targets] == ["Dinas Kesehatan (Dinkes)"]
    [target] = targets
    assert (target.addressee, target.position) == ("Kepala Dinas Kesehatan", "dr. Ratna Sari")
    link = urlparse(target.whatsapp)
    assert (link.netloc, link.path) == ("wa.me", "/6281270001234")
    text = parse_qs(link.query)["text"][0]
    assert "Dinas Kesehatan" in text and "belum memiliki" in text
    assert target.whatsapp.replace("&", "&amp;") in response.content.decode()


def test_the_letters_print_one_page_per_target_signed_for_the_brida(world, sosis):
    response = client_for(world.user("admin")).post(reverse("innovations:programme-letters", args=[sosis.pk]), LETTER)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    [page] = pdf_pages(response)
    for expected in (
        "PEMERINTAH KABUPATEN LAMPUNG BARAT", "B/145/III.02/2026", "30 November 2026", "Kepala Dinas Kesehatan",
        "Dinas Kesehatan", "Ir. Budi Santoso, M.T.", "Kepala Badan Riset dan Inovasi Daerah",
    ):  # fmt: skip
        assert expected in page, expected
    assert "Dinas Komunikasi dan Informatika" not in page  # it has an operator: the app reminds it


def test_everyone_missing_when_asked(world, sosis):
    response = client_for(world.user("admin")).post(
        reverse("innovations:programme-letters", args=[sosis.pk]), {**LETTER, "include_reachable": "on"}
    )
    pages = pdf_pages(response)
    assert len(pages) == 2
    assert any("Dinas Komunikasi dan Informatika" in page for page in pages)


def test_pm_indah_letters_go_to_the_official(world, reference_data):
    world.sibling_official.phone = "+62 813-1111-2222"
    world.sibling_official.save()
    programme = ProgrammeFactory(
        region=world.region, kind=Programme.Kind.OFFICIAL_QUOTA, name="PM Indah", created_by=world.user("admin")
    )
    response = client_for(world.user("admin")).get(reverse("innovations:programme-letters", args=[programme.pk]))
    [target] = response.context["targets"]
    assert (target.addressee, target.position) == (world.sibling_official.name, "Kepala Bidang")
    assert target.whatsapp.startswith("https://wa.me/6281311112222?text=")


def test_a_bad_signatory_nip_is_explained_and_nothing_is_printed(world, sosis):
    response = client_for(world.user("admin")).post(
        reverse("innovations:programme-letters", args=[sosis.pk]), {**LETTER, "signatory_nip": "12345", "date": "x"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    form = response.context["form"]
    assert set(form.errors) == {"signatory_nip", "date"}
    assert response.context["form"].data["signatory_name"] == LETTER["signatory_name"]  # what was typed stays


def test_nothing_to_print_says_so(world, reference_data):
    programme = ProgrammeFactory(
        region=world.region, unit_kinds=[Unit.Kind.OFFICE], min_count=0, created_by=world.user("admin")
    )
    response = client_for(world.user("admin")).post(
        reverse("innovations:programme-letters", args=[programme.pk]), LETTER, follow=True
    )
    assert response["Content-Type"].startswith("text/html")
    assert "Tidak ada sasaran yang perlu disurati." in response.content.decode()


@pytest.mark.parametrize("role", ["verifier", "leader", "operator", "innovator"])
def test_only_the_admin_prints_letters(world, sosis, role):
    url = reverse("innovations:programme-letters", args=[sosis.pk])
    assert client_for(world.user(role)).get(url).status_code == 403
    assert client_for(world.user(role)).post(url, LETTER).status_code == 403


def test_another_regions_admin_does_not_find_the_programme(world, sosis):
    url = reverse("innovations:programme-letters", args=[sosis.pk])
    assert client_for(world.other_admin).post(url, LETTER).status_code == 404
