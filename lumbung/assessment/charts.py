"""The pictures of the leaders' dashboard and briefing: official rank and IID over the years, the
claimed and verified IID over the current season (from the daily snapshots), and completeness per
unit. Each builder takes figures the page already has (or one query) and returns a
`core.charts.Chart`; the numbers in its table are those of the source, formatted."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lumbung.core import charts

from .models import Assessment

SEASON_POINTS = 400  # a season is about nine months of days; a longer one shows its latest days


def rank_history(results) -> charts.Chart:
    """The official rank per year as a line, rank 1 on top (25 → 6 → 1 climbs)."""
    ranked = [result for result in results if result.rank]
    return charts.line_chart(
        key="rank-history",
        title=_("Peringkat IGA per tahun (1 = terbaik)"),
        x_labels=[str(result.year) for result in ranked],
        series=[charts.Series(_("Peringkat"), [result.rank for result in ranked])],
        x_title=_("Tahun"),
        invert=True,
        integer=True,
        y_min=1,
        empty_text=_("Belum ada peringkat resmi yang dicatat."),
    )


def iid_history(results) -> charts.Chart:
    """The official IID per year as a line."""
    scored = [result for result in results if result.iid is not None]
    return charts.line_chart(
        key="iid-history",
        title=_("IID resmi per tahun"),
        x_labels=[str(result.year) for result in scored],
        series=[charts.Series(_("IID"), [result.iid for result in scored])],
        x_title=_("Tahun"),
        decimals=2,
        empty_text=_("Belum ada IID resmi yang dicatat."),
    )


def season(assessment: Assessment) -> charts.Chart:
    """Claimed and verified IID day by day over the season, from the daily snapshots (one query)."""
    snapshots = list(
        assessment.snapshots.order_by("-taken_on").values_list("taken_on", "claimed_iid", "verified_iid")[
            :SEASON_POINTS
        ]
    )[::-1]
    return charts.line_chart(
        key="season-iid",
        title=_("IID klaim dan terverifikasi selama musim %(year)s") % {"year": assessment.year},
        x_labels=[day.strftime("%d/%m") for day, _claimed, _verified in snapshots],
        series=[
            charts.Series(_("IID klaim"), [claimed for _day, claimed, _verified in snapshots]),
            charts.Series(_("IID terverifikasi"), [verified for _day, _claimed, verified in snapshots]),
        ],
        x_title=_("Tanggal"),
        decimals=2,
        include_zero=False,
        point_labels=len(snapshots) <= 7,
        empty_text=_("Potret harian belum ada; grafik terisi mulai besok."),
    )


def unit_completeness(units) -> charts.Chart:
    """Per unit: the share of its rows filled and accepted (reports.UnitProgress), least filled
    first so the units to call come on top."""
    ordered = sorted((item for item in units if item.rows), key=lambda item: (item.filled_percent, item.name))
    return charts.hbar_chart(
        key="unit-completeness",
        title=_("Kelengkapan per perangkat daerah"),
        rows=[(item.name, (item.filled_percent, item.accepted_percent)) for item in ordered],
        series=[_("Baris terisi"), _("Sesuai")],
        label_title=_("Perangkat daerah"),
        max_value=100,
        target=100,
        empty_text=_("Belum ada baris yang harus diisi."),
    )
