"""The state machines of events, registrations and evidence proposals."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Event, EventHistory, EvidenceProposal, ProposalHistory, Registration, RegistrationHistory

E = Event.Status
R = Registration.Status
P = EvidenceProposal.Status

EVENT = StateMachine(
    state_field="status",
    event_model=EventHistory,
    event_object_field="event",
    transitions=[
        Transition("open", {E.DRAFT}, E.OPEN, _("Buka pendaftaran"), "events.manage_event"),
        Transition("start", {E.OPEN}, E.RUNNING, _("Mulai kegiatan"), "events.manage_event"),
        Transition("finish", {E.OPEN, E.RUNNING}, E.FINISHED, _("Tandai selesai"), "events.manage_event"),
        Transition("archive", {E.FINISHED}, E.ARCHIVED, _("Arsipkan"), "events.manage_event", style="secondary"),
        Transition(
            "cancel",
            {E.DRAFT, E.OPEN, E.RUNNING},
            E.CANCELLED,
            _("Batalkan kegiatan"),
            "events.manage_event",
            note_required=True,
            style="danger",
            confirm=_("Batalkan kegiatan ini? Peserta akan diberi tahu."),
        ),
    ],
)

REGISTRATION = StateMachine(
    state_field="status",
    event_model=RegistrationHistory,
    event_object_field="registration",
    transitions=[
        # Participants check in with their code (a system transition); the committee may mark them.
        Transition("check_in", {R.REGISTERED}, R.ATTENDED, _("Tandai hadir"), "events.check_in_registration"),
        Transition(
            "undo_check_in",
            {R.ATTENDED},
            R.REGISTERED,
            _("Batalkan kehadiran"),
            "events.check_in_registration",
            note_required=True,
            style="secondary",
        ),
        Transition(
            "cancel",
            {R.REGISTERED},
            R.CANCELLED,
            _("Batalkan pendaftaran"),
            "events.cancel_registration",
            style="danger",
        ),
        Transition("restore", {R.CANCELLED}, R.REGISTERED, _("Daftarkan kembali"), "events.restore_registration"),
    ],
)

PROPOSAL = StateMachine(
    state_field="status",
    event_model=ProposalHistory,
    event_object_field="proposal",
    transitions=[
        Transition("confirm", {P.PROPOSED}, P.CONFIRMED, _("Konfirmasi"), "events.decide_proposal"),
        Transition(
            "dismiss", {P.PROPOSED}, P.DISMISSED, _("Jangan pakai"), "events.decide_proposal", style="secondary"
        ),
        Transition("reconsider", {P.DISMISSED}, P.PROPOSED, _("Pertimbangkan lagi"), "events.decide_proposal"),
        # A confirmed proposal the assessment refused (for example an ineligible innovation) is set aside.
        Transition("withdraw", {P.CONFIRMED}, P.DISMISSED, _("Batalkan konfirmasi"), "events.decide_proposal"),
        # Only the attach job moves a confirmed proposal on, after the assessment accepted it.
        Transition("attach", {P.CONFIRMED}, P.ATTACHED, _("Dilampirkan"), None),
    ],
)
