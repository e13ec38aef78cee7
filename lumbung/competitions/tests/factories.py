"""Factories for competitions, and a builder that places a competition's rounds around a given
moment so that a chosen phase is the open one."""

import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from lumbung.assessment.tests.factories import PDF_BYTES
from lumbung.competitions.models import (
    Certificate,
    Competition,
    Criterion,
    Entry,
    JudgeAssignment,
    Panel,
    Round,
    Rubric,
    Score,
    ScoreCard,
    Section,
    Track,
)
from lumbung.competitions.phases import PhaseKind
from tests.factories import RegionFactory, UserFactory

# Days from the start of submission at which each round opens and closes.
SCHEDULE = [
    (PhaseKind.SUBMISSION, 0, 10),
    (PhaseKind.SCREENING, 10, 20),
    (PhaseKind.DESK, 20, 30),
    (PhaseKind.PRESENTATION, 30, 40),
]
# How long ago submission opened, for the phase to be open now (the middle of that round).
PHASE_OFFSET = {"before": -5, "submission": 5, "screening": 15, "desk": 25, "presentation": 35, "finished": 50}


class RubricFactory(DjangoModelFactory):
    class Meta:
        model = Rubric
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Rubrik {n + 1}")
    scale_min = 1
    scale_max = 5
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def weights(self, create, extracted, **kwargs):
        """RubricFactory(weights=(30, 25, 15, 20, 10)) adds one criterion per weight."""
        for order, weight in enumerate(extracted or (30, 25, 15, 20, 10), start=1):
            Criterion.objects.create(rubric=self, name=f"Kriteria {order}", weight=Decimal(weight), order=order)


class CompetitionFactory(DjangoModelFactory):
    class Meta:
        model = Competition

    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Lomba Inovasi Uji {n + 1}")
    year = 2026
    description = "Lomba untuk menguji."
    tracks = factory.LazyFunction(lambda: [Track.CITIZENS])
    aggregation = Competition.Aggregation.MEAN
    judges_per_entry = 2
    winners_per_track = 2
    honourable_per_track = 1
    status = Competition.Status.PUBLISHED
    created_by = factory.SubFactory(UserFactory)


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section

    competition = factory.SubFactory(CompetitionFactory)
    title = factory.Sequence(lambda n: f"Bagian {n + 1}")
    word_limit = 50
    order = factory.Sequence(int)


class EntryFactory(DjangoModelFactory):
    class Meta:
        model = Entry

    competition = factory.SubFactory(CompetitionFactory)
    track = Track.CITIZENS
    title = factory.Sequence(lambda n: f"Inovasi Warga {n + 1}")
    entrant = factory.SubFactory(UserFactory)
    entrant_name = factory.LazyAttribute(lambda entry: entry.entrant.full_name)
    phone = "081200000000"
    publish_consent = True


class PanelFactory(DjangoModelFactory):
    class Meta:
        model = Panel

    name = factory.Sequence(lambda n: f"Panel {n + 1}")


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = JudgeAssignment

    judge = factory.SubFactory(UserFactory)


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    kind = Certificate.Kind.AWARD
    recipient_name = factory.LazyAttribute(lambda c: c.entry.entrant_name)
    award_title = "Juara I Lomba Uji"
    competition = factory.LazyAttribute(lambda c: c.entry.competition)


def make_competition(*, region, created_by=None, phase="submission", now=None, sections=2, **fields) -> Competition:
    """A competition whose `phase` round is open at `now`, with two scoring rounds (desk 40,
    presentation 60) judged on a five-criterion rubric."""
    created_by = created_by or UserFactory()
    now = now or timezone.now()
    competition = CompetitionFactory(region=region, created_by=created_by, **fields)
    start = now - dt.timedelta(days=PHASE_OFFSET[phase])
    for order, (kind, opens, closes) in enumerate(SCHEDULE, start=1):
        rubric = (
            RubricFactory(region=region, created_by=created_by)
            if kind in (PhaseKind.DESK, PhaseKind.PRESENTATION)
            else None
        )
        Round.objects.create(
            competition=competition, kind=kind, order=order, opens_at=start + dt.timedelta(days=opens),
            closes_at=start + dt.timedelta(days=closes), rubric=rubric,
            weight={PhaseKind.DESK: 40, PhaseKind.PRESENTATION: 60}.get(kind, 0),
        )  # fmt: skip
    for order in range(sections):
        SectionFactory(competition=competition, order=order, title=f"Bagian {order + 1}")
    return competition


def sent_entry(competition, *, status=Entry.Status.SUBMITTED, number=None, reached=None, **fields) -> Entry:
    """An entry as it is after submission (numbered, with a receipt)."""
    number = number or (competition.entries.count() + 1)
    answers = {section.key: "Isi yang cukup panjang untuk bagian ini." for section in competition.sections.all()}
    return EntryFactory(
        competition=competition, number=number, status=status, answers=answers,
        submitted_at=timezone.now() - dt.timedelta(days=1, minutes=number),
        receipt_code=f"L{competition.pk}-{number:04d}-TEST", reached_round=reached, **fields,
    )  # fmt: skip


def scored_card(assignment: JudgeAssignment, values, *, submitted=True) -> ScoreCard:
    """A card with one value per criterion of the round's rubric, in criterion order."""
    card = ScoreCard.objects.create(
        assignment=assignment, status=ScoreCard.Status.SUBMITTED if submitted else ScoreCard.Status.DRAFT
    )
    for criterion, value in zip(assignment.round.rubric.criteria.all(), values, strict=True):
        Score.objects.create(card=card, criterion=criterion, value=value)
    return card


def awarded_competition(*, region, admin, year: int = 2025) -> Competition:
    """A competition with its results out: two award certificates and a participant's, drawn as
    small PDFs that differ from each other."""
    competition = CompetitionFactory(region=region, created_by=admin, year=year, status=Competition.Status.RESULTS)
    people = [("Dewi Anggraini", Certificate.Kind.AWARD), ("Rudi Hartono", Certificate.Kind.AWARD),
              ("Sari Wulandari", Certificate.Kind.PARTICIPANT)]  # fmt: skip
    for number, (name, kind) in enumerate(people, start=1):
        entry = sent_entry(competition, status=Entry.Status.ELIGIBLE, entrant_name=name)
        body = PDF_BYTES.replace(b"trailer", f"% {name}\ntrailer".encode())
        certificate = Certificate.objects.create(
            competition=competition, entry=entry, kind=kind, recipient_name=name,
            award_title=f"Juara {number} Lomba Inovasi Pelayanan Publik {year}",
            sha256=hashlib.sha256(body).hexdigest(),
        )  # fmt: skip
        certificate.file.save(certificate.download_name, ContentFile(body))
    return competition
