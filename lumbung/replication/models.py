"""Study visits, the catalogue of other regions' innovations, and replication in both directions:
what the region copied from others, and which regions copied the region's innovations (the
agreement letters are the evidence indicator 31 asks for)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.roles import STAFF_ROLES
from lumbung.innovations.models import Innovation


class RegionScopedQuerySet(models.QuerySet):
    def visible_to(self, user, region):
        """Records of `region` for its staff (replication.view_* as a query)."""
        if not user.is_authenticated or not user.has_any_role(STAFF_ROLES, region):
            return self.none()
        return self.filter(region=region)


class CatalogueItem(TimeStampedModel):
    """An innovation of another region, kept so that it can be studied and adopted."""

    class Source(models.TextChoices):
        IGA = "iga", _("IGA Kemendagri")
        KIPP = "kipp", _("KIPP KemenPANRB (SINOVIK)")
        JIPPNAS = "jippnas", _("JIPPNas")
        LAN = "lan", _("Laboratorium Inovasi LAN")
        VISIT = "visit", _("Studi tiru")
        OTHER = "other", _("Lainnya")

    class Continuity(models.TextChoices):
        RUNNING = "running", _("Masih berjalan")
        STOPPED = "stopped", _("Sudah berhenti")
        UNKNOWN = "unknown", _("Belum diketahui")

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="+"
    )
    source_region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda asal"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nama inovasi"), max_length=255)
    summary = models.TextField(_("ringkasan"), blank=True)
    affair = models.ForeignKey(
        "innovations.GovernmentAffair", verbose_name=_("urusan"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    form = models.CharField(_("bentuk inovasi"), max_length=20, choices=Innovation.Form.choices, blank=True)
    is_digital = models.BooleanField(_("inovasi digital"), default=False)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices, default=Source.OTHER)
    award = models.CharField(_("penghargaan"), max_length=200, blank=True)
    prerequisites = models.TextField(_("prasyarat replikasi"), blank=True)
    link = models.URLField(_("tautan"), max_length=500, blank=True)
    contact = models.CharField(_("kontak"), max_length=255, blank=True)
    continuity = models.CharField(
        _("keberlanjutan"), max_length=10, choices=Continuity.choices, default=Continuity.UNKNOWN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inovasi daerah lain")
        verbose_name_plural = _("katalog inovasi daerah lain")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "source_region", "name"], name="catalogue_unique_name_per_source",
                violation_error_message=_("Inovasi dengan nama ini dari pemda tersebut sudah ada di katalog."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.name} — {self.source_region}"

    def clean(self) -> None:
        if self.source_region_id and self.source_region_id == self.region_id:
            raise ValidationError({"source_region": _("Katalog ini untuk inovasi pemda lain.")})


class StudyVisit(TimeStampedModel):
    """A study visit (kunjungan kerja, studi tiru) to another region."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        DONE = "done", _("Terlaksana")
        CLOSED = "closed", _("Ditutup")
        CANCELLED = "cancelled", _("Dibatalkan")

    EDITABLE_STATES = frozenset({Status.PLANNED, Status.DONE})

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda tujuan"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("judul/tujuan kunjungan"), max_length=200)
    start_date = models.DateField(_("tanggal berangkat"))
    end_date = models.DateField(_("tanggal kembali"))
    leader = models.ForeignKey(
        "organisation.Official", verbose_name=_("ketua rombongan"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    delegation = models.ManyToManyField(
        "organisation.Official", verbose_name=_("anggota rombongan"), blank=True, related_name="study_visits"
    )
    hosts = models.TextField(
        _("pihak yang ditemui"), blank=True, help_text=_("Perangkat daerah atau pejabat tuan rumah.")
    )
    findings = models.TextField(_("temuan dan pelajaran"), blank=True)
    observed = models.ManyToManyField(
        CatalogueItem, verbose_name=_("inovasi yang diamati"), through="Observation", blank=True, related_name="visits"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("studi tiru")
        verbose_name_plural = _("studi tiru")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.destination})"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal kembali tidak boleh sebelum tanggal berangkat.")
        if self.destination_id and self.destination_id == self.region_id:
            errors["destination"] = _("Tujuan studi tiru adalah pemda lain.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES


class Observation(models.Model):
    """An innovation the delegation saw, with what it noted about it."""

    visit = models.ForeignKey(StudyVisit, on_delete=models.CASCADE, related_name="observations")
    item = models.ForeignKey(CatalogueItem, verbose_name=_("inovasi"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("catatan"), blank=True)
    worth_replicating = models.BooleanField(_("layak direplikasi"), default=False)

    class Meta:
        verbose_name = _("inovasi yang diamati")
        verbose_name_plural = _("inovasi yang diamati")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="observation_unique_item")]

    def __str__(self) -> str:
        return str(self.item)


class StudyVisitHistory(WorkflowEvent):
    visit = models.ForeignKey(StudyVisit, on_delete=models.CASCADE, related_name="history")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat studi tiru")
        verbose_name_plural = _("riwayat studi tiru")


class ReplicationQuerySet(RegionScopedQuerySet):
    def visible_to(self, user, region):
        """The region's own records and the linked adoptions of its innovations by other hosted
        regions (one row seen from both sides), for the region's staff."""
        if not user.is_authenticated or not user.has_any_role(STAFF_ROLES, region):
            return self.none()
        return self.filter(Q(region=region) | Q(partner_region=region, origin_innovation__isnull=False))

    def of_side(self, region, direction: str):
        """What `region` sees in one direction: inbound are its own inbound records; outbound its
        own outbound records plus the linked adoptions of its innovations by other regions."""
        if direction == Replication.Direction.INBOUND:
            return self.filter(region=region, direction=direction)
        return self.filter(
            Q(region=region, direction=direction) | Q(partner_region=region, origin_innovation__isnull=False)
        )


@dataclass(frozen=True)
class Side:
    """A replication as one region sees it: its innovation, the partner, the direction."""

    replication: Replication
    region_id: int
    is_origin: bool

    @property
    def innovation(self):
        return self.replication.origin_innovation if self.is_origin else self.replication.innovation

    @property
    def partner(self):
        return self.replication.region if self.is_origin else self.replication.partner_region

    @property
    def direction(self) -> str:
        return Replication.Direction.OUTBOUND if self.is_origin else self.replication.direction

    @property
    def is_outbound(self) -> bool:
        return self.direction == Replication.Direction.OUTBOUND

    def get_direction_display(self) -> str:
        return Replication.Direction(self.direction).label


class Replication(TimeStampedModel):
    """One replication: an innovation the region took from another region (inbound), or one of
    the region's innovations taken up by another region (outbound, with its agreement letter).

    An adoption from the shared catalogue (another hosted region's published innovation) is ONE
    linked record: `region` adopted `origin_innovation` of `partner_region` as its `innovation`.
    The origin region sees the same row as outbound (`Side`); both file its agreement as their
    indicator 31 evidence."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Kita mereplikasi inovasi pemda lain")
        OUTBOUND = "outbound", _("Inovasi kita direplikasi pemda lain")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        ACTIVE = "active", _("Berjalan")
        STOPPED = "stopped", _("Dihentikan")

    class Agreement(models.TextChoices):
        PKS = "pks", _("Perjanjian kerja sama (PKS)")
        MOU = "mou", _("Nota kesepahaman (MoU)")
        LETTER = "letter", _("Surat/korespondensi replikasi")
        STATEMENT = "statement", _("Surat pernyataan replikasi")

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(_("arah"), max_length=10, choices=Direction.choices)
    innovation = models.ForeignKey(
        "innovations.Innovation", verbose_name=_("inovasi kita"), on_delete=models.PROTECT,
        related_name="replication_records",
    )  # fmt: skip
    partner_region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda mitra"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        CatalogueItem, verbose_name=_("inovasi asal"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="replications",
    )  # fmt: skip
    started_on = models.DateField(_("mulai direplikasi"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    agreement_kind = models.CharField(_("jenis dokumen"), max_length=10, choices=Agreement.choices, blank=True)
    agreement_number = models.CharField(_("nomor dokumen"), max_length=120, blank=True)
    agreement_date = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    agreement_file = models.FileField(_("berkas dokumen"), upload_to=upload_path("replication"), blank=True)
    agreement_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    agreement_sha256 = models.CharField(max_length=64, blank=True)
    # The other hosted region's innovation this one replicates (the linked record of both sides).
    origin_innovation = models.ForeignKey(
        "innovations.Innovation", verbose_name=_("inovasi asal"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="linked_replications",
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ReplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("replikasi")
        verbose_name_plural = _("replikasi")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["innovation", "partner_region", "direction"], name="replication_unique_partner",
                violation_error_message=_("Replikasi inovasi ini dengan pemda tersebut sudah tercatat."),
            ),
            models.CheckConstraint(
                condition=Q(direction="inbound") | Q(item__isnull=True), name="replication_outbound_has_no_source_item"
            ),
            models.CheckConstraint(
                condition=Q(direction="inbound") | Q(origin_innovation__isnull=True),
                name="replication_linked_is_inbound",
            ),
            models.UniqueConstraint(
                fields=["region", "origin_innovation"], condition=Q(origin_innovation__isnull=False),
                name="replication_linked_once_per_region",
                violation_error_message=_("Inovasi asal ini sudah diadopsi oleh pemda ini."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.innovation} — {self.partner_region}"

    def clean(self) -> None:
        errors = {}
        if self.partner_region_id and self.partner_region_id == self.region_id:
            errors["partner_region"] = _("Pemda mitra adalah pemda lain.")
        if self.innovation_id and self.region_id and self.innovation.region_id != self.region_id:
            errors["innovation"] = _("Inovasi harus milik pemda ini.")
        if self.origin_innovation_id and self.origin_innovation.region_id != self.partner_region_id:
            errors["origin_innovation"] = _("Inovasi asal harus milik pemda mitra.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_outbound(self) -> bool:
        return self.direction == self.Direction.OUTBOUND

    @property
    def is_linked(self) -> bool:
        return self.origin_innovation_id is not None

    def side(self, region_id: int) -> Side:
        """The record as `region_id` sees it (the origin side of a linked record, or its own)."""
        return Side(self, region_id, self.is_linked and region_id == self.partner_region_id)

    @property
    def unit(self):
        # Read by core.predicates.operates_object_unit: the innovation's operators may keep it up to date.
        return self.innovation.unit


class ReplicationHistory(WorkflowEvent):
    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="history")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat replikasi")
        verbose_name_plural = _("riwayat replikasi")


class ReplicationEvidence(models.Model):
    """The agreement filed as indicator 31 evidence for one assessment year."""

    replication = models.ForeignKey(Replication, on_delete=models.CASCADE, related_name="evidence")
    # Whose evidence: the record's region, or the origin region of a linked record.
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("tahun penilaian"))
    # The assessment Document (the evidence library owns the file).
    document_id = models.PositiveBigIntegerField()
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("eviden replikasi")
        verbose_name_plural = _("eviden replikasi")
        constraints = [
            models.UniqueConstraint(
                fields=["replication", "region", "year"], name="replication_evidence_once_a_year_per_side"
            )
        ]

    def __str__(self) -> str:
        return f"{self.replication} ({self.year})"
