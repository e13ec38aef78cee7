"""The optional modules of the later stages: presentation aspects as data, score sheets with a
weighted total and history, and the field-check list with its state machine and photos."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from lumbung.assessment import services, sheets
from lumbung.assessment.models import Assessment, FieldCheck, PresentationSheet
from lumbung.assessment.workflows import FIELD_CHECK
from lumbung.core.roles import Role
from tests.caches import forget_cached

from .factories import enter, pdf_file, png_file

D = Decimal
CODES = ["kebaharuan", "kemanfaatan", "kewenangan_kolaborasi", "replikasi_aplikatif", "penyajian"]
WEIGHTS_2023 = dict(zip(CODES, [D(30), D(25), D(15), D(20), D(10)], strict=True))
# A worked example: (80×30 + 70×25 + 90×15 + 60×20 + 100×10) / 100 = 77.
EXAMPLE = dict(zip(CODES, [D(80), D(70), D(90), D(60), D(100)], strict=True))
ROLES = ["admin", "verifier", "leader", "operator", "innovator", "national_admin", "other_admin"]


def _data(aspects):
    return {"years": {"2023": {"source": "uji", "confirmed": True, "aspects": aspects}}}


class TestAspects:
    def test_the_shipped_file_holds_the_2023_aspects(self):
        chosen = sheets.aspects_for(2023)
        assert chosen.confirmed and chosen.year == 2023
        assert {aspect.code: aspect.weight for aspect in chosen.aspects} == WEIGHTS_2023

    def test_a_later_year_carries_them_over_unconfirmed(self):
        chosen = sheets.aspects_for(2026)
        assert (chosen.year, chosen.confirmed) == (2023, False)
        assert sheets.aspects_for(2021).year == 2023  # before the first announcement: the earliest known

    @pytest.mark.parametrize(
        ("aspects", "message"),
        [
            ([{"code": "a", "name": "A", "weight": 60}, {"code": "a", "name": "B", "weight": 40}], "ganda"),
            ([{"code": "a", "name": "A", "weight": 60}, {"code": "b", "name": "B", "weight": 30}], "bukan 100"),
            ([{"code": "a", "name": "A", "weight": "banyak"}], "tanpa bobot angka"),
            ([{"code": "a", "name": "", "weight": 100}], "bernama"),
        ],
    )
    def test_a_broken_file_names_the_problem(self, aspects, message):
        with pytest.raises(sheets.AspectDataError, match=message):
            sheets.parse_aspects(_data(aspects))

    def test_the_weighted_total_of_a_worked_example(self):
        assert sheets.weighted_total(EXAMPLE, WEIGHTS_2023) == D("77.00")
        assert sheets.weighted_total({"a": D("66.666")}, {"a": D(1)}) == D("66.67")  # half up

    @given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=5, max_size=5), st.integers(0, 4))
    def test_the_total_is_bounded_and_grows_with_every_score(self, values, index):
        scores = dict(zip(CODES, values, strict=True))
        total = sheets.weighted_total(scores, WEIGHTS_2023)
        assert min(values) - D("0.01") <= total <= max(values) + D("0.01")
        higher = {**scores, CODES[index]: min(D(100), scores[CODES[index]] + 10)}
        assert sheets.weighted_total(higher, WEIGHTS_2023) >= total


@pytest.fixture
def modules_on(assessment, admin):
    sheets.assessment_modules_set(assessment=assessment, actor=admin, presentation=True, field_check=True)
    return Assessment.objects.get(pk=assessment.pk)


def official(assessment, actor, **scores):
    return sheets.presentation_sheet_create(
        assessment=assessment, actor=actor, kind="official", held_on=dt.date(2026, 9, 25),
        scorer="Tim Penilai IGA", scores={**EXAMPLE, **scores}, notes="Hasil panel hari pertama.",
    )  # fmt: skip


class TestModules:
    def test_turning_modules_on_is_recorded(self, modules_on, admin):
        assert modules_on.presentation_enabled and modules_on.field_check_enabled
        event = modules_on.events.get(action="modules")
        assert event.actor == admin and event.data == {"presentation_enabled": True, "field_check_enabled": True}

    def test_a_module_with_records_stays_on(self, modules_on, admin):
        official(modules_on, admin)
        with pytest.raises(ValidationError, match="tidak dapat dimatikan"):
            sheets.assessment_modules_set(assessment=modules_on, actor=admin, presentation=False, field_check=True)
        sheets.assessment_modules_set(assessment=modules_on, actor=admin, presentation=True, field_check=False)

    def test_only_the_admin_turns_them_on(self, assessment, verifier):
        with pytest.raises(PermissionDenied):
            sheets.assessment_modules_set(assessment=assessment, actor=verifier, presentation=True, field_check=False)

    def test_nothing_is_recorded_while_a_module_is_off(self, assessment, admin):
        with pytest.raises(ValidationError, match="belum diaktifkan"):
            official(assessment, admin)


class TestPresentationSheets:
    def test_the_admin_records_the_panels_result_once(self, modules_on, admin):
        sheet = official(modules_on, admin)
        assert sheet.total == D("77.00") and (sheet.aspects_year, sheet.aspects_confirmed) == (2023, False)
        assert [(score.name, score.weight, score.score) for score in sheet.scores.all()][0] == (
            "Kebaharuan",
            D(30),
            D(80),
        )
        assert sheet.events.get().data["total"] == "77.00"
        with pytest.raises(ValidationError, match="sudah dicatat"):
            official(modules_on, admin)

    def test_reviewers_score_rehearsals_and_nobody_else(self, modules_on, world):
        for role in ("verifier", "admin"):
            sheet = sheets.presentation_sheet_create(
                assessment=modules_on, actor=world.user(role), kind="rehearsal", held_on=dt.date(2026, 9, 10),
                scorer="Sekda (gladi 1)", scores=EXAMPLE,
            )  # fmt: skip
            assert sheet.kind == PresentationSheet.Kind.REHEARSAL
        with pytest.raises(PermissionDenied):
            official(modules_on, world.user(Role.VERIFIER))
        for role in (Role.LEADER, Role.OPERATOR):
            with pytest.raises(PermissionDenied):
                sheets.presentation_sheet_create(
                    assessment=modules_on, actor=world.user(role), kind="rehearsal", held_on=dt.date(2026, 9, 10),
                    scorer="x", scores=EXAMPLE,
                )  # fmt: skip

    @pytest.mark.parametrize("bad", [D("100.5"), D("-1"), None])
    def test_a_score_out_of_range_or_missing_is_refused(self, modules_on, admin, bad):
        with pytest.raises(ValidationError):
            official(modules_on, admin, kebaharuan=bad)
        assert not PresentationSheet.objects.exists()

    def test_a_correction_keeps_before_and_after(self, modules_on, admin):
        sheet = official(modules_on, admin)
        sheets.presentation_sheet_update(
            sheet=sheet, actor=admin, held_on=sheet.held_on, scorer=sheet.scorer, notes=sheet.notes,
            scores={**EXAMPLE, "penyajian": D(50)},
        )  # fmt: skip
        sheet.refresh_from_db()
        assert sheet.total == D("72.00")
        update = sheet.events.get(action="update")
        assert (update.data["before"]["penyajian"], update.data["after"]["penyajian"]) == ("100.00", "50.00")

    def test_who_may_correct_which_sheet(self, modules_on, admin, world):
        panel = official(modules_on, admin)
        verifier = world.user(Role.VERIFIER)
        mine = sheets.presentation_sheet_create(
            assessment=modules_on, actor=verifier, kind="rehearsal", held_on=dt.date(2026, 9, 10), scorer="Gladi",
            scores=EXAMPLE,
        )  # fmt: skip
        other = user_with_verifier(world)
        assert admin.has_perm("assessment.change_presentation_sheet", mine)
        assert verifier.has_perm("assessment.change_presentation_sheet", mine)
        assert not verifier.has_perm("assessment.change_presentation_sheet", panel)
        assert not other.has_perm("assessment.change_presentation_sheet", mine)
        assert not world.user(Role.LEADER).has_perm("assessment.change_presentation_sheet", mine)

    def test_sheets_stay_open_after_the_data_lock(self, modules_on, admin):
        services.assessment_transition(assessment=modules_on, action="lock", actor=admin)
        modules_on.refresh_from_db()
        assert official(modules_on, admin).total == D("77.00")


def user_with_verifier(world):
    from tests.factories import user_with_role

    return user_with_role(Role.VERIFIER, world.region)


@pytest.fixture
def check(modules_on, entry, admin):
    sheets.field_checks_add(assessment=modules_on, entries=[entry], actor=admin)
    return FieldCheck.objects.select_related("entry__assessment", "entry__innovation__unit").get(entry=entry)


class TestFieldCheck:
    def test_only_eligible_entries_of_the_year_go_on_the_list_once(self, modules_on, entry, admin, world):
        assert sheets.field_checks_add(assessment=modules_on, entries=[entry], actor=admin) == 1
        assert sheets.field_checks_add(assessment=modules_on, entries=[entry], actor=admin) == 0
        late = enter(modules_on, admin, unit=world.unit, implementation_date=dt.date(2018, 1, 1))
        assert not late.is_eligible
        with pytest.raises(ValidationError, match="bukan inovasi yang memenuhi syarat"):
            sheets.field_checks_add(assessment=modules_on, entries=[late], actor=admin)

    def test_found_on_the_ground(self, check, verifier):
        sheets.field_check_record(check=check, actor=verifier, found=True, notes="", checked_on=dt.date(2026, 10, 2))
        check.refresh_from_db()
        assert (check.status, check.checked_by, check.checked_on) == ("found", verifier, dt.date(2026, 10, 2))
        assert check.events.get(action="confirm").to_state == "found"

    def test_not_found_needs_notes_and_a_recheck_needs_a_reason(self, check, verifier):
        with pytest.raises(ValidationError):
            sheets.field_check_record(
                check=check, actor=verifier, found=False, notes="", checked_on=dt.date(2026, 10, 2)
            )
        sheets.field_check_record(
            check=check, actor=verifier, found=False, notes="Loket tutup, aplikasi belum dipakai warga.",
            checked_on=dt.date(2026, 10, 2),
        )  # fmt: skip
        with pytest.raises(ValidationError):
            sheets.field_check_transition(check=check, action="recheck", actor=verifier, note="")
        sheets.field_check_transition(check=check, action="recheck", actor=verifier, note="Kunjungan kedua.")
        assert check.status == FieldCheck.Status.PENDING

    def test_photos_are_images_filed_in_the_library(self, check, verifier):
        document = sheets.field_check_photo_add(check=check, actor=verifier, title="Loket layanan", file=png_file())
        assert document.kind == "image" and document.source == "field_check"
        assert list(check.photos.all()) == [document] and check.events.filter(action="photo").exists()
        with pytest.raises(ValidationError):
            sheets.field_check_photo_add(check=check, actor=verifier, title="SK", file=pdf_file())
        assert check.photos.count() == 1

    @pytest.mark.parametrize("status", FieldCheck.Status.values)
    def test_machine_table(self, check, world, status):
        FieldCheck.objects.filter(pk=check.pk).update(status=status)
        check.refresh_from_db()
        people = {role: world.user(role) for role in ROLES[:5]}
        people.update(national_admin=world.national_admin, other_admin=world.other_admin)
        for transition in FIELD_CHECK.transitions:
            for role, user in people.items():
                expected = status in transition.source and role in ("admin", "verifier", "national_admin")
                assert FIELD_CHECK.may(user, check, transition.action) is expected, (status, transition.action, role)


class TestPages:
    def test_the_assessment_page_offers_the_modules_to_the_admin(self, client, assessment, admin):
        client.force_login(admin)
        page = client.get(reverse("assessment:detail", args=[assessment.pk])).content.decode()
        assert "Simpan modul" in page
        client.post(reverse("assessment:modules", args=[assessment.pk]), {"presentation": "on"})
        page = client.get(reverse("assessment:detail", args=[assessment.pk])).content.decode()
        assert reverse("assessment:presentation", args=[assessment.pk]) in page
        assert reverse("assessment:field-checks", args=[assessment.pk]) not in page

    def test_a_bad_score_keeps_what_was_typed(self, client, modules_on, admin):
        client.force_login(admin)
        data = {"kind": "official", "held_on": "2026-09-25", "scorer": "Tim Penilai IGA", "notes": "Hari pertama"}
        data.update({f"score_{code}": "80" for code in CODES})
        data["score_penyajian"] = "120"
        response = client.post(reverse("assessment:presentation", args=[modules_on.pk]), data)
        html = response.content.decode()
        assert response.status_code == 400 and "Tim Penilai IGA" in html and 'value="120"' in html
        assert not PresentationSheet.objects.exists()
        data["score_penyajian"] = "77,5"
        response = client.post(reverse("assessment:presentation", args=[modules_on.pk]), data, follow=True)
        assert "nilai tertimbang 79,75" in response.content.decode()

    def test_the_field_check_journey(self, client, modules_on, entry, admin, verifier):
        client.force_login(admin)
        client.post(reverse("assessment:field-checks", args=[modules_on.pk]), {"entries": [entry.pk]})
        check = FieldCheck.objects.get(entry=entry)
        client.force_login(verifier)
        url = reverse("assessment:field-check", args=[check.pk])
        response = client.post(url, {"found": "no", "checked_on": "2026-10-02", "notes": ""})
        assert response.status_code == 400 and "Jelaskan apa yang dijumpai" in response.content.decode()
        photo = {"title": "Papan nama layanan", "file": png_file()}
        assert client.post(reverse("assessment:field-check-photo", args=[check.pk]), photo).status_code == 302
        client.post(url, {"found": "yes", "checked_on": "2026-10-02", "notes": "Berjalan di 3 puskesmas."})
        page = client.get(url).content.decode()
        assert "Ada di lapangan" in page and "Papan nama layanan" in page and "Foto ditambahkan" in page

    def test_an_operator_sees_their_innovations_check_but_not_the_list(self, client, check, operator, world):
        client.force_login(operator)
        assert client.get(reverse("assessment:field-check", args=[check.pk])).status_code == 200
        assert client.post(reverse("assessment:field-check", args=[check.pk]), {"found": "yes"}).status_code == 403
        assert client.get(reverse("assessment:field-checks", args=[check.entry.assessment_id])).status_code == 404
        from tests.factories import user_with_role

        client.force_login(user_with_role(Role.OPERATOR, world.region, world.sibling_unit))
        assert client.get(reverse("assessment:field-check", args=[check.pk])).status_code == 404

    @pytest.mark.parametrize("name", ["assessment:presentation", "assessment:field-checks", "assessment:detail"])
    def test_pages_do_not_grow_with_the_records(
        self, client, name, modules_on, admin, world, django_assert_max_num_queries
    ):
        client.force_login(admin)
        url = reverse(name, args=[modules_on.pk])

        def add_records():
            entry = enter(modules_on, admin, unit=world.unit)
            sheets.field_checks_add(assessment=modules_on, entries=[entry], actor=admin)
            sheets.presentation_sheet_create(
                assessment=modules_on, actor=admin, kind="rehearsal", held_on=dt.date(2026, 9, 10), scorer="Gladi",
                scores=EXAMPLE,
            )  # fmt: skip

        add_records()
        client.get(url)
        forget_cached()  # both measurements build the cached overview afresh
        with django_assert_max_num_queries(60) as small:
            client.get(url)
        for _ in range(5):
            add_records()
        forget_cached()
        with django_assert_max_num_queries(len(small.captured_queries)):
            client.get(url)
