"""Whether an innovation may be entered in a year's assessment: small pure rules, each giving
the reasons (codes with parameters) that keep it out. Reasons are rendered in the reader's
language by `describe`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Facts:
    stage: str  # Innovation.Stage value
    implementation_date: dt.date | None
    development_date: dt.date | None
    is_running: bool
    window_from: dt.date | None
    window_to: dt.date | None
    # Years of the innovation's other (earlier or later) entries that were eligible.
    other_entry_years: tuple[int, ...]
    max_entries: int


IMPLEMENTATION = "implementation"


def _reason(code: str, **params) -> dict:
    return {"code": code, "params": params}


def check_stage(facts: Facts) -> list[dict]:
    return [] if facts.stage == IMPLEMENTATION else [_reason("stage")]


def check_window(facts: Facts) -> list[dict]:
    if facts.window_from is None and facts.window_to is None:
        return []
    if facts.implementation_date is None:
        return [_reason("no_date")]

    def inside(day: dt.date | None) -> bool:
        return (
            bool(day)
            and (facts.window_from is None or day >= facts.window_from)
            and (facts.window_to is None or day <= facts.window_to)
        )

    # An older innovation still qualifies when it was developed further inside the window.
    if inside(facts.implementation_date) or inside(facts.development_date):
        return []
    if facts.window_to and facts.implementation_date > facts.window_to:
        return [_reason("too_new", date=facts.implementation_date.isoformat(), to=facts.window_to.isoformat())]
    return [
        _reason(
            "too_old",
            date=facts.implementation_date.isoformat(),
            start=(facts.window_from or facts.implementation_date).isoformat(),
        )
    ]


def check_running(facts: Facts) -> list[dict]:
    return [] if facts.is_running else [_reason("stopped")]


def check_entries(facts: Facts) -> list[dict]:
    if len(facts.other_entry_years) < facts.max_entries:
        return []
    return [_reason("entries", years=sorted(facts.other_entry_years), max=facts.max_entries)]


RULES = (check_stage, check_window, check_running, check_entries)


def evaluate(facts: Facts) -> list[dict]:
    """All reasons that keep the innovation out; empty when it is eligible."""
    return [reason for rule in RULES for reason in rule(facts)]


def _date(value: str) -> str:
    return date_format(dt.date.fromisoformat(value), "DATE_FORMAT")


def describe(reason: dict) -> str:
    params = reason.get("params", {})
    code = reason.get("code")
    if code == "stage":
        return _("Tahapan inovasi belum penerapan; hanya inovasi yang sudah diterapkan yang dinilai.")
    if code == "no_date":
        return _("Waktu penerapan belum diisi pada profil inovasi.")
    if code == "too_old":
        return _(
            "Diterapkan %(date)s, sebelum rentang penilaian (mulai %(start)s), dan tidak ada pengembangan dalam "
            "rentang itu."
        ) % {"date": _date(params["date"]), "start": _date(params["start"])}
    if code == "too_new":
        return _("Diterapkan %(date)s, setelah rentang penilaian (sampai %(to)s).") % {
            "date": _date(params["date"]),
            "to": _date(params["to"]),
        }
    if code == "stopped":
        return _("Inovasi tercatat sudah tidak berjalan.")
    if code == "entries":
        return _("Sudah diikutkan %(count)s kali (%(years)s); batasnya %(max)s kali.") % {
            "count": len(params["years"]),
            "years": ", ".join(str(year) for year in params["years"]),
            "max": params["max"],
        }
    return str(code)
