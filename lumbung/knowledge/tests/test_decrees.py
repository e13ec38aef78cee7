"""The draft decree generated from the registry: its content, editing, and the PDF."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lumbung.assessment.models import Document, EvidenceLink
from lumbung.assessment.tests.factories import open_assessment, pdf_file, png_file
from lumbung.core.models import Job, StagedUpload
from lumbung.core.roles import Role
from lumbung.innovations.models import Innovation
from lumbung.innovations.tests.factories import InnovationFactory
from lumbung.knowledge import services
from lumbung.knowledge.models import Decree

from .factories import DecreeFactory


@pytest.fixture
def registry(world):
    published = [
        InnovationFactory(
            region=world.region, unit=world.unit, name="Sikesal | Sistem Kesehatan Lansia", status="published"
        ),
        InnovationFactory(
            region=world.region, unit=world.sibling_unit, name="Lapor Kades", status="published", is_digital=False
        ),
    ]
    draft = InnovationFactory(region=world.region, unit=world.unit, name="Ide Baru", status="draft")
    InnovationFactory(region=world.other_region, unit=world.other_unit, name="Inovasi Tetangga", status="published")
    return published, draft


def generate_data(innovations, **overrides):
    return {
        "kind": "decree", "year": 2026, "number": "B/123/KPTS/II.06/2026", "place": "Liwa", "signed_on": "2026-02-03",
        "signer_name": "", "innovations": [innovation.pk for innovation in innovations], **overrides,
    }  # fmt: skip


class TestGenerate:
    def test_published_innovations_of_the_region_are_offered_and_chosen_first(self, client_for, world, registry):
        published, draft = registry
        form = client_for(world.user(Role.ADMIN)).get(reverse("knowledge:decree-create")).context["form"]
        assert set(form.fields["innovations"].queryset) == {*published, draft}
        assert set(form.fields["innovations"].initial) == {innovation.pk for innovation in published}

    def test_the_draft_names_every_chosen_innovation_in_a_table(self, client_for, world, registry):
        published, _draft = registry
        response = client_for(world.user(Role.ADMIN)).post(reverse("knowledge:decree-create"), generate_data(published))
        decree = Decree.objects.get()
        assert response["Location"] == decree.get_absolute_url()
        assert decree.title == "Keputusan Bupati tentang Penetapan Inovasi Daerah Kabupaten Lampung Barat Tahun 2026"
        body = decree.body
        assert "# KEPUTUSAN BUPATI LAMPUNG BARAT" in body
        assert "**NOMOR B/123/KPTS/II.06/2026**" in body
        assert "sebanyak 2 inovasi" in body
        assert "**PENETAPAN INOVASI DAERAH KABUPATEN LAMPUNG BARAT TAHUN 2026**" in body
        assert "2.026" not in body  # years are not grouped like amounts
        assert "> Ditetapkan di Liwa<br>\n> pada tanggal 3 Februari 2026" in body
        # Listed by unit, then by name: Dinas Kesehatan comes before Dinas Komunikasi.
        assert "| 1 | Lapor Kades | Dinas Kesehatan |" in body
        assert "| 2 | Sikesal \\| Sistem Kesehatan Lansia | Dinas Komunikasi dan Informatika | Penerapan |" in body
        assert "| Non digital |" in body
        assert set(decree.innovations.all()) == set(published)

    def test_a_regulation_is_written_in_articles(self, world, registry):
        published, _draft = registry
        decree = services.decree_generate(
            region=world.region, actor=world.user(Role.ADMIN), kind="regulation", year=2026, innovations=published
        )
        assert decree.title.startswith("Peraturan Bupati tentang")
        assert "### Pasal 1" in decree.body and "Berita Daerah Kabupaten Lampung Barat" in decree.body
        assert "KESATU" not in decree.body

    def test_an_innovation_of_another_region_cannot_be_listed(self, client_for, world, registry):
        foreign = Innovation.objects.get(name="Inovasi Tetangga")
        response = client_for(world.user(Role.ADMIN)).post(reverse("knowledge:decree-create"), generate_data([foreign]))
        assert response.status_code == 200 and not Decree.objects.exists()

    def test_the_table_renders_as_a_table(self, world, registry):
        from lumbung.knowledge.rendering import render_markdown

        published, _draft = registry
        decree = services.decree_generate(
            region=world.region, actor=world.user(Role.ADMIN), kind="decree", year=2026, innovations=published
        )
        html = render_markdown(decree.body)
        assert "<td>Sikesal | Sistem Kesehatan Lansia</td>" in html
        assert html.count("<tr>") == 3


class TestEditAndPdf:
    def test_the_admin_edits_the_text_and_the_history_keeps_every_version(self, client_for, world):
        admin = world.user(Role.ADMIN)
        decree = DecreeFactory(region=world.region, created_by=admin)
        page = client_for(admin).get(reverse("knowledge:decree", args=[decree.pk]))
        assert "<td>Sikesal</td>" in page.content.decode()  # the saved text, rendered
        client_for(admin).post(
            reverse("knowledge:decree", args=[decree.pk]), {"title": decree.title, "body": "# SK BARU"}
        )
        decree.refresh_from_db()
        assert decree.body == "# SK BARU"
        assert decree.history.count() == 2
        page = client_for(admin).get(reverse("knowledge:decree", args=[decree.pk])).content.decode()
        assert page.count("<h1") == 1 and "<h3>SK BARU</h3>" in page  # the text sits under the page's headings

    def test_the_pdf_is_made_in_the_background_and_carries_the_text(self, client_for, world):
        admin = world.user(Role.ADMIN)
        decree = DecreeFactory(region=world.region, created_by=admin)
        response = client_for(admin).post(reverse("knowledge:decree-pdf", args=[decree.pk]))
        job = Job.objects.get()
        assert response["Location"] == reverse("core:job-detail", args=[job.pk])
        assert (job.status, job.kind, job.owner) == (Job.Status.SUCCEEDED, "decree_pdf", admin)
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(job.result_file.read())).pages)
        assert "KEPUTUSAN BUPATI" in text and "Sikesal" in text
        assert client_for(admin).get(reverse("core:job-download", args=[job.pk])).status_code == 200

    @pytest.mark.parametrize("role", [Role.MENTOR, Role.VERIFIER, Role.OPERATOR])
    def test_only_admins_work_on_decrees(self, role, client_for, world):
        decree = DecreeFactory(region=world.region, created_by=world.user(Role.ADMIN))
        client = client_for(world.user(role))
        assert client.get(reverse("knowledge:decree", args=[decree.pk])).status_code == 403
        assert client.post(reverse("knowledge:decree-pdf", args=[decree.pk])).status_code == 403

    def test_a_decree_of_another_region_is_not_found(self, client_for, world):
        decree = DecreeFactory(region=world.other_region, created_by=world.other_admin)
        assert client_for(world.user(Role.ADMIN)).get(reverse("knowledge:decree", args=[decree.pk])).status_code == 404


def test_the_draft_stays_indonesian_whatever_the_interface_language(world, registry):
    from django.utils import translation

    published, _draft = registry
    with translation.override("en"):
        decree = services.decree_generate(
            region=world.region, actor=world.user(Role.ADMIN), kind="decree", year=2026, innovations=published,
            signed_on=dt.date(2026, 2, 3),
        )  # fmt: skip
    assert decree.title.startswith("Keputusan Bupati tentang")
    assert "pada tanggal 3 Februari 2026" in decree.body
    assert "| Penerapan | Pelayanan publik |" in decree.body


class TestSignedDecreeAsEvidence:
    @pytest.fixture
    def decree(self, world, registry):
        published, _draft = registry
        trial = InnovationFactory(region=world.region, unit=world.unit, name="Uji Coba Pasar Daring", stage="trial")
        return services.decree_generate(
            region=world.region, actor=world.user(Role.ADMIN), kind="decree", year=2026, innovations=[*published, trial]
        )

    def post(self, client, decree, upload):
        data = {"number": "B/45/KPTS/II.06/2026", "issued_on": "2026-02-10", "file": upload}
        return client.post(reverse("knowledge:decree-signed", args=[decree.pk]), data, follow=True)

    def test_the_signed_decree_becomes_evidence_of_indicator_16_for_each_eligible_innovation(
        self, client_for, world, decree
    ):
        admin = world.user(Role.ADMIN)
        open_assessment(world.region, admin, year=2026)
        response = self.post(client_for(admin), decree, pdf_file("SK penetapan inovasi 2026.pdf"))
        page = response.content.decode()
        assert "dilampirkan ke indikator 16 untuk 2 inovasi" in page
        assert "Uji Coba Pasar Daring tidak dilampiri" in page
        document = Document.objects.get()
        assert (document.number, document.issued_on, document.source) == (
            "B/45/KPTS/II.06/2026",
            dt.date(2026, 2, 10),
            "knowledge",
        )
        assert Decree.objects.get().signed_document == document
        linked = {
            link.answer.entry.innovation.name
            for link in EvidenceLink.objects.select_related("answer__entry__innovation")
        }
        assert linked == {"Lapor Kades", "Sikesal | Sistem Kesehatan Lansia"}

    def test_filing_the_same_scan_twice_keeps_one_document_and_one_link_each(self, client_for, world, decree):
        admin = world.user(Role.ADMIN)
        open_assessment(world.region, admin, year=2026)
        self.post(client_for(admin), decree, pdf_file("sk.pdf"))
        self.post(client_for(admin), decree, pdf_file("sk-lagi.pdf"))
        assert Document.objects.count() == 1
        assert EvidenceLink.objects.count() == 2

    def test_without_an_assessment_the_document_is_kept_and_the_reason_given(self, client_for, world, decree):
        response = self.post(client_for(world.user(Role.ADMIN)), decree, pdf_file())
        assert "Belum ada penilaian IGA tahun 2026" in response.content.decode()
        assert Document.objects.count() == 1 and not EvidenceLink.objects.exists()

    def test_only_a_pdf_is_taken_and_a_valid_scan_survives_a_missing_number(self, client_for, world, decree):
        client = client_for(world.user(Role.ADMIN))
        refused = client.post(
            reverse("knowledge:decree-signed", args=[decree.pk]),
            {"number": "1", "issued_on": "2026-02-10", "file": png_file()},
        )
        assert refused.status_code == 400 and not Document.objects.exists()
        missing = client.post(
            reverse("knowledge:decree-signed", args=[decree.pk]),
            {"number": "", "issued_on": "2026-02-10", "file": pdf_file()},
        )
        assert missing.status_code == 400
        assert StagedUpload.objects.filter(original_name="sk-inovasi.pdf").exists()
