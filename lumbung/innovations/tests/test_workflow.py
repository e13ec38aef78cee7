"""The review and continuity state machines as tables: every state × every action × every role."""

import pytest

from lumbung.core.workflow import TransitionNotAllowed
from lumbung.innovations.models import Innovation, InnovationEvent, TeamMember
from lumbung.innovations.workflows import CONTINUITY, REVIEW, RUNNING, STOPPED
from tests.factories import user_with_role

from .factories import InnovationFactory

S = Innovation.Status
SUBMITTERS = {"admin", "operator", "owner", "initiator"}
REVIEWERS = {"admin", "verifier"}
# Who may take each action (from any state the action starts from).
MAY = {
    "submit": SUBMITTERS,
    "resubmit": SUBMITTERS,
    "verify_documents": REVIEWERS,
    "verify_substance": REVIEWERS,
    "publish": REVIEWERS,
    "return": REVIEWERS,
    "unpublish": REVIEWERS,
}
SOURCES = {
    "submit": {S.DRAFT},
    "resubmit": {S.RETURNED},
    "verify_documents": {S.SUBMITTED, S.RESUBMITTED},
    "verify_substance": {S.DOCUMENTS_VERIFIED},
    "publish": {S.SUBSTANCE_VERIFIED},
    "return": {S.SUBMITTED, S.RESUBMITTED, S.DOCUMENTS_VERIFIED, S.SUBSTANCE_VERIFIED},
    "unpublish": {S.PUBLISHED},
}
ACTORS = (
    "admin", "verifier", "operator", "sibling_operator", "owner", "initiator", "member", "innovator",
    "judge", "mentor", "leader", "citizen", "other_admin", "national_admin",
)  # fmt: skip


@pytest.fixture
def cast(world):
    """One innovation of the operator's unit, and every kind of actor around it."""
    innovation = InnovationFactory(region=world.region, unit=world.unit, created_by=world.user("admin"))
    people = {
        role: world.user(role) for role in ("admin", "verifier", "operator", "judge", "mentor", "leader", "citizen")
    }
    people["innovator"] = world.user("innovator")  # on the roster, not on this team
    TeamMember.objects.filter(official=world.official).delete()
    for role in ("owner", "initiator", "member"):
        person = user_with_role("innovator", world.region)
        TeamMember.objects.create(innovation=innovation, user=person, role=role)
        people[role] = person
    people["sibling_operator"] = user_with_role("operator", world.region, world.sibling_unit)
    people["other_admin"] = world.other_admin
    people["national_admin"] = world.national_admin
    return innovation, people


def test_the_table_covers_every_transition():
    assert set(MAY) == {t.action for t in REVIEW.transitions}
    assert {a: set(t.source) for a, t in ((t.action, t) for t in REVIEW.transitions)} == SOURCES


@pytest.mark.django_db
def test_review_table(cast):
    innovation, people = cast
    mismatches = []
    for state in S.values:
        Innovation.objects.filter(pk=innovation.pk).update(status=state)
        innovation.status = state
        for action in MAY:
            for actor in ACTORS:
                user = people[actor]
                expected = state in SOURCES[action] and (actor in MAY[action] or actor == "national_admin")
                if REVIEW.may(user, innovation, action) != expected:
                    mismatches.append((state, action, actor, expected))
    assert mismatches == []


@pytest.mark.django_db
def test_apply_moves_and_records_or_refuses(cast):
    innovation, people = cast
    actor = people["admin"]
    for state in S.values:
        for action in MAY:
            Innovation.objects.filter(pk=innovation.pk).update(status=state)
            innovation.refresh_from_db()
            before = InnovationEvent.objects.count()
            if state not in SOURCES[action]:
                with pytest.raises(TransitionNotAllowed):
                    REVIEW.apply(innovation, action, actor=actor, note="catatan")
                assert InnovationEvent.objects.count() == before
                continue
            event = REVIEW.apply(innovation, action, actor=actor, note="catatan")
            innovation.refresh_from_db()
            assert innovation.status == REVIEW.get(action).target
            assert (event.actor, event.from_state, event.to_state, event.note) == (
                actor, state, innovation.status, "catatan"
            )  # fmt: skip


@pytest.mark.django_db
def test_return_needs_a_note(cast):
    from django.core.exceptions import ValidationError

    innovation, people = cast
    Innovation.objects.filter(pk=innovation.pk).update(status=S.SUBMITTED)
    innovation.refresh_from_db()
    with pytest.raises(ValidationError):
        REVIEW.apply(innovation, "return", actor=people["verifier"], note=" ")


CONTINUITY_SOURCES = {"confirm_running": {RUNNING}, "report_stopped": {RUNNING}, "report_resumed": {STOPPED}}
CONFIRMERS = SUBMITTERS | REVIEWERS | {"national_admin"}


@pytest.mark.django_db
def test_continuity_table(cast):
    innovation, people = cast
    mismatches = []
    for running in (True, False):
        innovation.is_running = running
        for action, sources in CONTINUITY_SOURCES.items():
            for actor in ACTORS:
                expected = str(running) in sources and actor in CONFIRMERS
                if CONTINUITY.may(people[actor], innovation, action) != expected:
                    mismatches.append((running, action, actor, expected))
    assert mismatches == []


@pytest.mark.django_db
def test_continuity_keeps_a_boolean(cast):
    innovation, people = cast
    CONTINUITY.apply(innovation, "report_stopped", actor=people["operator"], note="Anggaran dihentikan")
    assert innovation.is_running is False
    innovation.refresh_from_db()
    assert innovation.is_running is False
