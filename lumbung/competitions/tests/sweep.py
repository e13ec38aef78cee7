"""Sweep cases (tests/test_url_access.py): someone else's competition, entries, judging and
certificates, in region B or in region A but unpublished or assigned to another judge."""

from django.core.files.base import ContentFile

from lumbung.competitions.models import Certificate, Entry, EntryAttachment, JudgeAssignment, Panel, ScoreCard
from lumbung.competitions.phases import PhaseKind
from tests.factories import UserFactory
from tests.sweep import SweepCase

from .factories import make_competition, sent_entry


def cases(world):
    other_admin = world.other_admin
    foreign = make_competition(region=world.other_region, created_by=other_admin, phase="desk")
    draft = make_competition(region=world.other_region, created_by=other_admin, status="draft")
    stranger = UserFactory()
    desk = foreign.round_of_kind(PhaseKind.DESK)
    entry = sent_entry(foreign, entrant=stranger, status=Entry.Status.ELIGIBLE, reached=desk)
    attachment = EntryAttachment(
        entry=entry, title="Lampiran", original_name="x.pdf", content_type="application/pdf", size=10,
        sha256="0" * 64, uploaded_by=stranger,
    )  # fmt: skip
    attachment.file.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    judge = UserFactory(full_name="Juri Lain")  # a fresh address: the cases are built once per other region
    panel = Panel.objects.create(round=desk, name="Panel B", lead=judge)
    panel.members.set([judge])
    assignment = JudgeAssignment.objects.create(round=desk, entry=entry, judge=judge, panel=panel)
    ScoreCard.objects.create(assignment=assignment)
    certificate = Certificate.objects.create(
        competition=foreign, entry=entry, kind=Certificate.Kind.AWARD, recipient_name="Warga", award_title="Juara I"
    )
    rubric = desk.rubric
    section = foreign.sections.first()
    return {
        "competitions:call": SweepCase.foreign(pk=draft.pk),
        "competitions:announcement": SweepCase.foreign(pk=foreign.pk),
        "competitions:certificate-verify": SweepCase.foreign(code=certificate.code),
        "competitions:entry-start": SweepCase.foreign(pk=foreign.pk),
        "competitions:entry-detail": SweepCase.foreign(pk=entry.pk),
        "competitions:entry-edit": SweepCase.foreign(pk=entry.pk),
        "competitions:entry-autosave": SweepCase.foreign(pk=entry.pk),
        "competitions:entry-submit": SweepCase.foreign(pk=entry.pk),
        "competitions:entry-withdraw": SweepCase.foreign(pk=entry.pk),
        "competitions:attachment-add": SweepCase.foreign(pk=entry.pk),
        "competitions:entry-receipt": SweepCase.foreign(pk=entry.pk),
        "competitions:attachment-download": SweepCase.foreign(pk=attachment.pk),
        "competitions:attachment-delete": SweepCase.foreign(pk=attachment.pk),
        "competitions:certificate-download": SweepCase.foreign(pk=certificate.pk),
        "competitions:judge-card": SweepCase.foreign(pk=assignment.pk),
        "competitions:card-reopen": SweepCase.foreign(pk=assignment.pk),
        "competitions:judge-conflict-entry": SweepCase.foreign(pk=assignment.pk),
        "competitions:judge-conflicts": SweepCase.foreign(pk=foreign.pk),
        "competitions:panel-progress": SweepCase.foreign(pk=panel.pk),
        "competitions:manage-detail": SweepCase.foreign(pk=foreign.pk),
        "competitions:manage-edit": SweepCase.foreign(pk=foreign.pk),
        "competitions:manage-transition": SweepCase.foreign(pk=foreign.pk),
        "competitions:manage-rounds": SweepCase.foreign(pk=foreign.pk),
        "competitions:manage-sections": SweepCase.foreign(pk=foreign.pk),
        "competitions:manage-entries": SweepCase.foreign(pk=foreign.pk),
        "competitions:manage-results": SweepCase.foreign(pk=foreign.pk),
        "competitions:certificates-start": SweepCase.foreign(pk=foreign.pk),
        "competitions:minutes-start": SweepCase.foreign(pk=foreign.pk),
        "competitions:winners-convert": SweepCase.foreign(pk=foreign.pk),
        "competitions:awards-to-index": SweepCase.foreign(pk=foreign.pk),
        "competitions:round-edit": SweepCase.foreign(pk=desk.pk),
        "competitions:round-delete": SweepCase.foreign(pk=desk.pk),
        "competitions:round-judging": SweepCase.foreign(pk=desk.pk),
        "competitions:panel-add": SweepCase.foreign(pk=desk.pk),
        "competitions:panel-edit": SweepCase.foreign(pk=desk.pk, panel_pk=panel.pk),
        "competitions:assign-auto": SweepCase.foreign(pk=desk.pk),
        "competitions:assign-manual": SweepCase.foreign(pk=desk.pk),
        "competitions:round-standing": SweepCase.foreign(pk=desk.pk),
        "competitions:section-edit": SweepCase.foreign(pk=section.pk),
        "competitions:section-delete": SweepCase.foreign(pk=section.pk),
        "competitions:entry-screen": SweepCase.foreign(pk=entry.pk),
        "competitions:assignment-recuse": SweepCase.foreign(pk=assignment.pk),
        "competitions:certificate-revoke": SweepCase.foreign(pk=certificate.pk),
        "competitions:rubric-preset": SweepCase.own(code="kipp"),
        "competitions:rubric-detail": SweepCase.foreign(pk=rubric.pk),
        "competitions:rubric-edit": SweepCase.foreign(pk=rubric.pk),
        "competitions:rubric-copy": SweepCase.foreign(pk=rubric.pk),
        "competitions:criterion-edit": SweepCase.foreign(pk=rubric.criteria.first().pk),
        "competitions:criterion-delete": SweepCase.foreign(pk=rubric.criteria.first().pk),
    }
