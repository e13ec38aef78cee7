"""The JSON format of `manage.py iga_score`, for audits and integrations:

    {"framework": "2026",
     "spd": {"1": 3, "2a": 1, ...},                                        row code -> level 0..3
     "innovations": [{"id": "A-1", "urusan": ["pendidikan"], "levels": {"16": 3, ...}}]}

Reading checks the shape, refuses keys it does not know (a misspelt "innovations" would
otherwise score an SPD-only index), turns affair names into codes, and bounds the size, the
nesting and the length of numbers before the JSON parser sees them; the engine checks codes and
levels. Every message names the item.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .engine import IndexResult, InnovationInput, ScoreInputError

# Limits of a score file: far above any real region (500+ innovations of twenty rows is under
# 1 MB, nested four deep), far below what would exhaust memory or the parser's recursion.
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 16
MAX_NUMBER_CHARS = 40
TOP_KEYS = ("framework", "spd", "innovations")
INNOVATION_KEYS = ("id", "urusan", "levels")
# Strings (escapes included) and the brackets outside them; the depth is counted before parsing.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


class ScoreFileError(ValueError):
    pass


@dataclass(frozen=True)
class ScoreRequest:
    framework: str
    spd: dict
    innovations: list[InnovationInput]
    # innovation id -> its position in the file, to name it in messages ("innovations[2]")
    positions: dict[str, int]


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ScoreFileError(
            _("Berkas terlalu besar: lebih dari %(mb)s MB. Berkas skor satu daerah jauh lebih kecil; periksa isinya.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )


def _check_depth(text: str) -> None:
    depth = 0
    for match in _TOKENS.finditer(text):
        bracket = match.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ScoreFileError(
                    _("JSON bersarang terlalu dalam (lebih dari %(max)s tingkat); bentuk berkas skor hanya "
                      "empat tingkat.") % {"max": MAX_DEPTH}
                )  # fmt: skip
        elif bracket in "]}":
            depth -= 1


class _NumberTooLongError(Exception):
    def __init__(self, text: str):
        self.text = text


def _number(kind):
    def convert(text: str):
        if len(text) > MAX_NUMBER_CHARS:
            raise _NumberTooLongError(text)
        return kind(text)

    return convert


def _no_constant(name: str):
    raise ScoreFileError(_("Angka %(name)s tidak diterima; tulis tingkat 0–3.") % {"name": name})


def _parse(text: str):
    check_size(len(text.encode("utf-8")))
    _check_depth(text)
    try:
        return json.loads(text, parse_float=_number(Decimal), parse_int=_number(int), parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ScoreFileError(
            _("JSON tidak sah pada baris %(line)s kolom %(col)s: %(msg)s")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from None
    except _NumberTooLongError as error:
        raise ScoreFileError(
            _("Angka terlalu panjang (%(count)s karakter, paling banyak %(max)s): %(start)s…")
            % {"count": len(error.text), "max": MAX_NUMBER_CHARS, "start": error.text[:12]}
        ) from None
    except RecursionError:  # a safety net: the depth check above comes first
        raise ScoreFileError(_("JSON bersarang terlalu dalam.")) from None


def _unknown_keys(item: dict, allowed: tuple[str, ...], where: str) -> None:
    unknown = [key for key in item if key not in allowed]
    if not unknown:
        return
    hints = []
    for key in unknown:
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hints.append(f'"{key}"' + (_(' (maksudnya "%(key)s"?)') % {"key": close[0]} if close else ""))
    raise ScoreFileError(
        _("%(where)s: kunci tidak dikenal %(keys)s. Kunci yang dikenal: %(allowed)s.")
        % {"where": where, "keys": ", ".join(hints), "allowed": ", ".join(allowed)}
    )


def read(text: str, *, affairs: dict[str, str] | None = None) -> ScoreRequest:
    """The request in a score file. `affairs` maps lower-cased affair codes and names to codes;
    without it, affairs are taken as written."""
    payload = _parse(text)
    if not isinstance(payload, dict):
        raise ScoreFileError(_("Masukan harus berupa objek JSON dengan 'framework', 'spd' dan 'innovations'."))
    _unknown_keys(payload, TOP_KEYS, _("Masukan"))
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
        innovation = _innovation(item, index, affairs)
        positions.setdefault(innovation.id, index)
        innovations.append(innovation)
    return ScoreRequest(str(framework).strip(), spd, innovations, positions)


def _innovation(item, index: int, aliases: dict[str, str] | None) -> InnovationInput:
    where = f"innovations[{index}]"
    if not isinstance(item, dict):
        raise ScoreFileError(_("%(where)s harus berupa objek.") % {"where": where})
    _unknown_keys(item, INNOVATION_KEYS, where)
    identifier = item.get("id")
    if isinstance(identifier, bool) or not isinstance(identifier, str | int) or str(identifier).strip() == "":
        raise ScoreFileError(_("%(where)s: 'id' wajib diisi.") % {"where": where})
    affairs = item.get("urusan", [])
    if not isinstance(affairs, list) or not all(isinstance(code, str) for code in affairs):
        raise ScoreFileError(_("%(where)s: 'urusan' harus daftar kode urusan.") % {"where": where})
    if aliases is not None:
        affairs = _affair_codes(affairs, aliases, where)
    levels = item.get("levels", {})
    if not isinstance(levels, dict):
        raise ScoreFileError(_("%(where)s: 'levels' harus objek kode baris -> tingkat.") % {"where": where})
    return InnovationInput(str(identifier).strip(), frozenset(affairs), levels)


def _affair_codes(written: list[str], aliases: dict[str, str], where: str) -> list[str]:
    """Codes for affairs written as codes or as the names the app shows, in any letter case."""
    codes, unknown = [], []
    for text in written:
        code = aliases.get(" ".join(text.split()).casefold())
        if code is None:
            unknown.append(text)
        else:
            codes.append(code)
    if unknown:
        named = []
        for text in unknown:
            close = difflib.get_close_matches(text.casefold(), list(aliases), n=1, cutoff=0.75)
            named.append(f'"{text}"' + (_(' (maksudnya "%(key)s"?)') % {"key": aliases[close[0]]} if close else ""))
        raise ScoreFileError(
            _("%(where)s: urusan tidak dikenal: %(unknown)s. Tulis kode urusan (mis. pendidikan, pupr) atau "
              "namanya seperti di aplikasi (mis. Pekerjaan Umum dan Penataan Ruang).")
            % {"where": where, "unknown": ", ".join(named)}
        )  # fmt: skip
    return codes


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


def unconfirmed_used(framework, request: ScoreRequest) -> list[dict]:
    """The unconfirmed numbers this result depends on: the year's scoring constants and the
    weights of the rows the file gives a level above 0."""
    used = [{"item": name, "reason": reason} for name, reason in framework.unconfirmed_constants.items()]
    levels = [request.spd, *(innovation.levels for innovation in request.innovations)]
    codes = {code for rows in levels for code, level in rows.items() if level}
    for code, parts in framework.unconfirmed_rows.items():
        if code in codes:
            used += [{"item": f"{code}.{part}", "reason": reason} for part, reason in parts.items()]
    return used


def output(framework, result: IndexResult, request: ScoreRequest) -> dict:
    return {
        "framework": str(framework.year),
        "framework_status": framework.status_word,
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
        "unconfirmed": unconfirmed_used(framework, request),
    }
