"""Innovation competitions: the call with its tracks and rounds (phases), proposal sections,
rubrics, entries, judges with their assignments and score cards, results and certificates."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.text import word_count

from .phases import CAPABILITIES, SCORING_KINDS, PhaseKind


class Track(models.TextChoices):
    UNITS = "units", _("Perangkat daerah")
    CIVIL_SERVANTS = "civil_servants", _("ASN")
    CITIZENS = "citizens", _("Masyarakat umum")
    STUDENTS = "students", _("Pelajar dan mahasiswa")


# Tracks entered from a citizen account; the others from a staff account of the region.
PUBLIC_TRACKS = frozenset({Track.CITIZENS, Track.STUDENTS})


def _token() -> str:
    return secrets.token_urlsafe(18)


class CompetitionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=Competition.PUBLIC_STATES)


class Competition(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        PUBLISHED = "published", _("Diumumkan")
        RESULTS = "results", _("Hasil diumumkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Rata-rata nilai juri")
        ZSCORE = "zscore", _("Rata-rata nilai-z per juri (meredam juri yang terlalu keras atau lunak)")

    PUBLIC_STATES = frozenset({Status.PUBLISHED, Status.RESULTS})
    # Settings that shape judging may change only before the call is published.
    EDITABLE_STATES = frozenset({Status.DRAFT})

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="competitions"
    )
    title = models.CharField(_("nama lomba"), max_length=200)
    year = models.PositiveSmallIntegerField(_("tahun"), validators=[MinValueValidator(2015), MaxValueValidator(2100)])
    description = models.TextField(_("uraian"))
    eligibility = models.TextField(_("ketentuan peserta"), blank=True)
    tracks = models.JSONField(_("kategori peserta"), default=list)
    organiser = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("penyelenggara"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    blind = models.BooleanField(
        _("penilaian tanpa nama"), default=False, help_text=_("Juri tidak melihat nama dan asal peserta.")
    )
    aggregation = models.CharField(
        _("cara menggabungkan nilai juri"), max_length=10, choices=Aggregation.choices, default=Aggregation.ZSCORE
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("juri per proposal"), default=3, validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    winners_per_track = models.PositiveSmallIntegerField(
        _("jumlah juara per kategori"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    honourable_per_track = models.PositiveSmallIntegerField(
        _("jumlah juara harapan per kategori"), default=3, validators=[MaxValueValidator(10)]
    )
    entries_per_entrant = models.PositiveSmallIntegerField(
        _("proposal per peserta"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=200, blank=True)
    signatory_position = models.CharField(_("jabatan penanda tangan"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("NIP penanda tangan"), max_length=18, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(_("diumumkan"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("hasil diumumkan"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CompetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("lomba inovasi")
        verbose_name_plural = _("lomba inovasi")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    @property
    def track_choices(self) -> list[tuple[str, str]]:
        return [(track, Track(track).label) for track in self.tracks]

    @property
    def track_labels(self) -> list[str]:
        return [label for _code, label in self.track_choices]

    @cached_property
    def round_list(self) -> list[Round]:
        """The rounds in order (uses a prefetch of `rounds` when there is one)."""
        return sorted(self.rounds.all(), key=lambda r: r.order)

    @property
    def scoring_rounds(self) -> list[Round]:
        return [r for r in self.round_list if r.is_scoring]

    def round_of_kind(self, kind: str) -> Round | None:
        return next((r for r in self.round_list if r.kind == kind), None)

    def open_round(self, now=None) -> Round | None:
        now = now or timezone.now()
        return next((r for r in self.round_list if r.is_open(now)), None)

    def capabilities(self, now=None) -> frozenset[str]:
        """What the open round makes possible now; nothing unless the call is published."""
        if self.status != self.Status.PUBLISHED:
            return frozenset()
        current = self.open_round(now)
        return current.capabilities if current else frozenset()

    @property
    def submission_round(self) -> Round | None:
        return self.round_of_kind(PhaseKind.SUBMISSION)


class RoundQuerySet(models.QuerySet):
    def open_at(self, now):
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def finished(self, now):
        return self.filter(closes_at__lte=now)

    def upcoming(self, now):
        return self.filter(opens_at__gt=now)

    def scoring(self):
        return self.filter(kind__in=SCORING_KINDS)


class Round(models.Model):
    """A time-boxed phase of a competition; its kind declares what it makes possible."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Belum dibuka")
        OPEN = "open", _("Berlangsung")
        CLOSED = "closed", _("Ditutup")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("jenis babak"), max_length=20, choices=PhaseKind.choices)
    name = models.CharField(_("nama babak"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"))
    opens_at = models.DateTimeField(_("dibuka"))
    closes_at = models.DateTimeField(_("ditutup"))
    rubric = models.ForeignKey(
        "Rubric", verbose_name=_("rubrik"), on_delete=models.PROTECT, null=True, blank=True, related_name="rounds"
    )
    weight = models.DecimalField(
        _("bobot pada nilai akhir"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    advance_count = models.PositiveSmallIntegerField(
        _("jumlah yang lanjut per kategori"),
        null=True,
        blank=True,
        help_text=_("Kosongkan bila semua peserta babak ini lanjut ke babak berikutnya."),
    )
    advanced_at = models.DateTimeField(_("peserta lanjut ditetapkan"), null=True, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("babak")
        verbose_name_plural = _("babak")
        ordering = ["competition", "order"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "order"], name="round_unique_order"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"),
        ]

    def __str__(self) -> str:
        return f"{self.competition}: {self.title}"

    @property
    def title(self) -> str:
        return self.name or str(PhaseKind(self.kind).label)

    @property
    def region_id(self) -> int:
        return self.competition.region_id

    @property
    def capabilities(self) -> frozenset[str]:
        return CAPABILITIES[self.kind]

    @property
    def is_scoring(self) -> bool:
        return self.kind in SCORING_KINDS

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.UPCOMING
        return self.State.OPEN if now < self.closes_at else self.State.CLOSED

    def get_state_display(self) -> str:
        return self.State(self.state()).label

    @property
    def next_scoring_round(self) -> Round | None:
        return next((r for r in self.competition.scoring_rounds if r.order > self.order), None)


# Innovation fields a proposal section may fill when a winner becomes an innovation record.
INNOVATION_FIELD_CHOICES = [
    ("problem", _("Permasalahan")),
    ("strategic_issue", _("Isu strategis")),
    ("method", _("Metode pembaharuan")),
    ("novelty", _("Keunggulan dan kebaharuan")),
    ("workflow", _("Cara kerja inovasi")),
    ("goals", _("Tujuan inovasi")),
    ("benefits", _("Manfaat yang diperoleh")),
    ("results", _("Hasil inovasi")),
]


class Section(models.Model):
    """A part of the proposal, with a word limit (for example "Ringkasan, maks. 200 kata")."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("judul bagian"), max_length=200)
    guidance = models.TextField(_("petunjuk pengisian"), blank=True)
    word_limit = models.PositiveSmallIntegerField(
        _("batas kata"), default=400, validators=[MinValueValidator(20), MaxValueValidator(5000)]
    )
    required = models.BooleanField(_("wajib diisi"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    maps_to = models.CharField(
        _("mengisi data inovasi"),
        max_length=20,
        choices=INNOVATION_FIELD_CHOICES,
        blank=True,
        help_text=_("Bila pemenang dijadikan data inovasi, isi bagian ini masuk ke kolom tersebut."),
    )

    class Meta:
        verbose_name = _("bagian proposal")
        verbose_name_plural = _("bagian proposal")
        ordering = ["competition", "order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return str(self.pk)


class Rubric(TimeStampedModel):
    """Criteria with weights and a scale; a round judges with one rubric."""

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nama rubrik"), max_length=200)
    description = models.TextField(_("keterangan"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("nilai terendah"), default=1, validators=[MaxValueValidator(10)])
    scale_max = models.PositiveSmallIntegerField(
        _("nilai tertinggi"), default=5, validators=[MinValueValidator(2), MaxValueValidator(100)]
    )
    preset = models.CharField(_("templat asal"), max_length=30, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("rubrik")
        verbose_name_plural = _("rubrik")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(scale_max__gt=models.F("scale_min")), name="rubric_scale_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> range:
        return range(self.scale_min, self.scale_max + 1)

    @property
    def is_locked(self) -> bool:
        """A rubric that judges have scored with no longer changes (copy it instead)."""
        return Score.objects.filter(criterion__rubric=self).exists()


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("kriteria"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    weight = models.DecimalField(
        _("bobot"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    # One description per score of the rubric's scale, lowest first.
    levels = models.JSONField(_("uraian tiap nilai"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kriteria")
        verbose_name_plural = _("kriteria")
        ordering = ["rubric", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")]

    def __str__(self) -> str:
        return self.name

    def level_choices(self) -> list[tuple[int, str]]:
        """(score, description) for each score of the scale."""
        rubric = self.rubric
        return [
            (score, self.levels[index] if index < len(self.levels) else "") for index, score in enumerate(rubric.scale)
        ]


class EntryQuerySet(models.QuerySet):
    def sent(self):
        """Entries that were submitted (whatever happened to them afterwards)."""
        return self.exclude(status__in=[Entry.Status.DRAFT, Entry.Status.WITHDRAWN])

    def in_round(self, round_: Round):
        """Entries that took part in a scoring round."""
        return self.filter(
            competition_id=round_.competition_id,
            reached_round__order__gte=round_.order,
            status__in=[Entry.Status.ELIGIBLE, Entry.Status.ELIMINATED],
        )

    def of_entrant(self, user):
        """Entries the user sent, and the entries of the units the user operates."""
        if not user.is_authenticated:
            return self.none()
        query = Q(entrant=user)
        for path in {a.unit.path for a in user.active_roles if a.unit_id}:
            query |= Q(track=Track.UNITS, unit__path__startswith=path)
        return self.filter(query)


class Entry(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Terkirim")
        ELIGIBLE = "eligible", _("Lolos administrasi")
        INELIGIBLE = "ineligible", _("Tidak lolos administrasi")
        ELIMINATED = "eliminated", _("Tidak lanjut ke babak berikutnya")
        WITHDRAWN = "withdrawn", _("Ditarik")

    # The entrant may change the proposal in these states (while the submission round is open).
    EDITABLE_STATES = frozenset({Status.DRAFT, Status.SUBMITTED})

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="entries")
    track = models.CharField(_("kategori"), max_length=20, choices=Track.choices)
    number = models.PositiveIntegerField(_("nomor peserta"), null=True, blank=True)
    title = models.CharField(_("judul inovasi"), max_length=200)
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun peserta"),
        on_delete=models.PROTECT,
        related_name="competition_entries",
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="competition_entries",
    )
    official = models.ForeignKey(
        "organisation.Official",
        verbose_name=_("ASN"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entrant_name = models.CharField(_("nama peserta atau tim"), max_length=200)
    institution = models.CharField(_("asal sekolah, kampus, atau komunitas"), max_length=200, blank=True)
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=20, blank=True)
    team = models.TextField(_("anggota tim"), blank=True, help_text=_("Satu nama per baris."))
    affair = models.ForeignKey(
        "innovations.GovernmentAffair",
        verbose_name=_("urusan pemerintahan terkait"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("data inovasi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="competition_entries",
    )
    answers = models.JSONField(_("isi proposal"), default=dict, blank=True)
    video_url = models.URLField(_("tautan video"), blank=True)
    publish_consent = models.BooleanField(_("bersedia diumumkan"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    receipt_code = models.CharField(_("nomor tanda terima"), max_length=40, unique=True, null=True, blank=True)
    content_sha256 = models.CharField(_("sidik isi proposal"), max_length=64, blank=True)
    reached_round = models.ForeignKey(
        Round, verbose_name=_("babak yang dicapai"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal lomba")
        verbose_name_plural = _("proposal lomba")
        ordering = ["competition", "number", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "number"], name="entry_unique_number"),
        ]
        indexes = [models.Index(fields=["competition", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def region_id(self) -> int:
        return self.competition.region_id

    @property
    def label(self) -> str:
        """How judges in blind mode see the entry."""
        return _("Proposal #%(number)03d") % {"number": self.number or 0}

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    def answer(self, section: Section) -> str:
        return self.answers.get(section.key, "")

    def answer_words(self, section: Section) -> int:
        return word_count(self.answer(section))

    @property
    def team_names(self) -> list[str]:
        return [line.strip() for line in self.team.splitlines() if line.strip()]


class EntryAttachment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("keterangan"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=upload_path("competitions/entries"))
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran proposal")
        verbose_name_plural = _("lampiran proposal")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def region_id(self) -> int:
        return self.entry.competition.region_id


class EntryEvent(WorkflowEvent):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat proposal")
        verbose_name_plural = _("riwayat proposal")


class CompetitionEvent(WorkflowEvent):
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat lomba")
        verbose_name_plural = _("riwayat lomba")


class Panel(models.Model):
    """A group of judges for one round; the lead judge follows its progress."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("nama panel"), max_length=120)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("juri"), related_name="competition_panels"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ketua panel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("panel juri")
        verbose_name_plural = _("panel juri")
        ordering = ["round", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def region_id(self) -> int:
        return self.round.competition.region_id


class ConflictDeclaration(models.Model):
    """A judge's own statement of a conflict of interest, with an entry or with a unit."""

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="conflicts")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(Entry, verbose_name=_("proposal"), on_delete=models.CASCADE, null=True, blank=True)
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, null=True, blank=True
    )
    reason = models.TextField(_("alasan"))
    declared_at = models.DateTimeField(_("dinyatakan"), auto_now_add=True)

    class Meta:
        verbose_name = _("pernyataan konflik kepentingan")
        verbose_name_plural = _("pernyataan konflik kepentingan")
        ordering = ["-declared_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False) | Q(unit__isnull=False), name="conflict_names_entry_or_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge}: {self.entry or self.unit}"


class JudgeAssignment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktif")
        RECUSED = "recused", _("Mundur (konflik kepentingan)")

    class Method(models.TextChoices):
        AUTO = "auto", _("Otomatis")
        MANUAL = "manual", _("Manual")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="judge_assignments")
    panel = models.ForeignKey(Panel, on_delete=models.SET_NULL, null=True, blank=True, related_name="assignments")
    method = models.CharField(_("cara penugasan"), max_length=8, choices=Method.choices, default=Method.AUTO)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    recusal_reason = models.TextField(_("alasan mundur"), blank=True)
    recused_at = models.DateTimeField(_("mundur pada"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("penugasan juri")
        verbose_name_plural = _("penugasan juri")
        ordering = ["round", "entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "entry", "judge"], name="assignment_unique_judge_per_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.judge} → {self.entry}"

    @property
    def region_id(self) -> int:
        return self.round.competition.region_id

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class ScoreCard(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Terkirim")

    assignment = models.OneToOneField(JudgeAssignment, on_delete=models.CASCADE, related_name="card")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("catatan umum juri"), blank=True)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lembar nilai")
        verbose_name_plural = _("lembar nilai")

    def __str__(self) -> str:
        return str(self.assignment)

    @property
    def region_id(self) -> int:
        return self.assignment.round.competition.region_id


class Score(models.Model):
    card = models.ForeignKey(ScoreCard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(_("nilai"))
    comment = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("nilai")
        verbose_name_plural = _("nilai")
        constraints = [models.UniqueConstraint(fields=["card", "criterion"], name="score_unique_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ScoreChange(models.Model):
    """Append-only log of every change to a score or a comment on a card."""

    card = models.ForeignKey(ScoreCard, on_delete=models.CASCADE, related_name="changes")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    field = models.CharField(max_length=10)  # "value" or "comment"
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("perubahan nilai")
        verbose_name_plural = _("perubahan nilai")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old} → {self.new}"


class ScoreCardEvent(WorkflowEvent):
    card = models.ForeignKey(ScoreCard, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat lembar nilai")
        verbose_name_plural = _("riwayat lembar nilai")


class Result(models.Model):
    """An entry's place in the published ranking of its track, with the computation behind it."""

    class Prize(models.TextChoices):
        WINNER = "winner", _("Juara")
        HONOURABLE = "honourable", _("Juara harapan")
        NONE = "none", _("Peserta")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="results")
    entry = models.OneToOneField(Entry, on_delete=models.CASCADE, related_name="result")
    track = models.CharField(_("kategori"), max_length=20, choices=Track.choices)
    rank = models.PositiveSmallIntegerField(_("peringkat"))
    prize = models.CharField(_("predikat"), max_length=12, choices=Prize.choices, default=Prize.NONE)
    prize_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    final_score = models.DecimalField(_("nilai akhir"), max_digits=7, decimal_places=2, null=True, blank=True)
    # {"rounds": [{"round": id, "title": ..., "score": "81.20", ...}], "decided_by": "final"}
    breakdown = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("hasil lomba")
        verbose_name_plural = _("hasil lomba")
        ordering = ["competition", "track", "rank"]

    def __str__(self) -> str:
        return f"{self.rank}. {self.entry}"

    @property
    def prize_label(self) -> str:
        return prize_label(self.prize, self.prize_rank)

    @property
    def has_prize(self) -> bool:
        return self.prize != self.Prize.NONE


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


def prize_label(prize: str, prize_rank: int | None) -> str:
    """ "Juara II", "Juara harapan I", or "Peserta"."""
    if prize == Result.Prize.NONE:
        return str(Result.Prize.NONE.label)
    return f"{Result.Prize(prize).label} {ROMAN[prize_rank or 1]}"


class Certificate(models.Model):
    """A certificate PDF whose authenticity anyone can check by its code (QR on the PDF)."""

    class Kind(models.TextChoices):
        AWARD = "award", _("Penghargaan")
        PARTICIPANT = "participant", _("Peserta")

    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="certificates")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="certificates")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("kode verifikasi"), max_length=32, unique=True, default=_token, editable=False)
    recipient_name = models.CharField(_("nama penerima"), max_length=200)
    award_title = models.CharField(_("predikat"), max_length=200)
    file = models.FileField(_("berkas"), upload_to=upload_path("competitions/certificates"), blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(_("diterbitkan"), default=timezone.now)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    revoked_reason = models.TextField(_("alasan pencabutan"), blank=True)

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["competition", "kind", "entry__number"]
        constraints = [
            # A revoked certificate keeps its code (verification says "revoked"); a new one may follow.
            models.UniqueConstraint(
                fields=["entry", "kind"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_entry_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_title}: {self.recipient_name}"

    @property
    def region_id(self) -> int:
        return self.competition.region_id

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and bool(self.file)

    @property
    def download_name(self) -> str:
        return f"sertifikat-{self.competition.year}-{self.entry.number or 0:03d}-{self.kind}.pdf"
