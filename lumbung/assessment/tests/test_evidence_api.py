"""The evidence API other apps call: document_store, evidence_attach, innovation_maturity."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lumbung.assessment import evidence, services
from lumbung.assessment.models import Answer, Document, Entry, EvidenceLink, RowStatus
from lumbung.core.roles import Role

from .factories import InnovationFactory, enter, open_assessment, pdf_file, png_file


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


def store(world, admin, **kwargs):
    kwargs.setdefault("title", "SK Bupati tentang Penetapan Inovasi Daerah 2026")
    kwargs.setdefault("year", 2026)
    return evidence.document_store(region=world.region, actor=admin, **kwargs)


class TestDocumentStore:
    def test_it_files_a_checked_pdf_with_its_checksum(self, world, admin):
        document = store(world, admin, file=pdf_file(), number="B/12/III.02/2026", subject="Penetapan")
        assert document.kind == Document.Kind.PDF
        assert len(document.sha256) == 64
        assert document.file.name.startswith("evidence/") and not document.file.name.endswith("sk-inovasi.pdf")
        assert document.original_name == "sk-inovasi.pdf"
        assert document.reused is False

    def test_an_identical_file_returns_the_existing_document(self, world, admin):
        first = store(world, admin, file=pdf_file("a.pdf"))
        second = store(world, admin, file=pdf_file("salinan.pdf"), title="Judul lain")
        assert second.pk == first.pk and second.reused is True
        assert Document.objects.count() == 1

    def test_the_same_file_in_another_region_is_a_different_document(self, world, admin):
        store(world, admin, file=pdf_file())
        other = evidence.document_store(
            region=world.other_region, actor=world.other_admin, title="SK", year=2026, file=pdf_file()
        )
        assert other.reused is False and Document.objects.count() == 2

    @pytest.mark.parametrize(
        ("upload", "code"),
        [
            (SimpleUploadedFile("program.pdf", b"MZ\x90\x00" + b"\x00" * 200), "disguised"),
            (SimpleUploadedFile("putus.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n"), "broken"),
            (SimpleUploadedFile("catatan.txt", b"hello"), "extension"),
            (SimpleUploadedFile("kosong.pdf", b""), "empty"),
        ],
    )
    def test_bad_files_are_refused_and_nothing_is_saved(self, world, admin, upload, code):
        with pytest.raises(ValidationError) as error:
            store(world, admin, file=upload)
        assert error.value.code == code
        assert Document.objects.count() == 0

    def test_a_too_large_file_is_refused(self, world, admin, settings):
        settings.LUMBUNG_MAX_UPLOAD_MB = 0
        with pytest.raises(ValidationError) as error:
            store(world, admin, file=pdf_file())
        assert error.value.code == "too_large"
        assert "terlalu besar" in error.value.messages[0]

    def test_a_link_is_stored_and_deduplicated(self, world, admin):
        link = "https://www.youtube.com/watch?v=lambar-inovasi"
        first = store(world, admin, link=link, title="Video inovasi")
        again = store(world, admin, link=link + "  ", title="Video")
        assert first.kind == Document.Kind.LINK and again.pk == first.pk

    @pytest.mark.parametrize("link", ["javascript:alert(1)", "bukan tautan", "ftp://contoh.go.id/a.pdf"])
    def test_a_bad_link_is_refused(self, world, admin, link):
        with pytest.raises(ValidationError):
            store(world, admin, link=link)

    def test_file_and_link_together_are_refused(self, world, admin):
        with pytest.raises(ValidationError):
            store(world, admin, file=pdf_file(), link="https://contoh.go.id")

    def test_a_failed_save_leaves_no_file_behind(self, world, admin, monkeypatch, tmp_path, settings):
        settings.MEDIA_ROOT = str(tmp_path)

        def explode(*args, **kwargs):
            raise RuntimeError("database down")

        monkeypatch.setattr(Document, "save", explode)
        with pytest.raises(RuntimeError):
            store(world, admin, file=pdf_file())
        assert not any(path.is_file() for path in tmp_path.rglob("*"))


class TestEvidenceAttach:
    def test_it_enters_the_innovation_and_attaches_to_its_row(self, world, admin):
        assessment = open_assessment(world.region, admin)
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        document = store(world, admin, file=pdf_file())
        link = evidence.evidence_attach(
            document=document, innovation=innovation, indicator_code="20", year=2026, actor=admin
        )
        entry = Entry.objects.get(assessment=assessment, innovation=innovation)
        assert link.answer.entry == entry and link.answer.indicator.code == "20"
        assert Answer.objects.filter(entry=entry).count() == 20
        assert link.answer.events.filter(action="attach").count() == 1

    def test_attaching_twice_keeps_one_link(self, world, admin):
        open_assessment(world.region, admin)
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        document = store(world, admin, file=pdf_file())
        for _ in range(2):
            evidence.evidence_attach(
                document=document, innovation=innovation, indicator_code="20", year=2026, actor=admin
            )
        assert EvidenceLink.objects.count() == 1

    def test_one_document_serves_several_innovations(self, world, admin):
        open_assessment(world.region, admin)
        document = store(world, admin, file=pdf_file())
        for innovation in InnovationFactory.create_batch(2, region=world.region, unit=world.unit):
            evidence.evidence_attach(
                document=document, innovation=innovation, indicator_code="16", year=2026, actor=admin
            )
        assert document.links.count() == 2

    def test_it_raises_when_the_assessment_is_locked(self, world, admin):
        assessment = open_assessment(world.region, admin)
        services.assessment_transition(assessment=assessment, action="lock", actor=admin)
        document = store(world, admin, file=pdf_file())
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        with pytest.raises(ValidationError) as error:
            evidence.evidence_attach(
                document=document, innovation=innovation, indicator_code="20", year=2026, actor=admin
            )
        assert error.value.code == "locked"
        assert EvidenceLink.objects.count() == 0 and Entry.objects.count() == 0

    def test_it_raises_when_the_innovation_is_not_eligible(self, world, admin):
        open_assessment(world.region, admin)
        innovation = InnovationFactory(region=world.region, unit=world.unit, stage="trial", implementation_date=None)
        document = store(world, admin, file=pdf_file())
        with pytest.raises(ValidationError) as error:
            evidence.evidence_attach(
                document=document, innovation=innovation, indicator_code="20", year=2026, actor=admin
            )
        assert error.value.code == "not_eligible"
        assert "penerapan" in error.value.messages[0]
        assert EvidenceLink.objects.count() == 0

    def test_it_raises_when_there_is_no_assessment_that_year(self, world, admin):
        document = store(world, admin, file=pdf_file())
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        with pytest.raises(ValidationError) as error:
            evidence.evidence_attach(
                document=document, innovation=innovation, indicator_code="20", year=2026, actor=admin
            )
        assert error.value.code == "no_assessment"

    def test_it_refuses_a_kind_the_row_does_not_take(self, world, admin):
        open_assessment(world.region, admin)
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        photo = store(world, admin, file=png_file())
        with pytest.raises(ValidationError) as error:
            evidence.evidence_attach(document=photo, innovation=innovation, indicator_code="16", year=2026, actor=admin)
        assert "hanya menerima PDF" in error.value.messages[0]

    def test_it_refuses_a_link_where_the_row_wants_a_file(self, world, admin):
        open_assessment(world.region, admin)
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        video = store(world, admin, link="https://youtu.be/abc", title="Video")
        with pytest.raises(ValidationError):
            evidence.evidence_attach(document=video, innovation=innovation, indicator_code="16", year=2026, actor=admin)
        link = evidence.evidence_attach(
            document=video, innovation=innovation, indicator_code="35", year=2026, actor=admin
        )
        assert link.pk

    def test_it_refuses_a_document_of_a_year_outside_the_rule(self, world, admin):
        open_assessment(world.region, admin)
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        old = store(world, admin, file=pdf_file(), year=2021)
        with pytest.raises(ValidationError) as error:
            evidence.evidence_attach(document=old, innovation=innovation, indicator_code="20", year=2026, actor=admin)
        assert "2024, 2025, 2026" in error.value.messages[0]

    def test_it_attaches_to_a_region_row_without_an_innovation(self, world, admin):
        assessment = open_assessment(world.region, admin)
        document = store(world, admin, file=pdf_file())
        link = evidence.evidence_attach(document=document, innovation=None, indicator_code="12", year=2026, actor=admin)
        assert link.region_answer.assessment == assessment


class TestInnovationMaturity:
    def test_none_when_not_entered(self, world, admin):
        open_assessment(world.region, admin)
        innovation = InnovationFactory(region=world.region, unit=world.unit)
        assert services.innovation_maturity(innovation=innovation, year=2026) is None

    def test_claimed_and_verified_projections(self, world, admin):
        assessment = open_assessment(world.region, admin)
        entry = enter(assessment, admin, unit=world.unit)
        rows = {row.indicator.code: row for row in entry.answers.select_related("indicator", "entry__assessment")}
        services.answer_set(row=rows["16"], level=3, actor=admin)  # 3 × 3 = 9
        services.answer_set(row=rows["35"], level=2, actor=admin)  # 4 × 2 = 8
        document = store(world, admin, file=pdf_file())
        evidence.evidence_link(document=document, row=rows["16"], actor=admin)
        services.row_transition(row=rows["16"], action="accept", actor=world.user(Role.VERIFIER))
        innovation = entry.innovation
        assert services.innovation_maturity(innovation=innovation, year=2026) == Decimal("17")
        assert services.innovation_maturity(innovation=innovation, year=2026, verified=True) == Decimal("9")
        assert rows["16"].status == RowStatus.ACCEPTED
