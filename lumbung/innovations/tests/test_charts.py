"""Compliance per unit as a picture: the numbers behind the SOSIS and PM Indah charts are the
report's own rows, and the programme page shows them without extra queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from lumbung.core.roles import Role
from lumbung.innovations import charts
from lumbung.innovations.compliance import programme_compliance
from lumbung.innovations.models import Innovation, InnovationEvent, Programme
from lumbung.organisation.models import Echelon
from tests.factories import AssignmentFactory, OfficialFactory

from .factories import InnovationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _counting(innovation, when):
    Innovation.objects.filter(pk=innovation.pk).update(status=Innovation.Status.SUBMITTED, created_at=when)
    event = InnovationEvent.objects.create(innovation=innovation, action="submit", from_state="draft",
                                           to_state="submitted")  # fmt: skip
    InnovationEvent.objects.filter(pk=event.pk).update(created_at=when)


@pytest.fixture
def sosis(world, reference_data):
    admin = world.user("admin")
    for _ in range(2):
        _counting(InnovationFactory(region=world.region, unit=world.sibling_unit, created_by=admin),
                  dt.datetime(2026, 2, 1, tzinfo=dt.UTC))  # fmt: skip
    return ProgrammeFactory(region=world.region, min_count=2, reference_date=dt.date(2026, 6, 30),
                            counts_since=dt.date(2026, 1, 1), created_by=admin)  # fmt: skip


def test_sosis_chart_counts_each_units_innovations_against_the_minimum(world, sosis):
    report = programme_compliance(sosis)
    chart = charts.compliance_by_unit(report)
    expected = sorted(((charts.unit_label(row.unit), str(row.count)) for row in report.rows),
                      key=lambda item: (int(item[1]), item[0]))  # fmt: skip
    assert list(chart.rows) == expected
    assert (charts.unit_label(world.sibling_unit), "2") in chart.rows
    assert 'stroke-dasharray="4 3"' in chart.svg  # the minimum as a dashed line


def test_pm_indah_chart_gives_the_share_of_officials_per_unit(world, reference_data):
    admin = world.user("admin")
    keen, idle = OfficialFactory(region=world.region), OfficialFactory(region=world.region)
    for official in (keen, idle):
        AssignmentFactory(official=official, unit=world.sibling_unit, echelon=Echelon.IV_A,
                          start_date=dt.date(2023, 1, 1))  # fmt: skip
    innovation = InnovationFactory(region=world.region, unit=world.sibling_unit, created_by=admin, owner=keen)
    _counting(innovation, dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    programme = ProgrammeFactory(region=world.region, kind=Programme.Kind.OFFICIAL_QUOTA, name="PM Indah",
                                 reference_date=dt.date(2026, 1, 31), counts_since=None, created_by=admin)  # fmt: skip
    report = programme_compliance(programme)
    with translation.override("id"):
        chart = charts.compliance_by_unit(report)
    rows = [row for row in report.rows if row.unit == world.sibling_unit]
    share = round(100 * sum(row.compliant for row in rows) / len(rows))
    label = f"{charts.unit_label(world.sibling_unit)} ({len(rows)})"
    assert (label, f"{share}%") in chart.rows and 0 < share < 100
    with translation.override("en"):
        trend = charts.trend(report)
    assert [row[1] for row in trend.rows] == [f"{tally.percent:.1f}" for _day, tally in report.trend]


def test_the_programme_page_shows_both_pictures(client, world, sosis):
    client.force_login(world.user(Role.ADMIN))
    url = reverse("innovations:programme-detail", args=[sosis.pk])
    page = client.get(url).content.decode()
    assert f'aria-labelledby="compliance-{sosis.pk}-title' in page
    assert f'aria-labelledby="compliance-trend-{sosis.pk}-title' in page
    assert "Angka di balik grafik" in page
