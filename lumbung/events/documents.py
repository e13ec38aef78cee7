"""The event's paperwork as PDF: invitation, attendance list, certificates, and the evidence set
that joins them (indicator 20 asks for invitation + attendance list + certificate, one set per event).

Official documents are always written in Indonesian, whatever language the admin reads."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from lumbung.core.pdf import render_pdf

from .models import Certificate, Event, Registration
from .qr import qr_data_uri


def verify_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events:certificate-verify", args=[certificate.token])


def place_name(region) -> str:
    """Where letters are signed: the region's name without "Kabupaten"/"Kota"."""
    return region.name.removeprefix("Kabupaten ").removeprefix("Kota ")


def _render(template: str, event: Event, **context) -> bytes:
    base = {"event": event, "region": event.region, "place": place_name(event.region), "generated_at": timezone.now()}
    with translation.override("id"):
        return render_pdf(template, {**base, **context})


def _attendees(event: Event) -> list[Registration]:
    return list(event.registrations.attended().select_related("official").order_by("attended_at", "name"))


def _certificate_pages(certificates: list[Certificate]) -> list[dict]:
    return [{"certificate": c, "verify_url": verify_url(c), "qr": qr_data_uri(verify_url(c))} for c in certificates]


def invitation_pdf(event: Event) -> bytes:
    invited = list(event.registrations.active().order_by("name"))
    return _render("events/pdf/invitation.html", event, invited=invited)


def attendance_pdf(event: Event) -> bytes:
    registered = event.registrations.active().count()
    return _render("events/pdf/attendance.html", event, attendees=_attendees(event), registered=registered)


def certificate_pdf(certificate: Certificate) -> bytes:
    return _render("events/pdf/certificate.html", certificate.event, pages=_certificate_pages([certificate]))


def evidence_set_pdf(event: Event, certificates: list[Certificate]) -> bytes:
    """Invitation, attendance list and the given certificates in one file."""
    invited = list(event.registrations.active().order_by("name"))
    registered = len(invited)
    return _render(
        "events/pdf/evidence_set.html",
        event,
        invited=invited,
        attendees=_attendees(event),
        registered=registered,
        pages=_certificate_pages(certificates),
    )
