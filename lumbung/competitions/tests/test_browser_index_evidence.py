"""Browser journey: after the awards, the admin is offered to attach the certificates to IGA
indicator 12, checks the list, and confirms."""

import pytest
from playwright.sync_api import expect

from conftest import sign_in
from lumbung.assessment.models import EvidenceLink
from lumbung.assessment.tests.factories import open_assessment
from lumbung.core.roles import Role

from .factories import awarded_competition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_confirms_the_certificates_as_indicator_12_evidence(world, live_server, page):
    admin = world.user(Role.ADMIN)
    assessment = open_assessment(world.region, admin)
    competition = awarded_competition(region=world.region, admin=admin)

    sign_in(page, admin.email)
    page.goto(f"/lomba/kelola/{competition.pk}/hasil/")
    page.get_by_role("link", name="Lampirkan ke indikator 12 IGA…").click()
    expect(page.locator("table")).to_contain_text("Dewi Anggraini")
    expect(page.locator("table")).not_to_contain_text("Sari Wulandari")  # a participant, not an award
    assert not EvidenceLink.objects.exists()  # the list alone attaches nothing
    page.get_by_role("button", name="Lampirkan ke indikator 12 IGA 2026").click()
    expect(page.locator(".messages")).to_contain_text("2 sertifikat baru dilampirkan ke indikator 12 IGA 2026")

    links = EvidenceLink.objects.filter(region_answer__assessment=assessment, region_answer__indicator__code="12")
    assert links.count() == 2
