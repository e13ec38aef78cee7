"""A PDF upload is parsed, not just sniffed: a header and an %%EOF prove nothing (a PDF followed
by `<script>` has both). Refused, each with its own Indonesian message:

- a file pypdf cannot read (broken, truncated, not a PDF inside);
- anything but whitespace after the last %%EOF (a second file glued on: polyglots, HTML);
- active content: JavaScript, launch actions (run a program), embedded files (a file hidden inside).
- a PDF locked with an opening password (nobody could verify it).

Active content is looked for in two ways: a walk over every object reachable from the trailer
(pypdf decodes names such as /J#61vaScript and finds objects inside object streams), and a scan of
the raw bytes for the same names, which also catches objects nothing points at.
"""

from __future__ import annotations

import logging
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A walk that stops here has seen more objects than any real evidence document holds.
MAX_OBJECTS = 200_000

_ACTIVE_KEYS = {"/JS": "javascript", "/JavaScript": "javascript", "/EmbeddedFiles": "embedded", "/EF": "embedded"}
_ACTIVE_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/ImportData": "launch", "/RichMedia": "embedded"}
_ACTIVE_TYPES = {"/EmbeddedFile": "embedded", "/RichMedia": "embedded"}
_RAW = re.compile(rb"/(JavaScript|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")
_RAW_KIND = {b"JavaScript": "javascript", b"Launch": "launch", b"EmbeddedFile": "embedded",
             b"EmbeddedFiles": "embedded", b"RichMedia": "embedded"}  # fmt: skip


def _message(kind: str, name: str) -> ValidationError:
    messages = {
        "broken": (_("Berkas %(name)s rusak atau tidak lengkap; unggah ulang berkas aslinya."), "broken"),
        "trailing": (
            _("Berkas %(name)s berisi data lain setelah akhir PDF; simpan ulang sebagai PDF biasa lalu unggah lagi."),
            "pdf_trailing",
        ),
        "javascript": (
            _("Berkas %(name)s berisi JavaScript. PDF dengan skrip tidak diterima; cetak ulang ke PDF tanpa skrip."),
            "pdf_javascript",
        ),
        "launch": (
            _("Berkas %(name)s berisi perintah menjalankan program. PDF seperti ini tidak diterima."),
            "pdf_launch",
        ),
        "embedded": (
            _("Berkas %(name)s menyimpan berkas lain di dalamnya. Unggah setiap dokumen sebagai PDF tersendiri."),
            "pdf_embedded",
        ),
        "encrypted": (
            _("Berkas %(name)s dikunci dengan kata sandi. Unggah PDF tanpa kata sandi agar dapat diperiksa."),
            "pdf_encrypted",
        ),
    }
    text, code = messages[kind]
    return ValidationError(text % {"name": name}, code=code)


def pdf_check(stream, name: str) -> None:
    """Raise ValidationError unless `stream` (seekable bytes) is a plain, readable PDF."""
    data = stream.getvalue() if hasattr(stream, "getvalue") else stream.read()
    if not data.startswith(b"%PDF-"):
        raise _message("broken", name)
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise _message("broken", name)
    if data[end + 5 :].strip(b" \t\r\n\x00\x0c"):
        raise _message("trailing", name)
    raw = _RAW.search(data)
    if raw:
        raise _message(_RAW_KIND.get(raw.group(1), "javascript"), name)
    _check_structure(stream, name)


def _check_structure(stream, name: str) -> None:
    import pypdf
    from pypdf.errors import PdfReadError, PyPdfError

    stream.seek(0)
    # pypdf logs every repair it makes on odd files; those are not our errors.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise _message("encrypted", name)
        if len(reader.pages) < 1:
            raise _message("broken", name)
        found = _active_content(reader.trailer)
    except ValidationError:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError, NotImplementedError, AssertionError, ZeroDivisionError) as error:  # fmt: skip
        raise _message("broken", name) from error
    if found:
        raise _message(found, name)


def _active_content(root) -> str:
    """The kind of the first active content reachable from `root`, or ""."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    stack = [root]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            return "broken"
        if isinstance(node, DictionaryObject):
            for key, kind in _ACTIVE_KEYS.items():
                if key in node:
                    return kind
            action = node.get("/S")
            if action in _ACTIVE_ACTIONS:
                return _ACTIVE_ACTIONS[action]
            if node.get("/Type") in _ACTIVE_TYPES or node.get("/Subtype") in _ACTIVE_TYPES:
                return _ACTIVE_TYPES.get(node.get("/Type")) or _ACTIVE_TYPES[node.get("/Subtype")]
            # /Parent leads back up the page tree: everything there is reached from the root anyway.
            stack.extend(value for key, value in node.items() if key != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return ""
