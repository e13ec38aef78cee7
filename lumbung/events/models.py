"""Bimtek, socialisation and workshop events: registration, attendance by check-in code,
certificates, photos and materials, and the evidence they propose for the index."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.files import upload_path
from lumbung.core.models import TimeStampedModel, WorkflowEvent
from lumbung.core.roles import STAFF_ROLES, Role

# Check-in codes avoid characters that are confused when read aloud or typed on a phone (0/O, 1/I/L, 2/Z, 5/S, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_check_in_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a participant typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


class EventQuerySet(models.QuerySet):
    def visible_to(self, user, region):
        """Events of `region` that `user` may open (events.view_event as a query)."""
        queryset = self.filter(region=region)
        if not user.is_authenticated:
            return queryset.none()
        roles = user.roles_in(region)
        if Role.ADMIN in roles:
            return queryset
        announced = queryset.exclude(status=Event.Status.DRAFT)
        if roles & STAFF_ROLES:
            return announced
        mine = Q(registrations__user=user)
        if Role.CITIZEN in roles:
            mine |= Q(audience=Event.Audience.PUBLIC)
        return announced.filter(pk__in=announced.filter(mine).values("pk"))

    def public(self, region):
        """Events of `region` open to everyone, as the public listing shows them (no drafts)."""
        return self.filter(region=region, audience=Event.Audience.PUBLIC).exclude(status=Event.Status.DRAFT)

    def upcoming(self):
        """Open or running events that are not over yet, the soonest first."""
        return self.filter(status__in=Event.CHECK_IN_STATES, ends_at__gte=timezone.now()).order_by("starts_at", "pk")

    def with_counts(self):
        return self.annotate(
            registered_count=Count("registrations", filter=~Q(registrations__status=Registration.Status.CANCELLED)),
            attended_count=Count("registrations", filter=Q(registrations__status=Registration.Status.ATTENDED)),
        )


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        BIMTEK = "bimtek", _("Bimbingan teknis (bimtek)")
        SOCIALISATION = "socialisation", _("Sosialisasi")
        WORKSHOP = "workshop", _("Lokakarya (workshop)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Pendaftaran dibuka")
        RUNNING = "running", _("Berlangsung")
        FINISHED = "finished", _("Selesai")
        ARCHIVED = "archived", _("Diarsipkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Audience(models.TextChoices):
        STAFF = "staff", _("ASN pemda")
        PUBLIC = "public", _("ASN dan masyarakat umum")

    class Mode(models.TextChoices):
        ONSITE = "onsite", _("Tatap muka")
        ONLINE = "online", _("Daring")
        HYBRID = "hybrid", _("Tatap muka dan daring")

    # The 2026 index asks bimtek/training evidence for indicator 20 and socialisation evidence for 25.
    EVIDENCE_INDICATORS = {Kind.BIMTEK: "20", Kind.WORKSHOP: "20", Kind.SOCIALISATION: "25"}
    # Details and participants may change until the event is over.
    EDITABLE_STATES = frozenset({Status.DRAFT, Status.OPEN, Status.RUNNING})
    # Participants may sign up themselves only while registration is open.
    SELF_REGISTRATION_STATES = frozenset({Status.OPEN})
    # The committee may still add walk-in participants at the door.
    ADMIN_REGISTRATION_STATES = frozenset({Status.DRAFT, Status.OPEN, Status.RUNNING})
    CHECK_IN_STATES = frozenset({Status.OPEN, Status.RUNNING})
    # Certificates and evidence exist once the event took place.
    HELD_STATES = frozenset({Status.RUNNING, Status.FINISHED, Status.ARCHIVED})
    DEFAULT_CHECK_IN_LEAD = timedelta(hours=1)

    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        "organisation.Unit", verbose_name=_("penyelenggara"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("jenis kegiatan"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    description = models.TextField(_("uraian"), blank=True)
    speakers = models.TextField(_("narasumber"), blank=True, help_text=_("Satu narasumber per baris."))
    mode = models.CharField(_("bentuk"), max_length=10, choices=Mode.choices, default=Mode.ONSITE)
    venue = models.CharField(_("tempat"), max_length=255, blank=True)
    online_link = models.URLField(_("tautan rapat daring"), blank=True)
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    check_in_opens_at = models.DateTimeField(_("presensi dibuka"), blank=True)
    check_in_closes_at = models.DateTimeField(_("presensi ditutup"), blank=True)
    audience = models.CharField(_("peserta"), max_length=10, choices=Audience.choices, default=Audience.STAFF)
    capacity = models.PositiveIntegerField(
        _("kuota peserta"), null=True, blank=True, help_text=_("Kosongkan bila tidak dibatasi.")
    )
    letter_number = models.CharField(_("nomor surat undangan"), max_length=120, blank=True)
    letter_date = models.DateField(_("tanggal surat undangan"), null=True, blank=True)
    signatory_name = models.CharField(_("nama penandatangan"), max_length=200, blank=True)
    signatory_position = models.CharField(_("jabatan penandatangan"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("NIP penandatangan"), max_length=18, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("Waktu selesai harus sesudah waktu mulai.")
        if self.check_in_opens_at and self.check_in_closes_at and self.check_in_closes_at <= self.check_in_opens_at:
            errors["check_in_closes_at"] = _("Presensi harus ditutup sesudah dibuka.")
        if self.organiser_id and self.region_id and self.organiser.region_id != self.region_id:
            errors["organiser"] = _("Penyelenggara harus perangkat daerah pemda ini.")
        if self.mode != self.Mode.ONSITE and not self.online_link:
            errors["online_link"] = _("Kegiatan daring perlu tautan rapat.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # The check-in window defaults to an hour before the start until the end.
        if self.starts_at and not self.check_in_opens_at:
            self.check_in_opens_at = self.starts_at - self.DEFAULT_CHECK_IN_LEAD
        if self.ends_at and not self.check_in_closes_at:
            self.check_in_closes_at = self.ends_at
        super().save(*args, **kwargs)

    @property
    def evidence_indicator(self) -> str:
        return self.EVIDENCE_INDICATORS[self.kind]

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATES

    @property
    def was_held(self) -> bool:
        return self.status in self.HELD_STATES

    def check_in_is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return (
            self.status in self.CHECK_IN_STATES
            and self.check_in_opens_at is not None
            and self.check_in_opens_at <= moment <= self.check_in_closes_at
        )

    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class EventHistory(WorkflowEvent):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="history")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat kegiatan")
        verbose_name_plural = _("riwayat kegiatan")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def attended(self):
        return self.filter(status=Registration.Status.ATTENDED)


class Registration(models.Model):
    """A participant of an event: an account holder, an official from the roster, or a guest."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Terdaftar")
        ATTENDED = "attended", _("Hadir")
        CANCELLED = "cancelled", _("Batal")

    class Method(models.TextChoices):
        CODE = "code", _("Kode presensi")
        QR = "qr", _("Pindai kode QR")
        COMMITTEE = "committee", _("Dicatat panitia")

    event = models.ForeignKey(Event, verbose_name=_("kegiatan"), on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    official = models.ForeignKey(
        "organisation.Official",
        verbose_name=_("ASN"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("nama"), max_length=200)
    affiliation = models.CharField(_("instansi/unit"), max_length=255, blank=True)
    phone = models.CharField(_("nomor HP/WhatsApp"), max_length=20, blank=True)
    code = models.CharField(
        _("kode presensi"), max_length=CODE_LENGTH, unique=True, default=new_check_in_code, editable=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    attended_at = models.DateTimeField(_("waktu hadir"), null=True, blank=True)
    check_in_method = models.CharField(_("cara presensi"), max_length=10, choices=Method.choices, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("terdaftar pada"), auto_now_add=True)
    # The day-before reminder (send_event_reminders): set once, when it went out.
    reminded_at = models.DateTimeField(_("diingatkan pada"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("peserta kegiatan")
        verbose_name_plural = _("peserta kegiatan")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="registration_unique_user",
                violation_error_message=_("Orang ini sudah terdaftar di kegiatan ini."),
            ),
            models.UniqueConstraint(
                fields=["event", "official"],
                condition=Q(official__isnull=False),
                name="registration_unique_official",
                violation_error_message=_("Orang ini sudah terdaftar di kegiatan ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:3]}-{self.code[3:]}"


class RegistrationHistory(WorkflowEvent):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="history")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat peserta")
        verbose_name_plural = _("riwayat peserta")


class Certificate(models.Model):
    """The attendance certificate of one participant, as a PDF with a public verification code."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="certificate")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="certificates")
    sequence = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor sertifikat"), max_length=120)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=upload_path("events/certificates"))
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        ordering = ["event", "sequence"]
        constraints = [models.UniqueConstraint(fields=["event", "sequence"], name="certificate_unique_sequence")]

    def __str__(self) -> str:
        return self.number

    @property
    def download_name(self) -> str:
        return f"sertifikat-{self.sequence:03d}-{self.registration.code}.pdf"


class StoredFile(models.Model):
    """A checked upload of an event (core.files): server-chosen name, original name kept."""

    file = models.FileField(_("berkas"), upload_to=upload_path("events"))
    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Photo(StoredFile):
    """Documentation of the event; photos marked as evidence go to the socialisation indicator."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    # A small JPEG for pages seen on phones over slow connections; the original stays intact.
    thumbnail = models.ImageField(upload_to=upload_path("events/thumbnails"), blank=True)
    caption = models.CharField(_("keterangan foto"), max_length=255)
    is_evidence = models.BooleanField(
        _("pakai sebagai eviden"), default=True, help_text=_("Misalnya foto dengan banner inovasi.")
    )
    innovation = models.ForeignKey(
        "innovations.Innovation",
        verbose_name=_("menampilkan inovasi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Bila foto hanya menampilkan satu inovasi, foto ini hanya dilampirkan ke inovasi itu."),
    )

    class Meta:
        verbose_name = _("foto kegiatan")
        verbose_name_plural = _("foto kegiatan")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.caption


class Material(StoredFile):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("judul materi"), max_length=200)

    class Meta:
        verbose_name = _("materi kegiatan")
        verbose_name_plural = _("materi kegiatan")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title


class EvidenceProposal(TimeStampedModel):
    """An innovation whose team members attended the event, proposed as holder of its evidence.

    Nothing reaches the assessment until an admin confirms the proposal; the attach job then
    stores the documents in the region's evidence library and links them (assessment contract).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Diusulkan")
        CONFIRMED = "confirmed", _("Dikonfirmasi, menunggu dilampirkan")
        ATTACHED = "attached", _("Terlampir sebagai eviden")
        DISMISSED = "dismissed", _("Tidak dipakai")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals")
    innovation = models.ForeignKey(
        "innovations.Innovation", verbose_name=_("inovasi"), on_delete=models.CASCADE, related_name="+"
    )
    indicator_code = models.CharField(_("indikator"), max_length=8)
    attendees = models.ManyToManyField(Registration, verbose_name=_("anggota tim yang hadir"), related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    year = models.PositiveSmallIntegerField(_("tahun penilaian"), null=True, blank=True)
    # Ids of the assessment Documents attached (the evidence library owns the files).
    document_ids = models.JSONField(default=list, blank=True)
    last_error = models.TextField(_("kendala terakhir"), blank=True)

    class Meta:
        verbose_name = _("usulan eviden kegiatan")
        verbose_name_plural = _("usulan eviden kegiatan")
        ordering = ["innovation__name"]
        constraints = [models.UniqueConstraint(fields=["event", "innovation"], name="proposal_unique_innovation")]

    def __str__(self) -> str:
        return f"{self.innovation} — {self.event}"


class ProposalHistory(WorkflowEvent):
    proposal = models.ForeignKey(EvidenceProposal, on_delete=models.CASCADE, related_name="history")

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("riwayat usulan eviden")
        verbose_name_plural = _("riwayat usulan eviden")
