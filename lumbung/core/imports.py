"""Spreadsheet imports with a preview and a row-by-row error report.

An app describes its sheet once as an `Importer` subclass and registers it. The flow is the
same for every kind: upload -> background parse -> preview (every row with its errors) ->
the admin imports everything (only when no row has an error) or only the valid rows ->
background save. Nothing is written to the domain tables before the admin confirms.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .files import inspect_upload
from .jobs import running_job, start_job
from .models import ImportBatch
from .spreadsheets import CellError, SheetError, clean_text, read_sheet
from .tasks import task


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

    def check(self, column: Column, parse, raw):
        """Run `parse(raw)`; on CellError record "<column>: message" and return None."""
        try:
            return parse(raw)
        except CellError as error:
            self.errors.append(f"{column.label}: {error}")
            return None


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

    def __init__(self, region, actor):
        self.region = region
        self.actor = actor

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

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


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
        importer = _REGISTRY[batch.kind](batch.region, batch.created_by)
        columns = {column.key: (column.label, *column.aliases) for column in importer.columns}
        required = [column.key for column in importer.columns if column.required]
        try:
            kind = "csv" if batch.source.name.lower().endswith(".csv") else "excel"
            with batch.source.open("rb") as source:
                sheet = read_sheet(source, columns, required=required, kind=kind)
        except SheetError as error:
            batch.file_errors = [str(error)]
            batch.status = ImportBatch.Status.FAILED
            batch.finished_at = timezone.now()
            batch.save(update_fields=["file_errors", "status", "finished_at"])
            return
        importer.prepare()
        rows = []
        for done, (number, values) in enumerate(sheet.rows, start=1):
            result = RowResult()
            importer.current_row = number
            importer.parse_row(values, result)
            rows.append(
                {
                    "row": number,
                    "values": {key: clean_text(value) for key, value in values.items()},
                    "cleaned": result.cleaned,
                    "errors": result.errors,
                    "outcome": result.outcome,
                }
            )
            job.step(done, len(sheet.rows), _("Baris %(row)s") % {"row": number})
        batch.rows = rows
        batch.header_row = sheet.header_row
        batch.file_errors = (
            [_("Kolom yang tidak dikenali dan diabaikan: %(cols)s") % {"cols": ", ".join(sheet.unknown_headers)}]
            if sheet.unknown_headers
            else []
        )
        if not rows:
            batch.file_errors.append(_("Tidak ada baris data di bawah judul kolom."))
        batch.error_count = sum(1 for row in rows if row["errors"])
        batch.valid_count = len(rows) - batch.error_count
        batch.status = ImportBatch.Status.PREVIEW
        batch.save(update_fields=["rows", "header_row", "file_errors", "error_count", "valid_count", "status"])


def import_confirm(*, batch: ImportBatch, mode: str, actor) -> None:
    """Save the batch's rows: all of them (only allowed when none has an error) or the valid ones."""
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(_("Impor ini sudah diproses."))
    if mode == ImportBatch.Mode.ALL and batch.error_count:
        raise ValidationError(
            _("Masih ada %(n)s baris bermasalah. Perbaiki berkasnya, atau pilih impor hanya baris yang valid.")
            % {"n": batch.error_count}
        )
    if mode == ImportBatch.Mode.VALID_ONLY and not batch.valid_count:
        raise ValidationError(_("Tidak ada baris valid untuk diimpor."))
    changed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW).update(
        status=ImportBatch.Status.IMPORTING, mode=mode
    )
    if not changed:
        raise ValidationError(_("Impor ini sudah diproses."))
    job = start_job(
        task=apply_import,
        kind=f"import_apply:{batch.kind}",
        label=_("Mengimpor %(name)s") % {"name": batch.original_name},
        owner=actor,
        region=batch.region,
        next_url=reverse("core:import-detail", args=[batch.pk]),
        batch_id=batch.pk,
    )
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)


@task()
def apply_import(job_id: str, batch_id: int) -> None:
    with running_job(job_id) as job:
        batch = ImportBatch.objects.select_related("region", "created_by").get(pk=batch_id)
        importer = _REGISTRY[batch.kind](batch.region, batch.created_by)
        importer.prepare()
        rows = [row for row in batch.rows if not row["errors"]]
        imported = 0
        try:
            # "All rows" is all-or-nothing; "valid only" keeps each good row on its own.
            with transaction.atomic() if batch.mode == ImportBatch.Mode.ALL else nullcontext():
                for done, row in enumerate(rows, start=1):
                    try:
                        with transaction.atomic():
                            importer.save_row(row["cleaned"])
                        imported += 1
                    except ValidationError as error:
                        row["errors"] = list(error.messages)
                        if batch.mode == ImportBatch.Mode.ALL:
                            raise _AllOrNothingError from error
                    job.step(done, len(rows))
        except _AllOrNothingError:
            imported = 0
            batch.status = ImportBatch.Status.PREVIEW
            batch.mode = ""
        else:
            batch.status = ImportBatch.Status.DONE
            batch.finished_at = timezone.now()
        batch.error_count = sum(1 for row in batch.rows if row["errors"])
        batch.valid_count = len(batch.rows) - batch.error_count
        batch.imported_count = imported
        batch.save(
            update_fields=["rows", "status", "mode", "finished_at", "error_count", "valid_count", "imported_count"]
        )
        job.set_result(imported=imported)


class _AllOrNothingError(Exception):
    pass
