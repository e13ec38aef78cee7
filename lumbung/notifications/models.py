from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a notification is about; each user chooses per kind how it reaches them."""

    GENERAL = "general", _("Pemberitahuan umum")
    STAGE_DEADLINE = "stage_deadline", _("Tenggat tahapan penilaian")
    ACTION_DUE = "action_due", _("Rencana tindakan jatuh tempo")
    VERIFICATION_WAITING = "verification_waiting", _("Baris menunggu verifikasi")
    CLINIC_ACTION_DUE = "clinic_action_due", _("Tindak lanjut klinik jatuh tempo")
    QUOTA_GAP = "quota_gap", _("Kuota SOSIS / PM Indah belum terpenuhi")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Segera lewat surel")
    DIGEST = "digest", _("Ringkasan harian lewat surel")
    WHATSAPP = "whatsapp", _("Segera lewat WhatsApp")
    APP_ONLY = "app_only", _("Hanya di aplikasi")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one user in the app; the same text also goes out by e-mail, at once or in
    the daily digest, as the user chose for its kind."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE, related_name="notifications"
    )
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, null=True, blank=True
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices, default=Kind.GENERAL)
    delivery = models.CharField(_("pengiriman"), max_length=12, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The digest run looks for these only.
            models.Index(fields=["delivery", "emailed_at"], name="notification_digest_due"),
        ]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How one user wants one kind of notification; without a row, e-mail goes out at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    delivery = models.CharField(_("pengiriman"), max_length=12, choices=Delivery.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pilihan notifikasi")
        verbose_name_plural = _("pilihan notifikasi")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_delivery_display()}"


class SentReminder(models.Model):
    """One scheduled reminder that went to one person. The unique key is what keeps a second
    run of the scheduler (or two at once) from sending it again."""

    kind = models.CharField(_("jenis"), max_length=30, choices=Kind.choices)
    key = models.CharField(_("kunci"), max_length=120)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key", "recipient"], name="sent_reminder_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class WhatsAppMessage(models.Model):
    """A notification sent to one mobile number through the WhatsApp provider, with each try
    and the delivery status the provider reported."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        SENT = "sent", _("Terkirim")
        DELIVERED = "delivered", _("Sampai")
        READ = "read", _("Dibaca")
        FAILED = "failed", _("Gagal")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="whatsapp_messages")
    to_number = models.CharField(_("nomor tujuan"), max_length=20)
    body = models.TextField(_("isi"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=500, blank=True)
    provider_message_id = models.CharField(_("id pesan penyedia"), max_length=128, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pesan WhatsApp")
        verbose_name_plural = _("pesan WhatsApp")

    def __str__(self) -> str:
        return f"{self.to_number}: {self.get_status_display()}"
