"""The spread of the judges' scores per proposal: the numbers behind the picture are the submitted
cards of the round's standing, and the standing page shows it."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from lumbung.competitions import charts, results
from lumbung.competitions.phases import PhaseKind

from .test_results import judged  # noqa: F401 - the fixture of four judged proposals

pytestmark = pytest.mark.django_db


def test_each_proposal_has_its_judges_card_values(judged):  # noqa: F811
    competition, _admin = judged
    desk = competition.round_of_kind(PhaseKind.DESK)
    standing = results.round_standing(desk)
    with translation.override("en"):
        (chart,) = charts.spread_charts(desk, standing)
    by_label = {row[0]: row for row in chart.rows}
    for row in standing.rows:
        values = sorted(value for _judge, value, _z in row.cards)
        label = f"#{row.entry.number:03d} {row.entry.title}"
        assert by_label[label][1] == str(len(values)) and len(values) == 2
        assert by_label[label][2] == f"{values[0]:.1f}" and by_label[label][4] == f"{values[-1]:.1f}"
        assert Decimal(by_label[label][3]) == ((values[0] + values[1]) / 2).quantize(Decimal("0.1"))
    assert chart.svg.count("<circle") == sum(len(row.cards) for row in standing.rows)


def test_the_standing_page_shows_the_spread(client, judged):  # noqa: F811
    competition, admin = judged
    desk = competition.round_of_kind(PhaseKind.DESK)
    client.force_login(admin)
    page = client.get(reverse("competitions:round-standing", args=[desk.pk])).content.decode()
    assert f'aria-labelledby="spread-{desk.pk}-citizens-title' in page and "Sebaran nilai juri" in page
