"""The data-file form of a year's methodology (frameworks/data/<year>.json): reading, checking and
writing it. The same checks run on a file before it is loaded and on a framework edited in the
app (through `export`), so both obey one set of rules.

Numbers are read as exact Decimals. Every problem names the item it is about ("Baris 5b: ...").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lumbung.core.files import FILE_KINDS

from .engine import MAX_LEVEL, NOT_ASSESSABLE
from .inferences import inference_problems
from .thresholds import BOUND_KEYS, threshold_problems

FORMAT = 1
EVIDENCE_YEARS = ("T-0", "T-1", "T-2")
ASPECTS = ("region", "innovation")
MEASURES = ("choice", "basis", "percent", "number", "count", "days", "months")
STATUSES = ("draft", "active", "archived")
ROW_PARTS = ("row", "weight", "mandatory", "levels", "thresholds", "evidence")
CONSTANTS = (
    "min_divisor",
    "count_factor",
    "count_cap",
    "basic_services_required",
    "basic_service_affairs",
    "max_total",
    "implementation_from",
    "implementation_to",
    "max_entries_per_innovation",
)
CODE = re.compile(r"^(\d{1,2})([a-z]?)$")


class FrameworkDataError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse(text: str) -> dict:
    """The file's content as Python data, numbers as Decimals; malformed JSON says where."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise FrameworkDataError(
            [_("JSON tidak sah pada baris %(line)s kolom %(col)s: %(msg)s") % _position(error)]
        ) from None
    if not isinstance(data, dict):
        raise FrameworkDataError([_("Isi berkas harus berupa objek JSON.")])
    return data


def _position(error: json.JSONDecodeError) -> dict:
    return {"line": error.lineno, "col": error.colno, "msg": error.msg}


def decimal_of(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def canonical_thresholds(thresholds: list) -> list:
    """Bounds as exact decimal strings (JSON fields cannot hold Decimals)."""
    return [
        {key: (str(decimal_of(value)) if key in BOUND_KEYS and decimal_of(value) is not None else value)
         for key, value in band.items()}
        if isinstance(band, dict)
        else band
        for band in thresholds
    ]  # fmt: skip


def _int(value, minimum=0, maximum=None) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if value < minimum or (maximum is not None and value > maximum):
        return None
    return value


def date_of(value) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def check(data: dict) -> list[str]:
    """Every problem of a framework in data-file form; empty when it can be loaded."""
    problems = _check_head(data)
    constants = data.get("constants")
    if not isinstance(constants, dict):
        return [*problems, _("Bagian 'constants' wajib ada dan berupa objek.")]
    problems += _check_constants(constants, data.get("unconfirmed", {}))
    problems += _check_bands(data.get("bands"))
    problems += inference_problems(data.get("inferences", {}))
    rows = data.get("indicators")
    if not isinstance(rows, list) or not rows:
        return [*problems, _("Bagian 'indicators' wajib berisi daftar baris indikator.")]
    codes = set()
    for index, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.append(_("Indikator ke-%(n)s bukan objek.") % {"n": index})
            continue
        code = str(row.get("code", f"#{index}"))
        label = _("Baris %(code)s") % {"code": code}
        if code in codes:
            problems.append(_("%(row)s: kode ganda.") % {"row": label})
        codes.add(code)
        problems += [f"{label}: {problem}" for problem in _check_row(row)]
    if not problems:
        problems += _check_totals(constants, rows)
    return problems


def _check_head(data: dict) -> list[str]:
    problems = []
    if data.get("format", FORMAT) != FORMAT:
        problems.append(
            _("Format berkas %(format)s tidak dikenal (yang didukung: 1).") % {"format": data.get("format")}
        )
    if _int(data.get("year"), 2000, 2100) is None:
        problems.append(_("Tahun harus bilangan bulat 2000–2100 (tertulis: %(year)s).") % {"year": data.get("year")})
    if not str(data.get("title") or "").strip():
        problems.append(_("Judul wajib diisi."))
    problems += _too_long(data, {"title": 200})
    if data.get("status", "draft") not in STATUSES:
        problems.append(_("Status '%(status)s' tidak dikenal.") % {"status": data.get("status")})
    source = data.get("source")
    if not isinstance(source, dict) or not source.get("documents"):
        problems.append(_("Bagian 'source' wajib menyebut dokumen sumber ('documents')."))
    return problems


def _check_constants(constants: dict, unconfirmed) -> list[str]:
    problems = []
    missing = [name for name in (*CONSTANTS, "max_region_score", "max_maturity") if name not in constants]
    if missing:
        return [_("Konstanta belum diisi: %(names)s.") % {"names": ", ".join(missing)}]
    affairs = constants["basic_service_affairs"]
    rules = [
        (_int(constants["min_divisor"], 1), "min_divisor", _("harus bilangan bulat ≥ 1")),
        (_positive(constants["count_factor"], allow_zero=True), "count_factor", _("harus angka ≥ 0")),
        (_int(constants["count_cap"], 0), "count_cap", _("harus bilangan bulat ≥ 0")),
        (_positive(constants["max_total"]), "max_total", _("harus angka > 0")),
        (_positive(constants["max_region_score"]), "max_region_score", _("harus angka > 0")),
        (_positive(constants["max_maturity"]), "max_maturity", _("harus angka > 0")),
        (_int(constants["max_entries_per_innovation"], 1), "max_entries_per_innovation", _("harus ≥ 1")),
    ]
    problems += [
        _("Konstanta %(name)s %(rule)s (tertulis: %(value)s).") % {"name": name, "rule": rule, "value": constants[name]}
        for value, name, rule in rules
        if value is None
    ]
    if not isinstance(affairs, list) or len(set(map(str, affairs))) != len(affairs) or not affairs:
        problems.append(_("Konstanta basic_service_affairs harus daftar kode urusan yang tidak berulang."))
    elif _int(constants["basic_services_required"], 0, len(affairs)) is None:
        problems.append(
            _("Konstanta basic_services_required harus 0–%(max)s (tertulis: %(value)s).")
            % {"max": len(affairs), "value": constants["basic_services_required"]}
        )
    start, end = constants["implementation_from"], constants["implementation_to"]
    for name, value in (("implementation_from", start), ("implementation_to", end)):
        if value not in (None, "") and date_of(value) is None:
            problems.append(
                _("Konstanta %(name)s bukan tanggal YYYY-MM-DD: %(value)s.") % {"name": name, "value": value}
            )
    if date_of(start) and date_of(end) and date_of(start) > date_of(end):
        problems.append(_("Jendela penerapan terbalik: %(start)s sesudah %(end)s.") % {"start": start, "end": end})
    if not isinstance(unconfirmed, dict) or set(unconfirmed) - {*CONSTANTS, "bands"}:
        problems.append(_("Bagian 'unconfirmed' hanya boleh menyebut nama konstanta atau 'bands' beserta alasannya."))
    return problems


def _positive(value, *, allow_zero=False) -> Decimal | None:
    number = decimal_of(value)
    if number is None or number < 0 or (number == 0 and not allow_zero):
        return None
    return number


def _check_bands(bands) -> list[str]:
    if not isinstance(bands, list) or not bands:
        return [_("Bagian 'bands' wajib berisi paling sedikit satu predikat.")]
    problems, names, minima = [], set(), set()
    for band in bands:
        name = str(band.get("name", "")).strip() if isinstance(band, dict) else ""
        minimum = decimal_of(band.get("min_iid")) if isinstance(band, dict) else None
        problems += _too_long({"name": name}, {"name": 40})
        if not name or name == NOT_ASSESSABLE:
            problems.append(
                _("Predikat harus bernama dan bukan '%(name)s' (berlaku otomatis untuk IID 0).")
                % {"name": NOT_ASSESSABLE}
            )
        if minimum is None or not Decimal("0") < minimum <= 100 or minimum != minimum.quantize(Decimal("0.01")):
            problems.append(_("Predikat %(name)s: IID minimum harus 0,01–100 dengan dua desimal.") % {"name": name})
        if name in names or minimum in minima:
            problems.append(_("Predikat %(name)s: nama atau IID minimum ganda.") % {"name": name})
        names.add(name)
        minima.add(minimum)
    return problems


def _check_row(row: dict) -> list[str]:
    problems = []
    match = CODE.match(str(row.get("code", "")))
    if not match:
        problems.append(_("kode harus angka dengan huruf kecil opsional, mis. 5a."))
    elif row.get("number") != int(match.group(1)):
        problems.append(_("nomor indikator %(number)s tidak sesuai kode.") % {"number": row.get("number")})
    if row.get("aspect") not in ASPECTS:
        problems.append(_("aspek harus 'region' (SPD) atau 'innovation' (SID)."))
    if not str(row.get("variable") or "").strip() or not str(row.get("name") or "").strip():
        problems.append(_("variabel dan nama indikator wajib diisi."))
    problems += _too_long(row, {"variable": 120, "name": 255})
    if _positive(row.get("weight")) is None:
        problems.append(_("bobot harus angka positif (tertulis: %(weight)s).") % {"weight": row.get("weight")})
    if not isinstance(row.get("mandatory"), bool):
        problems.append(_("'mandatory' harus true atau false."))
    if not isinstance(row.get("outcome", False), bool):
        problems.append(_("'outcome' harus true atau false."))
    problems += _levels_problems(row.get("levels"))
    problems += _measure_problems(row)
    problems += _evidence_problems(row.get("evidence"))
    unconfirmed = row.get("unconfirmed", {})
    if not isinstance(unconfirmed, dict) or set(unconfirmed) - set(ROW_PARTS):
        problems.append(_("'unconfirmed' hanya boleh menyebut: %(parts)s.") % {"parts": ", ".join(ROW_PARTS)})
    return problems


def _levels_problems(levels) -> list[str]:
    if not isinstance(levels, list) or len(levels) != MAX_LEVEL or not all(str(text).strip() for text in levels):
        return [_("harus ada tepat tiga parameter (tingkat 1, 2, 3) yang terisi.")]
    return []


def _measure_problems(row: dict) -> list[str]:
    measure, thresholds, bases = row.get("measure", "choice"), row.get("thresholds", []), row.get("bases")
    if measure not in MEASURES:
        return [_("ukuran '%(measure)s' tidak dikenal.") % {"measure": measure}]
    if measure in ("choice", "basis"):
        problems = [_("baris pilihan tidak boleh memiliki ambang.")] if thresholds else []
    else:
        problems = threshold_problems(thresholds, higher_is_better=row.get("higher_is_better", True) is not False)
    if measure == "basis":
        problems += _bases_problems(bases)
    elif bases:
        problems.append(_("dasar pengukuran hanya untuk baris dengan ukuran 'basis'."))
    return problems


def _bases_problems(bases) -> list[str]:
    if not isinstance(bases, list) or len(bases) < 2:
        return [_("baris berdasar pengukuran memerlukan paling sedikit dua dasar pengukuran.")]
    problems, codes = [], set()
    for basis in bases:
        if not isinstance(basis, dict):
            problems.append(_("setiap dasar pengukuran harus berupa objek."))
            continue
        code = str(basis.get("code"))
        prefix = _("dasar %(code)s") % {"code": code}
        if not re.fullmatch(r"[a-z]", str(code or "")) or code in codes:
            problems.append(_("%(basis)s: kode harus satu huruf kecil yang tidak berulang.") % {"basis": prefix})
        codes.add(code)
        if not str(basis.get("name") or "").strip():
            problems.append(_("%(basis)s: nama wajib diisi.") % {"basis": prefix})
        levels = basis.get("levels") if isinstance(basis.get("levels"), list) else []
        limits = {"name": 200, "unit": 40} | {f"level {n}": 120 for n in range(1, len(levels) + 1)}
        values = basis | {f"level {n}": text for n, text in enumerate(levels, start=1)}
        problems += [f"{prefix}: {problem}" for problem in _too_long(values, limits)]
        problems += [f"{prefix}: {problem}" for problem in _levels_problems(basis.get("levels"))]
        problems += [
            f"{prefix}: {problem}" for problem in threshold_problems(basis.get("thresholds"), higher_is_better=True)
        ]
    return problems


def _evidence_problems(evidence) -> list[str]:
    if not isinstance(evidence, dict):
        return [_("bagian 'evidence' wajib ada.")]
    problems = []
    kinds, years = evidence.get("kinds", []), evidence.get("years", [])
    if not _names(kinds) or set(kinds) - set(FILE_KINDS):
        problems.append(
            _("jenis berkas eviden harus dari: %(kinds)s (tertulis: %(value)s).")
            % {"kinds": ", ".join(FILE_KINDS), "value": kinds}
        )
    if not _names(years) or set(years) - set(EVIDENCE_YEARS):
        problems.append(_("tahun eviden harus dari T-0, T-1, T-2 (tertulis: %(value)s).") % {"value": years})
    if not isinstance(evidence.get("link", False), bool):
        problems.append(_("'link' pada eviden harus true atau false."))
    return problems


def _too_long(values: dict, limits: dict[str, int]) -> list[str]:
    """The database's column sizes, checked before anything is written."""
    return [
        _("'%(field)s' paling panjang %(max)s karakter.") % {"field": field, "max": limit}
        for field, limit in limits.items()
        if len(str(values.get(field) or "")) > limit
    ]


def _names(value) -> bool:
    """A non-empty list of strings."""
    return isinstance(value, list) and bool(value) and all(isinstance(item, str) for item in value)


def _check_totals(constants: dict, rows: list[dict]) -> list[str]:
    """The declared maxima must be what the weights give: 3 × Σ weights per aspect, and the total."""
    problems = []
    sums = {aspect: sum((decimal_of(r["weight"]) * MAX_LEVEL for r in rows if r["aspect"] == aspect), Decimal(0))
            for aspect in ASPECTS}  # fmt: skip
    declared = {"region": constants["max_region_score"], "innovation": constants["max_maturity"]}
    labels = {"region": _("Skor SPD maksimum"), "innovation": _("Kematangan maksimum")}
    for aspect in ASPECTS:
        if decimal_of(declared[aspect]) != sums[aspect]:
            problems.append(
                _("%(label)s tertulis %(declared)s, tetapi 3 × jumlah bobot barisnya = %(sum)s.")
                % {"label": labels[aspect], "declared": _number(declared[aspect]), "sum": _number(sums[aspect])}
            )
    count_max = decimal_of(constants["count_factor"]) * constants["count_cap"]
    expected = sums["region"] + sums["innovation"] + count_max
    if decimal_of(constants["max_total"]) != expected:
        problems.append(
            _("Skor total maksimum tertulis %(declared)s, tetapi SPD %(spd)s + kematangan %(sid)s + skor jumlah "
              "inovasi %(count)s = %(expected)s.")
            % {"declared": _number(constants["max_total"]), "spd": _number(sums["region"]),
               "sid": _number(sums["innovation"]), "count": _number(count_max), "expected": _number(expected)}
        )  # fmt: skip
    return problems


def _number(value) -> str:
    """An exact number without trailing zeros, written the way the active language writes it."""
    number = decimal_of(value)
    return number_format(number.normalize() if number is not None else value, use_l10n=True)


def export(framework) -> dict:
    """A framework from the database in data-file form (what `check` and the download read)."""
    rows = list(framework.indicators.order_by("order", "pk").prefetch_related("bases"))
    constants = {name: getattr(framework, name) for name in CONSTANTS}
    for name in ("implementation_from", "implementation_to"):
        constants[name] = constants[name].isoformat() if constants[name] else None
    constants["max_region_score"] = sum((r.weight * MAX_LEVEL for r in rows if r.aspect == "region"), Decimal(0))
    constants["max_maturity"] = sum((r.weight * MAX_LEVEL for r in rows if r.aspect == "innovation"), Decimal(0))
    return {
        "format": FORMAT,
        "year": framework.year,
        "title": framework.title,
        "status": framework.status,
        "legal_basis": framework.legal_basis,
        "notes": framework.notes,
        "source": framework.source,
        "constants": constants,
        "unconfirmed": framework.unconfirmed,
        "inferences": framework.inferences,
        "bands": [{"name": band.name, "min_iid": band.min_iid} for band in framework.bands.order_by("-min_iid")],
        "indicators": [_export_row(row) for row in rows],
    }


def _export_row(row) -> dict:
    data = {
        "code": row.code,
        "number": row.number,
        "aspect": row.aspect,
        "variable": row.variable,
        "name": row.name,
        "description": row.description,
        "weight": row.weight,
        "mandatory": row.is_mandatory,
        "levels": list(row.levels),
        "measure": row.measure,
        "higher_is_better": row.higher_is_better,
        "thresholds": row.thresholds,
        "evidence": {
            "rule": row.evidence_rule,
            "kinds": row.evidence_kinds,
            "link": row.evidence_allows_link,
            "years": row.evidence_years,
        },
        "unconfirmed": row.unconfirmed,
    }
    if row.is_outcome:  # written only when set, as in the shipped files
        data["outcome"] = True
    bases = list(row.bases.all())
    if bases:
        data["bases"] = [
            {
                "code": basis.code,
                "name": basis.name,
                "unit": basis.unit,
                "measure": basis.measure,
                "levels": list(basis.levels),
                "thresholds": basis.thresholds,
                "evidence_rule": basis.evidence_rule,
                "unconfirmed": basis.unconfirmed,
            }
            for basis in bases
        ]
    return data


def dumps(data: dict) -> str:
    """JSON text of a framework. Decimals become plain numbers: every value here has a few
    decimals, so the shortest float form reads back (parse_float=Decimal) as the same Decimal."""
    return json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n"


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
