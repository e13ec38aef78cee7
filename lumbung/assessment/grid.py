"""The completeness matrix a page at a time, its counts for every entry in SQL, and its workbook
written row by row (openpyxl write-only mode), so neither grows with the number of innovations."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from lumbung.core.jobs import running_job, start_job
from lumbung.core.spreadsheets import safe_cell
from lumbung.core.tasks import task

from .models import Answer, EvidenceLink, RowStatus
from .reports import GAP_STATES, Cell, Matrix, MatrixRow, is_gap

PAGE_SIZE = 25
EXPORT_BATCH = 500
GAP = "gap"  # the status filter for mandatory gaps


@dataclass(frozen=True)
class MatrixFilter:
    unit: object = None  # a Unit: its entries and its sub-units'
    indicator: object = None  # an innovation Indicator: only its column, the status filter on it
    status: str = ""  # a RowStatus value, or GAP

    def narrow(self, entries):
        if self.unit is not None:
            entries = entries.filter(innovation__unit__path__startswith=self.unit.path)
        if self.status:
            rows = _with_evidence(Answer.objects.filter(entry=OuterRef("pk")))
            if self.indicator is not None:
                rows = rows.filter(indicator=self.indicator)
            rows = rows.filter(_gap_q() if self.status == GAP else Q(status=self.status))
            entries = entries.filter(Exists(rows))
        return entries


def _with_evidence(queryset):
    return queryset.annotate(has_evidence=Exists(EvidenceLink.objects.filter(answer=OuterRef("pk"))))


def _gap_q() -> Q:
    """reports.is_gap as a condition, for rows annotated with has_evidence."""
    return Q(entry__is_eligible=True, indicator__is_mandatory=True) & (Q(status__in=GAP_STATES) | Q(has_evidence=False))


def matrix_counts(entries, indicator=None) -> dict[str, int]:
    """Rows per state and mandatory gaps over every entry of `entries` (one aggregate query)."""
    rows = _with_evidence(Answer.objects.filter(entry__in=entries.values("pk"), indicator__aspect="innovation"))
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    totals = {status: Count("pk", filter=Q(status=status)) for status in RowStatus.values}
    counts = rows.order_by().aggregate(**totals, gaps=Count("pk", filter=_gap_q()))
    return {key: value or 0 for key, value in counts.items()}


def matrix_page(assessment, entries, filters: MatrixFilter, page_number) -> tuple[Matrix, object]:
    """One page of PAGE_SIZE entries × the indicators shown (three queries: count, page, rows)."""
    indicators = [filters.indicator] if filters.indicator is not None else innovation_indicators(assessment)
    ordered = filters.narrow(entries).select_related("innovation__unit").order_by("innovation__name", "pk")
    page = Paginator(ordered, PAGE_SIZE).get_page(page_number)
    return _matrix(indicators, list(page.object_list)), page


def innovation_indicators(assessment) -> list:
    return list(assessment.framework.indicators.filter(aspect="innovation").order_by("order"))


def _matrix(indicators, entries) -> Matrix:
    position = {indicator.pk: index for index, indicator in enumerate(indicators)}
    mandatory = {indicator.pk: indicator.is_mandatory for indicator in indicators}
    cells = {entry.pk: [None] * len(indicators) for entry in entries}
    eligible = {entry.pk for entry in entries if entry.is_eligible}
    answers = _with_evidence(Answer.objects.filter(entry__in=list(cells), indicator__in=list(position))).values_list(
        "pk", "entry_id", "indicator_id", "status", "level", "has_evidence"
    )
    for pk, entry_id, indicator_id, status, level, has_evidence in answers.order_by():
        # An entry that does not count in the index has no gaps to close, only reasons to fix.
        gap = entry_id in eligible and is_gap(
            mandatory=mandatory[indicator_id], status=status, has_evidence=has_evidence
        )
        cells[entry_id][position[indicator_id]] = Cell(pk, status, level, has_evidence, gap)
    return Matrix(indicators, [MatrixRow(entry, cells[entry.pk]) for entry in entries])


def row_url_prefix() -> str:
    """The address of an innovation row without its id, reversed once for a whole page of cells."""
    return reverse("assessment:row-detail", args=["inovasi", 0]).removesuffix("0/")


# The workbook ----------------------------------------------------------------------------------


def _text(value):
    """Text that starts like a formula stays text (no formula injection in the export)."""
    return safe_cell("" if value is None else value)


def matrix_workbook(assessment, entries, *, title: str, progress=None):
    """The matrix and its list of mandatory gaps as an .xlsx in a temporary file (rewound),
    written in batches of EXPORT_BATCH entries: memory stays flat as the region grows.
    `progress(done, total)` is called after each batch."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    from .scoring import entry_maturities

    indicators = innovation_indicators(assessment)
    workbook = Workbook(write_only=True)
    matrix_sheet = workbook.create_sheet(_("Matriks kelengkapan")[:31])
    gap_sheet = workbook.create_sheet(_("Kekurangan wajib")[:31])
    headers = [_("Inovasi"), _("Perangkat daerah"), _("Memenuhi syarat"), _("Kematangan klaim"),
               _("Kematangan terverifikasi")] + [
        f"{indicator.code}{'*' if indicator.is_mandatory else ''}" for indicator in indicators
    ]  # fmt: skip
    gap_headers = [_("Inovasi"), _("Perangkat daerah"), _("Indikator"), _("Nama indikator"), _("Masalah")]
    for sheet, columns in ((matrix_sheet, headers), (gap_sheet, gap_headers)):
        heading = WriteOnlyCell(sheet, value=_text(title))
        heading.font = Font(bold=True, size=13)
        sheet.append([heading])
        sheet.append([_bold(sheet, _text(str(column))) for column in columns])
        sheet.freeze_panes = "A3"
    ids = list(entries.order_by("innovation__name", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), EXPORT_BATCH):
        batch = list(entries.filter(pk__in=ids[start : start + EXPORT_BATCH]).select_related("innovation__unit")
                     .order_by("innovation__name", "pk"))  # fmt: skip
        grid = _matrix(indicators, batch)
        maturities = entry_maturities(entries=Q(entry__in=[entry.pk for entry in batch]))
        for row in grid.rows:
            _write_row(matrix_sheet, gap_sheet, row, indicators, maturities.get(row.entry.pk, {}))
        if progress is not None:
            progress(min(start + EXPORT_BATCH, len(ids)), len(ids))
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it (FileResponse, once sent)
    workbook.save(output)
    output.seek(0)
    return output


def _bold(sheet, value):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell


def _write_row(matrix_sheet, gap_sheet, row: MatrixRow, indicators, maturity: dict) -> None:
    entry = row.entry
    name, unit = entry.innovation.name, entry.innovation.unit.name
    values = [name, unit, _("ya") if entry.is_eligible else _("tidak"), maturity.get("claimed", ""),
              maturity.get("verified", "")]  # fmt: skip
    for indicator, cell in zip(indicators, row.cells, strict=True):
        if cell is None:
            values.append("")
            continue
        text = f"{cell.label} ({cell.level})" if cell.level else cell.label
        values.append(f"! {text}" if cell.gap else text)
        if cell.gap:
            problem = cell.label if cell.status in GAP_STATES else _("tanpa eviden")
            gap_sheet.append([_text(value) for value in (name, unit, indicator.code, indicator.name, problem)])
    matrix_sheet.append([_text(value) for value in values])


# Large exports in the worker -------------------------------------------------------------------

EXPORT_IN_WORKER = 2000  # entries; below this the workbook is written while the browser waits


@task()
def matrix_export_task(job_id: str, assessment_id: int, unit_id: int | None = None) -> None:
    from lumbung.organisation.models import Unit

    from .models import Assessment, Entry

    with running_job(job_id) as job:
        assessment = Assessment.objects.select_related("region", "framework").get(pk=assessment_id)
        # The owner's view of the region, as the page they started it from showed it.
        entries = Entry.objects.visible_to(job.job.owner, assessment.region).filter(assessment=assessment)
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        entries = MatrixFilter(unit=unit).narrow(entries)
        with matrix_workbook(assessment, entries, title=export_title(assessment), progress=job.step) as output:
            job.attach(export_name(assessment), output.read())


def matrix_export_start(*, assessment, actor, unit=None):
    return start_job(
        task=matrix_export_task,
        kind="matrix_export",
        label=export_title(assessment),
        owner=actor,
        region=assessment.region,
        next_url=reverse("assessment:matrix", args=[assessment.pk]),
        assessment_id=assessment.pk,
        unit_id=unit.pk if unit else None,
    )


def export_title(assessment) -> str:
    return _("Matriks kelengkapan IGA %(year)s — %(region)s") % {"year": assessment.year, "region": assessment.region}


def export_name(assessment) -> str:
    return f"matriks-iga-{assessment.year}.xlsx"
