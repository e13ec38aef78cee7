"""Loading the catalogue of other regions' innovations from Excel or CSV (JIPPNas, IGA winners
lists, KIPP Top 45/99, notes of study visits). A row that names an innovation already in the
catalogue (same origin, same name) updates it: the preview shows each change (old -> new), and
the change is made only when the admin accepts the changes."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lumbung.core.imports import Column, Importer, RowResult, register
from lumbung.core.spreadsheets import CellError, clean_text, normalise_header, parse_integer, parse_yes_no
from lumbung.innovations.models import GovernmentAffair, Innovation
from lumbung.organisation.models import Region

from .models import CatalogueItem
from .services import catalogue_item_save

# How people shorten region names in their sheets.
_REGION_PREFIXES = {
    "kab": "kabupaten",
    "kab.": "kabupaten",
    "pemkab": "kabupaten",
    "pemkot": "kota",
    "prov": "provinsi",
}
_FORM_WORDS = {"tata kelola": Innovation.Form.GOVERNANCE, "pelayanan": Innovation.Form.PUBLIC_SERVICE,
               "lainnya": Innovation.Form.OTHER_AFFAIRS, "urusan": Innovation.Form.OTHER_AFFAIRS}  # fmt: skip


def region_key(text) -> str:
    """ "Kab. Banyuwangi", "KABUPATEN  BANYUWANGI" and "Pemkab Banyuwangi" share one key."""
    words = normalise_header(re.sub(r"\bkab\.", "kab ", clean_text(text).lower())).split()
    if words and words[0] in _REGION_PREFIXES:
        words[0] = _REGION_PREFIXES[words[0]]
    return " ".join(words)


def region_code(raw) -> str | None:
    """The ministry's region code ("35.10") however a sheet holds it: as typed, as the number Excel
    makes of it (35.1, losing the trailing zero; 35,1 in a CSV saved with Indonesian settings), or in
    the statistics office's form without the dot (3510). None when the cell is not a code."""
    text = clean_text(raw)
    if re.fullmatch(r"\d{2}", text):
        return text  # a province
    if match := re.fullmatch(r"(\d{2})[.,]?(\d{1,2})", text):
        province, rest = match.groups()
        if text[2] in ".," or len(rest) == 2:  # "351" is no code
            return f"{province}.{rest.ljust(2, '0')}"
    return None


class Table:
    """Values by the ways a sheet may spell them; parse() explains a miss in Indonesian."""

    def __init__(self, what: str, entries: dict[str, object]):
        self.what = what
        self.entries = {normalise_header(key): value for key, value in entries.items()}

    def parse(self, raw):
        key = normalise_header(raw)
        if key in self.entries:
            return self.entries[key]
        raise CellError(_("'%(value)s' bukan %(what)s yang dikenal.") % {"value": clean_text(raw), "what": self.what})


def _form(raw) -> str:
    text = normalise_header(raw)
    if not text:
        return ""
    for label_or_value, value in [
        *((normalise_header(label), v) for v, label in Innovation.Form.choices),
        *_FORM_WORDS.items(),
    ]:
        if label_or_value in text or text == value:
            return value
    raise CellError(
        _("'%(value)s' bukan bentuk inovasi yang dikenal (tata kelola, pelayanan publik, lainnya).")
        % {"value": clean_text(raw)}
    )


def _link(raw) -> str:
    link = clean_text(raw)
    if link and not re.match(r"https?://[^\s/]+\.[^\s]+$", link):
        raise CellError(_("'%(value)s' bukan alamat web lengkap (diawali https://).") % {"value": link})
    return link


def _year(raw) -> int | None:
    year = parse_integer(raw, minimum=2000)
    if year is not None and year > 2100:
        raise CellError(_("'%(value)s' bukan tahun.") % {"value": year})
    return year


@register
class CatalogueImporter(Importer):
    kind = "replication_catalogue"
    label = gettext_lazy("Katalog inovasi daerah lain")
    list_url_name = "replication:catalogue"
    file_kinds = ("excel", "csv")
    columns = (
        Column("name", gettext_lazy("Nama inovasi"), ("nama", "judul inovasi", "inovasi"), required=True, example="Smart Kampung"),
        Column("source_region", gettext_lazy("Pemda asal"), ("pemda", "daerah asal", "kabupaten kota", "instansi", "kode pemda"), required=True, example="Kabupaten Banyuwangi"),
        Column("affair", gettext_lazy("Urusan"), ("urusan pemerintahan", "urusan utama"), example="Komunikasi dan Informatika"),
        Column("form", gettext_lazy("Bentuk"), ("bentuk inovasi",), example="Pelayanan publik"),
        Column("is_digital", gettext_lazy("Digital"), ("jenis", "jenis inovasi"), example="Ya"),
        Column("year", gettext_lazy("Tahun"), ("tahun penerapan", "tahun penghargaan"), example=2016),
        Column("source", gettext_lazy("Sumber"), ("sumber data",), example="IGA"),
        Column("award", gettext_lazy("Penghargaan"), ("prestasi",), example="Top 99 KIPP 2016"),
        Column("summary", gettext_lazy("Ringkasan"), ("deskripsi", "uraian", "keterangan")),
        Column("prerequisites", gettext_lazy("Prasyarat replikasi"), ("prasyarat",)),
        Column("link", gettext_lazy("Tautan"), ("url", "link", "situs")),
        Column("contact", gettext_lazy("Kontak"), ("narahubung",)),
    )  # fmt: skip

    def prepare(self) -> None:
        regions = {}
        for region_id, code, name in Region.objects.exclude(pk=self.region.pk).values_list("pk", "code", "name"):
            regions[code] = region_id
            regions[region_key(name)] = region_id
        self.regions = Table(_("pemda"), regions)
        affairs = {}
        for affair_id, code, name in GovernmentAffair.objects.values_list("pk", "code", "name"):
            affairs[code] = affairs[name] = affair_id
        self.affairs = Table(_("urusan pemerintahan"), affairs)
        sources = {value: value for value in CatalogueItem.Source.values}
        sources.update({str(label): value for value, label in CatalogueItem.Source.choices})
        sources.update({"sinovik": "kipp", "kemendagri": "iga", "kemenpanrb": "kipp", "labinov": "lan"})
        self.sources = Table(_("sumber"), sources)
        self.affair_names = {
            affair_id: name for affair_id, _code, name in GovernmentAffair.objects.values_list("pk", "code", "name")
        }
        self.existing = {
            (item.source_region_id, item.name.casefold()): item
            for item in CatalogueItem.objects.filter(region=self.region)
        }
        self.seen: set[tuple] = set()

    def _region(self, raw):
        code = region_code(raw)
        if code is None:
            return self.regions.parse(region_key(raw))
        try:
            return self.regions.parse(code)
        except CellError:
            raise CellError(_("'%(value)s' bukan kode pemda yang dikenal.") % {"value": clean_text(raw)}) from None

    def parse_row(self, values: dict, result: RowResult) -> None:
        cleaned, col = result.cleaned, self.column
        cleaned["name"] = clean_text(values.get("name"))[:255]
        if not cleaned["name"]:
            result.errors.append(_("Nama inovasi wajib diisi."))
        cleaned["source_region"] = result.check(col("source_region"), self._region, values.get("source_region"))
        key = (cleaned["source_region"], normalise_header(cleaned["name"]))
        if key in self.seen:
            result.errors.append(_("Inovasi yang sama dari pemda yang sama muncul lebih dari sekali di berkas ini."))
        self.seen.add(key)
        if clean_text(values.get("affair")):
            cleaned["affair"] = result.check(col("affair"), self.affairs.parse, values.get("affair"))
        cleaned["form"] = result.check(col("form"), _form, values.get("form")) or ""
        cleaned["is_digital"] = bool(result.check(col("is_digital"), parse_yes_no, values.get("is_digital")))
        cleaned["year"] = result.check(col("year"), _year, values.get("year"))
        if clean_text(values.get("source")):
            cleaned["source"] = result.check(col("source"), self.sources.parse, values.get("source"))
        for name in ("award", "summary", "prerequisites", "contact"):
            cleaned[name] = clean_text(values.get(name))
        cleaned["link"] = result.check(col("link"), _link, values.get("link"))
        item = self.existing.get((cleaned["source_region"], cleaned["name"].casefold()))
        if item is not None and not result.errors:
            self._compare(item, cleaned, values, result)

    def _compare(self, item: CatalogueItem, cleaned: dict, values: dict, result: RowResult) -> None:
        """The row updates an entry already in the catalogue: an empty cell keeps what is on file,
        and each value it changes is listed (old -> new) for the admin to accept."""
        for name in [name for name in cleaned if name not in ("name", "source_region")]:
            if not clean_text(values.get(name)):
                del cleaned[name]
        shown = {
            "affair": lambda pk: self.affair_names.get(pk, ""),
            "form": lambda value: Innovation.Form(value).label if value else "",
            "source": lambda value: CatalogueItem.Source(value).label if value else "",
        }
        for name, new in cleaned.items():
            if name == "source_region":
                continue
            old = item.affair_id if name == "affair" else getattr(item, name)
            if (old or "") == (new or ""):
                continue
            show = shown.get(name, lambda value: value)
            result.change(item._meta.get_field(name).verbose_name.capitalize(), show(old), show(new))
        if result.changes:
            result.outcome = _("Mengubah entri katalog yang sudah ada.")
        else:
            result.outcome = _("Tidak berubah: entri ini sudah ada.")
            cleaned["unchanged"] = True

    def save_row(self, cleaned: dict) -> None:
        data = dict(cleaned)
        if data.pop("unchanged", False):
            return
        item = (
            CatalogueItem.objects.filter(
                region=self.region, source_region_id=data["source_region"], name__iexact=data["name"]
            ).first()
            or CatalogueItem()
        )
        item.source_region_id = data.pop("source_region")
        item.affair_id = data.pop("affair", item.affair_id)
        for name, value in data.items():
            setattr(item, name, value)
        catalogue_item_save(item=item, region=self.region, actor=self.actor)
