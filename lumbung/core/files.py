"""Untrusted uploads: check kind by content, extension and size; name files on the server;
keep a checksum; serve private files only through permission-checked views."""

from __future__ import annotations

import hashlib
import io
import posixpath
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileKind:
    code: str
    label: str
    extensions: tuple[str, ...]
    mimes: tuple[str, ...]


FILE_KINDS: dict[str, FileKind] = {
    kind.code: kind
    for kind in (
        FileKind("pdf", gettext_lazy("PDF"), (".pdf",), ("application/pdf",)),
        FileKind("image", gettext_lazy("Gambar (JPG/PNG)"), (".jpg", ".jpeg", ".png"), ("image/jpeg", "image/png")),
        FileKind(
            "excel",
            gettext_lazy("Excel (.xlsx)"),
            (".xlsx",),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
        ),
        FileKind(
            "word",
            gettext_lazy("Word (.docx)"),
            (".docx",),
            ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
        ),
        FileKind(
            "slides",
            gettext_lazy("PowerPoint (.pptx)"),
            (".pptx",),
            ("application/vnd.openxmlformats-officedocument.presentationml.presentation",),
        ),
        FileKind("video", gettext_lazy("Video (MP4)"), (".mp4",), ("video/mp4",)),
        FileKind("csv", gettext_lazy("CSV (.csv)"), (".csv",), ("text/csv",)),
    )
}

# Office files are ZIP archives; this part must be inside for the file to be what it claims.
_OOXML_MARKERS = {"excel": "xl/workbook.xml", "word": "word/document.xml", "slides": "ppt/presentation.xml"}


@dataclass(frozen=True)
class UploadInfo:
    kind: str
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return settings.LUMBUNG_MAX_UPLOAD_MB * 1024 * 1024


def kinds_label(kinds: tuple[str, ...] | list[str]) -> str:
    return ", ".join(str(FILE_KINDS[k].label) for k in kinds)


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks() if hasattr(uploaded, "chunks") else iter(lambda: uploaded.read(65536), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def safe_original_name(raw) -> str:
    """The user's file name as kept in the database and shown back: the last part of any path
    (either slash), without control characters, NUL bytes or bidirectional marks (which make
    `foto\u202egnp.exe` display as `fotoexe.png`)."""
    name = str(raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    return name.strip().strip(".") or "berkas"


def inspect_upload(uploaded, *, kinds: tuple[str, ...] | list[str], max_bytes: int | None = None) -> UploadInfo:
    """Validate an uploaded file against the allowed kinds; raise ValidationError in Indonesian.

    The extension must be allowed, the content must be of the same kind as the extension says
    (a renamed program or a PDF saved as .jpg is refused), the file must not be empty, too large
    or visibly broken.
    """
    max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
    name = safe_original_name(uploaded.name)
    extension = posixpath.splitext(name)[1].lower()
    allowed = [FILE_KINDS[k] for k in kinds]
    claimed = next((kind for kind in allowed if extension in kind.extensions), None)
    if claimed is None:
        raise ValidationError(
            _("Jenis berkas %(ext)s tidak diterima. Yang diterima: %(kinds)s.")
            % {"ext": extension or _("(tanpa ekstensi)"), "kinds": kinds_label(kinds)},
            code="extension",
        )
    size = uploaded.size or 0
    if size == 0:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size)s MB); batasnya %(max)s MB.")
            % {"name": name, "size": f"{size / 1048576:.1f}".replace(".", ","), "max": max_bytes // 1048576},
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    guess = filetype.guess(head)
    detected = guess.mime if guess else None
    if claimed.code in _OOXML_MARKERS:
        _check_ooxml(uploaded, claimed, name)
        detected = claimed.mimes[0]
    elif claimed.code == "csv" and detected is None and b"\x00" not in head:
        detected = claimed.mimes[0]  # plain text carries no signature; binary content is refused below
    if detected not in claimed.mimes:
        raise ValidationError(
            _("Isi berkas %(name)s bukan %(kind)s walaupun namanya berakhiran %(ext)s.")
            % {"name": name, "kind": claimed.label, "ext": extension},
            code="disguised",
        )
    _check_intact(uploaded, claimed, name)
    return UploadInfo(
        kind=claimed.code,
        content_type=detected,
        extension=".jpg" if extension == ".jpeg" else extension,
        size=size,
        sha256=sha256_of(uploaded),
        original_name=name[:255],
    )


def _check_ooxml(uploaded, kind: FileKind, name: str) -> None:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(_as_seekable(uploaded)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(
            _("Berkas %(name)s rusak atau bukan %(kind)s.") % {"name": name, "kind": kind.label}, code="broken"
        ) from error
    finally:
        uploaded.seek(0)
    _check_zip_sizes(infos, kind, name)
    if _OOXML_MARKERS[kind.code] not in names:
        raise ValidationError(
            _("Isi berkas %(name)s bukan %(kind)s.") % {"name": name, "kind": kind.label}, code="disguised"
        )


# Readers of Office files (openpyxl, the pack builder) go through zipfile, which never inflates a
# member past its declared size: bounding the declared sizes bounds the memory they can take.
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_UNCOMPRESSED = 300 * 1024 * 1024
MAX_ZIP_RATIO = 200


def _check_zip_sizes(infos, kind: FileKind, name: str) -> None:
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if (
        len(infos) > MAX_ZIP_MEMBERS
        or total > MAX_ZIP_UNCOMPRESSED
        or (total > 10 * 1024 * 1024 and total / packed > MAX_ZIP_RATIO)
    ):
        raise ValidationError(
            _("Berkas %(name)s mengembang terlalu besar saat dibuka (%(size)s MB); ini bukan %(kind)s yang wajar.")
            % {"name": name, "size": total // 1048576, "kind": kind.label},
            code="zip_bomb",
        )


def _check_intact(uploaded, kind: FileKind, name: str) -> None:
    """Catch truncated or corrupted files that still start with the right signature."""
    broken = ValidationError(
        _("Berkas %(name)s rusak atau tidak lengkap; unggah ulang berkas aslinya.") % {"name": name},
        code="broken",
    )
    if kind.code == "pdf":
        from .pdfcheck import pdf_check

        pdf_check(_as_seekable(uploaded), name)
        uploaded.seek(0)
    elif kind.code == "image":
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(_as_seekable(uploaded)) as image:
                # Checked before anything decodes the pixels: a small file can declare a picture
                # that would take gigabytes to open (a decompression bomb).
                width, height = image.size
                if width * height > settings.LUMBUNG_MAX_IMAGE_PIXELS:
                    raise ValidationError(
                        _("Gambar %(name)s terlalu besar (%(width)s × %(height)s piksel); batasnya %(max)s juta piksel.")
                        % {"name": name, "width": width, "height": height,
                           "max": settings.LUMBUNG_MAX_IMAGE_PIXELS // 1_000_000},
                        code="too_large",
                    )  # fmt: skip
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise broken from error
        finally:
            uploaded.seek(0)


def _as_seekable(uploaded) -> io.BytesIO:
    # Uploads are capped at a few tens of MB, so a copy in memory is acceptable here.
    uploaded.seek(0)
    return io.BytesIO(uploaded.read())


@deconstructible
class upload_path:  # noqa: N801 - used like a function in FileField(upload_to=...)
    """Server-chosen storage names: <prefix>/<year>/<month>/<random><ext>; the user's file
    name is kept only in the database."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        extension = posixpath.splitext(filename)[1].lower()
        if extension == ".jpeg":
            extension = ".jpg"
        if not extension.isascii() or len(extension) > 6:
            extension = ""
        now = timezone.now()
        return f"{self.prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, upload_path) and other.prefix == self.prefix


def store_upload(record, uploaded) -> None:
    """Put an upload checked by core.forms.SafeFileField on `record` (fields file, original_name,
    content_type, size, sha256): the file under a server-chosen name, the rest from its check."""
    info = uploaded.upload_info
    record.original_name, record.content_type = info.original_name, info.content_type
    record.size, record.sha256 = info.size, info.sha256
    record.file.save(info.original_name, uploaded, save=False)


def private_file_response(field_file, download_name: str) -> FileResponse:
    """Stream a stored file to an authorised user under its original name.

    Always as an attachment, never inline: an uploaded file is not trusted to be harmless in the
    browser's PDF viewer or as a page of this site, and nosniff keeps the browser from guessing."""
    response = FileResponse(field_file.open("rb"), as_attachment=True, filename=download_name)
    return private_headers(response)


def private_headers(response):
    """The headers of every private file or document: download, never guess the type, never cache."""
    filename = response.headers.get("Content-Disposition", "").partition(";")[2].strip()
    response.headers["Content-Disposition"] = f"attachment; {filename}" if filename else "attachment"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
