"""Hosted regions side by side: daily index snapshots, the ranking, its history, the regions that
most need help, and a clinic case opened for one of them.

The snapshot (`snapshots_take`) is the only place that computes figures for many regions: it reads
each region's stored figures (kept current by assessment.scoring on every answer change, from the
sums the database triggers keep: ADR 0010), counts rows in two aggregate queries for all regions at
once, and asks innovations.compliance for the SOSIS and PM Indah tallies (a fixed number of
queries per programme). The row counts (evidence completeness, rejected rows) are the one part
that still reads every row: the kept sums hold levels, not rows, and know nothing of evidence.
The pages read snapshots only: a handful of queries whatever the number of regions. Only
aggregate figures and region names are kept, so a province may read them for all its regions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.assessment.models import Answer, Assessment, RegionAnswer, RowStatus
from lumbung.assessment.scoring import ensure_current
from lumbung.clinic import services as clinic_services
from lumbung.clinic.models import Case
from lumbung.core.caching import region_data_changed
from lumbung.core.roles import Role
from lumbung.core.tasks import task
from lumbung.frameworks.specs import spec_for
from lumbung.innovations.compliance import programme_compliance
from lumbung.innovations.models import Programme
from lumbung.organisation.models import Region

from .models import RegionIndexSnapshot

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
# The weeks back that "movement" compares with.
MOVEMENT_DAYS = 7
# At most this many dates in the history table and chart.
HISTORY_POINTS = 12


# Scope -------------------------------------------------------------------------------------------


def province_scope(user, region) -> list[Region]:
    """The provinces whose regions `user` may compare while working in `region`: the active region
    when it is a province where the user is province admin; any province for a national admin."""
    if region is None or not user.is_authenticated:
        return []
    if region.kind == Region.Kind.PROVINCE and user.has_role(Role.PROVINCE_ADMIN, region):
        return [region]
    return []


def regions_in_scope(user, region, *, province_code: str = ""):
    """Hosted regions the user may compare: all of them for a national admin (narrowed to one
    province on request), a province's own for its province admin, none for anyone else."""
    hosted = Region.objects.filter(is_hosted=True)
    if user.is_authenticated and user.is_national_admin:
        if province_code:
            return hosted.filter(Q(province__code=province_code) | Q(code=province_code, kind=Region.Kind.PROVINCE))
        return hosted
    provinces = province_scope(user, region)
    if not provinces:
        return hosted.none()
    return hosted.filter(Q(province__in=provinces) | Q(pk__in=[p.pk for p in provinces]))


def provinces_with_hosted_regions():
    """Provinces that have hosted regions, for the national admin's filter (one query)."""
    return (
        Region.objects.filter(kind=Region.Kind.PROVINCE)
        .filter(Q(members__is_hosted=True) | Q(is_hosted=True))
        .distinct()
    )


# Snapshots ---------------------------------------------------------------------------------------


def _newest_assessments(regions):
    newest = Assessment.objects.filter(region=OuterRef("region")).order_by("-year").values("year")[:1]
    return (
        Assessment.objects.filter(region__in=regions, year=Subquery(newest))
        .select_related("framework")
        .order_by("region_id")
    )


def _percent(part: int, whole: int) -> Decimal | None:
    return (HUNDRED * part / whole).quantize(CENT) if whole else None


def _row_counts(assessment_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per assessment: rows with a claim, those of them with evidence, and rejected rows; SPD rows
    and the rows of eligible innovations, two queries for every region at once. These read the
    rows themselves: IndicatorLevelSum keeps Σ level per indicator, not how many rows are claimed
    or rejected, and no kept table knows which rows have evidence."""
    claimed = ~Q(status=RowStatus.MISSING)
    counts = {
        "claimed": Count("pk", filter=claimed, distinct=True),
        "evidenced": Count("pk", filter=claimed & Q(evidence_links__isnull=False), distinct=True),
        "rejected": Count("pk", filter=Q(status=RowStatus.REJECTED), distinct=True),
    }
    totals = {pk: dict.fromkeys(counts, 0) for pk in assessment_ids}
    region_rows = (
        RegionAnswer.objects.filter(assessment_id__in=assessment_ids)
        .values("assessment_id")
        .annotate(**counts)
        .order_by()
    )
    innovation_rows = (
        Answer.objects.filter(scoring_assessment_id__in=assessment_ids, entry__is_eligible=True)
        .values("scoring_assessment_id")
        .annotate(**counts)
        .order_by()
    )
    for key, rows in (("assessment_id", region_rows), ("scoring_assessment_id", innovation_rows)):
        for row in rows:
            for name in counts:
                totals[row[key]][name] += row[name]
    return totals


def _compliance(assessments: list[Assessment]) -> dict[tuple[int, str], Decimal]:
    """The SOSIS (unit quota) and PM Indah (official quota) compliance of each region, from its
    newest programme of each kind in the assessment's year."""
    years = {assessment.region_id: assessment.year for assessment in assessments}
    programmes = Programme.objects.filter(region_id__in=years).order_by("region_id", "kind", "-reference_date", "-pk")
    chosen: dict[tuple[int, str], Programme] = {}
    for programme in programmes:
        if programme.year == years[programme.region_id]:
            chosen.setdefault((programme.region_id, programme.kind), programme)
    result = {}
    for key, programme in chosen.items():
        tally = programme_compliance(programme, with_trend=False).tally
        result[key] = Decimal(str(tally.percent)).quantize(CENT) if tally.total else None
    return result


def snapshot_values(assessments: list[Assessment]) -> dict[int, dict]:
    """The snapshot figures of each assessment (by region id)."""
    for assessment in assessments:
        ensure_current(assessment=assessment)  # recomputes only after the methodology was edited
    counts = _row_counts([assessment.pk for assessment in assessments])
    compliance = _compliance(assessments)
    values = {}
    for assessment in assessments:
        figures = assessment.figures or {}
        expected = figures.get("expected", {})
        rows = counts[assessment.pk]
        values[assessment.region_id] = {
            "assessment": assessment,
            "year": assessment.year,
            "claimed_iid": _decimal(figures.get("claimed", {}).get("iid")),
            "verified_iid": _decimal(figures.get("verified", {}).get("iid")),
            "expected_iid": _decimal(expected.get("iid")),
            "predicate": expected.get("predicate", ""),
            "sosis_compliance": compliance.get((assessment.region_id, Programme.Kind.UNIT_QUOTA)),
            "pm_indah_compliance": compliance.get((assessment.region_id, Programme.Kind.OFFICIAL_QUOTA)),
            "evidence_completeness": _percent(rows["evidenced"], rows["claimed"]),
            "rejected_rows": rows["rejected"],
        }
    return values


def _decimal(value) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


SNAPSHOT_FIELDS = [
    "year",
    "claimed_iid",
    "verified_iid",
    "expected_iid",
    "predicate",
    "sosis_compliance",
    "pm_indah_compliance",
    "evidence_completeness",
    "rejected_rows",
    "taken_at",
]


def snapshots_take(*, today: dt.date | None = None, regions=None) -> int:
    """Take today's snapshot of every hosted region (or of `regions`) for its newest assessment.
    Taking it again the same day replaces that day's row; returns how many regions were taken."""
    today = today or timezone.localdate()
    regions = regions if regions is not None else Region.objects.filter(is_hosted=True)
    assessments = list(_newest_assessments(regions))
    values = snapshot_values(assessments)
    now = timezone.now()
    rows = [
        RegionIndexSnapshot(region_id=region_id, taken_on=today, taken_at=now, **data)
        for region_id, data in values.items()
    ]
    with transaction.atomic():
        RegionIndexSnapshot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["region", "assessment", "taken_on"],
            update_fields=SNAPSHOT_FIELDS,
        )
        # The dashboards draw the snapshots (the season chart): cached pages of these regions go.
        if values:
            region_data_changed(*values)
    return len(rows)


@task()
def snapshot_indexes_task() -> int:
    """The daily snapshot, for the task worker (queue it once a day; running it twice is harmless)."""
    return snapshots_take()


# Ranking -----------------------------------------------------------------------------------------


@dataclass
class RankRow:
    region: Region
    snapshot: RegionIndexSnapshot
    rank: int = 0  # among the regions shown
    rank_all: int | None = None  # among every hosted region of the deployment
    previous_rank: int | None = None
    days_left: int | None = None
    next_predicate: str = ""
    gap: Decimal | None = None  # IID still needed for the next predicate (None: at the top)

    @property
    def movement(self) -> int | None:
        """Places gained since last week (positive: up), None without a snapshot a week old."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def _sort_key(snapshot) -> tuple:
    """The ranking order: expected IID, then verified, then claimed, highest first; region code."""

    def value(number) -> Decimal:
        return number if number is not None else Decimal(-1)

    return (-value(snapshot.expected_iid), -value(snapshot.verified_iid), -value(snapshot.claimed_iid))


def _ranks(snapshots) -> dict[int, int]:
    """Rank of each region id; equal figures share a rank (1, 2, 2, 4)."""
    ordered = sorted(snapshots, key=_sort_key)
    ranks, previous_key, previous_rank = {}, None, 0
    for position, snapshot in enumerate(ordered, start=1):
        key = _sort_key(snapshot)
        rank = previous_rank if key == previous_key else position
        ranks[snapshot.region_id] = rank
        previous_key, previous_rank = key, rank
    return ranks


def _latest(regions, year: int, on_or_before: dt.date):
    """Each region's newest snapshot of `year` taken on or before the day (one query)."""
    newest = (
        RegionIndexSnapshot.objects.filter(region=OuterRef("region"), year=year, taken_on__lte=on_or_before)
        .order_by("-taken_on")
        .values("taken_on")[:1]
    )
    return RegionIndexSnapshot.objects.filter(region__in=regions, year=year, taken_on=Subquery(newest))


def season_year(regions) -> int | None:
    """The newest year with snapshots among `regions`."""
    return RegionIndexSnapshot.objects.filter(region__in=regions).aggregate(year=Max("year"))["year"]


def ranking(*, regions, year: int, today: dt.date | None = None) -> list[RankRow]:
    """The regions side by side from their latest snapshot of `year`, ranked among themselves,
    with the rank a week earlier, the days left of the season and the gap to the next predicate.
    Four queries whatever the number of regions (the framework's bands are cached)."""
    today = today or timezone.localdate()
    current = list(
        _latest(regions, year, today).select_related("region", "assessment__framework").defer("assessment__figures")
    )
    ranks, previous = (
        _ranks(current),
        _ranks(_figures_only(_latest(regions, year, today - dt.timedelta(MOVEMENT_DAYS)))),
    )
    hosted = Region.objects.filter(is_hosted=True)
    everywhere = _ranks(_figures_only(_latest(hosted, year, today)))
    rows = []
    for snapshot in current:
        row = RankRow(snapshot.region, snapshot, rank=ranks[snapshot.region_id])
        row.rank_all = everywhere.get(snapshot.region_id)
        row.previous_rank = previous.get(snapshot.region_id)
        row.days_left = snapshot.assessment.days_left(today)
        _set_gap(row)
        rows.append(row)
    rows.sort(key=lambda row: (row.rank, row.region.code))
    return rows


def _figures_only(snapshots) -> list:
    return list(snapshots.only("region_id", "claimed_iid", "verified_iid", "expected_iid"))


def _set_gap(row: RankRow) -> None:
    iid = row.snapshot.expected_iid
    if iid is None:
        return
    bands = spec_for(row.snapshot.assessment.framework).bands  # highest first, cached per revision
    above = [(name, minimum) for name, minimum in bands if minimum > iid]
    if above:
        name, minimum = above[-1]
        row.next_predicate, row.gap = name, minimum - iid


def need_help(rows: list[RankRow]) -> list[RankRow]:
    """The regions that most need help: the largest gap to the next predicate first, then the most
    rejected rows; regions already in the top band come last."""
    return sorted(
        rows,
        key=lambda row: (row.gap is None, -(row.gap or 0), -row.snapshot.rejected_rows, row.region.code),
    )


# History -----------------------------------------------------------------------------------------


@dataclass
class History:
    dates: list[dt.date]
    regions: list[Region]
    # region id -> date -> snapshot
    cells: dict[int, dict[dt.date, RegionIndexSnapshot]] = field(default_factory=dict)

    def lines(self) -> list[tuple[Region, list[RegionIndexSnapshot | None]]]:
        return [(region, [self.cells.get(region.pk, {}).get(day) for day in self.dates]) for region in self.regions]


def history_dates(region_ids, year: int, *, points: int = HISTORY_POINTS) -> list[dt.date]:
    """Up to `points` snapshot dates spread over the season, the first and the latest included."""
    days = sorted(
        set(
            RegionIndexSnapshot.objects.filter(region_id__in=region_ids, year=year)
            .values_list("taken_on", flat=True)
            .distinct()
        )
    )
    if len(days) <= points:
        return days
    step = (len(days) - 1) / (points - 1)
    return sorted({days[round(index * step)] for index in range(points)})


def history(*, regions, year: int, points: int = HISTORY_POINTS) -> History:
    """Each region's snapshots on the sampled dates (two queries). `regions` is a queryset (listed
    by code) or a list of regions (kept in its order, e.g. the ranking's)."""
    region_list = list(regions.order_by("code")) if hasattr(regions, "order_by") else list(regions)
    ids = [region.pk for region in region_list]
    dates = history_dates(ids, year, points=points)
    result = History(dates, region_list)
    snapshots = RegionIndexSnapshot.objects.filter(region_id__in=ids, year=year, taken_on__in=dates).only(
        "region_id", "taken_on", "claimed_iid", "verified_iid", "expected_iid", "predicate"
    )
    for snapshot in snapshots:
        result.cells.setdefault(snapshot.region_id, {})[snapshot.taken_on] = snapshot
    return result


# Export ------------------------------------------------------------------------------------------


def ranking_export_rows(rows: list[RankRow]) -> tuple[list[str], list[list]]:
    headers = [
        _("Peringkat"),
        _("Perubahan sejak pekan lalu"),
        _("Kode"),
        _("Pemda"),
        _("IID klaim"),
        _("IID perkiraan"),
        _("IID terverifikasi"),
        _("Predikat (perkiraan)"),
        _("Kepatuhan SOSIS (%)"),
        _("Kepatuhan PM Indah (%)"),
        _("Kelengkapan bukti (%)"),
        _("Baris ditolak"),
        _("Sisa hari"),
        _("Kurang untuk predikat berikutnya"),
        _("Tanggal potret"),
    ]
    body = []
    for row in rows:
        s = row.snapshot
        body.append(
            [
                row.rank,
                row.movement if row.movement is not None else "",
                row.region.code,
                row.region.name,
                s.claimed_iid,
                s.expected_iid,
                s.verified_iid,
                s.predicate,
                s.sosis_compliance,
                s.pm_indah_compliance,
                s.evidence_completeness,
                s.rejected_rows,
                row.days_left if row.days_left is not None else "",
                row.gap if row.gap is not None else "",
                s.taken_on,
            ]
        )
    return headers, body


def history_export_rows(data: History) -> tuple[list[str], list[list]]:
    headers = [_("Kode"), _("Pemda"), *[day.isoformat() for day in data.dates]]
    body = [
        [region.code, region.name, *[cell.expected_iid if cell else "" for cell in cells]]
        for region, cells in data.lines()
    ]
    return headers, body


# Clinic ------------------------------------------------------------------------------------------


def help_case_open(*, target: Region, actor, title: str, description: str, category: str) -> Case:
    """Open a clinic case for `target` on behalf of its province (the case belongs to the target
    region; its innovation admins are told and triage it as any other request)."""
    if not actor.has_perm("rankings.open_help_case", target):
        raise ValidationError(_("Pemda ini di luar cakupan Anda."))
    if target.kind == Region.Kind.PROVINCE and not target.is_hosted:
        raise ValidationError(_("Pemda ini tidak memakai aplikasi ini."))
    return clinic_services.case_request(
        region=target, requester=actor, title=title, description=description, category=category
    )
