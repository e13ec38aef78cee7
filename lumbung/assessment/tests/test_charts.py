"""The dashboard's and the briefing's charts: the numbers behind each picture are those of the
source (official results, daily snapshots, progress per unit), and the pictures are on the page
and in the PDF."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from lumbung.assessment import charts, reports, services
from lumbung.assessment.models import OfficialResult
from lumbung.core.roles import Role
from lumbung.rankings.models import RegionIndexSnapshot


@pytest.fixture
def history(world, admin):
    for year, iid, rank in ((2019, "45.10", 25), (2020, "61.87", 6), (2021, "72.35", 1), (2022, None, None)):
        OfficialResult.objects.create(region=world.region, year=year, iid=iid, rank=rank, entered_by=admin)
    return list(OfficialResult.objects.filter(region=world.region).order_by("year"))


@pytest.fixture
def snapshots(world, assessment):
    days = [dt.date(2026, 3, 1) + dt.timedelta(days=i) for i in range(3)]
    figures = [("40.00", None), ("52.50", "30.25"), ("55.00", "41.75")]
    for day, (claimed, verified) in zip(days, figures, strict=True):
        RegionIndexSnapshot.objects.create(
            region=world.region, assessment=assessment, year=assessment.year, taken_on=day,
            claimed_iid=claimed, verified_iid=verified,
        )  # fmt: skip
    return list(RegionIndexSnapshot.objects.filter(assessment=assessment).order_by("taken_on"))


def test_rank_and_iid_lines_carry_the_official_figures(history):
    with translation.override("id"):
        rank, iid = charts.rank_history(history), charts.iid_history(history)
    assert rank.rows == (("2019", "25"), ("2020", "6"), ("2021", "1"))  # 2022 has no rank: not drawn
    assert iid.rows == (("2019", "45,10"), ("2020", "61,87"), ("2021", "72,35"))
    assert "<polyline" in rank.svg and 'role="img"' in rank.svg


def test_the_season_line_follows_the_daily_snapshots(assessment, snapshots):
    with translation.override("id"):
        chart = charts.season(assessment)
    expected = tuple(
        (s.taken_on.strftime("%d/%m"), f"{s.claimed_iid:.2f}".replace(".", ","),
         "—" if s.verified_iid is None else f"{s.verified_iid:.2f}".replace(".", ","))
        for s in snapshots
    )  # fmt: skip
    assert chart.rows == expected and not chart.empty
    assert chart.columns[1:] == ("IID klaim", "IID terverifikasi")


def test_without_snapshots_the_season_says_so(assessment):
    chart = charts.season(assessment)
    assert chart.empty and "Potret harian belum ada" in chart.svg


def test_completeness_per_unit_equals_the_progress_table(world, assessment, entry, rows, operator):
    services.answer_set(row=rows["16"], level=2, actor=operator)
    units = reports.unit_progress(assessment)
    chart = charts.unit_completeness(units)
    expected = {(u.name, f"{u.filled_percent}%", f"{u.accepted_percent}%") for u in units if u.rows}
    assert set(chart.rows) == expected and chart.rows
    percents = [int(row[1].rstrip("%")) for row in chart.rows]
    assert percents == sorted(percents)  # least filled first


def test_the_dashboard_and_the_briefing_show_the_pictures(client, world, assessment, history, snapshots):
    client.force_login(world.user(Role.LEADER))
    page = client.get(reverse("assessment:dashboard")).content.decode()
    for key in ("rank-history", "iid-history", "season-iid", "unit-completeness"):
        assert f'aria-labelledby="{key}-title {key}-desc"' in page
    assert "Angka di balik grafik" in page and "style=" not in page.split("<main", 1)[-1]
    response = client.get(reverse("assessment:dashboard-pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Peringkat IGA per tahun (1 = terbaik)" in text and "IID klaim dan terverifikasi" in text
    assert Decimal(str(history[2].iid)) == Decimal("72.35")
