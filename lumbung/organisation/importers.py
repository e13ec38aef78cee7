"""Excel imports of units and officials, as admins keep them (see core.imports for the flow).

Rows are checked against the region's units and the roster loaded once in `prepare`, and against
the rows above them in the same file; the preview then lists each row's problems in Indonesian.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections import defaultdict
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from lumbung.core.caching import region_data_changed
from lumbung.core.imports import Column, Importer, RowResult, register
from lumbung.core.phone import validate_phone
from lumbung.core.spreadsheets import CellError, clean_text, normalise_header, parse_date, parse_yes_no

from . import services
from .models import Assignment, Echelon, Official, Unit
from .nip import normalise_nip, parse_nip

# Words people write in a "Jenis" column, normalised (lower case, single spaces).
UNIT_KIND_WORDS = {
    "sekretariat": Unit.Kind.SECRETARIAT, "sekretariat daerah": Unit.Kind.SECRETARIAT,
    "sekretariat dprd": Unit.Kind.SECRETARIAT, "setda": Unit.Kind.SECRETARIAT, "setwan": Unit.Kind.SECRETARIAT,
    "dinas": Unit.Kind.OFFICE, "badan": Unit.Kind.AGENCY, "inspektorat": Unit.Kind.INSPECTORATE,
    "kecamatan": Unit.Kind.DISTRICT, "distrik": Unit.Kind.DISTRICT,
    "kelurahan": Unit.Kind.VILLAGE, "desa": Unit.Kind.VILLAGE, "kelurahan desa": Unit.Kind.VILLAGE,
    "pekon": Unit.Kind.VILLAGE, "nagari": Unit.Kind.VILLAGE, "kampung": Unit.Kind.VILLAGE, "gampong": Unit.Kind.VILLAGE,
    "uptd": Unit.Kind.TECHNICAL_UNIT, "upt": Unit.Kind.TECHNICAL_UNIT, "upt daerah": Unit.Kind.TECHNICAL_UNIT,
    "puskesmas": Unit.Kind.HEALTH_CENTRE, "sekolah": Unit.Kind.SCHOOL,
    "rsud": Unit.Kind.HOSPITAL, "rumah sakit": Unit.Kind.HOSPITAL, "rumah sakit umum daerah": Unit.Kind.HOSPITAL,
    "lainnya": Unit.Kind.OTHER, "lain lain": Unit.Kind.OTHER, "bagian": Unit.Kind.OTHER, "satuan": Unit.Kind.OTHER,
}  # fmt: skip

NON_ECHELON_WORDS = {
    "non", "non eselon", "noneselon", "non esselon", "non eselon fungsional", "fungsional", "jf", "jft", "jfu",
    "pelaksana", "staf", "staff",
}  # fmt: skip
_ECHELON = re.compile(r"(II|III|IV|2|3|4)[./\-]?([AB])")
_ROMAN = {"2": "II", "3": "III", "4": "IV"}
# What Excel shows for a long number it turned into a float: 1.97408E+17.
_SCIENTIFIC = re.compile(r"\d(?:[.,]\d+)?E\+?\d+", re.IGNORECASE)


def parse_unit_kind(value) -> str:
    text = normalise_header(value)
    if not text:
        raise CellError(_("wajib diisi."))
    kind = UNIT_KIND_WORDS.get(text) or next(
        (choice for choice in Unit.Kind if text in {normalise_header(choice.label), choice.value}), None
    )
    if kind is None:
        raise CellError(
            _("'%(value)s' bukan jenis perangkat daerah yang dikenal. Pakai salah satu: %(kinds)s.")
            % {"value": clean_text(value), "kinds": ", ".join(str(choice.label) for choice in Unit.Kind)}
        )
    return str(kind)


def parse_echelon(value) -> str:
    """'II.b', 'IIb', 'II/b', 'II-B', '2b' -> 'II.b'; 'Non-eselon', 'JF', 'Pelaksana' -> non-echelon."""
    text = normalise_header(value)
    if not text:
        raise CellError(_("wajib diisi; tulis Non-eselon untuk jabatan fungsional atau pelaksana."))
    if text in NON_ECHELON_WORDS:
        return Echelon.NONE
    match = _ECHELON.fullmatch(clean_text(value).upper().replace(" ", ""))
    if match is None:
        raise CellError(
            _("'%(value)s' bukan eselon pemda; tulis seperti II.a, II.b, III.a, III.b, IV.a, IV.b atau Non-eselon.")
            % {"value": clean_text(value)}
        )
    tier, grade = match.groups()
    return f"{_ROMAN.get(tier, tier)}.{grade.lower()}"


def parse_nip_cell(value) -> str:
    """A NIP typed as text. A number is refused: Excel keeps only 15 significant digits, so the
    last digits of an 18-digit NIP stored as a number may already be lost."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) or _SCIENTIFIC.fullmatch(clean_text(value)):
        raise CellError(
            _(
                "NIP %(value)s tersimpan sebagai angka, bukan teks, sehingga Excel mungkin sudah mengubah "
                "angka-angka terakhirnya (Excel hanya menyimpan 15 angka). Ubah format kolom NIP menjadi Teks, "
                "ketik ulang NIP-nya, lalu unggah lagi."
            )
            % {"value": clean_text(value)}
        )
    nip = normalise_nip(clean_text(value))
    if not nip:
        raise CellError(_("wajib diisi."))
    try:
        return parse_nip(nip).nip
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None


def parse_phone(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # Stored as a number, the leading 0 of 0812... is gone; put it back.
        digits = str(int(value))
        return f"0{digits}" if digits.startswith("8") else digits
    text = clean_text(value)
    try:
        validate_phone(text)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    return re.sub(r"[^\d+]", "", text)[:20]


def parse_email(value) -> str:
    email = clean_text(value).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CellError(_("'%(value)s' bukan alamat surel yang sah.") % {"value": email}) from None
    return email


def parse_required_text(value) -> str:
    text = clean_text(value)
    if not text:
        raise CellError(_("wajib diisi."))
    return text


class _UnitLookup:
    """Finds a unit of the region by its name or short name, whatever the case and spacing."""

    def __init__(self, units):
        self.by_id = {unit.pk: unit for unit in units}
        self.keys: dict[str, set[int]] = {}
        for unit in units:
            for name in (unit.name, unit.short_name):
                if name:
                    self.keys.setdefault(normalise_header(name), set()).add(unit.pk)

    def find(self, text: str) -> Unit:
        matches = self.keys.get(normalise_header(text), set())
        if len(matches) > 1:
            raise CellError(
                _("'%(value)s' cocok dengan %(n)s perangkat daerah; tulis nama lengkapnya.")
                % {"value": text, "n": len(matches)}
            )
        if not matches:
            raise CellError(_("'%(value)s' tidak ditemukan di daftar perangkat daerah aktif.") % {"value": text})
        return self.by_id[next(iter(matches))]


class UnitImporter(Importer):
    kind = "units"
    label = gettext_lazy("Perangkat daerah")
    list_url_name = "organisation:unit-list"
    file_kinds = ("excel", "csv")
    columns = (
        Column("name", gettext_lazy("Nama"), ("Nama Perangkat Daerah", "Nama Unit", "Nama Unit Kerja", "Nama OPD"), True, "Dinas Komunikasi dan Informatika"),
        Column("short_name", gettext_lazy("Singkatan"), ("Nama Singkat", "Akronim"), False, "Diskominfo"),
        Column("kind", gettext_lazy("Jenis"), ("Jenis Unit", "Jenis Perangkat Daerah", "Tipe"), True, "Dinas"),
        Column("parent", gettext_lazy("Induk"), ("Unit Induk", "Induk Unit", "Perangkat Daerah Induk", "OPD Induk"), False, ""),
        Column("code", gettext_lazy("Kode"), ("Kode Unit", "Kode Wilayah"), False, ""),
    )  # fmt: skip

    def prepare(self) -> None:
        units = list(Unit.objects.filter(region=self.region, is_active=True))
        self.lookup = _UnitLookup(units)
        self.existing = {(unit.parent_id, normalise_header(unit.name)) for unit in units}
        # Units named by earlier rows of the file: normalised name or short name -> (row, valid).
        self.file_units: dict[str, tuple[int, bool]] = {}
        self.file_keys: dict[tuple, int] = {}
        self.created: dict[str, Unit] = {}

    def parse_row(self, values: dict, result: RowResult) -> None:
        name = result.check(self.column("name"), parse_required_text, values.get("name"))
        kind = result.check(self.column("kind"), parse_unit_kind, values.get("kind"))
        short_name = clean_text(values.get("short_name"))
        parent_text = clean_text(values.get("parent"))
        parent_id, parent_ref = self._parent(parent_text, result) if parent_text else (None, "")
        if name:
            self._check_duplicate(name, parent_id, parent_ref, result)
        result.cleaned = {
            "name": name, "short_name": short_name, "kind": kind, "code": clean_text(values.get("code")),
            "parent_id": parent_id, "parent_ref": parent_ref,
        }  # fmt: skip
        for text in (name, short_name):
            if text:
                self.file_units[normalise_header(text)] = (self.current_row, not result.errors)

    def _check_duplicate(self, name: str, parent_id: int | None, parent_ref: str, result: RowResult) -> None:
        key = (parent_id, parent_ref, normalise_header(name))
        if not parent_ref and (parent_id, normalise_header(name)) in self.existing:
            result.errors.append(_("%(name)s sudah terdaftar di bawah induk yang sama.") % {"name": name})
        elif key in self.file_keys:
            result.errors.append(_("Sama dengan baris %(n)s di berkas ini.") % {"n": self.file_keys[key]})
        else:
            self.file_keys[key] = self.current_row

    def _parent(self, text: str, result: RowResult) -> tuple[int | None, str]:
        key = normalise_header(text)
        if key in self.file_units:
            row, valid = self.file_units[key]
            if not valid:
                result.errors.append(
                    _("Induk: '%(value)s' ada di baris %(n)s yang bermasalah.") % {"value": text, "n": row}
                )
            return None, key
        try:
            return self.lookup.find(text).pk, ""
        except CellError as error:
            result.errors.append(
                f"{self.column('parent').label}: {error} "
                + _("Induk harus sudah ada atau ditulis di baris sebelumnya.")
            )
            return None, ""

    def save_row(self, cleaned: dict) -> None:
        if cleaned["parent_ref"]:
            parent = self.created.get(cleaned["parent_ref"])
            if parent is None:
                raise ValidationError(_("Induknya tidak ikut diimpor karena barisnya bermasalah."))
        else:
            parent = self._checked_parent(cleaned["parent_id"]) if cleaned["parent_id"] else None
        unit = services.unit_create(
            region=self.region,
            actor=self.actor,
            name=cleaned["name"],
            short_name=cleaned["short_name"],
            kind=cleaned["kind"],
            code=cleaned["code"],
            parent=parent,
        )
        for text in (unit.name, unit.short_name):
            if text:
                self.created[normalise_header(text)] = unit

    def _checked_parent(self, parent_id: int) -> Unit:
        """The unit on file the preview found as the row's parent. Closed (or gone) since then, the
        row is refused on its line: saved without it, the unit would land at the top of the tree."""
        parent = self.lookup.by_id.get(parent_id)
        if parent is not None:
            return parent
        name = Unit.objects.filter(pk=parent_id, region=self.region).values_list("name", flat=True).first()
        if name is None:
            raise ValidationError(
                _("Induk baris ini sudah dihapus sesudah pratinjau. Perbaiki kolom Induk, lalu unggah lagi baris ini.")
            )
        raise ValidationError(
            _(
                "Induk %(name)s dinonaktifkan sesudah pratinjau, jadi baris ini tidak disimpan. Aktifkan lagi "
                "induknya atau ubah kolom Induk, lalu unggah lagi baris ini."
            )
            % {"name": name}
        )

    def resume(self, saved: list[dict]) -> None:
        """Units saved before the import stopped are again the parents of the rows that name them."""
        units = {(unit.parent_id, unit.name.lower()): unit for unit in self.lookup.by_id.values()}
        for cleaned in saved:
            if cleaned["parent_ref"]:
                parent = self.created.get(cleaned["parent_ref"])
                if parent is None:
                    continue
            else:
                parent = self.lookup.by_id.get(cleaned["parent_id"]) if cleaned["parent_id"] else None
            unit = units.get((parent.pk if parent else None, cleaned["name"].strip().lower()))
            for text in (unit.name, unit.short_name) if unit else ():
                if text:
                    self.created[normalise_header(text)] = unit

    def save_rows(self, rows: list[dict]) -> None:
        """The batch's units in a few queries a level of the tree (services.units_bulk_create).
        Units made by this batch become parents of later rows only once all of it is saved: a
        batch that fails is rolled back and tried row by row from the same state."""
        # A parent on file closed since the job read the units (another admin, during the import):
        # forgotten, so its rows are refused on their lines (save_row says why).
        on_file = {row["parent_id"] for row in rows if row["parent_id"] and not row["parent_ref"]}
        closed = on_file - set(Unit.objects.filter(pk__in=on_file, is_active=True).values_list("pk", flat=True))
        for parent_id in closed:
            self.lookup.by_id.pop(parent_id, None)
        units = services.units_bulk_create(
            region=self.region, actor=self.actor, rows=rows, existing=self.lookup.by_id, named=self.created
        )
        for unit in units:
            for text in (unit.name, unit.short_name):
                if text:
                    self.created[normalise_header(text)] = unit


class OfficialImporter(Importer):
    kind = "officials"
    label = gettext_lazy("Pejabat/ASN")
    list_url_name = "organisation:official-list"
    # A CSV saved from Excel shows the same symptoms (1,97408E+17), so both are read the same way.
    file_kinds = ("excel", "csv")
    notes = gettext_lazy(
        "Daftar yang sama boleh diunggah lagi sesudah mutasi: NIP yang sudah terdaftar dicatat jabatan barunya "
        "(jabatan lama berakhir sehari sebelum TMT), jabatan yang sudah tercatat dilewati, dan nama harus sama "
        "dengan yang terdaftar. Pratinjau menunjukkan mutasi (jabatan lama → baru) dan jabatan yang akan punya "
        "dua pemegang sebelum apa pun disimpan."
    )
    warning_choices = (
        (
            "end_holders",
            gettext_lazy(
                "Akhiri jabatan pemegang lama sehari sebelum TMT pemegang baru (untuk jabatan yang akan punya "
                "dua pemegang)"
            ),
        ),
    )
    columns = (
        Column("nip", gettext_lazy("NIP"), ("NIP Baru", "Nomor Induk Pegawai", "NIP/NRP"), True, "19800101 200501 1 001"),
        Column("name", gettext_lazy("Nama"), ("Nama Lengkap", "Nama Pegawai", "Nama Pejabat", "Nama dan Gelar", "Nama Lengkap dan Gelar"), True, "Ahmad Saputra, S.Kom., M.M."),
        Column("position", gettext_lazy("Jabatan"), ("Nama Jabatan",), True, "Kepala Bidang Aplikasi Informatika"),
        Column("echelon", gettext_lazy("Eselon"), ("Esselon", "Eselon/Jenjang"), True, "III.b"),
        Column("unit", gettext_lazy("Perangkat Daerah"), ("Unit Kerja", "OPD", "SKPD", "Unit", "Satuan Kerja"), True, "Diskominfo"),
        Column("start_date", gettext_lazy("TMT Jabatan"), ("TMT", "TMT Jab", "Terhitung Mulai Tanggal"), True, "03-01-2022"),
        Column("is_acting", gettext_lazy("Plt"), ("Pelaksana Tugas",), False, "Tidak"),
        Column("decree", gettext_lazy("Nomor SK"), ("No SK", "No. SK", "SK Jabatan"), False, "821.2/015/II.06/2022"),
        Column("phone", gettext_lazy("Nomor HP"), ("No HP", "HP", "WhatsApp", "No WA", "Telepon"), False, "081234567890"),
        Column("email", gettext_lazy("Surel"), ("Email", "E-mail", "Alamat Surel"), False, ""),
    )  # fmt: skip

    def prepare(self) -> None:
        self.lookup = _UnitLookup(list(Unit.objects.filter(region=self.region, is_active=True)))
        self.known = {
            nip: (region_id, name, pk)
            for nip, region_id, name, pk in Official.objects.values_list("nip", "region_id", "name", "pk")
        }
        self.positions: dict[int, list[_Held]] = defaultdict(list)
        on_record = Assignment.objects.filter(official__region=self.region).values_list(*_Held._fields)
        for held in on_record.order_by("start_date"):
            self.positions[held[0]].append(_Held(*held))
        self.file_nips: dict[str, int] = {}
        # Who holds each post now (definitive, open-ended): (unit id, position) -> holder.
        self.holders: dict[tuple[int, str], _Holder] = {}
        current = Assignment.objects.filter(
            official__region=self.region, end_date__isnull=True, is_acting=False
        ).exclude(echelon=Echelon.NONE)
        for holder in current.values_list(*_Holder._fields).order_by("start_date"):
            holder = _Holder(*holder)
            self.holders[(holder.unit_id, holder.position.casefold())] = holder
        self.file_posts: dict[tuple[int, str], int] = {}

    def parse_row(self, values: dict, result: RowResult) -> None:
        nip = result.check(self.column("nip"), parse_nip_cell, values.get("nip"))
        known = self._check_duplicate(nip, result) if nip else None
        unit = result.check(self.column("unit"), lambda v: self.lookup.find(parse_required_text(v)), values.get("unit"))
        start = result.check(self.column("start_date"), _required_date, values.get("start_date"))
        if nip and start and start < parse_nip(nip).appointed:
            result.errors.append(
                _("TMT Jabatan: %(date)s lebih awal dari TMT CPNS dalam NIP.") % {"date": start.strftime("%d-%m-%Y")}
            )
        result.cleaned = {
            "nip": nip,
            "name": result.check(self.column("name"), parse_required_text, values.get("name")),
            "position": result.check(self.column("position"), parse_required_text, values.get("position")),
            "echelon": result.check(self.column("echelon"), parse_echelon, values.get("echelon")),
            "unit_id": unit.pk if unit else None,
            "start_date": start.isoformat() if start else None,
            "is_acting": bool(result.check(self.column("is_acting"), _parse_acting, values.get("is_acting"))),
            "decree": clean_text(values.get("decree"))[:120],
            "phone": parse_phone(values.get("phone")),
            "email": result.check(self.column("email"), parse_email, values.get("email")) or "",
            "action": "create",
        }
        if known and not result.errors:
            self._plan_change(known, result)
        row = result.cleaned
        # A structural post has one holder; many may share a functional or staff position.
        if (
            not result.errors
            and not row["is_acting"]
            and row["echelon"] != Echelon.NONE
            and row["action"] != "unchanged"
        ):
            self._check_holder(result)

    def _check_holder(self, result: RowResult) -> None:
        """Warn when the post already has a holder (in office, or given by a row above): the
        admin may end the current holder's assignment the day before the new one starts."""
        row = result.cleaned
        post = (row["unit_id"], row["position"].casefold())
        if post in self.file_posts:
            result.warnings.append(
                _("Jabatan yang sama juga diberikan di baris %(n)s berkas ini.") % {"n": self.file_posts[post]}
            )
        self.file_posts.setdefault(post, self.current_row)
        holder = self.holders.get(post)
        start = dt.date.fromisoformat(row["start_date"])
        if holder is None or holder.official_id == row.get("official_id") or holder.start_date >= start:
            return
        result.warnings.append(
            _(
                "Jabatan ini masih dipegang %(name)s (TMT %(since)s); sesudah impor jabatan ini punya dua "
                "pemegang, kecuali jabatan %(name)s diakhiri per %(end)s."
            )
            % {
                "name": holder.official__name,
                "since": holder.start_date.strftime("%d-%m-%Y"),
                "end": (start - dt.timedelta(days=1)).strftime("%d-%m-%Y"),
            }
        )
        row["end_holder"] = holder.pk

    def _check_duplicate(self, nip: str, result: RowResult) -> tuple[int, str] | None:
        """Refuse a NIP twice in the file or registered in another region; return (id, name) of
        the region's own official with this NIP, whose row then updates the roster."""
        if nip in self.file_nips:
            result.errors.append(_("NIP sama dengan baris %(n)s di berkas ini.") % {"n": self.file_nips[nip]})
            return None
        self.file_nips[nip] = self.current_row
        if nip not in self.known:
            return None
        region_id, name, pk = self.known[nip]
        if region_id != self.region.pk:
            result.errors.append(_("NIP ini sudah terdaftar."))
            return None
        return pk, name

    def _plan_change(self, known: tuple[int, str], result: RowResult) -> None:
        """A roster exported again after a rotation: a registered official's row records the new
        position (the old one ends the day before), or changes nothing when it is already on
        record. History is only ever added to; corrections of the past belong on the official's page."""
        pk, registered_name = known
        row = result.cleaned
        if comparable_name(row["name"]) != comparable_name(registered_name):
            # More often a mistyped NIP than a changed name: never move someone else's history.
            result.errors.append(
                _("NIP sudah terdaftar atas nama %(name)s, bukan %(typed)s; periksa NIP-nya.")
                % {"name": registered_name, "typed": row["name"]}
            )
            return
        start = dt.date.fromisoformat(row["start_date"])
        wanted = (row["unit_id"], row["position"].casefold(), row["echelon"], row["is_acting"])
        positions = self.positions[pk]
        held = [p for p in positions if p.start_date <= start and (p.end_date is None or p.end_date >= start)]
        row["official_id"] = pk
        if any((p.unit_id, p.position.casefold(), p.echelon, p.is_acting) == wanted for p in held):
            row["action"], result.outcome = "unchanged", _("Tidak berubah: jabatan ini sudah tercatat.")
            return
        when = start.strftime("%d-%m-%Y")
        if row["is_acting"]:
            row["action"] = "start"
            result.outcome = _("Tambah jabatan Plt mulai %(date)s.") % {"date": when}
            return
        definitive = [p for p in positions if not p.is_acting]
        if definitive and start <= definitive[-1].start_date:
            result.errors.append(
                _(
                    "TMT Jabatan %(date)s tidak sesudah jabatan terakhir yang tercatat (%(position)s, TMT "
                    "%(since)s); koreksi riwayat jabatan di halaman pejabat."
                )
                % {
                    "date": when,
                    "position": definitive[-1].position,
                    "since": definitive[-1].start_date.strftime("%d-%m-%Y"),
                }
            )
            return
        current = next((p for p in held if not p.is_acting), None)
        if current:
            row["action"] = "rotate"
            result.outcome = _("Mutasi: %(old)s menjadi %(new)s mulai %(date)s.") % {
                "old": current.position,
                "new": row["position"],
                "date": when,
            }
            units = self.lookup.by_id
            result.change(
                _("Jabatan"),
                f"{current.position}, {units.get(current.unit_id, '')}".strip(", "),
                f"{row['position']}, {units[row['unit_id']]} (TMT {when})",
            )
            if current.echelon != row["echelon"]:
                result.change(_("Eselon"), current.echelon, row["echelon"])
        else:
            row["action"] = "start"
            result.outcome = _("Jabatan baru mulai %(date)s.") % {"date": when}

    def save_row(self, cleaned: dict) -> None:
        action = cleaned.get("action", "create")
        if action == "unchanged":
            return
        if cleaned.get("end_holder") and self.options.get("end_holders"):
            self._end_holder(cleaned["end_holder"], dt.date.fromisoformat(cleaned["start_date"]))
        position = {
            "actor": self.actor,
            "unit": self.lookup.by_id[cleaned["unit_id"]],
            "position": cleaned["position"],
            "echelon": cleaned["echelon"],
            "start_date": dt.date.fromisoformat(cleaned["start_date"]),
            "decree": cleaned["decree"],
        }
        if action == "create":
            services.official_create(
                region=self.region,
                name=cleaned["name"],
                nip=cleaned["nip"],
                is_acting=cleaned["is_acting"],
                phone=cleaned["phone"],
                email=cleaned["email"],
                **position,
            )
            return
        official = Official.objects.get(pk=cleaned["official_id"], region=self.region)
        if action == "rotate":
            services.official_rotate(official=official, **position)
        else:
            services.assignment_start(official=official, is_acting=cleaned["is_acting"], **position)

    def save_rows(self, rows: list[dict]) -> None:
        """The batch in a few queries: the officials and positions it touches are read at once, the
        rows are applied to them in memory in file order with the checks of the services (so a row
        sees what the rows above it did), and the new officials, the ended positions and the new
        positions are written with their history rows in one INSERT or UPDATE each."""
        rows = [row for row in rows if row.get("action", "create") != "unchanged"]
        if rows:
            _RosterBatch(self, rows).save()

    def _end_holder(self, assignment_id: int, start: dt.date) -> None:
        current = Assignment.objects.filter(
            pk=assignment_id, official__region=self.region, end_date__isnull=True, start_date__lt=start
        ).first()
        if current is not None:  # still open: nobody ended it since the preview
            services.assignment_end(
                assignment=current,
                actor=self.actor,
                end_date=start - dt.timedelta(days=1),
                reason=_("Diganti pemegang baru lewat impor daftar pejabat."),
            )


class _RowByRowError(ValidationError):
    """What a batch cannot do in bulk (never shown: the import then saves its rows one by one)."""

    def __init__(self):
        super().__init__("row by row")


class _RosterBatch:
    """OfficialImporter.save_rows: the rows' effects as `save_row` makes them, written in bulk."""

    def __init__(self, importer: OfficialImporter, rows: list[dict]):
        self.importer, self.rows, self.actor = importer, rows, importer.actor
        self.end_holders = bool(importer.options.get("end_holders"))
        region = importer.region
        official_ids = {row["official_id"] for row in rows if row.get("action", "create") != "create"}
        holder_ids = {row["end_holder"] for row in rows if row.get("end_holder")} if self.end_holders else set()
        self.officials = Official.objects.filter(region=region).in_bulk(official_ids) if official_ids else {}
        if len(self.officials) < len(official_ids):
            raise _RowByRowError  # someone removed an official since the preview
        nips = [normalise_nip(row["nip"]) for row in rows if row.get("action", "create") == "create"]
        if len(set(nips)) < len(nips) or Official.objects.filter(nip__in=nips).exists():
            raise _RowByRowError  # a NIP registered since the preview: full_clean names it, row by row
        # Every position of the officials the rows touch, locked as official_rotate locks them.
        self.held: dict[int, list[Assignment]] = defaultdict(list)
        self.by_pk: dict[int, Assignment] = {}
        if official_ids or holder_ids:
            holders = Assignment.objects.filter(pk__in=holder_ids).values("official_id")
            positions = Assignment.objects.select_for_update(of=("self",)).filter(
                Q(official_id__in=official_ids) | Q(official_id__in=holders), official__region=region
            )
            for assignment in positions.order_by("pk"):
                self.held[assignment.official_id].append(assignment)
                self.by_pk[assignment.pk] = assignment
        self.new_officials: list[Official] = []
        self.new_positions: list[Assignment] = []
        self.ended: dict[int, Assignment] = {}
        self.ended_history: list[Assignment] = []  # the state after each change, as save() records it

    def save(self) -> None:
        for row in self.rows:
            self._apply(row)
        if self.new_officials:
            bulk_create_with_history(self.new_officials, Official, default_user=self.actor)
        for position in self.new_positions:
            position.official = position.official  # the official's id, now that it has one
        if self.ended:
            Assignment.objects.bulk_update(list(self.ended.values()), ["end_date"])
            Assignment.history.bulk_history_create(
                self.ended_history, update=True, default_user=self.actor, default_change_reason=None
            )
        bulk_create_with_history(self.new_positions, Assignment, default_user=self.actor)
        region_data_changed(self.importer.region.pk)

    def _apply(self, row: dict) -> None:
        start = dt.date.fromisoformat(row["start_date"])
        if row.get("end_holder") and self.end_holders:  # as _end_holder: only a post still open
            current = self.by_pk.get(row["end_holder"])
            if current is not None and current.end_date is None and current.start_date < start:
                self._end(current, start - dt.timedelta(days=1), _("Diganti pemegang baru lewat impor daftar pejabat."))
        action = row.get("action", "create")
        if action == "create":
            official = Official(
                region=self.importer.region, name=row["name"].strip(), nip=normalise_nip(row["nip"]),
                phone=row["phone"].strip(), email=row["email"].strip(),
            )  # fmt: skip
            official.clean_fields(exclude=["region"])
            info = parse_nip(official.nip)  # as Official.save derives them
            official.birth_date, official.appointed_on, official.sex = info.birth_date, info.appointed, info.sex
            self.new_officials.append(official)
            held = []
        else:
            official = self.officials[row["official_id"]]
            held = self.held[official.pk]
        if action == "rotate":
            self._rotate(held, start, row["position"].strip())
        position = Assignment(
            official=official, unit=self.importer.lookup.by_id[row["unit_id"]], position=row["position"].strip(),
            echelon=row["echelon"], start_date=start, is_acting=row["is_acting"] and action != "rotate",
            decree=row["decree"].strip(),
        )  # fmt: skip
        if not position.unit.is_active:
            raise _RowByRowError
        position.clean_fields(exclude=["official", "unit"])
        self._check_overlap(position, held)
        held.append(position)
        self.new_positions.append(position)

    def _rotate(self, held: list[Assignment], start: dt.date, new_position: str) -> None:
        """services.official_rotate: the definitive position held on `start` ends the day before."""
        on_start = [
            p for p in held if not p.is_acting and p.start_date <= start and (p.end_date is None or p.end_date >= start)
        ]
        if not on_start or max(p.start_date for p in on_start) >= start:
            raise _RowByRowError  # the service says why, row by row
        current = max(on_start, key=lambda p: p.start_date)
        self._end(current, start - dt.timedelta(days=1), _("Mutasi ke %(position)s") % {"position": new_position})

    def _end(self, position: Assignment, end: dt.date, reason: str) -> None:
        """services.assignment_end, in memory; the history keeps the state after this change."""
        if position.pk is None:
            raise _RowByRowError  # a position made by this batch: not a case the rows make
        position.end_date = end
        if end < position.start_date:
            raise _RowByRowError
        self._check_overlap(position, self.held[position.official_id])
        snapshot = copy.copy(position)
        snapshot._change_reason = reason[:100]
        self.ended[position.pk] = position
        self.ended_history.append(snapshot)

    @staticmethod
    def _check_overlap(position: Assignment, held: list[Assignment]) -> None:
        """Assignment.clean: definitive positions of one official never overlap."""
        if position.is_acting:
            return
        for other in held:
            if other is position or other.is_acting or (position.end_date and other.start_date > position.end_date):
                continue
            if other.end_date is None or other.end_date >= position.start_date:
                raise _RowByRowError  # Assignment.clean names the position, row by row


class _Holder(NamedTuple):
    """The current definitive holder of a post, as the import checks a new holder against it."""

    pk: int
    official_id: int
    official__name: str
    unit_id: int
    position: str
    start_date: dt.date


class _Held(NamedTuple):
    """A position on record, as the re-import compares it with a row."""

    official_id: int
    start_date: dt.date
    end_date: dt.date | None
    unit_id: int
    position: str
    echelon: str
    is_acting: bool


# Titles written before a name (Dr., H., Hj., Ir., Drs., dr.): rosters differ in them.
_LEADING_TITLES = re.compile(r"^(?:\w{1,4}\.\s*)+")


def comparable_name(name: str) -> str:
    """A name without titles before it or degrees after the comma, in one case and spacing, so
    "Drs. H. AHMAD  Saputra, M.M." and "Ahmad Saputra" compare equal."""
    bare = _LEADING_TITLES.sub("", name.split(",")[0].strip())
    return " ".join(bare.casefold().split())


def _required_date(value) -> dt.date:
    day = parse_date(value)
    if day is None:
        raise CellError(_("wajib diisi."))
    return day


def _parse_acting(value) -> bool:
    if normalise_header(value) in {"plt", "plh", "pelaksana tugas"}:
        return True
    return bool(parse_yes_no(value))


register(UnitImporter)
register(OfficialImporter)
