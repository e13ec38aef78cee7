"""Charts drawn on the server as inline SVG, so the same picture shows in the page and prints in
the PDFs (WeasyPrint renders inline SVG) without any script.

Every chart function is pure: it takes plain numbers and labels and returns a `Chart` holding the
SVG markup and the same numbers as a table (`templates/includes/chart.html` shows both, so a
screen reader or a reader who prefers figures gets them). Colours and fonts are SVG presentation
attributes, never `style=""` (refused by the Content-Security-Policy). Labels are escaped here.

The scaling maths (`nice_scale`, `position`) never yields NaN or infinity: values that are not
finite numbers are treated as missing, an empty series draws an empty frame, and a single value or
all-equal values get a range around them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape as html_escape
from django.utils.safestring import SafeString, mark_safe

# Okabe–Ito: told apart by people with the common colour-vision deficiencies; series also differ
# by marker shape and dash so the picture survives a black-and-white printer.
PALETTE = ("#0b5d4b", "#d55e00", "#0072b2", "#cc79a7", "#e69f00", "#56b4e9", "#009e73")
DASHES = ("", "6 3", "2 3", "8 3 2 3")
INK, MUTED, GRID, TRACK = "#1d2426", "#58656a", "#d5dcdf", "#e3f1ec"
FONT = "DejaVu Sans, Arial, sans-serif"
LIMIT = 1e12  # beyond this a value is not a figure of this project; it is clipped


@dataclass(frozen=True)
class Scale:
    """A numeric axis: the domain [lo, hi] (hi > lo, both finite) and its ticks."""

    lo: float
    hi: float
    ticks: tuple[float, ...]


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a value per x label (None where there is none)."""

    name: str
    values: Sequence[float | Decimal | int | None]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: SafeString
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    description: str = ""
    empty: bool = False
    extra: dict = field(default_factory=dict)

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


# --- numbers -----------------------------------------------------------------------------------


def clean(value) -> float | None:
    """A finite float, or None for anything that is not a usable number (None, NaN, inf, text)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    if not math.isfinite(number):
        return None
    return max(-LIMIT, min(LIMIT, number))


def _nice_step(raw: float, integer: bool) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least raw (and at least 1 for integer axes)."""
    if not math.isfinite(raw):
        return 1.0
    raw = max(raw, 1e-9)  # below that the figures are equal for any chart of this project
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * base
        if step >= raw * (1 - 1e-9):
            break
    if integer:
        step = max(1.0, float(math.ceil(step)))
    return step


def _tidy(number: float) -> float:
    """0.35000000000000003 → 0.35: the float error of multiplying out a step."""
    return float(f"{number:.12g}")


def _bounds(numbers: list[float], fixed_lo, fixed_hi, include_zero: bool) -> tuple[float, float]:
    """The raw ends of an axis: the values' extent, the fixed ends, zero if asked; never equal."""
    low = fixed_lo if fixed_lo is not None else min(numbers, default=0.0)
    high = fixed_hi if fixed_hi is not None else max(numbers, default=max(low + 1, 1.0))
    if include_zero:
        low = min(low, 0.0) if fixed_lo is None else low
        high = max(high, 0.0) if fixed_hi is None else high
    if high < low:
        low, high = high, low
    if high == low:  # one value, or all equal: a range around it
        spread = abs(low) * 0.1 or 1.0
        if fixed_hi is None or fixed_lo is not None:
            high = low + spread
        else:
            low = high - spread
    return low, high


def nice_scale(values, *, lo=None, hi=None, include_zero: bool = False, ticks: int = 5,
               integer: bool = False) -> Scale:  # fmt: skip
    """A round axis that holds every finite value; `lo`/`hi` fix an end (e.g. rank 1, 100 %)."""
    numbers = [number for number in map(clean, values) if number is not None]
    fixed_lo, fixed_hi = clean(lo), clean(hi)
    low, high = _bounds(numbers, fixed_lo, fixed_hi, include_zero)
    step = _nice_step((high - low) / max(1, ticks - 1), integer)
    if fixed_lo is None:  # rounded out, never past a value by the float error of the rounding
        low = min(low, _tidy(math.floor(low / step) * step))
    if fixed_hi is None:
        high = max(high, _tidy(math.ceil(high / step) * step))
    if high <= low:  # rounding swallowed a tiny range
        high = low + step
    marks = [low] if fixed_lo is not None else []
    first = math.ceil(low / step) * step
    count = int(min(50, math.floor((high - first) / step + 1e-9) + 1))
    for index in range(max(0, count)):
        mark = _tidy(first + index * step)
        if low <= mark <= high and (not marks or mark - marks[-1] > step * 0.35):
            marks.append(mark)
    if fixed_hi is not None and (not marks or high - marks[-1] > step * 0.35):
        marks.append(high)
    return Scale(lo=float(low), hi=float(high), ticks=tuple(float(mark) for mark in marks))


def position(value: float, scale: Scale, start: float, end: float) -> float:
    """Where a value falls between two pixel coordinates (end may be below start: an upward y
    axis), clamped to the axis."""
    number = clean(value)
    if number is None:
        number = scale.lo
    span = scale.hi - scale.lo
    share = (number - scale.lo) / span if span > 0 else 0.5
    share = max(0.0, min(1.0, share))
    return start + (end - start) * share


def _fmt(value: float) -> str:
    """A coordinate for the markup."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if math.isfinite(value) else "0"


def formatter(decimals: int = 0, suffix: str = "") -> Callable[[float | None], str]:
    """Numbers in the active language's format (1.234,5 in Indonesian); "—" for none."""

    def show(value) -> str:
        number = clean(value)
        if number is None:
            return "—"
        return f"{number_format(round(number, decimals), decimals, use_l10n=True)}{suffix}"

    return show


# --- markup ------------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text) -> str:
    """HTML-escaped, without the control characters XML does not allow (inline SVG is XML in print)."""
    return html_escape(CONTROL.sub("", str(text)))


def _key(key: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", key.lower()).strip("-") or "chart"


def _svg(key: str, title: str, description: str, width: int, height: int, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308 - every text in it is escaped here
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" aria-labelledby="{key}-title {key}-desc"'
        f' font-family="{FONT}" font-size="12" fill="{INK}">'
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int | None = None,
          colour: str | None = None, weight: str | None = None) -> str:  # fmt: skip
    attributes = f' text-anchor="{anchor}"' if anchor != "start" else ""
    attributes += f' font-size="{size}"' if size else ""
    attributes += f' fill="{colour}"' if colour else ""
    attributes += f' font-weight="{weight}"' if weight else ""
    return f'<text x="{_fmt(x)}" y="{_fmt(y)}"{attributes}>{escape(content)}</text>'


def _short(label: str, limit: int) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _marker(index: int, x: float, y: float, colour: str, tip: str) -> str:
    shape = index % 3
    tip_markup = f"<title>{escape(tip)}</title>"
    if shape == 0:
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{colour}">{tip_markup}</circle>'
    if shape == 1:
        return (f'<rect x="{_fmt(x - 4)}" y="{_fmt(y - 4)}" width="8" height="8" fill="{colour}">'
                f"{tip_markup}</rect>")  # fmt: skip
    points = f"{_fmt(x)},{_fmt(y - 5)} {_fmt(x + 5)},{_fmt(y + 4)} {_fmt(x - 5)},{_fmt(y + 4)}"
    return f'<polygon points="{points}" fill="{colour}">{tip_markup}</polygon>'


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    parts, offset = [], x
    for index, name in enumerate(names):
        colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{_fmt(offset)}" y1="{_fmt(y - 4)}" x2="{_fmt(offset + 22)}" y2="{_fmt(y - 4)}"'
                     f' stroke="{colour}" stroke-width="2.5"{dash_attribute}/>')  # fmt: skip
        parts.append(_marker(index, offset + 11, y - 4, colour, name))
        parts.append(_text(offset + 27, y, _short(name, 30), size=11))
        offset += 40 + 6.5 * min(len(name), 30)
    return parts


def _y_grid(scale: Scale, left: float, right: float, top: float, bottom: float, show, invert: bool) -> list[str]:
    parts = []
    for tick in scale.ticks:
        y = position(tick, scale, top, bottom) if invert else position(tick, scale, bottom, top)
        parts.append(f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(right)}" y2="{_fmt(y)}" stroke="{GRID}"'
                     ' stroke-width="1"/>')  # fmt: skip
        parts.append(_text(left - 6, y + 4, show(tick), anchor="end", size=11, colour=MUTED))
    return parts


def _x_labels(labels: Sequence[str], xs: Sequence[float], y: float, most: int = 12) -> list[str]:
    """Every label when they fit; otherwise an even selection that keeps the first and last."""
    count = len(labels)
    if count == 0:
        return []
    every = max(1, math.ceil(count / most))
    chosen = set(range(0, count, every)) | {count - 1}
    return [_text(xs[i], y, _short(labels[i], 12), anchor="middle", size=11, colour=MUTED) for i in sorted(chosen)]


def _empty(key: str, title: str, width: int, height: int, message: str, columns) -> Chart:
    body = [f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" fill="none" stroke="{GRID}"/>',
            _text(width / 2, height / 2, message, anchor="middle", colour=MUTED)]  # fmt: skip
    return Chart(key, title, _svg(key, title, message, width, height, body), tuple(columns), (), message, True)


NO_DATA = "Belum ada data."


# --- charts ------------------------------------------------------------------------------------


def _line(index: int, points: Sequence[tuple[float, float] | None]) -> list[str]:
    """A series' polylines; a missing point (None) breaks the line."""
    colour, dash = PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)]
    dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [
        f'<polyline points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)}" fill="none" stroke="{colour}"'
        f' stroke-width="2.5" stroke-linejoin="round"{dash_attribute}/>'
        for run in runs
        if len(run) > 1
    ]


def line_chart(*, key: str, title: str, x_labels: Sequence[str], series: Sequence[Series], x_title: str = "",
               decimals: int = 2, invert: bool = False, integer: bool = False, y_min=None, y_max=None,
               include_zero: bool = False, width: int = 640, height: int = 260, empty_text: str = NO_DATA,
               point_labels: bool | None = None) -> Chart:  # fmt: skip
    """Several series over shared x labels (years, days). `invert` puts the smallest value on top
    (a rank: 1 is best). A missing value breaks its line; points are labelled when few."""
    key = _key(key)
    labels = [str(label) for label in x_labels]
    columns = (x_title or "", *(str(item.name) for item in series))
    values = [[clean(value) for value in list(item.values)[: len(labels)]] for item in series]
    values = [row + [None] * (len(labels) - len(row)) for row in values]
    present = [value for row in values for value in row if value is not None]
    show = formatter(0 if integer else decimals)
    table = tuple((labels[i], *(show(row[i]) for row in values)) for i in range(len(labels)))
    if not present:
        empty = _empty(key, title, width, height, empty_text, columns)
        return Chart(key, title, empty.svg, columns, table, empty_text, True)
    scale = nice_scale(present, lo=y_min, hi=y_max, include_zero=include_zero, integer=integer)
    left, right, top = 56.0, width - 16.0, 34.0 if len(series) > 1 else 16.0
    bottom = height - 30.0
    legend_y = 18.0
    count = len(labels)
    xs = [(left + right) / 2] if count == 1 else [left + (right - left) * i / (count - 1) for i in range(count)]
    axis_show = formatter(0 if integer or all(float(t).is_integer() for t in scale.ticks) else decimals)
    body = _y_grid(scale, left, right, top, bottom, axis_show, invert)
    body.append(f'<line x1="{_fmt(left)}" y1="{_fmt(bottom)}" x2="{_fmt(right)}" y2="{_fmt(bottom)}"'
                f' stroke="{MUTED}" stroke-width="1"/>')  # fmt: skip
    body += _x_labels(labels, xs, bottom + 18)
    label_points = point_labels if point_labels is not None else count <= 12

    def y_of(value: float) -> float:
        return position(value, scale, top, bottom) if invert else position(value, scale, bottom, top)

    for index, row in enumerate(values):
        body += _line(index, [None if v is None else (xs[i], y_of(v)) for i, v in enumerate(row)])
        for i, value in enumerate(row):
            if value is None:
                continue
            x, y = xs[i], y_of(value)
            if label_points or count <= 40:
                body.append(_marker(index, x, y, PALETTE[index % len(PALETTE)],
                                    f"{series[index].name}, {labels[i]}: {show(value)}"))  # fmt: skip
            if label_points:
                above = y - 8 if y - 8 > top + 4 else y + 16
                body.append(_text(x, above, show(value), anchor="middle", size=11,
                                  colour=PALETTE[index % len(PALETTE)], weight="bold"))  # fmt: skip
    if len(series) > 1:
        body += _legend([str(item.name) for item in series], left, legend_y)
    description = "; ".join(
        f"{item.name}: " + ", ".join(f"{labels[i]} {show(v)}" for i, v in enumerate(row) if v is not None)
        for item, row in zip(series, values, strict=True)
    )
    return Chart(key, title, _svg(key, title, description, width, height, body), columns, table, description)


def bar_chart(*, key: str, title: str, bars: Sequence[tuple[str, float | None]], label_title: str = "",
              value_title: str = "", decimals: int = 0, suffix: str = "", y_max=None, width: int = 640,
              height: int = 240, empty_text: str = NO_DATA) -> Chart:  # fmt: skip
    """Vertical bars, one per label, from zero."""
    key = _key(key)
    show = formatter(decimals, suffix)
    items = [(str(label), clean(value)) for label, value in bars]
    columns = (label_title, value_title)
    table = tuple((label, show(value)) for label, value in items)
    present = [value for _label, value in items if value is not None]
    if not present:
        empty = _empty(key, title, width, height, empty_text, columns)
        return Chart(key, title, empty.svg, columns, table, empty_text, True)
    scale = nice_scale(present, include_zero=True, hi=y_max)
    left, right, top, bottom = 56.0, width - 12.0, 16.0, height - 30.0
    slot = (right - left) / len(items)
    bar_width = max(2.0, min(48.0, slot * 0.7))
    body = _y_grid(scale, left, right, top, bottom, formatter(0 if decimals == 0 else decimals), False)
    zero = position(0, scale, bottom, top)
    xs = [left + slot * (i + 0.5) for i in range(len(items))]
    for i, (label, value) in enumerate(items):
        if value is None:
            continue
        y = position(value, scale, bottom, top)
        y0, y1 = min(y, zero), max(y, zero)
        body.append(f'<rect x="{_fmt(xs[i] - bar_width / 2)}" y="{_fmt(y0)}" width="{_fmt(bar_width)}"'
                    f' height="{_fmt(max(0.0, y1 - y0))}" fill="{PALETTE[0]}"><title>{escape(label)}: '
                    f"{escape(show(value))}</title></rect>")  # fmt: skip
        if len(items) <= 16:
            body.append(_text(xs[i], y0 - 4, show(value), anchor="middle", size=11))
    body.append(f'<line x1="{_fmt(left)}" y1="{_fmt(zero)}" x2="{_fmt(right)}" y2="{_fmt(zero)}" stroke="{MUTED}"/>')
    body += _x_labels([label for label, _value in items], xs, bottom + 18)
    description = ", ".join(f"{label} {show(value)}" for label, value in items)
    return Chart(key, title, _svg(key, title, description, width, height, body), columns, table, description)


def hbar_chart(*, key: str, title: str, rows: Sequence[tuple[str, Sequence[float | None]]],
               series: Sequence[str], label_title: str = "", max_value: float | None = 100, suffix: str = "%",
               decimals: int = 0, target: float | None = None, width: int = 640, empty_text: str = NO_DATA,
               notes: Sequence[str] | None = None) -> Chart:  # fmt: skip
    """One horizontal bar per row (a unit), one thin bar per series stacked inside the row's band
    (e.g. "filled" and "accepted"). `target` draws a dashed line (a quota, 100 %). The height
    follows the number of rows."""
    key = _key(key)
    show = formatter(decimals, suffix)
    items = [(str(label), [clean(value) for value in values]) for label, values in rows]
    columns = (label_title, *series)
    table = tuple((label, *(show(value) for value in values)) for label, values in items)
    present = [value for _label, values in items for value in values if value is not None]
    if not present:
        empty = _empty(key, title, width, 120, empty_text, columns)
        return Chart(key, title, empty.svg, columns, table, empty_text, True)
    scale = nice_scale(present + ([target] if target is not None else []), lo=0, hi=max_value, include_zero=True)
    band = 14.0 + 8.0 * len(series)
    legend = 24.0 if len(series) > 1 else 0.0
    top, left, right = 8.0 + legend + 14.0, 190.0, width - 60.0
    height = int(top + band * len(items) + 12)
    body = []
    for tick in scale.ticks:
        x = position(tick, scale, left, right)
        body.append(f'<line x1="{_fmt(x)}" y1="{_fmt(top - 4)}" x2="{_fmt(x)}" y2="{_fmt(height - 8)}"'
                    f' stroke="{GRID}"/>')  # fmt: skip
        body.append(_text(x, top - 6, formatter(0, suffix)(tick), anchor="middle", size=10, colour=MUTED))
    thickness = max(4.0, (band - 8.0) / max(1, len(series)))
    for row_index, (label, values) in enumerate(items):
        y = top + band * row_index + 4
        body.append(_text(left - 6, y + band / 2, _short(label, 28), anchor="end", size=11))
        body.append(f'<rect x="{_fmt(left)}" y="{_fmt(y)}" width="{_fmt(right - left)}" height="{_fmt(band - 8)}"'
                    f' fill="{TRACK}"/>')  # fmt: skip
        for index, value in enumerate(values):
            if value is None:
                continue
            end = position(value, scale, left, right)
            tip = f"{label}, {series[index] if index < len(series) else ''}: {show(value)}"
            body.append(f'<rect x="{_fmt(left)}" y="{_fmt(y + thickness * index)}" width="{_fmt(max(0.0, end - left))}"'
                        f' height="{_fmt(thickness)}" fill="{PALETTE[index % len(PALETTE)]}">'
                        f"<title>{escape(tip)}</title></rect>")  # fmt: skip
        first = values[0] if values else None
        body.append(_text(right + 6, y + band / 2, show(first), size=11))
    if target is not None and clean(target) is not None:
        x = position(target, scale, left, right)
        body.append(f'<line x1="{_fmt(x)}" y1="{_fmt(top - 2)}" x2="{_fmt(x)}" y2="{_fmt(height - 8)}"'
                    f' stroke="{INK}" stroke-dasharray="4 3" stroke-width="1.5"/>')  # fmt: skip
    if len(series) > 1:
        parts, offset = [], left
        for index, name in enumerate(series):
            parts.append(f'<rect x="{_fmt(offset)}" y="6" width="14" height="10" '
                         f'fill="{PALETTE[index % len(PALETTE)]}"/>')  # fmt: skip
            parts.append(_text(offset + 19, 15, _short(name, 30), size=11))
            offset += 40 + 6.5 * min(len(name), 30)
        body += parts
    description = "; ".join(f"{label}: " + ", ".join(map(show, values)) for label, values in items[:60])
    if notes:
        description += " " + " ".join(notes)
    return Chart(key, title, _svg(key, title, description, width, height, body), columns, table, description)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def strip_chart(*, key: str, title: str, groups: Sequence[tuple[str, Sequence[float | None]]], label_title: str = "",
                lo: float | None = 0, hi: float | None = None, decimals: int = 1, width: int = 640,
                empty_text: str = NO_DATA, column_titles: Sequence[str] | None = None) -> Chart:  # fmt: skip
    """A dot per value (a judge's score) on one row per group (an entry), the median marked with
    a bar: the spread of the scores shows at a glance. The table gives count, lowest, median and
    highest, then the values."""
    key = _key(key)
    show = formatter(decimals)
    items = [(str(label), [v for v in map(clean, values) if v is not None]) for label, values in groups]
    columns = tuple(column_titles or (label_title, "n", "min", "median", "maks", ""))
    table = tuple(
        (label, str(len(values)), show(min(values, default=None)), show(_median(values) if values else None),
         show(max(values, default=None)), ", ".join(show(v) for v in values))
        for label, values in items
    )  # fmt: skip
    present = [value for _label, values in items for value in values]
    if not present:
        empty = _empty(key, title, width, 120, empty_text, columns)
        return Chart(key, title, empty.svg, columns, table, empty_text, True)
    scale = nice_scale(present, lo=lo, hi=hi)
    band, top, left, right = 22.0, 24.0, 190.0, width - 20.0
    height = int(top + band * len(items) + 10)
    body = []
    for tick in scale.ticks:
        x = position(tick, scale, left, right)
        body.append(f'<line x1="{_fmt(x)}" y1="{_fmt(top - 4)}" x2="{_fmt(x)}" y2="{_fmt(height - 6)}"'
                    f' stroke="{GRID}"/>')  # fmt: skip
        body.append(_text(x, top - 8, formatter(0 if float(tick).is_integer() else decimals)(tick),
                          anchor="middle", size=10, colour=MUTED))  # fmt: skip
    for row_index, (label, values) in enumerate(items):
        y = top + band * row_index + band / 2
        body.append(_text(left - 6, y + 4, _short(label, 28), anchor="end", size=11))
        body.append(f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(right)}" y2="{_fmt(y)}" stroke="{TRACK}"'
                    ' stroke-width="6"/>')  # fmt: skip
        if values:
            low, high = position(min(values), scale, left, right), position(max(values), scale, left, right)
            body.append(f'<line x1="{_fmt(low)}" y1="{_fmt(y)}" x2="{_fmt(high)}" y2="{_fmt(y)}"'
                        f' stroke="{MUTED}" stroke-width="1.5"/>')  # fmt: skip
            for value in values:
                body.append(f'<circle cx="{_fmt(position(value, scale, left, right))}" cy="{_fmt(y)}" r="4.5"'
                            f' fill="{PALETTE[2]}" fill-opacity="0.7"><title>{escape(label)}: {escape(show(value))}'
                            "</title></circle>")  # fmt: skip
            middle = position(_median(values), scale, left, right)
            body.append(f'<line x1="{_fmt(middle)}" y1="{_fmt(y - 8)}" x2="{_fmt(middle)}" y2="{_fmt(y + 8)}"'
                        f' stroke="{PALETTE[1]}" stroke-width="3"/>')  # fmt: skip
    description = "; ".join(f"{row[0]}: {row[5]}" for row in table[:60])
    return Chart(key, title, _svg(key, title, description, width, height, body), columns, table, description)
