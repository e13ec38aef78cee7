import datetime as dt

import pytest
from django.utils import timezone

from lumbung.competitions.models import Competition, Round, Track
from lumbung.competitions.phases import PhaseKind

from .factories import CompetitionFactory, RubricFactory, SectionFactory


def at(month, day, hour=12, minute=0, second=0):
    return timezone.make_aware(dt.datetime(2026, month, day, hour, minute, second))


# A fixed calendar for frozen-time tests.
CALENDAR = [
    (PhaseKind.SUBMISSION, at(3, 1, 8), at(3, 31, 23, 59)),
    (PhaseKind.SCREENING, at(3, 31, 23, 59), at(4, 10, 16)),
    (PhaseKind.DESK, at(4, 11, 8), at(4, 30, 16)),
    (PhaseKind.PRESENTATION, at(5, 5, 8), at(5, 10, 16)),
]


@pytest.fixture
def citizen(world):
    """Region A's citizen, with a verified e-mail address (as after sign-up)."""
    user = world.user("citizen")
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


@pytest.fixture
def calendar_competition(world):
    """A published citizen competition of region A on the fixed calendar."""
    admin = world.user("admin")
    competition = CompetitionFactory(
        region=world.region, created_by=admin, tracks=[Track.CITIZENS, Track.STUDENTS],
        status=Competition.Status.PUBLISHED,
    )  # fmt: skip
    for order, (kind, opens, closes) in enumerate(CALENDAR, start=1):
        scoring = kind in (PhaseKind.DESK, PhaseKind.PRESENTATION)
        Round.objects.create(
            competition=competition, kind=kind, order=order, opens_at=opens, closes_at=closes,
            rubric=RubricFactory(region=world.region, created_by=admin) if scoring else None,
            weight=50 if scoring else 0,
        )  # fmt: skip
    SectionFactory(competition=competition, title="Ringkasan", word_limit=20)
    SectionFactory(competition=competition, title="Manfaat", word_limit=50, required=False)
    return competition
