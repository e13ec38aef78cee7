"""The snapshot's figures on a season of several regions, each with a few hundred answered rows:
equal to what the aggregate over every answer row gave before the sums were kept (ADR 0010), and
taken in the same number of queries however many innovations the regions enter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lumbung.assessment import scoring
from lumbung.assessment.models import Assessment, RegionAnswer, RowStatus
from lumbung.assessment.services import answer_set
from lumbung.assessment.tests.bulk import grow
from lumbung.assessment.tests.factories import AFFAIRS, DocumentFactory, affair, claim_with_evidence, enter
from lumbung.assessment.tests.factories import open_assessment as assessment_for
from lumbung.assessment.tests.test_level_sums import old_counts_and_affairs, old_maturity_sums
from lumbung.core.roles import Role
from lumbung.frameworks.specs import spec_for
from lumbung.rankings import services
from lumbung.rankings.models import RegionIndexSnapshot
from tests.factories import RegionFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 10)
YEAR = 2026

# Per assessment, every claimed, evidenced and rejected row (SPD rows and the eligible entries'
# rows), counted from the rows themselves with EXISTS instead of the snapshot's joined COUNT.
OLD_ROW_COUNTS = """
    SELECT assessment_id, SUM(claimed), SUM(evidenced), SUM(rejected) FROM (
        SELECT r.assessment_id,
               CASE WHEN r.status <> 'missing' THEN 1 ELSE 0 END AS claimed,
               CASE WHEN r.status <> 'missing' AND EXISTS (
                   SELECT 1 FROM assessment_evidencelink l WHERE l.region_answer_id = r.id) THEN 1 ELSE 0 END
                   AS evidenced,
               CASE WHEN r.status = 'rejected' THEN 1 ELSE 0 END AS rejected
        FROM assessment_regionanswer r
        UNION ALL
        SELECT a.scoring_assessment_id,
               CASE WHEN a.status <> 'missing' THEN 1 ELSE 0 END,
               CASE WHEN a.status <> 'missing' AND EXISTS (
                   SELECT 1 FROM assessment_evidencelink l WHERE l.answer_id = a.id) THEN 1 ELSE 0 END,
               CASE WHEN a.status = 'rejected' THEN 1 ELSE 0 END
        FROM assessment_answer a JOIN assessment_entry e ON e.id = a.entry_id AND e.is_eligible
    ) rows_of_all GROUP BY assessment_id
"""


def old_figures(assessment: Assessment) -> dict:
    """The three projections as scoring computed them before the sums were kept: the maturity
    sums from every answer row, the count and basic services from every eligible entry."""
    sums = scoring._Sums()
    spd = RegionAnswer.objects.filter(assessment=assessment).aggregate(**scoring._SUMS)
    sums.spd = scoring._pair(spd)
    maturity = old_maturity_sums().get(assessment.pk, (Decimal("0.00"),) * 3)
    sums.maturity_sum = dict(zip(scoring.PROJECTIONS, maturity, strict=True))
    sums.count, sums.basic_services = old_counts_and_affairs(assessment.pk)
    return scoring.figures_for(spec_for(assessment.framework), sums)


def old_row_counts() -> dict[int, tuple[int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(OLD_ROW_COUNTS)
        return {row[0]: tuple(int(value) for value in row[1:]) for row in cursor.fetchall()}


def percent(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(Decimal("0.01")) if whole else None


def spread(assessment, admin, *, seed: int) -> None:
    """SPD rows in every state, some with evidence, some rejected, a raised claim waiting."""
    rows = [
        row
        for row in RegionAnswer.objects.filter(assessment=assessment).select_related("indicator", "assessment")
        if not row.indicator.thresholds  # measured rows follow a number; chosen levels suffice here
    ]
    for number, row in enumerate(rows[: 6 + seed]):
        level = 1 + (number + seed) % 3
        if number % 3 == 0:
            claim_with_evidence(row, actor=admin, level=level, title=f"Perbup {seed}-{number}", year=YEAR)
        else:
            answer_set(row=row, level=level, actor=admin)
    RegionAnswer.objects.filter(pk=rows[1].pk).update(status=RowStatus.REJECTED)
    RegionAnswer.objects.filter(pk=rows[2].pk).update(status=RowStatus.ACCEPTED)
    RegionAnswer.objects.filter(pk=rows[3].pk).update(status=RowStatus.CLAIMED, accepted_level=1, level=3)


def enlarge(assessment, admin, unit, count: int) -> None:
    """`count` more innovations of the region's first one, in every state, 1 in 10 not eligible."""
    template = assessment.entries.order_by("pk").first().innovation
    document = DocumentFactory(region=assessment.region, uploaded_by=admin)
    grow(assessment, count, actor=admin, units=[unit], template=template, document=document)


@pytest.fixture
def season(world):
    """Four regions of one province with different mixes: entered innovations on several affairs
    (basic services among them), one initiative (not eligible), SPD rows in every state and, in
    bulk, 15 to 45 more innovations each; the figures stored as the services leave them."""
    for code in AFFAIRS:
        affair(code)
    province = RegionFactory(code="18", name="Provinsi Lampung", kind="province", is_hosted=False)
    regions = [world.region, world.other_region]
    units = [world.unit, world.other_unit]
    for number, name in enumerate(("Kabupaten Tanggamus", "Kabupaten Pesawaran")):
        region = RegionFactory(code=f"18.0{6 + number}", name=name, province=province)
        regions.append(region)
        units.append(UnitFactory(region=region, name=f"Bappeda {name}"))
    assessments, admins = [], []
    for seed, (region, unit) in enumerate(zip(regions, units, strict=True)):
        admin = user_with_role(Role.ADMIN, region)
        assessment = assessment_for(region, admin)
        main = ["pendidikan", "kesehatan", "pupr", "sosial"][seed]
        first = enter(assessment, admin, unit=unit, name=f"Layanan Daring {seed}", main_affair=affair(main))
        first.innovation.related_affairs.set([affair("trantibum"), affair("kominfo")][: seed % 3])
        enter(assessment, admin, unit=unit, name=f"Gagasan {seed}", stage="initiative")
        rows = first.answers.select_related("indicator", "entry", "scoring_assessment").order_by("pk")
        for number, row in enumerate([row for row in rows if not row.indicator.thresholds][:5]):
            answer_set(row=row, level=1 + (number + seed) % 3, actor=admin)
        spread(assessment, admin, seed=seed)
        enlarge(assessment, admin, unit, 15 + 10 * seed)
        assessments.append(assessment)
        admins.append(admin)
    # Bulk inserts pass by the services: the figures are refreshed as after a methodology edit.
    scoring.recompute_year(year=YEAR)
    return {"assessments": assessments, "units": units, "admins": admins}


def test_the_snapshot_gives_the_figures_of_the_aggregate_over_every_answer(season):
    assert services.snapshots_take(today=TODAY) == 4
    counts = old_row_counts()
    for assessment in Assessment.objects.filter(pk__in=[a.pk for a in season["assessments"]]):
        old = old_figures(assessment)
        snapshot = RegionIndexSnapshot.objects.get(assessment=assessment, taken_on=TODAY)
        stored = {name: assessment.figures[name] for name in scoring.PROJECTIONS}
        assert stored == old  # every figure of the three projections, not only the IID
        assert snapshot.claimed_iid == Decimal(old["claimed"]["iid"])
        assert snapshot.expected_iid == Decimal(old["expected"]["iid"])
        assert snapshot.verified_iid == Decimal(old["verified"]["iid"])
        assert snapshot.predicate == old["expected"]["predicate"]
        claimed, evidenced, rejected = counts[assessment.pk]
        assert snapshot.evidence_completeness == percent(evidenced, claimed)
        assert snapshot.rejected_rows == rejected
    # Not a trivial season: the regions differ, and each projection moved somewhere.
    snapshots = RegionIndexSnapshot.objects.filter(taken_on=TODAY)
    assert len({snapshot.expected_iid for snapshot in snapshots}) == 4
    assert all(s.claimed_iid > s.expected_iid > 0 and s.rejected_rows > 0 for s in snapshots)
    assert any(s.verified_iid != s.expected_iid for s in snapshots)


def test_the_snapshot_takes_the_same_queries_for_more_innovations(season):
    with CaptureQueriesContext(connection) as small:
        services.snapshots_take(today=TODAY)
    for assessment, unit, admin in zip(season["assessments"], season["units"], season["admins"], strict=True):
        enlarge(assessment, admin, unit, 60)
    scoring.recompute_year(year=YEAR)
    assert Assessment.objects.get(pk=season["assessments"][0].pk).figures["claimed"]["innovation_count"] > 60
    with CaptureQueriesContext(connection) as large:
        services.snapshots_take(today=TODAY + dt.timedelta(days=1))
    assert len(large.captured_queries) == len(small.captured_queries)
