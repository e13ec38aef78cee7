"""The automatic pre-check of an evidence file, run by the worker after each upload.

The text of a PDF is read with pdftotext (pypdf when poppler is missing); a scan, or a picture,
is read by OCR with Tesseract and its Indonesian data. From the text come the document's number,
date and year and the regions it names; these are compared with what the uploader typed and,
for each row the document serves, with the row's evidence-year rule (T-0/T-1/T-2). Signs of a
wrong document become findings that the operator sees before submitting and the verifier sees
beside the document. The pre-check informs; it never refuses anything.

Findings are codes with parameters (`{"code": ..., "level": "warning"|"info", "params": ...}`),
rendered in the reader's language by `describe`.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
import re
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lumbung.core.caching import region_data_changed
from lumbung.core.tasks import task

from .models import Document, PrecheckStatus

logger = logging.getLogger(__name__)

CHECKED_KINDS = (Document.Kind.PDF, Document.Kind.IMAGE)
TEXT_PAGES = 30  # pages of a typed PDF read for text
OCR_PAGES = 3  # pages of a scan read by OCR: the first two and the last (signature, date)
OCR_DPI = 200
MIN_LETTERS = 40  # fewer letters than this in a PDF's text layer: treat it as a scan
TOOL_TIMEOUT = 60  # seconds for one run of an external tool
WARNING, INFO = "warning", "info"
OCR_ALIKE = str.maketrans({"i": "1", "l": "1", "o": "0", "s": "5", "b": "8", "z": "2"})

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "maret": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nop": 11, "nov": 11,
    "nopember": 11, "desember": 12, "des": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_WORDS = re.compile(
    rf"\b(\d{{1,2}})\s*(?:-|\s)\s*({_MONTH_NAMES})\.?\s*(?:-|\s)\s*((?:19|20)\d\d)\b", re.IGNORECASE
)
DATE_DIGITS = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d\d)\b")
NUMBER_LINE = re.compile(r"\bno(?:mor|\.)\s*[:.]?\s*(.*)$", re.IGNORECASE | re.MULTILINE)
NUMBER_YEAR = re.compile(r"\btahun\s+((?:19|20)\d\d)\b", re.IGNORECASE)
TITLE_YEAR = re.compile(r"\btahun(?:\s+anggaran)?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
DECREE = re.compile(
    r"\b(?:surat\s+)?(?:keputusan|peraturan)\s+(?:bupati|wali\s*kota|walikota|gubernur|kepala|sekretaris|daerah|"
    r"camat|menteri|direktur|bersama)\b|\bsurat\s+keputusan\b",
    re.IGNORECASE,
)
BODY_STARTS = re.compile(r"\b(?:menimbang|mengingat|memperhatikan|memutuskan|dengan hormat)\b", re.IGNORECASE)
HEAD_CHARS = 2000
LETTERHEAD_CHARS = 400
SIGNED_DATE_CUE = re.compile(r"(?:tanggal|ditetapkan|tgl\.?)[^\n]{0,60}$", re.IGNORECASE)


# Reading the text -------------------------------------------------------------------------------


@dataclass
class Reading:
    text: str = ""
    pages: int = 0
    ocr: bool = False
    unreadable: bool = False
    ocr_missing: bool = False
    notes: list[str] = field(default_factory=list)


def tools() -> dict[str, bool]:
    return {name: shutil.which(name) is not None for name in ("pdftotext", "pdftoppm", "pdfinfo", "tesseract")}


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None and shutil.which("pdftoppm") is not None


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    # One OCR thread: the worker shares a small machine with the web processes.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8"}
    return subprocess.run(args, capture_output=True, timeout=TOOL_TIMEOUT, check=False, env=env, **kwargs)  # noqa: S603


@contextmanager
def local_copy(field_file):
    """The stored file as a path on this machine (storage may be S3)."""
    suffix = Path(field_file.name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="precheck-") as folder:
        path = Path(folder) / f"document{suffix}"
        with field_file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        yield path


def pdf_page_count(path: Path) -> int:
    if shutil.which("pdfinfo"):
        result = _run(["pdfinfo", str(path)])
        match = re.search(rb"^Pages:\s+(\d+)", result.stdout, re.MULTILINE)
        if match:
            return int(match.group(1))
    try:
        from pypdf import PdfReader

        return len(PdfReader(str(path)).pages)
    except Exception:  # noqa: BLE001 - any parsing failure means: pages unknown
        return 0


def _pdf_text(path: Path, pages: int) -> tuple[str, bool]:
    """(text layer, readable)."""
    if shutil.which("pdftotext"):
        result = _run(["pdftotext", "-q", "-layout", "-l", str(min(pages or TEXT_PAGES, TEXT_PAGES)), str(path), "-"])
        if result.returncode == 0:
            return result.stdout.decode("utf-8", "replace"), True
        return "", False
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:TEXT_PAGES]), True
    except Exception:  # noqa: BLE001
        return "", False


def _ocr_image(path: Path) -> str:
    result = _run(["tesseract", str(path), "stdout", "-l", _ocr_languages(), "--psm", "3"])
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else ""


@lru_cache(maxsize=1)
def _ocr_languages() -> str:
    result = _run(["tesseract", "--list-langs"])
    languages = result.stdout.decode("utf-8", "replace").split()
    return "ind" if "ind" in languages else "eng"


def _ocr_pdf(path: Path, pages: int) -> str:
    wanted = sorted({1, 2, pages} & set(range(1, (pages or 1) + 1)))[:OCR_PAGES] or [1]
    texts = []
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        for number in wanted:
            prefix = Path(folder) / f"page-{number}"
            args = [
                "pdftoppm",
                "-r",
                str(OCR_DPI),
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
            ]
            result = _run([*args, str(path), str(prefix)])
            image = prefix.with_suffix(".png")
            if result.returncode == 0 and image.exists():
                texts.append(_ocr_image(image))
    return "\n".join(texts)


def _letters(text: str) -> int:
    return sum(character.isalpha() for character in text)


def read_text(path: Path, kind: str) -> Reading:
    """The document's text: the PDF's own text layer, or OCR of its pages (or of the picture)."""
    reading = Reading()
    if kind == Document.Kind.IMAGE:
        reading.pages = 1
        if not shutil.which("tesseract"):
            reading.ocr_missing = True
            return reading
        reading.text, reading.ocr = _ocr_image(path), True
        return reading
    reading.pages = pdf_page_count(path)
    reading.text, readable = _pdf_text(path, reading.pages)
    if not readable and not reading.pages:
        reading.unreadable = True
        return reading
    if _letters(reading.text) < MIN_LETTERS:
        if not ocr_available():
            reading.ocr_missing = True
            return reading
        reading.text, reading.ocr = _ocr_pdf(path, reading.pages), True
    return reading


# What the text says -----------------------------------------------------------------------------


@dataclass
class Facts:
    year: int | None = None
    year_source: str = ""  # "number", "date" or "title"
    number: str = ""
    date: dt.date | None = None
    is_decree: bool = False
    regions: list[str] = field(default_factory=list)
    # Every year the document can be read as being of: its number's, its date's, its title's
    # (a report "Tahun 2025" signed in January 2026 is of either).
    years: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "year": self.year, "year_source": self.year_source, "number": self.number,
            "date": self.date.isoformat() if self.date else None, "is_decree": self.is_decree,
            "regions": self.regions, "years": self.years,
        }  # fmt: skip


def _date(day: str, month: int, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """(position, date) of every date written out ("5 Maret 2026") or in digits ("05-03-2026")."""
    found = []
    for match in DATE_WORDS.finditer(text):
        day = _date(match.group(1), MONTHS[match.group(2).lower()], match.group(3))
        if day:
            found.append((match.start(), day))
    for match in DATE_DIGITS.finditer(text):
        day = _date(match.group(1), int(match.group(2)), match.group(3))
        if day:
            found.append((match.start(), day))
    return sorted(found, key=lambda item: item[0])


def document_date(text: str) -> dt.date | None:
    """The date the document was signed or set: the one after "tanggal"/"ditetapkan", else the
    last date written (the signature block comes last)."""
    dates = find_dates(text)
    for position, day in dates:
        if SIGNED_DATE_CUE.search(text[max(0, position - 80) : position]):
            return day
    return dates[-1][1] if dates else None


def document_number(text: str) -> tuple[str, int | None]:
    """(number, its year) of the first "Nomor ..." line; ("", None) when it has no number (a
    decree whose number was left blank: "NOMOR : ......")."""
    # The document's own number is in its head; "Nomor 23 Tahun 2014" under "Mengingat" is a law's.
    head = BODY_STARTS.split(text[:HEAD_CHARS], maxsplit=1)[0]
    match = NUMBER_LINE.search(head)
    if not match:
        return "", None
    rest = re.split(r"\s{3,}|\btentang\b", match.group(1).strip(), maxsplit=1, flags=re.IGNORECASE)[0].strip(" :.")
    year_match = NUMBER_YEAR.search(rest)
    year = int(year_match.group(1)) if year_match else None
    if year is None and (tail := re.search(r"/\s*((?:19|20)\d\d)\s*$", rest)):
        year = int(tail.group(1))
    without_year = NUMBER_YEAR.sub("", rest)
    without_year = re.sub(r"/\s*(?:19|20)\d\d\s*$", "", without_year)
    if not re.search(r"\d", without_year):
        return "", None
    return re.sub(r"\s+", " ", rest)[:120], year


@lru_cache(maxsize=1)
def _region_names() -> tuple[re.Pattern, dict[str, str]]:
    """Every kabupaten and kota of the Kepmendagri list, as one pattern (longest names first, so
    "Kabupaten Solok Selatan" is not read as "Kabupaten Solok")."""
    from lumbung.organisation.reference import REGIONS_FILE

    names = {}
    with REGIONS_FILE.open(encoding="utf-8") as source:
        for row in csv.DictReader(source):
            if row["level"] in ("kabupaten", "kota"):
                names[_normal(row["name"])] = row["name"]
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![A-Z])(?:{alternatives})(?![A-Z])"), names


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.upper()).strip()


def regions_named(text: str) -> list[str]:
    """The kabupaten and kota named in the text, in order of first mention."""
    pattern, names = _region_names()
    seen: dict[str, None] = {}
    for match in pattern.finditer(_normal(text)):
        seen.setdefault(names[match.group(0)], None)
    return list(seen)


def read_facts(text: str) -> Facts:
    # Whose document it is shows in its letterhead; a region named further down (a study visit,
    # a partner) is no sign of a wrong document.
    facts = Facts(is_decree=bool(DECREE.search(text)), regions=regions_named(text[:LETTERHEAD_CHARS]))
    facts.number, number_year = document_number(text)
    facts.date = document_date(text)
    title_match = TITLE_YEAR.search(BODY_STARTS.split(text[:HEAD_CHARS], maxsplit=1)[0])
    title_year = int(title_match.group(1)) if title_match else None
    if number_year:
        facts.year, facts.year_source = number_year, "number"
    elif facts.date:
        facts.year, facts.year_source = facts.date.year, "date"
    elif title_year:
        facts.year, facts.year_source = title_year, "title"
    candidates = (number_year, facts.date.year if facts.date else None, title_year)
    facts.years = sorted({year for year in candidates if year})
    return facts


def _same_number(typed: str, found: str) -> bool:
    def key(value: str) -> str:
        # OCR reads roman numerals and letters as digits ("II.05" as "11.05"): compare them alike.
        return re.sub(r"[^0-9a-z]", "", value.lower()).translate(OCR_ALIKE)

    typed_key, found_key = key(typed), key(found)
    return bool(typed_key) and (typed_key in found_key or found_key in typed_key)


def _finding(code: str, level: str = WARNING, **params) -> dict:
    return {"code": code, "level": level, "params": params}


def compare(
    facts: Facts, *, region_name: str, typed_year: int | None, typed_number: str, typed_date, ocr: bool = False
) -> list[dict]:
    """The signs of a wrong document that do not depend on the row it serves. After OCR a number
    that differs is only a hint: OCR misreads digits more often than operators mistype them."""
    findings = []
    if facts.years and typed_year and typed_year not in facts.years:
        findings.append(_finding("year_mismatch", found=facts.year, typed=typed_year, source=facts.year_source))
    if facts.date and typed_date and facts.date != typed_date:
        findings.append(_finding("date_mismatch", found=facts.date.isoformat(), typed=typed_date.isoformat()))
    if facts.number and typed_number and not _same_number(typed_number, facts.number):
        findings.append(_finding("number_mismatch", INFO if ocr else WARNING, found=facts.number, typed=typed_number))
    if facts.is_decree and not facts.number:
        findings.append(_finding("no_number"))
    own = _normal(region_name)
    others = [name for name in facts.regions if _normal(name) != own]
    if others and (own not in {_normal(name) for name in facts.regions} or _normal(facts.regions[0]) != own):
        findings.append(_finding("other_region", names=others[:3]))
    if facts.year is None:
        findings.append(_finding("no_year", INFO))
    return findings


# Running it -------------------------------------------------------------------------------------


def precheck_document(document: Document) -> tuple[str, dict]:
    """(status, result) for one stored document; nothing is saved here."""
    if document.kind not in CHECKED_KINDS or not document.file:
        return PrecheckStatus.SKIPPED, {"findings": []}
    with local_copy(document.file) as path:
        return check_path(
            path, document.kind, region_name=document.region.name, typed_year=document.year,
            typed_number=document.number, typed_date=document.issued_on,
        )  # fmt: skip


def check_path(path: Path, kind: str, *, region_name: str, typed_year, typed_number: str, typed_date):
    """(status, result) for a file on disk, given what its uploader typed."""
    reading = read_text(path, kind)
    result = {"pages": reading.pages, "ocr": reading.ocr, "letters": _letters(reading.text)}
    if reading.ocr_missing:
        return PrecheckStatus.UNAVAILABLE, {**result, "findings": [_finding("ocr_missing", INFO)]}
    if reading.unreadable:
        return PrecheckStatus.WARNINGS, {**result, "findings": [_finding("unreadable")]}
    if _letters(reading.text) < MIN_LETTERS // 2:
        return PrecheckStatus.WARNINGS, {**result, "findings": [_finding("empty", ocr=reading.ocr)]}
    facts = read_facts(reading.text)
    findings = compare(
        facts, region_name=region_name, typed_year=typed_year, typed_number=typed_number, typed_date=typed_date,
        ocr=reading.ocr,
    )  # fmt: skip
    if reading.ocr:
        findings.append(_finding("ocr", INFO))
    status = PrecheckStatus.WARNINGS if any(f["level"] == WARNING for f in findings) else PrecheckStatus.PASSED
    excerpt = re.sub(r"\s+", " ", reading.text).strip()[:400]
    return status, {**result, "facts": facts.as_dict(), "findings": findings, "excerpt": excerpt}


def precheck_run(document_id: int) -> Document | None:
    """Check one document and store the result on it."""
    document = Document.objects.select_related("region").filter(pk=document_id).first()
    if document is None:
        return None
    try:
        status, result = precheck_document(document)
    except Exception:  # The pre-check informs; a failure of its tools must not stop anything.
        logger.exception("Evidence pre-check failed for document %s", document_id)
        status, result = PrecheckStatus.UNAVAILABLE, {"findings": [_finding("failed", INFO)]}
    document.precheck_status, document.precheck, document.precheck_checked_at = status, result, timezone.now()
    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(
            precheck_status=status, precheck=result, precheck_checked_at=document.precheck_checked_at
        )
        region_data_changed(document.region_id)
    return document


@task()
def document_precheck_task(document_id: int) -> str:
    document = precheck_run(document_id)
    return document.precheck_status if document else ""


def _on_document_adding(sender, instance, raw=False, **kwargs) -> None:
    """A new document is saved already marked: being checked, or not checked (no extra query)."""
    if instance._state.adding and not raw and not instance.precheck_status:
        checked = instance.kind in CHECKED_KINDS and bool(instance.file)
        instance.precheck_status = PrecheckStatus.PENDING if checked else PrecheckStatus.SKIPPED


def _on_document_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """Queue the check of a new file once its row is committed."""
    if created and not raw and instance.precheck_status == PrecheckStatus.PENDING:
        pk = instance.pk
        transaction.on_commit(lambda: document_precheck_task.enqueue(document_id=pk))


def connect_signals() -> None:
    """Every new document of the library is pre-checked, whichever part of the system filed it
    (a row's upload, the library page, an event's attendance list, the API)."""
    pre_save.connect(_on_document_adding, sender=Document, dispatch_uid="assessment_document_precheck_mark")
    post_save.connect(_on_document_saved, sender=Document, dispatch_uid="assessment_document_precheck")


# For a row and for readers ----------------------------------------------------------------------


def row_findings(document: Document, allowed_years: set[int]) -> list[dict]:
    """The document's findings plus the one that depends on the row: its year outside the row's
    evidence-year rule."""
    findings = list((document.precheck or {}).get("findings", []))
    facts = (document.precheck or {}).get("facts") or {}
    year = facts.get("year")
    years = set(facts.get("years") or ([year] if year else []))
    if years and allowed_years and not years & allowed_years:
        findings.insert(0, _finding("year_outside", found=year or max(years), years=sorted(allowed_years)))
    return findings


def row_passes(documents: list[Document], allowed_years: set[int]) -> bool:
    """Every document of the row was checked and nothing was found (the bulk accept's test)."""
    return bool(documents) and all(
        document.precheck_status == PrecheckStatus.PASSED
        and not any(f["level"] == WARNING for f in row_findings(document, allowed_years))
        for document in documents
    )


def _day(value: str) -> str:
    return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")


def describe(finding: dict) -> str:
    params, code = finding.get("params", {}), finding.get("code")
    texts = {
        "year_outside": lambda: (
            _("Dokumen bertahun %(found)s; ketentuan baris ini meminta tahun %(years)s.")
            % {"found": params["found"], "years": ", ".join(str(year) for year in params["years"])}
        ),
        "year_mismatch": lambda: _("Isi dokumen menyebut tahun %(found)s, tetapi tahun yang diisi %(typed)s.") % params,
        "date_mismatch": lambda: (
            _("Tanggal pada dokumen %(found)s, tetapi tanggal yang diisi %(typed)s.")
            % {"found": _day(params["found"]), "typed": _day(params["typed"])}
        ),
        "number_mismatch": lambda: (
            (
                _("Nomor pada dokumen “%(found)s”, tetapi nomor yang diisi “%(typed)s”.")
                if finding.get("level") == WARNING
                else _(
                    "Nomor terbaca (OCR) “%(found)s”, nomor yang diisi “%(typed)s”; bisa salah baca, cocokkan manual."
                )
            )
            % params
        ),
        "no_number": lambda: _("Dokumen berupa keputusan/peraturan tetapi nomornya tidak ditemukan (belum bernomor?)."),
        "other_region": lambda: _("Dokumen menyebut pemda lain: %(names)s.") % {"names": ", ".join(params["names"])},
        "no_year": lambda: _("Tahun dokumen tidak ditemukan dalam isinya; periksa secara manual."),
        "empty": lambda: _("Tidak ada teks yang terbaca: berkas kosong, buram, atau hanya gambar tanpa tulisan."),
        "unreadable": lambda: _("Berkas tidak dapat dibaca sebagai PDF."),
        "ocr": lambda: _("Dokumen hasil pindaian; teksnya dibaca dengan OCR, jadi bisa ada salah baca."),
        "ocr_missing": lambda: _("Dokumen hasil pindaian; pembaca OCR tidak terpasang di server, periksa manual."),
        "failed": lambda: _("Pra-periksa otomatis gagal berjalan untuk berkas ini; periksa manual."),
    }
    text = texts.get(code)
    return text() if text else str(code)
