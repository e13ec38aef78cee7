"""A region's yearly IGA assessment: the innovations entered, the answer of every indicator row,
the evidence library, the verdict per row, cached index figures, the planner's actions and the
official results of past years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.roles import Role

# Roles that see every entry, row and action of their region's assessments.
READER_ROLES = frozenset({Role.ADMIN, Role.VERIFIER, Role.LEADER})
# Roles that use the evidence library.
LIBRARY_ROLES = frozenset({Role.ADMIN, Role.VERIFIER, Role.LEADER, Role.OPERATOR, Role.INNOVATOR})


def managed_innovations_q(user, region, prefix: str = "innovation__") -> Q:
    """Innovations the user works on: by unit (operators), team or authorship (as
    innovations.rules.manages_innovation, for a whole list at once)."""
    mine = Q(**{f"{prefix}created_by": user}) | Q(**{f"{prefix}team__user": user})
    if user.official_id:
        mine |= Q(**{f"{prefix}team__official_id": user.official_id})
    for path in user.operator_unit_paths(region):
        mine |= Q(**{f"{prefix}unit__path__startswith": path})
    return mine


def operated_units_q(user, region, field: str = "unit__path") -> Q | None:
    """Records whose unit lies in a subtree the user operates in `region` (a filter on the unit
    path `field`); None when the user operates no unit there."""
    paths = user.operator_unit_paths(region) if user.is_authenticated else []
    if not paths:
        return None
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    starts: dt.date | None
    ends: dt.date | None

    def contains(self, day: dt.date) -> bool:
        return bool(self.starts and self.ends and self.starts <= day <= self.ends)


class Assessment(TimeStampedModel):
    """One region's assessment for one year, under that year's framework."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        LOCKED = "locked", _("Dikunci")

    # The four stages of the national calendar, in order: (field prefix, label).
    STAGES = (
        ("collection", _("Penjaringan")),
        ("validation", _("Pengukuran dan validasi")),
        ("presentation", _("Presentasi kepala daerah")),
        ("field_check", _("Validasi lapangan")),
    )

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("tahun penilaian"))
    framework = models.ForeignKey(
        "frameworks.Framework", verbose_name=_("metodologi"), on_delete=models.PROTECT, related_name="assessments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    collection_starts = models.DateField(_("penjaringan mulai"), null=True, blank=True)
    collection_ends = models.DateField(_("penjaringan selesai"), null=True, blank=True)
    validation_starts = models.DateField(_("validasi mulai"), null=True, blank=True)
    validation_ends = models.DateField(_("validasi selesai"), null=True, blank=True)
    presentation_starts = models.DateField(_("presentasi mulai"), null=True, blank=True)
    presentation_ends = models.DateField(_("presentasi selesai"), null=True, blank=True)
    field_check_starts = models.DateField(_("validasi lapangan mulai"), null=True, blank=True)
    field_check_ends = models.DateField(_("validasi lapangan selesai"), null=True, blank=True)

    # Cached results of the index engine, refreshed whenever an answer changes
    # (see scoring.assessment_recompute): {"claimed": {...}, "verified": {...}}.
    figures = models.JSONField(_("angka indeks"), default=dict, blank=True)
    claimed_iid = models.DecimalField(_("IID klaim"), max_digits=5, decimal_places=2, null=True, blank=True)
    verified_iid = models.DecimalField(_("IID terverifikasi"), max_digits=5, decimal_places=2, null=True, blank=True)
    figures_updated_at = models.DateTimeField(_("angka diperbarui"), null=True, blank=True)
    # Optional modules for the later stages, turned on when the region is a nominator.
    presentation_enabled = models.BooleanField(_("lembar nilai presentasi"), default=False)
    field_check_enabled = models.BooleanField(_("daftar periksa validasi lapangan"), default=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("penilaian IGA")
        verbose_name_plural = _("penilaian IGA")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="assessment_unique_region_year")]

    def __str__(self) -> str:
        return _("Penilaian IGA %(year)s — %(region)s") % {"year": self.year, "region": self.region}

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def assessment(self) -> Assessment:
        # Lets permission predicates treat an assessment and the things inside it alike.
        return self

    @property
    def stages(self) -> list[Stage]:
        return [
            Stage(code, label, getattr(self, f"{code}_starts"), getattr(self, f"{code}_ends"))
            for code, label in self.STAGES
        ]

    def current_stage(self, today: dt.date | None = None) -> Stage | None:
        today = today or timezone.localdate()
        return next((stage for stage in self.stages if stage.contains(today)), None)

    def next_deadline(self, today: dt.date | None = None) -> Stage | None:
        """The stage whose end date comes next (today included)."""
        today = today or timezone.localdate()
        upcoming = [stage for stage in self.stages if stage.ends and stage.ends >= today]
        return min(upcoming, key=lambda stage: stage.ends) if upcoming else None

    def days_left(self, today: dt.date | None = None) -> int | None:
        today = today or timezone.localdate()
        stage = self.next_deadline(today)
        return (stage.ends - today).days if stage else None

    def projection(self, name: str) -> dict:
        return self.figures.get(name, {})


class AssessmentEvent(WorkflowEvent):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat penilaian")
        verbose_name_plural = _("riwayat penilaian")


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user, region):
        """Entries of `region` the user may open (assessment.view_entry as a query)."""
        queryset = self.filter(assessment__region=region)
        if not user.is_authenticated:
            return queryset.none()
        if user.has_any_role(READER_ROLES, region):
            return queryset
        return queryset.filter(pk__in=queryset.filter(managed_innovations_q(user, region)).values("pk"))


class Entry(models.Model):
    """An innovation entered in a year's assessment, with the result of the eligibility check."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="entries")
    innovation = models.ForeignKey(
        "innovations.Innovation", verbose_name=_("inovasi"), on_delete=models.PROTECT, related_name="assessment_entries"
    )
    is_eligible = models.BooleanField(_("memenuhi syarat"), default=False)
    # [{"code": "window", "params": {...}}, ...]: rendered in the reader's language (eligibility.py).
    eligibility_reasons = models.JSONField(_("alasan tidak memenuhi syarat"), default=list, blank=True)
    checked_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("didaftarkan"), auto_now_add=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("inovasi yang diikutkan")
        verbose_name_plural = _("inovasi yang diikutkan")
        ordering = ["innovation__name"]
        constraints = [models.UniqueConstraint(fields=["assessment", "innovation"], name="entry_unique_innovation")]

    def __str__(self) -> str:
        return str(self.innovation)

    @property
    def region_id(self) -> int:
        return self.assessment.region_id

    def reasons(self) -> list[str]:
        from .eligibility import describe

        return [describe(reason) for reason in self.eligibility_reasons]

    def maturities(self) -> dict[str, Decimal]:
        """{"claimed": ..., "verified": ...}: Σ weight × level of the rows (one query)."""
        from .scoring import PROJECTIONS, entry_maturities

        return entry_maturities(entries=Q(entry=self)).get(self.pk, dict.fromkeys(PROJECTIONS, Decimal(0)))


class ThroughEntry:
    """For records that belong to an entered innovation: the assessment, region and innovation
    that permission predicates read."""

    @property
    def assessment(self) -> Assessment:
        return self.entry.assessment

    @property
    def region_id(self) -> int:
        return self.entry.assessment.region_id

    @property
    def innovation(self):
        return self.entry.innovation


class RowStatus(models.TextChoices):
    MISSING = "missing", _("Belum diisi")
    CLAIMED = "claimed", _("Diklaim")
    ACCEPTED = "accepted", _("Sesuai")
    REJECTED = "rejected", _("Tidak sesuai")
    RESUBMITTED = "resubmitted", _("Diajukan ulang")


# States in which the unit has declared a level that a verifier has not yet judged.
AWAITING_VERDICT = frozenset({RowStatus.CLAIMED, RowStatus.RESUBMITTED})
# Row events that declare a level (a claim), and those that change what a verdict rests on.
CLAIM_ACTIONS = ("claim", "revise", "resubmit", "amend")
CHANGE_ACTIONS = (*CLAIM_ACTIONS, "attach", "detach", "replace_evidence")


class RejectReason(models.TextChoices):
    """The standard reasons a verifier gives for "tidak sesuai" (mirrors the national QC)."""

    WRONG_DOCUMENT = "wrong_document", _("Dokumen tidak sesuai dengan indikator")
    LEVEL_NOT_SUPPORTED = "level_not_supported", _("Eviden tidak mendukung parameter yang dipilih")
    WRONG_YEAR = "wrong_year", _("Tahun dokumen tidak sesuai ketentuan (T-0/T-1/T-2)")
    NAME_MISSING = "name_missing", _("Nama inovasi tidak tercantum dalam dokumen")
    NOT_SIGNED = "not_signed", _("Dokumen belum ditandatangani atau disahkan")
    INCOMPLETE = "incomplete", _("Dokumen tidak lengkap (halaman atau lampiran kurang)")
    UNREADABLE = "unreadable", _("Dokumen tidak terbaca atau buram")
    LINK_BROKEN = "link_broken", _("Tautan tidak dapat dibuka")
    OTHER = "other", _("Lainnya (lihat catatan)")


class AnswerBase(models.Model):
    """One scoring row: a level 0..3 (0 = not filled), or a measured value from which the level
    follows by the indicator's thresholds, plus the verifier's verdict."""

    indicator = models.ForeignKey(
        "frameworks.Indicator", verbose_name=_("indikator"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("parameter"), default=0)
    measured_value = models.DecimalField(_("nilai terukur"), max_digits=16, decimal_places=4, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RowStatus.choices, default=RowStatus.MISSING)
    # The level a verifier accepted that still stands: the row's level while accepted; kept while a
    # raised claim waits for its decision (lowered with a lower claim), 0 once rejected or reopened.
    # The verified index counts this, so asking for more never lowers it before a decision.
    accepted_level = models.PositiveSmallIntegerField(_("parameter yang sudah sesuai"), default=0)
    verdict_reason = models.CharField(_("alasan"), max_length=30, choices=RejectReason.choices, blank=True)
    verdict_note = models.TextField(_("catatan verifikator"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        abstract = True
        constraints = []

    @property
    def is_accepted(self) -> bool:
        return self.status == RowStatus.ACCEPTED

    @property
    def score(self):
        return self.indicator.weight * self.level

    def author_ids(self) -> set[int]:
        """Who made the current claim and who last changed the answer or its evidence, read from
        the row's events: the people who may not judge it (separation of duties)."""
        changes = self.events.filter(action__in=CHANGE_ACTIONS).order_by("-created_at", "-id")
        last_change = changes.values_list("actor_id", flat=True).first()
        last_claim = changes.filter(action__in=CLAIM_ACTIONS).values_list("actor_id", flat=True).first()
        return {actor for actor in (last_change, last_claim) if actor}


class RegionAnswerQuerySet(models.QuerySet):
    def operated_by(self, user, region):
        """SPD rows whose responsible unit the user operates (directly or from a unit above it)."""
        units = operated_units_q(user, region)
        return self.filter(units) if units is not None else self.none()


class RegionAnswer(AnswerBase):
    """A region-level (SPD) row of an assessment. The admin answers it, or makes a unit responsible
    for it (DPMPTSP for permits, Bapenda for PAD ...), whose operators then answer it."""

    scope = "spd"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="region_answers")
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("perangkat daerah penanggung jawab"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="region_answers",
    )

    objects = RegionAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("jawaban indikator SPD")
        verbose_name_plural = _("jawaban indikator SPD")
        ordering = ["indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="region_answer_unique_row"),
            models.CheckConstraint(condition=Q(level__lte=3), name="region_answer_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.assessment.region}"

    @property
    def region_id(self) -> int:
        return self.assessment.region_id

    @property
    def innovation(self):
        return None

    @property
    def basis(self):
        return None


class Answer(ThroughEntry, AnswerBase):
    """An innovation-level (SID) row of an entered innovation."""

    scope = "inovasi"

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    # The entry's assessment, copied when the row is made (an entry never moves to another
    # assessment), so a year's figures aggregate this table without joining the entries. Code
    # reads `assessment` (through the entry); only scoring.py reads this copy.
    scoring_assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+", editable=False)
    # Indicator 33 (kemanfaatan) is measured on one of several bases.
    basis = models.ForeignKey(
        "frameworks.BenefitBasis",
        verbose_name=_("dasar pengukuran"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("jawaban indikator inovasi")
        verbose_name_plural = _("jawaban indikator inovasi")
        ordering = ["indicator__order"]
        # The verification queue and the overview's counts read one assessment's rows by state,
        # the queue oldest first: through this index, not by scanning every region's answers.
        indexes = [
            models.Index(fields=["scoring_assessment", "status", "updated_at"], name="answer_queue_idx"),
            # The queue's page, oldest waiting row first, read in index order and stopped after a
            # page instead of sorting every waiting row of a 1,000-innovation region.
            models.Index(
                fields=["scoring_assessment", "updated_at", "id"],
                condition=Q(status__in=sorted(AWAITING_VERDICT)),
                name="answer_awaiting_oldest_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["entry", "indicator"], name="answer_unique_row"),
            models.CheckConstraint(condition=Q(level__lte=3), name="answer_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} — {self.entry.innovation}"


class IndicatorLevelSum(models.Model):
    """Σ level of one indicator's rows over an assessment's eligible innovations, per projection
    (the CASE logic of scoring._level_sums_sql), so the figures read ~20 rows per region instead of
    every answer. Kept exact by database triggers on the answer and entry tables (migration
    0010), whatever writes them; levels, not scores, so an edited weight needs no rebuild.
    scoring.rebuild_level_sums recomputes them from scratch (ADR 0010)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey("frameworks.Indicator", on_delete=models.CASCADE, related_name="+")
    claimed = models.IntegerField(default=0)
    expected = models.IntegerField(default=0)
    verified = models.IntegerField(default=0)

    class Meta:
        # Internal bookkeeping, never shown (not in the admin): no verbose name to translate.
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="level_sum_unique_row")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.indicator_id}: {self.claimed}/{self.expected}/{self.verified}"


class AffairCount(models.Model):
    """How many of an assessment's eligible innovations have this government affair as their main
    affair, and how many among their related affairs: the count of eligible innovations (Σ main)
    and the basic services covered, without joining every entry to its innovation. Kept by the
    same triggers (on entries, innovations and their related affairs; ADR 0010)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    affair = models.ForeignKey("innovations.GovernmentAffair", on_delete=models.CASCADE, related_name="+")
    main = models.IntegerField(default=0)
    related = models.IntegerField(default=0)

    class Meta:
        # Internal bookkeeping, never shown (not in the admin): no verbose name to translate.
        constraints = [models.UniqueConstraint(fields=["assessment", "affair"], name="affair_count_unique_row")]

    def __str__(self) -> str:
        return f"{self.assessment_id}/{self.affair_id}: {self.main}/{self.related}"


class RegionAnswerEvent(WorkflowEvent):
    answer = models.ForeignKey(RegionAnswer, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat jawaban SPD")
        verbose_name_plural = _("riwayat jawaban SPD")


class AnswerEvent(WorkflowEvent):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat jawaban inovasi")
        verbose_name_plural = _("riwayat jawaban inovasi")


class DocumentQuerySet(models.QuerySet):
    def current(self):
        return self.filter(replaced_by__isnull=True)

    def visible_to(self, user, region):
        if not user.is_authenticated or not user.has_any_role(LIBRARY_ROLES, region):
            return self.none()
        return self.filter(region=region)


class PrecheckStatus(models.TextChoices):
    PENDING = "pending", _("Sedang diperiksa")
    PASSED = "passed", _("Lolos pra-periksa")
    WARNINGS = "warnings", _("Ada temuan")
    SKIPPED = "skipped", _("Tidak diperiksa otomatis")
    UNAVAILABLE = "unavailable", _("Pemeriksa otomatis tidak tersedia")


class Document(models.Model):
    """A piece of evidence in the region's library: a checked file or a link, uploaded once and
    attachable to any number of rows. Replacing it makes a new version; the old one stays."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF")
        IMAGE = "image", _("Gambar")
        VIDEO = "video", _("Video")
        EXCEL = "excel", _("Excel")
        WORD = "word", _("Word")
        SLIDES = "slides", _("PowerPoint")
        LINK = "link", _("Tautan")

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="evidence_documents"
    )
    title = models.CharField(_("judul"), max_length=255)
    number = models.CharField(_("nomor"), max_length=120, blank=True)
    issued_on = models.DateField(_("tanggal"), null=True, blank=True)
    subject = models.CharField(_("tentang/perihal"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("berkas"), upload_to=upload_path("evidence"), blank=True)
    link = models.URLField(_("tautan"), max_length=500, blank=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # Which part of the system filed it, e.g. "events" for an attendance list of a bimtek.
    source = models.CharField(_("asal"), max_length=40, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("versi sebelumnya"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    # The automatic pre-check of a file (precheck.py, in the worker): what was read from it and
    # the signs of a wrong document. It informs; it never blocks.
    precheck_status = models.CharField(
        _("hasil pra-periksa"), max_length=12, choices=PrecheckStatus.choices, blank=True, default=""
    )
    precheck = models.JSONField(_("temuan pra-periksa"), default=dict, blank=True)
    precheck_checked_at = models.DateTimeField(_("dipra-periksa"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen eviden")
        verbose_name_plural = _("dokumen eviden")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "sha256"], condition=~Q(sha256=""), name="document_unique_checksum_per_region"
            ),
            models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="document_has_file_or_link"),
        ]
        indexes = [models.Index(fields=["region", "year"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return self.kind == self.Kind.LINK

    @cached_property
    def version(self) -> int:
        number, current = 1, self
        while current.replaces_id:
            number += 1
            current = current.replaces
        return number

    @property
    def is_current(self) -> bool:
        try:
            self.replaced_by  # noqa: B018 - the reverse one-to-one raises when there is none
        except Document.DoesNotExist:
            return True
        return False


class EvidenceLink(models.Model):
    """A document attached to one row (an innovation row or an SPD row)."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_links")
    region_answer = models.ForeignKey(
        RegionAnswer, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence_links"
    )
    attached_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(_("dilampirkan"), auto_now_add=True)

    class Meta:
        verbose_name = _("eviden terlampir")
        verbose_name_plural = _("eviden terlampir")
        ordering = ["attached_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer__isnull=False, region_answer__isnull=True)
                | Q(answer__isnull=True, region_answer__isnull=False),
                name="evidence_link_one_row",
            ),
            models.UniqueConstraint(
                fields=["document", "answer"], condition=Q(answer__isnull=False), name="evidence_link_unique_answer"
            ),
            models.UniqueConstraint(
                fields=["document", "region_answer"],
                condition=Q(region_answer__isnull=False),
                name="evidence_link_unique_region_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.row}"

    @property
    def row(self) -> AnswerBase:
        return self.answer if self.answer_id else self.region_answer


class OfficialResult(models.Model):
    """The result the ministry published for the region in a year, entered by the admin."""

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="official_results"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    iid = models.DecimalField(_("nilai IID"), max_digits=5, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("peringkat"), null=True, blank=True)
    rank_scope = models.CharField(
        _("klaster peringkat"), max_length=80, blank=True, help_text=_("Misalnya: kabupaten, nasional.")
    )
    predicate = models.CharField(_("predikat"), max_length=40, blank=True)
    decree = models.CharField(_("dasar penetapan"), max_length=200, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("dicatat"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hasil resmi IGA")
        verbose_name_plural = _("hasil resmi IGA")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="official_result_unique_year")]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class PresentationSheet(TimeStampedModel):
    """A score sheet of the head of region's presentation (the third stage): the result the
    national panel gave, or a rehearsal scored by internal reviewers, on the aspects and weights
    of the year (copied onto the sheet's scores, so later edits of the data keep old sheets)."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Hasil panel penilai nasional")
        REHEARSAL = "rehearsal", _("Gladi, dinilai penilai internal")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="presentation_sheets")
    kind = models.CharField(_("jenis lembar"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("tanggal presentasi"))
    scorer = models.CharField(_("penilai"), max_length=200)
    aspects_year = models.PositiveSmallIntegerField(_("aspek dan bobot tahun"))
    aspects_confirmed = models.BooleanField(_("bobot terkonfirmasi untuk tahun ini"), default=True)
    total = models.DecimalField(_("nilai tertimbang"), max_digits=5, decimal_places=2)
    notes = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("lembar nilai presentasi")
        verbose_name_plural = _("lembar nilai presentasi")
        ordering = ["kind", "-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"], condition=Q(kind="official"), name="presentation_one_official_sheet"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"

    @property
    def region_id(self) -> int:
        return self.assessment.region_id

    @property
    def is_official(self) -> bool:
        return self.kind == self.Kind.OFFICIAL


class PresentationScore(models.Model):
    """One aspect of a sheet: its name and weight as they were when scored, and the score 0..100."""

    sheet = models.ForeignKey(PresentationSheet, on_delete=models.CASCADE, related_name="scores")
    code = models.CharField(max_length=40)
    name = models.CharField(_("aspek"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=5, decimal_places=2)
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("nilai aspek presentasi")
        verbose_name_plural = _("nilai aspek presentasi")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="presentation_score_unique_aspect"),
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=100), name="presentation_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.score}"


class PresentationSheetEvent(WorkflowEvent):
    sheet = models.ForeignKey(PresentationSheet, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat lembar presentasi")
        verbose_name_plural = _("riwayat lembar presentasi")


class FieldCheck(ThroughEntry, TimeStampedModel):
    """A presented innovation on the field-check list (the fourth stage): is it on the ground as
    presented? The notes and photos back the answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Belum diperiksa")
        FOUND = "found", _("Ada di lapangan")
        NOT_FOUND = "not_found", _("Tidak ditemukan")

    entry = models.OneToOneField(Entry, verbose_name=_("inovasi"), on_delete=models.PROTECT, related_name="field_check")
    status = models.CharField(_("hasil"), max_length=10, choices=Status.choices, default=Status.PENDING)
    notes = models.TextField(_("catatan"), blank=True)
    checked_on = models.DateField(_("tanggal pemeriksaan"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    photos = models.ManyToManyField(Document, verbose_name=_("foto"), blank=True, related_name="field_checks")

    class Meta:
        verbose_name = _("validasi lapangan")
        verbose_name_plural = _("validasi lapangan")
        ordering = ["entry__innovation__name"]

    def __str__(self) -> str:
        return str(self.entry)


class FieldCheckEvent(WorkflowEvent):
    field_check = models.ForeignKey(FieldCheck, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat validasi lapangan")
        verbose_name_plural = _("riwayat validasi lapangan")
