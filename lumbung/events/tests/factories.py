"""Factories for events, registrations and the files they carry."""

import datetime as dt
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from lumbung.core.files import inspect_upload
from lumbung.core.tests.uploads import PDF as VALID_PDF
from lumbung.events.models import Event, Registration
from tests.factories import RegionFactory, UnitFactory, UserFactory

JAKARTA = dt.timezone(dt.timedelta(hours=7))


def at(year, month, day, hour=9, minute=0) -> dt.datetime:
    """A moment in Western Indonesia Time, as the demo region lives it."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    region = factory.SubFactory(RegionFactory)
    organiser = factory.SubFactory(
        UnitFactory, region=factory.SelfAttribute("..region"), name="Badan Riset dan Inovasi Daerah", short_name="BRIDA"
    )
    kind = Event.Kind.BIMTEK
    title = factory.Sequence(lambda n: f"Bimtek Penyusunan Profil Inovasi Angkatan {n + 1}")
    venue = "Aula Kagungan, Liwa"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=6))
    status = Event.Status.OPEN
    letter_number = factory.Sequence(lambda n: f"005/{n + 100}/IV.10/2026")
    signatory_name = "Ir. Arief Budiman, M.Si."
    signatory_position = "Kepala Badan Riset dan Inovasi Daerah"
    created_by = factory.SubFactory(UserFactory)


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Faker("name", locale="id_ID")
    affiliation = "Dinas Komunikasi dan Informatika"
    registered_by = factory.SubFactory(UserFactory)


def attended(registration: Registration, when=None) -> Registration:
    """Mark present directly (the workflow itself is tested in test_workflows)."""
    registration.status = Registration.Status.ATTENDED
    registration.attended_at = when or registration.event.starts_at
    registration.check_in_method = Registration.Method.CODE
    registration.save(update_fields=["status", "attended_at", "check_in_method"])
    return registration


def image_upload(name="foto-banner.jpg", colour=(11, 93, 75), size=(1200, 900), kind="JPEG") -> SimpleUploadedFile:
    """A real image, checked the way core.forms.SafeFileField checks an upload."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return checked(SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}"), ("image",))


PDF_BYTES = VALID_PDF  # a PDF a reader opens: uploads are parsed (issue 12)


def pdf_upload(name="materi.pdf") -> SimpleUploadedFile:
    return checked(SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf"), ("pdf",))


def checked(upload, kinds):
    upload.upload_info = inspect_upload(upload, kinds=kinds)
    return upload
