"""The catalogue: import from CSV or Excel (through core.imports), facets, and adoption into a
local draft innovation that keeps its link to the source."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lumbung.core.imports import import_confirm, import_start
from lumbung.core.models import ImportBatch
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.core.spreadsheets import build_workbook
from lumbung.innovations.models import GovernmentAffair, Innovation, InnovationEvent
from lumbung.organisation.models import Region
from lumbung.replication import services
from lumbung.replication.imports import region_key
from lumbung.replication.models import CatalogueItem, Replication
from tests.factories import AssignmentFactory, RegionFactory

from .factories import CatalogueItemFactory

HEADER = ["Nama inovasi", "Pemda asal", "Urusan", "Bentuk", "Digital", "Tahun", "Sumber", "Penghargaan", "Tautan"]


@pytest.fixture
def origins(db):
    return {
        "banyuwangi": RegionFactory(code="35.10", name="Kabupaten Banyuwangi"),
        "wonogiri": RegionFactory(code="33.12", name="Kabupaten Wonogiri"),
        "surabaya": RegionFactory(code="35.78", name="Kota Surabaya", kind=Region.Kind.CITY),
    }


def run_import(world, data: bytes, name: str, mode=ImportBatch.Mode.ALL, options=None) -> ImportBatch:
    admin = world.user(Role.ADMIN)
    batch = import_start(
        kind="replication_catalogue", region=world.region, actor=admin, uploaded=SimpleUploadedFile(name, data)
    )
    batch.refresh_from_db()
    if batch.status == ImportBatch.Status.PREVIEW and (mode == ImportBatch.Mode.VALID_ONLY or not batch.error_count):
        import_confirm(batch=batch, mode=mode, actor=admin, options=options)
        batch.refresh_from_db()
    return batch


def test_a_semicolon_csv_from_indonesian_excel_is_imported(world, origins, reference_data):
    rows = [
        "Daftar inovasi pemenang IGA",
        ";".join(HEADER),
        "Smart Kampung;Kab. Banyuwangi;Komunikasi dan Informatika;Pelayanan publik;Ya;2016;IGA;Kabupaten Terinovatif 2018;https://smartkampung.banyuwangikab.go.id",
        "Lapak Ikhtiar;35.10;Sosial;Tata kelola;Tidak;2019;KIPP;Top 45 KIPP 2019;",
        "Pro Gebrak;KABUPATEN  WONOGIRI;Kesehatan;lainnya;tidak;2021;;;",
    ]
    batch = run_import(world, "\n".join(rows).encode("cp1252"), "katalog.csv")
    assert batch.status == ImportBatch.Status.DONE and batch.imported_count == 3
    smart = CatalogueItem.objects.get(name="Smart Kampung")
    assert smart.source_region == origins["banyuwangi"] and smart.is_digital and smart.year == 2016
    assert smart.affair == GovernmentAffair.objects.get(code="kominfo") and smart.form == Innovation.Form.PUBLIC_SERVICE
    assert smart.source == CatalogueItem.Source.IGA and smart.region == world.region
    lapak = CatalogueItem.objects.get(name="Lapak Ikhtiar")
    assert lapak.form == Innovation.Form.GOVERNANCE and lapak.source == CatalogueItem.Source.KIPP
    assert CatalogueItem.objects.get(name="Pro Gebrak").source == CatalogueItem.Source.OTHER


def test_an_excel_file_updates_items_already_in_the_catalogue(world, origins, reference_data):
    existing = CatalogueItemFactory(
        region=world.region, source_region=origins["surabaya"], name="E-Sapa Warga", year=2015
    )
    workbook = build_workbook(
        [("Katalog", HEADER, [["e-sapa warga", "Kota Surabaya", "", "", "Ya", 2020, "", "", ""]])]
    )
    batch = run_import(world, workbook, "katalog.xlsx", options={"apply_changes": True})
    assert batch.imported_count == 1 and CatalogueItem.objects.count() == 1
    assert {"field": "Tahun", "old": "2015", "new": "2020"} in batch.rows[0]["changes"]
    existing.refresh_from_db()
    assert existing.year == 2020


def test_bad_rows_are_explained_in_indonesian_and_only_valid_rows_are_kept(world, origins, reference_data):
    rows = [
        ";".join(HEADER),
        "Sigap;Kabupaten Antah Berantah;;;Ya;2019;;;",
        "Tautan Rusak;Kabupaten Wonogiri;;;Ya;2019;;;situs-kami",
        "Dua Kali;Kabupaten Wonogiri;;;Ya;2019;;;",
        "dua kali;Kabupaten Wonogiri;;;Ya;2019;;;",
        "Baik;Kabupaten Wonogiri;Urusan Fiktif;;Mungkin;2019;;;",
        "Sah;Kabupaten Wonogiri;;;Ya;2019;;;",
    ]
    batch = run_import(world, "\n".join(rows).encode(), "katalog.csv")
    assert batch.status == ImportBatch.Status.PREVIEW and batch.error_count == 4
    errors = {row["values"]["name"]: " ".join(row["errors"]) for row in batch.rows if row["errors"]}
    assert "bukan pemda yang dikenal" in errors["Sigap"]
    assert "bukan alamat web lengkap" in errors["Tautan Rusak"]
    assert "lebih dari sekali" in errors["dua kali"]
    assert "bukan urusan pemerintahan yang dikenal" in errors["Baik"] and "Ya atau Tidak" in errors["Baik"]
    assert not CatalogueItem.objects.exists()
    batch = run_import(world, "\n".join(rows).encode(), "katalog.csv", mode=ImportBatch.Mode.VALID_ONLY)
    assert set(CatalogueItem.objects.values_list("name", flat=True)) == {"Dua Kali", "Sah"}


def test_region_codes_are_read_however_excel_kept_them(world, origins, reference_data):
    """A code column typed in Excel becomes a number: 35.10 is stored as 35.1. Statistics-office
    lists write the same code without its dot (3510)."""
    workbook = build_workbook(
        [
            (
                "Katalog",
                ["Nama inovasi", "Kode pemda", "Digital"],
                [["Smart Kampung", 35.1, "Ya"], ["Pro Gebrak", 3312, "Tidak"], ["Sapa Warga", "35.78", "Ya"]],
            )
        ]
    )
    batch = run_import(world, workbook, "katalog.xlsx")
    assert batch.status == ImportBatch.Status.DONE and batch.imported_count == 3
    assert CatalogueItem.objects.get(name="Smart Kampung").source_region == origins["banyuwangi"]
    assert CatalogueItem.objects.get(name="Pro Gebrak").source_region == origins["wonogiri"]
    assert CatalogueItem.objects.get(name="Sapa Warga").source_region == origins["surabaya"]


def test_an_unknown_region_code_is_named_as_typed(world, origins, reference_data):
    batch = run_import(world, b"Nama inovasi;Kode pemda\nSigap;99.1", "katalog.csv")
    assert batch.status == ImportBatch.Status.PREVIEW and batch.error_count == 1
    assert "'99.1' bukan kode pemda yang dikenal" in " ".join(batch.rows[0]["errors"])


def test_a_binary_file_named_csv_is_refused(world):
    with pytest.raises(ValidationError):
        import_start(
            kind="replication_catalogue", region=world.region, actor=world.user(Role.ADMIN),
            uploaded=SimpleUploadedFile("katalog.csv", b"\x00\x01\x02PK\x03\x04"),
        )  # fmt: skip


@pytest.mark.parametrize(
    ("typed", "key"),
    [("Kab. Banyuwangi", "kabupaten banyuwangi"), ("PEMKAB  Banyuwangi", "kabupaten banyuwangi"),
     ("Pemkot Surabaya", "kota surabaya"), ("Kabupaten Banyuwangi", "kabupaten banyuwangi")],
)  # fmt: skip
def test_region_names_are_matched_the_way_sheets_write_them(typed, key):
    assert region_key(typed) == key


# Facets -------------------------------------------------------------------------------------------


def test_facets_count_what_the_other_choices_leave(client, world, origins, reference_data):
    kominfo, sosial = GovernmentAffair.objects.get(code="kominfo"), GovernmentAffair.objects.get(code="sosial")
    for region, affair, digital in [
        ("banyuwangi", kominfo, True), ("banyuwangi", sosial, False), ("banyuwangi", kominfo, True),
        ("wonogiri", kominfo, False),
    ]:  # fmt: skip
        CatalogueItemFactory(region=world.region, source_region=origins[region], affair=affair, is_digital=digital)
    CatalogueItemFactory(region=world.other_region, source_region=origins["banyuwangi"])  # another region's catalogue
    client.force_login(world.user(Role.VERIFIER))
    response = client.get(reverse("replication:catalogue"), {"asal": origins["banyuwangi"].pk, "digital": "ya"})
    assert response.context["page_obj"].paginator.count == 2
    facets = response.context["facets"]
    # Wonogiri's only item is not digital, so with "digital" chosen no Wonogiri option is offered.
    assert [(label, n) for _v, label, n in facets["asal"]] == [("Kabupaten Banyuwangi", 2)]
    assert {label: n for _v, label, n in facets["digital"]} == {"Digital": 2, "Non digital": 1}
    assert {label: n for _v, label, n in facets["urusan"]} == {"Komunikasi dan Informatika": 2}


@pytest.mark.parametrize("role", REGION_ROLES)
def test_the_catalogue_is_for_staff(client, world, role):
    client.force_login(world.user(role))
    expected = 403 if role == Role.CITIZEN else 200
    assert client.get(reverse("replication:catalogue")).status_code == expected


def test_the_catalogue_page_does_not_grow_with_items(client, world, origins, django_assert_max_num_queries):
    client.force_login(world.user(Role.ADMIN))
    CatalogueItemFactory(region=world.region, source_region=origins["banyuwangi"])
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("replication:catalogue"))
    for region in ("wonogiri", "surabaya", "banyuwangi"):
        CatalogueItemFactory.create_batch(5, region=world.region, source_region=origins[region])
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("replication:catalogue"))


# Adoption -----------------------------------------------------------------------------------------


@pytest.fixture
def item(world, origins, reference_data):
    return CatalogueItemFactory(
        region=world.region, source_region=origins["banyuwangi"], name="Smart Kampung",
        affair=GovernmentAffair.objects.get(code="kominfo"), summary="Layanan administrasi desa daring.",
    )  # fmt: skip


def test_adopting_creates_a_local_draft_linked_to_its_source(world, item):
    operator = world.user(Role.OPERATOR)
    replication = services.catalogue_item_adopt(
        item=item, actor=operator, unit=world.unit, name="Smart Pekon", main_affair=item.affair
    )
    innovation = replication.innovation
    assert innovation.status == Innovation.Status.DRAFT and innovation.unit == world.unit
    assert innovation.region == world.region and innovation.created_by == operator
    assert "Smart Kampung" in innovation.method and "Kabupaten Banyuwangi" in innovation.method
    assert (replication.direction, replication.item, replication.partner_region) == (
        "inbound",
        item,
        item.source_region,
    )
    assert InnovationEvent.objects.get(innovation=innovation).to_state == "draft"
    assert replication.history.get().action == "adopt"
    # The draft follows the registry's workflow like any other.
    assert operator.has_perm("innovations.change_innovation", innovation)


def test_an_operator_adopts_only_for_units_they_operate(world, item):
    with pytest.raises(ValidationError, match="tidak dapat membuat inovasi untuk perangkat daerah ini"):
        services.catalogue_item_adopt(
            item=item, actor=world.user(Role.OPERATOR), unit=world.sibling_unit, name="X", main_affair=item.affair
        )
    assert not Innovation.objects.exists()


def test_an_innovator_adopts_for_the_unit_of_their_current_position(world, item):
    innovator = world.user(Role.INNOVATOR)
    assert list(services.adoptable_units(innovator, world.region)) == [world.unit]
    AssignmentFactory(official=innovator.official, unit=world.sibling_unit, is_acting=True)
    assert set(services.adoptable_units(innovator, world.region)) == {world.unit, world.sibling_unit}


@pytest.mark.parametrize("role", [Role.VERIFIER, Role.JUDGE, Role.MENTOR, Role.LEADER, Role.CITIZEN])
def test_roles_that_do_not_register_innovations_cannot_adopt(world, item, role):
    with pytest.raises(PermissionDenied):
        services.catalogue_item_adopt(
            item=item, actor=world.user(role), unit=world.unit, name="X", main_affair=item.affair
        )


def test_the_adopt_page_creates_the_draft_and_leads_to_it(client, world, item):
    client.force_login(world.user(Role.ADMIN))
    page = client.get(reverse("replication:adopt", args=[item.pk]))
    assert 'value="Smart Kampung"' in page.content.decode()
    response = client.post(
        reverse("replication:adopt", args=[item.pk]),
        {"unit": world.sibling_unit.pk, "name": "Smart Pekon Lambar", "main_affair": item.affair.pk},
    )
    replication = Replication.objects.get()
    assert response["Location"] == reverse("innovations:detail", args=[replication.innovation_id])
    detail = client.get(reverse("replication:catalogue-detail", args=[item.pk]))
    assert "Smart Pekon Lambar" in detail.content.decode()


def test_another_regions_item_cannot_be_adopted(client, world, origins):
    foreign = CatalogueItemFactory(region=world.other_region, source_region=origins["banyuwangi"])
    client.force_login(world.user(Role.ADMIN))
    assert client.get(reverse("replication:adopt", args=[foreign.pk])).status_code == 404


def test_the_import_template_offers_the_catalogue_columns(client, world):
    from openpyxl import load_workbook

    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("core:import-template", args=["replication_catalogue"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["Nama inovasi", "Pemda asal", "Urusan"]


def test_the_catalogue_speaks_english_when_chosen(client, world, back_to_indonesian):
    from django.conf import settings

    client.force_login(world.user(Role.VERIFIER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("replication:catalogue")).content.decode()
    assert "Catalogue of other regions&#x27; innovations" in html or "Catalogue of other regions' innovations" in html


@pytest.fixture
def back_to_indonesian():
    """LanguageMiddleware leaves the last request's language active in the thread; later tests expect Indonesian."""
    from django.utils import translation

    yield
    translation.activate("id")
