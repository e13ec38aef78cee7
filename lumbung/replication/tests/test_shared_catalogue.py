"""The shared catalogue: the published innovations of every other hosted region appear in a region's
catalogue without being copied (public fields only, one SQL UNION paged by the database); adopting
one records ONE linked replication that both regions see, each from its side, whose agreement both
file as indicator 31 evidence."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lumbung.assessment.models import Document, EvidenceLink
from lumbung.assessment.tests.factories import open_assessment
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.notifications.models import Notification
from lumbung.replication import catalogue, services
from lumbung.replication.models import Replication, ReplicationEvidence
from tests.factories import RegionFactory, UnitFactory, user_with_role

from .factories import CatalogueItemFactory
from .test_visits_and_replications import pdf_upload

PUBLISHED = Innovation.Status.PUBLISHED


def published(region, unit=None, **fields):
    fields.setdefault("status", PUBLISHED)
    return InnovationFactory(region=region, unit=unit or UnitFactory(region=region), **fields)


@pytest.fixture
def origin(world):
    """Region B's published innovation, with a person as its initiator (never shown across)."""
    return published(
        world.other_region, world.other_unit, name="Sekolah Ramah Anak", initiator_kind="civil_servant",
        initiator_name="Ibu Sri Wahyuni", goals="Sekolah yang aman bagi anak.",
    )  # fmt: skip


def _names(region, **kwargs):
    return [row["e_name"] for row in catalogue.catalogue_entries(region, **kwargs)]


# The catalogue ------------------------------------------------------------------------------------


def test_published_innovations_of_other_hosted_regions_appear_without_copies(world, origin):
    published(world.region, world.unit, name="Inovasi Kita Sendiri")
    published(world.other_region, world.other_unit, name="Masih Draf", status=Innovation.Status.DRAFT)
    outside = RegionFactory(code="35.01", name="Kabupaten Pacitan", is_hosted=False)
    published(outside, name="Dari Pemda Yang Tidak Memakai Aplikasi")
    item = CatalogueItemFactory(region=world.region, source_region=outside, name="Katalog Ketikan")
    from lumbung.replication.models import CatalogueItem

    count = CatalogueItem.objects.count()
    assert _names(world.region) == ["Katalog Ketikan", "Sekolah Ramah Anak"]
    assert CatalogueItem.objects.count() == count  # nothing copied
    # Region B sees region A's published innovation, not its own; items are per region.
    assert _names(world.other_region) == ["Inovasi Kita Sendiri"]
    assert item.region == world.region


def test_an_innovation_kept_as_an_item_is_listed_once(world, origin):
    CatalogueItemFactory(region=world.region, source_region=world.other_region, name="Sekolah Ramah Anak")
    rows = list(catalogue.catalogue_entries(world.region))
    assert [(row["e_kind"], row["e_name"]) for row in rows] == [("item", "Sekolah Ramah Anak")]


def test_search_and_facets_span_both_sources(world, origin):
    pacitan = RegionFactory(code="35.01", name="Kabupaten Pacitan", is_hosted=False)
    CatalogueItemFactory(region=world.region, source_region=pacitan, name="Sekolah Sungai", is_digital=False)
    published(world.other_region, world.other_unit, name="Puskesmas Keliling", is_digital=True)
    assert _names(world.region, query="sekolah") == ["Sekolah Ramah Anak", "Sekolah Sungai"]
    assert _names(world.region, chosen={"asal": world.other_region.pk}) == ["Puskesmas Keliling", "Sekolah Ramah Anak"]
    assert _names(world.region, chosen={"digital": False}) == ["Sekolah Sungai"]
    facets = catalogue.facet_counts(world.region, query="", chosen={"digital": True})
    assert facets["asal"] == [(world.other_region.pk, "Kabupaten Lampung Selatan", 2)]
    facets = catalogue.facet_counts(world.region, query="", chosen={})
    assert dict((label, n) for _v, label, n in facets["asal"]) == {
        "Kabupaten Lampung Selatan": 2, "Kabupaten Pacitan": 1
    }  # fmt: skip
    assert sum(n for _v, _l, n in facets["digital"]) == 3


def test_the_page_shows_public_fields_only(client, world, origin):
    client.force_login(world.user(Role.VERIFIER))
    page = client.get(reverse("replication:catalogue")).content.decode()
    assert "Sekolah Ramah Anak" in page and reverse("replication:shared-detail", args=[origin.pk]) in page
    detail = client.get(reverse("replication:shared-detail", args=[origin.pk]))
    body = detail.content.decode()
    assert detail.status_code == 200 and "Sekolah yang aman bagi anak." in body
    assert "Ibu Sri Wahyuni" not in body and "Ibu Sri Wahyuni" not in page


def test_the_page_is_paged_in_sql_and_its_queries_do_not_grow(client, world, django_assert_max_num_queries):
    client.force_login(world.user(Role.ADMIN))
    url = reverse("replication:catalogue")
    published(world.other_region, world.other_unit)
    CatalogueItemFactory(region=world.region)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        published(world.other_region, world.other_unit, name=f"Inovasi Bersama {n:02d}")
    CatalogueItemFactory.create_batch(10, region=world.region)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 24
    assert response.context["page_obj"].paginator.count == 42
    second = client.get(url, {"page": 2}).context["page_obj"]
    assert len(second.object_list) == 18


@pytest.mark.parametrize("case", ["draft", "own", "not-hosted", "missing"])
def test_only_other_hosted_regions_published_innovations_open(client, world, case):
    region = {"own": world.region, "not-hosted": RegionFactory(code="35.01", is_hosted=False)}.get(
        case, world.other_region
    )
    status = Innovation.Status.DRAFT if case == "draft" else PUBLISHED
    pk = 987654 if case == "missing" else published(region, status=status).pk
    client.force_login(world.user(Role.ADMIN))
    assert client.get(reverse("replication:shared-detail", args=[pk])).status_code == 404
    assert client.get(reverse("replication:shared-adopt", args=[pk])).status_code == 404


# Adopting: one linked record ----------------------------------------------------------------------


def _adopt(world, origin, actor=None, reason="Sekolah kita perlu program ini."):
    entry = catalogue.shared_innovation(world.region, origin.pk)
    return services.shared_innovation_adopt(
        shared=entry, actor=actor or world.user(Role.ADMIN), unit=world.unit, name="Sekolah Ramah Anak Lambar",
        main_affair=origin.main_affair, reason=reason,
    )  # fmt: skip


def test_adopting_records_one_linked_record_both_regions_see(client, world, origin):
    replication = _adopt(world, origin)
    assert Replication.objects.count() == 1
    assert (replication.region, replication.direction, replication.partner_region, replication.origin_innovation) == (
        world.region, Replication.Direction.INBOUND, world.other_region, origin
    )  # fmt: skip
    assert replication.innovation.region == world.region and replication.innovation.status == Innovation.Status.DRAFT
    event = replication.history.get()
    assert (event.action, event.actor, event.note) == (
        "adopt",
        world.user(Role.ADMIN),
        "Sekolah kita perlu program ini.",
    )
    # The origin region's admin is told.
    assert Notification.objects.filter(recipient=world.other_admin, region=world.other_region).exists()

    # Adopting side: inbound.
    client.force_login(world.user(Role.VERIFIER))
    inbound = client.get(reverse("replication:replication-list"), {"arah": "inbound"}).context["page_obj"]
    assert [(side.innovation, side.partner) for side in inbound] == [(replication.innovation, world.other_region)]
    # Origin side: the same row, outbound, its own innovation, the adopter as partner.
    client.force_login(world.other_admin)
    outbound = client.get(reverse("replication:replication-list"), {"arah": "outbound"})
    sides = list(outbound.context["page_obj"])
    assert [(side.replication.pk, side.innovation, side.partner) for side in sides] == [
        (replication.pk, origin, world.region)
    ]
    assert outbound.context["reach"][0]["innovation_id"] == origin.pk and outbound.context["reach"][0]["regions"] == 1
    detail = client.get(reverse("replication:replication-detail", args=[replication.pk]))
    assert detail.status_code == 200 and detail.context["side"].is_origin
    assert detail.context["transitions"] == []  # the state belongs to the adopting region
    # Marked adopted in the adopter's catalogue.
    row = next(row for row in catalogue.catalogue_entries(world.region) if row["e_pk"] == origin.pk)
    assert row["e_adopted"] is True or row["e_adopted"] == 1


def test_adopting_needs_a_reason_and_happens_once(world, origin):
    with pytest.raises(ValidationError, match="alasan"):
        _adopt(world, origin, reason="  ")
    _adopt(world, origin)
    with pytest.raises(ValidationError, match="sudah diadopsi"):
        _adopt(world, origin)
    assert Replication.objects.count() == 1 and Innovation.objects.filter(region=world.region).count() == 1


def test_adopting_through_the_page(client, world, origin):
    client.force_login(world.user(Role.ADMIN))
    url = reverse("replication:shared-adopt", args=[origin.pk])
    data = {"unit": world.unit.pk, "name": "Sekolah Ramah Anak Lambar", "main_affair": origin.main_affair.pk}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Bidang ini tidak boleh kosong" in refused.content.decode()
    assert not Replication.objects.exists()
    response = client.post(url, {**data, "reason": "Untuk sekolah dasar di pekon."})
    replication = Replication.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "innovations:detail", args=[replication.innovation_id]
    )
    # A verifier may read but not adopt.
    client.force_login(world.user(Role.VERIFIER))
    assert client.get(url).status_code == 403


def test_an_unpublished_origin_cannot_be_adopted_any_more(world, origin):
    entry = catalogue.shared_innovation(world.region, origin.pk)
    Innovation.objects.filter(pk=origin.pk).update(status=Innovation.Status.RETURNED)
    with pytest.raises(ValidationError, match="tidak lagi terbit"):
        services.shared_innovation_adopt(
            shared=entry, actor=world.user(Role.ADMIN), unit=world.unit, name="x", main_affair=origin.main_affair,
            reason="alasan",
        )  # fmt: skip


def test_a_third_region_sees_nothing_of_the_linked_record(client, world, origin):
    replication = _adopt(world, origin)
    third = RegionFactory(code="33.01", name="Kabupaten Cilacap")
    stranger = user_with_role(Role.ADMIN, third)
    client.force_login(stranger)
    for name in ("replication-detail", "agreement", "agreement-download"):
        assert client.get(reverse(f"replication:{name}", args=[replication.pk])).status_code in (403, 404)
    assert not client.get(reverse("replication:replication-list"), {"arah": "outbound"}).context["page_obj"].object_list


# The agreement: indicator 31 evidence for both regions --------------------------------------------


def test_the_agreement_is_kept_by_either_side_and_filed_as_evidence_by_both(client, world, origin):
    replication = _adopt(world, origin)
    open_assessment(world.region, world.user(Role.ADMIN), year=2026)
    open_assessment(world.other_region, world.other_admin, year=2026)
    # The origin admin uploads the signed letter.
    client.force_login(world.other_admin)
    url = reverse("replication:agreement", args=[replication.pk])
    response = client.post(url, {
        "agreement_kind": "pks", "agreement_number": "180/7/PKS/2026", "agreement_date": "2026-03-02",
        "started_on": "2026-04-01", "agreement": pdf_upload(), "reason": "PKS ditandatangani kedua bupati",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    replication.refresh_from_db()
    assert replication.agreement_file and replication.agreement_number == "180/7/PKS/2026"
    assert replication.history.filter(action="agreement", actor=world.other_admin).exists()
    # The adopter's replica becomes eligible later (implemented); its admin files the same letter.
    Innovation.objects.filter(pk=replication.innovation_id).update(
        status=PUBLISHED, stage=Innovation.Stage.IMPLEMENTATION, trial_date=dt.date(2025, 2, 1),
        implementation_date=dt.date(2025, 5, 1),
    )  # fmt: skip
    client.post(reverse("replication:evidence-attach", args=[replication.pk]), {"year": "2026"})
    client.force_login(world.user(Role.ADMIN))
    response = client.post(reverse("replication:evidence-attach", args=[replication.pk]), {"year": "2026"}, follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == "Dokumen dilampirkan sebagai eviden indikator 31.", [
        str(m) for m in response.context["messages"]
    ]
    evidence = {row.region_id: row for row in ReplicationEvidence.objects.all()}
    assert set(evidence) == {world.region.pk, world.other_region.pk}
    links = EvidenceLink.objects.select_related("answer__indicator", "answer__entry", "document")
    assert {(link.document.region_id, link.answer.entry.innovation_id, link.answer.indicator.code) for link in links} == {
        (world.other_region.pk, origin.pk, "31"), (world.region.pk, replication.innovation_id, "31")
    }  # fmt: skip
    assert Document.objects.filter(region=world.region).count() == 1
    assert Document.objects.filter(region=world.other_region).count() == 1
    # Each side sees its own evidence row on the detail page, and the origin's reach is documented.
    detail = client.get(reverse("replication:replication-detail", args=[replication.pk]))
    assert [row.region_id for row in detail.context["evidence"]] == [world.region.pk]
    reach = services.replication_reach(world.other_region)
    assert (reach[0]["regions"], reach[0]["documented"], reach[0]["level"]) == (1, 1, 1)
    # Filing twice for one side is refused with a message.
    with pytest.raises(ValidationError, match="sudah dilampirkan"):
        services.replication_attach_evidence(replication=replication, year=2026, actor=world.other_admin,
                                             region=world.other_region)  # fmt: skip


def test_who_may_keep_the_agreement_and_file_it(world, origin):
    replication = _adopt(world, origin)
    verifier_b = user_with_role(Role.VERIFIER, world.other_region)
    assert verifier_b.has_perm("replication.view_replication", replication)
    assert not verifier_b.has_perm("replication.upload_agreement", replication)
    assert not verifier_b.has_perm("replication.change_replication", replication)
    assert world.other_admin.has_perm("replication.upload_agreement", replication)
    assert not world.other_admin.has_perm("replication.change_replication", replication)
    assert not world.user(Role.OPERATOR).has_perm("replication.upload_agreement", replication)
    # Without a letter nothing is filed; a region outside the record files nothing.
    assert not world.other_admin.has_perm("replication.attach_replication_evidence", replication)
    with pytest.raises(ValidationError, match="Unggah berkas"):
        services.replication_agreement_save(
            replication=replication, region=world.other_region, actor=world.other_admin, data={}
        )
    third = RegionFactory(code="33.01")
    with pytest.raises(PermissionDenied):
        services.replication_attach_evidence(
            replication=replication, year=2026, actor=user_with_role(Role.ADMIN, third), region=third
        )


def test_the_link_is_not_edited_by_hand(client, world, origin):
    replication = _adopt(world, origin)
    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("replication:replication-edit", args=[replication.pk]))
    assert response.status_code == 302 and response.url == reverse("replication:agreement", args=[replication.pk])


def test_the_outbound_list_with_linked_records_does_not_grow_in_queries(client, world, django_assert_max_num_queries):
    def adopted_by_a(n):
        for _ in range(n):
            origin = published(world.other_region, world.other_unit)
            _adopt(world, origin)

    adopted_by_a(1)
    client.force_login(world.other_admin)
    url = reverse("replication:replication-list")
    with django_assert_max_num_queries(40) as few:
        assert client.get(url, {"arah": "outbound"}).status_code == 200
    adopted_by_a(6)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, {"arah": "outbound"})
    assert len(response.context["page_obj"].object_list) == 7
