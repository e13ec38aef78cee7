"""The NIP (Nomor Induk Pegawai) of a civil servant: 18 digits that embed the birth date
(8), the month of appointment, TMT CPNS (6), the sex (1) and a sequence number (3)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

NIP_LENGTH = 18
# Generous bounds: they catch typing slips, not unusual careers.
MIN_AGE_AT_APPOINTMENT = 17
MAX_AGE_AT_APPOINTMENT = 60
EARLIEST_BIRTH_YEAR = 1940


@dataclass(frozen=True)
class NipInfo:
    nip: str
    birth_date: dt.date
    appointed: dt.date  # first day of the TMT month
    sex: str  # "L" (laki-laki) or "P" (perempuan)
    sequence: int


def normalise_nip(raw: str) -> str:
    """Drop what people type around the digits: spaces, dots, hyphens, a leading apostrophe."""
    return re.sub(r"[\s.\-']", "", str(raw or ""))


def parse_nip(raw: str, *, today: dt.date | None = None) -> NipInfo:
    """Return the parts of a valid NIP or raise ValidationError saying what is wrong."""
    today = today or dt.date.today()
    nip = normalise_nip(raw)
    if not nip.isdigit() or not nip.isascii():
        raise ValidationError(_("NIP hanya boleh berisi angka."), code="nip_digits")
    if len(nip) != NIP_LENGTH:
        raise ValidationError(_("NIP harus 18 angka; yang diisi %(n)s angka.") % {"n": len(nip)}, code="nip_length")
    try:
        birth = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("Delapan angka pertama NIP (%(part)s) bukan tanggal lahir yang ada.") % {"part": nip[:8]},
            code="nip_birth",
        ) from None
    if birth.year < EARLIEST_BIRTH_YEAR or birth > today:
        raise ValidationError(
            _("Tanggal lahir dalam NIP (%(part)s) tidak masuk akal.") % {"part": nip[:8]}, code="nip_birth"
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Angka 9-14 NIP (%(part)s) bukan bulan pengangkatan (TMT) yang ada.") % {"part": nip[8:14]},
            code="nip_tmt",
        )
    appointed = dt.date(year, month, 1)
    age = year - birth.year - (1 if month < birth.month else 0)
    if appointed > today or not MIN_AGE_AT_APPOINTMENT <= age <= MAX_AGE_AT_APPOINTMENT:
        raise ValidationError(
            _("TMT dalam NIP (%(tmt)s) tidak cocok dengan tanggal lahir (%(birth)s).")
            % {"tmt": nip[8:14], "birth": nip[:8]},
            code="nip_tmt",
        )
    if nip[14] not in "12":
        raise ValidationError(_("Angka ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan)."), code="nip_sex")
    sequence = int(nip[15:18])
    if sequence == 0:
        raise ValidationError(_("Tiga angka terakhir NIP (nomor urut) tidak boleh 000."), code="nip_sequence")
    return NipInfo(
        nip=nip, birth_date=birth, appointed=appointed, sex="L" if nip[14] == "1" else "P", sequence=sequence
    )


def validate_nip(value: str) -> None:
    parse_nip(value)
