"""Two people editing one answer row: the second save is refused, saying what the first one
left, instead of silently replacing it (optimistic locking on the row's last change)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


class StaleRowError(ValidationError):
    """The row changed after the form was opened; `seen` is its current version, so saving again
    is a deliberate choice."""

    def __init__(self, message, *, seen: str):
        super().__init__(message, code="stale")
        self.seen = seen


def row_version(row) -> str:
    """The row's version as a form carries it: the time of its last change."""
    return row.updated_at.isoformat() if row.updated_at else ""


def check_not_stale(row, seen: str) -> None:
    """Refuse to go on when the row changed since `seen`; locks the row until the transaction
    ends, so two saves from the same version cannot both pass."""
    current = type(row).objects.select_for_update().get(pk=row.pk)
    if row_version(current) == seen:
        return
    who = current.updated_by.get_full_name() if current.updated_by_id else _("pengguna lain")
    values = {
        "who": who,
        "when": date_format(timezone.localtime(current.updated_at), "j F Y H.i"),
        "level": current.level,
    }
    now = _("parameter %(level)s") % values
    if current.measured_value is not None:
        now += _(", nilai terukur %(value)s") % {"value": number_format(current.measured_value.normalize())}
    raise StaleRowError(
        _(
            "Baris ini sudah diubah oleh %(who)s pada %(when)s, setelah Anda membuka halaman ini; isinya sekarang "
            "%(now)s. Jawaban Anda belum disimpan agar tidak menimpa perubahan itu. Periksa, lalu simpan lagi bila "
            "tetap ingin mengubahnya."
        )
        % {**values, "now": now},
        seen=row_version(current),
    )
