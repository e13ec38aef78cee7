"""The JSON format of `manage.py iga_score`, for audits and integrations:

    {"framework": "2026",
     "spd": {"1": 3, "2a": 1, ...},                                        row code -> level 0..3
     "innovations": [{"id": "A-1", "urusan": ["pendidikan"], "levels": {"16": 3, ...}}]}

Reading checks the shape; the engine checks codes and levels. Every message names the item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .engine import IndexResult, InnovationInput, ScoreInputError


class ScoreFileError(ValueError):
    pass


@dataclass(frozen=True)
class ScoreRequest:
    framework: str
    spd: dict
    innovations: list[InnovationInput]
    # innovation id -> its position in the file, to name it in messages ("innovations[2]")
    positions: dict[str, int]


def read(text: str) -> ScoreRequest:
    try:
        payload = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise ScoreFileError(
            _("JSON tidak sah pada baris %(line)s kolom %(col)s: %(msg)s")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from None
    if not isinstance(payload, dict):
        raise ScoreFileError(_("Masukan harus berupa objek JSON dengan 'framework', 'spd' dan 'innovations'."))
    framework = payload.get("framework")
    if isinstance(framework, bool) or not isinstance(framework, str | int) or str(framework).strip() == "":
        raise ScoreFileError(_("'framework' wajib diisi dengan tahun metodologi, mis. \"2026\"."))
    spd = payload.get("spd", {})
    if not isinstance(spd, dict):
        raise ScoreFileError(_("'spd' harus berupa objek kode baris -> tingkat."))
    items = payload.get("innovations", [])
    if not isinstance(items, list):
        raise ScoreFileError(_("'innovations' harus berupa daftar."))
    innovations, positions = [], {}
    for index, item in enumerate(items):
        innovation = _innovation(item, index)
        positions.setdefault(innovation.id, index)
        innovations.append(innovation)
    return ScoreRequest(str(framework).strip(), spd, innovations, positions)


def _innovation(item, index: int) -> InnovationInput:
    where = f"innovations[{index}]"
    if not isinstance(item, dict):
        raise ScoreFileError(_("%(where)s harus berupa objek.") % {"where": where})
    identifier = item.get("id")
    if isinstance(identifier, bool) or not isinstance(identifier, str | int) or str(identifier).strip() == "":
        raise ScoreFileError(_("%(where)s: 'id' wajib diisi.") % {"where": where})
    affairs = item.get("urusan", [])
    if not isinstance(affairs, list) or not all(isinstance(code, str) for code in affairs):
        raise ScoreFileError(_("%(where)s: 'urusan' harus daftar kode urusan.") % {"where": where})
    levels = item.get("levels", {})
    if not isinstance(levels, dict):
        raise ScoreFileError(_("%(where)s: 'levels' harus objek kode baris -> tingkat.") % {"where": where})
    return InnovationInput(str(identifier).strip(), frozenset(affairs), levels)


def describe(error: ScoreInputError, request: ScoreRequest, year) -> str:
    """The engine's complaint as a sentence naming the offending item."""
    if error.where == "spd":
        where = "spd"
    else:
        where = f'innovations[{request.positions.get(error.where, "?")}] (id "{error.where}")'
    values = {"where": where, "code": error.code, "level": json.dumps(error.level, default=str), "year": year}
    messages = {
        ScoreInputError.UNKNOWN_ROW: _('%(where)s: kode baris "%(code)s" tidak dikenal pada metodologi %(year)s.'),
        ScoreInputError.WRONG_ASPECT: _(
            '%(where)s: baris "%(code)s" bukan milik bagian ini (baris 1–15 untuk spd, 16–35 untuk inovasi).'
        ),
        ScoreInputError.LEVEL_OUT_OF_RANGE: _(
            '%(where)s: tingkat baris "%(code)s" harus bilangan bulat 0–3 (tertulis: %(level)s).'
        ),
        ScoreInputError.DUPLICATE_ID: _("%(where)s: id yang sama dipakai lebih dari sekali."),
    }
    return messages[error.problem] % values


def output(year, result: IndexResult) -> dict:
    return {
        "framework": str(year),
        "spd_score": float(result.spd_score),
        "innovation_count": result.innovation_count,
        "divisor": result.divisor,
        "sid_average": float(result.sid_average),
        "basic_services_covered": result.basic_services_covered,
        "basic_services_missing": list(result.basic_services_missing),
        "count_score": float(result.count_score),
        "total": float(result.total),
        "iid": float(result.iid),
        "predicate": result.predicate,
        "innovations": [{"id": key, "maturity": float(value)} for key, value in result.maturities.items()],
    }
