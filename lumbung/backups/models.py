"""One row per run of `manage.py backup`, so the national admin sees when the data was last saved."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Backup(models.Model):
    name = models.CharField(_("nama"), max_length=120)
    started_at = models.DateTimeField(_("mulai"))
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    ok = models.BooleanField(_("berhasil"), default=False)
    size = models.BigIntegerField(_("ukuran (bita)"), default=0)
    tables = models.PositiveIntegerField(_("tabel"), default=0)
    rows = models.BigIntegerField(_("baris"), default=0)
    files = models.PositiveIntegerField(_("berkas"), default=0)
    encrypted = models.BooleanField(_("terenkripsi"), default=False)
    location = models.CharField(_("lokasi"), max_length=500, blank=True)
    remote = models.CharField(_("salinan di luar mesin"), max_length=500, blank=True)
    # Who started it: "cron", a user's e-mail, or the command line's user name.
    started_by = models.CharField(_("dijalankan oleh"), max_length=150, blank=True)
    error = models.TextField(_("galat"), blank=True)

    class Meta:
        verbose_name = _("cadangan")
        verbose_name_plural = _("cadangan")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return self.name
