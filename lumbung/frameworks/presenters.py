"""What the framework pages show, prepared from the models: constants in Indonesian formats with
their "unconfirmed" notes, the IID range of each band, counts of unconfirmed values."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lumbung.core.templatetags.lumbung import num

from .engine import NOT_ASSESSABLE

STEP = Decimal("0.01")


def constant_rows(framework, rows, affairs: dict[str, str]) -> list[dict]:
    notes = framework.unconfirmed
    region_max = sum((row.weight * 3 for row in rows if row.aspect == "region"), Decimal(0))
    maturity_max = sum((row.weight * 3 for row in rows if row.aspect == "innovation"), Decimal(0))
    window = ""
    if framework.implementation_from and framework.implementation_to:
        window = _("%(start)s s.d. %(end)s") % {
            "start": date_format(framework.implementation_from, "DATE_FORMAT"),
            "end": date_format(framework.implementation_to, "DATE_FORMAT"),
        }
    services = ", ".join(affairs.get(code, code) for code in framework.basic_service_affairs)
    return [
        _row(_("Pembagi minimum (k)"), num(framework.min_divisor), notes, "min_divisor"),
        _row(_("Faktor skor jumlah inovasi"), num(framework.count_factor, 2), notes, "count_factor"),
        _row(_("Batas jumlah inovasi yang dihitung"), num(framework.count_cap), notes, "count_cap"),
        _row(
            _("Syarat urusan wajib pelayanan dasar"),
            _("paling sedikit %(required)s dari %(total)s: %(names)s")
            % {
                "required": framework.basic_services_required,
                "total": len(framework.basic_service_affairs),
                "names": services,
            },
            notes,
            "basic_services_required",
            "basic_service_affairs",
        ),  # fmt: skip
        _row(_("Skor SPD maksimum"), num(region_max, 2), {}, ""),
        _row(_("Kematangan inovasi maksimum"), num(maturity_max, 2), {}, ""),
        _row(
            _("Skor jumlah inovasi maksimum"), num(framework.count_factor * framework.count_cap, 2), notes, "count_cap"
        ),
        _row(_("Skor total maksimum"), num(framework.max_total, 2), notes, "max_total"),
        _row(_("Jendela waktu penerapan"), window or "—", notes, "implementation_from", "implementation_to"),
        _row(
            _("Batas keikutsertaan satu inovasi"),
            _("%(count)s kali") % {"count": framework.max_entries_per_innovation},
            notes,
            "max_entries_per_innovation",
        ),
    ]


def _row(label, value, notes: dict, *keys) -> dict:
    reasons = list(dict.fromkeys(notes[key] for key in keys if key in notes))
    return {"label": label, "value": value, "unconfirmed": " ".join(reasons)}


def band_ranges(bands) -> list[dict]:
    """Each band's IID range, highest first, then the IID 0 band that needs no row."""
    ranges, upper = [], Decimal("100.00")
    for band in bands:
        ranges.append({"name": band.name, "low": band.min_iid, "high": upper})
        upper = band.min_iid - STEP
    ranges.append({"name": NOT_ASSESSABLE, "low": Decimal("0.00"), "high": Decimal("0.00")})
    return ranges


def unconfirmed_count(*pairs) -> Counter:
    """framework id -> number of rows and bases that carry an unconfirmed value."""
    counts: Counter = Counter()
    for items in pairs:
        for framework_id, unconfirmed in items:
            if unconfirmed:
                counts[framework_id] += 1
    return counts
