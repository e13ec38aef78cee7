"""Study visits with observed innovations and follow-ups; replications in both directions and
the outbound agreement filed as indicator 31 evidence (real assessment API)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lumbung.assessment.models import Document, EvidenceLink
from lumbung.assessment.tests.factories import InnovationFactory, open_assessment
from lumbung.core.files import inspect_upload
from lumbung.core.models import StagedUpload
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.core.tests.uploads import PDF as VALID_PDF
from lumbung.notifications.models import Notification
from lumbung.replication import services
from lumbung.replication.models import CatalogueItem, Observation, Replication, StudyVisit
from tests.factories import RegionFactory

from .factories import CatalogueItemFactory, FollowUpFactory, ReplicationFactory, StudyVisitFactory

PDF = VALID_PDF  # a PDF a reader opens: uploads are parsed (issue 12)


def pdf_upload(name="pks-replikasi.pdf", salt=b""):
    upload = SimpleUploadedFile(
        name, PDF.replace(b"trailer", b"%" + salt + b"\ntrailer"), content_type="application/pdf"
    )
    upload.upload_info = inspect_upload(upload, kinds=("pdf",))
    return upload


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


@pytest.fixture
def wonogiri(db):
    return RegionFactory(code="33.12", name="Kabupaten Wonogiri")


# Study visits -------------------------------------------------------------------------------------


def test_a_visit_is_planned_with_its_delegation(world, admin, wonogiri):
    visit = StudyVisit(destination=wonogiri, title="Studi tiru Pro Gebrak", start_date=dt.date(2026, 4, 14),
                       end_date=dt.date(2026, 4, 15), leader=world.official)  # fmt: skip
    services.visit_save(
        visit=visit, region=world.region, actor=admin, delegation=[world.official, world.sibling_official]
    )
    assert set(visit.delegation.all()) == {world.official, world.sibling_official}
    assert visit.history.get().action == "create" and visit.status == StudyVisit.Status.PLANNED


def test_a_visit_cannot_go_to_the_own_region_or_end_before_it_starts(world, admin):
    visit = StudyVisit(
        destination=world.region, title="x", start_date=dt.date(2026, 4, 14), end_date=dt.date(2026, 4, 13)
    )
    with pytest.raises(ValidationError) as error:
        services.visit_save(visit=visit, region=world.region, actor=admin, delegation=[])
    assert set(error.value.message_dict) == {"destination", "end_date"}


def test_an_observed_innovation_new_to_the_catalogue_joins_it_as_seen_on_the_visit(world, admin, wonogiri):
    visit = StudyVisitFactory(region=world.region, destination=wonogiri)
    observation = services.observation_add(
        visit=visit, actor=admin, new_item=CatalogueItem(name="Pro Gebrak", summary="Gerakan bersama rakyat"),
        note="Bisa untuk pekon", worth_replicating=True,
    )  # fmt: skip
    item = observation.item
    assert (item.region, item.source_region, item.source, item.year) == (world.region, wonogiri, "visit", 2026)
    existing = CatalogueItemFactory(region=world.region, source_region=wonogiri)
    services.observation_add(visit=visit, actor=admin, item=existing)
    with pytest.raises(ValidationError, match="sudah tercatat"):
        services.observation_add(visit=visit, actor=admin, item=existing)
    assert visit.observations.count() == 2


def test_a_follow_up_tells_its_owner_and_the_units_operators(world, admin, wonogiri):
    from lumbung.actions.models import Action

    visit = StudyVisitFactory(region=world.region, destination=wonogiri)
    follow_up = Action(description="Kaji replikasi Pro Gebrak di Pekon Way Mengaku", unit=world.unit,
                         owner_official=world.official, due_date=dt.date(2026, 8, 1))  # fmt: skip
    services.follow_up_add(visit=visit, actor=admin, follow_up=follow_up)
    told = set(Notification.objects.values_list("recipient", flat=True))
    assert told == {world.user(Role.OPERATOR).pk, world.user(Role.INNOVATOR).pk}


@pytest.mark.parametrize("role", REGION_ROLES)
def test_visit_pages_by_role(client, world, wonogiri, role):
    visit = StudyVisitFactory(region=world.region, destination=wonogiri)
    client.force_login(world.user(role))
    staff = role != Role.CITIZEN
    assert client.get(reverse("replication:visit-detail", args=[visit.pk])).status_code == (200 if staff else 403)
    assert client.get(reverse("replication:visit-edit", args=[visit.pk])).status_code == (
        200 if role == Role.ADMIN else 403
    )


def test_the_owning_operator_moves_a_follow_up_from_the_visit_page(client, world, wonogiri):
    visit = StudyVisitFactory(region=world.region, destination=wonogiri)
    follow_up = FollowUpFactory(visit=visit, unit=world.unit)
    client.force_login(world.user(Role.OPERATOR))
    page = client.get(reverse("replication:visit-detail", args=[visit.pk])).content.decode()
    assert "Mulai kerjakan" in page
    client.post(reverse("replication:follow-up-transition", args=[follow_up.pk]), {"action": "start"})
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"
    client.force_login(world.user(Role.VERIFIER))
    client.post(reverse("replication:follow-up-transition", args=[follow_up.pk]), {"action": "finish"})
    follow_up.refresh_from_db()
    assert follow_up.status == "in_progress"


def test_the_visit_list_does_not_grow_with_visits(client, world, wonogiri, django_assert_max_num_queries):
    client.force_login(world.user(Role.LEADER))
    StudyVisitFactory(region=world.region, destination=wonogiri, leader=world.official)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("replication:visit-list"))
    for _ in range(6):
        visit = StudyVisitFactory(region=world.region, destination=wonogiri, leader=world.sibling_official)
        FollowUpFactory(visit=visit, unit=world.unit)
        Observation.objects.create(visit=visit, item=CatalogueItemFactory(region=world.region, source_region=wonogiri))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("replication:visit-list"))


def test_the_visit_page_does_not_grow_with_follow_ups(client, world, wonogiri, django_assert_max_num_queries):
    client.force_login(world.user(Role.ADMIN))
    visit = StudyVisitFactory(region=world.region, destination=wonogiri)
    FollowUpFactory(visit=visit, unit=world.unit)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("replication:visit-detail", args=[visit.pk]))
    for _ in range(5):
        FollowUpFactory(visit=visit, unit=world.sibling_unit, owner_official=world.official)
        Observation.objects.create(visit=visit, item=CatalogueItemFactory(region=world.region, source_region=wonogiri))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("replication:visit-detail", args=[visit.pk]))


@pytest.mark.parametrize("name", ["replication:follow-up-add", "replication:replication-create"])
def test_forms_listing_the_catalogue_do_not_grow_with_it(client, world, wonogiri, name, django_assert_max_num_queries):
    client.force_login(world.user(Role.ADMIN))
    visit = StudyVisitFactory(region=world.region, destination=wonogiri)
    url = reverse(name, args=[visit.pk]) if name.endswith("add") else reverse(name)
    CatalogueItemFactory(region=world.region, source_region=wonogiri)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    CatalogueItemFactory.create_batch(5, region=world.region)  # each from a different region
    with django_assert_max_num_queries(len(few)):
        client.get(url)


# Replications -------------------------------------------------------------------------------------


def outbound(world, partner, **fields):
    innovation = fields.pop("innovation", None) or InnovationFactory(region=world.region, unit=world.unit)
    return ReplicationFactory(innovation=innovation, partner_region=partner, **fields)


def with_agreement(replication, salt=b""):
    services.replication_save(replication=replication, region=replication.region, actor=replication.created_by,
                              uploaded=pdf_upload(salt=salt))  # fmt: skip
    return replication


def test_an_outbound_agreement_becomes_indicator_31_evidence(world, admin, wonogiri):
    open_assessment(world.region, admin, year=2026)
    replication = with_agreement(outbound(world, wonogiri, agreement_kind="pks", agreement_number="180/12/PKS/2025",
                                          agreement_date=dt.date(2025, 9, 1)))  # fmt: skip
    evidence = services.replication_attach_evidence(replication=replication, year=2026, actor=admin)
    link = EvidenceLink.objects.select_related("answer__indicator", "answer__entry", "document").get()
    assert (link.answer.indicator.code, link.answer.entry.innovation_id) == ("31", replication.innovation_id)
    document = link.document
    assert document.pk == evidence.document_id and document.source == "replication"
    assert (
        document.year == 2025
        and document.number == "180/12/PKS/2025"
        and document.sha256 == replication.agreement_sha256
    )
    assert replication.history.filter(action="attach_evidence").exists()
    with pytest.raises(ValidationError, match="sudah dilampirkan"):
        services.replication_attach_evidence(replication=replication, year=2026, actor=admin)


def test_nothing_is_filed_without_an_agreement_or_for_an_inbound_replication(world, admin, wonogiri):
    open_assessment(world.region, admin, year=2026)
    with pytest.raises(ValidationError, match="dokumennya sudah diunggah"):
        services.replication_attach_evidence(replication=outbound(world, wonogiri), year=2026, actor=admin)
    inbound = with_agreement(outbound(world, wonogiri, direction=Replication.Direction.INBOUND, agreement_kind="mou"))
    with pytest.raises(ValidationError):
        services.replication_attach_evidence(replication=inbound, year=2026, actor=admin)
    assert not Document.objects.exists()


def test_a_locked_assessment_files_nothing(world, admin, wonogiri):
    from lumbung.assessment.services import assessment_transition

    assessment_transition(assessment=open_assessment(world.region, admin, year=2026), action="lock", actor=admin)
    replication = with_agreement(outbound(world, wonogiri, agreement_kind="letter", agreement_date=dt.date(2025, 2, 3)))
    with pytest.raises(ValidationError):
        services.replication_attach_evidence(replication=replication, year=2026, actor=admin)
    assert not Document.objects.exists() and not replication.evidence.exists()


def test_reach_counts_distinct_regions_and_levels_by_documented_ones(world, wonogiri):
    innovation = InnovationFactory(region=world.region, unit=world.unit, name="Sigap Kopi")
    regions = [wonogiri, RegionFactory(), RegionFactory(), RegionFactory()]
    for number, region in enumerate(regions):
        replication = outbound(world, region, innovation=innovation, agreement_kind="pks")
        if number < 3:
            with_agreement(replication, salt=str(number).encode())
    outbound(world, RegionFactory(), innovation=innovation, status=Replication.Status.STOPPED)
    (row,) = services.replication_reach(world.region)
    assert (row["innovation__name"], row["regions"], row["documented"], row["level"]) == ("Sigap Kopi", 4, 3, 3)


def test_recording_an_outbound_replication_keeps_a_valid_upload_when_the_form_fails(client, world, wonogiri):
    client.force_login(world.user(Role.ADMIN))
    innovation = InnovationFactory(region=world.region, unit=world.unit)
    url = reverse("replication:replication-create")
    data = {"direction": "outbound", "innovation": innovation.pk, "partner_region": wonogiri.pk,
            "agreement_number": "180/7/2025"}  # fmt: skip
    response = client.post(url, {**data, "agreement": SimpleUploadedFile("pks.pdf", PDF)})
    assert "Pilih jenis dokumen" in response.content.decode() and not Replication.objects.exists()
    staged = StagedUpload.objects.get()
    response = client.post(url, {**data, "agreement_kind": "pks", "agreement__staged": str(staged.pk)})
    replication = Replication.objects.get()
    assert response["Location"] == reverse("replication:replication-detail", args=[replication.pk])
    assert replication.agreement_name == "pks.pdf" and replication.agreement_sha256 == staged.sha256
    download = client.get(reverse("replication:agreement-download", args=[replication.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_an_operator_records_replications_only_for_their_units_innovations(client, world, wonogiri):
    mine = InnovationFactory(region=world.region, unit=world.unit)
    theirs = InnovationFactory(region=world.region, unit=world.sibling_unit)
    client.force_login(world.user(Role.OPERATOR))
    form = client.get(reverse("replication:replication-create")).context["form"]
    assert set(form.fields["innovation"].queryset) == {mine}
    response = client.post(
        reverse("replication:replication-create"),
        {"direction": "outbound", "innovation": theirs.pk, "partner_region": wonogiri.pk},
    )
    assert response.status_code == 200 and not Replication.objects.exists()


def test_the_replication_list_does_not_grow_with_records(client, world, wonogiri, django_assert_max_num_queries):
    client.force_login(world.user(Role.VERIFIER))
    outbound(world, wonogiri)
    url = reverse("replication:replication-list") + "?arah=outbound"
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for _ in range(6):
        with_agreement(outbound(world, RegionFactory(), agreement_kind="pks"), salt=str(_).encode())
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_the_evidence_button_files_the_agreement(client, world, admin, wonogiri):
    open_assessment(world.region, admin, year=2026)
    replication = with_agreement(
        outbound(world, wonogiri, agreement_kind="statement", agreement_date=dt.date(2026, 1, 5))
    )
    client.force_login(admin)
    client.post(reverse("replication:evidence-attach", args=[replication.pk]), {"year": "2026"})
    assert replication.evidence.get().year == 2026
    client.force_login(world.user(Role.OPERATOR))
    response = client.post(reverse("replication:evidence-attach", args=[replication.pk]), {"year": "2025"})
    assert response.status_code == 403 and replication.evidence.count() == 1


def test_another_regions_records_are_not_found(client, world, wonogiri):
    foreign = ReplicationFactory(innovation=InnovationFactory(region=world.other_region, unit=world.other_unit),
                                 partner_region=wonogiri)  # fmt: skip
    client.force_login(world.user(Role.ADMIN))
    assert client.get(reverse("replication:replication-detail", args=[foreign.pk])).status_code == 404
