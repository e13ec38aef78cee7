"""The pictures of a quota programme (SOSIS, PM Indah): compliance per unit and the monthly trend.
Built from a `compliance.ComplianceReport` already in hand (no query); the numbers in each chart's
table are the report's own."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lumbung.core import charts

MOST_UNITS = 30  # the picture shows the weakest units; the full list is the table of the page


def unit_label(unit) -> str:
    return (unit.short_name or unit.name) if unit is not None else _("Tanpa perangkat daerah")


def compliance_by_unit(report) -> charts.Chart:
    """SOSIS: the innovations each unit has against the minimum (a dashed line). PM Indah: the share
    of each unit's officials who meet their quota. Weakest first."""
    programme = report.programme
    if programme.is_unit_quota:
        items = sorted(((unit_label(row.unit), row.count) for row in report.rows), key=lambda item: (item[1], item[0]))
        shown = items[:MOST_UNITS]
        return charts.hbar_chart(
            key=f"compliance-{programme.pk}",
            title=_title(len(shown), len(items), _("Inovasi per perangkat daerah")),
            rows=[(label, (count,)) for label, count in shown],
            series=[_("Inovasi dihitung")],
            label_title=_("Perangkat daerah"),
            max_value=None,
            suffix="",
            target=programme.min_count,
            empty_text=_("Tidak ada perangkat daerah sasaran."),
        )
    by_unit: dict[str, list[bool]] = {}
    for row in report.rows:
        by_unit.setdefault(unit_label(row.unit), []).append(row.compliant)
    items = sorted(
        ((label, 100 * sum(flags) / len(flags), len(flags)) for label, flags in by_unit.items()),
        key=lambda item: (item[1], item[0]),
    )
    shown = items[:MOST_UNITS]
    return charts.hbar_chart(
        key=f"compliance-{programme.pk}",
        title=_title(len(shown), len(items), _("Pejabat yang memenuhi kuota per perangkat daerah")),
        rows=[(f"{label} ({count})", (percent,)) for label, percent, count in shown],
        series=[_("Pejabat memenuhi kuota")],
        label_title=_("Perangkat daerah (jumlah pejabat)"),
        max_value=100,
        target=100,
        empty_text=_("Tidak ada pejabat sasaran."),
    )


def _title(shown: int, total: int, title: str) -> str:
    if shown < total:
        return _("%(title)s: %(shown)s terendah dari %(total)s") % {"title": title, "shown": shown, "total": total}
    return title


def trend(report) -> charts.Chart:
    """The share of targets meeting the quota at the end of each month."""
    return charts.line_chart(
        key=f"compliance-trend-{report.programme.pk}",
        title=_("Kepatuhan kuota per akhir bulan"),
        x_labels=[date_format(day, "M Y") for day, _tally in report.trend],
        series=[charts.Series(_("Memenuhi kuota (%)"), [tally.percent for _day, tally in report.trend])],
        x_title=_("Bulan"),
        decimals=1,
        y_min=0,
        y_max=100,
    )
