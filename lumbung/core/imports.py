"""Spreadsheet imports with a preview and a row-by-row error report.

An app describes its sheet once as an `Importer` subclass and registers it. The flow is the
same for every kind: upload -> background parse -> preview (every row with its errors) ->
the admin imports everything (only when no row has an error) or only the valid rows ->
background save. Nothing is written to the domain tables before the admin confirms.

Saving goes in short batches (settings.LUMBUNG_IMPORT_BATCH_ROWS rows), each in its own
transaction together with the batch's count of saved rows, so other writers wait milliseconds and
the count is always true: when the worker dies, the import says how many rows it saved and can be
resumed from there or stopped. Importers may save a whole batch in a few queries (`save_rows`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .caching import region_writes
from .files import inspect_upload
from .jobs import running_job, start_job
from .models import ImportBatch, ImportRow
from .spreadsheets import CellError, SheetError, clean_text, normalise_header, parse_date, read_sheet
from .tasks import task

# What starts the first cell of a template's example row; such a row is never imported.
EXAMPLE_MARK = "(Contoh)"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: object = ""


@dataclass
class RowResult:
    cleaned: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # What saving a valid row will do, when it is not simply "add": shown in the preview.
    outcome: str = ""
    # Errors by column key, shown beside the cell they concern (check() fills it; an error added
    # by hand as "<column label>: ..." is placed by its label).
    cell_errors: dict[str, list[str]] = field(default_factory=dict)
    # What the admin should know before saving a valid row (it is still imported).
    warnings: list[str] = field(default_factory=list)
    # What a row changes in a record already on file: [{"field", "old", "new"}]. Such a row is
    # saved only when the admin confirms the changes.
    changes: list[dict] = field(default_factory=list)

    def check(self, column: Column, parse, raw):
        """Run `parse(raw)`; on CellError record "<column>: message" and return None."""
        try:
            return parse(raw)
        except CellError as error:
            self.error(column, str(error))
            return None

    def error(self, column: Column, message: str) -> None:
        self.errors.append(f"{column.label}: {message}")
        self.cell_errors.setdefault(column.key, []).append(message)

    def change(self, label, old, new) -> None:
        self.changes.append({"field": str(label), "old": _shown(old), "new": _shown(new)})


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    return clean_text(value)


class Importer:
    """Describe one kind of sheet. Subclasses set the class attributes and implement
    `parse_row` and `save_row`; `prepare` loads lookups once so rows need no queries."""

    # Views hand the class itself to templates, which would otherwise try to instantiate it.
    do_not_call_in_templates = True
    kind: str = ""
    label: str = ""
    columns: tuple[Column, ...] = ()
    # Where "back" leads from the preview; a URL name without arguments.
    list_url_name: str = ""
    # The sheet row being parsed, as Excel numbers it (for messages such as "same as row 7").
    current_row: int = 0
    # core.files kinds accepted for upload: "excel", and "csv" for importers that opt in.
    file_kinds: tuple[str, ...] = ("excel",)
    # What the upload page says about rows that match existing records.
    notes: str = ""
    # Choices the admin is offered on confirming when some row has a warning: (key, label).
    # The chosen ones reach save_row through `self.options`.
    warning_choices: tuple[tuple[str, str], ...] = ()

    def __init__(self, region, actor):
        self.region = region
        self.actor = actor
        self.options: dict = {}

    def is_example(self, values: dict) -> bool:
        """True for the template's own example row: its first cell starts with EXAMPLE_MARK, or (a
        template downloaded before the mark) every one of at least four example cells is unchanged."""
        first = self.columns[0].key if self.columns else ""
        if normalise_header(values.get(first)).startswith(normalise_header(EXAMPLE_MARK)):
            return True
        examples = [(column.key, column.example) for column in self.columns if column.example not in ("", None)]
        return len(examples) >= 4 and all(_same_cell(values.get(key), example) for key, example in examples)

    def example_row(self) -> list:
        """The template's example row, its first cell marked."""
        cells = [column.example for column in self.columns]
        if cells:
            cells[0] = f"{EXAMPLE_MARK} {cells[0]}"
        return cells

    @classmethod
    def may_import(cls, user, region) -> bool:
        from .roles import Role

        return user.has_any_role({Role.ADMIN}, region)

    def prepare(self) -> None:
        """Load whatever rows need to look up (existing records, names) in a few queries."""

    def parse_row(self, values: dict, result: RowResult) -> None:
        raise NotImplementedError

    def save_row(self, cleaned: dict) -> None:
        raise NotImplementedError

    def save_rows(self, rows: list[dict]) -> None:
        """Save several rows at once; raise ValidationError if any cannot be saved (the core then
        rolls the batch back and saves its rows one by one to find which). Importers override this
        to insert in bulk; the default saves row by row."""
        for cleaned in rows:
            self.save_row(cleaned)

    def resume(self, saved: list[dict]) -> None:
        """Called after `prepare` when saving goes on after committed batches (a resumed import, or
        the reaper running it again), with the cleaned rows those batches saved, in file order: for
        importers whose rows refer to records made by earlier rows."""

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def _same_cell(raw, example) -> bool:
    if isinstance(raw, (dt.date, dt.datetime)):  # Excel made a date of the example's text
        try:
            return parse_date(raw) == parse_date(example)
        except CellError:
            return False
    return normalise_header(raw) == normalise_header(example)


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    if importer.kind in _REGISTRY:
        raise ValueError(f"Importer kind {importer.kind!r} is registered twice")
    _REGISTRY[importer.kind] = importer
    return importer


def importer_for(kind: str) -> type[Importer] | None:
    return _REGISTRY.get(kind)


def registered_kinds() -> list[str]:
    return sorted(_REGISTRY)


def import_start(*, kind: str, region, actor, uploaded) -> ImportBatch:
    """Store the uploaded workbook and parse it in the background."""
    importer = _REGISTRY[kind]
    if not importer.may_import(actor, region):
        raise PermissionDenied
    info = inspect_upload(uploaded, kinds=importer.file_kinds)
    batch = ImportBatch(
        region=region, kind=kind, created_by=actor, original_name=info.original_name, sha256=info.sha256
    )
    batch.source.save(info.original_name, uploaded, save=True)
    batch.job = start_job(
        task=parse_import,
        # Reading is safe to repeat: a worker that dies while reading is replaced by the reaper.
        retries=1,
        kind=f"import_parse:{kind}",
        label=_("Membaca %(name)s") % {"name": info.original_name},
        owner=actor,
        region=region,
        next_url=reverse("core:import-detail", args=[batch.pk]),
        batch_id=batch.pk,
    )
    batch.save(update_fields=["job"])
    return batch


@task()
def parse_import(job_id: str, batch_id: int) -> None:
    with running_job(job_id) as job:
        batch = ImportBatch.objects.select_related("region", "created_by").get(pk=batch_id)
        if batch.status != ImportBatch.Status.PARSING:
            return  # read already (a repeated run after the reaper): the preview stays as it is
        importer = _REGISTRY[batch.kind](batch.region, batch.created_by)
        columns = {column.key: (column.label, *column.aliases) for column in importer.columns}
        required = [column.key for column in importer.columns if column.required]
        try:
            kind = "csv" if batch.source.name.lower().endswith(".csv") else "excel"
            with batch.source.open("rb") as source:
                sheet = read_sheet(
                    source, columns, required=required, kind=kind, max_rows=settings.LUMBUNG_IMPORT_MAX_ROWS
                )
        except SheetError as error:
            batch.file_errors = [str(error)]
            batch.status = ImportBatch.Status.FAILED
            batch.finished_at = timezone.now()
            batch.save(update_fields=["file_errors", "status", "finished_at"])
            return
        importer.prepare()
        rows = []
        for done, (number, values) in enumerate(sheet.rows, start=1):
            rows.append(_read_row(importer, done - 1, number, values, batch))
            job.step(done, len(sheet.rows), _("Baris %(row)s") % {"row": number})
        batch.header_row = sheet.header_row
        batch.file_errors = (
            [_("Kolom yang tidak dikenali dan diabaikan: %(cols)s") % {"cols": ", ".join(sheet.unknown_headers)}]
            if sheet.unknown_headers
            else []
        )
        if not rows:
            batch.file_errors.append(_("Tidak ada baris data di bawah judul kolom."))
        valid = [row for row in rows if row.rank in IMPORTABLE_RANKS]
        batch.row_count = len(rows)
        batch.error_count = sum(1 for row in rows if row.rank == ImportRow.Rank.ERROR)
        batch.example_count = sum(1 for row in rows if row.is_example)
        batch.valid_count = len(valid)
        batch.change_count = sum(1 for row in valid if row.changes)
        batch.warning_count = sum(1 for row in valid if row.warnings)
        batch.status = ImportBatch.Status.PREVIEW
        with transaction.atomic():
            ImportRow.objects.filter(batch=batch).delete()  # a read cut short by a dead worker
            ImportRow.objects.bulk_create(rows, batch_size=500)
            batch.save(
                update_fields=[
                    "header_row", "file_errors", "row_count", "error_count", "example_count", "valid_count",
                    "change_count", "warning_count", "status",
                ]
            )  # fmt: skip


# Rows that saving may take: valid ones, with or without something to look at.
IMPORTABLE_RANKS = (ImportRow.Rank.ATTENTION, ImportRow.Rank.OK)


def _read_row(importer: Importer, index: int, number: int, values: dict, batch: ImportBatch) -> ImportRow:
    row = ImportRow(batch=batch, index=index, number=number)
    row.values = {key: clean_text(value) for key, value in values.items()}
    if importer.is_example(values):
        row.is_example, row.rank = True, ImportRow.Rank.EXAMPLE
        row.outcome = _("Baris contoh dari templat: tidak diimpor.")
        return row
    result = RowResult()
    importer.current_row = number
    importer.parse_row(values, result)
    row.cleaned, row.errors, row.outcome = result.cleaned, result.errors, result.outcome
    row.warnings, row.changes = result.warnings, result.changes
    row.cell_errors = _errors_by_column(importer, result)
    if result.errors:
        row.rank = ImportRow.Rank.ERROR
    elif result.warnings or result.changes:
        row.rank = ImportRow.Rank.ATTENTION
    return row


def _errors_by_column(importer: Importer, result: RowResult) -> dict[str, list[str]]:
    """The row's errors by the column they concern: those check() placed, and those written by
    hand as "<column label>: message"."""
    placed = {key: list(messages) for key, messages in result.cell_errors.items()}
    known = {message for messages in placed.values() for message in messages}
    for error in result.errors:
        for column in importer.columns:
            prefix = f"{column.label}:"
            if error.startswith(prefix) and error[len(prefix) :].strip() not in known:
                placed.setdefault(column.key, []).append(error[len(prefix) :].strip())
                break
    return placed


def importable(row: ImportRow, options: dict) -> bool:
    """Will saving take this row: valid, not the example, and its changes accepted."""
    return row.rank in IMPORTABLE_RANKS and (not row.changes or bool(options.get("apply_changes")))


def rows_remaining(batch: ImportBatch) -> int:
    """Rows still to be saved after the ones dealt with (a stopped or stalled import)."""
    after = ImportRow.objects.filter(batch=batch, index__gte=batch.applied_rows, rank__in=IMPORTABLE_RANKS)
    accept = bool(batch.options.get("apply_changes"))
    return sum(1 for changes in after.values_list("changes", flat=True) if accept or not changes)


# An import whose last batch committed this long ago, still "importing", has lost its worker.
STALL_AFTER = dt.timedelta(minutes=10)


def import_is_stalled(batch: ImportBatch) -> bool:
    """True when the batch is "importing" but nothing is saving it any more (worker killed, job
    failed or never picked up)."""
    if batch.status != ImportBatch.Status.IMPORTING:
        return False
    job = batch.job
    if job is None or job.is_finished:
        return True
    last = batch.progress_at or job.started_at or job.created_at
    return timezone.now() - last > STALL_AFTER


def import_confirm(*, batch: ImportBatch, mode: str, actor, options: dict | None = None) -> None:
    """Save the batch's rows: all of them (only allowed when none has an error) or the valid ones.

    `options` holds what the admin chose: "apply_changes" (rows that change a record on file are
    saved only with it) and the importer's `warning_choices`."""
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(_("Impor ini sudah diproses."))
    if mode == ImportBatch.Mode.ALL and batch.error_count:
        raise ValidationError(
            _("Masih ada %(n)s baris bermasalah. Perbaiki berkasnya, atau pilih impor hanya baris yang valid.")
            % {"n": batch.error_count}
        )
    if mode not in ImportBatch.Mode.values:
        raise ValidationError(_("Pilih cara impor: semua baris atau hanya baris yang valid."))
    if not batch.valid_count:
        raise ValidationError(_("Tidak ada baris valid untuk diimpor."))
    allowed = {"apply_changes", *(key for key, _label in _REGISTRY[batch.kind].warning_choices)}
    options = {key: bool(value) for key, value in (options or {}).items() if key in allowed}
    if not options.get("apply_changes") and batch.valid_count == batch.change_count:
        raise ValidationError(
            _(
                "Semua baris valid mengubah data yang sudah ada. Periksa perubahannya, lalu centang "
                '"Terapkan perubahan" untuk mengimpornya.'
            )
        )
    changed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.IMPORTING, mode=mode, options=options, progress_at=timezone.now(), job=None
    )
    if not changed:
        raise ValidationError(_("Impor ini sudah diproses."))
    _start_apply(batch, actor)


def import_resume(*, batch: ImportBatch, actor) -> None:
    """Go on saving a stopped or stalled import from the first row not yet dealt with. Rows that
    failed at saving are left out: a resumed import keeps only the valid rows."""
    batch.refresh_from_db()
    if not (batch.status == ImportBatch.Status.STOPPED or import_is_stalled(batch)):
        raise ValidationError(_("Impor ini tidak dapat dilanjutkan."))
    changed = ImportBatch.objects.filter(pk=batch.pk, status=batch.status, job_id=batch.job_id).update(
        status=ImportBatch.Status.IMPORTING, mode=ImportBatch.Mode.VALID_ONLY, progress_at=timezone.now(), job=None
    )
    if not changed:
        raise ValidationError(_("Impor ini sudah diproses."))
    _start_apply(batch, actor)


def import_cancel(*, batch: ImportBatch) -> str:
    """Stop an import that is in preview, stopped, or still saving; return what to tell the admin.

    Taking the job away from the batch (job=None) in the same statement stops a worker still saving
    it at its next batch; a batch it is committing finishes first, so the count read afterwards is
    the true number of saved rows.
    """
    cancellable = [ImportBatch.Status.PREVIEW, ImportBatch.Status.STOPPED, ImportBatch.Status.IMPORTING]
    changed = ImportBatch.objects.filter(pk=batch.pk, status__in=cancellable).update(
        status=ImportBatch.Status.CANCELLED, job=None, finished_at=timezone.now()
    )
    if not changed:
        raise ValidationError(_("Impor ini sudah selesai atau sudah dibatalkan."))
    saved, applied = ImportBatch.objects.filter(pk=batch.pk).values_list("imported_count", "applied_rows").get()
    if not saved:
        return _("Impor dibatalkan; tidak ada data yang disimpan.")
    batch.applied_rows = applied
    remaining = rows_remaining(batch)
    return _(
        "Impor dihentikan. %(saved)s baris sudah tersimpan dan tetap ada; %(rest)s baris berikutnya tidak diimpor."
    ) % {"saved": saved, "rest": remaining}


def _start_apply(batch: ImportBatch, actor) -> None:
    job = start_job(
        task=apply_import,
        # Saving resumes after the last committed batch, so the reaper may run it again when the
        # worker died; after the retries the import shows as stalled, to resume or stop by hand.
        retries=2,
        kind=f"import_apply:{batch.kind}",
        label=_("Mengimpor %(name)s") % {"name": batch.original_name},
        owner=actor,
        region=batch.region,
        next_url=reverse("core:import-detail", args=[batch.pk]),
        batch_id=batch.pk,
    )
    # The job is the batch's token: only the worker running the batch's current job may save it.
    # An immediate backend (tests) has already run and claimed it; a queued job is claimed here.
    ImportBatch.objects.filter(pk=batch.pk, job__isnull=True, status=ImportBatch.Status.IMPORTING).update(job=job)


@task()
def apply_import(job_id: str, batch_id: int) -> None:
    with running_job(job_id) as job:
        claimed = (
            ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.IMPORTING)
            .filter(Q(job__isnull=True) | Q(job_id=job_id))
            .update(job_id=job_id)
        )
        if not claimed:
            return  # cancelled, or handed to another job, before this one started
        batch = ImportBatch.objects.select_related("region", "created_by").get(pk=batch_id)
        importer = _REGISTRY[batch.kind](batch.region, batch.created_by)
        importer.options = batch.options
        importer.prepare()
        size = max(1, settings.LUMBUNG_IMPORT_BATCH_ROWS)
        save_errors = {int(index): messages for index, messages in batch.save_errors.items()}
        if batch.applied_rows and type(importer).resume is not Importer.resume:
            applied = ImportRow.objects.filter(batch=batch, index__lt=batch.applied_rows).order_by("index")
            importer.resume(
                [row.cleaned for row in applied if importable(row, batch.options) and row.index not in save_errors]
            )
        skipped_changes = 0 if batch.options.get("apply_changes") else batch.change_count
        total = batch.valid_count - skipped_changes
        done = total - rows_remaining(batch)
        position = batch.applied_rows
        while position < batch.row_count:
            end = min(batch.row_count, position + size)
            chunk = list(ImportRow.objects.filter(batch=batch, index__gte=position, index__lt=end).order_by("index"))
            pending = [row for row in chunk if importable(row, batch.options) and row.index not in save_errors]
            try:
                with transaction.atomic():
                    # Written first, so this transaction holds the write lock (SQLite) or the row
                    # lock (PostgreSQL) before it saves anything: a cancel waits for it, or wins.
                    if not ImportBatch.objects.filter(
                        pk=batch.pk, job_id=job_id, status=ImportBatch.Status.IMPORTING
                    ).update(progress_at=timezone.now()):
                        return
                    # One bump of the region's data version a batch, however many records it saves.
                    with region_writes(batch.region_id):
                        errors = _save_chunk(importer, batch, pending)
                    save_errors.update(errors)
                    ImportBatch.objects.filter(pk=batch.pk).update(
                        applied_rows=end,
                        imported_count=F("imported_count") + len(pending) - len(errors),
                        save_errors=save_errors,
                    )
            except _AllOrNothingError as stop:
                save_errors.update(stop.errors)
                _stop(batch, job_id, save_errors)
                return
            done += len(pending)
            position = end
            last = chunk[-1].number if chunk else end
            job.step(done, total, _("Baris %(row)s") % {"row": last})
        _finish(batch, job_id, save_errors, job)


def _save_chunk(importer: Importer, batch: ImportBatch, pending: list[ImportRow]) -> dict[int, list[str]]:
    """Save the `pending` rows; return the errors of rows that could not be saved, by row index.
    In "all rows" mode the first such row raises _AllOrNothingError."""
    if not pending:
        return {}
    # Only an importer that saves in bulk tries the whole batch first; its save_rows keeps the state
    # it carries across rows (units created earlier in the file are parents of later ones) only once
    # the batch is saved, so a rolled-back batch leaves none pointing at rows that no longer exist.
    if type(importer).save_rows is not Importer.save_rows:
        try:
            with transaction.atomic():
                importer.save_rows([row.cleaned for row in pending])
            return {}
        except ValidationError:
            pass  # some row cannot be saved: the batch is rolled back, and each row tried on its own
    errors = {}
    for row in pending:
        try:
            with transaction.atomic():
                importer.save_row(row.cleaned)
        except ValidationError as error:
            errors[row.index] = list(error.messages)
            if batch.mode == ImportBatch.Mode.ALL:
                raise _AllOrNothingError(errors) from error
    return errors


def _stop(batch: ImportBatch, job_id: str, save_errors: dict) -> None:
    """A row failed in "all rows" mode. Nothing saved yet: back to the preview with the row's error,
    as if nothing happened. Some batches already saved: say so and let the admin decide."""
    with transaction.atomic():
        if not ImportBatch.objects.select_for_update().filter(
            pk=batch.pk, job_id=job_id, status=ImportBatch.Status.IMPORTING
        ):
            return
        values = _mark_save_errors(batch, save_errors)
        saved = ImportBatch.objects.filter(pk=batch.pk).values_list("imported_count", flat=True).get()
        values["save_errors"] = {}
        if saved:
            values.update(status=ImportBatch.Status.STOPPED, save_errors=save_errors)
        else:
            values.update(status=ImportBatch.Status.PREVIEW, mode="", options={}, applied_rows=0)
        ImportBatch.objects.filter(pk=batch.pk).update(**values)


def _finish(batch: ImportBatch, job_id: str, save_errors: dict, job) -> None:
    with transaction.atomic():
        if not ImportBatch.objects.select_for_update().filter(
            pk=batch.pk, job_id=job_id, status=ImportBatch.Status.IMPORTING
        ):
            return
        values = _mark_save_errors(batch, save_errors)
        ImportBatch.objects.filter(pk=batch.pk).update(
            save_errors={}, status=ImportBatch.Status.DONE, finished_at=timezone.now(), **values
        )
    imported = ImportBatch.objects.filter(pk=batch.pk).values_list("imported_count", flat=True).get()
    job.set_result(imported=imported)


def _mark_save_errors(batch: ImportBatch, save_errors: dict[int, list[str]]) -> dict:
    """Put the errors met at saving on their rows; return the batch's counts as they now stand."""
    for index, messages in save_errors.items():
        ImportRow.objects.filter(batch=batch, index=index).update(errors=messages, rank=ImportRow.Rank.ERROR)
    rows = ImportRow.objects.filter(batch=batch)
    error_count = rows.filter(rank=ImportRow.Rank.ERROR).count()
    valid = rows.filter(rank__in=IMPORTABLE_RANKS)
    return {
        "error_count": error_count,
        "valid_count": valid.count(),
        "change_count": valid.exclude(changes=[]).count(),
        "warning_count": valid.exclude(warnings=[]).count(),
    }


class _AllOrNothingError(Exception):
    def __init__(self, errors: dict[int, list[str]]):
        super().__init__()
        self.errors = errors
