"""Bulk registration of draft innovations from the Excel sheets units already keep."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from lumbung.core.imports import Column, Importer, RowResult, register
from lumbung.core.spreadsheets import CellError, clean_text, normalise_header, parse_date, parse_yes_no
from lumbung.organisation.models import Unit

from .models import GovernmentAffair, Innovation, InnovationEvent, search_document
from .services import PROFILE_FIELDS


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices:
        lookup[normalise_header(value)] = value
        lookup[normalise_header(label)] = value
    return lookup


# Short forms people type in their sheets, besides the labels themselves.
_EXTRA_FORMS = {"tata kelola": Innovation.Form.GOVERNANCE, "lainnya": Innovation.Form.OTHER_AFFAIRS}
_EXTRA_INITIATORS = {"kepala daerah": "region_head", "bupati": "region_head", "dprd": "dprd_member", "opd": "unit"}


def _digital(raw) -> bool:
    value = parse_yes_no(raw)
    if value is None:
        raise CellError(_("wajib diisi: Digital atau Non digital."))
    return value


@register
class InnovationImporter(Importer):
    kind = "innovations"
    label = gettext_lazy("Inovasi")
    list_url_name = "innovations:list"
    columns = (
        Column("name", gettext_lazy("Nama inovasi"), ("nama", "judul inovasi"), required=True, example="Sistem Informasi Petani Kopi"),
        Column("unit", gettext_lazy("Perangkat daerah"), ("opd", "unit", "perangkat daerah pengampu"), required=True, example="Disbunnak"),
        Column("stage", gettext_lazy("Tahapan"), ("tahapan inovasi",), required=True, example="Penerapan"),
        Column("initiator_kind", gettext_lazy("Inisiator"), ("inisiator inovasi",), required=True, example="OPD"),
        Column("initiator_name", gettext_lazy("Nama inisiator"), (), example="Dinas Perkebunan dan Peternakan"),
        Column("is_digital", gettext_lazy("Jenis"), ("jenis inovasi", "digital"), required=True, example="Digital"),
        Column("form", gettext_lazy("Bentuk"), ("bentuk inovasi",), required=True, example="Pelayanan publik"),
        Column("main_affair", gettext_lazy("Urusan utama"), ("urusan", "urusan pemerintahan"), required=True, example="Pertanian"),
        Column("trial_date", gettext_lazy("Waktu uji coba"), ("tanggal uji coba",), example="01-03-2024"),
        Column("implementation_date", gettext_lazy("Waktu penerapan"), ("tanggal penerapan",), example="01-08-2024"),
        Column("goals", gettext_lazy("Tujuan"), ("tujuan inovasi",)),
        Column("benefits", gettext_lazy("Manfaat"), ("manfaat inovasi",)),
        Column("results", gettext_lazy("Hasil"), ("hasil inovasi",)),
    )  # fmt: skip

    def prepare(self) -> None:
        self.units = {}
        for unit in Unit.objects.filter(region=self.region, is_active=True):
            self.units.setdefault(normalise_header(unit.name), unit.pk)
            if unit.short_name:
                self.units.setdefault(normalise_header(unit.short_name), unit.pk)
        self.affairs = {}
        for affair in GovernmentAffair.objects.all():
            self.affairs[normalise_header(affair.code)] = affair.pk
            self.affairs[normalise_header(affair.name)] = affair.pk
        self.stages = _choice_lookup(Innovation.Stage.choices)
        self.initiators = {**_choice_lookup(Innovation.InitiatorKind.choices), **_EXTRA_INITIATORS}
        self.forms = {**_choice_lookup(Innovation.Form.choices), **_EXTRA_FORMS}
        self.existing = {
            normalise_header(name)
            for name in Innovation.objects.filter(region=self.region).values_list("name", flat=True)
        }
        self.seen: set[str] = set()

    def _lookup(self, table: dict, what: str):
        def parse(raw):
            key = normalise_header(raw)
            if key not in table:
                raise CellError(
                    _("'%(value)s' bukan %(what)s yang dikenal.") % {"value": clean_text(raw), "what": what}
                )
            return table[key]

        return parse

    def _name(self, raw) -> str:
        name = clean_text(raw)[:255]
        key = normalise_header(name)
        if key in self.existing:
            raise CellError(_("inovasi dengan nama ini sudah terdaftar."))
        if key in self.seen:
            raise CellError(_("nama yang sama muncul lebih dari sekali di berkas ini."))
        self.seen.add(key)
        return name

    def parse_row(self, values: dict, result: RowResult) -> None:
        cleaned = result.cleaned
        col = self.column
        cleaned["name"] = result.check(col("name"), self._name, values.get("name"))
        cleaned["unit"] = result.check(col("unit"), self._lookup(self.units, _("perangkat daerah")), values.get("unit"))
        cleaned["stage"] = result.check(col("stage"), self._lookup(self.stages, _("tahapan")), values.get("stage"))
        cleaned["initiator_kind"] = result.check(
            col("initiator_kind"), self._lookup(self.initiators, _("jenis inisiator")), values.get("initiator_kind")
        )
        cleaned["form"] = result.check(col("form"), self._lookup(self.forms, _("bentuk inovasi")), values.get("form"))
        cleaned["main_affair"] = result.check(
            col("main_affair"), self._lookup(self.affairs, _("urusan pemerintahan")), values.get("main_affair")
        )
        cleaned["is_digital"] = bool(result.check(col("is_digital"), _digital, values.get("is_digital")))
        for key in ("trial_date", "implementation_date"):
            day = result.check(col(key), parse_date, values.get(key))
            cleaned[key] = day.isoformat() if day else None
        for key in ("initiator_name", "goals", "benefits", "results"):
            cleaned[key] = clean_text(values.get(key))
        self._check_dates(cleaned, result)

    def _check_dates(self, cleaned: dict, result: RowResult) -> None:
        trial, implementation = cleaned.get("trial_date"), cleaned.get("implementation_date")
        if trial and implementation and implementation < trial:
            result.errors.append(_("Waktu penerapan tidak boleh sebelum waktu uji coba."))
        if cleaned.get("stage") == Innovation.Stage.IMPLEMENTATION and not implementation:
            result.errors.append(_("Inovasi tahap penerapan perlu waktu penerapan."))
        if cleaned.get("stage") == Innovation.Stage.TRIAL and not trial:
            result.errors.append(_("Inovasi tahap uji coba perlu waktu uji coba."))

    def save_row(self, cleaned: dict) -> None:
        self.save_rows([cleaned])

    def save_rows(self, rows: list[dict]) -> None:
        """Register the rows as drafts in a few queries: the innovations and their history rows
        (one INSERT each), the search documents (one UPDATE, PostgreSQL) and the "import" events
        (one INSERT). The same checks as `innovation_create`, without a query per row."""
        unit_ids = {row["unit"] for row in rows}
        units = Unit.objects.filter(region=self.region, pk__in=unit_ids).in_bulk()
        affairs = GovernmentAffair.objects.in_bulk({row["main_affair"] for row in rows})
        innovations = []
        for cleaned in rows:
            if cleaned["unit"] not in units or cleaned["main_affair"] not in affairs:
                # Deleted or moved since the preview.
                raise ValidationError(_("Perangkat daerah atau urusan pada baris ini tidak ada lagi."))
            data = dict(cleaned, unit=units[cleaned["unit"]], main_affair=affairs[cleaned["main_affair"]])
            for key in ("trial_date", "implementation_date"):
                data[key] = dt.date.fromisoformat(data[key]) if data[key] else None
            innovation = Innovation(region=self.region, created_by=self.actor)
            for name in PROFILE_FIELDS:  # as innovation_create applies a profile
                if name in data:
                    setattr(innovation, name, data[name])
            # Foreign keys were checked above in one query each; full_clean would ask per row.
            innovation.full_clean(exclude=["search_vector", *_RELATIONS], validate_unique=False)
            innovations.append(innovation)
        with transaction.atomic():
            created = bulk_create_with_history(innovations, Innovation, default_user=self.actor)
            if connection.vendor == "postgresql":
                Innovation.objects.filter(pk__in=[i.pk for i in created]).update(search_vector=search_document())
            InnovationEvent.objects.bulk_create(
                InnovationEvent(innovation=i, actor=self.actor, action="import", from_state="", to_state=i.status)
                for i in created
            )


# The innovation's foreign keys; save_rows checks the ones a sheet fills in bulk.
_RELATIONS = [field.name for field in Innovation._meta.concrete_fields if field.is_relation]
