"""The state machines of study visits and replications (follow-ups move through actions.workflows.ACTION)."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Replication, ReplicationHistory, StudyVisit, StudyVisitHistory

V, R = StudyVisit.Status, Replication.Status

VISIT = StateMachine(
    state_field="status",
    event_model=StudyVisitHistory,
    event_object_field="visit",
    transitions=[
        Transition("complete", {V.PLANNED}, V.DONE, _("Tandai terlaksana"), "replication.manage_visit"),
        Transition("close", {V.DONE}, V.CLOSED, _("Tutup (tindak lanjut tuntas)"), "replication.manage_visit"),
        Transition("reopen", {V.CLOSED}, V.DONE, _("Buka kembali"), "replication.manage_visit", style="secondary"),
        Transition(
            "cancel",
            {V.PLANNED},
            V.CANCELLED,
            _("Batalkan kunjungan"),
            "replication.manage_visit",
            note_required=True,
            style="danger",
        ),  # fmt: skip
    ],
)

REPLICATION = StateMachine(
    state_field="status",
    event_model=ReplicationHistory,
    event_object_field="replication",
    transitions=[
        Transition("activate", {R.PLANNED}, R.ACTIVE, _("Tandai berjalan"), "replication.change_replication"),
        Transition(
            "stop",
            {R.PLANNED, R.ACTIVE},
            R.STOPPED,
            _("Hentikan"),
            "replication.change_replication",
            note_required=True,
            style="danger",
        ),  # fmt: skip
        Transition("resume", {R.STOPPED}, R.ACTIVE, _("Berjalan kembali"), "replication.change_replication"),
    ],
)
