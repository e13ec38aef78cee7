"""Factories for assessments: a 2026-like framework (rows and weights of the methodology),
innovations ready to be entered, and helpers that build an assessment with answers."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from lumbung.assessment.models import Assessment, Document, Entry
from lumbung.core.tests.uploads import PDF as VALID_PDF
from lumbung.frameworks.models import BenefitBasis, Framework, Indicator, PredicateBand
from lumbung.frameworks.tests.specs import BASIC_SERVICES, SID_2026, SPD_2026
from lumbung.innovations.models import GovernmentAffair
from lumbung.innovations.tests.factories import InnovationFactory
from tests.factories import RegionFactory, UserFactory

D = Decimal

# Rows measured by a number: (code, thresholds) — indicator 3 (permits growth, %).
MEASURED = {
    "3": [{"level": 1, "max": "-50.32"}, {"level": 2, "min": "-50.33", "max": "8.16"}, {"level": 3, "min": "8.17"}],
}
BENEFIT_BASES = [
    ("a", "Jumlah penerima manfaat", "orang", [{"level": 1, "min": "1", "max": "200"},
                                               {"level": 2, "min": "201", "max": "500"}, {"level": 3, "min": "501"}]),
    ("b", "Cakupan unit sasaran", "%", [{"level": 1, "min": "5", "max": "20"},
                                        {"level": 2, "min": "20.01", "max": "50"}, {"level": 3, "gt": "50"}]),
]  # fmt: skip
AFFAIRS = {
    "pendidikan": ("Pendidikan", GovernmentAffair.Kind.BASIC_SERVICE),
    "kesehatan": ("Kesehatan", GovernmentAffair.Kind.BASIC_SERVICE),
    "pupr": ("Pekerjaan Umum dan Penataan Ruang", GovernmentAffair.Kind.BASIC_SERVICE),
    "perumahan": ("Perumahan Rakyat dan Kawasan Permukiman", GovernmentAffair.Kind.BASIC_SERVICE),
    "trantibum": ("Ketenteraman dan Ketertiban Umum", GovernmentAffair.Kind.BASIC_SERVICE),
    "sosial": ("Sosial", GovernmentAffair.Kind.BASIC_SERVICE),
    "kominfo": ("Komunikasi dan Informatika", GovernmentAffair.Kind.MANDATORY),
    "pariwisata": ("Pariwisata", GovernmentAffair.Kind.OPTIONAL),
}

PDF_BYTES = VALID_PDF  # a PDF a reader opens: uploads are parsed (issue 12)


def pdf_file(name: str = "sk-inovasi.pdf", salt: str = "") -> SimpleUploadedFile:
    """A small valid PDF; a different `salt` gives a different checksum."""
    body = PDF_BYTES.replace(b"trailer", f"% {salt}\ntrailer".encode()) if salt else PDF_BYTES
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_file(name: str = "foto.png", colour=(11, 93, 75)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def affair(code: str) -> GovernmentAffair:
    name, kind = AFFAIRS[code]
    return GovernmentAffair.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]


def framework_2026(year: int = 2026, **overrides) -> Framework:
    """The 2026 formula with all 40 rows; evidence PDFs of T-0..T-2, video or link for 35."""
    existing = Framework.objects.filter(year=year).first()
    if existing:
        return existing
    values = dict(
        year=year,
        title=f"Indeks Inovasi Daerah {year}",
        status=Framework.Status.ACTIVE,
        min_divisor=12,
        count_factor=D("0.38"),
        count_cap=200,
        basic_services_required=5,
        max_total=D("250"),
        implementation_from=dt.date(year - 2, 1, 1),
        implementation_to=dt.date(year - 1, 12, 31),
        basic_service_affairs=sorted(BASIC_SERVICES),
    )
    values.update(overrides)
    framework = Framework.objects.create(**values)
    PredicateBand.objects.bulk_create(
        [
            PredicateBand(framework=framework, name=name, min_iid=D(minimum))
            for name, minimum in (("Sangat Inovatif", "65.01"), ("Inovatif", "40.01"), ("Kurang Inovatif", "0.01"))
        ]
    )
    rows = [(code, weight, mandatory, "region") for code, weight, mandatory in SPD_2026] + [
        (code, weight, mandatory, "innovation") for code, weight, mandatory in SID_2026
    ]
    indicators = []
    for order, (code, weight, mandatory, aspect) in enumerate(rows, start=1):
        indicators.append(
            Indicator(
                framework=framework,
                code=code,
                number=int("".join(ch for ch in code if ch.isdigit())),
                aspect=aspect,
                variable="Institusi" if aspect == "region" else "Infrastruktur",
                name=f"Indikator {code}",
                weight=D(weight),
                is_mandatory=mandatory,
                level_1="Parameter 1",
                level_2="Parameter 2",
                level_3="Parameter 3",
                order=order,
                measure=Indicator.Measure.PERCENT if code in MEASURED else Indicator.Measure.CHOICE,
                thresholds=MEASURED.get(code, []),
                evidence_kinds=["video"] if code == "35" else (["pdf", "image"] if code in ("19", "25") else ["pdf"]),
                evidence_allows_link=code == "35",
                evidence_years=[] if aspect == "region" else ["T-0", "T-1", "T-2"],
            )
        )
    Indicator.objects.bulk_create(indicators)
    benefit = Indicator.objects.get(framework=framework, code="33")
    BenefitBasis.objects.bulk_create(
        [
            BenefitBasis(indicator=benefit, code=code, name=name, unit=unit, level_1="1", level_2="2", level_3="3",
                         thresholds=thresholds, order=order)
            for order, (code, name, unit, thresholds) in enumerate(BENEFIT_BASES)
        ]
    )  # fmt: skip
    return framework


def open_assessment(region, actor, year: int = 2026, **stages) -> Assessment:
    """An assessment created the way the app does it (SPD rows included)."""
    from lumbung.assessment.services import assessment_create

    dates = {"collection_starts": dt.date(year, 6, 1), "collection_ends": dt.date(year, 8, 22)}
    dates.update(stages)
    return assessment_create(region=region, year=year, framework=framework_2026(year), actor=actor, **dates)


def enter(assessment: Assessment, actor, **innovation_fields) -> Entry:
    from lumbung.assessment.services import entry_add

    innovation_fields.setdefault("region", assessment.region)
    innovation = InnovationFactory(**innovation_fields)
    return entry_add(assessment=assessment, innovation=innovation, actor=actor)


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"SK Bupati Lampung Barat Nomor B/{n + 100}/III.02/HK/2026")
    year = 2026
    kind = Document.Kind.PDF
    file = factory.django.FileField(filename="sk.pdf", data=PDF_BYTES)
    original_name = "sk.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    uploaded_by = factory.SubFactory(UserFactory)


def claim_with_evidence(row, *, actor, level: int, title: str, year: int):
    """A row claimed at `level` by `actor`, with a new PDF in the library attached to it."""
    from lumbung.assessment.evidence import document_store, evidence_link
    from lumbung.assessment.services import answer_set

    answer_set(row=row, level=level, actor=actor)
    document = document_store(
        region=row.assessment.region, actor=actor, title=title, year=year, file=pdf_file(salt=title)
    )
    evidence_link(document=document, row=row, actor=actor)
    return document


def desk_order(assessment) -> list:
    """The queue's innovation rows in the order the verifier's desk shows them."""
    from lumbung.assessment.models import Answer

    return list(
        Answer.objects.filter(scoring_assessment=assessment, status__in=["claimed", "resubmitted"])
        .order_by("updated_at", "pk")
        .select_related("indicator", "entry__assessment")
    )
