"""`manage.py iga_score FILE`: JSON in, JSON out, and a non-zero exit naming the offending item."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .specs import SID_CODES, SPD_CODES

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
        ({"framework": "2030"}, 'Metodologi "2030" tidak dikenal. Yang tersedia: 2023, 2026.'),
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
