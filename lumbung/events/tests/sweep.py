from django.core.files.base import ContentFile

from lumbung.events.models import Certificate, Event, Material, Photo
from tests.sweep import SweepCase

from .factories import EventFactory, RegistrationFactory, attended


def _stored(model, event, **fields):
    record = model(event=event, original_name="berkas.pdf", content_type="application/pdf", size=1, sha256="0",
                   uploaded_by=event.created_by, **fields)  # fmt: skip
    record.file.save("berkas.pdf", ContentFile(b"%PDF-1.4 rahasia %%EOF"), save=False)
    record.save()
    return record


def cases(world):
    foreign = EventFactory(region=world.other_region, organiser=world.other_unit, status=Event.Status.FINISHED)
    registration = attended(RegistrationFactory(event=foreign, user=world.other_admin))
    certificate = Certificate(registration=registration, event=foreign, sequence=1, number="001", sha256="0",
                              issued_by=world.other_admin)  # fmt: skip
    certificate.file.save("s.pdf", ContentFile(b"%PDF-1.4 %%EOF"), save=True)
    photo = _stored(Photo, foreign, caption="Foto")
    material = _stored(Material, foreign, title="Materi")
    event_urls = [
        "detail", "edit", "transition", "register", "participants", "add-officials", "add-guest",
        "participants-export", "door", "invitation-pdf", "attendance-pdf", "certificates-issue", "photo-add",
        "material-add", "proposals", "proposals-refresh", "proposals-retry", "unit-staff",
    ]  # fmt: skip
    # The public pages show public events only: a staff event of our own region is not found there.
    staff_only = EventFactory(region=world.region, organiser=world.unit, audience=Event.Audience.STAFF)
    result = {f"events:{name}": SweepCase.foreign(pk=foreign.pk) for name in event_urls}
    result.update(
        {
            "events:ticket": SweepCase.foreign(pk=registration.pk),
            "events:registration-action": SweepCase.foreign(pk=registration.pk),
            "events:certificate-download": SweepCase.foreign(pk=registration.pk),
            "events:photo-file": SweepCase.foreign(pk=photo.pk),
            "events:photo-delete": SweepCase.foreign(pk=photo.pk),
            "events:material-file": SweepCase.foreign(pk=material.pk),
            "events:material-delete": SweepCase.foreign(pk=material.pk),
            # Public by design: whoever holds the code or the certificate may use these pages.
            "events:check-in-code": SweepCase.own(code=registration.code),
            "events:certificate-verify": SweepCase.own(token=certificate.token),
            "events:public-list": SweepCase.own(region_code=world.region.code),
            "events:public-detail": SweepCase.foreign(region_code=world.region.code, pk=staff_only.pk),
        }
    )
    return result
