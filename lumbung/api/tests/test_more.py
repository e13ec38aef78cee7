"""Competitions and published results, and events (the replication catalogue: test_catalogue)."""

from django.urls import reverse

from lumbung.competitions.models import Competition, Result
from lumbung.competitions.tests.factories import CompetitionFactory, awarded_competition
from lumbung.core.roles import Role
from lumbung.events.models import Event
from lumbung.events.tests.factories import EventFactory

from .conftest import ApiClient, make_token


def client_for(world, role):
    _token, raw = make_token(world.user(role), world.region)
    return ApiClient(raw)


def url(name, world, *args):
    return reverse(f"api:{name}", args=[world.region.code, *args])


def test_competitions_public_ones_for_everyone_drafts_for_the_admin(world, anonymous):
    admin = world.user(Role.ADMIN)
    published = CompetitionFactory(region=world.region, created_by=admin)
    draft = CompetitionFactory(region=world.region, created_by=admin, status=Competition.Status.DRAFT)
    assert [c["id"] for c in anonymous.get(url("competition-list", world)).json()] == [published.pk]
    assert {c["id"] for c in client_for(world, Role.ADMIN).get(url("competition-list", world)).json()} == {
        published.pk,
        draft.pk,
    }


def test_results_once_announced_without_the_entrants_names(world, anonymous):
    admin = world.user(Role.ADMIN)
    competition = awarded_competition(region=world.region, admin=admin)
    for rank, entry in enumerate(competition.entries.order_by("pk"), start=1):
        Result.objects.create(competition=competition, entry=entry, track=entry.track, rank=rank, final_score="80.5")
    response = anonymous.get(url("competition-results", world, competition.pk))
    assert [row["rank"] for row in response.json()] == [1, 2, 3]
    assert "Dewi Anggraini" not in response.content.decode()
    running = CompetitionFactory(region=world.region, created_by=admin)
    assert anonymous.get(url("competition-results", world, running.pk)).status_code == 404


def test_events_public_ones_for_visitors_announced_ones_for_staff(world, anonymous):
    public = EventFactory(region=world.region, organiser=world.unit, audience=Event.Audience.PUBLIC)
    staff_only = EventFactory(region=world.region, organiser=world.unit, audience=Event.Audience.STAFF)
    draft = EventFactory(region=world.region, organiser=world.unit, status=Event.Status.DRAFT)
    seen = {row["id"] for row in anonymous.get(url("event-list", world)).json()["results"]}
    assert seen == {public.pk}
    staff = {row["id"] for row in client_for(world, Role.VERIFIER).get(url("event-list", world)).json()["results"]}
    assert staff == {public.pk, staff_only.pk}
    admin = {row["id"] for row in client_for(world, Role.ADMIN).get(url("event-list", world)).json()["results"]}
    assert admin == {public.pk, staff_only.pk, draft.pk}
