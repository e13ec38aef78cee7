"""The clinic queue as spreadsheet rows (cases annotated by CaseQuerySet.with_times and the
open-action counts of the queue)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .metrics import in_days


def export_headers() -> list[str]:
    return [
        _("Nomor"), _("Judul"), _("Pemohon"), _("Perangkat daerah"), _("Kategori"), _("Prioritas"), _("Mentor"),
        _("Status"), _("Inovasi"), _("Indikator"), _("Diajukan"), _("Ditriase"), _("Sesi pertama"),
        _("Selesai ditangani"), _("Hari sampai selesai"), _("Kematangan awal"), _("Kematangan akhir"),
        _("Tindak lanjut berjalan"), _("Lewat tenggat"),
    ]  # fmt: skip


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def export_row(case) -> list:
    return [
        case.reference,
        case.title,
        case.requester.full_name,
        case.unit.name if case.unit_id else "",
        case.get_category_display(),
        case.get_priority_display(),
        case.mentor.full_name if case.mentor_id else "",
        case.get_status_display(),
        case.innovation.name if case.innovation_id else "",
        case.indicator_code,
        _day(case.created_at),
        _day(case.triaged_at),
        _day(case.first_session_at),
        _day(case.resolved_at),
        in_days(case.resolved_at - case.created_at) if case.resolved_at else None,
        case.maturity_before,
        case.maturity_after,
        case.open_actions,
        case.overdue_actions,
    ]
