"""The data migration that made the planner's actions, the clinic's action items and the study
visits' follow-ups one kind of task: rows created at the old state come out as actions.Action
rows linked to their origin, and every event keeps who, when, from, to and why."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lumbung.actions.models import Action, ActionEvent
from lumbung.core.roles import Role

BEFORE = [("actions", "0001_initial")]
WHEN = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = list(executor.loader.applied_migrations)
    return executor.loader.project_state(applied).apps


def _at(minutes: int):
    return WHEN + dt.timedelta(minutes=minutes)


def _old_rows(apps, world, assessment, case, visit, item):
    """One task of each kind with its history, written as the old code wrote them."""
    admin, operator, mentor = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.MENTOR)
    PlannedAction = apps.get_model("assessment", "PlannedAction")
    PlannedActionEvent = apps.get_model("assessment", "PlannedActionEvent")
    ActionItem = apps.get_model("clinic", "ActionItem")
    ActionItemEvent = apps.get_model("clinic", "ActionItemEvent")
    FollowUp = apps.get_model("replication", "FollowUp")
    FollowUpHistory = apps.get_model("replication", "FollowUpHistory")

    planned = PlannedAction.objects.create(
        assessment_id=assessment.pk, description="Lengkapi SK tim inovasi", gain=Decimal("1.25"), kind="fill_mandatory",
        indicator_code="17", unit_id=world.unit.pk, due_date=dt.date(2026, 7, 1), status="in_progress",
        created_by_id=admin.pk,
    )  # fmt: skip
    PlannedAction.objects.filter(pk=planned.pk).update(created_at=_at(0), updated_at=_at(5))
    for minutes, actor, action, source, target, note in (
        (0, admin, "create", "", "open", ""),
        (5, operator, "start", "open", "in_progress", "Sedang menghubungi Bagian Hukum"),
    ):
        event = PlannedActionEvent.objects.create(
            action_item_id=planned.pk, actor_id=actor.pk, action=action, from_state=source, to_state=target, note=note,
            data={"unit": world.unit.pk} if action == "create" else {},
        )  # fmt: skip
        PlannedActionEvent.objects.filter(pk=event.pk).update(created_at=_at(minutes))

    clinic = ActionItem.objects.create(
        case_id=case.pk, description="Kirim SK 2025 ke mentor", owner_id=case.requester_id, due_date=dt.date(2026, 3, 9),
        indicator_code="17", planned_action_id=planned.pk, status="done", created_by_id=mentor.pk,
    )  # fmt: skip
    ActionItem.objects.filter(pk=clinic.pk).update(created_at=_at(10))
    for minutes, actor, action, source, target in (
        (10, mentor, "create", "", "open"),
        (20, case.requester, "complete", "open", "done"),
    ):
        event = ActionItemEvent.objects.create(
            item_id=clinic.pk, actor_id=actor.pk, action=action, from_state=source, to_state=target
        )
        ActionItemEvent.objects.filter(pk=event.pk).update(created_at=_at(minutes))

    follow_up = FollowUp.objects.create(
        visit_id=visit.pk, description="Anggarkan operator pekon", owner_unit_id=world.unit.pk,
        owner_official_id=world.official.pk, due_date=dt.date(2026, 5, 1), item_id=item.pk, status="dropped",
    )  # fmt: skip
    FollowUp.objects.filter(pk=follow_up.pk).update(created_at=_at(30), updated_at=_at(40))
    event = FollowUpHistory.objects.create(
        follow_up_id=follow_up.pk, actor_id=admin.pk, action="drop", from_state="open", to_state="dropped",
        note="Anggaran belum tersedia",
    )  # fmt: skip
    FollowUpHistory.objects.filter(pk=event.pk).update(created_at=_at(40))


def _history(action: Action) -> list:
    return list(
        action.events.order_by("created_at", "id").values_list(
            "actor_id", "created_at", "action", "from_state", "to_state", "note"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_old_tasks_and_their_history_become_actions(transactional_db):
    from lumbung.assessment.tests.factories import open_assessment
    from lumbung.clinic.tests.factories import CaseFactory
    from lumbung.replication.tests.factories import CatalogueItemFactory, StudyVisitFactory
    from tests.world import build_world

    world = build_world()
    admin, operator, mentor = world.user(Role.ADMIN), world.user(Role.OPERATOR), world.user(Role.MENTOR)
    assessment = open_assessment(world.region, admin)
    case = CaseFactory(region=world.region, requester=world.user(Role.INNOVATOR), mentor=mentor)
    visit = StudyVisitFactory(region=world.region, destination=world.other_region)
    item = CatalogueItemFactory(region=world.region, source_region=world.other_region)
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(BEFORE)
        _old_rows(old_apps, world, assessment, case, visit, item)
    finally:
        _migrate(leaves)

    planned = Action.objects.get(origin=Action.Origin.PLANNER)
    assert (planned.region, planned.assessment, planned.unit, planned.gain, planned.status) == (
        world.region, assessment, world.unit, Decimal("1.25"), "in_progress"
    )  # fmt: skip
    assert (planned.kind, planned.indicator_code, planned.created_by, planned.created_at, planned.updated_at) == (
        "fill_mandatory", "17", admin, _at(0), _at(5)
    )  # fmt: skip
    assert _history(planned) == [
        (admin.pk, _at(0), "create", "", "open", ""),
        (operator.pk, _at(5), "start", "open", "in_progress", "Sedang menghubungi Bagian Hukum"),
    ]
    assert planned.events.first().data == {"unit": world.unit.pk, "migrated_from": "assessment.PlannedActionEvent"}

    clinic = Action.objects.get(origin=Action.Origin.CLINIC)
    assert (clinic.region, clinic.case, clinic.owner, clinic.status, clinic.planned_action) == (
        world.region, case, case.requester, "done", planned
    )  # fmt: skip
    assert (clinic.created_by, clinic.created_at, clinic.updated_at) == (mentor, _at(10), _at(20))
    # The clinic's "complete" is the one machine's "finish"; the old name stays in the event.
    assert _history(clinic) == [
        (mentor.pk, _at(10), "create", "", "open", ""),
        (case.requester_id, _at(20), "finish", "open", "done", ""),
    ]
    assert clinic.events.last().data == {"migrated_from": "clinic.ActionItemEvent", "old_action": "complete"}
    assert list(planned.clinic_items.all()) == [clinic]

    follow_up = Action.objects.get(origin=Action.Origin.STUDY_VISIT)
    assert (follow_up.region, follow_up.visit, follow_up.unit, follow_up.owner_official) == (
        world.region, visit, world.unit, world.official
    )  # fmt: skip
    assert (follow_up.catalogue_item, follow_up.status, follow_up.created_at) == (item, "cancelled", _at(30))
    assert _history(follow_up) == [(admin.pk, _at(40), "cancel", "open", "cancelled", "Anggaran belum tersedia")]
    assert list(visit.follow_ups.all()) == [follow_up]
    assert ActionEvent.objects.count() == 5

    # The copied tasks move on in the one machine like new ones.
    from lumbung.actions.services import action_transition

    action_transition(item=follow_up, action="reopen", actor=admin)
    assert follow_up.events.last().from_state == "cancelled"
