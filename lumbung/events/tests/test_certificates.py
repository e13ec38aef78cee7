"""Certificates and the event's PDFs: numbering, the background job, content and verification."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from lumbung.core.models import Job
from lumbung.core.roles import Role
from lumbung.events import documents, services
from lumbung.events.models import Certificate, Event

from .factories import EventFactory, RegistrationFactory, at, attended


def pdf_text(content: bytes) -> str:
    """The text of every page, with line breaks and runs of spaces folded to one space."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def event(world):
    return EventFactory(
        region=world.region, organiser=world.unit, status=Event.Status.FINISHED, title="Bimtek Penyusunan Rancang Bangun",
        starts_at=at(2026, 3, 10, 9), ends_at=at(2026, 3, 10, 15),
    )  # fmt: skip


def test_certificates_are_numbered_in_order_and_issued_once(world, event):
    admin = world.user(Role.ADMIN)
    first, second = (attended(RegistrationFactory(event=event)) for _ in range(2))
    one = services.certificate_issue(registration=first, actor=admin)
    two = services.certificate_issue(registration=second, actor=admin)
    assert (one.sequence, two.sequence) == (1, 2)
    assert one.number == f"001/SERT-BIMTEK/{world.unit.short_name}/2026"
    assert services.certificate_issue(registration=first, actor=admin).pk == one.pk
    assert Certificate.objects.count() == 2


def test_only_attendees_get_a_certificate(world, event):
    with pytest.raises(ValidationError, match="hanya untuk peserta yang hadir"):
        services.certificate_issue(registration=RegistrationFactory(event=event), actor=world.user(Role.ADMIN))


def test_the_certificate_names_the_participant_and_links_its_verification_page(world, event):
    registration = attended(RegistrationFactory(event=event, name="Ratna Sari, S.KM.", affiliation="Dinas Kesehatan"))
    certificate = services.certificate_issue(registration=registration, actor=world.user(Role.ADMIN))
    with certificate.file.open("rb") as stored:
        content = stored.read()
    text = pdf_text(content)
    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    assert "SERTIFIKAT" in text and "Ratna Sari, S.KM." in text and certificate.number in text
    assert "10 Maret 2026" in text
    assert str(certificate.token) in text.replace(" ", "")  # the URL wraps


def test_the_job_issues_missing_certificates_and_offers_them_all_as_a_zip(world, event):
    admin = world.user(Role.ADMIN)
    registrations = [attended(RegistrationFactory(event=event)) for _ in range(3)]
    RegistrationFactory(event=event)  # registered but absent
    services.certificate_issue(registration=registrations[0], actor=admin)
    job = services.certificates_start(event=event, actor=admin)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"issued": 2, "total": 3}
    with job.result_file.open("rb") as stored, zipfile.ZipFile(stored) as bundle:
        assert len(bundle.namelist()) == 3


def test_certificates_wait_until_the_event_took_place(world):
    event = EventFactory(region=world.region, organiser=world.unit, status=Event.Status.OPEN)
    attended(RegistrationFactory(event=event))
    with pytest.raises(ValidationError, match="setelah kegiatan berlangsung"):
        services.certificates_start(event=event, actor=world.user(Role.ADMIN))


def test_the_verification_page_confirms_a_real_certificate_and_rejects_a_made_up_one(client, world, event):
    certificate = services.certificate_issue(
        registration=attended(RegistrationFactory(event=event, name="Agus Saputra")), actor=world.user(Role.ADMIN)
    )
    response = client.get(reverse("events:certificate-verify", args=[certificate.token]))
    assert response.status_code == 200 and "Agus Saputra" in response.content.decode()
    response = client.get(reverse("events:certificate-verify", args=["00000000-0000-0000-0000-000000000000"]))
    assert response.status_code == 404 and "tidak ditemukan" in response.content.decode()


def test_the_invitation_lists_the_invited_and_the_agenda(world, event):
    RegistrationFactory(event=event, name="Nurhayati Pane")
    text = pdf_text(documents.invitation_pdf(event))
    assert "PEMERINTAH KABUPATEN LAMPUNG BARAT" in text
    assert event.letter_number in text and "Selasa, 10 Maret 2026" in text and "Nurhayati Pane" in text


def test_the_attendance_list_shows_who_came_and_when(world, event):
    attended(RegistrationFactory(event=event, name="Hadir Satu"), at(2026, 3, 10, 8, 41))
    RegistrationFactory(event=event, name="Tidak Datang")
    text = pdf_text(documents.attendance_pdf(event))
    assert "Hadir Satu" in text and "10-03-2026 08.41" in text
    assert "Tidak Datang" not in text and "Jumlah hadir: 1 dari 2" in text
