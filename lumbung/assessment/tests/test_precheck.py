"""The evidence pre-check: what it reads from a document's text, and its findings on generated
documents, typed and scanned, uploaded as an operator would (the worker's task runs once the
upload commits). It informs and never blocks: an upload whose check fails is still stored."""

import datetime as dt
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lumbung.assessment import evidence, precheck
from lumbung.assessment.models import Document, PrecheckStatus
from lumbung.core.roles import Role

from . import evidence_samples as samples
from .factories import pdf_file

DECREE = """PEMERINTAH KABUPATEN LAMPUNG BARAT
KEPUTUSAN BUPATI LAMPUNG BARAT
NOMOR : 188.45/127/II.05/2025
TENTANG
PENETAPAN INOVASI DAERAH TAHUN 2025
Mengingat : 1. Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah;
Ditetapkan di Liwa
pada tanggal 14 Maret 2025
BUPATI LAMPUNG BARAT,"""


class TestReading:
    def test_a_decree_gives_its_number_date_and_year(self):
        facts = precheck.read_facts(DECREE)
        assert facts.number == "188.45/127/II.05/2025"
        assert (facts.year, facts.year_source) == (2025, "number")
        assert facts.date == dt.date(2025, 3, 14)
        assert facts.is_decree
        assert facts.regions == ["Kabupaten Lampung Barat"]

    def test_a_blank_number_is_not_taken_from_the_laws_it_cites(self):
        facts = precheck.read_facts(DECREE.replace("188.45/127/II.05/2025", "......................"))
        assert facts.number == ""
        assert (facts.year, facts.year_source) == (2025, "date")
        findings = precheck.compare(
            facts, region_name="Kabupaten Lampung Barat", typed_year=2025, typed_number="", typed_date=None
        )
        assert [finding["code"] for finding in findings] == ["no_number"]

    def test_dates_in_digits_and_the_signature_date(self):
        text = "Rapat 02-01-2024 ... Liwa, 5 Desember 2024\nKepala Dinas"
        assert precheck.document_date(text) == dt.date(2024, 12, 5)
        assert precheck.document_date("Jakarta, 31/12/2023") == dt.date(2023, 12, 31)

    def test_another_region_and_longer_names_first(self):
        assert precheck.regions_named("PEMERINTAH KABUPATEN SOLOK SELATAN") == ["Kabupaten Solok Selatan"]
        facts = precheck.read_facts(DECREE.replace("LAMPUNG BARAT", "LAMPUNG SELATAN"))
        findings = precheck.compare(
            facts, region_name="Kabupaten Lampung Barat", typed_year=2025, typed_number="", typed_date=None
        )
        assert findings[0] == {
            "code": "other_region",
            "level": "warning",
            "params": {"names": ["Kabupaten Lampung Selatan"]},
        }

    def test_typed_metadata_compared_with_the_text(self):
        facts = precheck.read_facts(DECREE)
        findings = precheck.compare(
            facts, region_name="Kabupaten Lampung Barat", typed_year=2026, typed_number="188.45/99/II.05/2025",
            typed_date=dt.date(2025, 3, 15),
        )  # fmt: skip
        assert {finding["code"] for finding in findings} == {"year_mismatch", "number_mismatch", "date_mismatch"}
        # OCR reads "II" as "11": still the same number.
        same = precheck.compare(
            facts, region_name="Kabupaten Lampung Barat", typed_year=2025, typed_number="188.45/127/11.05/2025",
            typed_date=dt.date(2025, 3, 14),
        )  # fmt: skip
        assert same == []
        # After OCR a different number is a hint, not a warning: OCR misreads digits.
        ocr = precheck.compare(
            facts, region_name="Kabupaten Lampung Barat", typed_year=2025, typed_number="188.45/99/II.05/2025",
            typed_date=None, ocr=True,
        )  # fmt: skip
        assert [(f["code"], f["level"]) for f in ocr] == [("number_mismatch", "info")]

    def test_only_the_letterhead_says_whose_document_it_is(self):
        visit = (
            DECREE
            + "\nBahwa inovasi daerah perlu didukung. " * 12
            + "Studi tiru ke Kabupaten Tanggamus dan Kota Metro."
        )
        assert precheck.read_facts(visit).regions == ["Kabupaten Lampung Barat"]

    def test_the_rows_year_rule(self):
        document = Document(precheck={"facts": {"year": 2021}, "findings": []}, precheck_status="passed")
        findings = precheck.row_findings(document, {2024, 2025, 2026})
        assert findings[0]["code"] == "year_outside"
        assert not precheck.row_passes([document], {2024, 2025, 2026})
        assert precheck.row_passes([document], {2021})
        text = precheck.describe(findings[0])
        assert text == "Dokumen bertahun 2021; ketentuan baris ini meminta tahun 2024, 2025, 2026."


def _upload(world, sample, django_capture_on_commit_callbacks):
    operator = world.user(Role.OPERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        document = evidence.document_store(
            region=world.region, actor=operator, title=sample.name, year=sample.typed_year,
            number=sample.typed_number, file=SimpleUploadedFile(f"{sample.name}.pdf", sample.data, "application/pdf"),
        )  # fmt: skip
    document.refresh_from_db()
    return document


def _codes(document, allowed=frozenset({2024, 2025, 2026})) -> set[str]:
    return {f["code"] for f in precheck.row_findings(document, set(allowed)) if f["level"] == precheck.WARNING}


# A small generated set: (plan, kind, scanned, content year, expected findings on a T-0..T-2 row of 2026).
GENERATED = [
    ("right", "decree", False, 2025, set()),
    ("wrong_year", "report", False, 2021, {"year_mismatch", "year_outside"}),
    ("other_region", "decree", False, 2026, {"other_region"}),
    ("no_number", "decree", False, 2026, {"no_number"}),
    ("blank", "blank", False, 2026, {"empty"}),
    ("right", "report", True, 2024, set()),
    ("wrong_year", "decree", True, 2020, {"year_mismatch", "year_outside"}),
    ("no_number", "decree", True, 2025, {"no_number"}),
]


def _sample(plan, kind, scanned, year) -> samples.Sample:
    rng = random.Random(f"{plan}{kind}{scanned}{year}")
    typed_year = 2026 if plan == "wrong_year" else year
    sample = samples.Sample(
        name=f"{plan}-{kind}-{'scan' if scanned else 'typed'}", kind=kind, scanned=scanned, content_year=year,
        typed_year=typed_year, typed_number=f"188.45/{rng.randint(10, 99)}/II.05/{year}" if kind == "decree" else "",
    )  # fmt: skip
    if plan == "other_region":
        sample.region = samples.OTHERS[0]
    if plan == "no_number":
        sample.numbered, sample.typed_number = False, ""
    return samples.build(sample, rng)


@pytest.mark.skipif(
    not precheck.ocr_available(),
    reason="Tesseract or poppler-utils is not installed (scripts/install-system-packages.sh installs them)",
)
@pytest.mark.parametrize(
    ("plan", "kind", "scanned", "year", "expected"),
    GENERATED,
    ids=[f"{g[0]}-{g[1]}-{'scan' if g[2] else 'typed'}" for g in GENERATED],
)
def test_findings_on_generated_documents(
    world, db, django_capture_on_commit_callbacks, plan, kind, scanned, year, expected
):
    document = _upload(world, _sample(plan, kind, scanned, year), django_capture_on_commit_callbacks)
    assert document.precheck_checked_at is not None
    assert _codes(document) == expected
    assert document.precheck_status == (
        PrecheckStatus.WARNINGS if expected - {"year_outside"} else PrecheckStatus.PASSED
    )
    assert document.precheck["ocr"] is (scanned or kind == "blank")
    if plan == "right":
        assert document.precheck["facts"]["year"] == year


@pytest.mark.django_db
def test_a_failing_check_never_blocks_the_upload(world, django_capture_on_commit_callbacks, monkeypatch):
    def broken(document):
        raise RuntimeError("tool crashed")

    monkeypatch.setattr(precheck, "precheck_document", broken)
    with django_capture_on_commit_callbacks(execute=True):
        document = evidence.document_store(
            region=world.region, actor=world.user(Role.OPERATOR), title="SK", year=2026, file=pdf_file()
        )
    document.refresh_from_db()
    assert document.pk and document.file
    assert document.precheck_status == PrecheckStatus.UNAVAILABLE
    assert document.precheck["findings"][0]["code"] == "failed"


@pytest.mark.django_db
def test_links_are_not_checked(world):
    document = evidence.document_store(
        region=world.region, actor=world.user(Role.OPERATOR), title="Video", year=2026, link="https://example.org/v"
    )
    document.refresh_from_db()
    assert document.precheck_status == PrecheckStatus.SKIPPED
