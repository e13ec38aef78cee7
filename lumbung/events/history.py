"""Readable workflow history for templates/includes/events.html (labels instead of codes)."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, TransitionNotAllowed

# Rows written outside the state machines: creation, edits, registration, adoption and evidence.
OTHER_ACTIONS = {
    "create": _("Dibuat"),
    "edit": _("Diubah"),
    "register": _("Didaftarkan"),
    "adopt": _("Diadopsi dari katalog"),
    "attach_evidence": _("Dilampirkan sebagai eviden"),
    "attach_refused": _("Ditolak oleh penilaian"),
}


def labelled(rows, machine: StateMachine, states) -> list:
    """The event rows of one record, each given action_label, from_label and to_label."""
    rows = list(rows)
    for row in rows:
        try:
            row.action_label = machine.get(row.action).label
        except TransitionNotAllowed:
            row.action_label = OTHER_ACTIONS.get(row.action, row.action)
        row.from_label = states(row.from_state).label if row.from_state in states.values else row.from_state
        row.to_label = states(row.to_state).label if row.to_state in states.values else row.to_state
    return rows
