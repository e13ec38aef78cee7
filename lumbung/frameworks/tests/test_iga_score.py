"""`manage.py iga_score FILE`: JSON in, JSON out, and a non-zero exit naming the offending item."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.frameworks import filespec
from lumbung.frameworks.engine import InnovationInput, compute
from lumbung.frameworks.specs import spec_for

from .specs import SID_CODES, SPD_CODES

ROOT = Path(__file__).resolve().parents[3]

BASIC = ["pendidikan", "kesehatan", "pupr", "perumahan", "trantibum", "sosial"]
SPD_40 = {code: 2 for code in SPD_CODES} | {"2a": 1, "2b": 1}
MATURITY_70 = {code: 2 for code in SID_CODES} | {"20": 1, "22": 1, "23": 1, "24": 1}


def payload(count=20, **changes):
    data = {
        "framework": "2026",
        "spd": SPD_40,
        "innovations": [{"id": f"A-{i + 1}", "urusan": [BASIC[i % 6]], "levels": MATURITY_70} for i in range(count)],
    }
    return data | changes


def run(tmp_path, content, *, stdin=False, monkeypatch=None):
    text = content if isinstance(content, str) else json.dumps(content)
    out = io.StringIO()
    if stdin:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
        call_command("iga_score", "-", stdout=out)
    else:
        path = tmp_path / "masukan.json"
        path.write_text(text, encoding="utf-8")
        call_command("iga_score", str(path), stdout=out)
    return json.loads(out.getvalue())


def test_it_scores_the_worked_example(frameworks, tmp_path):
    result = run(tmp_path, payload())
    expected = {
        "framework": "2026",
        "spd_score": 40.0,
        "innovation_count": 20,
        "divisor": 20,
        "sid_average": 70.0,
        "basic_services_covered": 6,
        "count_score": 7.6,
        "total": 117.6,
        "iid": 47.04,
        "predicate": "Inovatif",
    }
    assert {key: result[key] for key in expected} == expected
    assert result["innovations"][0] == {"id": "A-1", "maturity": 70.0}
    assert len(result["innovations"]) == 20


def test_it_reads_standard_input(frameworks, tmp_path, monkeypatch):
    result = run(tmp_path, payload(8), stdin=True, monkeypatch=monkeypatch)
    assert (result["iid"], result["predicate"], result["divisor"]) == (35.88, "Kurang Inovatif", 12)


def test_it_scores_with_the_2023_framework(frameworks, tmp_path):
    result = run(tmp_path, payload(8, framework=2023))
    # k = 10 in 2023: 560/10 = 56 average; bands 60.01 / 35.00.
    assert (result["divisor"], result["sid_average"], result["predicate"]) == (10, 56.0, "Inovatif")


def test_an_empty_assessment_cannot_be_assessed(frameworks, tmp_path):
    result = run(tmp_path, {"framework": "2026"})
    assert (result["iid"], result["predicate"], result["innovations"]) == (0.0, "Tidak Dapat Dinilai", [])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"framework": "2026", "spd": {"1": 3}', "JSON tidak sah pada baris 1"),
        ("[1, 2]", "objek JSON"),
        ({"spd": {}}, "'framework' wajib diisi"),
        ({"framework": "2030"}, 'Metodologi "2030" tidak dikenal. Yang tersedia: 2023, '),
        ({"framework": "dua ribu"}, 'Metodologi "dua ribu" tidak dikenal'),
        ({"framework": "2026", "spd": {"99": 1}}, 'spd: kode baris "99" tidak dikenal pada metodologi 2026'),
        ({"framework": "2026", "spd": {"16": 1}}, 'spd: baris "16" bukan milik bagian ini'),
        ({"framework": "2026", "spd": {"1": 4}}, 'spd: tingkat baris "1" harus bilangan bulat 0–3 (tertulis: 4)'),
        ({"framework": "2026", "spd": {"1": -1}}, "(tertulis: -1)"),
        ({"framework": "2026", "spd": {"1": 2.5}}, '(tertulis: "2.5")'),
        ({"framework": "2026", "spd": []}, "'spd' harus berupa objek"),
        ({"framework": "2026", "innovations": {}}, "'innovations' harus berupa daftar"),
        ({"framework": "2026", "innovations": [{"levels": {}}]}, "innovations[0]: 'id' wajib diisi"),
        ({"framework": "2026", "innovations": [{"id": "X", "urusan": "sosial"}]}, "innovations[0]: 'urusan'"),
        (
            {"framework": "2026", "innovations": [{"id": "A"}, {"id": "B", "levels": {"36": 1}}]},
            'innovations[1] (id "B"): kode baris "36" tidak dikenal',
        ),
        (
            {"framework": "2026", "innovations": [{"id": "B", "levels": {"17": 9}}]},
            'innovations[0] (id "B"): tingkat baris "17" harus bilangan bulat 0–3 (tertulis: 9)',
        ),
        (
            {"framework": "2026", "innovations": [{"id": "B", "levels": {"5a": 1}}]},
            'innovations[0] (id "B"): baris "5a" bukan milik bagian ini',
        ),
        ({"framework": "2026", "innovations": [{"id": "A"}, {"id": "A"}]}, 'innovations[0] (id "A"): id yang sama'),
    ],
)
def test_bad_input_exits_non_zero_naming_the_item(frameworks, tmp_path, content, message):
    with pytest.raises(CommandError) as raised:
        run(tmp_path, content)
    assert message in str(raised.value)


def test_a_missing_file_is_named(frameworks, tmp_path):
    with pytest.raises(CommandError, match="tidak-ada.json"):
        call_command("iga_score", str(tmp_path / "tidak-ada.json"))


def test_the_process_exit_code_is_non_zero(frameworks, tmp_path):
    path = tmp_path / "salah.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(SystemExit) as raised:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "iga_score", str(path)]).execute()
    assert raised.value.code == 1


# Standalone: the shipped files, no database ----------------------------------------------------


def run_process(tmp_path, content, settings_module="lumbung.frameworks.tests.nodb_settings"):
    path = tmp_path / "masukan.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    env = os.environ | {"DJANGO_SETTINGS_MODULE": settings_module}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "iga_score", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_it_runs_without_a_database_and_gives_the_apps_numbers(frameworks, tmp_path):
    data = payload(9)
    data["innovations"][0]["urusan"] = ["Pekerjaan Umum dan Penataan Ruang"]  # a name, as the app shows it
    done = run_process(tmp_path, data)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # The same file scored by the app's engine on the framework the database holds.
    app = compute(
        spec_for(frameworks[2026]),
        SPD_40,
        [InnovationInput(f"A-{i + 1}", frozenset([BASIC[i % 6]]), MATURITY_70) for i in range(9)] + [],
    )
    assert result["innovations"][0] == {"id": "A-1", "maturity": 70.0}
    assert (result["iid"], result["total"], result["predicate"]) == (float(app.iid), float(app.total), app.predicate)
    assert result["framework_status"] == "in force"


def test_the_dummy_database_really_refuses_queries(tmp_path):
    """The no-database test above proves something only if a query there would fail."""
    code = "import django; django.setup(); from lumbung.frameworks.models import Framework; Framework.objects.count()"
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "lumbung.frameworks.tests.nodb_settings"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr


def test_refusals_in_a_process_are_one_line_without_traceback(tmp_path):
    cases = [
        ("[" * 100_000 + "]" * 100_000, "bersarang terlalu dalam"),
        ('{"framework": "2026", "spd": {"1": ' + "9" * 4300 + "}}", "Angka terlalu panjang (4300 karakter"),
        (
            {"framework": "2026", "spd": {}, "inovations": []},
            'kunci tidak dikenal "inovations" (maksudnya "innovations"?)',
        ),
    ]
    for content, message in cases:
        done = run_process(tmp_path, content)
        assert done.returncode == 1
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    path = tmp_path / "besar.json"
    with path.open("wb") as handle:
        handle.truncate(275 * 1024 * 1024)  # sparse: the size of the file, no disk used
    with pytest.raises(CommandError, match="Berkas terlalu besar: lebih dari 5 MB"):
        call_command("iga_score", str(path))


def test_a_file_just_under_the_limit_is_read(tmp_path):
    text = json.dumps({"framework": "2026"})
    padded = text[:-1] + " " * (5 * 1024 * 1024 - len(text)) + "}"
    assert len(padded.encode()) == 5 * 1024 * 1024
    assert run(tmp_path, padded)["iid"] == 0.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"framework": "2026", "innovation": []}, 'kunci tidak dikenal "innovation" (maksudnya "innovations"?)'),
        ({"framework": "2026", "SPD": {}}, 'kunci tidak dikenal "SPD"'),
        (
            {"framework": "2026", "innovations": [{"id": "A", "level": {}}]},
            'innovations[0]: kunci tidak dikenal "level"',
        ),
        (
            {"framework": "2026", "innovations": [{"id": "A", "urusan": ["Pendidkan"]}]},
            '"Pendidkan" (maksudnya "pendidikan"?)',
        ),
        ({"framework": "2026", "innovations": [{"id": "A", "urusan": ["sains"]}]}, 'urusan tidak dikenal: "sains"'),
        ('{"framework": "2026", "spd": {"1": NaN}}', "NaN tidak diterima"),
        ('{"framework": "2026", "spd": {"1": 1' + "0" * 60 + "}}", "Angka terlalu panjang (61 karakter"),
        ('{"a": ' * 17 + "1" + "}" * 17, "lebih dari 16 tingkat"),
    ],
)
def test_strict_refusals(frameworks, tmp_path, content, message):
    with pytest.raises(CommandError) as raised:
        run(tmp_path, content)
    assert message in str(raised.value)


def test_a_bracket_inside_a_string_is_not_nesting(tmp_path):
    text = json.dumps({"framework": "2026", "innovations": [{"id": "[" * 40 + '"{' * 10}]})
    assert run(tmp_path, text)["innovation_count"] == 1


@pytest.mark.parametrize(
    "written", ["pendidikan", "Pendidikan", "PENDIDIKAN", " pendidikan ", "Pekerjaan umum dan  penataan RUANG"]
)
def test_affair_names_and_codes_in_any_case_are_accepted(tmp_path, written):
    data = {"framework": "2026", "innovations": [{"id": "A", "urusan": [written]}]}
    assert run(tmp_path, data)["basic_services_covered"] == 1


def test_it_reports_the_status_and_the_unconfirmed_numbers_it_used(tmp_path):
    result = run(tmp_path, {"framework": "2023", "spd": {"1": 2}, "innovations": [{"id": "A", "levels": {"16": 1}}]})
    assert result["framework_status"] == "archived"
    items = [item["item"] for item in result["unconfirmed"]]
    # 2023: the count constants are unconfirmed; SPD row 1 is a copy of 2026 (marked "row").
    assert {"count_factor", "count_cap", "basic_services_required", "max_total", "1.row"} <= set(items)
    assert "2a.row" not in items  # not used: no level given
    result = run(tmp_path, {"framework": "2026", "spd": {"1": 0}})
    assert result["unconfirmed"] == []
    assert result["framework_status"] == "in force"


@pytest.mark.parametrize("year", filespec.available_years())
def test_the_file_spec_equals_the_loaded_frameworks_spec(frameworks, year):
    assert filespec.framework_from_file(year).spec == spec_for(frameworks[year])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    spd=st.dictionaries(st.sampled_from(SPD_CODES), st.integers(0, 3)),
    rows=st.lists(
        st.tuples(st.dictionaries(st.sampled_from(SID_CODES), st.integers(0, 3)), st.sets(st.sampled_from(BASIC))),
        max_size=15,
    ),
    year=st.sampled_from(filespec.available_years()),
)
def test_the_command_equals_the_app_engine(frameworks, tmp_path, spd, rows, year):
    innovations = [
        {"id": f"I{i}", "urusan": sorted(affairs), "levels": levels} for i, (levels, affairs) in enumerate(rows)
    ]
    result = run(tmp_path, {"framework": year, "spd": spd, "innovations": innovations})
    app = compute(
        spec_for(frameworks[year]),
        spd,
        [InnovationInput(f"I{i}", frozenset(affairs), levels) for i, (levels, affairs) in enumerate(rows)],
    )
    assert (result["iid"], result["total"], result["predicate"]) == (float(app.iid), float(app.total), app.predicate)
