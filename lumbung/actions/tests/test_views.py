"""The task list ("Tugas saya"): tasks of every origin assigned to me or my unit, overdue first,
a page at a time; the admin sees the region's tasks by unit; moves from the list are recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lumbung.actions.models import Action
from lumbung.assessment import services as assessment_services
from lumbung.assessment.tests.factories import open_assessment
from lumbung.clinic.tests.factories import ActionItemFactory, CaseFactory
from lumbung.core.roles import Role
from lumbung.replication.tests.factories import FollowUpFactory, StudyVisitFactory

TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def tasks(world):
    """One task of each origin for the operator's unit or the operator, one for another unit and
    one of another region."""
    admin, operator = world.user(Role.ADMIN), world.user(Role.OPERATOR)
    assessment = open_assessment(world.region, admin, year=TODAY.year)
    planner = assessment_services.planned_action_create(
        assessment=assessment, actor=admin, description="Lengkapi SK tim inovasi Diskominfo", gain=Decimal("1.25"),
        unit=world.unit, due_date=days(10),
    )  # fmt: skip
    Action.objects.filter(pk=planner.pk).update(due_date=days(-2))  # late since it was assigned
    case = CaseFactory(region=world.region, requester=operator, mentor=world.user(Role.MENTOR))
    clinic = ActionItemFactory(case=case, owner=operator, description="Kirim SK 2025 ke mentor", due_date=days(3))
    visit = StudyVisitFactory(region=world.region, destination=world.other_region)
    follow_up = FollowUpFactory(
        visit=visit, unit=world.unit, description="Kaji replikasi Lapor Kades", due_date=days(20)
    )
    sibling = FollowUpFactory(
        visit=visit, unit=world.sibling_unit, description="Uji coba di Puskesmas", due_date=days(-9)
    )
    foreign_visit = StudyVisitFactory(region=world.other_region, destination=world.region)
    FollowUpFactory(visit=foreign_visit, unit=world.other_unit, description="Tugas pemda lain", due_date=days(-30))
    return {"planner": planner, "clinic": clinic, "follow_up": follow_up, "sibling": sibling}


def _rows(response) -> list[str]:
    return [task.description for task in response.context["page_obj"]]


def test_an_operator_sees_tasks_of_every_origin_for_them_or_their_unit_overdue_first(client, world, tasks):
    client.force_login(world.user(Role.OPERATOR))
    response = client.get(reverse("actions:mine"))
    assert response.status_code == 200
    assert _rows(response) == [
        "Lengkapi SK tim inovasi Diskominfo",  # late: first
        "Kirim SK 2025 ke mentor",
        "Kaji replikasi Lapor Kades",
    ]
    html = response.content.decode()
    assert "Perencana IGA" in html and tasks["clinic"].case.reference in html and "lewat tenggat" in html
    assert "Uji coba di Puskesmas" not in html and "Tugas pemda lain" not in html
    assert response.context["summary"] == []


def test_the_admin_sees_the_regions_tasks_by_unit_and_filters_them(client, world, tasks):
    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("actions:mine"))
    assert _rows(response) == [
        "Uji coba di Puskesmas",
        "Lengkapi SK tim inovasi Diskominfo",
        "Kirim SK 2025 ke mentor",
        "Kaji replikasi Lapor Kades",
    ]
    summary = {row["unit__short_name"]: (row["pending"], row["overdue"]) for row in response.context["summary"]}
    assert summary == {"Diskominfo": (2, 1), "Dinkes": (1, 1), None: (1, 0)}
    url = reverse("actions:mine")
    assert _rows(client.get(url, {"unit": world.sibling_unit.pk})) == ["Uji coba di Puskesmas"]
    assert _rows(client.get(url, {"asal": "clinic"})) == ["Kirim SK 2025 ke mentor"]
    assert _rows(client.get(url, {"status": "lewat"})) == [
        "Uji coba di Puskesmas",
        "Lengkapi SK tim inovasi Diskominfo",
    ]
    # Another region's unit or a made-up status is ignored, never an error page.
    assert len(_rows(client.get(url, {"unit": world.other_unit.pk, "status": "x"}))) == 4
    # The admin's own tasks only: none are assigned to the admin or a unit of theirs.
    assert _rows(client.get(url, {"lingkup": "saya"})) == []


def test_settled_tasks_come_last_when_all_are_shown(client, world, tasks):
    tasks["planner"].status = Action.Status.DONE
    tasks["planner"].save(update_fields=["status"])
    client.force_login(world.user(Role.OPERATOR))
    assert _rows(client.get(reverse("actions:mine"), {"status": "semua"})) == [
        "Kirim SK 2025 ke mentor",
        "Kaji replikasi Lapor Kades",
        "Lengkapi SK tim inovasi Diskominfo",
    ]
    assert _rows(client.get(reverse("actions:mine"), {"status": "done"})) == ["Lengkapi SK tim inovasi Diskominfo"]


def test_a_citizen_sees_the_clinic_task_given_to_them(client, world):
    citizen = world.user(Role.CITIZEN)
    case = CaseFactory(region=world.region, requester=citizen)
    ActionItemFactory(case=case, owner=citizen, description="Foto lokasi bank sampah")
    client.force_login(citizen)
    assert _rows(client.get(reverse("actions:mine"))) == ["Foto lokasi bank sampah"]


def test_the_operator_moves_a_task_from_the_list_and_the_move_is_recorded(client, world, tasks):
    operator = world.user(Role.OPERATOR)
    client.force_login(operator)
    task = tasks["follow_up"]
    url = reverse("actions:transition", args=[task.pk])
    response = client.post(url, {"action": "start", "next": reverse("actions:mine") + "?asal=study_visit"})
    assert response.status_code == 302 and response["Location"] == reverse("actions:mine") + "?asal=study_visit"
    task.refresh_from_db()
    assert task.status == Action.Status.IN_PROGRESS
    event = task.events.get(action="start")
    assert (event.actor, event.from_state, event.to_state) == (operator, "open", "in_progress")
    # Cancelling needs a reason: refused with a message, nothing changes.
    response = client.post(url, {"action": "cancel", "note": " "}, follow=True)
    assert "Catatan wajib diisi" in response.content.decode()
    task.refresh_from_db()
    assert task.status == Action.Status.IN_PROGRESS
    client.post(url, {"action": "cancel", "note": "Anggaran tidak tersedia", "next": "https://example.com/"})
    task.refresh_from_db()
    assert task.status == Action.Status.CANCELLED and task.events.last().note == "Anggaran tidak tersedia"


def test_moves_the_user_may_not_take_are_refused(client, world, tasks):
    client.force_login(world.user(Role.OPERATOR))
    sibling = tasks["sibling"]
    assert client.post(reverse("actions:transition", args=[sibling.pk]), {"action": "finish"}).status_code == 404
    # A planner step is cancelled only by the admin.
    response = client.post(
        reverse("actions:transition", args=[tasks["planner"].pk]), {"action": "cancel", "note": "x"}, follow=True
    )
    assert "tidak dapat dilakukan" in response.content.decode()
    assert client.get(reverse("actions:transition", args=[sibling.pk])).status_code == 405
    sibling.refresh_from_db()
    assert sibling.status == Action.Status.OPEN


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OPERATOR])
def test_the_list_does_not_grow_with_tasks(client, world, role, django_assert_max_num_queries):
    client.force_login(world.user(role))
    visit = StudyVisitFactory(region=world.region, destination=world.other_region)
    case = CaseFactory(region=world.region, requester=world.user(Role.OPERATOR))
    FollowUpFactory(visit=visit, unit=world.unit, owner_official=world.official)
    ActionItemFactory(case=case, owner=world.user(Role.OPERATOR))
    url = reverse("actions:mine")
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(30):
        FollowUpFactory(visit=visit, unit=world.unit, owner_official=world.official, due_date=days(n - 15))
        ActionItemFactory(case=case, owner=world.user(Role.OPERATOR), due_date=days(n))
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 25
