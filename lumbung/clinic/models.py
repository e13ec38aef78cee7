"""Innovation clinic (klinik inovasi): requests for help followed as cases, with mentoring
sessions, action items and the conversation between the requester and the mentor."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.roles import Role


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user, region):
        """Cases of `region` the user may open; mirrors the `clinic.view_case` rule."""
        if region is None or not user.is_authenticated:
            return self.none()
        cases = self.filter(region=region)
        if user.has_role(Role.ADMIN, region):
            return cases
        mine = _requester_side(user, region)
        if user.has_role(Role.MENTOR, region):
            mine |= Q(mentor=user)
        return cases.filter(mine)

    def requested_by(self, user, region):
        """Cases the user asked for, or that a unit they operate asked for."""
        return self.filter(_requester_side(user, region), region=region)

    def active(self):
        return self.filter(status__in=Case.ACTIVE_STATES)

    def with_times(self):
        """Annotate when each case was first triaged, first met and first resolved.

        These come from the event rows and sessions in the same query, so waiting-time figures
        over any number of cases cost one query.
        """
        first_session = (
            Session.objects.filter(case=OuterRef("pk"), starts_at__lte=Now())
            .order_by("starts_at")
            .values("starts_at")[:1]
        )
        return self.annotate(
            triaged_at=_first_event_at("triage"),
            first_session_at=Subquery(first_session),
            resolved_at=_first_event_at("resolve"),
        )


def _requester_side(user, region) -> Q:
    side = Q(requester=user)
    for path in user.operator_unit_paths(region):
        side |= Q(unit__path__startswith=path)
    return side


def _first_event_at(action: str) -> Subquery:
    events = CaseEvent.objects.filter(case=OuterRef("pk"), action=action).order_by("created_at", "id")
    return Subquery(events.values("created_at")[:1])


class Case(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", _("Baru")
        TRIAGED = "triaged", _("Sudah ditriase")
        MENTORING = "mentoring", _("Dalam pendampingan")
        WAITING = "waiting", _("Menunggu pemohon")
        RESOLVED = "resolved", _("Selesai ditangani")
        CLOSED = "closed", _("Ditutup")
        DECLINED = "declined", _("Tidak dilanjutkan")

    class Category(models.TextChoices):
        IDEA = "idea", _("Mematangkan ide inovasi")
        EVIDENCE = "evidence", _("Mengumpulkan eviden")
        INDICATOR = "indicator", _("Memahami indikator indeks")
        REGULATION = "regulation", _("Menyusun regulasi")
        OTHER = "other", _("Lainnya")

    class Priority(models.TextChoices):
        LOW = "low", _("Rendah")
        NORMAL = "normal", _("Biasa")
        HIGH = "high", _("Tinggi")
        URGENT = "urgent", _("Mendesak")

    class Mode(models.TextChoices):
        ANY = "any", _("Terserah mentor")
        ONLINE = "online", _("Daring")
        ON_SITE = "on_site", _("Tatap muka")

    # Cases a mentor is working on; they count in the case load.
    ACTIVE_STATES = frozenset({Status.TRIAGED, Status.MENTORING, Status.WAITING})
    # Cases in which the conversation and the plan can still change.
    OPEN_STATES = ACTIVE_STATES | {Status.NEW}

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="clinic_cases"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemohon"), on_delete=models.PROTECT, related_name="clinic_requests"
    )
    unit = models.ForeignKey(
        "organisation.Unit",
        verbose_name=_("perangkat daerah pemohon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("inovasi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clinic_cases",
    )
    indicator_code = models.CharField(_("indikator"), max_length=8, blank=True)
    title = models.CharField(_("judul permintaan"), max_length=200)
    description = models.TextField(_("uraian kebutuhan"))
    category = models.CharField(_("kategori"), max_length=12, choices=Category.choices)
    preferred_mode = models.CharField(_("bentuk pendampingan"), max_length=8, choices=Mode.choices, default=Mode.ANY)
    contact_phone = models.CharField(_("nomor HP/WhatsApp"), max_length=20, blank=True)
    priority = models.CharField(_("prioritas"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clinic_cases_mentored",
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    # Maturity of the innovation (0..111 in 2026) in the assessment of `maturity_year`, taken
    # when the mentoring starts and when the case is resolved.
    maturity_year = models.PositiveSmallIntegerField(_("tahun penilaian"), null=True, blank=True)
    maturity_before = models.DecimalField(_("kematangan awal"), max_digits=6, decimal_places=2, null=True, blank=True)
    maturity_after = models.DecimalField(_("kematangan akhir"), max_digits=6, decimal_places=2, null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("kasus klinik")
        verbose_name_plural = _("kasus klinik")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["mentor", "status"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("clinic:case-detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The number people quote on the phone or in WhatsApp."""
        return f"KLN-{self.pk:05d}" if self.pk else ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def maturity_gain(self):
        if self.maturity_before is None or self.maturity_after is None:
            return None
        return self.maturity_after - self.maturity_before


class CaseEvent(WorkflowEvent):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat kasus klinik")
        verbose_name_plural = _("riwayat kasus klinik")


class Message(models.Model):
    """One message of the conversation on a case, with an optional file."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("pesan"))
    file = models.FileField(_("berkas"), upload_to=upload_path("clinic"), blank=True)
    original_name = models.CharField(_("nama berkas asli"), max_length=255, blank=True)
    content_type = models.CharField(max_length=120, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("pesan klinik")
        verbose_name_plural = _("pesan klinik")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class Session(models.Model):
    """A mentoring session, planned or held; notes are the minutes written afterwards."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Daring")
        ON_SITE = "on_site", _("Tatap muka")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    mode = models.CharField(_("bentuk"), max_length=8, choices=Mode.choices)
    starts_at = models.DateTimeField(_("waktu"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("durasi (menit)"), default=60, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    place = models.CharField(
        _("tempat atau tautan rapat"),
        max_length=300,
        blank=True,
        help_text=_("Misalnya Ruang Rapat BRIDA, atau tautan Zoom/Google Meet."),
    )
    notes = models.TextField(_("catatan sesi"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sesi pendampingan")
        verbose_name_plural = _("sesi pendampingan")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0),
                name="session_positive_duration",
                violation_error_message=_("Durasi sesi harus lebih dari 0 menit."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.starts_at:%d-%m-%Y}"
