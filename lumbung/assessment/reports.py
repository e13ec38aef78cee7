"""Read models of an assessment: the completeness matrix, progress per unit and mandatory gaps.
Each is a fixed number of queries whatever the number of innovations and rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .models import Answer, Assessment, Entry, EvidenceLink, RegionAnswer, RowStatus

GAP_STATES = (RowStatus.MISSING, RowStatus.REJECTED)


def _eligible_rows(assessment: Assessment):
    """The innovation rows of the eligible entries, found through the answers' own indexed
    assessment column (through the entries the database scans every region's answers)."""
    return Answer.objects.filter(scoring_assessment=assessment, entry__is_eligible=True)


def _with_evidence(queryset, field_name: str = "answer"):
    return queryset.annotate(has_evidence=Exists(EvidenceLink.objects.filter(**{field_name: OuterRef("pk")})))


def is_gap(*, mandatory: bool, status: str, has_evidence: bool) -> bool:
    """A mandatory row that would score nothing at national validation."""
    return mandatory and (status in GAP_STATES or not has_evidence)


@dataclass(frozen=True)
class Cell:
    answer_id: int
    status: str
    level: int
    has_evidence: bool
    gap: bool

    @property
    def label(self) -> str:
        return RowStatus(self.status).label


@dataclass
class MatrixRow:
    entry: Entry
    cells: list[Cell | None]

    @property
    def gaps(self) -> int:
        return sum(1 for cell in self.cells if cell and cell.gap)


@dataclass
class Matrix:
    indicators: list
    rows: list[MatrixRow] = field(default_factory=list)

    @property
    def gap_count(self) -> int:
        return sum(row.gaps for row in self.rows)

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(RowStatus.values, 0)
        for row in self.rows:
            for cell in row.cells:
                if cell:
                    counts[cell.status] += 1
        return counts


def completeness_matrix(assessment: Assessment, entries) -> Matrix:
    """Entries (a queryset, already filtered) × the innovation indicators, in three queries."""
    indicators = list(assessment.framework.indicators.filter(aspect="innovation").order_by("order"))
    position = {indicator.pk: index for index, indicator in enumerate(indicators)}
    mandatory = {indicator.pk: indicator.is_mandatory for indicator in indicators}
    entries = list(entries.select_related("innovation__unit"))
    cells: dict[int, list[Cell | None]] = {entry.pk: [None] * len(indicators) for entry in entries}
    answers = _with_evidence(Answer.objects.filter(entry__in=[entry.pk for entry in entries])).values_list(
        "pk", "entry_id", "indicator_id", "status", "level", "has_evidence"
    )
    eligible = {entry.pk for entry in entries if entry.is_eligible}
    for pk, entry_id, indicator_id, status, level, has_evidence in answers:
        if indicator_id in position:
            # An entry that does not count in the index has no gaps to close, only reasons to fix.
            gap = entry_id in eligible and is_gap(
                mandatory=mandatory[indicator_id], status=status, has_evidence=has_evidence
            )
            cells[entry_id][position[indicator_id]] = Cell(pk, status, level, has_evidence, gap)
    return Matrix(indicators, [MatrixRow(entry, cells[entry.pk]) for entry in entries])


def matrix_sheets(assessment: Assessment, matrix: Matrix) -> list:
    """The matrix as workbook sheets: one cell per row, and the list of mandatory gaps."""
    from .scoring import entry_maturities

    maturities = entry_maturities(entries=Q(entry__in=[row.entry.pk for row in matrix.rows]))
    headers = [_("Inovasi"), _("Perangkat daerah"), _("Memenuhi syarat"), _("Kematangan klaim"),
               _("Kematangan terverifikasi")] + [
        f"{indicator.code}{'*' if indicator.is_mandatory else ''}" for indicator in matrix.indicators
    ]  # fmt: skip
    rows, gaps = [], []
    for row in matrix.rows:
        entry = row.entry
        values = [
            entry.innovation.name,
            entry.innovation.unit.name,
            _("ya") if entry.is_eligible else _("tidak"),
            maturities.get(entry.pk, {}).get("claimed", ""),
            maturities.get(entry.pk, {}).get("verified", ""),
        ]
        for indicator, cell in zip(matrix.indicators, row.cells, strict=True):
            if cell is None:
                values.append("")
                continue
            text = f"{cell.label} ({cell.level})" if cell.level else cell.label
            values.append(f"! {text}" if cell.gap else text)
            if cell.gap:
                problem = cell.label if cell.status in GAP_STATES else _("tanpa eviden")
                gaps.append(
                    (entry.innovation.name, entry.innovation.unit.name, indicator.code, indicator.name, problem)
                )
        rows.append(values)
    return [
        (_("Matriks kelengkapan"), headers, rows),
        (_("Kekurangan wajib"), [_("Inovasi"), _("Perangkat daerah"), _("Indikator"), _("Nama indikator"),
                                 _("Masalah")], gaps),
    ]  # fmt: skip


@dataclass
class UnitProgress:
    unit_id: int | None  # None: SPD rows no unit answers for yet
    name: str
    entries: int = 0
    spd_rows: int = 0
    rows: int = 0
    filled: int = 0
    accepted: int = 0
    rejected: int = 0
    gaps: int = 0

    @property
    def filled_percent(self) -> int:
        return round(self.filled * 100 / self.rows) if self.rows else 0

    @property
    def accepted_percent(self) -> int:
        return round(self.accepted * 100 / self.rows) if self.rows else 0


ROW_COUNTS = ("rows", "filled", "accepted", "rejected", "gaps")


def _counts_by_unit(queryset, unit_field: str, **extra) -> dict:
    """{unit id: {"rows": ..., "filled": ..., ...}} over rows annotated with `has_evidence`."""
    gap = Q(indicator__is_mandatory=True) & (Q(status__in=GAP_STATES) | Q(has_evidence=False))
    counts = (
        queryset.values(unit_field)
        .annotate(
            rows=Count("id"),
            filled=Count("id", filter=~Q(status=RowStatus.MISSING)),
            accepted=Count("id", filter=Q(status=RowStatus.ACCEPTED)),
            rejected=Count("id", filter=Q(status=RowStatus.REJECTED)),
            gaps=Count("id", filter=gap),
            **extra,
        )
        .order_by()
    )
    return {row.pop(unit_field): row for row in counts}


def unit_progress(assessment: Assessment) -> list[UnitProgress]:
    """Per unit: entered innovations, the SPD rows it answers for, and over both kinds of rows:
    filled, accepted, rejected and mandatory gaps (three queries)."""
    from lumbung.organisation.models import Unit

    innovation = _counts_by_unit(
        _with_evidence(_eligible_rows(assessment)),
        "entry__innovation__unit_id",
        entries=Count("entry", distinct=True),
    )
    spd = _counts_by_unit(
        _with_evidence(RegionAnswer.objects.filter(assessment=assessment), "region_answer"), "unit_id"
    )
    units = Unit.objects.in_bulk([pk for pk in {*innovation, *spd} if pk is not None])
    progress = []
    for pk in {*innovation, *spd}:
        unit = units.get(pk)
        item = UnitProgress(pk, (unit.short_name or unit.name) if unit else _("SPD belum ditugaskan"))
        item.entries = innovation.get(pk, {}).get("entries", 0)
        item.spd_rows = spd.get(pk, {}).get("rows", 0)
        for name in ROW_COUNTS:
            setattr(item, name, innovation.get(pk, {}).get(name, 0) + spd.get(pk, {}).get(name, 0))
        progress.append(item)
    return sorted(progress, key=lambda item: (item.unit_id is None, item.name.lower()))


def region_rows(assessment: Assessment):
    """The SPD rows with their evidence count (one query)."""
    return (
        RegionAnswer.objects.filter(assessment=assessment)
        .select_related("indicator", "unit")
        .annotate(evidence_count=Count("evidence_links"))
        .order_by("indicator__order")
    )


def region_gaps(rows) -> int:
    return sum(
        1
        for row in rows
        if is_gap(mandatory=row.indicator.is_mandatory, status=row.status, has_evidence=row.evidence_count > 0)
    )


def status_summary(assessment: Assessment) -> dict[str, int]:
    """How many innovation rows are in each state, over eligible entries."""
    counts = dict.fromkeys(RowStatus.values, 0)
    rows = _eligible_rows(assessment).values("status").annotate(total=Count("id")).order_by()
    for row in rows:
        counts[row["status"]] = row["total"]
    return counts


def _evidence_count(field_name: str):
    """The number of evidence links of a row, as a correlated count: computed only for the rows of
    the page shown, where a join and GROUP BY would count them for every waiting row."""
    links = EvidenceLink.objects.filter(**{field_name: OuterRef("pk")}).order_by().values(field_name)
    return Coalesce(Subquery(links.annotate(total=Count("pk")).values("total")), 0)


class QueueRows:
    """The rows waiting for a verdict, SPD rows first, then the oldest claims: counted and sliced
    in SQL, so a page of the paginator reads only its own rows (two or three queries)."""

    def __init__(self, region_rows, innovation_rows):
        self.region_rows, self.innovation_rows = region_rows, innovation_rows

    @cached_property
    def _region_count(self) -> int:
        return self.region_rows.count()

    def count(self) -> int:
        return self._region_count + self.innovation_rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("QueueRows reads a range of rows")
        start, stop = index.start or 0, index.stop if index.stop is not None else self.count()
        split = self._region_count
        rows = list(self.region_rows[start : min(stop, split)]) if start < split else []
        if stop > split:
            rows += list(self.innovation_rows[max(start - split, 0) : stop - split])
        return rows


def verification_queue(assessment: Assessment, unit=None) -> QueueRows:
    """Rows waiting for a verdict, SPD rows first, then the oldest claims; a unit sees its
    innovations' rows only."""
    from .models import AWAITING_VERDICT

    region = (
        RegionAnswer.objects.filter(assessment=assessment, status__in=AWAITING_VERDICT)
        .select_related("indicator", "assessment")
        .annotate(evidence_count=_evidence_count("region_answer"))
        .order_by("updated_at", "pk")
    )
    innovation = (
        _eligible_rows(assessment)
        .filter(status__in=AWAITING_VERDICT)
        .select_related("indicator", "entry__innovation__unit", "entry__assessment")
        .annotate(evidence_count=_evidence_count("answer"))
        .order_by("updated_at", "pk")
    )
    if unit is not None:
        region = region.none()
        innovation = innovation.filter(entry__innovation__unit__path__startswith=unit.path)
    return QueueRows(region, innovation)


def rows_awaiting_verdict(assessment: Assessment) -> int:
    from .models import AWAITING_VERDICT

    innovation = Answer.objects.filter(scoring_assessment=assessment, status__in=AWAITING_VERDICT).count()
    region = RegionAnswer.objects.filter(assessment=assessment, status__in=AWAITING_VERDICT).count()
    return innovation + region


def innovation_gap_count(assessment: Assessment) -> int:
    """How many mandatory rows of eligible entries would score nothing (one query)."""
    rows = _with_evidence(_eligible_rows(assessment).filter(indicator__is_mandatory=True))
    return rows.filter(Q(status__in=GAP_STATES) | Q(has_evidence=False)).count()


def entry_gaps(assessment: Assessment) -> dict[int, int]:
    """Mandatory gaps per entry id."""
    gaps: dict[int, int] = defaultdict(int)
    answers = _with_evidence(_eligible_rows(assessment).filter(indicator__is_mandatory=True)).values_list(
        "entry_id", "status", "has_evidence"
    )
    for entry_id, status, has_evidence in answers:
        if is_gap(mandatory=True, status=status, has_evidence=has_evidence):
            gaps[entry_id] += 1
    return gaps
