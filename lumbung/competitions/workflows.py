"""The state machines of a competition, of a proposal and of a judge's score card."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Competition, CompetitionEvent, Entry, EntryEvent, ScoreCard, ScoreCardEvent

C = Competition.Status
E = Entry.Status
S = ScoreCard.Status

COMPETITION = StateMachine(
    state_field="status",
    event_model=CompetitionEvent,
    event_object_field="competition",
    transitions=[
        Transition(
            "publish",
            {C.DRAFT},
            C.PUBLISHED,
            _("Umumkan lomba"),
            "competitions.manage_competition",
            confirm=_(
                "Setelah diumumkan, kategori dan bagian proposal tidak dapat diubah; jadwal babak masih dapat digeser."
            ),
        ),
        Transition(
            "cancel",
            {C.DRAFT, C.PUBLISHED},
            C.CANCELLED,
            _("Batalkan lomba"),
            "competitions.manage_competition",
            note_required=True,
            style="danger",
            confirm=_("Batalkan lomba ini? Peserta akan diberi tahu."),
        ),
        # Taken by results_publish(), which first checks that every round is finished.
        Transition("publish_results", {C.PUBLISHED}, C.RESULTS, _("Umumkan hasil"), "competitions.manage_competition"),
    ],
)

ENTRY = StateMachine(
    state_field="status",
    event_model=EntryEvent,
    event_object_field="entry",
    transitions=[
        Transition("submit", {E.DRAFT}, E.SUBMITTED, _("Kirim proposal"), "competitions.submit_entry"),
        Transition(
            "withdraw",
            {E.DRAFT, E.SUBMITTED},
            E.WITHDRAWN,
            _("Tarik proposal"),
            "competitions.withdraw_entry",
            style="danger",
            confirm=_("Tarik proposal ini dari lomba? Tindakan ini tidak dapat dibatalkan."),
        ),
        Transition("pass", {E.SUBMITTED}, E.ELIGIBLE, _("Lolos administrasi"), "competitions.screen_entry"),
        Transition(
            "fail",
            {E.SUBMITTED},
            E.INELIGIBLE,
            _("Tidak lolos administrasi"),
            "competitions.screen_entry",
            note_required=True,
            style="danger",
        ),
        Transition(
            "reconsider",
            {E.ELIGIBLE, E.INELIGIBLE},
            E.SUBMITTED,
            _("Tinjau ulang seleksi"),
            "competitions.screen_entry",
            note_required=True,
            style="secondary",
        ),
        # Taken by round_advance() for the proposals that do not go on to the next round.
        Transition("eliminate", {E.ELIGIBLE}, E.ELIMINATED, _("Tidak lanjut"), None),
    ],
)

CARD = StateMachine(
    state_field="status",
    event_model=ScoreCardEvent,
    event_object_field="card",
    transitions=[
        Transition("submit", {S.DRAFT}, S.SUBMITTED, _("Kirim nilai"), "competitions.submit_card"),
        Transition(
            "reopen",
            {S.SUBMITTED},
            S.DRAFT,
            _("Buka kembali untuk diubah"),
            "competitions.reopen_card",
            note_required=True,
            style="secondary",
        ),
    ],
)
