"""The spread of the judges' scores per proposal (a dot per submitted card, the median marked),
one picture per track of a round's standing: a proposal whose judges disagree shows at a glance.
The numbers in the table are the cards' values (0-100) from results.round_standing."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lumbung.core import charts


def score_spread(round_, track: str, track_label: str, rows) -> charts.Chart:
    return charts.strip_chart(
        key=f"spread-{round_.pk}-{track}",
        title=_("Sebaran nilai juri per proposal: %(track)s") % {"track": track_label},
        groups=[
            (f"#{row.entry.number or 0:03d} {row.entry.title}", [value for _judge, value, _z in row.cards])
            for row in rows
        ],
        lo=0,
        hi=100,
        decimals=1,
        column_titles=(_("Proposal"), _("Lembar"), _("Terendah"), _("Median"), _("Tertinggi"), _("Nilai lembar")),
        empty_text=_("Belum ada lembar nilai terkirim."),
    )


def spread_charts(round_, standing) -> list[charts.Chart]:
    labels = dict(round_.competition.track_choices)
    return [
        score_spread(round_, track, str(labels.get(track, track)), rows) for track, rows in standing.by_track().items()
    ]
