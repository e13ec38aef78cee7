"""Levels that follow from a measured number (growth %, head counts, days, months).

A row's thresholds are a list of ranges, one per level, copied as the ministry publishes them:

    [{"level": 1, "max": "-50.32"}, {"level": 2, "min": "-50.33", "max": "8.16"}, {"level": 3, "min": "8.17"}]

Bounds are inclusive ("min", "max") or strict ("gt", "lt"). Published ranges overlap at some
boundaries (2.34 to 5.92 next to ≤ 2.35) and leave gaps of one unit in the last published digit
(≤ 8.16 next to ≥ 8.17). Overlaps go to the better level; a value is first rounded half-up to the
number of decimals the ranges are published with, which closes the gaps the way a person reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

LOWER_KEYS = ("min", "gt")
UPPER_KEYS = ("max", "lt")
BOUND_KEYS = LOWER_KEYS + UPPER_KEYS


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def precision(thresholds: Iterable[Mapping]) -> int:
    """Decimal places the ranges are published with (0 for whole numbers)."""
    places = 0
    for band in thresholds:
        for key in BOUND_KEYS:
            number = _decimal(band.get(key)) if key in band else None
            if number is not None:
                places = max(places, -number.as_tuple().exponent)
    return places


def _inside(band: Mapping, value: Decimal) -> bool:
    checks = {
        "min": lambda bound: value >= bound,
        "gt": lambda bound: value > bound,
        "max": lambda bound: value <= bound,
        "lt": lambda bound: value < bound,
    }
    return all(checks[key](Decimal(str(band[key]))) for key in BOUND_KEYS if key in band)


def level_for_value(thresholds: list[Mapping], value, *, exact: bool = False) -> int:
    """The best level whose range holds `value` (rounded to the published precision, unless
    `exact`: the alternative reading of inferences.measured_rounding); 0 if none."""
    number = _decimal(value)
    if not thresholds or number is None:
        return 0
    if not exact:
        number = number.quantize(Decimal(1).scaleb(-precision(thresholds)), rounding=ROUND_HALF_UP)
    for band in sorted(thresholds, key=lambda band: band["level"], reverse=True):
        if _inside(band, number):
            return band["level"]
    return 0


def _bounds(band: Mapping) -> tuple[Decimal | None, Decimal | None]:
    lower = next((_decimal(band[key]) for key in LOWER_KEYS if key in band), None)
    upper = next((_decimal(band[key]) for key in UPPER_KEYS if key in band), None)
    return lower, upper


def _band_problems(band) -> list[str]:
    if not isinstance(band, Mapping):
        return [_("setiap ambang harus berupa objek dengan 'level' dan batas")]
    problems = []
    level = band.get("level")
    if isinstance(level, bool) or level not in (1, 2, 3):
        problems.append(_("tingkat ambang harus 1, 2 atau 3 (tertulis: %(level)s)") % {"level": level})
    unknown = sorted(set(band) - {"level", *BOUND_KEYS})
    if unknown:
        problems.append(_("kunci ambang tidak dikenal: %(keys)s") % {"keys": ", ".join(unknown)})
    if not any(key in band for key in BOUND_KEYS):
        problems.append(_("ambang tingkat %(level)s tidak punya batas") % {"level": level})
    for key in BOUND_KEYS:
        if key in band and _decimal(band[key]) is None:
            problems.append(_("batas '%(key)s' bukan angka: %(value)s") % {"key": key, "value": band[key]})
    if ("min" in band and "gt" in band) or ("max" in band and "lt" in band):
        problems.append(_("ambang tingkat %(level)s memiliki dua batas bawah atau dua batas atas") % {"level": level})
    return problems


def threshold_problems(thresholds, *, higher_is_better: bool) -> list[str]:
    """What is wrong with a row's thresholds (empty when they are usable)."""
    if not isinstance(thresholds, list):
        return [_("ambang harus berupa daftar")]
    problems = [problem for band in thresholds for problem in _band_problems(band)]
    if problems:
        return problems
    levels = sorted(band["level"] for band in thresholds)
    if levels != [1, 2, 3]:
        return [_("ambang harus ada tepat satu untuk tingkat 1, 2 dan 3 (tertulis: %(levels)s)") % {"levels": levels}]
    ranges = [_bounds(band) for band in sorted(thresholds, key=lambda band: band["level"])]
    for level, (lower, upper) in enumerate(ranges, start=1):
        if lower is not None and upper is not None and lower > upper:
            problems.append(_("ambang tingkat %(level)s: batas bawah melebihi batas atas") % {"level": level})
    # Walking up the levels, both ends of the range move the same way: up when a bigger number is
    # better, down otherwise. A missing end is open (−∞ below, +∞ above).
    infinity = Decimal("Infinity")
    for level, (low_a, high_a), (low_b, high_b) in zip((1, 2), ranges, ranges[1:], strict=False):
        lows = (low_a if low_a is not None else -infinity, low_b if low_b is not None else -infinity)
        highs = (high_a if high_a is not None else infinity, high_b if high_b is not None else infinity)
        if not higher_is_better:
            lows, highs = highs[::-1], lows[::-1]
        if lows[1] < lows[0] or highs[1] < highs[0]:
            problems.append(
                _("ambang tingkat %(a)s dan %(b)s tidak berurutan (%(direction)s)")
                % {
                    "a": level,
                    "b": level + 1,
                    "direction": _("makin besar makin baik") if higher_is_better else _("makin kecil makin baik"),
                }
            )
    return problems
