"""Copy the planner's actions, the clinic's action items and the study visits' follow-ups into
actions.Action, with their event history (who, when, from, to, why), before the old tables go.

The old state machines named two moves differently: the clinic's "complete" is "finish" and a
follow-up's "drop" (to "dropped") is "cancel" (to "cancelled"). The old names stay in each
event's data ("migrated_from", "old_action")."""

from django.db import migrations

BATCH = 500


def _unstamped(model):
    """The model with its automatic timestamps switched off, so copied rows keep their times."""
    fields = [field for field in model._meta.concrete_fields if getattr(field, "auto_now", False) or
              getattr(field, "auto_now_add", False)]  # fmt: skip
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    return saved


def _restamp(saved) -> None:
    for field, auto_now, auto_now_add in saved:
        field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _copy_events(ActionEvent, events, link: str, new_ids: dict, source: str, renames: dict, states: dict) -> None:
    batch = []
    for event in events.order_by("created_at", "id").iterator(chunk_size=BATCH):
        data = dict(event.data or {})
        data["migrated_from"] = source
        if event.action in renames:
            data["old_action"] = event.action
        batch.append(
            ActionEvent(
                item_id=new_ids[getattr(event, link)],
                actor_id=event.actor_id,
                created_at=event.created_at,
                action=renames.get(event.action, event.action),
                from_state=states.get(event.from_state, event.from_state),
                to_state=states.get(event.to_state, event.to_state),
                note=event.note,
                data=data,
            )
        )
        if len(batch) >= BATCH:
            ActionEvent.objects.bulk_create(batch)
            batch = []
    ActionEvent.objects.bulk_create(batch)


def _copy(Action, rows, build) -> dict:
    """Create one Action per old row (in id order); return old id -> new id."""
    new_ids = {}
    for row in rows.order_by("id").iterator(chunk_size=BATCH):
        action = build(row)
        action.save()
        new_ids[row.pk] = action.pk
    return new_ids


def forward(apps, schema_editor) -> None:
    Action = apps.get_model("actions", "Action")
    ActionEvent = apps.get_model("actions", "ActionEvent")
    PlannedAction = apps.get_model("assessment", "PlannedAction")
    PlannedActionEvent = apps.get_model("assessment", "PlannedActionEvent")
    ActionItem = apps.get_model("clinic", "ActionItem")
    ActionItemEvent = apps.get_model("clinic", "ActionItemEvent")
    FollowUp = apps.get_model("replication", "FollowUp")
    FollowUpHistory = apps.get_model("replication", "FollowUpHistory")
    saved = _unstamped(Action) + _unstamped(ActionEvent)
    try:
        planned_ids = _copy(
            Action,
            PlannedAction.objects.select_related("assessment"),
            lambda row: Action(
                region_id=row.assessment.region_id, origin="planner", description=row.description,
                status=row.status, due_date=row.due_date, unit_id=row.unit_id, innovation_id=row.innovation_id,
                indicator_code=row.indicator_code, assessment_id=row.assessment_id, kind=row.kind, gain=row.gain,
                created_by_id=row.created_by_id, created_at=row.created_at, updated_at=row.updated_at,
            ),
        )  # fmt: skip
        _copy_events(
            ActionEvent, PlannedActionEvent.objects.all(), "action_item_id", planned_ids,
            "assessment.PlannedActionEvent", {}, {},
        )  # fmt: skip
        last_event = {}
        for item_id, created_at in ActionItemEvent.objects.order_by("created_at").values_list("item_id", "created_at"):
            last_event[item_id] = created_at
        clinic_ids = _copy(
            Action,
            ActionItem.objects.select_related("case"),
            lambda row: Action(
                region_id=row.case.region_id, origin="clinic", description=row.description, status=row.status,
                due_date=row.due_date, owner_id=row.owner_id, owner_name=row.owner_name,
                innovation_id=row.innovation_id, indicator_code=row.indicator_code, case_id=row.case_id,
                planned_action_id=planned_ids.get(row.planned_action_id), created_by_id=row.created_by_id,
                created_at=row.created_at, updated_at=last_event.get(row.pk, row.created_at),
            ),
        )  # fmt: skip
        _copy_events(
            ActionEvent, ActionItemEvent.objects.all(), "item_id", clinic_ids, "clinic.ActionItemEvent",
            {"complete": "finish"}, {},
        )  # fmt: skip
        follow_up_ids = _copy(
            Action,
            FollowUp.objects.select_related("visit"),
            lambda row: Action(
                region_id=row.visit.region_id, origin="study_visit", description=row.description,
                status="cancelled" if row.status == "dropped" else row.status, due_date=row.due_date,
                unit_id=row.owner_unit_id, owner_official_id=row.owner_official_id, visit_id=row.visit_id,
                catalogue_item_id=row.item_id, created_at=row.created_at, updated_at=row.updated_at,
            ),
        )  # fmt: skip
        _copy_events(
            ActionEvent, FollowUpHistory.objects.all(), "follow_up_id", follow_up_ids,
            "replication.FollowUpHistory", {"drop": "cancel"}, {"dropped": "cancelled"},
        )  # fmt: skip
    finally:
        _restamp(saved)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("assessment", "0001_initial"),
        ("clinic", "0001_initial"),
        ("replication", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
