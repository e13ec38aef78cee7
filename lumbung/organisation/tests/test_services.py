import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from lumbung.core.roles import Role
from lumbung.organisation import services
from lumbung.organisation.models import Echelon, Official, Unit, sort_as_tree
from tests.factories import user_with_role

from .factories import AssignmentFactory, OfficialFactory, RegionFactory, UnitFactory, make_nip


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def admin(region):
    return user_with_role(Role.ADMIN, region)


def _unit(region, admin, name, parent=None, kind=Unit.Kind.OFFICE):
    return services.unit_create(region=region, actor=admin, name=name, kind=kind, parent=parent)


class TestUnits:
    def test_a_new_unit_gets_its_place_in_the_tree_and_an_audit_row_naming_the_admin(self, region, admin):
        dinkes = _unit(region, admin, "Dinas Kesehatan")
        puskesmas = _unit(region, admin, "Puskesmas Liwa", dinkes, Unit.Kind.HEALTH_CENTRE)
        assert puskesmas.path == f"{dinkes.path}{puskesmas.pk}/"
        assert puskesmas.depth == 1
        assert puskesmas.history.get().history_user == admin

    def test_names_are_unique_under_one_parent_including_at_the_top(self, region, admin):
        _unit(region, admin, "Dinas Sosial")
        with pytest.raises(ValidationError) as caught:
            _unit(region, admin, "  dinas sosial ")
        assert "name" in caught.value.error_dict
        other_parent = _unit(region, admin, "Kecamatan Balik Bukit", kind=Unit.Kind.DISTRICT)
        assert _unit(region, admin, "Dinas Sosial", other_parent).parent == other_parent

    def test_a_parent_from_another_region_is_refused(self, region, admin):
        foreign = UnitFactory(region=RegionFactory())
        with pytest.raises(ValidationError) as caught:
            _unit(region, admin, "Dinas Pariwisata", foreign)
        assert "parent" in caught.value.error_dict

    def test_moving_a_unit_moves_its_whole_subtree(self, region, admin):
        dinkes = _unit(region, admin, "Dinas Kesehatan")
        rsud = _unit(region, admin, "RSUD Alimuddin Umar", dinkes, Unit.Kind.HOSPITAL)
        ward = _unit(region, admin, "UPTD Laboratorium", rsud, Unit.Kind.TECHNICAL_UNIT)
        setda = _unit(region, admin, "Sekretariat Daerah", kind=Unit.Kind.SECRETARIAT)
        services.unit_move(unit=rsud, actor=admin, parent=setda, reason="Perbup 12/2026")
        ward.refresh_from_db()
        assert ward.path == f"{setda.path}{rsud.pk}/{ward.pk}/"
        assert ward.depth == 2
        assert set(setda.subtree()) == {setda, rsud, ward}
        assert rsud.history.first().history_change_reason == "Perbup 12/2026"

    def test_moving_to_the_top_and_back(self, region, admin):
        dinkes = _unit(region, admin, "Dinas Kesehatan")
        puskesmas = _unit(region, admin, "Puskesmas Sekincau", dinkes, Unit.Kind.HEALTH_CENTRE)
        services.unit_move(unit=puskesmas, actor=admin, parent=None)
        assert (puskesmas.path, puskesmas.depth) == (f"/{puskesmas.pk}/", 0)
        services.unit_move(unit=puskesmas, actor=admin, parent=dinkes)
        assert puskesmas.path == f"{dinkes.path}{puskesmas.pk}/"

    @pytest.mark.parametrize("target", ["itself", "child", "grandchild"])
    def test_a_unit_cannot_move_under_itself(self, region, admin, target):
        top = _unit(region, admin, "Dinas Pendidikan")
        child = _unit(region, admin, "UPTD Pendidikan", top, Unit.Kind.TECHNICAL_UNIT)
        grandchild = _unit(region, admin, "SD Negeri 1 Liwa", child, Unit.Kind.SCHOOL)
        parent = {"itself": top, "child": child, "grandchild": grandchild}[target]
        with pytest.raises(ValidationError):
            services.unit_move(unit=top, actor=admin, parent=parent)
        top.refresh_from_db()
        assert top.parent is None

    def test_deactivation_needs_a_reason_an_empty_subtree_and_no_one_in_office(self, region, admin):
        dinkes = _unit(region, admin, "Dinas Kesehatan")
        puskesmas = _unit(region, admin, "Puskesmas Kenali", dinkes, Unit.Kind.HEALTH_CENTRE)
        with pytest.raises(ValidationError) as caught:
            services.unit_deactivate(unit=puskesmas, actor=admin, reason="  ")
        assert "reason" in caught.value.error_dict
        with pytest.raises(ValidationError, match="sub-unit aktif"):
            services.unit_deactivate(unit=dinkes, actor=admin, reason="Digabung")
        holder = AssignmentFactory(official=OfficialFactory(region=region), unit=puskesmas, end_date=None)
        with pytest.raises(ValidationError, match="pejabat yang menjabat"):
            services.unit_deactivate(unit=puskesmas, actor=admin, reason="Digabung")
        services.assignment_end(assignment=holder, actor=admin, end_date=dt.date.today() - dt.timedelta(days=1))
        services.unit_deactivate(unit=puskesmas, actor=admin, reason="Digabung ke PKM Liwa")
        assert not puskesmas.is_active
        assert puskesmas.history.first().history_change_reason == "Digabung ke PKM Liwa"

    def test_an_inactive_unit_takes_no_new_children_or_positions_and_reactivates_only_under_an_active_parent(
        self, region, admin
    ):
        dinkes = _unit(region, admin, "Dinas Kesehatan")
        puskesmas = _unit(region, admin, "Puskesmas Suoh", dinkes, Unit.Kind.HEALTH_CENTRE)
        services.unit_deactivate(unit=puskesmas, actor=admin, reason="Ditutup")
        services.unit_deactivate(unit=dinkes, actor=admin, reason="Dilebur")
        with pytest.raises(ValidationError, match="nonaktif"):
            _unit(region, admin, "Puskesmas Pembantu", dinkes, Unit.Kind.HEALTH_CENTRE)
        with pytest.raises(ValidationError, match="nonaktif"):
            services.assignment_start(
                official=OfficialFactory(region=region),
                actor=admin,
                unit=dinkes,
                position="Kepala",
                echelon=Echelon.II_B,
                start_date=dt.date(2026, 1, 1),
            )
        with pytest.raises(ValidationError, match="aktifkan induknya"):
            services.unit_reactivate(unit=puskesmas, actor=admin)
        services.unit_reactivate(unit=dinkes, actor=admin)
        services.unit_reactivate(unit=puskesmas, actor=admin)
        assert puskesmas.is_active

    def test_tree_order_lists_each_unit_before_its_subtree_and_siblings_by_kind_then_name(self, region, admin):
        kecamatan = _unit(region, admin, "Kecamatan Liwa", kind=Unit.Kind.DISTRICT)
        dinsos = _unit(region, admin, "Dinas Sosial")
        dinkes = _unit(region, admin, "Dinas Kesehatan")
        setda = _unit(region, admin, "Sekretariat Daerah", kind=Unit.Kind.SECRETARIAT)
        pekon = _unit(region, admin, "Pekon Way Mengaku", kecamatan, Unit.Kind.VILLAGE)
        puskesmas = _unit(region, admin, "Puskesmas Liwa", dinkes, Unit.Kind.HEALTH_CENTRE)
        units = list(Unit.objects.filter(region=region))
        assert sort_as_tree(units) == [setda, dinkes, puskesmas, dinsos, kecamatan, pekon]


class TestOfficials:
    def test_an_official_is_added_with_the_position_held_now(self, region, admin):
        unit = UnitFactory(region=region)
        official = services.official_create(
            region=region,
            actor=admin,
            name="Yudi Pratama, S.Kom.",
            nip="19800101 200501 1 001",
            unit=unit,
            position="Kepala Bidang Aplikasi",
            echelon=Echelon.III_B,
            start_date=dt.date(2022, 1, 3),
            phone="081234567890",
        )
        assert official.nip == "198001012005011001"
        assert (official.birth_date, official.appointed_on, official.sex) == (
            dt.date(1980, 1, 1),
            dt.date(2005, 1, 1),
            "L",
        )
        assert official.assignment_on(dt.date(2022, 1, 3)).unit == unit
        assert official.history.get().history_user == admin

    def test_nothing_is_saved_when_the_position_is_wrong(self, region, admin):
        with pytest.raises(ValidationError):
            services.official_create(
                region=region,
                actor=admin,
                name="Ani Rahayu",
                nip=make_nip(401),
                unit=UnitFactory(region=RegionFactory()),
                position="Camat",
                echelon=Echelon.III_A,
                start_date=dt.date(2022, 1, 3),
            )
        assert not Official.objects.filter(nip=make_nip(401)).exists()

    def test_a_nip_registered_anywhere_is_refused(self, region, admin):
        OfficialFactory(region=RegionFactory(), nip=make_nip(402))
        with pytest.raises(ValidationError) as caught:
            services.official_update(official=OfficialFactory(region=region), actor=admin, name="X", nip=make_nip(402))
        assert caught.value.error_dict["nip"][0].messages == ["NIP ini sudah terdaftar."]
