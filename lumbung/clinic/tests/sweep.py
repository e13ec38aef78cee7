from django.core.files.base import ContentFile

from lumbung.clinic.tests.factories import ActionItemFactory, CaseFactory, MessageFactory, SessionFactory
from tests.sweep import SweepCase


def cases(world):
    # Region B's case, asked for by region B's admin: nobody of region A may reach it.
    foreign = CaseFactory(
        region=world.other_region, requester=world.other_admin, mentor=world.other_admin, status="mentoring"
    )
    message = MessageFactory(case=foreign, original_name="sk-tim.pdf")
    message.file.save("sk-tim.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=True)
    return {
        "clinic:case-detail": SweepCase.foreign(pk=foreign.pk),
        "clinic:case-triage": SweepCase.foreign(pk=foreign.pk),
        "clinic:case-action": SweepCase.foreign(pk=foreign.pk),
        "clinic:case-message": SweepCase.foreign(pk=foreign.pk),
        "clinic:session-create": SweepCase.foreign(pk=foreign.pk),
        "clinic:action-create": SweepCase.foreign(pk=foreign.pk),
        "clinic:session-edit": SweepCase.foreign(pk=SessionFactory(case=foreign).pk),
        "clinic:action-transition": SweepCase.foreign(pk=ActionItemFactory(case=foreign).pk),
        "clinic:message-file": SweepCase.foreign(pk=message.pk),
    }
