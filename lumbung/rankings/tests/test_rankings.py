"""Province and national views: scope, snapshots, ranking, movement, need-help, export, clinic."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from lumbung.assessment.models import RegionAnswer, RowStatus
from lumbung.assessment.scoring import assessment_recompute
from lumbung.assessment.services import answer_set
from lumbung.assessment.tests.factories import claim_with_evidence, open_assessment
from lumbung.clinic.models import Case
from lumbung.core.roles import REGION_ROLES, Role
from lumbung.innovations.compliance import programme_compliance
from lumbung.innovations.models import Programme
from lumbung.innovations.tests.factories import ProgrammeFactory
from lumbung.notifications.models import Notification
from lumbung.organisation.models import Region
from lumbung.rankings import services
from lumbung.rankings.models import RegionIndexSnapshot
from tests.factories import OfficialFactory, RegionFactory, user_with_role

D = Decimal
TODAY = dt.date(2026, 8, 10)
WEEK_AGO = TODAY - dt.timedelta(days=7)


@pytest.fixture(autouse=True)
def _on_the_day():
    """The pages compare with a week before "today": today is TODAY, midday in Jakarta."""
    with time_machine.travel(dt.datetime(2026, 8, 10, 5, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def lampung(world):
    """Provinsi Lampung hosting Lampung Barat (A), Lampung Selatan (B) and Tanggamus; Cilacap
    (Jawa Tengah) is hosted too, outside the province."""
    province = RegionFactory(code="18", name="Provinsi Lampung", kind=Region.Kind.PROVINCE, is_hosted=False)
    Region.objects.filter(pk__in=[world.region.pk, world.other_region.pk]).update(province=province)
    tanggamus = RegionFactory(code="18.06", name="Kabupaten Tanggamus", province=province)
    central_java = RegionFactory(code="33", name="Provinsi Jawa Tengah", kind=Region.Kind.PROVINCE, is_hosted=False)
    cilacap = RegionFactory(code="33.01", name="Kabupaten Cilacap", province=central_java)
    return {
        "province": province,
        "a": Region.objects.get(pk=world.region.pk),
        "b": Region.objects.get(pk=world.other_region.pk),
        "tanggamus": tanggamus,
        "cilacap": cilacap,
        "province_admin": user_with_role(Role.PROVINCE_ADMIN, province, full_name="Rina Admin Provinsi"),
    }


@pytest.fixture
def assessments(world, lampung):
    admin = world.user(Role.ADMIN)
    return {
        key: open_assessment(lampung[key], admin, collection_ends=dt.date(2026, 8, 22))
        for key in ("a", "b", "tanggamus", "cilacap")
    }


def snap(assessment, day, expected, *, verified=None, claimed=None, rejected=0, predicate=""):
    return RegionIndexSnapshot.objects.create(
        region=assessment.region,
        assessment=assessment,
        year=assessment.year,
        taken_on=day,
        expected_iid=D(expected),
        verified_iid=D(verified if verified is not None else expected),
        claimed_iid=D(claimed if claimed is not None else expected),
        rejected_rows=rejected,
        predicate=predicate,
    )


def client_for(client, user):
    client.force_login(user)
    return client


# Scope ------------------------------------------------------------------------------------------


def test_a_province_admin_compares_only_the_hosted_regions_of_its_province(world, lampung):
    admin = lampung["province_admin"]
    regions = services.regions_in_scope(admin, lampung["province"])
    assert set(regions) == {lampung["a"], lampung["b"], lampung["tanggamus"]}
    # Working in another region (or holding no province role) gives nothing.
    assert not services.regions_in_scope(admin, lampung["a"]).exists()
    assert not services.regions_in_scope(world.user(Role.ADMIN), world.region).exists()
    national = services.regions_in_scope(world.national_admin, None)
    assert lampung["cilacap"] in national and lampung["a"] in national
    assert set(services.regions_in_scope(world.national_admin, None, province_code="33")) == {lampung["cilacap"]}


def test_the_province_role_is_not_one_a_region_admin_grants():
    assert Role.PROVINCE_ADMIN not in REGION_ROLES


def test_the_pages_show_the_scope_and_nothing_else(client, world, lampung, assessments):
    for key, value in (("a", "60"), ("b", "50"), ("tanggamus", "40"), ("cilacap", "70")):
        snap(assessments[key], TODAY, value)
    client_for(client, lampung["province_admin"])
    page = client.get(reverse("rankings:overview")).content.decode()
    assert "Kabupaten Lampung Barat" in page and "Kabupaten Tanggamus" in page
    assert "Cilacap" not in page
    assert "<svg" in page  # the history chart
    assert client.get(reverse("rankings:region", args=["33.01"])).status_code == 404
    assert client.get(reverse("rankings:help-case", args=["33.01"])).status_code == 404
    assert client.get(reverse("rankings:region", args=["18.04"])).status_code == 200


@pytest.mark.parametrize("role", [Role.ADMIN, Role.LEADER, Role.VERIFIER])
def test_region_staff_do_not_reach_the_comparison(client, world, lampung, role):
    client_for(client, world.user(role))
    assert client.get(reverse("rankings:overview")).status_code == 403
    assert client.get(reverse("rankings:region", args=["18.04"])).status_code == 403


def test_no_names_of_people_cross_regions(client, world, lampung, assessments):
    """The drill-down and the table carry aggregate figures and region names only."""
    admin = world.user(Role.ADMIN)
    official = OfficialFactory(region=lampung["a"], name="Drs. Bambang Sutejo")
    for key in ("a", "b"):
        snap(assessments[key], TODAY, "50")
    client_for(client, lampung["province_admin"])
    pages = [
        client.get(reverse("rankings:overview")).content.decode(),
        client.get(reverse("rankings:region", args=["18.04"])).content.decode(),
        client.get(reverse("rankings:export", args=["csv"])).content.decode("utf-8-sig"),
    ]
    for page in pages:
        for name in (admin.full_name, official.name, world.official.name, world.other_admin.full_name):
            assert name not in page


def test_the_drill_down_is_read_only(client, world, lampung, assessments):
    """The province admin gains no role in the region: its own pages and actions stay closed."""
    user = lampung["province_admin"]
    assert not user.has_perm("assessment.view_assessment", assessments["a"])
    assert not user.has_perm("assessment.manage_assessment", assessments["a"])
    assert user.has_perm("rankings.view_region", lampung["a"])
    assert not user.has_perm("rankings.view_region", lampung["cilacap"])
    assert not user.has_perm("rankings.view_region", lampung["province"])  # not hosted
    client_for(client, user)
    page = client.get(reverse("rankings:region", args=["18.04"])).content.decode()
    assert reverse("assessment:detail", args=[assessments["a"].pk]) not in page
    assert client.get(reverse("assessment:detail", args=[assessments["a"].pk])).status_code in (403, 404)


# Snapshots --------------------------------------------------------------------------------------


def test_a_snapshot_per_region_and_day_taken_twice_stays_one(world, lampung, assessments):
    assert services.snapshots_take(today=TODAY) == 4
    assert services.snapshots_take(today=TODAY) == 4
    assert RegionIndexSnapshot.objects.filter(taken_on=TODAY).count() == 4
    services.snapshots_take(today=TODAY + dt.timedelta(days=1))
    assert RegionIndexSnapshot.objects.count() == 8
    snapshot = RegionIndexSnapshot.objects.get(region=lampung["a"], taken_on=TODAY)
    figures = assessments["a"].__class__.objects.get(pk=assessments["a"].pk).figures
    assert snapshot.claimed_iid == D(figures["claimed"]["iid"])
    assert snapshot.verified_iid == D(figures["verified"]["iid"])
    assert snapshot.expected_iid == D(figures["expected"]["iid"])
    assert snapshot.predicate == figures["expected"]["predicate"]


def test_a_second_snapshot_the_same_day_replaces_the_figures(world, lampung, assessments):
    admin = world.user(Role.ADMIN)
    services.snapshots_take(today=TODAY)
    before = RegionIndexSnapshot.objects.get(region=lampung["a"], taken_on=TODAY)
    row = RegionAnswer.objects.filter(assessment=assessments["a"]).select_related("indicator", "assessment").first()
    answer_set(row=row, level=3, actor=admin)
    services.snapshots_take(today=TODAY)
    after = RegionIndexSnapshot.objects.get(region=lampung["a"], taken_on=TODAY)
    assert after.pk == before.pk
    assert after.claimed_iid > (before.claimed_iid or 0)


def test_snapshot_counts_evidence_and_rejected_rows(world, lampung, assessments):
    admin = world.user(Role.ADMIN)
    rows = list(RegionAnswer.objects.filter(assessment=assessments["a"]).select_related("indicator", "assessment")[:2])
    claim_with_evidence(rows[0], actor=admin, level=2, title="Perbup inovasi", year=2026)
    answer_set(row=rows[1], level=1, actor=admin)
    services.snapshots_take(today=TODAY)
    snapshot = RegionIndexSnapshot.objects.get(region=lampung["a"], taken_on=TODAY)
    assert snapshot.evidence_completeness == D("50.00")
    assert snapshot.rejected_rows == 0
    RegionAnswer.objects.filter(pk=rows[1].pk).update(status=RowStatus.REJECTED)
    assessment_recompute(assessment=assessments["a"])
    services.snapshots_take(today=TODAY)
    snapshot.refresh_from_db()
    assert snapshot.rejected_rows == 1
    # Regions without claims have no completeness figure rather than a made-up 0 or 100 %.
    assert RegionIndexSnapshot.objects.get(region=lampung["b"], taken_on=TODAY).evidence_completeness is None


def test_snapshot_takes_sosis_and_pm_indah_compliance(world, lampung, assessments):
    sosis = ProgrammeFactory(region=lampung["a"], kind=Programme.Kind.UNIT_QUOTA)
    pm_indah = ProgrammeFactory(region=lampung["a"], kind=Programme.Kind.OFFICIAL_QUOTA, name="PM Indah")
    services.snapshots_take(today=TODAY)
    snapshot = RegionIndexSnapshot.objects.get(region=lampung["a"], taken_on=TODAY)
    expected = programme_compliance(sosis, with_trend=False).tally
    assert snapshot.sosis_compliance == D(str(expected.percent)).quantize(D("0.01"))
    tally = programme_compliance(pm_indah, with_trend=False).tally
    assert snapshot.pm_indah_compliance == (D(str(tally.percent)).quantize(D("0.01")) if tally.total else None)
    assert RegionIndexSnapshot.objects.get(region=lampung["b"], taken_on=TODAY).sosis_compliance is None


def test_snapshot_queries_do_not_grow_with_regions(world, lampung, assessments, django_assert_max_num_queries):
    admin = world.user(Role.ADMIN)
    with django_assert_max_num_queries(12):
        services.snapshots_take(today=TODAY)
    for number in range(4):
        open_assessment(RegionFactory(code=f"18.7{number}", province=lampung["province"]), admin)
    with django_assert_max_num_queries(12):
        services.snapshots_take(today=TODAY + dt.timedelta(days=1))


def test_the_command_and_the_task_take_the_snapshot(world, lampung, assessments):
    out = io.StringIO()
    call_command("snapshot_indexes", "--date", "2026-08-01", stdout=out)
    assert "4 pemda" in out.getvalue()
    assert RegionIndexSnapshot.objects.filter(taken_on=dt.date(2026, 8, 1)).count() == 4
    with pytest.raises(CommandError, match="Tanggal tidak dikenali"):
        call_command("snapshot_indexes", "--date", "kemarin")
    call_command("snapshot_indexes", "--queue", stdout=io.StringIO())  # the immediate backend runs it
    assert RegionIndexSnapshot.objects.exclude(taken_on=dt.date(2026, 8, 1)).count() == 4


# Ranking ----------------------------------------------------------------------------------------


def test_ranking_order_ties_and_movement_since_last_week(world, lampung, assessments):
    snap(assessments["a"], WEEK_AGO, "50")
    snap(assessments["b"], WEEK_AGO, "60")
    snap(assessments["tanggamus"], WEEK_AGO, "40")
    snap(assessments["a"], TODAY, "70")
    snap(assessments["b"], TODAY, "60")
    snap(assessments["tanggamus"], TODAY, "60")
    snap(assessments["cilacap"], TODAY, "80")
    regions = services.regions_in_scope(lampung["province_admin"], lampung["province"])
    rows = services.ranking(regions=regions, year=2026, today=TODAY)
    assert [(row.region.code, row.rank, row.movement) for row in rows] == [
        ("18.04", 1, 1),
        ("18.01", 2, -1),  # tied with Tanggamus on every figure: the same rank
        ("18.06", 2, 1),
    ]
    # Among every hosted region Cilacap (outside the province) comes first.
    assert [row.rank_all for row in rows] == [2, 3, 3]


def test_a_region_without_a_snapshot_last_week_has_no_movement(world, lampung, assessments):
    snap(assessments["a"], TODAY, "70")
    rows = services.ranking(regions=Region.objects.filter(pk=lampung["a"].pk), year=2026, today=TODAY)
    assert rows[0].movement is None
    assert rows[0].days_left == (dt.date(2026, 8, 22) - TODAY).days


def test_the_ranking_breaks_ties_on_verified_iid(world, lampung, assessments):
    snap(assessments["a"], TODAY, "50", verified="20")
    snap(assessments["b"], TODAY, "50", verified="30")
    regions = Region.objects.filter(pk__in=[lampung["a"].pk, lampung["b"].pk])
    assert [row.region.code for row in services.ranking(regions=regions, year=2026, today=TODAY)] == ["18.01", "18.04"]


def test_need_help_puts_the_largest_gap_then_the_most_rejected_rows_first(world, lampung, assessments):
    snap(assessments["a"], TODAY, "70", rejected=9)  # top band: nothing to reach
    snap(assessments["b"], TODAY, "60", rejected=1)  # 5.01 to Sangat Inovatif
    snap(assessments["tanggamus"], TODAY, "30", rejected=2)  # 10.01 to Inovatif
    extra = open_assessment(RegionFactory(code="18.07", name="Kabupaten Pesawaran", province=lampung["province"]),
                            world.user(Role.ADMIN))  # fmt: skip
    snap(extra, TODAY, "30", rejected=5)
    regions = services.regions_in_scope(lampung["province_admin"], lampung["province"])
    rows = services.need_help(services.ranking(regions=regions, year=2026, today=TODAY))
    assert [row.region.code for row in rows] == ["18.07", "18.06", "18.01", "18.04"]
    assert rows[0].next_predicate == "Inovatif" and rows[0].gap == D("10.01")
    assert rows[2].gap == D("5.01") and rows[3].gap is None


def test_history_samples_dates_over_the_season(world, lampung, assessments):
    for offset in range(20):
        snap(assessments["a"], TODAY - dt.timedelta(days=offset), str(40 + offset))
    data = services.history(regions=Region.objects.filter(pk=lampung["a"].pk), year=2026, points=5)
    assert len(data.dates) == 5
    assert data.dates[0] == TODAY - dt.timedelta(days=19) and data.dates[-1] == TODAY
    region, cells = data.lines()[0]
    assert region == lampung["a"] and cells[-1].expected_iid == D("40")


def test_the_overview_takes_the_same_queries_for_more_regions(
    client, world, lampung, assessments, django_assert_max_num_queries
):
    for key in ("a", "b", "tanggamus"):
        snap(assessments[key], WEEK_AGO, "40")
        snap(assessments[key], TODAY, "50")
    client_for(client, lampung["province_admin"])
    client.get(reverse("rankings:overview"))  # warm the framework spec cache
    with django_assert_max_num_queries(16) as first:
        assert client.get(reverse("rankings:overview")).status_code == 200
    for number in range(6):
        region = RegionFactory(code=f"18.8{number}", province=lampung["province"])
        assessment = open_assessment(region, world.user(Role.ADMIN))
        snap(assessment, WEEK_AGO, "30")
        snap(assessment, TODAY, str(20 + number))
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("rankings:overview")).status_code == 200


# Export -----------------------------------------------------------------------------------------


def test_the_ranking_exports_to_csv_and_xlsx(client, world, lampung, assessments):
    snap(assessments["a"], WEEK_AGO, "50")
    snap(assessments["b"], WEEK_AGO, "60")
    snap(assessments["a"], TODAY, "70", claimed="75", verified="40", rejected=3, predicate="Sangat Inovatif")
    snap(assessments["b"], TODAY, "60")
    snap(assessments["cilacap"], TODAY, "90")
    client_for(client, lampung["province_admin"])
    response = client.get(reverse("rankings:export", args=["csv"]))
    assert response["Content-Disposition"].startswith("attachment;")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][:4] == ["Peringkat", "Perubahan sejak pekan lalu", "Kode", "Pemda"]
    assert [line[2] for line in lines[1:]] == ["18.04", "18.01"]
    assert lines[1][:8] == ["1", "1", "18.04", "Kabupaten Lampung Barat", "75.00", "70.00", "40.00", "Sangat Inovatif"]
    assert lines[1][11] == "3"
    response = client.get(reverse("rankings:export", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    ranking, history = book.worksheets
    values = [[cell.value for cell in row] for row in ranking.iter_rows()]
    codes = [row[2] for row in values]
    assert "18.04" in codes and "18.01" in codes and "33.01" not in codes
    history_values = [[cell.value for cell in row] for row in history.iter_rows()]
    header = next(row for row in history_values if "Kode" in row)
    assert WEEK_AGO.isoformat() in header and TODAY.isoformat() in header
    assert client.get(reverse("rankings:export", args=["pdf"])).status_code == 404


# Clinic -----------------------------------------------------------------------------------------


def test_a_province_admin_opens_a_clinic_case_for_a_region(client, world, lampung, assessments):
    client_for(client, lampung["province_admin"])
    url = reverse("rankings:help-case", args=["18.01"])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Pendampingan eviden SPD", "category": Case.Category.EVIDENCE, "description": "Banyak ditolak."}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.region == lampung["b"] and case.requester == lampung["province_admin"]
    assert case.events.get().action == "request"
    assert Notification.objects.filter(recipient=world.other_admin).exists()


def test_a_help_case_with_bad_input_or_outside_the_scope_is_not_opened(client, world, lampung, assessments):
    client_for(client, lampung["province_admin"])
    response = client.post(reverse("rankings:help-case", args=["18.01"]), {"title": " ", "category": "x"})
    assert response.status_code == 200
    assert "Jenis bantuan" in response.content.decode()
    response = client.post(
        reverse("rankings:help-case", args=["33.01"]),
        {"title": "Bantuan", "category": Case.Category.OTHER, "description": "—"},
    )
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_the_national_admin_sees_every_hosted_region_and_filters_by_province(client, world, lampung, assessments):
    for key, value in (("a", "60"), ("cilacap", "70")):
        snap(assessments[key], TODAY, value)
    client_for(client, world.national_admin)
    page = client.get(reverse("rankings:overview")).content.decode()
    assert "Kabupaten Cilacap" in page and "Kabupaten Lampung Barat" in page
    page = client.get(reverse("rankings:overview"), {"provinsi": "18"}).content.decode()
    assert "Kabupaten Cilacap" not in page and "Kabupaten Lampung Barat" in page
    assert client.get(reverse("rankings:region", args=["33.01"])).status_code == 200


def test_the_province_admin_home_shows_the_top_of_the_ranking(client, world, lampung, assessments):
    snap(assessments["a"], TODAY, "70")
    snap(assessments["tanggamus"], TODAY, "30")
    client_for(client, lampung["province_admin"])
    page = client.get(reverse("core:home")).content.decode()
    assert "Peringkat pemda di provinsi Anda" in page
    assert "Paling perlu dibantu: Kabupaten Tanggamus" in page


def test_the_demo_history_climbs_towards_today_and_is_taken_once(world, lampung, assessments):
    from lumbung.rankings.demo import history_backfill

    row = RegionAnswer.objects.filter(assessment=assessments["a"]).select_related("indicator", "assessment").first()
    answer_set(row=row, level=3, actor=world.user(Role.ADMIN))
    added = history_backfill(today=TODAY, weeks=4)
    assert added == 4 * 4
    assert history_backfill(today=TODAY, weeks=4) == 0
    assert RegionIndexSnapshot.objects.count() == 5 * 4
    lines = RegionIndexSnapshot.objects.filter(region=lampung["a"]).order_by("taken_on")
    claims = [snapshot.claimed_iid for snapshot in lines]
    assert claims == sorted(claims) and claims[-1] > claims[0]


def test_the_drill_down_and_the_export_take_a_bounded_number_of_queries(
    client, world, lampung, assessments, django_assert_max_num_queries
):
    for key in ("a", "b", "tanggamus"):
        snap(assessments[key], WEEK_AGO, "40")
        snap(assessments[key], TODAY, "50")
    client_for(client, lampung["province_admin"])
    client.get(reverse("rankings:region", args=["18.04"]))  # figures computed and cached once
    with django_assert_max_num_queries(25):
        assert client.get(reverse("rankings:region", args=["18.04"])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("rankings:export", args=["xlsx"])).status_code == 200
