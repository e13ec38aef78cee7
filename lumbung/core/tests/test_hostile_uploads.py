"""The hostile-upload corpus (issue 12): polyglots, zip bombs in every Office format, PDFs with
JavaScript, launch actions or embedded files, decompression-bomb images, and names with path
separators, NUL bytes and right-to-left marks.

Every case goes through `inspect_upload` and through a form's SafeFileField: 0 accepted that
should not be, 0 errors other than a ValidationError in Indonesian, memory bounded.
"""

import io
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lumbung.core.files import inspect_upload
from lumbung.core.forms import SafeFileField

from .uploads import PDF, pdf_bytes

ALL_KINDS = ("pdf", "image", "excel", "word", "slides", "video", "csv")
OOXML = {"xlsx": ("excel", "xl/workbook.xml"), "docx": ("word", "word/document.xml"),
         "pptx": ("slides", "ppt/presentation.xml")}  # fmt: skip
MB = 1024 * 1024


def _zip(members: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg(width: int = 16, height: int = 16) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "green").save(buffer, "JPEG")
    return buffer.getvalue()


def _png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares a huge picture (pixels never stored)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def _jpeg_declaring(width: int, height: int) -> bytes:
    data = bytearray(_jpeg())
    at = data.find(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password="rahasia", owner_password="pemilik", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# (case id, file name, content, kinds allowed by the field). Every one of these must be refused.
REFUSED: list[tuple[str, str, bytes, tuple[str, ...]]] = []


def refuse(case, name, content, kinds=ALL_KINDS):
    REFUSED.append((case, name, content, kinds))


# Polyglots and disguises -------------------------------------------------------------------------
HTML = b"<!doctype html><html><body><script>fetch('/akun/profil/')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 300
for ext in ("pdf", "png", "jpg", "jpeg", "xlsx", "docx", "pptx", "mp4"):
    refuse(f"html-as-{ext}", f"laporan.{ext}", HTML)
    refuse(f"exe-as-{ext}", f"laporan.{ext}", EXE)
    refuse(f"elf-as-{ext}", f"laporan.{ext}", ELF)
refuse("svg-as-png", "logo.png", SVG)
refuse("svg", "logo.svg", SVG)
refuse("html", "halaman.html", HTML)
refuse("exe", "setup.exe", EXE)
refuse("exe-csv", "daftar.csv", EXE)
refuse("pdf-then-script", "sk.pdf", PDF + b"<script>alert(1)</script>")
refuse("pdf-then-html", "sk.pdf", PDF + HTML)
refuse("pdf-then-zip", "sk.pdf", PDF + _zip({"a.txt": b"isi"}))
refuse("pdf-then-exe", "sk.pdf", PDF + EXE)
refuse("pdf-then-text", "sk.pdf", PDF + b"bukan spasi")
refuse("html-then-pdf", "sk.pdf", HTML + PDF)
refuse("zip-as-pdf", "sk.pdf", _zip({"a.txt": b"isi"}))
refuse("pdf-as-png", "foto.png", PDF)
refuse("pdf-as-xlsx", "data.xlsx", PDF)
refuse("png-as-pdf", "sk.pdf", _png(8, 8))
refuse("jpeg-as-docx", "surat.docx", _jpeg())
for ext in OOXML:
    refuse(f"plain-zip-as-{ext}", f"berkas.{ext}", _zip({"readme.txt": b"x"}))
    refuse(f"jar-as-{ext}", f"berkas.{ext}", _zip({"META-INF/MANIFEST.MF": b"Main-Class: X\n", "X.class": b"\xca\xfe"}))
    refuse(f"broken-zip-{ext}", f"berkas.{ext}", b"PK\x03\x04" + b"\x00" * 50)
    for other, (_other_kind, other_marker) in OOXML.items():
        if other != ext:
            refuse(f"{other}-as-{ext}", f"berkas.{ext}", _zip({other_marker: b"<x/>"}))

# Zip bombs in every Office format -------------------------------------------------------------------
for ext, (_kind, marker) in OOXML.items():
    refuse(f"ratio-bomb-{ext}", f"besar.{ext}", _zip({marker: b"<x/>", "isi.xml": b"\x00" * (40 * MB)}))
    refuse(f"spread-bomb-{ext}", f"besar.{ext}",
           _zip({marker: b"<x/>", **{f"bagian{n}.xml": b" " * (4 * MB) for n in range(12)}}))  # fmt: skip
    refuse(f"many-members-{ext}", f"banyak.{ext}", _zip({marker: b"<x/>", **{f"m{n}": b"" for n in range(5200)}}, 1))

# PDFs with active content, broken or locked PDFs ------------------------------------------------------
ACTIVE = {
    "openaction-js": b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
    "openaction-js-hex-names": b"/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",
    "names-js-tree": b"/Names << /JavaScript << /Names [(a) << /S /JavaScript /JS (x) >>] >> >>",
    "openaction-launch": b"/OpenAction << /S /Launch /F (cmd.exe) >>",
    "openaction-launch-win": b"/OpenAction << /S /Launch /Win << /F (calc.exe) >> >>",
    "import-data": b"/OpenAction << /S /ImportData /F (data.fdf) >>",
    "embedded-files": b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
    "aa-on-catalog": b"/AA << /WC << /S /JavaScript /JS (x) >> >>",
    "js-as-reference": b"/OpenAction 4 0 R",
}
for case, extra in ACTIVE.items():
    objects = (
        b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length 0 >>\nstream\n\nendstream",
    )
    if case == "js-as-reference":
        objects = (b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",)
    refuse(f"pdf-{case}", "sk.pdf", pdf_bytes(extra, objects=objects))
refuse("pdf-unreferenced-js", "sk.pdf", pdf_bytes(objects=(b"<< /S /JavaScript /JS (x) >>",)))
refuse("pdf-unreferenced-embedded", "sk.pdf",
       pdf_bytes(objects=(b"<< /Type /EmbeddedFile /Length 3 >>\nstream\nMZ!\nendstream",)))  # fmt: skip
refuse("pdf-rich-media", "sk.pdf", pdf_bytes(objects=(b"<< /Type /Annot /Subtype /RichMedia >>",)))
refuse("pdf-encrypted", "sk.pdf", _encrypted_pdf())
refuse("pdf-header-only", "sk.pdf", b"%PDF-1.7\n")
refuse("pdf-header-and-eof", "sk.pdf", b"%PDF-1.4\n%%EOF\n")
refuse("pdf-no-root", "sk.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
refuse("pdf-no-pages", "sk.pdf", PDF.replace(b"/Kids [3 0 R] /Count 1", b"/Kids [] /Count 0"))
for cut in (20, 60, 120, 200, len(PDF) - 40, len(PDF) - 8):
    refuse(f"pdf-truncated-{cut}", "sk.pdf", PDF[:cut])

# Decompression bombs and broken pictures -------------------------------------------------------------
refuse("png-declares-100k-square", "foto.png", _png_declaring(100_000, 100_000), ("image",))
refuse("png-declares-wide", "foto.png", _png_declaring(2_000_000, 30), ("image",))
refuse("jpeg-declares-65k-square", "foto.jpg", _jpeg_declaring(65_000, 65_000), ("image",))
refuse("jpeg-declares-tall", "foto.jpeg", _jpeg_declaring(1_000, 60_000), ("image",))
refuse("png-truncated", "foto.png", _png(8, 8)[:40], ("image",))
refuse("jpeg-truncated", "foto.jpg", _jpeg()[:30], ("image",))

# Names: path separators, NUL bytes, right-to-left marks hiding the real extension --------------------
for name in ("laporan\u202efdp.exe", "foto\u202egnp.exe", "sk.pdf\x00.exe", "sk.pdf.exe", "../../etc/passwd",
             "..\\..\\windows\\win.ini", "/etc/shadow", "C:\\boot.ini", "sk.pdf\\", "sk.pdf\u200b.html",
             "sk.pdf .exe", "sk.PDF.js", "sk.pdf%00.exe"):  # fmt: skip
    refuse(f"name-{name!r}", name, PDF)

ACCEPTED_NAMES = {
    "../../etc/sk.pdf": "sk.pdf",
    "..\\..\\windows\\sk.pdf": "sk.pdf",
    "C:\\Users\\Ani\\Dokumen\\sk.pdf": "sk.pdf",
    "sk\x00.pdf": "sk.pdf",
    "fdp.\u202eexe.pdf": "fdp.exe.pdf",
    "Laporan\u200fTahunan.pdf": "LaporanTahunan.pdf",
    "sk\ud800.pdf": "sk.pdf",
    "sk.pdf\x00": "sk.pdf",
    "sk.pd\u200df": "sk.pdf",
}


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_corpus_has_at_least_a_hundred_cases():
    assert len(REFUSED) + len(ACCEPTED_NAMES) >= 100
    assert len({case for case, *_rest in REFUSED}) == len(REFUSED)


@pytest.mark.parametrize(("case", "name", "content", "kinds"), REFUSED, ids=[c[0] for c in REFUSED])
def test_hostile_uploads_are_refused_with_an_indonesian_reason(case, name, content, kinds):
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as caught:
            inspect_upload(_upload(name, content), kinds=kinds)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = caught.value.messages[0]
    assert any(word in message for word in ("Berkas", "berkas", "Gambar", "Isi", "Jenis")), message
    # The bombs are refused from their headers: nothing near their inflated size is ever allocated.
    assert peak < 3 * len(content) + 48 * MB, (case, peak)


@pytest.mark.parametrize(("raw", "kept"), ACCEPTED_NAMES.items(), ids=[repr(n) for n in ACCEPTED_NAMES])
def test_odd_names_of_a_genuine_pdf_are_kept_without_paths_or_invisible_characters(raw, kept):
    info = inspect_upload(_upload(raw, PDF), kinds=("pdf",))
    assert info.original_name == kept
    assert not {"/", "\\", "\x00", "\u202e", "\u200f"} & set(info.original_name)


class _Form(forms.Form):
    file = SafeFileField(kinds=ALL_KINDS)


@pytest.mark.parametrize(("case", "name", "content", "kinds"), REFUSED[::3], ids=[c[0] for c in REFUSED[::3]])
def test_a_form_refuses_them_with_a_field_error_not_an_exception(db, case, name, content, kinds):
    form = _Form(data={}, files={"file": _upload(name, content)})
    assert not form.is_valid()
    assert form.errors["file"]


def test_genuine_files_of_every_kind_still_pass():
    genuine = {
        "sk.pdf": PDF, "foto.png": _png(640, 480), "foto.jpg": _jpeg(640, 480),
        "besar.png": _png(4000, 3000),
        **{f"berkas.{ext}": _zip({marker: b"<x/>", "isi.xml": b"<a/>" * 50_000}) for ext, (_k, marker) in OOXML.items()},
    }  # fmt: skip
    for name, content in genuine.items():
        inspect_upload(_upload(name, content), kinds=ALL_KINDS)
