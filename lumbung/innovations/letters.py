"""Reminders on paper and by hand: for units and officials a programme reminder cannot reach
in the app (no operator account, no account of the official), a printable letter signed for the
BRIDA and a WhatsApp link with the same text, ready to send from the admin's own phone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.pdf import render_pdf
from lumbung.core.whatsapp import whatsapp_url
from lumbung.organisation.models import Assignment, Echelon

from .compliance import Row, programme_compliance
from .models import Programme
from .services import reminder_recipients, reminder_text


@dataclass(frozen=True)
class LetterTarget:
    row: Row
    addressee: str  # "Kepala Dinas Kesehatan" or the official's name
    position: str  # what follows the name on the envelope
    phone: str
    has_account: bool
    title: str
    body: str

    @property
    def whatsapp(self) -> str:
        return whatsapp_url(self.phone, f"{self.title}\n\n{self.body}") if self.phone else ""


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str
    nip: str = ""


def _unit_heads(unit_ids, today: dt.date) -> dict[int, object]:
    """The highest-ranking structural official in office today in each unit (its head)."""
    heads = {}
    for assignment in (
        Assignment.objects.on(today)
        .filter(unit_id__in=unit_ids)
        .exclude(echelon=Echelon.NONE)
        .select_related("official")
        .order_by("unit_id", "echelon", "start_date")
    ):
        heads.setdefault(assignment.unit_id, assignment.official)
    return heads


def letter_targets(programme: Programme, *, include_reachable: bool = False) -> list[LetterTarget]:
    """The programme's targets still missing the quota that no account would hear a reminder
    from (all missing targets with `include_reachable`), each with its letter text."""
    rows = programme_compliance(programme, with_trend=False).missing_rows
    people = reminder_recipients(programme, rows)
    today = timezone.localdate()
    heads = _unit_heads({row.unit.pk for row in rows if row.unit}, today) if programme.is_unit_quota else {}
    targets = []
    for row in rows:
        has_account = bool(people[row.key])
        if has_account and not include_reachable:
            continue
        title, body = reminder_text(programme, [row])
        if programme.is_unit_quota:
            head = heads.get(row.unit.pk) if row.unit else None
            addressee = _("Kepala %(unit)s") % {"unit": row.unit.name if row.unit else row.name}
            position, phone = (head.name if head else ""), (head.phone if head else "")
        else:
            addressee, position, phone = row.name, row.position, getattr(row.official, "phone", "")
        targets.append(LetterTarget(row, addressee, position, phone or "", has_account, title, body))
    return targets


def letters_pdf(
    programme: Programme, targets: list[LetterTarget], *, signatory: Signatory, number: str, date: dt.date
) -> bytes:
    """One A4 letter per target, in one PDF to print and sign."""
    return render_pdf(
        "innovations/pdf/programme_letters.html",
        {"programme": programme, "region": programme.region, "targets": targets, "signatory": signatory,
         "number": number, "date": date},
    )  # fmt: skip
