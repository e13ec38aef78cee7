"""The innovation record, following the national Indeks Inovasi Daerah profile form."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.roles import Role
from lumbung.core.text import word_count
from lumbung.core.videolinks import VIDEO_HOSTS_MESSAGE, video_link_allowed
from lumbung.organisation.models import Unit

DESIGN_MIN_WORDS = 300


class GovernmentAffair(models.Model):
    """A government affair (urusan pemerintahan, UU 23/2014) or a supporting function."""

    class Kind(models.TextChoices):
        BASIC_SERVICE = "basic_service", _("Wajib pelayanan dasar")
        MANDATORY = "mandatory", _("Wajib bukan pelayanan dasar")
        OPTIONAL = "optional", _("Pilihan")
        SUPPORTING = "supporting", _("Fungsi penunjang")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    kind = models.CharField(_("kelompok"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("urusan pemerintahan")
        verbose_name_plural = _("urusan pemerintahan")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_basic_service(self) -> bool:
        return self.kind == self.Kind.BASIC_SERVICE


class Theme(models.Model):
    """A theme (tematik) of the national form; the list changes by year."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    name = models.CharField(_("nama"), max_length=200)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("tematik")
        verbose_name_plural = _("tematik")
        ordering = ["-year", "order"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="theme_unique_per_year")]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


# Text the search looks at, besides the name.
SEARCH_TEXT_FIELDS = (
    "initiator_name", "legal_basis", "problem", "strategic_issue", "method", "novelty", "workflow",
    "goals", "benefits", "results",
)  # fmt: skip


def search_document() -> SearchVector:
    """The full-text document of an innovation: its name weighs more than its narrative."""
    return SearchVector("name", weight="A", config="indonesian") + SearchVector(
        *SEARCH_TEXT_FIELDS, weight="B", config="indonesian"
    )


class InnovationQuerySet(models.QuerySet):
    def visible_to(self, user, region):
        """Innovations of `region` that `user` may open (innovations.view_innovation as a query)."""
        queryset = self.filter(region=region)
        if not user.is_authenticated:
            return queryset.filter(status=Innovation.Status.PUBLISHED)
        if user.has_any_role({Role.ADMIN, Role.VERIFIER, Role.LEADER}, region):
            return queryset
        mine = Q(status=Innovation.Status.PUBLISHED) | Q(created_by=user) | Q(team__user=user)
        if user.official_id:
            mine |= Q(team__official_id=user.official_id)
        for path in user.operator_unit_paths(region):
            mine |= Q(unit__path__startswith=path)
        return queryset.filter(pk__in=self.filter(mine).values("pk"))

    def published(self):
        return self.filter(status=Innovation.Status.PUBLISHED)

    def search(self, text: str):
        """Words in the name and the narrative: PostgreSQL full-text search with the Indonesian
        stemmer (so "pelayanan" finds "layanan"), ordered by rank; plain matching elsewhere."""
        text = (text or "").strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            query = SearchQuery(text, config="indonesian", search_type="websearch")
            return self.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
        matches = Q()
        for word in text.split():
            any_field = Q(name__icontains=word)
            for name in SEARCH_TEXT_FIELDS:
                any_field |= Q(**{f"{name}__icontains": word})
            matches &= any_field
        return self.filter(matches)


class Innovation(TimeStampedModel):
    class Stage(models.TextChoices):
        INITIATIVE = "initiative", _("Inisiatif")
        TRIAL = "trial", _("Uji coba")
        IMPLEMENTATION = "implementation", _("Penerapan")

    class InitiatorKind(models.TextChoices):
        REGION_HEAD = "region_head", _("Kepala Daerah")
        DPRD_MEMBER = "dprd_member", _("Anggota DPRD")
        UNIT = "unit", _("OPD")
        CIVIL_SERVANT = "civil_servant", _("ASN")
        CITIZEN = "citizen", _("Masyarakat")

    class Form(models.TextChoices):
        GOVERNANCE = "governance", _("Tata kelola pemerintahan daerah")
        PUBLIC_SERVICE = "public_service", _("Pelayanan publik")
        OTHER_AFFAIRS = "other_affairs", _("Inovasi daerah lainnya sesuai urusan")

    class Track(models.TextChoices):
        """Who the innovation belongs to (the seed's three tracks): a unit (OPD), an official, or
        society: a citizen or a community group, attributed to them and to no unit until a unit
        adopts it."""

        UNIT = "unit", _("Perangkat daerah")
        OFFICIAL = "official", _("Pejabat/ASN")
        SOCIETY = "society", _("Masyarakat")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan untuk perbaikan")
        RESUBMITTED = "resubmitted", _("Diajukan ulang")
        DOCUMENTS_VERIFIED = "documents_verified", _("Dokumen terverifikasi")
        SUBSTANCE_VERIFIED = "substance_verified", _("Substansi terverifikasi")
        PUBLISHED = "published", _("Terbit")

    # Stage order, for rules such as "at or beyond the trial stage".
    STAGE_ORDER = {Stage.INITIATIVE: 1, Stage.TRIAL: 2, Stage.IMPLEMENTATION: 3}
    # The six parts of the design narrative (rancang bangun), in the order of the national form.
    DESIGN_FIELDS = ("legal_basis", "problem", "strategic_issue", "method", "novelty", "workflow")
    # States in which the owning unit may still edit the profile.
    EDITABLE_STATES = frozenset({Status.DRAFT, Status.RETURNED})
    # Review order, for rules such as "counts once documents are verified".
    STATUS_ORDER = {
        Status.DRAFT: 0, Status.RETURNED: 0, Status.SUBMITTED: 1, Status.RESUBMITTED: 1,
        Status.DOCUMENTS_VERIFIED: 2, Status.SUBSTANCE_VERIFIED: 3, Status.PUBLISHED: 4,
    }  # fmt: skip
    # States waiting for a verifier.
    REVIEW_QUEUE_STATES = frozenset(
        {Status.SUBMITTED, Status.RESUBMITTED, Status.DOCUMENTS_VERIFIED, Status.SUBSTANCE_VERIFIED}
    )

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="innovations"
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, related_name="innovations",
        null=True, blank=True, help_text=_("Kosong hanya untuk inovasi masyarakat yang belum diadopsi perangkat daerah."),
    )  # fmt: skip
    track = models.CharField(_("jalur"), max_length=10, choices=Track.choices, default=Track.UNIT)
    group_name = models.CharField(
        _("nama kelompok masyarakat"), max_length=200, blank=True,
        help_text=_("Diisi bila inovasi milik komunitas atau kelompok, bukan perorangan."),
    )  # fmt: skip
    adopted_at = models.DateTimeField(_("diadopsi pada"), null=True, blank=True)
    # The showcase's picture of the innovation: a photo (checked like every upload) or a video link.
    photo = models.FileField(_("foto"), upload_to=upload_path("showcase"), blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    video_url = models.URLField(_("tautan video"), blank=True)
    name = models.CharField(_("nama inovasi"), max_length=255)
    stage = models.CharField(_("tahapan"), max_length=20, choices=Stage.choices, default=Stage.INITIATIVE)
    initiator_kind = models.CharField(_("inisiator"), max_length=20, choices=InitiatorKind.choices)
    initiator_name = models.CharField(_("nama inisiator"), max_length=200, blank=True)
    is_digital = models.BooleanField(_("inovasi digital"), default=False)
    form = models.CharField(_("bentuk inovasi"), max_length=20, choices=Form.choices)
    theme = models.ForeignKey(Theme, verbose_name=_("tematik"), on_delete=models.PROTECT, null=True, blank=True)
    main_affair = models.ForeignKey(
        GovernmentAffair, verbose_name=_("urusan utama"), on_delete=models.PROTECT, related_name="+"
    )
    related_affairs = models.ManyToManyField(
        GovernmentAffair, verbose_name=_("urusan lain yang beririsan"), blank=True, related_name="+"
    )
    trial_date = models.DateField(_("waktu uji coba"), null=True, blank=True)
    implementation_date = models.DateField(_("waktu penerapan"), null=True, blank=True)
    development_date = models.DateField(_("waktu pengembangan"), null=True, blank=True)

    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    problem = models.TextField(_("permasalahan"), blank=True)
    strategic_issue = models.TextField(_("isu strategis"), blank=True)
    method = models.TextField(_("metode pembaharuan"), blank=True)
    novelty = models.TextField(_("keunggulan dan kebaharuan"), blank=True)
    workflow = models.TextField(_("cara kerja inovasi"), blank=True)
    goals = models.TextField(_("tujuan inovasi"), blank=True)
    benefits = models.TextField(_("manfaat yang diperoleh"), blank=True)
    results = models.TextField(_("hasil inovasi"), blank=True)

    latitude = models.DecimalField(
        _("lintang"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    replicates = models.ForeignKey(
        "self",
        verbose_name=_("replikasi dari"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Yearly "still running?" confirmation.
    is_running = models.BooleanField(_("masih berjalan"), default=True)
    stopped_reason = models.TextField(_("alasan berhenti"), blank=True)
    running_confirmed_year = models.PositiveSmallIntegerField(
        _("terakhir dikonfirmasi berjalan"), null=True, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    # Kept up to date by save() on PostgreSQL only; a GIN index is added by migration.
    search_vector = SearchVectorField(null=True, editable=False)
    # Optimistic locking: the edit form carries the version it was opened at; a save from an older
    # version is refused instead of overwriting someone else's change (services.innovation_update).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InnovationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_vector", "version"])

    class Meta:
        verbose_name = _("inovasi")
        verbose_name_plural = _("inovasi")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["region", "unit"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(track="society"), name="innovation_unit_unless_society"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        fields = kwargs.get("update_fields")
        text_changed = fields is None or bool({"name", *SEARCH_TEXT_FIELDS} & set(fields))
        if connection.vendor == "postgresql" and text_changed:
            Innovation.objects.filter(pk=self.pk).update(search_vector=search_document())

    @property
    def design_word_count(self) -> int:
        return sum(word_count(getattr(self, name)) for name in self.DESIGN_FIELDS)

    def design_parts(self) -> list[tuple[str, str]]:
        """(label, text) of the six parts of the design narrative, in the national form's order."""
        return [(self._meta.get_field(name).verbose_name, getattr(self, name)) for name in self.DESIGN_FIELDS]

    @property
    def design_is_long_enough(self) -> bool:
        return self.design_word_count >= DESIGN_MIN_WORDS

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    @property
    def stage_rank(self) -> int:
        return self.STAGE_ORDER[self.stage]

    @property
    def status_rank(self) -> int:
        return self.STATUS_ORDER[self.status]

    @property
    def is_society(self) -> bool:
        return self.track == self.Track.SOCIETY

    @property
    def attribution(self) -> str:
        """Whom the showcase names: the unit, or for a citizens' innovation the group or person
        (and the unit that adopted it)."""
        if not self.is_society:
            return self.unit.name if self.unit_id else ""
        author = self.group_name or self.initiator_name or str(_("Masyarakat"))
        if self.unit_id:
            return f"{author} · {_('diadopsi')} {self.unit.name}"
        return f"{author} ({_('masyarakat')})"

    @property
    def unit_label(self) -> str:
        """The unit's short name in lists; for a citizens' innovation not yet adopted, its author."""
        if self.unit_id:
            return self.unit.short_name or self.unit.name
        return self.attribution

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def clean(self) -> None:
        errors = {}
        if self.trial_date and self.implementation_date and self.implementation_date < self.trial_date:
            errors["implementation_date"] = _("Waktu penerapan tidak boleh sebelum waktu uji coba.")
        if self.development_date and self.implementation_date and self.development_date < self.implementation_date:
            errors["development_date"] = _("Waktu pengembangan tidak boleh sebelum waktu penerapan.")
        if self.stage == self.Stage.TRIAL and not self.trial_date:
            errors["trial_date"] = _("Inovasi tahap uji coba perlu waktu uji coba.")
        if self.stage == self.Stage.IMPLEMENTATION and not self.implementation_date:
            errors["implementation_date"] = _("Inovasi tahap penerapan perlu waktu penerapan.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."
            )
        if self.unit_id is None and self.track != self.Track.SOCIETY:
            errors["unit"] = _("Pilih perangkat daerah.")
        if self.video_url and not video_link_allowed(self.video_url):
            errors["video_url"] = VIDEO_HOSTS_MESSAGE
        if self.unit_id and self.region_id and self.unit.region_id != self.region_id:
            errors["unit"] = _("Perangkat daerah harus dari pemda yang sama.")
        if self.replicates_id and self.replicates_id == self.pk:
            errors["replicates"] = _("Inovasi tidak dapat mereplikasi dirinya sendiri.")
        if errors:
            raise ValidationError(errors)

    def submission_problems(self) -> list[str]:
        """What still keeps the profile from being submitted (empty when it is complete)."""
        problems = []
        words = self.design_word_count
        if words < DESIGN_MIN_WORDS:
            problems.append(
                _("Rancang bangun baru %(words)s kata; keenam bagiannya bersama-sama minimal %(min)s kata.")
                % {"words": words, "min": DESIGN_MIN_WORDS}
            )
        missing = [
            str(self._meta.get_field(name).verbose_name)
            for name in ("goals", "benefits", "results")
            if not getattr(self, name).strip()
        ]
        if missing:
            problems.append(_("Bagian berikut masih kosong: %(fields)s.") % {"fields": ", ".join(missing)})
        if not any(member.role == TeamMember.Role.OWNER for member in self.team.all()):
            problems.append(_("Tim belum memiliki pemilik inovasi."))
        return problems


class TeamMember(models.Model):
    """A person on an innovation's team: an official from the roster, or a citizen."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Pemilik")
        INITIATOR = "initiator", _("Inisiator")
        MEMBER = "member", _("Anggota")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="team")
    official = models.ForeignKey(
        "organisation.Official",
        verbose_name=_("ASN"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="innovation_roles",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="innovation_roles",
    )
    name = models.CharField(_("nama"), max_length=200, help_text=_("Diisi untuk anggota yang bukan ASN."), blank=True)
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("anggota tim")
        verbose_name_plural = _("anggota tim")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(official__isnull=False) | models.Q(user__isnull=False) | ~models.Q(name=""),
                name="team_member_identifies_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.official_id:
            return self.official.name
        if self.user_id:
            return self.user.full_name
        return self.name


class Attachment(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", _("Anggaran")
        BUSINESS_PROFILE = "business_profile", _("Profil bisnis")
        IPR = "ipr", _("Dokumen HAKI")
        AWARD = "award", _("Penghargaan")
        OTHER = "other", _("Lainnya")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to=upload_path("innovations"))
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.title or self.original_name


class InnovationEvent(WorkflowEvent):
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat inovasi")
        verbose_name_plural = _("riwayat inovasi")


class Programme(TimeStampedModel):
    """A quota rule of the region's innovation programme, such as SOSIS (every unit of the chosen
    kinds owns N innovations) or PM Indah (every echelon official in office owns one)."""

    class Kind(models.TextChoices):
        UNIT_QUOTA = "unit_quota", _("Kuota per perangkat daerah (seperti SOSIS)")
        OFFICIAL_QUOTA = "official_quota", _("Kuota per pejabat eselon (seperti PM Indah)")

    # Review states an innovation may need to reach before it counts.
    class CountsFrom(models.TextChoices):
        SUBMITTED = Innovation.Status.SUBMITTED, _("Sudah diajukan")
        DOCUMENTS_VERIFIED = Innovation.Status.DOCUMENTS_VERIFIED, _("Dokumen terverifikasi")
        SUBSTANCE_VERIFIED = Innovation.Status.SUBSTANCE_VERIFIED, _("Substansi terverifikasi")
        PUBLISHED = Innovation.Status.PUBLISHED, _("Terbit")

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="programmes"
    )
    name = models.CharField(_("nama program"), max_length=120)
    description = models.TextField(_("keterangan"), blank=True)
    kind = models.CharField(_("jenis aturan"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("tahun"))
    reference_date = models.DateField(
        _("dihitung per tanggal"), help_text=_("Pejabat yang menjabat dan inovasi yang ada pada tanggal ini.")
    )
    counts_since = models.DateField(
        _("inovasi didaftarkan sejak"),
        null=True,
        blank=True,
        help_text=_("Kosongkan agar semua inovasi terdahulu ikut dihitung."),
    )
    min_count = models.PositiveSmallIntegerField(
        _("jumlah minimal inovasi"), default=1, validators=[MinValueValidator(1)]
    )
    min_stage = models.CharField(
        _("tahapan minimal"), max_length=20, choices=Innovation.Stage.choices, default=Innovation.Stage.INITIATIVE
    )
    counts_from = models.CharField(
        _("dihitung bila status minimal"), max_length=20, choices=CountsFrom.choices, default=CountsFrom.SUBMITTED
    )
    unit_kinds = models.JSONField(_("jenis perangkat daerah"), default=list, blank=True)
    include_subunits = models.BooleanField(
        _("inovasi unit di bawahnya ikut dihitung"),
        default=True,
        help_text=_("Misalnya inovasi puskesmas dihitung untuk Dinas Kesehatan."),
    )
    echelon_tiers = models.JSONField(_("eselon"), default=list, blank=True)
    reminder_quiet_days = models.PositiveSmallIntegerField(
        _("jeda antarpengingat (hari)"),
        default=3,
        help_text=_("Pengingat ulang kepada penerima yang sama dalam jeda ini harus dikonfirmasi dulu."),
    )
    # ISO dates on which the scheduler reminds every target still missing the quota.
    reminder_dates = models.JSONField(_("tanggal pengingat otomatis"), default=list, blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("program kuota inovasi")
        verbose_name_plural = _("program kuota inovasi")
        ordering = ["-is_active", "-year", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def is_unit_quota(self) -> bool:
        return self.kind == self.Kind.UNIT_QUOTA

    @property
    def counting_states(self) -> frozenset[str]:
        rank = Innovation.STATUS_ORDER[self.counts_from]
        return frozenset(state for state, order in Innovation.STATUS_ORDER.items() if order >= rank)

    def in_quiet_period(self, moment) -> bool:
        """True when a reminder sent at `moment` is too recent to repeat without confirmation."""
        return moment > timezone.now() - dt.timedelta(days=self.reminder_quiet_days)

    def unit_kind_labels(self) -> list[str]:
        return [str(Unit.Kind(kind).label) for kind in self.unit_kinds if kind in Unit.Kind.values]

    def clean(self) -> None:
        errors = {}
        if self.reference_date and self.counts_since and self.counts_since > self.reference_date:
            errors["counts_since"] = _("Tanggal mulai tidak boleh sesudah tanggal perhitungan.")
        if self.kind == self.Kind.UNIT_QUOTA and not self.unit_kinds:
            errors["unit_kinds"] = _("Pilih setidaknya satu jenis perangkat daerah.")
        if self.kind == self.Kind.OFFICIAL_QUOTA and not self.echelon_tiers:
            errors["echelon_tiers"] = _("Pilih setidaknya satu eselon.")
        if errors:
            raise ValidationError(errors)


class ProgrammeReminder(models.Model):
    """One reminder of a programme to a unit or an official still missing the quota: who sent it,
    when, and to how many people (the unit's operators, the official's own account)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("perangkat daerah"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    official = models.ForeignKey(
        "organisation.Official",
        verbose_name=_("pejabat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Empty when the scheduler sent it on one of the programme's reminder dates.
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikirim oleh"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("waktu"), default=timezone.now, editable=False)
    recipients = models.PositiveIntegerField(_("jumlah penerima"))
    # Sent again within the quiet period because the admin confirmed it.
    repeat_confirmed = models.BooleanField(_("pengulangan dikonfirmasi"), default=False)

    class Meta:
        verbose_name = _("pengingat program")
        verbose_name_plural = _("pengingat program")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["programme", "-sent_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, official__isnull=True) | Q(unit__isnull=True, official__isnull=False),
                name="programme_reminder_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.target}"

    @property
    def target(self):
        return self.unit or self.official

    @property
    def target_id(self) -> int:
        """The key of the compliance row this reminder went to (a unit or an official id)."""
        return self.unit_id or self.official_id
