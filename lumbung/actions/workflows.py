"""The one state machine of every task, whatever its origin."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Action, ActionEvent

S = Action.Status

ACTION = StateMachine(
    state_field="status",
    event_model=ActionEvent,
    event_object_field="item",
    transitions=[
        Transition("start", {S.OPEN}, S.IN_PROGRESS, _("Mulai kerjakan"), "actions.work_on_action", style="secondary"),
        Transition("finish", {S.OPEN, S.IN_PROGRESS}, S.DONE, _("Tandai selesai"), "actions.work_on_action"),
        Transition(
            "cancel",
            {S.OPEN, S.IN_PROGRESS},
            S.CANCELLED,
            _("Batalkan"),
            "actions.manage_action",
            note_required=True,
            style="danger",
        ),
        Transition(
            "reopen", {S.DONE, S.CANCELLED}, S.OPEN, _("Buka kembali"), "actions.manage_action", style="secondary"
        ),
    ],
)

# Labels of event rows that are not transitions.
EXTRA_LABELS = {"create": _("Membuat tugas")}


def describe(events) -> list:
    return ACTION.describe(events, EXTRA_LABELS)
