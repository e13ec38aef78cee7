import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lumbung.core.imports import import_confirm, import_start
from lumbung.core.models import ImportBatch
from lumbung.core.roles import Role
from lumbung.core.spreadsheets import CellError
from lumbung.organisation.importers import comparable_name, parse_echelon, parse_nip_cell, parse_phone, parse_unit_kind
from lumbung.organisation.models import Echelon, Official, Unit

from .factories import AssignmentFactory, OfficialFactory, UnitFactory, make_nip, sheet_upload

OFFICIAL_HEADERS = [
    "No",
    "NIP Baru",
    "Nama Lengkap",
    "Nama Jabatan",
    "Eselon",
    "Unit Kerja",
    "TMT Jabatan",
    "Keterangan",
]
TITLES = ["DAFTAR PEJABAT STRUKTURAL", "PEMERINTAH KABUPATEN LAMPUNG BARAT TAHUN 2026"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("II.b", "II.b"), ("IIb", "II.b"), ("II/b", "II.b"), ("ii-B", "II.b"), ("2b", "II.b"), ("2.a", "II.a"),
     (" III.a ", "III.a"), ("IIIB", "III.b"), ("IV A", "IV.a"), ("4b", "IV.b"),
     ("Non-eselon / fungsional", Echelon.NONE), ("JF", Echelon.NONE), ("pelaksana", Echelon.NONE), ("NON ESELON", Echelon.NONE)],
)  # fmt: skip
def test_echelons_as_people_write_them(typed, stored):
    assert parse_echelon(typed) == stored


@pytest.mark.parametrize("typed", ["I.a", "V.a", "IIc", "5b", "eselon dua", "", None])
def test_what_is_not_a_regional_echelon_is_refused(typed):
    with pytest.raises(CellError):
        parse_echelon(typed)


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("Dinas", Unit.Kind.OFFICE), ("BADAN", Unit.Kind.AGENCY), ("Pekon", Unit.Kind.VILLAGE),
     ("Kelurahan/Desa", Unit.Kind.VILLAGE), ("Rumah Sakit Umum Daerah", Unit.Kind.HOSPITAL), ("UPTD", Unit.Kind.TECHNICAL_UNIT),
     ("puskesmas", Unit.Kind.HEALTH_CENTRE), ("Sekretariat", Unit.Kind.SECRETARIAT), ("technical_unit", Unit.Kind.TECHNICAL_UNIT)],
)  # fmt: skip
def test_unit_kinds_by_their_indonesian_names(typed, kind):
    assert parse_unit_kind(typed) == kind


def test_an_unknown_unit_kind_lists_the_accepted_ones():
    with pytest.raises(CellError, match="Kecamatan"):
        parse_unit_kind("Kantor")


@pytest.mark.parametrize("stored_as_number", [197408152000031002, 1.97408152000031e17, "1.97408E+17", "1,97408E+17"])
def test_a_nip_that_excel_stored_as_a_number_is_refused(stored_as_number):
    with pytest.raises(CellError, match="tersimpan sebagai angka"):
        parse_nip_cell(stored_as_number)


def test_a_nip_typed_as_text_is_accepted_with_spaces_and_apostrophe():
    assert parse_nip_cell("'19740815 200003 1 002") == "197408152000031002"


def test_phone_numbers_get_back_the_zero_excel_dropped():
    assert parse_phone(81234567890) == "081234567890"
    assert parse_phone("+62 812-3456-7890") == "+6281234567890"


def test_a_phone_cell_holding_a_formula_is_refused_not_stripped_to_digits():
    with pytest.raises(CellError, match="angka"):
        parse_phone("=cmd|' /C calc'!A0")


def _official_row(number, nip, name, position, echelon, unit, start, note=""):
    return [number, nip, name, position, echelon, unit, start, note]


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


@pytest.fixture
def messy_roster(world):
    """A roster as offices keep it: titles above the header, odd spacing, Indonesian dates,
    and one problem of each kind."""
    good_a = make_nip(701, birth=dt.date(1978, 4, 15), appointed=dt.date(2003, 12, 1), sex=2)
    good_b = make_nip(702, birth=dt.date(1981, 9, 9), appointed=dt.date(2006, 3, 1))
    rows = [
        _official_row(1, f"{good_a[:8]} {good_a[8:14]} {good_a[14]} {good_a[15:]}", "  Herlina   Siregar, S.E. ", "Kepala Bidang  Persandian", "IIIb", " diskominfo ", "17 Agustus 2023"),
        _official_row(2, good_b, "Paisol Harahap, S.T.", "Sekretaris Dinas Kesehatan", "3a", "Dinas Kesehatan", "03-01-2022"),
        _official_row(3, 196907121994031004, "Edison Zainal", "Kepala Seksi", "IV.a", "Diskominfo", "01/02/2021"),
        _official_row(4, good_a, "Herlina Siregar", "Kepala Bidang", "III.b", "Diskominfo", "2023-08-17"),
        _official_row(5, world.official.nip, "Nama Lama", "Kepala Bidang", "III.b", "Diskominfo", "2023-08-17"),
        _official_row(6, make_nip(703), "Mardiana Putri", "Camat", "III.a", "Kecamatan Antah", "2023-08-17"),
        _official_row(7, make_nip(704), "Okta Ramadhan", "Kepala UPTD", "IV.a", "Dinkes", "31-02-2023"),
        _official_row(8, make_nip(705), "Taufik Hakim", "Kepala Seksi", "dua", "Dinkes", "2023-08-17"),
    ]  # fmt: skip
    return sheet_upload(
        OFFICIAL_HEADERS, rows, titles=TITLES, name="Daftar Pejabat 2026.xlsx", text_columns={"NIP Baru"}
    )


def _errors_by_row(batch) -> dict[int, str]:
    return {row["row"]: " ".join(row["errors"]) for row in batch.rows}


class TestOfficialImport:
    def test_the_preview_reports_each_problem_on_its_row_and_saves_nothing(self, world, admin, messy_roster):
        before = Official.objects.count()
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=messy_roster)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.PREVIEW
        assert batch.header_row == 3  # below the two merged title lines
        errors = _errors_by_row(batch)
        first = batch.header_row + 1
        assert errors[first] == errors[first + 1] == ""
        assert "tersimpan sebagai angka" in errors[first + 2]
        assert f"sama dengan baris {first}" in errors[first + 3]
        assert "sudah terdaftar atas nama" in errors[first + 4]
        assert "Kecamatan Antah" in errors[first + 5] and "tidak ditemukan" in errors[first + 5]
        assert "bukan tanggal yang ada" in errors[first + 6]
        assert "bukan eselon" in errors[first + 7]
        assert (batch.valid_count, batch.error_count) == (2, 6)
        assert batch.file_errors == ["Kolom yang tidak dikenali dan diabaikan: No, Keterangan"]
        assert Official.objects.count() == before

    def test_all_rows_cannot_be_imported_while_some_have_errors(self, world, admin, messy_roster):
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=messy_roster)
        batch.refresh_from_db()
        with pytest.raises(ValidationError, match="6 baris bermasalah"):
            import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)

    def test_only_the_valid_rows_are_imported_cleaned_and_with_their_positions(self, world, admin, messy_roster):
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=messy_roster)
        batch.refresh_from_db()
        import_confirm(batch=batch, mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
        batch.refresh_from_db()
        assert (batch.status, batch.imported_count) == (ImportBatch.Status.DONE, 2)
        herlina = Official.objects.get(name="Herlina Siregar, S.E.")
        position = herlina.assignments.get()
        assert (position.position, position.echelon, position.unit, position.start_date) == (
            "Kepala Bidang Persandian",
            Echelon.III_B,
            world.unit,
            dt.date(2023, 8, 17),
        )
        assert Official.objects.get(name="Paisol Harahap, S.T.").assignments.get().unit == world.sibling_unit
        assert herlina.history.get().history_user == admin
        assert not Official.objects.filter(name__in=["Edison Zainal", "Mardiana Putri", "Okta Ramadhan"]).exists()

    def test_all_or_nothing_when_a_row_fails_at_saving_time(self, world, admin):
        nips = [make_nip(711), make_nip(712)]
        rows = [
            _official_row(n, nip, f"Pejabat {n}", "Kepala Seksi", "IV.a", "Diskominfo", "2024-01-02")
            for n, nip in enumerate(nips, 1)
        ]
        batch = import_start(
            kind="officials",
            region=world.region,
            actor=admin,
            uploaded=sheet_upload(OFFICIAL_HEADERS, rows, text_columns={"NIP Baru"}),
        )
        OfficialFactory(region=world.region, nip=nips[1])  # someone adds the second official meanwhile
        batch.refresh_from_db()
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.PREVIEW
        assert "NIP ini sudah terdaftar." in _errors_by_row(batch)[3]
        assert not Official.objects.filter(nip=nips[0]).exists()

    def test_a_start_before_the_civil_service_appointment_is_refused(self, world, admin):
        nip = make_nip(720, birth=dt.date(1985, 1, 1), appointed=dt.date(2010, 3, 1))
        upload = sheet_upload(
            OFFICIAL_HEADERS,
            [_official_row(1, nip, "A", "Staf", "JF", "Diskominfo", "01-01-2009")],
            text_columns={"NIP Baru"},
        )
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
        batch.refresh_from_db()
        assert "lebih awal dari TMT CPNS" in _errors_by_row(batch)[2]

    def test_a_csv_saved_from_excel_is_read_the_same_way(self, world, admin):
        good = make_nip(730)
        text = (
            "NIP;Nama;Jabatan;Eselon;Perangkat Daerah;TMT Jabatan\n"
            f"{good};Yanti Rahayu;Kepala Seksi;IV.b;Diskominfo;05/01/2024\n"
            "1,97408E+17;Joko Susanto;Kepala Seksi;IV.a;Dinkes;05/01/2024\n"
        )
        upload = SimpleUploadedFile("pejabat.csv", text.encode("cp1252"), content_type="text/csv")
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
        batch.refresh_from_db()
        errors = _errors_by_row(batch)
        assert errors[2] == ""
        assert "tersimpan sebagai angka" in errors[3]

    def test_a_sheet_without_the_required_columns_fails_with_a_file_message(self, world, admin):
        upload = sheet_upload(["Nomor", "Pegawai"], [[1, "Ahmad"]])
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.FAILED
        assert "Baris judul kolom tidak ditemukan" in batch.file_errors[0]

    def test_a_file_that_is_not_excel_is_refused_at_upload(self, world, admin, client):
        client.force_login(admin)
        fake = SimpleUploadedFile("pejabat.xlsx", b"MZ\x90\x00 not a workbook", content_type="application/octet-stream")
        response = client.post(reverse("core:import-upload", args=["officials"]), {"file": fake})
        assert response.status_code == 200
        assert "rusak atau bukan Excel" in response.content.decode()
        assert not ImportBatch.objects.exists()


UNIT_HEADERS = ["Nama Unit", "Singkatan", "Jenis", "Unit Induk", "Kode"]


class TestUnitImport:
    def test_parents_are_found_in_the_region_or_in_earlier_rows(self, world, admin):
        rows = [
            ["Dinas Pemuda dan Olahraga", "Dispora", "Dinas", "", ""],
            ["UPTD Gelanggang Olahraga", "", "UPTD", "dispora", ""],
            ["Puskesmas Pembantu Way Mengaku", "", "Puskesmas", "Dinkes", ""],
            ["Pekon Sebarus", "", "Pekon", "Kecamatan Tidak Ada", "18.04.01.2001"],
            ["SD Negeri 2 Sebarus", "", "Sekolah", "Pekon Sebarus", ""],
            ["Dinas Kesehatan", "", "Dinas", "", ""],
            ["Dinas Pemuda dan Olahraga", "", "Dinas", "", ""],
            ["Kantor Arsip", "", "Kantor", "", ""],
        ]
        batch = import_start(
            kind="units",
            region=world.region,
            actor=admin,
            uploaded=sheet_upload(UNIT_HEADERS, rows, titles=["Daftar OPD"]),
        )
        batch.refresh_from_db()
        errors = _errors_by_row(batch)
        assert [errors[row] for row in (3, 4, 5)] == ["", "", ""]
        assert "Kecamatan Tidak Ada" in errors[6]
        assert "baris 6 yang bermasalah" in errors[7]
        assert "sudah terdaftar" in errors[8]
        assert "Sama dengan baris 3" in errors[9]
        assert "bukan jenis perangkat daerah" in errors[10]
        import_confirm(batch=batch, mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
        dispora = Unit.objects.get(region=world.region, short_name="Dispora")
        assert Unit.objects.get(name="UPTD Gelanggang Olahraga").parent == dispora
        assert Unit.objects.get(name="Puskesmas Pembantu Way Mengaku").parent == world.sibling_unit
        assert not Unit.objects.filter(name__in=["Pekon Sebarus", "SD Negeri 2 Sebarus", "Kantor Arsip"]).exists()

    def test_an_exported_tree_imports_into_another_region(self, world, admin, client):
        UnitFactory(region=world.region, parent=world.unit, name="UPTD Radio Siaran", kind=Unit.Kind.TECHNICAL_UNIT)
        client.force_login(admin)
        exported = client.get(reverse("organisation:unit-export")).content
        upload = SimpleUploadedFile("ekspor.xlsx", exported)
        batch = import_start(kind="units", region=world.other_region, actor=world.other_admin, uploaded=upload)
        batch.refresh_from_db()
        assert batch.error_count == 0, batch.rows
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=world.other_admin)
        copied = Unit.objects.get(region=world.other_region, name="UPTD Radio Siaran")
        assert copied.parent.name == world.unit.name


class TestImportPages:
    def test_upload_preview_and_import_of_the_valid_rows(self, world, admin, client, messy_roster):
        client.force_login(admin)
        response = client.post(reverse("core:import-upload", args=["officials"]), {"file": messy_roster})
        batch = ImportBatch.objects.get()
        assert response.url == reverse("core:import-detail", args=[batch.pk])
        page = client.get(response.url).content.decode()
        assert "tersimpan sebagai angka" in page and "Impor hanya 2 baris valid" in page
        client.post(reverse("core:import-confirm", args=[batch.pk]), {"mode": "valid_only"})
        batch.refresh_from_db()
        assert batch.imported_count == 2

    def test_the_preview_does_not_query_per_row(self, world, admin, client):
        client.force_login(admin)
        counts = []
        for size in (3, 40):
            rows = [
                _official_row(n, make_nip(800 + n), f"P {n}", "Staf", "JF", "Diskominfo", "2024-01-02")
                for n in range(size)
            ]
            client.post(
                reverse("core:import-upload", args=["officials"]),
                {"file": sheet_upload(OFFICIAL_HEADERS, rows, text_columns={"NIP Baru"})},
            )
            batch = ImportBatch.objects.order_by("-pk").first()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("core:import-detail", args=[batch.pk])).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]

    def test_a_verifier_cannot_import(self, world, client, messy_roster):
        client.force_login(world.user(Role.VERIFIER))
        assert client.post(reverse("core:import-upload", args=["officials"]), {"file": messy_roster}).status_code == 403

    def test_the_template_download_names_the_columns(self, world, admin, client):
        from io import BytesIO

        from openpyxl import load_workbook

        client.force_login(admin)
        response = client.get(reverse("core:import-template", args=["officials"]))
        sheet = load_workbook(BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]][:3] == ["NIP", "Nama", "Jabatan"]
        assert sheet.title == "Pejabat-ASN"


class TestRosterReimport:
    """The roster exported again after a rotation updates the dated history, never rewrites it."""

    @pytest.fixture
    def kabid(self, world):
        official = OfficialFactory(region=world.region, name="Yusuf Effendi, S.Kom.", nip=make_nip(801))
        AssignmentFactory(
            official=official, unit=world.unit, position="Kepala Bidang Aplikasi Informatika",
            echelon=Echelon.III_B, start_date=dt.date(2022, 1, 3),
        )  # fmt: skip
        return official

    def _preview(self, world, admin, *rows):
        upload = sheet_upload(OFFICIAL_HEADERS, list(rows), text_columns={"NIP Baru"})
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
        batch.refresh_from_db()
        return batch

    def test_a_new_position_is_a_rotation_and_both_stay_answerable_by_date(self, world, admin, kabid):
        batch = self._preview(
            world, admin,
            _official_row(1, kabid.nip, "Drs. YUSUF  EFFENDI, S.Kom., M.M.", "Sekretaris Dinas Kesehatan", "III.a",
                          "Dinkes", "05-01-2026"),
            _official_row(2, make_nip(802), "Rina Marlina", "Kepala Seksi", "IV.a", "Dinkes", "05-01-2026"),
        )  # fmt: skip
        assert batch.error_count == 0
        outcomes = [row["outcome"] for row in batch.rows]
        assert outcomes == [
            "Mutasi: Kepala Bidang Aplikasi Informatika menjadi Sekretaris Dinas Kesehatan mulai 05-01-2026.",
            "",
        ]
        # The rotation changes the official's record: shown old -> new, and made only when accepted.
        assert batch.change_count == 1
        assert batch.rows[0]["changes"][0] == {
            "field": "Jabatan",
            "old": "Kepala Bidang Aplikasi Informatika, Dinas Komunikasi dan Informatika",
            "new": "Sekretaris Dinas Kesehatan, Dinas Kesehatan (TMT 05-01-2026)",
        }
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin, options={"apply_changes": True})
        batch.refresh_from_db()
        assert (batch.status, batch.imported_count) == (ImportBatch.Status.DONE, 2)
        before, after = kabid.assignments.order_by("start_date")
        assert (before.unit, before.end_date) == (world.unit, dt.date(2026, 1, 4))
        assert (after.unit, after.position, after.echelon, after.end_date) == (
            world.sibling_unit, "Sekretaris Dinas Kesehatan", Echelon.III_A, None,
        )  # fmt: skip
        assert kabid.assignments.on(dt.date(2025, 12, 31)).get() == before
        assert kabid.assignments.on(dt.date(2026, 1, 5)).get() == after
        kabid.refresh_from_db()
        assert kabid.name == "Yusuf Effendi, S.Kom."  # the registered name is kept
        assert Official.objects.get(nip=make_nip(802)).assignments.get().unit == world.sibling_unit

    def test_the_pages_say_what_a_second_upload_does(self, world, admin, kabid, client):
        client.force_login(admin)
        upload_page = client.get(reverse("core:import-upload", args=["officials"])).content.decode()
        assert "boleh diunggah lagi sesudah mutasi" in upload_page
        assert "Impor Pejabat/ASN dari Excel atau CSV" in upload_page  # the roster also comes as CSV
        batch = self._preview(
            world, admin,
            _official_row(1, kabid.nip, "Yusuf Effendi", "Camat Balik Bukit", "III.a", "Dinkes", "05-01-2026"),
        )  # fmt: skip
        preview = client.get(reverse("core:import-detail", args=[batch.pk])).content.decode()
        assert "Mutasi: Kepala Bidang Aplikasi Informatika menjadi Camat Balik Bukit mulai 05-01-2026." in preview

    def test_a_position_already_on_record_changes_nothing(self, world, admin, kabid):
        batch = self._preview(
            world, admin,
            _official_row(1, kabid.nip, "Yusuf Effendi", "kepala bidang aplikasi informatika", "3b", "Diskominfo",
                          "01-06-2024"),
        )  # fmt: skip
        assert batch.rows[0]["outcome"] == "Tidak berubah: jabatan ini sudah tercatat."
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
        assert kabid.assignments.count() == 1 and kabid.assignments.get().end_date is None

    def test_an_acting_post_is_added_beside_the_definitive_one(self, world, admin, kabid):
        row = _official_row(
            1, kabid.nip, "Yusuf Effendi", "Plt. Kepala Dinas Kominfo", "II.b", "Diskominfo", "02-02-2026"
        )
        upload = sheet_upload([*OFFICIAL_HEADERS, "Plt"], [[*row, "Plt"]], text_columns={"NIP Baru"})
        batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
        batch.refresh_from_db()
        assert batch.rows[0]["outcome"] == "Tambah jabatan Plt mulai 02-02-2026."
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
        held = kabid.assignments.on(dt.date(2026, 2, 2))
        assert sorted(held.values_list("is_acting", flat=True)) == [False, True]

    def test_a_date_not_after_the_latest_position_is_refused(self, world, admin, kabid):
        batch = self._preview(
            world, admin,
            _official_row(1, kabid.nip, "Yusuf Effendi", "Kepala Seksi", "IV.a", "Diskominfo", "03-01-2022"),
        )  # fmt: skip
        assert (
            "tidak sesudah jabatan terakhir yang tercatat (Kepala Bidang Aplikasi Informatika, TMT 03-01-2022)"
            in (_errors_by_row(batch)[2])
        )

    def test_another_name_under_a_registered_nip_is_refused(self, world, admin, kabid):
        batch = self._preview(
            world, admin,
            _official_row(1, kabid.nip, "Yusuf Efendi Putra", "Kepala Seksi", "IV.a", "Diskominfo", "05-01-2026"),
        )  # fmt: skip
        assert "terdaftar atas nama Yusuf Effendi, S.Kom., bukan Yusuf Efendi Putra" in _errors_by_row(batch)[2]

    def test_a_retired_official_returning_gets_a_new_position_without_a_rotation(self, world, admin, kabid):
        kabid.assignments.update(end_date=dt.date(2024, 12, 31))
        batch = self._preview(
            world, admin,
            _official_row(1, kabid.nip, "Yusuf Effendi", "Staf Ahli Bupati", "II.b", "Diskominfo", "01-03-2025"),
        )  # fmt: skip
        assert batch.rows[0]["outcome"] == "Jabatan baru mulai 01-03-2025."
        import_confirm(batch=batch, mode=ImportBatch.Mode.ALL, actor=admin)
        assert kabid.assignments.count() == 2
        assert kabid.assignments.get(start_date=dt.date(2022, 1, 3)).end_date == dt.date(2024, 12, 31)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Drs. H. AHMAD  Saputra, M.M.", "Ahmad Saputra", True), ("dr. Rina Marlina, Sp.A.", "RINA MARLINA", True),
        ("Hj. Siti Aminah, S.E.", "Siti Aminah, S.E., M.Si.", True), ("Ahmad Saputra", "Ahmad Saputro", False),
        ("Ir. Bambang", "Bambang Wijaya", False),
    ],
)  # fmt: skip
def test_names_compare_without_titles_degrees_case_or_spacing(a, b, same):
    assert (comparable_name(a) == comparable_name(b)) is same
