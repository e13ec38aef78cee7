"""The innovation's review workflow and its yearly "still running?" confirmation."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Innovation, InnovationEvent

S = Innovation.Status
SUBMIT = "innovations.submit_innovation"
REVIEW_PERM = "innovations.review_innovation"

REVIEW = StateMachine(
    state_field="status",
    event_model=InnovationEvent,
    event_object_field="innovation",
    transitions=[
        Transition("submit", {S.DRAFT}, S.SUBMITTED, _("Ajukan untuk diverifikasi"), SUBMIT),
        Transition("resubmit", {S.RETURNED}, S.RESUBMITTED, _("Ajukan ulang"), SUBMIT),
        Transition(
            "verify_documents", {S.SUBMITTED, S.RESUBMITTED}, S.DOCUMENTS_VERIFIED, _("Dokumen sesuai"), REVIEW_PERM
        ),
        Transition(
            "verify_substance", {S.DOCUMENTS_VERIFIED}, S.SUBSTANCE_VERIFIED, _("Substansi sesuai"), REVIEW_PERM
        ),
        Transition("publish", {S.SUBSTANCE_VERIFIED}, S.PUBLISHED, _("Terbitkan di etalase"), REVIEW_PERM),
        # Returning is done on its own page with notes per field (views.innovation_return).
        Transition(
            "return",
            {S.SUBMITTED, S.RESUBMITTED, S.DOCUMENTS_VERIFIED, S.SUBSTANCE_VERIFIED},
            S.RETURNED,
            _("Kembalikan untuk perbaikan"),
            REVIEW_PERM,
            note_required=True,
            style="danger",
        ),
        Transition(
            "unpublish",
            {S.PUBLISHED},
            S.RETURNED,
            _("Tarik dari etalase untuk perbaikan"),
            REVIEW_PERM,
            note_required=True,
            style="danger",
            confirm=_("Inovasi akan hilang dari etalase publik sampai diterbitkan lagi. Lanjutkan?"),
        ),
    ],
)

# Actions the detail page offers as plain buttons; "return" has its own page.
BUTTON_ACTIONS = frozenset({"submit", "resubmit", "verify_documents", "verify_substance", "publish", "unpublish"})

# is_running is a boolean field; its states are written the way the state machine stores them.
RUNNING, STOPPED = "True", "False"
CONFIRM = "innovations.confirm_running"

CONTINUITY = StateMachine(
    state_field="is_running",
    event_model=InnovationEvent,
    event_object_field="innovation",
    transitions=[
        Transition("confirm_running", {RUNNING}, RUNNING, _("Masih berjalan tahun ini"), CONFIRM),
        Transition(
            "report_stopped", {RUNNING}, STOPPED, _("Sudah berhenti"), CONFIRM, note_required=True, style="danger"
        ),
        Transition("report_resumed", {STOPPED}, RUNNING, _("Berjalan kembali"), CONFIRM),
    ],
)

CONTINUITY_LABELS = {RUNNING: _("Berjalan"), STOPPED: _("Berhenti")}


# Actions recorded without a review transition, for the history (core.workflow.describe).
HISTORY_LABELS = {
    "create": _("Didaftarkan"),
    "import": _("Diimpor dari Excel"),
    **{transition.action: transition.label for transition in CONTINUITY.transitions},
}
