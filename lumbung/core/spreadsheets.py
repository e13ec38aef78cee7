"""Reading the spreadsheets admins really keep, and writing Excel and CSV exports.

Real files carry title rows above the header (often merged cells), stray spaces, dates typed as
text in Indonesian, and long numbers that Excel turned into floats. The helpers here recognise
those cases and either clean them or explain in Indonesian why a value cannot be trusted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MONTHS_ID = {
    "januari": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2,
    "maret": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}  # fmt: skip

# Excel counts days from 1899-12-30; serials in this range are dates between 1950 and 2100.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIAL_RANGE = (18264, 73051)


class CellError(ValueError):
    """A cell whose value cannot be used; the message is shown to the admin."""


def clean_text(value) -> str:
    """Text with non-breaking spaces, tabs, line breaks and repeated spaces folded to one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"\s+", " ", text).strip()


def normalise_header(value) -> str:
    text = clean_text(value).lower()
    text = re.sub(r"[^\w]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_date(value) -> dt.date | None:
    """A date from a cell: a real Excel date, an Excel serial number, or text such as
    `17-08-2023`, `17/08/2023`, `17.08.2023`, `2023-08-17`, `17 Agustus 2023`, `17 Agt 2023`.

    Day-first is the Indonesian convention; a text like `08/17/2023` is refused rather than
    guessed. Returns None for an empty cell.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _EXCEL_SERIAL_RANGE[0] <= value <= _EXCEL_SERIAL_RANGE[1] and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError(_("'%(value)s' bukan tanggal.") % {"value": value})
    text = clean_text(value).lower().rstrip(".")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]00:00(?::00)?)?", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, value)
    match = re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _make_date(year, month, day, value)
    match = re.fullmatch(r"(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{4})", text)
    if match and match.group(2) in MONTHS_ID:
        return _make_date(int(match.group(3)), MONTHS_ID[match.group(2)], int(match.group(1)), value)
    raise CellError(
        _("'%(value)s' bukan tanggal yang dikenali; tulis seperti 17-08-2023 atau 17 Agustus 2023.")
        % {"value": clean_text(value)}
    )


def _make_date(year: int, month: int, day: int, original) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(
            _("'%(value)s' bukan tanggal yang ada (hari atau bulan tidak mungkin).") % {"value": clean_text(original)}
        ) from None


def parse_integer(value, *, minimum: int | None = None) -> int | None:
    if value is None or clean_text(value) == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value).replace(".", "") if isinstance(value, str) else value
    try:
        number = int(text)
    except (TypeError, ValueError):
        raise CellError(_("'%(value)s' bukan bilangan bulat.") % {"value": clean_text(value)}) from None
    if minimum is not None and number < minimum:
        raise CellError(_("%(value)s terlalu kecil (minimal %(min)s).") % {"value": number, "min": minimum})
    return number


def parse_yes_no(value) -> bool | None:
    text = normalise_header(value)
    if text in {"", "-"}:
        return None
    if text in {"ya", "y", "yes", "true", "1", "digital", "aktif"}:
        return True
    if text in {"tidak", "t", "no", "false", "0", "non digital", "nondigital", "tidak aktif"}:
        return False
    raise CellError(_("'%(value)s' harus Ya atau Tidak.") % {"value": clean_text(value)})


@dataclass
class SheetRows:
    header_row: int
    headers: list[str]
    # (row number as Excel shows it, {column key: raw cell value})
    rows: list[tuple[int, dict[str, object]]]
    unknown_headers: list[str]


class SheetError(ValueError):
    """The file as a whole cannot be read (not a workbook, no recognisable header row)."""


def read_sheet(
    source,
    columns: dict[str, Sequence[str]],
    *,
    required: Iterable[str] = (),
    scan_rows: int = 15,
    kind: str = "excel",
    max_rows: int | None = None,
) -> SheetRows:
    """Read the first worksheet whose header row names the `required` columns.

    `columns` maps a column key to the header texts that mean it (compared case- and
    punctuation-insensitively). Title rows above the header, merged or not, are skipped; fully
    empty rows are dropped. `kind="csv"` reads a CSV file as a single sheet.

    The sheet is read a row at a time (openpyxl's read-only mode); with `max_rows`, reading stops
    at the first data row past the limit with a SheetError, so a file of a million rows costs no
    more memory than one of `max_rows`.
    """
    aliases = {normalise_header(alias): key for key, names in columns.items() for alias in (key, *names)}
    required = set(required) or set(columns)
    if kind == "csv":
        return _read_first_matching([CsvSheet.load(source)], columns, aliases, required, scan_rows, max_rows)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a bad file
        raise SheetError(_("Berkas tidak dapat dibaca sebagai Excel (.xlsx).")) from error
    try:
        return _read_first_matching(workbook.worksheets, columns, aliases, required, scan_rows, max_rows)
    finally:
        workbook.close()


class CsvSheet:
    """The rows of a CSV file behind the same `iter_rows` call as an openpyxl worksheet."""

    def __init__(self, text: str, delimiter: str):
        self.text = text
        self.delimiter = delimiter

    @classmethod
    def load(cls, source) -> CsvSheet:
        raw = source.read()
        # Excel saves "CSV UTF-8" with a BOM, and plain "CSV" in the Windows code page.
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SheetError(_('Berkas CSV tidak dapat dibaca; simpan ulang dari Excel sebagai "CSV UTF-8".'))
        delimiter = _guess_delimiter(text.splitlines()[:30])
        return cls(text, delimiter)

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, values_only: bool = True):
        # Parsed lazily on every call, so only the rows being looked at are held as lists.
        rows = (tuple(row) for row in csv.reader(io.StringIO(self.text), delimiter=self.delimiter))
        return islice(rows, min_row - 1, max_row)


def _guess_delimiter(lines: list[str]) -> str:
    """The separator that splits most lines into the same number of columns.

    Indonesian Excel writes ";" (the comma is the decimal sign), others ","; commas inside free
    text vary from line to line, whereas the real separator gives every data line the same width.
    """

    def score(delimiter: str) -> tuple[int, int]:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1)
        return max(((count, width) for width, count in widths.items()), default=(0, 0))

    return max((";", ",", "\t"), key=score)


def _read_first_matching(sheets, columns, aliases, required, scan_rows, max_rows=None) -> SheetRows:
    for sheet in sheets:
        found = _find_header(sheet, aliases, required, scan_rows)
        if found:
            return _collect_rows(sheet, *found, max_rows=max_rows)
    raise SheetError(
        _("Baris judul kolom tidak ditemukan. Kolom yang wajib ada: %(columns)s.")
        % {"columns": ", ".join(str(columns[key][0]) if columns[key] else key for key in sorted(required))}
    )


def _find_header(sheet, aliases, required, scan_rows):
    for index, row in enumerate(sheet.iter_rows(max_row=scan_rows, values_only=True), start=1):
        keys = {}
        unknown = []
        for position, cell in enumerate(row):
            header = normalise_header(cell)
            if not header:
                continue
            if header in aliases and aliases[header] not in keys.values():
                keys[position] = aliases[header]
            else:
                unknown.append(clean_text(cell))
        if required <= set(keys.values()):
            return index, keys, unknown
    return None


# A run of this many empty rows ends the data: files formatted down to row 1,048,576 are common,
# and walking a million blank rows would keep the worker busy for nothing.
EMPTY_RUN_ENDS_DATA = 10_000


def too_many_rows_message(max_rows: int) -> str:
    return _(
        "Berkas ini berisi lebih dari %(max)s baris data, batas satu kali impor. Bagi isinya menjadi "
        "beberapa berkas berisi paling banyak %(max)s baris, lalu unggah satu per satu."
    ) % {"max": f"{max_rows:,}".replace(",", ".")}


def _collect_rows(sheet, header_row, keys, unknown, *, max_rows=None) -> SheetRows:
    rows = []
    empty_run = 0
    for number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1):
        values = {key: row[position] if position < len(row) else None for position, key in keys.items()}
        if all(clean_text(v) == "" for v in values.values()):
            empty_run += 1
            if empty_run >= EMPTY_RUN_ENDS_DATA:
                break
            continue
        empty_run = 0
        if max_rows is not None and len(rows) >= max_rows:
            raise SheetError(too_many_rows_message(max_rows))
        rows.append((number, values))
    return SheetRows(header_row=header_row, headers=list(keys.values()), rows=rows, unknown_headers=unknown)


def safe_cell(value):
    """Keep text that starts like a formula as text (no formula injection in exports)."""
    if isinstance(value, Promise):  # a lazy translation, e.g. a column label
        value = str(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# Column widths follow the longest value among the first rows: a write-only sheet must declare its
# columns before the first row is written, and later rows rarely change the picture.
WIDTH_SAMPLE_ROWS = 500
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def write_workbook(
    target, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]], *, title: str = "", progress=None
) -> None:
    """Write an .xlsx file with one sheet per (name, headers, rows) to `target` (a path or a
    binary file), headers bold and frozen.

    Rows are streamed (openpyxl's write-only mode): each is written as it comes and forgotten, so
    memory stays flat however many rows there are. Every cell, the title and headers included,
    goes through `safe_cell`: a title such as `=HYPERLINK(...)` is text, never a formula.
    `progress(count)` is called every 1,000 rows.
    """
    workbook = Workbook(write_only=True)
    title_font, header_font = Font(bold=True, size=13), Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8EEF4")
    header_alignment = Alignment(wrap_text=True, vertical="top")
    written = 0
    for name, headers, rows in sheets:
        # Excel refuses these characters in sheet names ("Pejabat/ASN" would break the file).
        sheet = workbook.create_sheet(title=_SHEET_NAME_FORBIDDEN.sub("-", str(name))[:31])
        rows = iter(rows)
        sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
        widths = [len(str(header)) for header in headers]
        for row in sample:
            for position, value in enumerate(row[: len(widths)]):
                widths[position] = max(widths[position], min(60, len(str(safe_cell(value) or ""))))
        for position, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(position)].width = width + 2
        offset = 1 if title else 0
        sheet.freeze_panes = f"A{offset + 2}"
        if title:
            sheet.append([_styled(sheet, safe_cell(title), font=title_font)])
        sheet.append(
            [
                _styled(sheet, safe_cell(str(header)), font=header_font, fill=header_fill, alignment=header_alignment)
                for header in headers
            ]
        )
        for row in chain(sample, rows):
            sheet.append([_data_cell(sheet, value) for value in row])
            written += 1
            if progress and written % 1000 == 0:
                progress(written)
    workbook.save(target)


def _styled(sheet, value, **styles):
    cell = WriteOnlyCell(sheet, value=value)
    for key, style in styles.items():
        setattr(cell, key, style)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _data_cell(sheet, value):
    value = safe_cell(value)
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD-MM-YYYY"
        return cell
    if isinstance(value, str) and value in ERROR_CODES:
        # Text such as "#N/A" would otherwise be written as an Excel error value.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    # A plain value is cheaper than a cell object; text never starts with "=" after safe_cell, so
    # openpyxl cannot mistake it for a formula.
    return value


def build_workbook(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]], *, title: str = "") -> bytes:
    """The .xlsx file of `write_workbook` as bytes (for small exports answered directly)."""
    buffer = io.BytesIO()
    write_workbook(buffer, sheets, title=title)
    return buffer.getvalue()


def xlsx_response(filename: str, sheets, *, title: str = "") -> HttpResponse:
    response = HttpResponse(build_workbook(sheets, title=title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Echo:
    """A file-like object whose write() hands the text back, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence], *, rows_per_chunk: int = 200) -> Iterator[str]:
    """The CSV export as text chunks: UTF-8 BOM, header line, then the rows, each text cell
    neutralised against formula injection. Nothing but the current chunk is held in memory."""
    # UTF-8 with BOM so that Excel opens Indonesian text correctly; ; is not used because
    # open-data consumers expect commas.
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([safe_cell(str(header)) for header in headers])
    chunk = []
    for row in rows:
        chunk.append(writer.writerow([safe_cell(value) if isinstance(value, str) else value for value in row]))
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def csv_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV answered in one piece (small files; pages that cache need a plain response)."""
    response = HttpResponse("".join(csv_chunks(headers, rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_streaming_response(filename: str, headers: Sequence[str], rows: Iterable[Sequence]) -> StreamingHttpResponse:
    """A CSV sent while it is written: rows are read from the database and sent a chunk at a time."""
    response = StreamingHttpResponse(
        (chunk.encode("utf-8") for chunk in csv_chunks(headers, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
