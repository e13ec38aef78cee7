import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from lumbung.core.files import inspect_upload, private_file_response, upload_path
from lumbung.core.models import Job

from . import uploads


@pytest.mark.parametrize(
    ("upload", "kinds", "kind", "extension"),
    [(uploads.pdf(), ("pdf",), "pdf", ".pdf"), (uploads.png("FOTO.PNG"), ("image",), "image", ".png"),
     (uploads.xlsx(), ("excel", "pdf"), "excel", ".xlsx")],
)  # fmt: skip
def test_genuine_files_are_accepted_with_their_checksum(upload, kinds, kind, extension):
    content = upload.read()
    info = inspect_upload(upload, kinds=kinds)
    assert (info.kind, info.extension, info.size) == (kind, extension, len(content))
    assert info.sha256 == hashlib.sha256(content).hexdigest()
    assert upload.tell() == 0  # left ready for saving


@pytest.mark.parametrize(
    ("upload", "kinds", "code", "words"),
    [(uploads.program("laporan.pdf"), ("pdf",), "disguised", "bukan PDF"),
     (uploads.program("laporan.exe"), ("pdf",), "extension", "tidak diterima"),
     (uploads.pdf("kosong.pdf", b""), ("pdf",), "empty", "kosong"),
     (uploads.pdf("potong.pdf", b"%PDF-1.4\n1 0 obj<<>>"), ("pdf",), "broken", "rusak atau tidak lengkap"),
     (uploads.pdf("foto.png", uploads.PDF), ("image",), "disguised", "bukan Gambar"),
     (uploads.zip_named("data.xlsx", {"readme.txt": b"x"}), ("excel",), "disguised", "bukan Excel"),
     (uploads.zip_named("data.xlsx", {"word/document.xml": b"<w/>"}), ("excel",), "disguised", "bukan Excel"),
     (uploads.pdf("data.xlsx", b"PK\x03\x04 broken zip"), ("excel",), "broken", "rusak")],
)  # fmt: skip
def test_bad_files_are_refused_with_a_reason_in_indonesian(upload, kinds, code, words):
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload, kinds=kinds)
    assert caught.value.code == code
    assert words in caught.value.messages[0]


def test_a_truncated_image_is_refused():
    image = uploads.png()
    truncated = uploads.pdf("foto.png", image.read()[:40])
    with pytest.raises(ValidationError, match="rusak"):
        inspect_upload(truncated, kinds=("image",))


def test_the_size_limit_is_stated_in_megabytes():
    with pytest.raises(ValidationError, match="batasnya 0 MB") as caught:
        inspect_upload(uploads.pdf(), kinds=("pdf",), max_bytes=10)
    assert caught.value.code == "too_large"


def test_stored_names_are_chosen_by_the_server():
    name = upload_path("evidence")(None, "../../etc/Surat Keputusan Bupati.JPEG")
    assert re.fullmatch(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)
    assert upload_path("evidence")(None, "x.ex\u00e9cutable").endswith(tuple("0123456789abcdef"))


def test_private_files_go_out_as_attachments_that_browsers_do_not_sniff(db):
    job = Job.objects.create(kind="test", label="Ekspor")
    job.result_file.save("hasil.pdf", ContentFile(uploads.PDF), save=True)
    response = private_file_response(job.result_file, "Rekap Inovasi.pdf")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="Rekap Inovasi.pdf"'
    assert b"".join(response.streaming_content) == uploads.PDF


def test_no_view_serves_a_file_or_document_inline():
    """Issue 12: evidence, attachments and certificates went out `inline`. Every file now goes through
    private_file_response / private_headers, which always say attachment."""
    from pathlib import Path

    from django.conf import settings
    from django.http import HttpResponse

    from lumbung.core.files import private_headers

    def serves_inline(path) -> bool:
        text = path.read_text()
        # Open data (public.py) is public JSON; elsewhere an "inline;" must pass through private_headers.
        return "inline=True" in text or ("inline;" in text and "private_headers" not in text)

    offenders = [
        str(path)
        for path in Path(settings.BASE_DIR, "lumbung").rglob("*.py")
        if "tests" not in path.parts and path.name != "public.py" and serves_inline(path)
    ]
    assert offenders == []
    response = HttpResponse(b"%PDF", content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="a.pdf"'
    private_headers(response)
    assert response["Content-Disposition"] == 'attachment; filename="a.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
