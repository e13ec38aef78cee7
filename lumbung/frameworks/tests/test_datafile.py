"""The shipped data files, the checks every file (and every edited year) must pass, the loader,
and the levels derived from measured numbers."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.frameworks import datafile, reference
from lumbung.frameworks.datafile import FrameworkDataError, canonical_thresholds, check, export, parse
from lumbung.frameworks.models import Framework, Indicator
from lumbung.frameworks.services import framework_import
from lumbung.frameworks.specs import spec_for
from lumbung.frameworks.thresholds import level_for_value

from .specs import spec_2026

D = Decimal
FILE_2026 = reference.DATA / "2026.json"
FILE_2023 = reference.DATA / "2023.json"


def data_2026():
    return parse(FILE_2026.read_text(encoding="utf-8"))


DATA_2026 = data_2026()


def row_of(data, code):
    return next(row for row in data["indicators"] if row["code"] == code)


@pytest.mark.parametrize("path", [FILE_2026, FILE_2023])
def test_the_shipped_files_pass_every_check(path):
    assert check(parse(path.read_text(encoding="utf-8"))) == []


def test_the_2026_file_is_complete():
    data = data_2026()
    rows = data["indicators"]
    region = [row for row in rows if row["aspect"] == "region"]
    innovation = [row for row in rows if row["aspect"] == "innovation"]
    assert [row["code"] for row in region] == [
        "1", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8", "9", "10a", "10b", "11a", "11b",
        "12", "13a", "13b", "14", "15",
    ]  # fmt: skip
    assert [row["code"] for row in innovation] == [str(n) for n in range(16, 36)]
    assert sum(D(str(row["weight"])) for row in region) == 21
    assert sum(D(str(row["weight"])) for row in innovation) == 37
    assert {row["number"] for row in region if row["mandatory"]} == {1, 3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert {row["code"] for row in innovation if row["mandatory"]} == {"16", "17", "32", "33", "35"}
    assert [basis["code"] for basis in row_of(data, "33")["bases"]] == list("abcdef")
    assert row_of(data, "35")["evidence"] == row_of(data, "35")["evidence"] | {"kinds": ["video"], "link": True}
    assert data["source"]["documents"]


def test_the_2023_file_marks_what_is_not_known():
    data = parse(FILE_2023.read_text(encoding="utf-8"))
    assert data["constants"]["min_divisor"] == 10
    assert [(band["name"], band["min_iid"]) for band in data["bands"]] == [
        ("Sangat Inovatif", D("60.01")), ("Inovatif", D("35.0")), ("Kurang Inovatif", D("0.01")),
    ]  # fmt: skip
    assert {"count_factor", "count_cap", "basic_services_required", "max_total"} <= set(data["unconfirmed"])
    assert "min_divisor" not in data["unconfirmed"]
    assert all("row" in row["unconfirmed"] for row in data["indicators"] if row["aspect"] == "region")


def test_the_loaded_2026_spec_is_the_published_one(frameworks):
    assert spec_for(frameworks[2026]) == spec_2026()


def test_the_loaded_framework_exports_back_to_its_file(frameworks):
    exported = export(frameworks[2026])
    original = data_2026()
    original.pop("examples")  # worked examples live in the file for the tests, not in the database
    for row in original["indicators"]:
        row["thresholds"] = canonical_thresholds(row["thresholds"])
        for basis in row.get("bases", []):
            basis["thresholds"] = canonical_thresholds(basis["thresholds"])
    assert exported == original
    assert check(exported) == []
    assert parse(datafile.dumps(exported)) == exported


def edited(change):
    data = data_2026()
    change(data)
    return check(data)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: row_of(d, "7").update(code="6"), "Baris 6: kode ganda."),
        (lambda d: row_of(d, "12")["levels"].pop(), "Baris 12: harus ada tepat tiga parameter"),
        (lambda d: row_of(d, "12")["levels"].__setitem__(0, " "), "Baris 12: harus ada tepat tiga parameter"),
        (lambda d: row_of(d, "9").update(weight=0), "Baris 9: bobot harus angka positif"),
        (lambda d: row_of(d, "9").update(weight=-1), "Baris 9: bobot harus angka positif"),
        (
            lambda d: row_of(d, "9").update(weight=2),
            "Skor SPD maksimum tertulis 63, tetapi 3 × jumlah bobot barisnya = 66",
        ),
        (lambda d: row_of(d, "16").update(weight=4), "Kematangan maksimum tertulis 111"),
        (lambda d: d["constants"].update(count_cap=100), "Skor total maksimum tertulis 250"),
        (lambda d: row_of(d, "5b").update(higher_is_better=True), "Baris 5b: ambang tingkat 1 dan 2 tidak berurutan"),
        (
            lambda d: row_of(d, "3")["thresholds"][2].update(min="-60"),
            "Baris 3: ambang tingkat 2 dan 3 tidak berurutan",
        ),
        (
            lambda d: row_of(d, "17")["thresholds"].pop(),
            "Baris 17: ambang harus ada tepat satu untuk tingkat 1, 2 dan 3",
        ),
        (lambda d: row_of(d, "17")["thresholds"][0].update(min="x"), "Baris 17: batas 'min' bukan angka"),
        (lambda d: row_of(d, "17")["thresholds"][0].update(min=20), "Baris 17: ambang tingkat 1: batas bawah melebihi"),
        (lambda d: row_of(d, "1")["thresholds"].append({"level": 1, "min": 1}), "Baris 1: baris pilihan tidak boleh"),
        (lambda d: row_of(d, "33").pop("bases"), "Baris 33: baris berdasar pengukuran memerlukan"),
        (lambda d: row_of(d, "33")["bases"][1].update(code="a"), "Baris 33: dasar a: kode harus satu huruf"),
        (lambda d: row_of(d, "33")["bases"][2]["thresholds"].pop(), "Baris 33: dasar c: ambang harus ada tepat"),
        (lambda d: row_of(d, "34").update(bases=[{"code": "a"}]), "Baris 34: dasar pengukuran hanya untuk baris"),
        (lambda d: row_of(d, "35")["evidence"].update(kinds=["exe"]), "Baris 35: jenis berkas eviden harus dari"),
        (lambda d: row_of(d, "35")["evidence"].update(years=["T-3"]), "Baris 35: tahun eviden harus dari"),
        (lambda d: row_of(d, "35").update(unconfirmed={"colour": "?"}), "Baris 35: 'unconfirmed' hanya boleh"),
        (lambda d: row_of(d, "35").update(aspect="pemda"), "Baris 35: aspek harus"),
        (lambda d: row_of(d, "35").update(number=36), "Baris 35: nomor indikator 36 tidak sesuai kode"),
        (
            lambda d: d["bands"].append({"name": "Inovatif", "min_iid": 50}),
            "Predikat Inovatif: nama atau IID minimum ganda",
        ),
        (lambda d: d["bands"].append({"name": "Tidak Dapat Dinilai", "min_iid": 0}), "Predikat harus bernama"),
        (lambda d: d["bands"][0].update(min_iid=D("65.015")), "IID minimum harus 0,01–100 dengan dua desimal"),
        (lambda d: d["constants"].update(min_divisor=0), "Konstanta min_divisor harus bilangan bulat ≥ 1"),
        (lambda d: d["constants"].update(basic_services_required=7), "Konstanta basic_services_required harus 0–6"),
        (lambda d: d["constants"].update(implementation_to="2023-12-31"), "Jendela penerapan terbalik"),
        (lambda d: d["constants"].pop("count_cap"), "Konstanta belum diisi: count_cap"),
        (lambda d: d["unconfirmed"].update(colour="?"), "Bagian 'unconfirmed' hanya boleh"),
        (lambda d: d.update(source={}), "Bagian 'source' wajib menyebut dokumen sumber"),
        (lambda d: d.update(year=1999), "Tahun harus bilangan bulat 2000–2100"),
        (lambda d: row_of(d, "7").update(name="x" * 256), "Baris 7: 'name' paling panjang 255 karakter."),
        (
            lambda d: row_of(d, "33")["bases"][0]["levels"].__setitem__(2, "y" * 121),
            "dasar a: 'level 3' paling panjang",
        ),
    ],
)
def test_each_problem_is_found_and_names_its_row(change, expected):
    problems = edited(change)
    assert any(expected in problem for problem in problems), problems


def test_malformed_json_says_where():
    with pytest.raises(FrameworkDataError, match="baris 2 kolom"):
        parse('{"year": 2026,\n "title": }')


# Loading ------------------------------------------------------------------------------------


def test_loading_twice_changes_nothing(frameworks):
    revision = frameworks[2026].revision
    history = Indicator.history.count()
    assert reference.load() == "2023 tidak berubah, 2024 tidak berubah, 2025 tidak berubah, 2026 tidak berubah"
    frameworks[2026].refresh_from_db()
    assert frameworks[2026].revision == revision
    assert Indicator.history.count() == history
    assert frameworks[2026].events.get().action == "loaded"


def test_a_changed_file_updates_only_what_changed(frameworks):
    data = data_2026()
    row_of(data, "28")["levels"][2] = "Selesai di hari yang sama"
    revision = frameworks[2026].revision
    history = Indicator.history.count()
    framework, outcome = framework_import(data=data, source_file="2026.json", checksum="lain")
    assert outcome == "updated"
    assert framework.indicators.get(code="28").level_3 == "Selesai di hari yang sama"
    assert Indicator.history.count() == history + 1
    assert Indicator.history.latest().history_change_reason == "Dimuat dari berkas 2026.json"
    assert framework.revision != revision


def test_a_row_the_file_drops_is_deleted(frameworks):
    data = data_2026()
    data["indicators"] = [row for row in data["indicators"] if row["code"] != "15"]
    data["constants"]["max_region_score"] = 60
    data["constants"]["max_total"] = 247
    framework, _outcome = framework_import(data=data, checksum="x")
    assert not framework.indicators.filter(code="15").exists()


def test_a_year_edited_in_the_app_is_not_overwritten(frameworks):
    Framework.objects.filter(year=2026).update(edited_in_app=True, title="Diubah admin")
    framework, outcome = framework_import(data=data_2026(), checksum="baru")
    assert outcome == "kept_edits"
    assert framework.title == "Diubah admin"


def test_an_invalid_file_is_refused_with_its_name(db, tmp_path, monkeypatch):
    data = json.loads(FILE_2026.read_text(encoding="utf-8"))
    data["indicators"][3]["weight"] = 0
    (tmp_path / "2026.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(reference, "DATA", tmp_path)
    with pytest.raises(CommandError) as raised:
        reference.load()
    assert "Berkas 2026.json tidak dapat dimuat" in str(raised.value)
    assert "Baris 3: bobot harus angka positif" in str(raised.value)
    assert not Framework.objects.exists()


# Levels from measured numbers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "value", "level"),
    [
        ("3", "-60", 1),
        ("3", "-50.32", 2),  # published overlap −50.33..−50.32: the better level
        ("3", "8.16", 2),
        ("3", "8.165", 3),  # published gap 8.16..8.17: read to two decimals
        ("3", "8.17", 3),
        ("4", "5.23", 3),
        ("5b", "6", 1),
        ("5b", "5.92", 2),
        ("5b", "2.35", 3),
        ("5b", "2.36", 2),
        ("17", "0", 0),
        ("17", "10", 1),
        ("17", "30", 2),
        ("17", "31", 3),
        ("28", "1", 3),
        ("28", "5.4", 2),
        ("28", "5.5", 1),
        ("29", "50.4", 1),
        ("29", "50.5", 2),
        ("32", "4", 3),
        ("32", "9", 1),
    ],
)
def test_the_level_of_a_measured_row(code, value, level):
    assert level_for_value(canonical_thresholds(row_of(DATA_2026, code)["thresholds"]), D(value)) == level


@pytest.mark.parametrize(
    ("basis", "value", "level"),
    [("a", "0", 0), ("a", "200", 1), ("a", "501", 3), ("b", "4.99", 0), ("b", "50.00", 2), ("b", "50.01", 3),
     ("c", "30", 3), ("c", "35", 0), ("d", "9.995", 2), ("e", "201", 3), ("f", "3", 3)],
)  # fmt: skip
def test_the_level_of_a_benefit_basis(basis, value, level):
    found = next(item for item in row_of(DATA_2026, "33")["bases"] if item["code"] == basis)
    assert level_for_value(canonical_thresholds(found["thresholds"]), D(value)) == level


def test_stored_rows_and_bases_derive_their_level(frameworks):
    row_33 = frameworks[2026].indicators.get(code="33")
    assert frameworks[2026].indicators.get(code="5b").level_for(D("2.35")) == 3
    assert row_33.bases.get(code="b").level_for(D("50.01")) == 3
    assert row_33.level_for(D("500")) == 0  # row 33 is measured through its bases


MEASURED = [row for row in DATA_2026["indicators"] if row["thresholds"]]


@settings(max_examples=200, deadline=None)
@given(
    row=st.sampled_from(MEASURED),
    values=st.tuples(*[st.decimals(min_value=-200, max_value=1000, places=3)] * 2).map(sorted),
)
def test_levels_follow_the_measured_number(row, values):
    low, high = (level_for_value(canonical_thresholds(row["thresholds"]), value) for value in values)
    assert (low <= high) if row["higher_is_better"] else (low >= high), (row["code"], values)


def test_an_unreadable_number_has_no_level():
    assert level_for_value([{"level": 1, "min": "1"}], "banyak") == 0
    assert level_for_value([], "5") == 0


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 300) | st.decimals(-5, 300, places=2) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["level", "min", "x"]), inner, max_size=2)
    ),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), value=json_values)
def test_any_malformed_value_is_a_problem_never_a_crash(data, value):
    content = copy.deepcopy(DATA_2026)
    where = data.draw(st.sampled_from(["top", "constants", "row", "evidence", "band", "basis", "threshold"]))
    if where == "top":
        target = content
    elif where == "constants":
        target = content["constants"]
    elif where == "band":
        target = data.draw(st.sampled_from(content["bands"]))
    elif where == "basis":
        target = data.draw(st.sampled_from(row_of(content, "33")["bases"]))
    else:
        row = data.draw(st.sampled_from(content["indicators"]))
        target = {"row": row, "evidence": row["evidence"], "threshold": (row["thresholds"] or [{}])[0]}[where]
    key = data.draw(st.sampled_from(sorted(target) or ["level"]))
    target[key] = value
    assert isinstance(check(content), list)


@pytest.mark.parametrize("name", ["max_region_score", "max_maturity", "max_total"])
@pytest.mark.parametrize("value", [[0, 0], "enam puluh", None, -63])
def test_a_declared_maximum_that_is_not_a_positive_number_is_named(name, value):
    """Found by the property test above: a list as a maximum reached the totals check and crashed."""
    content = copy.deepcopy(DATA_2026)
    content["constants"][name] = value
    assert any(f"Konstanta {name} harus angka > 0" in problem for problem in check(content))


def test_a_dropped_row_already_used_in_an_assessment_stops_the_load(frameworks, monkeypatch):
    from django.db.models import ProtectedError

    def protected(self, *args, **kwargs):
        raise ProtectedError("dipakai", set())

    monkeypatch.setattr(Indicator, "delete", protected)
    data = data_2026()
    data["indicators"] = [row for row in data["indicators"] if row["code"] != "15"]
    data["constants"].update(max_region_score=60, max_total=247)
    data["title"] = "Judul baru"
    with pytest.raises(FrameworkDataError, match="15. Fasilitasi HAKI atas inovasi daerah tidak ada lagi di berkas"):
        framework_import(data=data, checksum="y")
    assert Framework.objects.get(year=2026).title == "Indeks Inovasi Daerah 2026"  # nothing half-saved
