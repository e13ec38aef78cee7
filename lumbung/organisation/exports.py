"""Excel exports of the unit tree and the roster, with the same column titles the importers read,
so an exported sheet can be corrected and imported elsewhere."""

import datetime as dt

from django.utils.text import slugify
from django.utils.translation import gettext as _

from lumbung.core.spreadsheets import xlsx_response

from .importers import OfficialImporter, UnitImporter


def _headers(importer, *extra: str) -> list[str]:
    return [str(column.label) for column in importer.columns] + list(extra)


def units_response(units, *, region):
    rows = (
        [
            unit.name,
            unit.short_name,
            unit.get_kind_display(),
            unit.parent.name if unit.parent_id else "",
            unit.code,
            _("Ya") if unit.is_active else _("Tidak"),
        ]
        for unit in units
    )
    sheet = (str(_("Perangkat daerah")), _headers(UnitImporter, _("Aktif")), rows)
    title = _("Perangkat daerah %(region)s") % {"region": region.name}
    return xlsx_response(f"perangkat-daerah-{slugify(region.name)}.xlsx", [sheet], title=title)


def officials_response(officials, *, region, day: dt.date):
    """One row per official with the position held on `day` (empty when none); officials must
    come with `positions` prefetched for that day."""

    def rows():
        for official in officials:
            position = next(iter(official.positions), None)
            yield [
                official.nip,
                official.name,
                position.position if position else "",
                position.get_echelon_display() if position else "",
                position.unit.name if position else "",
                position.start_date if position else None,
                (_("Ya") if position.is_acting else _("Tidak")) if position else "",
                position.decree if position else "",
                official.phone,
                official.email,
                official.birth_date,
                official.get_sex_display(),
            ]

    sheet = (str(_("Pejabat")), _headers(OfficialImporter, _("Tanggal lahir"), _("Jenis kelamin")), rows())
    title = _("Pejabat/ASN %(region)s, jabatan per %(date)s") % {
        "region": region.name,
        "date": day.strftime("%d-%m-%Y"),
    }
    return xlsx_response(f"pejabat-{slugify(region.name)}-{day:%Y%m%d}.xlsx", [sheet], title=title)
