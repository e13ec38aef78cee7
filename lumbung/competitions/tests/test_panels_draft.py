"""Panels are formed while the competition is still a draft (before it is announced), not after it
ends or is cancelled; assignments still wait for the announcement."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from lumbung.competitions import judges
from lumbung.competitions.models import Competition, Panel
from lumbung.competitions.phases import PhaseKind
from lumbung.core.roles import Role
from tests.factories import user_with_role

from .conftest import at

pytestmark = pytest.mark.django_db
BEFORE = at(2, 1)


@pytest.fixture
def draft(calendar_competition):
    calendar_competition.status = Competition.Status.DRAFT
    calendar_competition.save(update_fields=["status"])
    return calendar_competition


def test_the_judging_page_of_a_draft_offers_a_panel(client, world, draft):
    desk = draft.round_of_kind(PhaseKind.DESK)
    client.force_login(world.user(Role.ADMIN))
    with time_machine.travel(BEFORE, tick=False):
        page = client.get(reverse("competitions:round-judging", args=[desk.pk])).content.decode()
    assert reverse("competitions:panel-add", args=[desk.pk]) in page
    assert reverse("competitions:assign-auto", args=[desk.pk]) not in page  # assigning waits


def test_an_admin_forms_a_panel_of_a_draft(client, world, draft):
    desk = draft.round_of_kind(PhaseKind.DESK)
    judge = user_with_role(Role.JUDGE, world.region, full_name="Juri Akademisi")
    client.force_login(world.user(Role.ADMIN))
    with time_machine.travel(BEFORE, tick=False):
        response = client.post(
            reverse("competitions:panel-add", args=[desk.pk]),
            {"name": "Panel A", "members": [judge.pk], "lead": judge.pk},
        )
    assert response.status_code == 302
    panel = Panel.objects.get(round=desk)
    assert panel.name == "Panel A" and list(panel.members.all()) == [judge] and panel.lead == judge
    assert draft.events.filter(action="panel").exists()


@pytest.mark.parametrize("status", [Competition.Status.CANCELLED, Competition.Status.RESULTS])
def test_no_panel_once_the_competition_is_over(world, draft, status):
    draft.status = status
    draft.save(update_fields=["status"])
    desk = draft.round_of_kind(PhaseKind.DESK)
    judge = user_with_role(Role.JUDGE, world.region)
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError, match="Panel hanya dapat disusun"):
        judges.panel_save(round_=desk, actor=world.user(Role.ADMIN), name="P", members=[judge], lead=None)
    assert not Panel.objects.exists()


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.JUDGE, Role.CITIZEN, Role.VERIFIER])
def test_only_the_admin_forms_panels(client, world, draft, role):
    desk = draft.round_of_kind(PhaseKind.DESK)
    client.force_login(world.user(role))
    response = client.post(reverse("competitions:panel-add", args=[desk.pk]), {"name": "X"})
    assert response.status_code in (403, 404) and not Panel.objects.exists()
