"""A unit responsible for an SPD row: assigning it, who may then answer the row and attach its
evidence, and where the row shows up (planner, progress per unit, the unit's home panel)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lumbung.assessment import reports, services
from lumbung.assessment.models import EvidenceLink, RegionAnswer, RegionAnswerEvent, RowStatus
from lumbung.assessment.planning import action_target, plan_for
from lumbung.assessment.workflows import ROW
from lumbung.core.roles import Role
from lumbung.frameworks.planner import ActionKind
from tests.factories import UnitFactory, user_with_role

from .factories import DocumentFactory, open_assessment, pdf_file


@pytest.fixture
def spd(assessment):
    """SPD rows by code, loaded as the views load them."""
    rows = assessment.region_answers.select_related("indicator", "assessment__framework", "unit")
    return {row.indicator.code: row for row in rows}


@pytest.fixture
def permits(spd, assessment, admin, world):
    """Indicator 3 (permits) made the responsibility of world.unit."""
    services.region_rows_assign(assessment=assessment, units={spd["3"].pk: world.unit}, actor=admin)
    spd["3"].refresh_from_db()
    return spd["3"]


def _row(pk):
    return RegionAnswer.objects.select_related("indicator", "assessment__framework", "unit").get(pk=pk)


class TestAssigning:
    def test_assigning_records_an_event_and_tells_the_unit(self, permits, operator, world):
        from lumbung.notifications.models import Notification

        event = RegionAnswerEvent.objects.get(answer=permits, action="assign_unit")
        assert event.data == {"from": None, "to": world.unit.pk}
        notice = Notification.objects.get(recipient=operator)
        assert "Diskominfo" in notice.title and "3 (Indikator 3)" in notice.body

    def test_assigning_the_same_unit_again_changes_nothing(self, permits, assessment, admin, world):
        changed = services.region_rows_assign(assessment=assessment, units={permits.pk: world.unit}, actor=admin)
        assert changed == 0 and permits.events.filter(action="assign_unit").count() == 1

    def test_a_unit_of_another_region_is_refused(self, spd, assessment, admin, world):
        with pytest.raises(ValidationError):
            services.region_rows_assign(assessment=assessment, units={spd["7"].pk: world.other_unit}, actor=admin)

    def test_a_locked_year_is_refused(self, spd, assessment, admin, world):
        services.assessment_transition(assessment=assessment, action="lock", actor=admin)
        with pytest.raises(ValidationError, match="dikunci"):
            services.region_rows_assign(assessment=assessment, units={spd["7"].pk: world.unit}, actor=admin)

    def test_the_next_year_keeps_last_years_units(self, permits, world, admin):
        following = open_assessment(world.region, admin, year=2027)
        row = following.region_answers.get(indicator__code="3")
        assert row.unit == world.unit
        assert following.region_answers.exclude(unit=None).count() == 1


class TestPermissions:
    """Role × SPD row × whose unit it is."""

    def test_the_units_operator_answers_and_attaches_evidence(self, client, permits, operator):
        client.force_login(operator)
        url = reverse("assessment:row-detail", args=["spd", permits.pk])
        assert client.post(url, {"measured_value": "12,5"}).status_code == 302
        upload = {"title": "Rekap izin terbit DPMPTSP 2024–2025", "year": "2025", "file": pdf_file()}
        response = client.post(reverse("assessment:row-upload", args=["spd", permits.pk]), upload)
        assert response.status_code == 302
        row = _row(permits.pk)
        assert (row.level, row.status) == (3, RowStatus.CLAIMED)
        assert EvidenceLink.objects.filter(region_answer=row).count() == 1

    def test_an_operator_of_an_unassigned_or_other_row_changes_nothing(self, client, spd, permits, world):
        sibling = user_with_role(Role.OPERATOR, world.region, world.sibling_unit)
        client.force_login(sibling)
        for row in (permits, spd["7"]):
            page = client.get(reverse("assessment:row-detail", args=["spd", row.pk]))
            assert page.status_code == 200 and "Simpan jawaban" not in page.content.decode()
            assert (
                client.post(reverse("assessment:row-detail", args=["spd", row.pk]), {"level": "2"}).status_code == 403
            )
            upload = {"title": "Rekap", "year": "2025", "file": pdf_file()}
            assert client.post(reverse("assessment:row-upload", args=["spd", row.pk]), upload).status_code == 404
            assert _row(row.pk).level == 0

    def test_an_operator_of_a_unit_above_answers_for_its_sub_unit(self, spd, assessment, admin, world):
        parent = UnitFactory(region=world.region, name="Sekretariat Daerah", short_name="Setda")
        section = UnitFactory(region=world.region, name="Bagian Organisasi", parent=parent)
        services.region_rows_assign(assessment=assessment, units={spd["9"].pk: section}, actor=admin)
        row = _row(spd["9"].pk)
        above = user_with_role(Role.OPERATOR, world.region, parent)
        below = user_with_role(Role.OPERATOR, world.region, UnitFactory(region=world.region, parent=section))
        assert above.has_perm("assessment.edit_row", row)
        assert not below.has_perm("assessment.edit_row", row)

    def test_the_admin_still_answers_and_verifiers_and_leaders_do_not(self, permits, world, admin):
        assert admin.has_perm("assessment.edit_row", permits)
        assert world.national_admin.has_perm("assessment.edit_row", permits)
        for role in (Role.VERIFIER, Role.LEADER, Role.INNOVATOR):
            assert not world.user(role).has_perm("assessment.edit_row", permits)

    def test_only_the_admin_assigns(self, client, spd, assessment, world, operator):
        url = reverse("assessment:region-units", args=[assessment.pk])
        for role in (Role.VERIFIER, Role.LEADER, Role.OPERATOR):
            client.force_login(world.user(role))
            assert client.post(url, {f"unit_{spd['7'].pk}": world.unit.pk}).status_code == 403
        assert not RegionAnswer.objects.exclude(unit=None).exists()


class TestPages:
    def test_the_admin_assigns_units_on_the_spd_page(self, client, spd, assessment, admin, world):
        client.force_login(admin)
        page = client.get(reverse("assessment:region-rows", args=[assessment.pk])).content.decode()
        assert "Simpan penanggung jawab" in page and "Dinas Komunikasi dan Informatika (Diskominfo)" in page
        data = {f"unit_{row.pk}": "" for row in spd.values()}
        data[f"unit_{spd['7'].pk}"] = world.sibling_unit.pk
        response = client.post(reverse("assessment:region-units", args=[assessment.pk]), data, follow=True)
        assert "Penanggung jawab 1 indikator SPD disimpan." in response.content.decode()
        assert _row(spd["7"].pk).unit == world.sibling_unit

    def test_a_unit_from_elsewhere_is_refused_and_the_choices_are_kept(self, client, spd, assessment, admin, world):
        client.force_login(admin)
        data = {f"unit_{spd['7'].pk}": world.sibling_unit.pk, f"unit_{spd['8'].pk}": world.other_unit.pk}
        response = client.post(reverse("assessment:region-units", args=[assessment.pk]), data)
        html = response.content.decode()
        assert response.status_code == 400 and "Periksa pilihan perangkat daerah" in html
        assert f'<option value="{world.sibling_unit.pk}" selected>' in html
        assert not RegionAnswer.objects.exclude(unit=None).exists()

    def test_the_operator_sees_their_rows_on_the_home_page(self, client, permits, operator):
        client.force_login(operator)
        page = client.get(reverse("core:home")).content.decode()
        assert "Indikator SPD tanggung jawab perangkat daerah Anda" in page
        assert reverse("assessment:row-detail", args=["spd", permits.pk]) in page

    def test_the_operator_can_pick_their_spd_row_in_the_library(self, client, permits, operator, world, assessment):
        document = DocumentFactory(region=world.region, uploaded_by=operator, year=2025)
        client.force_login(operator)
        url = reverse("assessment:bulk-attach", args=[assessment.pk])
        page = client.get(url, {"documents": document.pk}).content.decode()
        assert f'value="spd-{permits.pk}"' in page
        assert page.count('value="spd-') == 1


class TestWhereTheRowsCount:
    def test_progress_per_unit_includes_spd_rows(self, permits, spd, operator, assessment, entry):
        # Row 3 is measured in percent: its level follows the number (5% gives level 2).
        services.answer_set(row=_row(permits.pk), measured_value=Decimal("5"), actor=operator)
        progress = {item.name: item for item in reports.unit_progress(assessment)}
        mine = progress["Diskominfo"]
        # One eligible innovation (20 rows, none filled) and one SPD row (filled).
        assert (mine.entries, mine.spd_rows, mine.rows, mine.filled) == (1, 1, 21, 1)
        unassigned = progress["SPD belum ditugaskan"]
        assert unassigned.spd_rows == len(spd) - 1 and unassigned.unit_id is None
        assert list(progress)[-1] == "SPD belum ditugaskan"

    def test_the_planners_spd_actions_go_to_the_responsible_unit(self, permits, assessment, world):
        result, data = plan_for(assessment)
        action = next(a for a in result.actions if a.innovation_id is None and a.row_code == "3")
        assert action.kind == ActionKind.FILL_MANDATORY
        row, innovation, unit = action_target(action, data)
        assert (row.pk, innovation, unit) == (permits.pk, None, world.unit)


@pytest.mark.parametrize("state", RowStatus.values)
def test_spd_row_machine_table(state, permits, world, admin):
    """Every state × action × role on an SPD row of world.unit."""
    RegionAnswer.objects.filter(pk=permits.pk).update(status=state, level=0 if state == RowStatus.MISSING else 2)
    row = _row(permits.pk)
    machine = ROW[RegionAnswer]
    sibling = user_with_role(Role.OPERATOR, world.region, world.sibling_unit)
    people = {role: world.user(role) for role in ("admin", "verifier", "operator", "leader", "innovator", "citizen")}
    people.update(sibling_operator=sibling, other_admin=world.other_admin, national_admin=world.national_admin)
    editors = {"admin", "operator", "national_admin"}
    verifiers = {"admin", "verifier", "national_admin"}
    for transition in machine.transitions:
        allowed = (
            verifiers
            if transition.permission.startswith("assessment.judge") or transition.action == "reopen"
            else editors
        )
        for role, user in people.items():
            expected = state in transition.source and role in allowed
            assert machine.may(user, row, transition.action) is expected, (state, transition.action, role)
