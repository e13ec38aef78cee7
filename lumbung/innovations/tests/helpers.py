"""Shared pieces of the view tests: a complete profile as form data, and tiny valid files."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lumbung.core.tests.uploads import pdf_bytes
from lumbung.innovations.models import GovernmentAffair, Innovation

from .factories import DESIGN_PART


def profile_data(unit, **overrides) -> dict:
    affair = GovernmentAffair.objects.get(code="pertanian")
    data = {
        "unit": unit.pk,
        "name": "Sistem Informasi Harga Kopi Robusta",
        "stage": Innovation.Stage.IMPLEMENTATION,
        "initiator_kind": Innovation.InitiatorKind.UNIT,
        "initiator_name": "Dinas Perkebunan",
        "is_digital": "True",
        "form": Innovation.Form.PUBLIC_SERVICE,
        "main_affair": affair.pk,
        "related_affairs": [GovernmentAffair.objects.get(code="kominfo").pk],
        "trial_date": "2024-02-01",
        "implementation_date": "2024-06-01",
        **{name: DESIGN_PART for name in Innovation.DESIGN_FIELDS},
        "goals": "Petani mengetahui harga kopi harian.",
        "benefits": "Harga jual petani naik.",
        "results": "1.200 petani memakai layanan.",
        "latitude": "-5.030000",
        "longitude": "104.060000",
    }
    data.update(overrides)
    return data


def pdf_file(name="anggaran.pdf", size=0) -> SimpleUploadedFile:
    body = pdf_bytes(padding=size)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_file(name="foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
