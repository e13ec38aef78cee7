"""The replication catalogue through the API is the web page's shared catalogue: the region's own
items and the published innovations of every other hosted, active region (public fields only),
one UNION paged by the database, with the page's filters; adopting a hosted innovation records
the one linked replication through the same service as the page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.accounts.regions import region_deactivate
from lumbung.api.models import ApiToken
from lumbung.core.roles import Role
from lumbung.innovations.models import GovernmentAffair, Innovation, TeamMember
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.replication.models import Replication, ReplicationHistory
from lumbung.replication.tests.factories import CatalogueItemFactory
from tests.factories import RegionFactory, UnitFactory

from .conftest import ApiClient, make_token

PUBLISHED = Innovation.Status.PUBLISHED
PRIVATE = "Ibu Sri Wahyuni"  # the initiator of region B's innovation: never shown across
CONTACT = "Pak Joko 0812-7777-1234"  # a contact kept on region A's own item


def client_for(world, role, **kwargs):
    _token, raw = make_token(world.user(role), world.region, **kwargs)
    return ApiClient(raw)


def list_url(world):
    return reverse("api:catalogue-list", args=[world.region.code])


def adopt_url(world, kind, pk):
    return reverse("api:catalogue-adopt", args=[world.region.code, kind, pk])


def published(region, unit=None, **fields):
    fields.setdefault("status", PUBLISHED)
    return InnovationFactory(region=region, unit=unit or UnitFactory(region=region), **fields)


@pytest.fixture
def origin(world):
    innovation = published(
        world.other_region, world.other_unit, name="Sekolah Ramah Anak", initiator_kind="civil_servant",
        initiator_name=PRIVATE, goals="Sekolah yang aman bagi anak.", problem="Rahasia permasalahan internal.",
    )  # fmt: skip
    TeamMember.objects.create(innovation=innovation, official=world.other_official, role=TeamMember.Role.OWNER)
    return innovation


@pytest.fixture
def item(world):
    pacitan = RegionFactory(code="35.01", name="Kabupaten Pacitan", is_hosted=False)
    return CatalogueItemFactory(
        region=world.region, source_region=pacitan, name="Katalog Ketikan", contact=CONTACT, is_digital=False,
        form="governance", award="Top 45 KIPP",
    )  # fmt: skip


def _listed(client, world, **params):
    response = client.get(list_url(world), params)
    assert response.status_code == 200, response.content
    return response.json()


# Content and scoping ------------------------------------------------------------------------------


def test_the_shared_catalogue_own_items_and_hosted_innovations(world, origin, item):
    published(world.region, world.unit, name="Inovasi Kita Sendiri")  # the region's own: not in its catalogue
    published(world.other_region, world.other_unit, name="Masih Draf", status=Innovation.Status.DRAFT)
    published(world.other_region, world.other_unit, name="Sedang Diperiksa", status=Innovation.Status.SUBMITTED)
    published(RegionFactory(code="35.02", is_hosted=False), name="Pemda Yang Tidak Memakai Aplikasi")
    gone = RegionFactory(code="35.03", name="Kabupaten Nonaktif")
    published(gone, name="Pemda Yang Dinonaktifkan")
    region_deactivate(region=gone, actor=world.national_admin, reason="Kontrak berakhir.")
    page = _listed(client_for(world, Role.VERIFIER), world)
    assert page["count"] == 2 and page["next"] is None
    own, hosted = page["results"]
    assert own == {
        "kind": "item", "id": item.pk, "name": "Katalog Ketikan", "summary": item.summary,
        "source_region": "Kabupaten Pacitan", "source_region_code": "35.01", "affair": None, "form": "governance",
        "is_digital": False, "year": 2019, "award": "Top 45 KIPP", "adopted": False, "origin": None,
    }  # fmt: skip
    assert hosted == {
        "kind": "hosted", "id": origin.pk, "name": "Sekolah Ramah Anak", "summary": "Sekolah yang aman bagi anak.",
        "source_region": world.other_region.name, "source_region_code": world.other_region.code,
        "affair": origin.main_affair.name, "form": origin.form, "is_digital": True, "year": 2024, "award": "",
        "adopted": False,
        "origin": {
            "region_code": world.other_region.code, "region_name": world.other_region.name, "innovation_id": origin.pk,
        },
    }  # fmt: skip


def test_another_regions_private_fields_never_appear(world, origin, item):
    body = client_for(world, Role.ADMIN).get(list_url(world)).content.decode()
    assert "Sekolah Ramah Anak" in body
    for private in (PRIVATE, "Rahasia permasalahan internal.", world.other_official.name, world.other_official.nip):
        assert private not in body
    assert CONTACT not in body


def test_an_innovation_the_region_keeps_as_an_item_is_listed_once(world, origin):
    kept = CatalogueItemFactory(region=world.region, source_region=world.other_region, name="Sekolah Ramah Anak")
    results = _listed(client_for(world, Role.ADMIN), world)["results"]
    assert [(row["kind"], row["id"]) for row in results] == [("item", kept.pk)]


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "sekolah"}, {"asal": "other"}, {"digital": "tidak"}, {"digital": "ya"}, {"bentuk": "governance"},
     {"urusan": "affair"}, {"q": "sekolah", "digital": "ya"}],
)  # fmt: skip
def test_the_filters_are_the_pages_filters(world, origin, item, params):
    published(world.other_region, world.other_unit, name="Puskesmas Keliling", is_digital=False)
    CatalogueItemFactory(region=world.region, source_region=world.other_region, name="Sekolah Sungai")
    values = {"other": str(world.other_region.pk), "affair": str(origin.main_affair.pk)}
    params = {key: values.get(value, value) for key, value in params.items()}
    web = Client()
    web.force_login(world.user(Role.ADMIN))
    on_page = [
        (entry.kind, entry.pk) for entry in web.get(reverse("replication:catalogue"), params).context["page_obj"]
    ]
    in_api = [(row["kind"], row["id"]) for row in _listed(client_for(world, Role.ADMIN), world, **params)["results"]]
    assert in_api == on_page
    assert params == {} or len(in_api) < 4  # each filter narrows something


@pytest.mark.parametrize(
    "params", [{"asal": "pacitan"}, {"urusan": "-1"}, {"bentuk": "lainnya"}, {"digital": "1"}, {"asal": "0"}]
)
def test_an_unknown_filter_value_is_a_400_in_indonesian(world, params):
    response = client_for(world, Role.ADMIN).get(list_url(world), params)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {next(iter(params)): ["Pilihan ini tidak dikenal."]}


def test_a_nul_in_the_search_is_no_server_error(world, origin):
    assert _listed(client_for(world, Role.ADMIN), world, q="sekolah\x00")["count"] == 1


def test_pages_are_counted_and_sliced_by_the_database(world, item):
    for n in range(7):
        published(world.other_region, world.other_unit, name=f"Inovasi Bersama {n}")
    client = client_for(world, Role.ADMIN)
    first = _listed(client, world, page_size=5)
    assert first["count"] == 8 and len(first["results"]) == 5 and first["previous"] is None
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 3 and second["next"] is None
    seen = [row["name"] for row in first["results"] + second["results"]]
    assert seen == sorted(seen) and len(set(seen)) == 8
    assert client.get(list_url(world), {"page": 9}).status_code == 404


def test_the_query_count_does_not_grow_with_the_entries(world, origin, item):
    client = client_for(world, Role.ADMIN)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(list_url(world)).status_code == 200
        return len(queries)

    count()  # the token's first use writes its last-used time
    few = count()
    third = RegionFactory(code="18.02", name="Kabupaten Tanggamus")
    for n in range(20):
        published(world.other_region, world.other_unit, name=f"Inovasi B {n:02d}")
        published(third, name=f"Inovasi Tanggamus {n:02d}")
    CatalogueItemFactory.create_batch(10, region=world.region, source_region=third)
    assert count() == few
    assert _listed(client, world)["count"] == 52


# Who may read ------------------------------------------------------------------------------------


def test_the_catalogue_is_for_the_regions_staff(world, origin, anonymous):
    assert anonymous.get(list_url(world)).status_code == 401
    for role in (Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.OPERATOR):
        assert client_for(world, role).get(list_url(world)).status_code == 200, role
    assert client_for(world, Role.CITIZEN).get(list_url(world)).status_code == 403
    # Region B's admin, with a token of region B, is a visitor in region A's catalogue.
    _token, raw = make_token(world.other_admin, world.other_region)
    assert ApiClient(raw).get(list_url(world)).status_code == 403


# Adopting ----------------------------------------------------------------------------------------


def _adoption(world, origin, **fields):
    return {"unit": world.unit.pk, "name": "Sekolah Ramah Anak Lambar", "reason": "Sekolah kita perlu ini.", **fields}


def test_adopting_a_hosted_innovation_records_the_one_linked_replication(world, origin):
    token, raw = make_token(world.user(Role.ADMIN), world.region)
    client = ApiClient(raw)
    response = client.post(
        adopt_url(world, "hosted", origin.pk), _adoption(world, origin), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    replication = Replication.objects.get()
    assert (replication.region, replication.direction, replication.partner_region, replication.origin_innovation) == (
        world.region, Replication.Direction.INBOUND, world.other_region, origin
    )  # fmt: skip
    assert replication.notes == "Sekolah kita perlu ini." and replication.item is None
    assert replication.innovation.region == world.region and replication.innovation.status == Innovation.Status.DRAFT
    assert response.json() == {
        "id": replication.pk, "direction": "inbound", "status": "planned",
        "innovation": {"id": replication.innovation_id, "name": "Sekolah Ramah Anak Lambar"},
        "partner_region": {"code": world.other_region.code, "name": world.other_region.name},
        "origin_innovation": origin.pk, "catalogue_item": None, "reason": "Sekolah kita perlu ini.",
    }  # fmt: skip
    event = ReplicationHistory.objects.get(replication=replication)
    assert (event.action, event.note, event.data["api_token"]) == ("adopt", "Sekolah kita perlu ini.", token.pk)
    # The catalogue now marks it adopted; a second adoption is refused, in Indonesian, as a 400.
    hosted = _listed(client, world)["results"][0]
    assert (hosted["id"], hosted["adopted"]) == (origin.pk, True)
    again = client.post(
        adopt_url(world, "hosted", origin.pk), _adoption(world, origin), content_type="application/json"
    )
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["__all__"] == ["Inovasi asal ini sudah diadopsi oleh pemda ini."]
    assert Replication.objects.count() == 1


def test_the_name_affair_and_only_unit_default_to_the_web_forms_initial_values(world, origin):
    client = client_for(world, Role.INNOVATOR)
    response = client.post(
        adopt_url(world, "hosted", origin.pk), {"reason": "Cocok untuk kita."}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    draft = Replication.objects.get().innovation
    assert (draft.name, draft.main_affair, draft.unit) == (origin.name, origin.main_affair, world.unit)


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_hosted_adoption_needs_a_reason(world, origin, reason):
    body = _adoption(world, origin, reason=reason)
    if reason is None:
        del body["reason"]
    response = client_for(world, Role.ADMIN).post(
        adopt_url(world, "hosted", origin.pk), body, content_type="application/json"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert list(fields) == ["reason"] and fields["reason"][0].startswith("Bidang ini "), fields  # Indonesian
    assert not Replication.objects.exists() and not Innovation.objects.filter(region=world.region).exists()


def test_bad_input_is_a_400_in_indonesian_never_a_500(world, origin):
    client = client_for(world, Role.ADMIN)
    address = adopt_url(world, "hosted", origin.pk)
    for body in ([], "teks", {"unit": "satu"}, {"reason": {"a": 1}}, {"main_affair": 99999999999}):
        response = client.post(address, body, content_type="application/json")
        assert response.status_code == 400, body
    other_unit = client.post(
        address, _adoption(world, origin, unit=world.other_unit.pk), content_type="application/json"
    )
    assert other_unit.status_code == 400 and "unit" in other_unit.json()["error"]["fields"]
    assert other_unit.json()["error"]["message"] == "Data tidak valid."
    assert not Replication.objects.exists()


@pytest.mark.parametrize("case", ["draft", "own", "not-hosted", "deactivated", "missing", "kind"])
def test_only_other_active_hosted_regions_published_innovations_can_be_adopted(world, case):
    region = {"own": world.region, "not-hosted": RegionFactory(code="35.01", is_hosted=False)}.get(
        case, world.other_region
    )
    innovation = published(region, status=Innovation.Status.DRAFT if case == "draft" else PUBLISHED)
    if case == "deactivated":
        region_deactivate(region=world.other_region, actor=world.national_admin, reason="Kontrak berakhir.")
    pk = 987654 if case == "missing" else innovation.pk
    kind = "pinjaman" if case == "kind" else "hosted"
    body = {"unit": world.unit.pk, "reason": "Alasan."}
    response = client_for(world, Role.ADMIN).post(adopt_url(world, kind, pk), body, content_type="application/json")
    assert response.status_code == 404
    assert not Replication.objects.exists()


def test_who_may_adopt(world, origin, anonymous):
    address = adopt_url(world, "hosted", origin.pk)
    body = _adoption(world, origin)
    assert anonymous.post(address, body, content_type="application/json").status_code == 401
    for role in (Role.VERIFIER, Role.LEADER, Role.CITIZEN):
        assert client_for(world, role).post(address, body, content_type="application/json").status_code == 403, role
    read_only = client_for(world, Role.ADMIN, scope=ApiToken.Scope.READ)
    response = read_only.post(address, body, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "read_only_token"
    _token, raw = make_token(world.other_admin, world.other_region)
    assert ApiClient(raw).post(address, body, content_type="application/json").status_code == 403
    assert not Replication.objects.exists()


def test_adopting_an_own_catalogue_item(world, item):
    affair = GovernmentAffair.objects.get_or_create(
        code="kesehatan", defaults={"name": "Kesehatan", "kind": "basic_service"}
    )[0]
    body = {"unit": world.unit.pk, "main_affair": affair.pk}
    response = client_for(world, Role.OPERATOR).post(
        adopt_url(world, "item", item.pk), body, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    replication = Replication.objects.get()
    assert (replication.item, replication.origin_innovation, replication.partner_region) == (
        item, None, item.source_region
    )  # fmt: skip
    assert response.json()["catalogue_item"] == item.pk and response.json()["innovation"]["name"] == "Katalog Ketikan"
    # Region B's item is not region A's to adopt.
    theirs = CatalogueItemFactory(region=world.other_region, source_region=world.region)
    refused = client_for(world, Role.ADMIN).post(
        adopt_url(world, "item", theirs.pk), body, content_type="application/json"
    )
    assert refused.status_code == 404
