"""The SVG charts: scaling maths (properties), markup (accessible, escaped, no style attributes) and
the numbers table that goes with each picture."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET  # noqa: S405 - our own markup
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lumbung.core import charts

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
anything = st.one_of(finite, st.none(), st.just(math.nan), st.just(math.inf), st.just(-math.inf))
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _svg_numbers(svg: str) -> list[str]:
    """Every coordinate-like attribute value of the markup."""
    values = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|width|height|r)="([^"]*)"', svg)
    values += [n for points in re.findall(r'points="([^"]*)"', svg) for n in re.split(r"[ ,]", points)]
    return values


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))  # noqa: S314 - our own markup


@given(st.lists(finite, max_size=30), st.booleans(), st.booleans())
def test_scale_holds_every_value_and_is_finite(values, include_zero, integer):
    scale = charts.nice_scale(values, include_zero=include_zero, integer=integer)
    assert math.isfinite(scale.lo) and math.isfinite(scale.hi)
    assert scale.hi > scale.lo
    if values:
        assert scale.lo <= min(values) + 1e-6 * max(1, abs(min(values)))
        assert scale.hi >= max(values) - 1e-6 * max(1, abs(max(values)))
    if include_zero:
        assert scale.lo <= 0 <= scale.hi
    assert list(scale.ticks) == sorted(scale.ticks)
    assert 1 <= len(scale.ticks) <= 51
    assert all(scale.lo - 1e-6 * abs(scale.lo) <= t <= scale.hi + 1e-6 * abs(scale.hi) for t in scale.ticks)


@given(st.lists(anything, max_size=20), st.one_of(st.none(), finite), st.one_of(st.none(), finite))
def test_scale_never_nan_whatever_it_is_given(values, lo, hi):
    scale = charts.nice_scale(values, lo=lo, hi=hi)
    assert math.isfinite(scale.lo) and math.isfinite(scale.hi) and scale.hi > scale.lo
    assert all(math.isfinite(t) for t in scale.ticks)
    for value in values:
        where = charts.position(value, scale, 10, 300)
        assert math.isfinite(where) and 10 <= where <= 300


@given(finite, st.integers(min_value=1, max_value=12))
def test_all_equal_values_get_a_range_around_them(value, count):
    scale = charts.nice_scale([value] * count)
    assert scale.lo <= value <= scale.hi and scale.hi > scale.lo
    assert charts.position(value, scale, 0, 100) not in (math.nan,)


def test_empty_one_point_and_fixed_ends():
    assert charts.nice_scale([]) == charts.nice_scale([], include_zero=True)
    one = charts.nice_scale([7.5])
    assert one.lo < 7.5 < one.hi
    rank = charts.nice_scale([25, 6, 1], lo=1, integer=True)
    assert rank.lo == 1 and rank.hi >= 25 and rank.ticks[0] == 1
    assert all(float(t).is_integer() for t in rank.ticks)
    percent = charts.nice_scale([12, 40], lo=0, hi=100)
    assert (percent.lo, percent.hi, percent.ticks[-1]) == (0, 100, 100)


@given(st.lists(st.lists(anything, min_size=0, max_size=8), min_size=1, max_size=3), st.booleans())
def test_line_chart_markup_is_always_finite_and_parses(rows, invert):
    labels = [str(2019 + i) for i in range(max(len(row) for row in rows))]
    chart = charts.line_chart(key="t", title="T", x_labels=labels, series=[charts.Series(f"s{i}", row)
                              for i, row in enumerate(rows)], invert=invert)  # fmt: skip
    assert "nan" not in chart.svg.lower() and "inf" not in chart.svg.lower()
    assert all(NUMBER.fullmatch(value) for value in _svg_numbers(chart.svg))
    _parse(chart.svg)
    assert len(chart.rows) == len(labels)


def test_line_chart_rank_history_is_upside_down_and_labelled():
    with translation.override("id"):
        chart = charts.line_chart(key="Rank history!", title="Peringkat IGA", x_labels=["2019", "2020", "2021"],
                                  series=[charts.Series("Peringkat", [25, 6, 1])], invert=True, integer=True, y_min=1)  # fmt: skip
    assert chart.key == "rank-history"
    assert chart.rows == (("2019", "25"), ("2020", "6"), ("2021", "1"))
    root = _parse(chart.svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.get("aria-labelledby") == "rank-history-title rank-history-desc"
    assert root.find(f"{ns}title").text == "Peringkat IGA"
    points = [tuple(map(float, p.split(","))) for p in root.find(f"{ns}polyline").get("points").split()]
    # rank 1 (the last year) is drawn highest (smallest y), rank 25 lowest
    assert points[2][1] < points[1][1] < points[0][1]
    assert "style=" not in chart.svg


def test_missing_values_break_the_line_and_show_a_dash():
    chart = charts.line_chart(key="gap", title="IID", x_labels=["a", "b", "c", "d"],
                              series=[charts.Series("IID", [Decimal("60.5"), None, 70, 71])])  # fmt: skip
    assert chart.svg.count("<polyline") == 1  # a-b broken; c-d is the one run of two points
    assert chart.rows[1] == ("b", "—")


def test_empty_series_draw_an_empty_frame_with_a_message():
    chart = charts.line_chart(key="e", title="Kosong", x_labels=[], series=[charts.Series("x", [])])
    assert chart.empty and charts.NO_DATA in chart.svg
    assert charts.bar_chart(key="b", title="B", bars=[]).empty
    assert charts.hbar_chart(key="h", title="H", rows=[("Dinas", [None])], series=["x"]).empty
    assert charts.strip_chart(key="s", title="S", groups=[("Entri", [])]).empty


def test_labels_are_escaped():
    evil = '<script>alert("x")</script>'
    for chart in (
        charts.bar_chart(key="b", title=evil, bars=[(evil, 3)]),
        charts.hbar_chart(key="h", title=evil, rows=[(evil, [50])], series=[evil]),
        charts.strip_chart(key="s", title=evil, groups=[(evil, [1, 2])]),
        charts.line_chart(key="l", title=evil, x_labels=[evil], series=[charts.Series(evil, [1])]),
    ):
        assert "<script>" not in chart.svg
        _parse(chart.svg)


@given(st.lists(st.tuples(st.text(max_size=40), st.lists(anything, min_size=1, max_size=2)), max_size=15))
def test_hbar_height_follows_rows_and_stays_finite(rows):
    chart = charts.hbar_chart(key="h", title="H", rows=[(label, values[:2]) for label, values in rows],
                              series=["a", "b"], target=100)  # fmt: skip
    assert all(NUMBER.fullmatch(value) for value in _svg_numbers(chart.svg))
    _parse(chart.svg)


@given(st.lists(st.tuples(st.text(max_size=20), st.lists(anything, max_size=6)), max_size=10))
def test_strip_chart_table_counts_only_real_values(groups):
    chart = charts.strip_chart(key="s", title="S", groups=groups, lo=0, hi=100)
    for (_label, values), row in zip(groups, chart.rows, strict=True):
        assert row[1] == str(len([v for v in values if charts.clean(v) is not None]))
    _parse(chart.svg)


def test_strip_chart_median_and_extremes():
    with translation.override("id"):
        chart = charts.strip_chart(key="s", title="Sebaran", groups=[("#001", [70, 80, 90, 100])], lo=0, hi=100)
    assert chart.rows[0][:5] == ("#001", "4", "70,0", "85,0", "100,0")


def test_include_shows_picture_and_table():
    chart = charts.bar_chart(key="b", title="Jumlah", bars=[("2024", 3), ("2025", 5)], label_title="Tahun",
                             value_title="Inovasi")  # fmt: skip
    html = render_to_string("includes/chart.html", {"chart": chart})
    assert 'role="img"' in html and "<table" in html and ">Tahun</th>" in html and "<details" in html
    printed = render_to_string("includes/chart.html", {"chart": chart, "pdf": True})
    assert "<details" not in printed and "<table" in printed
    assert "<table" not in render_to_string("includes/chart.html", {"chart": chart, "table": False})
