"""Daily snapshots of each hosted region's index figures, read by the province and national views."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionIndexSnapshotQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class RegionIndexSnapshot(models.Model):
    """One region's figures for one assessment on one day (taken once a day, replaced if retaken).

    Aggregate figures only: no names of people, so a province may read its regions' rows."""

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, related_name="index_snapshots"
    )
    assessment = models.ForeignKey(
        "assessment.Assessment", verbose_name=_("penilaian"), on_delete=models.CASCADE, related_name="snapshots"
    )
    year = models.PositiveSmallIntegerField(_("tahun penilaian"))
    taken_on = models.DateField(_("tanggal"))
    claimed_iid = models.DecimalField(_("IID klaim"), max_digits=5, decimal_places=2, null=True, blank=True)
    verified_iid = models.DecimalField(_("IID terverifikasi"), max_digits=5, decimal_places=2, null=True, blank=True)
    expected_iid = models.DecimalField(_("IID perkiraan"), max_digits=5, decimal_places=2, null=True, blank=True)
    # The predicate of the expected IID (what the region would get if the pending rows pass).
    predicate = models.CharField(_("predikat"), max_length=40, blank=True)
    sosis_compliance = models.DecimalField(
        _("kepatuhan SOSIS (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    pm_indah_compliance = models.DecimalField(
        _("kepatuhan PM Indah (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    evidence_completeness = models.DecimalField(
        _("kelengkapan bukti (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rejected_rows = models.PositiveIntegerField(_("baris ditolak"), default=0)
    taken_at = models.DateTimeField(_("diambil pada"), auto_now=True)

    objects = RegionIndexSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("potret indeks pemda")
        verbose_name_plural = _("potret indeks pemda")
        ordering = ["region__code", "-taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "assessment", "taken_on"], name="region_index_snapshot_unique_per_day"
            ),
        ]
        indexes = [models.Index(fields=["year", "taken_on"], name="rankings_snapshot_year_day")]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.taken_on}"
