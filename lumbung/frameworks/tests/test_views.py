"""The methodology pages: who reads, who edits, what bad input does, and query counts."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from lumbung.core.roles import Role
from lumbung.frameworks.datafile import check, parse
from lumbung.frameworks.models import Framework, Indicator

from .factories import FrameworkFactory, IndicatorFactory

D = Decimal


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(world):
    return client_for(world.user(Role.ADMIN))


@pytest.fixture
def national(world):
    return client_for(world.national_admin)


def url(name, *args):
    return reverse(f"frameworks:{name}", args=args)


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.ADMIN, 200), (Role.VERIFIER, 403), (Role.OPERATOR, 403), (Role.LEADER, 403), (Role.INNOVATOR, 403)],
)
def test_region_admins_read_the_methodology_and_others_do_not(world, frameworks, role, status):
    client = client_for(world.user(role))
    assert client.get(url("list")).status_code == status
    assert client.get(url("detail", 2026)).status_code == status


def test_the_year_page_shows_rows_levels_thresholds_and_unconfirmed_values(admin, national, frameworks):
    region_page = admin.get(url("detail", 2026)).content.decode()
    assert "belum terkonfirmasi" in region_page and "Efisiensi belanja" in region_page
    # The reasons and the sources are for the national admin (test_notes.py).
    assert "Aturan paling banyak dua kali keikutsertaan" not in region_page
    assert "prjctpy/simonda" not in region_page
    page = national.get(url("detail", 2026)).content.decode()
    assert "Kualitas peningkatan perizinan" in page
    assert "Ambang: −50,33% s.d. 8,16%" in page or "Ambang: -50,33% s.d. 8,16%" in page
    assert "Ambang: ≥ 8,17%" in page
    assert "65,01–100,00" in page
    assert "belum terkonfirmasi" in page
    assert "Aturan paling banyak dua kali keikutsertaan" in page  # the reason, not only the mark
    assert "Satu sumber hanya mencantumkan dua parameter" in page  # row 25
    assert "Efisiensi belanja" in page  # bases of row 33
    assert "prjctpy/simonda" in page  # the sources
    assert url("edit", 2026) not in region_page  # region admins read only


def test_national_admins_see_the_edit_actions(national, frameworks):
    page = national.get(url("detail", 2026)).content.decode()
    for name, args in (("edit", [2026]), ("bands-edit", [2026]), ("copy", [2026]), ("indicator-edit", [2026, "3"])):
        assert url(name, *args) in page


def test_an_unknown_year_or_row_is_not_found(national, frameworks):
    assert national.get(url("detail", 2019)).status_code == 404
    assert national.get(url("indicator-edit", 2026, "99")).status_code == 404
    assert national.get(reverse("frameworks:basis-edit", args=[2026, "33", "z"])).status_code == 404


@pytest.mark.parametrize("name", ["edit", "bands-edit", "copy"])
def test_region_admins_cannot_open_the_edit_pages(admin, frameworks, name):
    assert admin.get(url(name, 2026)).status_code == 403


def test_an_archived_year_cannot_be_edited(national, frameworks):
    assert national.get(url("edit", 2023)).status_code == 403
    assert national.get(url("indicator-edit", 2023, "16")).status_code == 403
    assert national.get(url("copy", 2023)).status_code == 200  # an archived year can still start a new one


def test_the_list_takes_the_same_queries_for_more_years(admin, frameworks, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        admin.get(url("list"))
    for _ in range(4):
        FrameworkFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin.get(url("list")).content.decode().count("<tr>") == 9


def test_the_year_page_takes_the_same_queries_for_more_rows(admin, db, django_assert_max_num_queries):
    framework = FrameworkFactory()
    with django_assert_max_num_queries(20) as few:
        admin.get(url("detail", framework.year))
    for code in range(18, 35):
        IndicatorFactory(framework=framework, code=str(code))
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin.get(url("detail", framework.year))


def test_the_download_is_a_valid_data_file(admin, frameworks):
    response = admin.get(url("download", 2026))
    assert response["Content-Disposition"] == 'attachment; filename="metodologi-2026.json"'
    data = parse(response.content.decode())
    assert check(data) == []
    assert json.loads(response.content)["constants"]["count_factor"] == 0.38


# Editing ------------------------------------------------------------------------------------


def indicator_post(row: Indicator, **changes):
    data = {
        "variable": row.variable,
        "name": row.name,
        "description": row.description,
        "weight": str(row.weight),
        "is_mandatory": "on" if row.is_mandatory else "",
        "level_1": row.level_1,
        "level_2": row.level_2,
        "level_3": row.level_3,
        "measure": row.measure,
        "higher_is_better": "on" if row.higher_is_better else "",
        "evidence_rule": row.evidence_rule,
        "evidence_kinds": row.evidence_kinds,
        "evidence_allows_link": "on" if row.evidence_allows_link else "",
        "evidence_years": row.evidence_years,
        "unconfirmed_parts": list(row.unconfirmed),
        "reason": "Lampiran II hlm. 7",
    }
    by_level = {band["level"]: band for band in row.thresholds}
    for level in (1, 2, 3):
        band = by_level.get(level, {})
        for side, keys in (("lower", ("min", "gt")), ("upper", ("max", "lt"))):
            key = next((k for k in keys if k in band), "")
            data[f"t{level}_{side}_op"], data[f"t{level}_{side}"] = key, band.get(key, "")
    return {key: value for key, value in (data | changes).items() if value != ""}


def test_a_row_is_edited_with_its_thresholds_and_the_history_shows_it(national, frameworks, world):
    row = frameworks[2026].indicators.get(code="3")
    response = national.post(url("indicator-edit", 2026, "3"), indicator_post(row, level_3="≥ 9,00%", t3_lower="9.00"))
    assert response.status_code == 302
    assert response["Location"].endswith("/metodologi/2026/#baris-3")
    row.refresh_from_db()
    assert row.level_3 == "≥ 9,00%"
    assert row.thresholds[2] == {"level": 3, "min": "9.00"}
    assert (row.level_for(D("9")), row.level_for(D("8.17"))) == (3, 0)  # the edit opened a gap
    history = national.get(url("history", 2026)).content.decode()
    assert "Lampiran II hlm. 7" in history
    assert world.national_admin.full_name in history


def test_bad_thresholds_are_explained_and_the_typed_values_kept(national, frameworks):
    row = frameworks[2026].indicators.get(code="3")
    response = national.post(
        url("indicator-edit", 2026, "3"), indicator_post(row, t3_lower="-60", level_2="Teks yang baru diketik")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ambang: ambang tingkat 2 dan 3 tidak berurutan" in page
    assert "Teks yang baru diketik" in page
    row.refresh_from_db()
    assert row.level_2 == "−50,33% s.d. 8,16%"


def test_a_choice_row_refuses_thresholds(national, frameworks):
    row = frameworks[2026].indicators.get(code="8")
    response = national.post(url("indicator-edit", 2026, "8"), indicator_post(row, t1_lower_op="min", t1_lower="1"))
    assert "kosongkan ambangnya" in response.content.decode()


def test_a_weight_change_that_breaks_a_year_in_force_is_refused(national, frameworks):
    row = frameworks[2026].indicators.get(code="12")
    response = national.post(url("indicator-edit", 2026, "12"), indicator_post(row, weight="3"))
    assert response.status_code == 200
    assert "Skor total maksimum tertulis 250" in response.content.decode()
    row.refresh_from_db()
    assert row.weight == D(2)


def test_newly_marked_unconfirmed_parts_need_a_reason(national, frameworks):
    row = frameworks[2026].indicators.get(code="16")
    post = indicator_post(row, unconfirmed_parts=["thresholds"])
    assert "Tuliskan mengapa" in national.post(url("indicator-edit", 2026, "16"), post).content.decode()
    post["unconfirmed_note"] = "Lampiran 2026 belum terbaca"
    assert national.post(url("indicator-edit", 2026, "16"), post).status_code == 302
    row.refresh_from_db()
    assert row.unconfirmed == {"thresholds": "Lampiran 2026 belum terbaca"}


def test_a_basis_is_edited(national, frameworks):
    basis = frameworks[2026].indicators.get(code="33").bases.get(code="c")
    post = {
        "name": basis.name, "unit": basis.unit, "measure": basis.measure, "level_1": basis.level_1,
        "level_2": basis.level_2, "level_3": "> 20,00%", "evidence_rule": basis.evidence_rule,
        "t1_lower_op": "min", "t1_lower": "0.01", "t1_upper_op": "max", "t1_upper": "10.00",
        "t2_lower_op": "min", "t2_lower": "10.01", "t2_upper_op": "max", "t2_upper": "20.00",
        "t3_lower_op": "gt", "t3_lower": "20.00", "reason": "Klarifikasi BSKDN",
    }  # fmt: skip
    assert national.post(reverse("frameworks:basis-edit", args=[2026, "33", "c"]), post).status_code == 302
    basis.refresh_from_db()
    assert (basis.level_for(D("35")), basis.unconfirmed) == (3, {})


def test_constants_are_edited_and_a_missing_reason_keeps_the_form(national, frameworks):
    framework = frameworks[2026]
    post = {
        "title": framework.title, "legal_basis": framework.legal_basis, "notes": framework.notes,
        "min_divisor": "12", "count_factor": "0.38", "count_cap": "200", "basic_services_required": "5",
        "basic_service_affairs": framework.basic_service_affairs, "max_total": "250",
        "implementation_from": "2024-01-01", "implementation_to": "2025-12-31", "max_entries_per_innovation": "2",
        "unconfirmed_parts": [],
    }  # fmt: skip
    response = national.post(url("edit", 2026), post | {"title": "Judul yang baru diketik"})
    assert response.status_code == 200
    assert "Judul yang baru diketik" in response.content.decode()
    assert national.post(url("edit", 2026), post | {"reason": "Konfirmasi surat BSKDN"}).status_code == 302
    framework.refresh_from_db()
    assert framework.unconfirmed == {}
    bad = post | {"reason": "x", "implementation_to": "2023-01-01", "basic_services_required": "7"}
    page = national.post(url("edit", 2026), bad).content.decode()
    assert "Tanggal akhir penerapan harus sesudah tanggal awal" in page
    assert "Tidak boleh lebih dari jumlah urusan yang dipilih (6)" in page


def test_bands_are_edited_and_duplicates_refused(national, frameworks):
    def post(*bands, reason="Lampiran I"):
        # As the page sends it: the three current bands, one blank extra row, "delete" boxes.
        data = {"predikat-TOTAL_FORMS": "4", "predikat-INITIAL_FORMS": "3", "reason": reason}
        for index, band in enumerate(bands):
            name, minimum, *delete = band
            data |= {f"predikat-{index}-name": name, f"predikat-{index}-min_iid": minimum}
            if delete:
                data[f"predikat-{index}-DELETE"] = "on"
        return national.post(url("bands-edit", 2026), data)

    page = post(("Sangat Inovatif", "65.01"), ("Inovatif", "65.01"), ("Kurang Inovatif", "0.01")).content.decode()
    assert "harus berbeda" in page
    assert post(("Sangat Inovatif", "70.01"), ("Inovatif", "45.01"), ("Kurang Inovatif", "0.01")).status_code == 302
    assert list(Framework.objects.get(year=2026).bands.values_list("min_iid", flat=True)) == [
        D("70.01"), D("45.01"), D("0.01"),
    ]  # fmt: skip
    response = post(("Sangat Inovatif", "70.01"), ("Inovatif", "45.01"), ("Kurang Inovatif", "0.01", "hapus"),
                    ("Cukup Inovatif", "20.01"))  # fmt: skip
    assert response.status_code == 302
    assert list(Framework.objects.get(year=2026).bands.values_list("name", flat=True)) == [
        "Sangat Inovatif", "Inovatif", "Cukup Inovatif",
    ]  # fmt: skip


def test_copying_a_year_starts_a_draft(national, frameworks):
    response = national.post(url("copy", 2026), {"year": "2027", "title": "Indeks Inovasi Daerah 2027"})
    assert response["Location"] == url("detail", 2027)
    page = national.get(url("detail", 2027)).content.decode()
    assert "Disalin dari metodologi 2026" in page
    assert "Draf" in page
    again = national.post(url("copy", 2026), {"year": "2027", "title": "x"})
    assert "Metodologi tahun 2027 sudah ada" in again.content.decode()


def test_the_lifecycle_buttons_work_and_refuse_an_inconsistent_draft(national, frameworks):
    national.post(url("copy", 2026), {"year": "2027", "title": "Indeks Inovasi Daerah 2027"})
    Framework.objects.filter(year=2027).update(max_total=D(300))
    response = national.post(url("transition", 2027), {"action": "activate"}, follow=True)
    assert "Tidak dapat dilakukan" in response.content.decode()
    assert Framework.objects.get(year=2027).status == Framework.Status.DRAFT
    Framework.objects.filter(year=2027).update(max_total=D(250))
    national.post(url("transition", 2027), {"action": "activate"})
    assert Framework.objects.get(year=2027).status == Framework.Status.ACTIVE
    response = national.post(url("transition", 2027), {"action": "archive"}, follow=True)
    assert "Catatan wajib diisi" in response.content.decode() or "Tidak dapat dilakukan" in response.content.decode()
    assert Framework.objects.get(year=2027).status == Framework.Status.ACTIVE
    assert national.get(url("transition", 2027)).status_code == 405


def test_the_year_page_speaks_english_on_request(admin, frameworks):
    admin.cookies["lumbung_language"] = "en"
    page = admin.get(url("detail", 2026)).content.decode()
    for text in ("Maximum total score", "Threshold:", "values are not yet confirmed", "Level 3 · score 3.00"):
        assert text in page


def test_the_national_admin_home_lists_the_years(national, frameworks):
    page = national.get(reverse("core:home")).content.decode()
    assert "Metodologi indeks" in page
    assert url("detail", 2026) in page


@pytest.mark.parametrize(
    ("checked_on", "shown"), [("2026-11-29", "Diperiksa pada 29 November 2026."), ("2026-13-40", None)]
)
def test_the_source_check_date_reads_as_a_date(national, world, checked_on, shown):
    framework = FrameworkFactory(source={"summary": "Uji", "checked_on": checked_on})
    page = national.get(url("detail", framework.year)).content.decode()
    assert (shown in page) if shown else ("Diperiksa pada" not in page and checked_on not in page)
