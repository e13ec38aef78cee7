"""The spreadsheet exports as they were before they streamed (commit e261c1c), kept as the
reference the streamed exports are compared with: same cells, same formats, same CSV bytes."""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter


def _safe_cell(value):
    """Keep text that starts like a formula as text (no formula injection in exports)."""
    if isinstance(value, Promise):  # a lazy translation, e.g. a column label
        value = str(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def build_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]], *, title: str = "") -> bytes:
    """An .xlsx file with one sheet per (name, headers, rows); headers bold and frozen."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, headers, rows in sheets:
        # Excel refuses these characters in sheet names ("Pejabat/ASN" would break the file).
        sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", name)[:31])
        offset = 0
        if title:
            sheet.append([title])
            sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
            offset = 1
        sheet.append([str(header) for header in headers])
        for cell in sheet[offset + 1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="E8EEF4")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths = [len(str(h)) for h in headers]
        for row in rows:
            values = [_safe_cell(value) for value in row]
            sheet.append(values)
            for position, value in enumerate(values):
                widths[position] = max(widths[position], min(60, len(str(value or ""))))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
                elif isinstance(cell.value, str):
                    cell.data_type = "s"
        for position, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = width + 2
        sheet.freeze_panes = sheet.cell(row=offset + 2, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe_cell(value) if isinstance(value, str) else value for value in row])
    return buffer.getvalue().encode("utf-8")
