"""Regions (Pemda), their units (perangkat daerah) as a tree, and the dated roster of officials."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lumbung.core.models import WorkflowEvent
from lumbung.core.roles import Role

from .nip import parse_nip, validate_nip

# Roles that read the whole organisation of their region (operators read their own subtree).
REGION_READERS = frozenset({Role.ADMIN, Role.VERIFIER, Role.LEADER})


class Region(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten")
        CITY = "city", _("Kota")

    code = models.CharField(_("kode Kemendagri"), max_length=13, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        "self", verbose_name=_("provinsi"), on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    # A hosted region runs its innovation programme on this deployment (has accounts and data).
    is_hosted = models.BooleanField(_("memakai aplikasi ini"), default=False)
    # Set while a region that was hosted is deactivated (is_hosted is then False): its data stays,
    # hidden, and its users cannot act there until it is reactivated (organisation.onboarding).
    deactivated_at = models.DateTimeField(_("dinonaktifkan pada"), null=True, blank=True)
    logo = models.ImageField(_("logo"), upload_to="region-logos/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pemda")
        verbose_name_plural = _("pemda")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def head_title(self) -> str:
        return {self.Kind.PROVINCE: _("Gubernur"), self.Kind.REGENCY: _("Bupati"), self.Kind.CITY: _("Wali Kota")}[
            self.kind
        ]


class RegionEvent(WorkflowEvent):
    """A region onboarded, deactivated or reactivated: who, when and why (organisation.onboarding)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat layanan pemda")
        verbose_name_plural = _("riwayat layanan pemda")


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user, region):
        """Units of `region` the user may read: all of them for region-wide staff, the operated
        subtrees for unit operators, nothing for anyone else."""
        units = self.filter(region=region)
        if user.has_any_role(REGION_READERS, region):
            return units
        paths = user.operator_unit_paths(region)
        if not paths:
            return units.none()
        return units.filter(_under_any(paths))


def _under_any(paths: list[str], field: str = "path") -> Q:
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


class Unit(models.Model):
    """A unit of the regional government, placed in a tree (a puskesmas under its dinas)."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Sekretariat")
        OFFICE = "office", _("Dinas")
        AGENCY = "agency", _("Badan")
        INSPECTORATE = "inspectorate", _("Inspektorat")
        DISTRICT = "district", _("Kecamatan")
        VILLAGE = "village", _("Kelurahan/Desa")
        TECHNICAL_UNIT = "technical_unit", _("UPTD")
        HEALTH_CENTRE = "health_centre", _("Puskesmas")
        SCHOOL = "school", _("Sekolah")
        HOSPITAL = "hospital", _("RSUD")
        OTHER = "other", _("Lainnya")

    region = models.ForeignKey(Region, verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("kode"), max_length=30, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # Materialised path of ids ("/4/17/"): a subtree is one prefix query.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)

    history = HistoricalRecords(excluded_fields=["path", "depth"])
    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "parent", "name"], name="unit_unique_name_under_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)  # the path is built from the new id
            self._set_path()
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            return
        self._set_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            _move_subtree(self, old_path)

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.region_id != self.region_id:
            raise ValidationError({"parent": _("Induk harus perangkat daerah dari pemda yang sama.")})
        if self.pk and (self.parent_id == self.pk or self.parent.path.startswith(self.path or "\0")):
            raise ValidationError({"parent": _("Perangkat daerah tidak boleh berada di bawah dirinya sendiri.")})

    def _set_path(self) -> None:
        parent_path = self.parent.path if self.parent_id else "/"
        self.path = f"{parent_path}{self.pk}/"
        self.depth = self.path.count("/") - 2

    def subtree(self):
        return Unit.objects.filter(path__startswith=self.path)


# How units are listed among their siblings: the order of a regional organisation decree (SOTK).
KIND_ORDER = {
    kind: rank
    for rank, kind in enumerate(
        [
            Unit.Kind.SECRETARIAT,
            Unit.Kind.INSPECTORATE,
            Unit.Kind.OFFICE,
            Unit.Kind.AGENCY,
            Unit.Kind.OTHER,
            Unit.Kind.HOSPITAL,
            Unit.Kind.TECHNICAL_UNIT,
            Unit.Kind.HEALTH_CENTRE,
            Unit.Kind.SCHOOL,
            Unit.Kind.DISTRICT,
            Unit.Kind.VILLAGE,
        ]
    )
}


def sort_as_tree(units) -> list[Unit]:
    """Units in tree order (each followed by its subtree), siblings by kind then name.

    Ancestors missing from `units` (filtered out) still order their descendants consistently."""
    by_id = {unit.pk: unit for unit in units}

    def key(unit: Unit):
        parts = []
        for pk in (int(part) for part in unit.path.strip("/").split("/") if part):
            node = by_id.get(pk)
            parts.append((KIND_ORDER.get(node.kind, 99), node.name.lower(), pk) if node else (-1, "", pk))
        return parts

    return sorted(units, key=key)


def _move_subtree(unit: Unit, old_path: str) -> None:
    """Rewrite the paths below a moved unit in one UPDATE (the prefix changes, the rest stays)."""
    shift = unit.depth - (old_path.count("/") - 2)
    Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
        path=Concat(Value(unit.path), Substr("path", len(old_path) + 1), output_field=models.CharField()),
        depth=F("depth") + shift,
    )


class Echelon(models.TextChoices):
    II_A = "II.a", "II.a"
    II_B = "II.b", "II.b"
    III_A = "III.a", "III.a"
    III_B = "III.b", "III.b"
    IV_A = "IV.a", "IV.a"
    IV_B = "IV.b", "IV.b"
    NONE = "non", _("Non-eselon / fungsional")

    @classmethod
    def tier(cls, value: str) -> int | None:
        """2, 3 or 4 for echelon II, III or IV; None for non-echelon positions."""
        return {"II": 2, "III": 3, "IV": 4}.get(str(value).split(".")[0])


class OfficialQuerySet(models.QuerySet):
    def visible_to(self, user, region):
        """Officials of `region` the user may read: everyone for region-wide staff; for unit
        operators, whoever ever held a position in an operated unit or below it."""
        officials = self.filter(region=region)
        if user.has_any_role(REGION_READERS, region):
            return officials
        paths = user.operator_unit_paths(region)
        if not paths:
            return officials.none()
        return officials.filter(pk__in=Assignment.objects.filter(_under_any(paths, "unit__path")).values("official_id"))


class Official(models.Model):
    """A civil servant (ASN) on the region's roster. Positions held over time are Assignments."""

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    region = models.ForeignKey(Region, verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="officials")
    name = models.CharField(_("nama lengkap dan gelar"), max_length=200)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        validators=[validate_nip],
        error_messages={"unique": _("NIP ini sudah terdaftar.")},
    )
    birth_date = models.DateField(_("tanggal lahir"), editable=False)
    appointed_on = models.DateField(_("TMT CPNS"), editable=False)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, editable=False)
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=20, blank=True)
    email = models.EmailField(_("surel"), blank=True)

    history = HistoricalRecords()
    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("pejabat/ASN")
        verbose_name_plural = _("pejabat/ASN")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The NIP is the source of truth for birth date, TMT and sex.
        info = parse_nip(self.nip)
        self.nip, self.birth_date, self.appointed_on, self.sex = info.nip, info.birth_date, info.appointed, info.sex
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None) -> None:
        # Birth date, TMT and sex are derived from the NIP when saving; only the NIP is checked.
        super().clean_fields(exclude={*(exclude or ()), "birth_date", "appointed_on", "sex"})

    def assignment_on(self, day: dt.date) -> Assignment | None:
        """The definitive (non-acting) position held on `day`, if any."""
        return self.assignments.on(day).filter(is_acting=False).select_related("unit").first()


class AssignmentQuerySet(models.QuerySet):
    def on(self, day: dt.date):
        """Assignments in force on `day` (start and end dates are inclusive)."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def current(self):
        return self.on(dt.date.today())

    def structural(self):
        return self.exclude(echelon=Echelon.NONE)


class Assignment(models.Model):
    """A position held by an official in a unit from start_date to end_date (inclusive).

    A rotation (mutasi) ends one assignment and starts the next, so every past date stays
    answerable. Definitive assignments of one official never overlap; an acting position
    (Plt) may run beside a definitive one.
    """

    official = models.ForeignKey(
        Official, verbose_name=_("pejabat"), on_delete=models.PROTECT, related_name="assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.CharField(_("jabatan"), max_length=200)
    echelon = models.CharField(_("eselon"), max_length=5, choices=Echelon.choices)
    start_date = models.DateField(_("TMT jabatan"))
    end_date = models.DateField(_("sampai"), null=True, blank=True)
    is_acting = models.BooleanField(_("pelaksana tugas (Plt)"), default=False)
    decree = models.CharField(_("nomor SK"), max_length=120, blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("riwayat jabatan")
        verbose_name_plural = _("riwayat jabatan")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position} ({self.start_date:%d-%m-%Y})"

    @property
    def tier(self) -> int | None:
        return Echelon.tier(self.echelon)

    def clean(self) -> None:
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum TMT jabatan.")
        if self.unit_id and self.official_id and self.unit.region_id != self.official.region_id:
            errors["unit"] = _("Perangkat daerah harus dari pemda yang sama dengan pejabatnya.")
        if not errors and not self.is_acting and self.official_id and self.start_date:
            overlapping = self.overlapping()
            if overlapping:
                errors["start_date"] = _(
                    "Pejabat ini sudah memegang jabatan definitif %(position)s pada rentang tanggal tersebut."
                ) % {"position": overlapping.position}
        if errors:
            raise ValidationError(errors)

    def overlapping(self) -> Assignment | None:
        others = Assignment.objects.filter(official_id=self.official_id, is_acting=False).exclude(pk=self.pk)
        if self.end_date:
            others = others.filter(start_date__lte=self.end_date)
        return others.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date)).first()
