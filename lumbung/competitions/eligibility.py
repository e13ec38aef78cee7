"""Who may enter which track, and the checks a proposal must pass before it is sent.

Each check is a small function that returns a list of messages (empty: passed), so the rules
read like the call's own terms and are tested one by one (GSA FAC's cross-validation rules).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lumbung.core.roles import Role
from lumbung.core.text import word_count

from .models import Entry, Section, Track


def tracks_open_to(user, competition) -> list[str]:
    """The competition's tracks this user may enter from this account."""
    if not user.is_authenticated:
        return []
    region = competition.region_id
    allowed = []
    for track in competition.tracks:
        if track == Track.UNITS:
            ok = bool(user.operator_unit_paths(region))
        elif track == Track.CIVIL_SERVANTS:
            ok = user.official_id is not None and user.has_any_role({Role.INNOVATOR, Role.OPERATOR}, region)
        else:
            ok = user.email_verified_at is not None and user.has_role(Role.CITIZEN, region)
        if ok:
            allowed.append(track)
    return allowed


def track_requirement(track: str) -> str:
    """What an account needs to enter a track, for the call page."""
    return {
        Track.UNITS: _("akun operator perangkat daerah"),
        Track.CIVIL_SERVANTS: _("akun inovator ASN yang terhubung dengan data kepegawaian"),
        Track.CITIZENS: _("akun masyarakat dengan surel terverifikasi"),
        Track.STUDENTS: _("akun masyarakat dengan surel terverifikasi"),
    }[track]


@dataclass(frozen=True)
class SubmissionContext:
    """Facts about the rest of the competition that the checks need (read by the caller)."""

    sections: Sequence[Section]
    # Titles of the other proposals already sent to this competition.
    other_titles: Sequence[str]
    # How many other proposals this entrant has already sent to this competition.
    sent_by_entrant: int
    entries_per_entrant: int


def check_title(entry: Entry, context: SubmissionContext) -> list[str]:
    title = " ".join(entry.title.split()).casefold()
    if not title:
        return [_("Judul inovasi wajib diisi.")]
    if any(" ".join(other.split()).casefold() == title for other in context.other_titles):
        return [_("Judul ini sudah dipakai proposal lain di lomba ini; satu judul hanya boleh diajukan sekali.")]
    return []


def check_sections(entry: Entry, context: SubmissionContext) -> list[str]:
    problems = []
    for section in context.sections:
        words = word_count(entry.answer(section))
        if section.required and words == 0:
            problems.append(_("Bagian “%(title)s” wajib diisi.") % {"title": section.title})
        elif words > section.word_limit:
            problems.append(
                _("Bagian “%(title)s” berisi %(words)s kata; batasnya %(limit)s kata.")
                % {"title": section.title, "words": words, "limit": section.word_limit}
            )
    return problems


def check_affair(entry: Entry, context: SubmissionContext) -> list[str]:
    return [] if entry.affair_id else [_("Pilih urusan pemerintahan yang paling terkait dengan inovasi ini.")]


def check_contact(entry: Entry, context: SubmissionContext) -> list[str]:
    if entry.track in (Track.CITIZENS, Track.STUDENTS) and not entry.phone.strip():
        return [_("Nomor HP/WhatsApp wajib diisi agar panitia dapat menghubungi Anda.")]
    if entry.track == Track.STUDENTS and not entry.institution.strip():
        return [_("Isi nama sekolah atau kampus untuk kategori pelajar dan mahasiswa.")]
    return []


def check_consent(entry: Entry, context: SubmissionContext) -> list[str]:
    if entry.publish_consent:
        return []
    return [_("Centang persetujuan pengumuman nama dan judul bila proposal Anda menjadi pemenang.")]


def check_entry_limit(entry: Entry, context: SubmissionContext) -> list[str]:
    if context.sent_by_entrant < context.entries_per_entrant:
        return []
    return [
        ngettext(
            "Setiap peserta hanya boleh mengirim %(limit)s proposal ke lomba ini.",
            "Setiap peserta hanya boleh mengirim %(limit)s proposal ke lomba ini.",
            context.entries_per_entrant,
        )
        % {"limit": context.entries_per_entrant}
    ]


SUBMISSION_CHECKS: tuple[Callable[[Entry, SubmissionContext], list[str]], ...] = (
    check_title,
    check_sections,
    check_affair,
    check_contact,
    check_consent,
    check_entry_limit,
)


def submission_problems(entry: Entry, context: SubmissionContext) -> list[str]:
    return [message for check in SUBMISSION_CHECKS for message in check(entry, context)]
