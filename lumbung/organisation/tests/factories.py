"""Builders for organisation tests: the shared model factories (tests/factories.py) plus the
messy Excel files admins really upload."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lumbung.core.spreadsheets import XLSX_CONTENT_TYPE
from tests.factories import AssignmentFactory, OfficialFactory, RegionFactory, UnitFactory, make_nip

__all__ = ["AssignmentFactory", "OfficialFactory", "RegionFactory", "UnitFactory", "make_nip", "sheet_upload"]


def sheet_upload(headers, rows, *, titles=(), name="data.xlsx", text_columns=()) -> SimpleUploadedFile:
    """An .xlsx upload: optional title lines (merged across the header width, as offices do),
        a header row, then `rows`. Text in `text_columns` is stored as Excel text cells (numbers stay
    numbers, as when Excel turned a NIP into one)."""
    workbook = Workbook()
    sheet = workbook.active
    for line in titles:
        sheet.append([line])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
        for position, header in enumerate(headers, start=1):
            cell = sheet.cell(row=sheet.max_row, column=position)
            if header in text_columns and isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
