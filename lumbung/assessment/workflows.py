"""The assessment's state machines: locking the year, the verification of each row, the
field check of presented innovations. Each change writes an event row (see core.workflow)."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import (
    Answer,
    AnswerEvent,
    Assessment,
    AssessmentEvent,
    FieldCheck,
    FieldCheckEvent,
    RegionAnswer,
    RegionAnswerEvent,
    RowStatus,
)

A = Assessment.Status
S = RowStatus

ASSESSMENT = StateMachine(
    state_field="status",
    event_model=AssessmentEvent,
    event_object_field="assessment",
    transitions=[
        Transition(
            "lock",
            {A.OPEN},
            A.LOCKED,
            _("Kunci penilaian"),
            "assessment.lock_assessment",
            style="danger",
            confirm=_("Setelah dikunci, jawaban dan eviden tidak dapat diubah lagi. Kunci sekarang?"),
        ),
        Transition(
            "unlock",
            {A.LOCKED},
            A.OPEN,
            _("Buka kunci"),
            "assessment.unlock_assessment",
            note_required=True,
            style="secondary",
        ),
    ],
)

# Actions the unit takes by changing a row's level (see services.answer_set): which one depends
# on the state the row is in.
LEVEL_CHANGE_ACTION = {
    S.MISSING: "claim",
    S.CLAIMED: "revise",
    S.REJECTED: "resubmit",
    S.RESUBMITTED: "resubmit",
    S.ACCEPTED: "amend",
}
# Actions offered as buttons on a row (the level form covers the others).
ROW_BUTTON_ACTIONS = ("accept", "reject", "resubmit", "reopen", "withdraw")

_ROW_TRANSITIONS = [
    Transition("claim", {S.MISSING}, S.CLAIMED, _("Klaim parameter"), "assessment.edit_row"),
    Transition("revise", {S.CLAIMED}, S.CLAIMED, _("Ubah klaim"), "assessment.edit_row"),
    Transition(
        "resubmit",
        {S.REJECTED, S.RESUBMITTED},
        S.RESUBMITTED,
        _("Ajukan ulang untuk diverifikasi"),
        "assessment.edit_row",
    ),
    Transition("amend", {S.ACCEPTED}, S.CLAIMED, _("Ubah baris yang sudah sesuai"), "assessment.edit_row"),
    Transition(
        "withdraw",
        {S.CLAIMED, S.REJECTED, S.RESUBMITTED},
        S.MISSING,
        _("Tarik klaim"),
        "assessment.edit_row",
        style="secondary",
        confirm=_("Parameter baris ini dikosongkan. Lanjutkan?"),
    ),
    Transition("accept", {S.CLAIMED, S.RESUBMITTED}, S.ACCEPTED, _("Sesuai"), "assessment.judge_row"),
    Transition(
        "reject", {S.CLAIMED, S.RESUBMITTED}, S.REJECTED, _("Tidak sesuai"), "assessment.judge_row", style="danger"
    ),
    Transition(
        "reopen",
        {S.ACCEPTED, S.REJECTED},
        S.CLAIMED,
        _("Batalkan putusan"),
        "assessment.verify_row",
        note_required=True,
        style="secondary",
    ),
]

ROW = {
    Answer: StateMachine(
        state_field="status", event_model=AnswerEvent, event_object_field="answer", transitions=_ROW_TRANSITIONS
    ),
    RegionAnswer: StateMachine(
        state_field="status",
        event_model=RegionAnswerEvent,
        event_object_field="answer",
        transitions=_ROW_TRANSITIONS,
    ),
}


def row_machine(row) -> StateMachine:
    return ROW[type(row)]


F = FieldCheck.Status

FIELD_CHECK = StateMachine(
    state_field="status",
    event_model=FieldCheckEvent,
    event_object_field="field_check",
    transitions=[
        Transition("confirm", {F.PENDING}, F.FOUND, _("Ada di lapangan"), "assessment.record_field_check"),
        Transition(
            "report_missing",
            {F.PENDING},
            F.NOT_FOUND,
            _("Tidak ditemukan"),
            "assessment.record_field_check",
            note_required=True,
            style="danger",
        ),
        Transition(
            "recheck",
            {F.FOUND, F.NOT_FOUND},
            F.PENDING,
            _("Periksa ulang"),
            "assessment.record_field_check",
            note_required=True,
            style="secondary",
        ),
    ],
)
