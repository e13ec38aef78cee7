"""Award certificates as evidence of IGA indicator 12: offered, listed, attached only once the
admin confirms, and refused with a clear message when the year cannot take them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lumbung.assessment import services as assessment
from lumbung.assessment.models import Document, EvidenceLink
from lumbung.assessment.tests.factories import open_assessment
from lumbung.competitions import documents
from lumbung.competitions.models import Competition
from lumbung.core.roles import Role
from lumbung.frameworks.models import Indicator

from .factories import awarded_competition

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


@pytest.fixture
def year(world, admin):
    """The region's IGA 2026, open."""
    return open_assessment(world.region, admin)


@pytest.fixture
def awarded(world, admin):
    """A 2025 competition with its results out: two award certificates and a participant's."""
    return awarded_competition(region=world.region, admin=admin)


def links():
    return EvidenceLink.objects.filter(region_answer__indicator__code="12")


def test_confirmed_the_award_certificates_are_filed_once_and_attached(awarded, year, admin):
    assert documents.awards_attach_to_index(competition=awarded, year=2026, actor=admin) == 2
    attached = links().select_related("document")
    assert sorted(link.document.number for link in attached) == sorted(
        c.code for c in awarded.certificates.filter(kind="award")
    )
    assert {link.document.source for link in attached} == {"competitions"}
    row = attached[0].region_answer
    assert row.events.filter(action="attach").count() == 2
    assert awarded.events.get(action="index_evidence").data == {"year": 2026, "attached": 2}
    # Again: nothing new, nothing filed twice.
    assert documents.awards_attach_to_index(competition=awarded, year=2026, actor=admin) == 0
    assert Document.objects.filter(source="competitions").count() == 2 and links().count() == 2


def test_a_revoked_certificate_is_not_attached(awarded, year, admin):
    revoked = awarded.certificates.filter(kind="award").first()
    documents.certificate_revoke(certificate=revoked, actor=admin, reason="Plagiat terbukti.")
    assert documents.awards_attach_to_index(competition=awarded, year=2026, actor=admin) == 1
    assert not links().filter(document__sha256=revoked.sha256).exists()


def test_a_locked_year_gives_a_clear_message_and_attaches_nothing(awarded, year, admin):
    assessment.assessment_transition(assessment=year, action="lock", actor=admin)
    with pytest.raises(ValidationError) as refused:
        documents.awards_attach_to_index(competition=awarded, year=2026, actor=admin)
    assert "Penilaian IGA 2026 sudah dikunci" in " ".join(refused.value.messages)
    assert not links().exists() and not Document.objects.filter(source="competitions").exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no_year", "Belum ada penilaian IGA tahun 2026."),
        ("old_competition", "meminta dokumen tahun 2024, 2025, 2026"),
        ("not_published", "setelah hasil lomba diumumkan"),
    ],
)
def test_what_stands_in_the_way_is_named(awarded, world, admin, setup, message):
    if setup != "no_year":
        open_assessment(world.region, admin)
    if setup == "old_competition":
        # The 2026 rule: awards of T-2 to T-0 only.
        Indicator.objects.filter(framework__year=2026, code="12").update(evidence_years=["T-2", "T-1", "T-0"])
        Competition.objects.filter(pk=awarded.pk).update(year=2020)
    if setup == "not_published":
        Competition.objects.filter(pk=awarded.pk).update(status=Competition.Status.PUBLISHED)
    awarded.refresh_from_db()
    _row, problems = documents.awards_index_check(competition=awarded, year=2026)
    assert any(message in problem for problem in problems), problems
    with pytest.raises(ValidationError):
        documents.awards_attach_to_index(competition=awarded, year=2026, actor=admin)
    assert not links().exists()


def test_only_the_regions_admin_attaches(awarded, year, world):
    for role in (Role.VERIFIER, Role.OPERATOR, Role.LEADER):
        with pytest.raises(PermissionDenied):
            documents.awards_attach_to_index(competition=awarded, year=2026, actor=world.user(role))
    with pytest.raises(PermissionDenied):
        documents.awards_attach_to_index(competition=awarded, year=2026, actor=world.other_admin)


class TestPage:
    def url(self, competition):
        return reverse("competitions:awards-to-index", args=[competition.pk])

    def test_the_page_lists_what_would_be_attached_and_attaches_nothing(self, client, awarded, year, admin):
        client.force_login(admin)
        results = client.get(reverse("competitions:manage-results", args=[awarded.pk])).content.decode()
        assert self.url(awarded) in results
        page = client.get(self.url(awarded)).content.decode()
        assert "Dewi Anggraini" in page and "Rudi Hartono" in page and "Sari Wulandari" not in page
        assert "Lampirkan ke indikator 12 IGA 2026" in page
        assert not links().exists() and not Document.objects.filter(source="competitions").exists()

    def test_a_post_without_the_confirmation_attaches_nothing(self, client, awarded, year, admin):
        client.force_login(admin)
        response = client.post(self.url(awarded), {"year": 2026}, follow=True)
        assert "Belum dikonfirmasi" in response.content.decode()
        assert not links().exists()

    def test_confirming_attaches_and_returns_to_the_results(self, client, awarded, year, admin):
        client.force_login(admin)
        response = client.post(self.url(awarded), {"year": 2026, "confirm": "on"})
        assert response.status_code == 302 and response.url == reverse("competitions:manage-results", args=[awarded.pk])
        assert links().count() == 2
        page = client.get(self.url(awarded)).content.decode()
        assert page.count("sudah terlampir") == 2

    def test_a_locked_year_is_explained_and_offers_no_button(self, client, awarded, year, admin):
        assessment.assessment_transition(assessment=year, action="lock", actor=admin)
        client.force_login(admin)
        page = client.get(self.url(awarded)).content.decode()
        assert "sudah dikunci" in page and "Lampirkan ke indikator 12 IGA 2026" not in page
        response = client.post(self.url(awarded), {"year": 2026, "confirm": "on"}, follow=True)
        assert "sudah dikunci" in response.content.decode() and not links().exists()

    def test_a_year_the_region_does_not_have_is_refused(self, client, awarded, year, admin):
        client.force_login(admin)
        response = client.post(self.url(awarded), {"year": 2019, "confirm": "on"})
        assert response.status_code == 400 and not links().exists()

    def test_other_roles_and_regions_do_not_reach_it(self, client, awarded, year, world):
        for user in (world.user(Role.VERIFIER), world.user(Role.OPERATOR)):
            client.force_login(user)
            assert client.get(self.url(awarded)).status_code == 403
        client.force_login(world.other_admin)
        assert client.get(self.url(awarded)).status_code in (403, 404)
