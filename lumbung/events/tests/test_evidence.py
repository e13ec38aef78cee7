"""Attendance becomes evidence: proposals from team members who attended, and only what the
admin confirmed reaches the assessment (through its real evidence API)."""

import pytest
from django.core.exceptions import ValidationError

from lumbung.assessment.models import Document, EvidenceLink
from lumbung.assessment.services import assessment_transition
from lumbung.assessment.tests.factories import InnovationFactory, open_assessment
from lumbung.core.models import Job
from lumbung.core.roles import Role
from lumbung.events import services
from lumbung.events.models import Event, EvidenceProposal
from lumbung.innovations.models import TeamMember
from tests.factories import OfficialFactory, UserFactory

from .factories import EventFactory, RegistrationFactory, at, attended, image_upload

P = EvidenceProposal.Status


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


def innovation_with(world, *, official=None, user=None, name=""):
    innovation = InnovationFactory(region=world.region, unit=world.unit, **({"name": name} if name else {}))
    TeamMember.objects.create(innovation=innovation, official=official, user=user, role=TeamMember.Role.OWNER)
    return innovation


@pytest.fixture
def scene(world):
    """A bimtek of March 2026: two innovations have a team member present, one has its member absent."""
    event = EventFactory(
        region=world.region, organiser=world.unit, status=Event.Status.RUNNING,
        starts_at=at(2026, 3, 10, 9), ends_at=at(2026, 3, 10, 15),
    )  # fmt: skip
    citizen = UserFactory(full_name="Dewi Anggraini")
    absent = OfficialFactory(region=world.region)
    innovations = {
        "by_official": innovation_with(world, official=world.official, name="Sigap Kopi Lambar"),
        "by_account": innovation_with(world, user=citizen, name="Pekon Digital"),
        "absent": innovation_with(world, official=absent, name="Lapak UMKM"),
    }
    attended(RegistrationFactory(event=event, official=world.official, name=world.official.name))
    attended(RegistrationFactory(event=event, user=citizen, name=citizen.full_name))
    attended(RegistrationFactory(event=event, name="Tamu tanpa tim"))
    RegistrationFactory(event=event, official=absent, name=absent.name)
    return event, innovations


def proposal_for(event, innovation):
    return EvidenceProposal.objects.get(event=event, innovation=innovation)


def test_finishing_proposes_the_innovations_whose_team_members_attended(world, admin, scene):
    event, innovations = scene
    services.event_transition(event=event, action="finish", actor=admin)
    proposed = {p.innovation for p in event.proposals.all()}
    assert proposed == {innovations["by_official"], innovations["by_account"]}
    assert all(p.status == P.PROPOSED and p.indicator_code == "20" for p in event.proposals.all())
    names = {r.name for r in proposal_for(event, innovations["by_official"]).attendees.all()}
    assert names == {world.official.name}


def test_proposing_again_keeps_decisions(world, admin, scene):
    event, innovations = scene
    services.evidence_propose(event=event)
    first = proposal_for(event, innovations["by_official"])
    services.proposals_decide(event=event, proposals=[first], action="dismiss", actor=admin)
    services.evidence_propose(event=event)
    assert proposal_for(event, innovations["by_official"]).status == P.DISMISSED
    assert event.proposals.count() == 2


def test_only_confirmed_proposals_are_attached(world, admin, scene):
    event, innovations = scene
    open_assessment(world.region, admin, year=2026)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.FINISHED)
    services.evidence_propose(event=event)
    confirmed = proposal_for(event, innovations["by_official"])
    left = proposal_for(event, innovations["by_account"])

    job = services.proposals_decide(event=event, proposals=[confirmed], action="confirm", actor=admin, year=2026)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"attached": 1, "failed": 0}
    confirmed.refresh_from_db()
    left.refresh_from_db()
    assert confirmed.status == P.ATTACHED and left.status == P.PROPOSED
    links = EvidenceLink.objects.select_related("answer__entry__innovation", "answer__indicator", "document")
    assert [(link.answer.entry.innovation, link.answer.indicator.code) for link in links] == [
        (innovations["by_official"], "20")
    ]
    document = links.get().document
    assert document.source == "events" and document.kind == "pdf" and document.year == 2026
    assert confirmed.document_ids == [document.pk]
    assert list(confirmed.history.values_list("action", flat=True)) == ["confirm", "attach"]
    # The attendee whose evidence it is received a certificate on the way.
    assert event.certificates.get().registration.official == world.official


def test_a_dismissed_proposal_is_never_attached_even_when_attaching_is_retried(world, admin, scene):
    event, innovations = scene
    open_assessment(world.region, admin, year=2026)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.FINISHED)
    services.evidence_propose(event=event)
    services.proposals_decide(
        event=event, proposals=event.proposals.all(), action="dismiss", actor=admin, note="Bukan topik inovasi"
    )
    services.evidence_attach_start(event=event, actor=admin)
    assert not EvidenceLink.objects.exists() and not Document.objects.exists()
    assert set(event.proposals.values_list("status", flat=True)) == {P.DISMISSED}


def test_attaching_an_unconfirmed_proposal_directly_is_refused(world, admin, scene):
    event, innovations = scene
    open_assessment(world.region, admin, year=2026)
    services.evidence_propose(event=event)
    proposal = proposal_for(event, innovations["by_official"])
    proposal.year = 2026
    with pytest.raises(ValidationError, match="sudah dikonfirmasi"):
        services.proposal_attach(proposal=proposal, actor=admin)
    assert not EvidenceLink.objects.exists()


def test_a_locked_assessment_leaves_the_proposal_confirmed_with_the_reason_and_nothing_half_saved(world, admin, scene):
    event, innovations = scene
    assessment = open_assessment(world.region, admin, year=2026)
    assessment_transition(assessment=assessment, action="lock", actor=admin)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.FINISHED)
    services.evidence_propose(event=event)
    proposal = proposal_for(event, innovations["by_official"])
    job = services.proposals_decide(event=event, proposals=[proposal], action="confirm", actor=admin, year=2026)
    job.refresh_from_db()
    proposal.refresh_from_db()
    assert job.result == {"attached": 0, "failed": 1}
    assert proposal.status == P.CONFIRMED and proposal.last_error
    assert not EvidenceLink.objects.exists() and not Document.objects.exists()


def test_without_an_assessment_for_the_year_the_admin_is_told_and_can_retry_later(world, admin, scene):
    event, innovations = scene
    Event.objects.filter(pk=event.pk).update(status=Event.Status.FINISHED)
    services.evidence_propose(event=event)
    proposal = proposal_for(event, innovations["by_official"])
    services.proposals_decide(event=event, proposals=[proposal], action="confirm", actor=admin, year=2026)
    proposal.refresh_from_db()
    assert "Belum ada penilaian IGA tahun 2026" in proposal.last_error
    open_assessment(world.region, admin, year=2026)
    services.evidence_attach_start(event=event, actor=admin)
    proposal.refresh_from_db()
    assert proposal.status == P.ATTACHED and proposal.last_error == ""


def test_socialisation_photos_go_to_indicator_25_and_a_tagged_photo_only_to_its_innovation(world, admin, scene):
    event, innovations = scene
    Event.objects.filter(pk=event.pk).update(kind=Event.Kind.SOCIALISATION, status=Event.Status.FINISHED)
    event.refresh_from_db()
    open_assessment(world.region, admin, year=2026)
    services.photo_add(
        event=event, actor=admin, uploaded=image_upload("suasana.jpg"), caption="Suasana", is_evidence=True
    )
    services.photo_add(
        event=event, actor=admin, uploaded=image_upload("banner.jpg", colour=(200, 30, 30)), caption="Banner Pekon Digital",
        is_evidence=True, innovation=innovations["by_account"],
    )  # fmt: skip
    services.photo_add(
        event=event, actor=admin, uploaded=image_upload("makan.jpg", colour=(1, 2, 3)), caption="Makan siang",
        is_evidence=False,
    )  # fmt: skip
    services.evidence_propose(event=event)
    services.proposals_decide(event=event, proposals=event.proposals.all(), action="confirm", actor=admin, year=2026)
    attached = {
        (link.answer.entry.innovation.name, link.answer.indicator.code, link.document.title)
        for link in EvidenceLink.objects.select_related("answer__entry__innovation", "answer__indicator", "document")
    }
    assert attached == {
        ("Sigap Kopi Lambar", "25", "Foto sosialisasi: Suasana"),
        ("Pekon Digital", "25", "Foto sosialisasi: Suasana"),
        ("Pekon Digital", "25", "Foto sosialisasi: Banner Pekon Digital"),
    }
    # One photo, one library document, used by both innovations.
    assert Document.objects.count() == 2


def test_a_socialisation_without_evidence_photos_explains_what_is_missing(world, admin, scene):
    event, innovations = scene
    Event.objects.filter(pk=event.pk).update(kind=Event.Kind.SOCIALISATION, status=Event.Status.FINISHED)
    open_assessment(world.region, admin, year=2026)
    services.evidence_propose(event=event)
    proposal = proposal_for(event, innovations["by_official"])
    services.proposals_decide(event=event, proposals=[proposal], action="confirm", actor=admin, year=2026)
    proposal.refresh_from_db()
    assert proposal.status == P.CONFIRMED and "foto" in proposal.last_error


def test_confirming_needs_a_year(world, admin, scene):
    event, _innovations = scene
    services.evidence_propose(event=event)
    with pytest.raises(ValidationError, match="tahun penilaian"):
        services.proposals_decide(event=event, proposals=event.proposals.all(), action="confirm", actor=admin)
    assert set(event.proposals.values_list("status", flat=True)) == {P.PROPOSED}
