"""The index methodology of one assessment year, as data: constants, indicator rows and their
levels, thresholds and evidence rules. Shipped as data files (frameworks/data/<year>.json),
validated when loaded, copied to start a new year and edited in the app."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lumbung.core.models import WorkflowEvent

from .thresholds import level_for_value

# The parts of a row (and "bands" of a year) that can be marked as not confirmed by an official source.
UNCONFIRMED_PARTS = {
    "row": _("Seluruh baris"),
    "weight": _("Bobot"),
    "mandatory": _("Wajib/tidak"),
    "levels": _("Parameter"),
    "thresholds": _("Ambang"),
    "evidence": _("Ketentuan eviden"),
    "bands": _("Predikat"),
}


class Framework(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        ACTIVE = "active", _("Berlaku")
        ARCHIVED = "archived", _("Arsip")

    year = models.PositiveSmallIntegerField(_("tahun penilaian"), unique=True)
    title = models.CharField(_("judul"), max_length=200)
    legal_basis = models.TextField(_("dasar pedoman"), blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    min_divisor = models.PositiveSmallIntegerField(_("pembagi minimum (k)"))
    count_factor = models.DecimalField(_("faktor skor jumlah inovasi"), max_digits=6, decimal_places=4)
    count_cap = models.PositiveIntegerField(_("batas jumlah inovasi yang dihitung"))
    basic_services_required = models.PositiveSmallIntegerField(
        _("urusan pelayanan dasar minimum"), help_text=_("Dari 6 urusan wajib pelayanan dasar.")
    )
    max_total = models.DecimalField(_("skor total maksimum"), max_digits=7, decimal_places=2)
    implementation_from = models.DateField(_("penerapan paling awal"), null=True, blank=True)
    implementation_to = models.DateField(_("penerapan paling akhir"), null=True, blank=True)
    max_entries_per_innovation = models.PositiveSmallIntegerField(_("batas keikutsertaan satu inovasi"), default=2)
    # The six basic-service affairs (GovernmentAffair codes) of the coverage rule of this year.
    basic_service_affairs = models.JSONField(_("urusan wajib pelayanan dasar"), default=list, blank=True)
    # Constant name -> why its value is not confirmed by an official source, e.g. {"min_divisor": "..."}.
    unconfirmed = models.JSONField(_("nilai yang belum terkonfirmasi"), default=dict, blank=True)
    # The "source" block of the data file: documents consulted and how reliable each is.
    source = models.JSONField(_("sumber"), default=dict, blank=True)
    # The project's own readings where the sources are silent (inferences.py): name -> the chosen
    # option, the alternative, why, and the source text it rests on.
    inferences = models.JSONField(_("tafsiran proyek"), default=dict, blank=True)
    source_file = models.CharField(_("berkas sumber"), max_length=200, blank=True)
    source_checksum = models.CharField(_("sidik berkas sumber"), max_length=64, blank=True)
    # Set once an admin edits the year in the app; the data file no longer overwrites it.
    edited_in_app = models.BooleanField(_("diubah di aplikasi"), default=False)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("disalin dari"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Changes with every edit of the year, its rows or bands: the key of the engine spec cache.
    revision = models.UUIDField(default=uuid.uuid4, editable=False)

    history = HistoricalRecords(excluded_fields=["revision"])

    class Meta:
        verbose_name = _("metodologi indeks")
        verbose_name_plural = _("metodologi indeks")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title


class PredicateBand(models.Model):
    """IID from `min_iid` (inclusive, after rounding to two decimals) up to the next band."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("predikat"), max_length=40)
    min_iid = models.DecimalField(_("IID minimum"), max_digits=5, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("predikat")
        verbose_name_plural = _("predikat")
        ordering = ["-min_iid"]
        constraints = [models.UniqueConstraint(fields=["framework", "name"], name="band_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ≥ {self.min_iid}"


class Indicator(models.Model):
    """One scoring row: row score = weight × level (1..3), 0 when not filled or not accepted."""

    class Aspect(models.TextChoices):
        REGION = "region", _("Satuan Pemerintah Daerah (SPD)")
        INNOVATION = "innovation", _("Satuan Inovasi Daerah (SID)")

    class Measure(models.TextChoices):
        CHOICE = "choice", _("Pilihan tingkat")
        BASIS = "basis", _("Menurut dasar pengukuran")
        PERCENT = "percent", _("Persen")
        NUMBER = "number", _("Angka")
        COUNT = "count", _("Jumlah")
        DAYS = "days", _("Hari")
        MONTHS = "months", _("Bulan")

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("kode"), max_length=8)  # "1", "2a", "16"
    number = models.PositiveSmallIntegerField(_("nomor indikator"))
    aspect = models.CharField(_("aspek"), max_length=12, choices=Aspect.choices)
    variable = models.CharField(_("variabel"), max_length=120)
    name = models.CharField(_("indikator"), max_length=255)
    description = models.TextField(_("penjelasan"), blank=True)
    weight = models.DecimalField(_("bobot"), max_digits=5, decimal_places=2)
    is_mandatory = models.BooleanField(_("wajib"), default=False)
    # A statistic of the region (growth of income, unemployment, audit opinion...): its level
    # follows the region's figures and no evidence raises it, so the planner never ranks it as an action.
    is_outcome = models.BooleanField(_("bergantung pada data daerah"), default=False)
    level_1 = models.TextField(_("parameter 1"))
    level_2 = models.TextField(_("parameter 2"))
    level_3 = models.TextField(_("parameter 3"))
    measure = models.CharField(_("ukuran"), max_length=10, choices=Measure.choices, default=Measure.CHOICE)
    # For measured rows: [{"level": 3, "min": "8.17"}, {"level": 2, "min": "-50.33", "max": "8.16"}, ...]
    thresholds = models.JSONField(_("ambang"), default=list, blank=True)
    higher_is_better = models.BooleanField(_("makin besar makin baik"), default=True)
    evidence_rule = models.TextField(_("ketentuan eviden"), blank=True)
    evidence_kinds = models.JSONField(_("jenis berkas eviden"), default=list, blank=True)  # core.files kinds
    evidence_allows_link = models.BooleanField(_("eviden boleh tautan"), default=False)
    evidence_years = models.JSONField(_("tahun eviden"), default=list, blank=True)  # ["T-0", "T-1", "T-2"]
    # Part of the row ("weight", "levels", "thresholds", "evidence", "row") -> why it is not confirmed.
    unconfirmed = models.JSONField(_("nilai yang belum terkonfirmasi"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def max_score(self) -> Decimal:
        return self.weight * 3

    @property
    def levels(self) -> tuple[str, str, str]:
        return (self.level_1, self.level_2, self.level_3)

    @property
    def is_confirmed(self) -> bool:
        return not self.unconfirmed

    def level_rows(self) -> list[tuple[int, str, Decimal, dict | None]]:
        """(level, wording, score, threshold) for levels 1..3."""
        return _level_rows(self, self.weight)

    def unconfirmed_items(self) -> list[tuple[str, str]]:
        return [(str(UNCONFIRMED_PARTS.get(part, part)), note) for part, note in self.unconfirmed.items()]

    def unconfirmed_text(self) -> str:
        return "; ".join(f"{part}: {note}" for part, note in self.unconfirmed_items())

    def level_for(self, value: Decimal) -> int:
        """The level (0..3) a measured number earns on this row; 0 for a choice row."""
        return level_for_value(self.thresholds, value)


class BenefitBasis(models.Model):
    """Indicator 33 (kemanfaatan) is measured on one of several alternative bases."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="bases")
    code = models.CharField(_("kode"), max_length=4)  # "a".."f"
    name = models.CharField(_("dasar pengukuran"), max_length=200)
    unit = models.CharField(_("satuan"), max_length=40)
    measure = models.CharField(
        _("ukuran"), max_length=10, choices=Indicator.Measure.choices, default=Indicator.Measure.COUNT
    )
    level_1 = models.CharField(_("parameter 1"), max_length=120)
    level_2 = models.CharField(_("parameter 2"), max_length=120)
    level_3 = models.CharField(_("parameter 3"), max_length=120)
    thresholds = models.JSONField(_("ambang"), default=list, blank=True)
    evidence_rule = models.TextField(_("ketentuan eviden"), blank=True)
    unconfirmed = models.JSONField(_("nilai yang belum terkonfirmasi"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dasar kemanfaatan")
        verbose_name_plural = _("dasar kemanfaatan")
        ordering = ["indicator", "order"]
        constraints = [models.UniqueConstraint(fields=["indicator", "code"], name="basis_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def levels(self) -> tuple[str, str, str]:
        return (self.level_1, self.level_2, self.level_3)

    def level_for(self, value: Decimal) -> int:
        return level_for_value(self.thresholds, value)

    def level_rows(self) -> list[tuple[int, str, Decimal | None, dict | None]]:
        return _level_rows(self, None)

    def unconfirmed_items(self) -> list[tuple[str, str]]:
        return [(str(UNCONFIRMED_PARTS.get(part, part)), note) for part, note in self.unconfirmed.items()]

    def unconfirmed_text(self) -> str:
        return "; ".join(f"{part}: {note}" for part, note in self.unconfirmed_items())


def _level_rows(row, weight):
    by_level = {band.get("level"): band for band in row.thresholds if isinstance(band, dict)}
    return [
        (level, text, weight * level if weight is not None else None, by_level.get(level))
        for level, text in enumerate(row.levels, start=1)
    ]


class FrameworkEvent(WorkflowEvent):
    """A status change of a year's methodology (and its creation: loaded from a file or copied)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat metodologi")
        verbose_name_plural = _("riwayat metodologi")
