"""The unit tree a new region starts from: the standard set of perangkat daerah of a kabupaten,
a kota or a provinsi (data/unit-templates/<kind>.csv), or the region's own spreadsheet.

A template is an ordinary unit import file (Nama, Singkatan, Jenis, Induk), read by the same
UnitImporter as an upload, so what a template may hold is exactly what an import may hold; edit the
files to change what new regions get, and each region edits its own tree afterwards as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lumbung.core.imports import RowResult
from lumbung.core.spreadsheets import SheetError, read_sheet

from .importers import UnitImporter
from .models import Region, Unit
from .services import units_bulk_create

TEMPLATE_DIR = Path(__file__).parent / "data" / "unit-templates"
TEMPLATE_FILES = {
    Region.Kind.REGENCY: "kabupaten.csv",
    Region.Kind.CITY: "kota.csv",
    Region.Kind.PROVINCE: "provinsi.csv",
}


@dataclass(frozen=True)
class UnitRows:
    """Checked rows of a unit sheet for a region that has no units yet, in file order."""

    rows: list[dict]
    source: str  # "templat kabupaten.csv" or the uploaded file's name


def template_path(kind: str) -> Path:
    return TEMPLATE_DIR / TEMPLATE_FILES[kind]


def template_rows(region: Region) -> UnitRows:
    """The standard units for the region's kind, checked like an import."""
    path = template_path(region.kind)
    with open(path, "rb") as handle:
        return read_unit_rows(region, handle, kind="csv", source=_("templat %(name)s") % {"name": path.name})


def read_unit_rows(region: Region, handle, *, kind: str, source: str) -> UnitRows:
    """Read a unit sheet (xlsx or csv) for `region` with the unit importer's columns and checks.

    Raises ValidationError listing the problems (the first rows' messages) when the file cannot be
    read, has no rows, or any row has an error: onboarding takes a file whole or not at all."""
    importer = UnitImporter(region, None)
    columns = {column.key: (column.label, *column.aliases) for column in importer.columns}
    required = [column.key for column in importer.columns if column.required]
    try:
        sheet = read_sheet(handle, columns, required=required, kind=kind, max_rows=settings.LUMBUNG_IMPORT_MAX_ROWS)
    except SheetError as error:
        raise ValidationError(str(error)) from None
    importer.prepare()
    rows, problems = [], []
    for number, values in sheet.rows:
        result = RowResult()
        importer.current_row = number
        importer.parse_row(values, result)
        if result.errors:
            problems.append(_("Baris %(row)s: %(errors)s") % {"row": number, "errors": "; ".join(result.errors)})
        rows.append(result.cleaned)
    if not rows:
        raise ValidationError(_("Berkas perangkat daerah tidak berisi baris data di bawah judul kolom."))
    if problems:
        shown = problems[:5]
        if len(problems) > len(shown):
            shown.append(_("… dan %(n)s baris bermasalah lainnya.") % {"n": len(problems) - len(shown)})
        raise ValidationError(shown)
    return UnitRows(rows=rows, source=source)


def units_create(*, region: Region, unit_rows: UnitRows, actor, reason: str = "") -> list[Unit]:
    """Create the rows' units in `region` (which has none yet) in a few bulk inserts, level by
    level, with their history rows naming `actor`; return them level by level, each level in file
    order. Runs inside the caller's transaction."""
    units = units_bulk_create(region=region, actor=actor, rows=unit_rows.rows, reason=reason)
    return sorted(units, key=lambda unit: unit.depth)
