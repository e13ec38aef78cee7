"""The life of a year's methodology: a draft being prepared, the year in force, then archived."""

from django.utils.translation import gettext_lazy as _

from lumbung.core.workflow import StateMachine, Transition

from .models import Framework, FrameworkEvent

S = Framework.Status
PERM = "frameworks.transition_framework"

LIFECYCLE = StateMachine(
    state_field="status",
    event_model=FrameworkEvent,
    event_object_field="framework",
    transitions=[
        # services.framework_transition refuses activation while the year has problems.
        Transition("activate", {S.DRAFT}, S.ACTIVE, _("Berlakukan"), PERM),
        Transition("return_to_draft", {S.ACTIVE}, S.DRAFT, _("Kembalikan ke draf"), PERM, note_required=True,
                   style="secondary"),
        Transition("archive", {S.ACTIVE}, S.ARCHIVED, _("Arsipkan"), PERM, note_required=True, style="danger",
                   confirm=_("Metodologi yang diarsipkan tidak dapat diubah lagi. Lanjutkan?")),
        Transition("restore", {S.ARCHIVED}, S.ACTIVE, _("Berlakukan kembali"), PERM, note_required=True,
                   style="secondary"),
    ],
)  # fmt: skip

# Events that are not status changes: the year's creation and edits of its content.
CREATED_FROM_FILE, COPIED = "loaded", "copied"
ACTION_LABELS = {
    CREATED_FROM_FILE: _("Dimuat dari berkas data"),
    COPIED: _("Disalin dari tahun lain"),
    **{t.action: t.label for t in LIFECYCLE.transitions},
}
