"""Building blocks shared by the domain apps: event rows, background jobs, staged uploads and
spreadsheet import batches."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .files import upload_path


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        abstract = True


class WorkflowEvent(models.Model):
    """One state change of a workflow object: who, when, from, to, and why.

    Each app subclasses this with a foreign key to its own object (see core.workflow). Rows are
    append-only; nothing updates or deletes them.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Kosong bila perubahan dilakukan sistem."),
    )
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    action = models.CharField(_("tindakan"), max_length=40)
    from_state = models.CharField(_("dari status"), max_length=40, blank=True)
    to_state = models.CharField(_("ke status"), max_length=40)
    note = models.TextField(_("catatan"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class Job(models.Model):
    """A piece of background work (import, PDF pack, recomputation) whose progress a page shows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        SUCCEEDED = "succeeded", _("Selesai")
        FAILED = "failed", _("Gagal")

    FINISHED = frozenset({Status.SUCCEEDED, Status.FAILED})

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        "organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE, null=True, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemilik"), on_delete=models.CASCADE, null=True, blank=True
    )
    kind = models.CharField(_("jenis"), max_length=60)
    label = models.CharField(_("judul"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField(_("kemajuan"), default=0)
    total = models.PositiveIntegerField(_("jumlah langkah"), default=0)
    message = models.CharField(_("pesan"), max_length=300, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    result_file = models.FileField(_("berkas hasil"), upload_to=upload_path("jobs"), blank=True)
    result_name = models.CharField(_("nama berkas hasil"), max_length=200, blank=True)
    # Where the "done" page sends the user (an in-app URL), e.g. back to an import preview.
    next_url = models.CharField(max_length=300, blank=True)
    error = models.TextField(_("galat"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # Written by the running task every few seconds (core.jobs); a running job whose beat stopped
    # belongs to a worker that died, and the reaper retries or fails it (core.workers.jobs_reap).
    heartbeat_at = models.DateTimeField(_("tanda hidup"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("percobaan paling banyak"), default=1)

    class Meta:
        verbose_name = _("tugas latar")
        verbose_name_plural = _("tugas latar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, round(self.progress * 100 / self.total))


class WorkerBeat(models.Model):
    """A running task worker (`manage.py worker`), seen every few seconds; /health reports them."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("pekerja tugas latar")
        verbose_name_plural = _("pekerja tugas latar")

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid}"


class StagedUpload(models.Model):
    """A valid file kept aside while the rest of its form is corrected, so it is never lost."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=upload_path("staged"))
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unggahan sementara")
        verbose_name_plural = _("unggahan sementara")

    def __str__(self) -> str:
        return self.original_name


class ImportBatch(models.Model):
    """One uploaded spreadsheet: its parsed rows, their errors, and what was imported."""

    class Status(models.TextChoices):
        PARSING = "parsing", _("Sedang dibaca")
        PREVIEW = "preview", _("Pratinjau")
        IMPORTING = "importing", _("Sedang diimpor")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")
        CANCELLED = "cancelled", _("Dibatalkan")
        # Saving stopped part-way (a row failed in "all rows" mode): some rows are saved, the
        # rest may be resumed or left out.
        STOPPED = "stopped", _("Terhenti")

    class Mode(models.TextChoices):
        ALL = "all", _("Semua baris")
        VALID_ONLY = "valid_only", _("Hanya baris yang valid")

    region = models.ForeignKey("organisation.Region", verbose_name=_("pemda"), on_delete=models.CASCADE)
    kind = models.CharField(_("jenis"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.FileField(_("berkas"), upload_to=upload_path("imports"))
    original_name = models.CharField(_("nama berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PARSING)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, blank=True)
    # The latest background job working on this batch (parse, then save).
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    header_row = models.PositiveIntegerField(_("baris judul kolom"), null=True, blank=True)
    file_errors = models.JSONField(default=list, blank=True)
    # The file's data rows are ImportRow rows; these figures are kept with the batch so that a
    # preview page reads only its own 100 rows.
    row_count = models.PositiveIntegerField(default=0)
    valid_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # Rows left out because they are the template's example row.
    example_count = models.PositiveIntegerField(default=0)
    # Valid rows that would change a record already on file (shown old -> new; applied only when
    # the admin says so), and valid rows with a warning (e.g. a post that would have two holders).
    change_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    # What the admin chose when confirming: {"apply_changes": bool, <importer choice>: bool}.
    options = models.JSONField(default=dict, blank=True)
    imported_count = models.PositiveIntegerField(default=0)
    # Saving goes in short batches, each committed with these figures: how many of `rows` (in file
    # order) are dealt with, the errors rows met while being saved ({index: [messages]}), and when
    # the last batch committed (a running import that has not moved for long has lost its worker).
    applied_rows = models.PositiveIntegerField(default=0)
    save_errors = models.JSONField(default=dict, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impor berkas")
        verbose_name_plural = _("impor berkas")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    @property
    def rows(self) -> list[dict]:
        """Every row of the file as a dict, in file order (tests and small files; pages read
        ImportRow a page at a time)."""
        return [row.as_dict() for row in self.row_set.order_by("index")]


class ImportRow(models.Model):
    """One data row of an uploaded spreadsheet: what the sheet said, what it parsed to, and what
    saving it will do or did."""

    class Rank(models.IntegerChoices):
        # The order of the preview: what the admin must act on first.
        ERROR = 0, _("bermasalah")
        ATTENTION = 1, _("perlu diperhatikan")
        EXAMPLE = 2, _("contoh")
        OK = 3, _("valid")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="row_set")
    # Position among the file's data rows (0-based), and the row number as Excel shows it.
    index = models.PositiveIntegerField()
    number = models.PositiveIntegerField()
    rank = models.PositiveSmallIntegerField(choices=Rank.choices, default=Rank.OK)
    values = models.JSONField(default=dict, blank=True)
    cleaned = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # Errors by the column they concern: {"nip": ["..."]}; shown beside the cell.
    cell_errors = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # [{"field": "Ringkasan", "old": "...", "new": "..."}]: what a row changes in a record on file.
    changes = models.JSONField(default=list, blank=True)
    outcome = models.TextField(blank=True)
    is_example = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("baris impor")
        verbose_name_plural = _("baris impor")
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="core_importrow_unique_index")]
        indexes = [models.Index(fields=["batch", "rank", "index"], name="core_importrow_preview")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"

    def as_dict(self) -> dict:
        return {
            "row": self.number,
            "values": self.values,
            "cleaned": self.cleaned,
            "errors": self.errors,
            "cell_errors": self.cell_errors,
            "warnings": self.warnings,
            "changes": self.changes,
            "outcome": self.outcome,
            "example": self.is_example,
        }


class DataVersion(models.Model):
    """How often a region's data ("region:<id>") or the national data ("all") has changed: cache
    keys carry it, so a cached figure is never read after a change (core.caching)."""

    scope = models.CharField(max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("versi data")
        verbose_name_plural = _("versi data")

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
