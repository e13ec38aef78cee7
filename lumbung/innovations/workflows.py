"""The innovation's review workflow and its yearly "still running?" confirmation."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Attachment, Innovation, InnovationEvent, TeamMember

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
        Transition(
            "publish",
            {S.SUBSTANCE_VERIFIED},
            S.PUBLISHED,
            _("Terbitkan di etalase"),
            REVIEW_PERM,
            confirm=_("Terbitkan inovasi ini di etalase publik? Profilnya dapat dilihat semua orang."),
        ),
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
REVIEW_ACTIONS = frozenset(transition.action for transition in REVIEW.transitions)

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


# Changes recorded in the history outside the state machines. A stage change keeps the old and
# the new stage in from_state/to_state (the programme trend reads them); team and attachment
# changes keep the status in both and what changed in `data`.
STAGE_ACTION = "stage"
TEAM_ADD, TEAM_REMOVE = "team_add", "team_remove"
ATTACHMENT_ADD, ATTACHMENT_DELETE = "attachment_add", "attachment_delete"

# Actions recorded without a review transition, for the history (core.workflow.describe).
HISTORY_LABELS = {
    "create": _("Didaftarkan"),
    "import": _("Diimpor dari Excel"),
    STAGE_ACTION: _("Tahapan diubah"),
    TEAM_ADD: _("Anggota tim ditambahkan"),
    TEAM_REMOVE: _("Anggota tim dihapus"),
    ATTACHMENT_ADD: _("Lampiran ditambahkan"),
    ATTACHMENT_DELETE: _("Lampiran dihapus"),
    "edit": _("Profil diubah"),
    "adopt": _("Diadopsi perangkat daerah"),
    "photo": _("Foto etalase diubah"),
    "video": _("Tautan video diubah"),
    **{transition.action: transition.label for transition in CONTINUITY.transitions},
}


def history(events) -> list:
    """The innovation's event rows labelled for templates/includes/events.html: review steps by
    REVIEW, and the continuity, stage, team and attachment rows with their own words."""
    rows = REVIEW.describe(events, extra_labels=HISTORY_LABELS)
    stages = dict(Innovation.Stage.choices)
    for row in rows:
        data = row.data or {}
        if row.action in (TEAM_ADD, TEAM_REMOVE):
            role = TeamMember.Role(data["role"]).label if data.get("role") in TeamMember.Role.values else ""
            row.action_label = f"{row.action_label}: {data.get('name', '')} ({role})"
        elif row.action in (ATTACHMENT_ADD, ATTACHMENT_DELETE):
            kind = Attachment.Kind(data["kind"]).label if data.get("kind") in Attachment.Kind.values else ""
            row.action_label = f"{row.action_label}: {data.get('title', '')} ({kind})"
        elif row.action == "adopt" and data.get("unit_name"):
            row.action_label = f"{row.action_label}: {data['unit_name']}"
        elif row.action == STAGE_ACTION:
            row.from_label, row.to_label = stages.get(row.from_state, ""), stages.get(row.to_state, "")
        elif row.from_state in CONTINUITY_LABELS:  # "True"/"False" of the continuity machine
            row.from_label, row.to_label = CONTINUITY_LABELS[row.from_state], CONTINUITY_LABELS[row.to_state]
    return rows
