"""Creating and moving tasks. The modules a task comes from (planner, clinic, study visits) call
these and add their own messages."""

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Action, ActionEvent
from .workflows import ACTION


@transaction.atomic
def action_create(*, region, origin: str, actor, description: str, data: dict | None = None, **fields) -> Action:
    """Save a new task of `origin` in `region` (fields: the links to its origin, who does it, by
    when) and record its creation with the actor."""
    item = Action(region=region, origin=origin, description=description.strip(), created_by=actor, **fields)
    item.full_clean()
    item.save()
    ActionEvent.objects.create(
        item=item,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action="create",
        from_state="",
        to_state=item.status,
        data=data or {},
    )
    return item


def action_transition(*, item: Action, action: str, actor, note: str = "", system: bool = False) -> ActionEvent:
    """Move a task along the state machine. Finishing a clinic task that carries out a planner
    step finishes that step too, so the assessment's plan shows the work the clinic did."""
    with transaction.atomic():
        event = ACTION.apply(item, action, actor=actor, note=note, system=system)
        planned = item.planned_action if item.planned_action_id else None
        if action == "finish" and planned is not None and planned.is_pending:
            ACTION.apply(
                planned,
                "finish",
                actor=actor,
                # The mentor may lack the unit's planner permission; the clinic task is the authority.
                system=True,
                note=_("Selesai lewat klinik inovasi, kasus %(case)s: %(item)s")
                % {"case": item.case.reference, "item": item.description[:120]},
            )
    return event
