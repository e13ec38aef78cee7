"""Bulk onboarding of unit operators from the roster: one per unit, by e-mail or by a printed
letter with a one-time code; accepting a letter invitation by its code."""

import io

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from lumbung.accounts.models import Invitation, RoleAssignment, User, normalise_code
from lumbung.core.roles import Role
from lumbung.organisation.models import Echelon, Unit
from tests.factories import AssignmentFactory, OfficialFactory, UnitFactory

pytestmark = pytest.mark.django_db
URL = "accounts:operators-invite"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def offices(world):
    """Two offices of the world without an operator: Dinkes (sibling unit) and a new Dinas Sosial."""
    social = UnitFactory(region=world.region, name="Dinas Sosial", kind=Unit.Kind.OFFICE)
    head = OfficialFactory(region=world.region, name="Drs. Made Wirawan", email="made@lambar.test")
    AssignmentFactory(official=head, unit=social, position="Kepala Dinas Sosial", echelon=Echelon.II_B)
    staff = OfficialFactory(region=world.region, name="Sri Lestari")
    AssignmentFactory(official=staff, unit=social, position="Analis", echelon=Echelon.NONE)
    return {"social": social, "head": head, "staff": staff}


def test_the_page_lists_units_without_an_operator_with_their_officials(world, offices):
    response = client_for(world.user(Role.ADMIN)).get(reverse(URL))
    names = [unit.name for unit, *_ in response.context["form"].bound_rows()]
    assert "Dinas Sosial" in names and "Dinas Kesehatan" in names
    assert "Dinas Komunikasi dan Informatika" not in names  # it has its operator
    social_official = response.context["form"][f"u{offices['social'].pk}-official"]
    choices = [label for value, label in social_official.field.choices if value]
    assert choices == ["Drs. Made Wirawan", "Sri Lestari"]  # the head first
    assert social_official.initial == offices["head"].pk
    assert response.context["form"][f"u{offices['social'].pk}-email"].initial == "made@lambar.test"


def test_inviting_by_email_and_by_letter_at_once(world, offices, django_capture_on_commit_callbacks):
    admin = client_for(world.user(Role.ADMIN))
    social, sibling = offices["social"], world.sibling_unit
    data = {
        f"u{social.pk}-invite": "on", f"u{social.pk}-official": offices["head"].pk,
        f"u{social.pk}-email": "Made@Lambar.test",
        f"u{sibling.pk}-invite": "on", f"u{sibling.pk}-official": world.sibling_official.pk, f"u{sibling.pk}-email": "",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(reverse(URL), data)
    assert response.status_code == 200
    by_mail = Invitation.objects.get(unit=social)
    assert (by_mail.email, by_mail.roles, by_mail.official, by_mail.code) == (
        "made@lambar.test", [Role.OPERATOR], offices["head"], "",
    )  # fmt: skip
    assert [message.to for message in mail.outbox] == [["made@lambar.test"]]
    letter = Invitation.objects.get(unit=sibling)
    assert (letter.email, letter.official) == ("", world.sibling_official)
    assert len(letter.code) == 10 and set(letter.code) <= set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
    page = response.content.decode()
    assert f"id={letter.pk}" in page and f"id={by_mail.pk}" not in page

    pdf = admin.get(reverse("accounts:invitation-letters"), {"id": [letter.pk, by_mail.pk]})
    assert pdf["Content-Type"] == "application/pdf"
    [text] = [page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages]
    assert letter.code in text and world.sibling_official.name in text and "/akun/kode-undangan/" in text


def test_a_ticked_unit_needs_an_official_and_nothing_is_saved(world, offices):
    social = offices["social"]
    response = client_for(world.user(Role.ADMIN)).post(
        reverse(URL), {f"u{social.pk}-invite": "on", f"u{social.pk}-official": "", f"u{social.pk}-email": "x"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert f"u{social.pk}-official" in errors and f"u{social.pk}-email" in errors
    assert not Invitation.objects.exists()


def test_nothing_ticked_is_explained(world, offices):
    response = client_for(world.user(Role.ADMIN)).post(reverse(URL), {})
    assert "Centang setidaknya satu perangkat daerah" in response.content.decode()


def test_an_official_of_another_unit_is_refused(world, offices):
    social = offices["social"]
    response = client_for(world.user(Role.ADMIN)).post(
        reverse(URL), {f"u{social.pk}-invite": "on", f"u{social.pk}-official": world.other_official.pk}
    )
    assert f"u{social.pk}-official" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_the_page_pages_by_25_with_few_queries(world, django_assert_max_num_queries):
    for number in range(60):
        unit = UnitFactory(region=world.region, name=f"Kecamatan {number:02d}", kind=Unit.Kind.DISTRICT)
        AssignmentFactory(official=OfficialFactory(region=world.region), unit=unit, echelon=Echelon.III_A)
    admin = client_for(world.user(Role.ADMIN))
    admin.get(reverse(URL))
    with django_assert_max_num_queries(16):
        response = admin.get(reverse(URL), {"jenis": Unit.Kind.DISTRICT, "page": 2})
    assert len(response.context["page_obj"].object_list) == 25


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.OPERATOR, Role.LEADER, Role.INNOVATOR])
def test_only_the_admin_invites(world, offices, role):
    client = client_for(world.user(role))
    assert client.get(reverse(URL)).status_code == 403
    assert client.get(reverse("accounts:invitation-letters"), {"id": 1}).status_code == 403


def test_letters_of_another_region_are_not_printed(world, offices):
    theirs = Invitation.objects.create(
        email="", full_name="X", region=world.other_region, roles=[Role.OPERATOR], unit=world.other_unit,
        invited_by=world.other_admin, code="ABCDEFGHJK",
    )  # fmt: skip
    response = client_for(world.user(Role.ADMIN)).get(reverse("accounts:invitation-letters"), {"id": theirs.pk})
    assert response.status_code == 302


@pytest.fixture
def letter(world):
    return Invitation.objects.create(
        email="", full_name=world.sibling_official.name, region=world.region, roles=[Role.OPERATOR],
        unit=world.sibling_unit, official=world.sibling_official, invited_by=world.user(Role.ADMIN), code="K7M2Q9RTXW",
    )  # fmt: skip


def test_a_letter_code_leads_to_an_account_with_the_role(client, world, letter, django_capture_on_commit_callbacks):
    response = client.post(reverse("accounts:invitation-code"), {"code": " k7m2-q9rt xw "})
    assert response["Location"] == reverse("accounts:invitation-accept", args=[letter.token])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            response["Location"],
            {"email": "Wayan@Lambar.test", "password1": "Inovasi-Lambar-2026!", "password2": "Inovasi-Lambar-2026!"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="wayan@lambar.test")
    assert user.email_verified_at is None  # the letter proves who holds it, not whose address it is
    assert user.official == world.sibling_official
    assert RoleAssignment.objects.filter(
        user=user, role=Role.OPERATOR, unit=world.sibling_unit, is_active=True
    ).exists()
    assert [message.to for message in mail.outbox] == [["wayan@lambar.test"]]  # the verification link
    letter.refresh_from_db()
    assert (letter.accepted_user, letter.email) == (user, "wayan@lambar.test")
    # Used once: the code no longer works.
    again = client.post(reverse("accounts:invitation-code"), {"code": "K7M2Q9RTXW"})
    assert again.status_code == 200
    assert "Kode tidak dikenal" in again.content.decode()


def test_a_letter_cannot_take_an_address_already_registered(client, world, letter):
    taken = world.user(Role.VERIFIER).email
    response = client.post(
        reverse("accounts:invitation-accept", args=[letter.token]),
        {"email": taken, "password1": "Inovasi-Lambar-2026!", "password2": "Inovasi-Lambar-2026!"},
    )
    assert response.status_code == 200
    assert "Surel ini sudah terdaftar" in response.content.decode()
    letter.refresh_from_db()
    assert letter.accepted_at is None and letter.email == ""


def test_code_guessing_is_throttled(client, world, letter):
    for _ in range(10):
        client.post(reverse("accounts:invitation-code"), {"code": "AAAAAAAAAA"})
    response = client.post(reverse("accounts:invitation-code"), {"code": "K7M2Q9RTXW"})
    assert response.status_code == 200
    assert "Terlalu banyak percobaan" in response.content.decode()


def test_codes_are_normalised_as_typed():
    assert normalise_code(" k7m2-q9rt xw ") == "K7M2Q9RTXW"
    assert normalise_code(None) == ""
