"""The clinic's state machine of a case (its action items move through actions.workflows.ACTION)."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Case, CaseEvent

S = Case.Status

CASE = StateMachine(
    state_field="status",
    event_model=CaseEvent,
    event_object_field="case",
    transitions=[
        # Triage goes through its own form (category, priority, mentor), never a bare button.
        Transition("triage", {S.NEW}, S.TRIAGED, _("Triase"), "clinic.triage_case"),
        Transition("start", {S.TRIAGED}, S.MENTORING, _("Mulai pendampingan"), "clinic.work_case"),
        Transition(
            "ask",
            {S.MENTORING},
            S.WAITING,
            _("Minta pemohon melengkapi"),
            "clinic.work_case",
            note_required=True,
            style="secondary",
        ),
        Transition("respond", {S.WAITING}, S.MENTORING, _("Sudah saya lengkapi"), "clinic.respond_case"),
        Transition(
            "resolve",
            {S.MENTORING, S.WAITING},
            S.RESOLVED,
            _("Tandai selesai ditangani"),
            "clinic.work_case",
            note_required=True,
        ),
        Transition("close", {S.RESOLVED}, S.CLOSED, _("Tutup kasus"), "clinic.close_case", style="secondary"),
        Transition(
            "reopen",
            {S.RESOLVED, S.CLOSED},
            S.MENTORING,
            _("Buka kembali"),
            "clinic.reopen_case",
            note_required=True,
            style="secondary",
        ),
        Transition(
            "decline",
            {S.NEW, S.TRIAGED},
            S.DECLINED,
            _("Tidak dilanjutkan"),
            "clinic.decline_case",
            note_required=True,
            style="danger",
            confirm=_("Permintaan ini tidak dilanjutkan?"),
        ),
        Transition(
            "withdraw",
            {S.NEW, S.TRIAGED, S.MENTORING, S.WAITING},
            S.CLOSED,
            _("Batalkan permintaan"),
            "clinic.withdraw_case",
            style="danger",
            confirm=_("Batalkan permintaan pendampingan ini?"),
        ),
    ],
)

# Actions shown as buttons; the others have their own forms.
CASE_FORM_ACTIONS = frozenset({"triage"})

# Labels for event rows that are not transitions.
EXTRA_ACTION_LABELS = {
    "request": _("Mengajukan permintaan"),
    "reassign": _("Mengubah triase"),
    "create": _("Membuat tindak lanjut"),
}
