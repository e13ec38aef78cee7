"""Competition phases: time-boxed rounds, each of a kind that declares what it makes possible.

Permission predicates ask "does the open round allow X?" (`capabilities`) instead of comparing
dates themselves, so a deadline is enforced in one place (adhocracy4's phase contents).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Capability(models.TextChoices):
    SUBMIT = "submit", _("mengirim proposal")
    EDIT_ENTRY = "edit_entry", _("mengubah proposal")
    SCREEN = "screen", _("seleksi administrasi")
    SCORE = "score", _("menilai")


class PhaseKind(models.TextChoices):
    SUBMISSION = "submission", _("Pendaftaran dan pengiriman proposal")
    SCREENING = "screening", _("Seleksi administrasi")
    DESK = "desk", _("Penilaian proposal")
    PRESENTATION = "presentation", _("Presentasi dan wawancara")
    FIELD = "field", _("Verifikasi lapangan")


CAPABILITIES: dict[str, frozenset[str]] = {
    PhaseKind.SUBMISSION: frozenset({Capability.SUBMIT, Capability.EDIT_ENTRY}),
    PhaseKind.SCREENING: frozenset({Capability.SCREEN}),
    PhaseKind.DESK: frozenset({Capability.SCORE}),
    PhaseKind.PRESENTATION: frozenset({Capability.SCORE}),
    PhaseKind.FIELD: frozenset({Capability.SCORE}),
}

# Rounds judged with a rubric (score cards); the other kinds have no rubric.
SCORING_KINDS = frozenset(kind for kind, capabilities in CAPABILITIES.items() if Capability.SCORE in capabilities)
