import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lumbung.core.roles import Role
from lumbung.organisation import services
from lumbung.organisation.models import Assignment, Echelon, Official, Region, Unit

from .factories import AssignmentFactory, OfficialFactory, UnitFactory, make_nip

TODAY = dt.date.today()


@pytest.fixture
def as_role(client, world):
    def sign_in(role):
        user = world.national_admin if role == Role.NATIONAL_ADMIN else world.user(role)
        client.force_login(user)
        return client

    return sign_in


def query_count(client, url) -> int:
    """Queries of a second view of the page: the first after a change to the region reads the
    signed-in user and roles again (accounts.backends keeps them per data version)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def grow_region(region, times: int) -> None:
    """More units, sub-units and officials in office, to show pages do not query per row."""
    for index in range(times):
        unit = UnitFactory(region=region)
        child = UnitFactory(region=region, parent=unit, kind=Unit.Kind.TECHNICAL_UNIT)
        for target in (unit, child):
            AssignmentFactory(
                official=OfficialFactory(region=region), unit=target, start_date=dt.date(2020, 1, 1 + index % 28)
            )


class TestUnitList:
    @pytest.mark.parametrize("role", [Role.ADMIN, Role.VERIFIER, Role.LEADER])
    def test_region_staff_see_every_unit_of_their_region_only(self, as_role, world, role):
        page = as_role(role).get(reverse("organisation:unit-list")).content.decode()
        assert world.unit.name in page and world.sibling_unit.name in page
        assert world.other_unit.name not in page

    def test_an_operator_sees_only_the_subtree_of_their_unit(self, as_role, world):
        below = UnitFactory(
            region=world.region, parent=world.unit, name="UPTD Radio Siaran", kind=Unit.Kind.TECHNICAL_UNIT
        )
        page = as_role(Role.OPERATOR).get(reverse("organisation:unit-list")).content.decode()
        assert world.unit.name in page and below.name in page
        assert world.sibling_unit.name not in page

    @pytest.mark.parametrize("role", [Role.INNOVATOR, Role.JUDGE, Role.MENTOR, Role.CITIZEN])
    def test_other_roles_are_refused(self, as_role, role):
        assert as_role(role).get(reverse("organisation:unit-list")).status_code == 403

    def test_villages_are_folded_away_until_asked_for_or_searched(self, as_role, world):
        UnitFactory(region=world.region, parent=world.unit, name="Pekon Sebarus", kind=Unit.Kind.VILLAGE)
        client = as_role(Role.ADMIN)
        assert "Pekon Sebarus" not in client.get(reverse("organisation:unit-list")).content.decode()
        assert "Pekon Sebarus" in client.get(reverse("organisation:unit-list") + "?villages=on").content.decode()
        searched = client.get(reverse("organisation:unit-list") + "?q=sebarus").content.decode()
        assert "Pekon Sebarus" in searched and world.sibling_unit.name not in searched

    def test_the_list_counts_sub_units_and_officials_in_office(self, as_role, world):
        UnitFactory(region=world.region, parent=world.unit, kind=Unit.Kind.TECHNICAL_UNIT)
        AssignmentFactory(official=OfficialFactory(region=world.region), unit=world.unit, end_date=dt.date(2021, 1, 1))
        response = as_role(Role.ADMIN).get(reverse("organisation:unit-list"))
        unit = next(u for u in response.context["units"] if u.pk == world.unit.pk)
        assert (unit.child_count, unit.holder_count) == (1, 1)  # the ended position does not count

    def test_queries_do_not_grow_with_the_number_of_units(self, as_role, world):
        client = as_role(Role.ADMIN)
        url = reverse("organisation:unit-list")
        grow_region(world.region, 2)
        few = query_count(client, url)
        grow_region(world.region, 20)
        assert query_count(client, url) == few
        assert query_count(client, url + "?q=Dinas") <= few + 1


class TestUnitPages:
    def test_an_operator_reads_their_unit_but_not_a_sibling(self, as_role, world):
        client = as_role(Role.OPERATOR)
        assert client.get(reverse("organisation:unit-detail", args=[world.unit.pk])).status_code == 200
        assert client.get(reverse("organisation:unit-detail", args=[world.sibling_unit.pk])).status_code == 404
        assert client.get(reverse("organisation:unit-holders", args=[world.sibling_unit.pk])).status_code == 404

    def test_change_links_show_for_the_admin_only(self, as_role, world):
        url = reverse("organisation:unit-detail", args=[world.unit.pk])
        edit = reverse("organisation:unit-edit", args=[world.unit.pk])
        assert edit in as_role(Role.ADMIN).get(url).content.decode()
        assert edit not in as_role(Role.VERIFIER).get(url).content.decode()

    def test_adding_a_unit_under_a_parent(self, as_role, world):
        client = as_role(Role.ADMIN)
        data = {
            "name": "UPTD Radio Siaran Lambar",
            "short_name": "Radio",
            "kind": Unit.Kind.TECHNICAL_UNIT,
            "parent": world.unit.pk,
        }
        response = client.post(reverse("organisation:unit-create"), data)
        unit = Unit.objects.get(name="UPTD Radio Siaran Lambar")
        assert response.url == reverse("organisation:unit-detail", args=[unit.pk])
        assert unit.parent == world.unit and unit.region == world.region

    def test_a_bad_unit_form_keeps_what_was_typed(self, as_role, world):
        client = as_role(Role.ADMIN)
        response = client.post(
            reverse("organisation:unit-create"), {"name": "", "short_name": "Radio", "kind": "dinas"}
        )
        page = response.content.decode()
        assert response.status_code == 200
        assert 'value="Radio"' in page
        assert "Bidang ini tidak boleh kosong" in page

    def test_a_duplicate_name_is_shown_on_the_name_field(self, as_role, world):
        response = as_role(Role.ADMIN).post(
            reverse("organisation:unit-create"), {"name": world.sibling_unit.name.upper(), "kind": Unit.Kind.OFFICE}
        )
        assert "di bawah induk yang sama" in str(response.context["form"].errors["name"])

    def test_the_parent_list_offers_no_unit_of_another_region(self, as_role, world):
        form = as_role(Role.ADMIN).get(reverse("organisation:unit-create")).context["form"]
        assert world.other_unit not in form.fields["parent"].queryset

    def test_moving_under_its_own_child_is_refused_on_the_form(self, as_role, world):
        child = UnitFactory(region=world.region, parent=world.unit, kind=Unit.Kind.TECHNICAL_UNIT)
        response = as_role(Role.ADMIN).post(
            reverse("organisation:unit-move", args=[world.unit.pk]), {"parent": child.pk}
        )
        assert response.status_code == 200
        assert "parent" in response.context["form"].errors
        world.unit.refresh_from_db()
        assert world.unit.parent is None

    def test_moving_under_a_sibling(self, as_role, world):
        client = as_role(Role.ADMIN)
        response = client.post(
            reverse("organisation:unit-move", args=[world.unit.pk]),
            {"parent": world.sibling_unit.pk, "reason": "SOTK 2026"},
        )
        assert response.status_code == 302
        world.unit.refresh_from_db()
        assert world.unit.parent == world.sibling_unit

    def test_deactivation_with_someone_in_office_explains_why_not(self, as_role, world):
        client = as_role(Role.ADMIN)
        response = client.post(reverse("organisation:unit-deactivate", args=[world.unit.pk]), {"reason": "Digabung"})
        assert "pejabat yang menjabat" in response.content.decode()
        assert 'value="Digabung"' in response.content.decode()
        world.unit.refresh_from_db()
        assert world.unit.is_active

    def test_deactivate_and_reactivate(self, as_role, world):
        empty = UnitFactory(region=world.region, name="Kantor Lama")
        client = as_role(Role.ADMIN)
        client.post(reverse("organisation:unit-deactivate", args=[empty.pk]), {"reason": "Dibubarkan"})
        empty.refresh_from_db()
        assert not empty.is_active
        client.post(reverse("organisation:unit-reactivate", args=[empty.pk]))
        empty.refresh_from_db()
        assert empty.is_active

    def test_who_held_a_position_on_a_date_after_a_rotation(self, as_role, world):
        newcomer = OfficialFactory(region=world.region, name="Sapri Hidayat")
        AssignmentFactory(official=newcomer, unit=world.sibling_unit, start_date=dt.date(2019, 1, 1))
        services.official_rotate(
            official=newcomer,
            actor=None,
            unit=world.unit,
            position="Sekretaris",
            echelon=Echelon.III_A,
            start_date=dt.date(2024, 7, 1),
        )
        client = as_role(Role.VERIFIER)
        url = reverse("organisation:unit-holders", args=[world.unit.pk])
        before = client.get(url, {"on": "2024-06-30"}).context["holders"]
        after = client.get(url, {"on": "2024-07-01"}).context["holders"]
        assert newcomer not in [a.official for a in before]
        assert newcomer in [a.official for a in after]
        history = client.get(url).context["history"]
        assert newcomer in [a.official for a in history]

    def test_the_audit_page_shows_who_changed_which_field(self, as_role, world):
        client = as_role(Role.ADMIN)
        client.post(
            reverse("organisation:unit-edit", args=[world.unit.pk]),
            {
                "name": "Dinas Komunikasi, Informatika dan Persandian",
                "short_name": "Diskominfo",
                "kind": Unit.Kind.OFFICE,
            },
        )
        response = client.get(reverse("organisation:unit-history", args=[world.unit.pk]))
        change = response.context["entries"][0]
        assert change.who == world.user(Role.ADMIN)
        assert [(c.old, c.new) for c in change.changes] == [
            ("Dinas Komunikasi dan Informatika", "Dinas Komunikasi, Informatika dan Persandian")
        ]
        assert as_role(Role.VERIFIER).get(reverse("organisation:unit-history", args=[world.unit.pk])).status_code == 403

    def test_export_lists_the_tree_with_import_headers(self, as_role, world):
        UnitFactory(region=world.region, parent=world.unit, name="UPTD Radio", kind=Unit.Kind.TECHNICAL_UNIT)
        response = as_role(Role.ADMIN).get(reverse("organisation:unit-export"))
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert rows[1][:4] == ("Nama", "Singkatan", "Jenis", "Induk")
        names = [row[0] for row in rows[2:]]
        assert names.index("UPTD Radio") == names.index(world.unit.name) + 1
        radio = rows[2 + names.index("UPTD Radio")]
        assert (radio[2], radio[3]) == ("UPTD", world.unit.name)
        assert world.other_unit.name not in names


class TestOfficials:
    def test_the_roster_shows_each_official_with_the_position_held(self, as_role, world):
        response = as_role(Role.ADMIN).get(reverse("organisation:official-list"))
        listed = {o.pk: o.positions for o in response.context["page_obj"]}
        assert set(listed) == {world.official.pk, world.sibling_official.pk}
        assert listed[world.official.pk][0].unit == world.unit

    def test_an_operator_sees_the_officials_of_their_unit_only(self, as_role, world):
        response = as_role(Role.OPERATOR).get(reverse("organisation:official-list"))
        assert [o.pk for o in response.context["page_obj"]] == [world.official.pk]
        assert (
            as_role(Role.OPERATOR)
            .get(reverse("organisation:official-detail", args=[world.sibling_official.pk]))
            .status_code
            == 404
        )

    def test_an_operator_is_not_linked_to_the_other_units_of_an_official(self, as_role, world):
        """The official once served in a sibling unit: named, but not linked (its page answers 404)."""
        AssignmentFactory(
            official=world.official,
            unit=world.sibling_unit,
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2019, 12, 31),
        )
        page = as_role(Role.OPERATOR).get(reverse("organisation:official-detail", args=[world.official.pk]))
        html = page.content.decode()
        assert reverse("organisation:unit-detail", args=[world.unit.pk]) in html
        assert reverse("organisation:unit-detail", args=[world.sibling_unit.pk]) not in html
        assert world.sibling_unit.short_name in html
        admin_page = as_role(Role.ADMIN).get(reverse("organisation:official-detail", args=[world.official.pk]))
        assert reverse("organisation:unit-detail", args=[world.sibling_unit.pk]) in admin_page.content.decode()

    @pytest.mark.parametrize(
        ("query", "expected"),
        [({"q": "nomatch"}, set()), ({"echelon": "III"}, {"official", "sibling"}), ({"echelon": "II"}, set()),
         ({"on": "2019-12-31"}, set()), ({"on": "2020-01-01"}, {"official", "sibling"})],
    )  # fmt: skip
    def test_filters(self, as_role, world, query, expected):
        response = as_role(Role.ADMIN).get(reverse("organisation:official-list"), query)
        names = {"official": world.official.pk, "sibling": world.sibling_official.pk}
        assert {o.pk for o in response.context["page_obj"]} == {names[key] for key in expected}

    def test_search_by_part_of_a_nip_typed_with_spaces(self, as_role, world):
        typed = f"{world.official.nip[:8]} {world.official.nip[8:14]}"
        response = as_role(Role.ADMIN).get(reverse("organisation:official-list"), {"q": typed})
        assert [o.pk for o in response.context["page_obj"]] == [world.official.pk]

    def test_the_unit_filter_includes_the_units_below(self, as_role, world):
        below = UnitFactory(region=world.region, parent=world.sibling_unit, kind=Unit.Kind.HEALTH_CENTRE)
        nurse = OfficialFactory(region=world.region)
        AssignmentFactory(official=nurse, unit=below, echelon=Echelon.IV_A)
        response = as_role(Role.ADMIN).get(reverse("organisation:official-list"), {"unit": world.sibling_unit.pk})
        assert {o.pk for o in response.context["page_obj"]} == {world.sibling_official.pk, nurse.pk}

    def test_queries_do_not_grow_with_the_number_of_officials(self, as_role, world):
        client = as_role(Role.ADMIN)
        url = reverse("organisation:official-list")
        grow_region(world.region, 2)
        few = query_count(client, url)
        grow_region(world.region, 12)
        assert query_count(client, url) == few
        assert query_count(client, url + "?echelon=III&on=2022-01-01") == few

    def test_a_wrong_nip_gets_the_reason_and_keeps_the_form(self, as_role, world):
        data = {
            "name": "Herlina Siregar, S.E.", "nip": "19740231 200003 2 002", "unit": world.unit.pk,
            "position": "Kepala Seksi", "echelon": Echelon.IV_A, "start_date": "2024-02-01",
        }  # fmt: skip
        response = as_role(Role.ADMIN).post(reverse("organisation:official-create"), data)
        page = response.content.decode()
        assert "bukan tanggal lahir yang ada" in page
        assert 'value="Herlina Siregar, S.E."' in page
        assert not Official.objects.filter(name__startswith="Herlina").exists()

    def test_adding_an_official_with_the_current_position(self, as_role, world):
        data = {
            "name": "Herlina Siregar, S.E.", "nip": "19790415 200312 2 004", "unit": world.unit.pk,
            "position": "Kepala Seksi Persandian", "echelon": Echelon.IV_A, "start_date": "2024-02-01",
        }  # fmt: skip
        response = as_role(Role.ADMIN).post(reverse("organisation:official-create"), data)
        official = Official.objects.get(nip="197904152003122004")
        assert response.url == reverse("organisation:official-detail", args=[official.pk])
        assert official.sex == "P"
        assert official.assignment_on(dt.date(2024, 2, 1)).position == "Kepala Seksi Persandian"

    def test_a_nip_already_on_the_roster_is_shown_on_the_nip_field(self, as_role, world):
        data = {"name": "Orang Lain", "nip": world.other_official.nip}
        response = as_role(Role.ADMIN).post(reverse("organisation:official-edit", args=[world.official.pk]), data)
        assert response.context["form"].errors["nip"] == ["NIP ini sudah terdaftar."]

    def test_rotation_through_the_page(self, as_role, world):
        client = as_role(Role.ADMIN)
        data = {
            "unit": world.sibling_unit.pk,
            "position": "Sekretaris Dinas",
            "echelon": Echelon.III_A,
            "start_date": "2025-03-01",
        }
        response = client.post(reverse("organisation:official-rotate", args=[world.official.pk]), data)
        assert response.status_code == 302
        positions = list(world.official.assignments.order_by("start_date"))
        assert [(p.unit, p.end_date) for p in positions] == [
            (world.unit, dt.date(2025, 2, 28)),
            (world.sibling_unit, None),
        ]
        detail = client.get(reverse("organisation:official-detail", args=[world.official.pk])).content.decode()
        assert "Sekretaris Dinas" in detail and "Kepala Bidang" in detail

    def test_a_rotation_dated_before_the_current_position_is_explained(self, as_role, world):
        data = {
            "unit": world.sibling_unit.pk,
            "position": "Sekretaris",
            "echelon": Echelon.III_A,
            "start_date": "2020-01-01",
        }
        response = as_role(Role.ADMIN).post(reverse("organisation:official-rotate", args=[world.official.pk]), data)
        assert "start_date" in response.context["form"].errors
        assert world.official.assignments.count() == 1

    def test_starting_an_acting_position_and_ending_it(self, as_role, world):
        client = as_role(Role.ADMIN)
        data = {
            "unit": world.sibling_unit.pk, "position": "Plt. Kepala Dinas Kesehatan", "echelon": Echelon.II_B,
            "start_date": "2025-01-02", "is_acting": "on",
        }  # fmt: skip
        client.post(reverse("organisation:assignment-start", args=[world.official.pk]), data)
        acting = world.official.assignments.get(is_acting=True)
        client.post(
            reverse("organisation:assignment-end", args=[acting.pk]),
            {"end_date": "2025-06-30", "reason": "Kepala definitif dilantik"},
        )
        acting.refresh_from_db()
        assert acting.end_date == dt.date(2025, 6, 30)

    def test_an_end_before_the_start_is_refused_on_the_form(self, as_role, world):
        position = world.official.assignments.get()
        response = as_role(Role.ADMIN).post(
            reverse("organisation:assignment-end", args=[position.pk]), {"end_date": "2019-01-01"}
        )
        assert "end_date" in response.context["form"].errors

    def test_only_the_admin_changes_the_roster(self, as_role, world):
        client = as_role(Role.VERIFIER)
        assert client.get(reverse("organisation:official-edit", args=[world.official.pk])).status_code == 403
        assert client.get(reverse("organisation:official-detail", args=[world.official.pk])).status_code == 200

    def test_the_audit_page_covers_the_official_and_the_positions(self, as_role, world):
        client = as_role(Role.ADMIN)
        client.post(
            reverse("organisation:official-rotate", args=[world.official.pk]),
            {
                "unit": world.sibling_unit.pk,
                "position": "Sekretaris Dinas",
                "echelon": Echelon.III_A,
                "start_date": "2025-03-01",
            },
        )
        entries = client.get(reverse("organisation:official-history", args=[world.official.pk])).context["entries"]
        subjects = {(entry.subject_type, entry.kind) for entry in entries[:2]}
        assert subjects == {("riwayat jabatan", "+"), ("riwayat jabatan", "~")}
        ended = next(e for e in entries if e.kind == "~")
        assert ended.reason == "Mutasi ke Sekretaris Dinas"
        assert [(c.label, c.new) for c in ended.changes] == [("sampai", "28 Februari 2025")]

    def test_export_keeps_the_nip_as_text_and_shows_the_position_on_the_day(self, as_role, world):
        response = as_role(Role.VERIFIER).get(reverse("organisation:official-export"))
        sheet = load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[2]]
        assert header[:6] == ["NIP", "Nama", "Jabatan", "Eselon", "Perangkat Daerah", "TMT Jabatan"]
        row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == world.official.nip)
        assert row[0].data_type == "s"
        assert (row[2].value, row[4].value) == ("Kepala Bidang", world.unit.name)


class TestRegions:
    def test_a_national_admin_finds_a_region_by_name_or_code(self, as_role, world):
        Region.objects.create(code="18.13", name="Kabupaten Pesisir Barat", kind=Region.Kind.REGENCY)
        client = as_role(Role.NATIONAL_ADMIN)
        by_name = client.get(reverse("organisation:region-list"), {"q": "pesisir"}).context["page_obj"]
        by_code = client.get(reverse("organisation:region-list"), {"q": "18.13"}).context["page_obj"]
        assert [r.code for r in by_name] == [r.code for r in by_code] == ["18.13"]

    def test_the_list_says_which_regions_are_active_inactive_or_not_yet_here(self, as_role, world):
        world.other_region.is_hosted, world.other_region.deactivated_at = False, timezone.now()
        world.other_region.save()
        Region.objects.create(code="18.13", name="Kabupaten Pesisir Barat", kind=Region.Kind.REGENCY)
        page = as_role(Role.NATIONAL_ADMIN).get(reverse("organisation:region-list"), {"q": "18."}).content.decode()
        assert reverse("accounts:region-deactivate", args=[world.region.pk]) in page
        assert reverse("accounts:region-reactivate", args=[world.other_region.pk]) in page
        assert reverse("accounts:region-onboard") + "?kode=18.13" in page

    def test_the_list_does_not_query_per_region(self, as_role, world):
        client = as_role(Role.NATIONAL_ADMIN)
        few = query_count(client, reverse("organisation:region-list"))
        Region.objects.bulk_create(
            Region(code=f"97.{n:02d}", name=f"Kabupaten Contoh {n}", kind=Region.Kind.REGENCY, province=world.region)
            for n in range(40)
        )
        assert query_count(client, reverse("organisation:region-list")) == few


def test_assignment_ids_of_another_region_are_not_found(as_role, world):
    foreign = Assignment.objects.get(official=world.other_official)
    response = as_role(Role.ADMIN).post(
        reverse("organisation:assignment-end", args=[foreign.pk]), {"end_date": "2025-01-01"}
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.end_date is None


def test_nip_helper_builds_unique_valid_numbers():
    assert len({make_nip(n) for n in range(50)}) == 50


# The permission matrix: every role of region A against its own unit, a sibling unit and the
# other region's unit (and the officials placed in them). 200 = allowed, 404 = "not yours",
# 403 = the role may not open the page at all.
MATRIX_VIEWS = {
    "unit-detail": ("unit", "organisation:unit-detail"),
    "unit-holders": ("unit", "organisation:unit-holders"),
    "unit-edit": ("unit", "organisation:unit-edit"),
    "unit-history": ("unit", "organisation:unit-history"),
    "official-detail": ("official", "organisation:official-detail"),
    "official-rotate": ("official", "organisation:official-rotate"),
}
READ = {"unit-detail", "unit-holders", "official-detail"}
OUTSIDERS = [Role.INNOVATOR, Role.JUDGE, Role.MENTOR, Role.CITIZEN]


def _expected(role, view, target) -> int:
    if role in OUTSIDERS or (view not in READ and role != Role.ADMIN):
        return 403
    if target == "other_region" or (role == Role.OPERATOR and target == "sibling"):
        return 404
    return 200


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.OPERATOR, *OUTSIDERS])
def test_permission_matrix(as_role, world, role):
    client = as_role(role)
    objects = {
        "own": {"unit": world.unit, "official": world.official},
        "sibling": {"unit": world.sibling_unit, "official": world.sibling_official},
        "other_region": {"unit": world.other_unit, "official": world.other_official},
    }
    seen = {}
    for view, (kind, url_name) in MATRIX_VIEWS.items():
        for target, pair in objects.items():
            seen[(view, target)] = client.get(reverse(url_name, args=[pair[kind].pk])).status_code
    expected = {(view, target): _expected(role, view, target) for view in MATRIX_VIEWS for target in objects}
    assert seen == expected


def test_permissions_asked_without_an_object_are_refused(world):
    for perm in ("organisation.view_unit", "organisation.view_official", "organisation.change_assignment"):
        assert not world.user(Role.OPERATOR).has_perm(perm)
