"""Pictures of evidence pages for reading in the page: a PDF's page rendered by pdftoppm, or an
uploaded picture re-encoded by Pillow, made on first request and kept in storage. The browser
gets a PNG this server made, never the uploaded file itself (which goes out only as a download)."""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from . import precheck
from .models import Document

PREVIEW_DPI = 110
MAX_PIXELS = 1600  # the longer side of a picture preview


def _key(document: Document, number: int) -> str:
    return f"previews/evidence/{document.pk}-{(document.sha256 or 'x')[:16]}/{number}.png"


def page_count(document: Document) -> int:
    if document.kind == Document.Kind.IMAGE:
        return 1
    return int((document.precheck or {}).get("pages") or 0)


def _render_pdf_page(document: Document, number: int) -> bytes | None:
    if not shutil.which("pdftoppm"):
        return None
    with precheck.local_copy(document.file) as path, tempfile.TemporaryDirectory(prefix="preview-") as folder:
        prefix = Path(folder) / "page"
        args = ["pdftoppm", "-r", str(PREVIEW_DPI), "-png", "-singlefile", "-f", str(number), "-l", str(number)]
        result = precheck._run([*args, str(path), str(prefix)])
        image = prefix.with_suffix(".png")
        if result.returncode != 0 or not image.exists():
            return None
        return image.read_bytes()


def _render_picture(document: Document) -> bytes | None:
    from PIL import Image

    with document.file.open("rb") as source:
        try:
            image = Image.open(source)
            image.thumbnail((MAX_PIXELS, MAX_PIXELS))
            output = io.BytesIO()
            image.convert("RGB").save(output, format="PNG", optimize=True)
        except (OSError, ValueError):
            return None
    return output.getvalue()


def page_image(document: Document, number: int) -> bytes | None:
    """The PNG of page `number` (1-based), or None when the document has no such page."""
    if not document.file or number < 1:
        return None
    if document.kind == Document.Kind.IMAGE:
        if number != 1:
            return None
    elif document.kind != Document.Kind.PDF:
        return None
    key = _key(document, number)
    if default_storage.exists(key):
        with default_storage.open(key, "rb") as stored:
            return stored.read()
    data = _render_picture(document) if document.kind == Document.Kind.IMAGE else _render_pdf_page(document, number)
    if data:
        default_storage.save(key, ContentFile(data))
    return data
