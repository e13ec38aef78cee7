"""The innovation record, following the national Indeks Inovasi Daerah profile form."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.text import word_count

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

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="innovations"
    )
    unit = models.ForeignKey(
        "organisation.Unit", verbose_name=_("perangkat daerah"), on_delete=models.PROTECT, related_name="innovations"
    )
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
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    replicates = models.ForeignKey(
        "self", verbose_name=_("replikasi dari"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="replications",
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    # Yearly "still running?" confirmation.
    is_running = models.BooleanField(_("masih berjalan"), default=True)
    stopped_reason = models.TextField(_("alasan berhenti"), blank=True)
    running_confirmed_year = models.PositiveSmallIntegerField(_("terakhir dikonfirmasi berjalan"), null=True, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("inovasi")
        verbose_name_plural = _("inovasi")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["region", "unit"])]

    def __str__(self) -> str:
        return self.name

    @property
    def design_word_count(self) -> int:
        return sum(word_count(getattr(self, name)) for name in self.DESIGN_FIELDS)

    @property
    def design_is_long_enough(self) -> bool:
        return self.design_word_count >= DESIGN_MIN_WORDS

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    @property
    def stage_rank(self) -> int:
        return self.STAGE_ORDER[self.stage]


class TeamMember(models.Model):
    """A person on an innovation's team: an official from the roster, or a citizen."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Pemilik")
        INITIATOR = "initiator", _("Inisiator")
        MEMBER = "member", _("Anggota")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="team")
    official = models.ForeignKey(
        "organisation.Official", verbose_name=_("ASN"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="innovation_roles",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.SET_NULL, null=True, blank=True,
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
