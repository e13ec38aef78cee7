"""The region's submission pack for the national portal, built by the worker: one ZIP with

    00_laporan-prapengiriman.xlsx      the pre-flight report (preflight.py), first
    01_isian-ulang-seluruh-pemda.xlsx  the re-key workbook of every innovation and SPD row
    SPD/                               evidence of the region-level rows judged "sesuai"
    inovasi/001_<name>/                one folder per entered innovation, in name order:
        profil/19_anggaran_…           profile attachments, numbered as the national form
        eviden/21_ind16_1_…            evidence of its rows judged "sesuai", in form order

Only evidence of accepted rows is packed; the report lists everything left out and why. Files
are streamed from storage into a ZIP on disk, one chunk at a time, so memory stays flat however
large the region is; the finished file is attached to the job the same way.
"""

from __future__ import annotations

import posixpath
import shutil
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Callable

from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lumbung.core.jobs import running_job, start_job
from lumbung.core.spreadsheets import write_workbook
from lumbung.core.tasks import task
from lumbung.innovations.models import Attachment

from . import packs, preflight
from .models import Answer, Assessment, Document, Entry, RegionAnswer

REPORT_NAME = "00_laporan-prapengiriman.xlsx"
WORKBOOK_NAME = "01_isian-ulang-seluruh-pemda.xlsx"
CHUNK = 1024 * 1024
# Profile attachments by the number of their field on the national profile form.
ATTACHMENT_NUMBERS = {
    Attachment.Kind.BUDGET: "19_anggaran",
    Attachment.Kind.BUSINESS_PROFILE: "20_profil-bisnis",
    Attachment.Kind.IPR: "21_haki",
    Attachment.Kind.AWARD: "21_penghargaan",
    Attachment.Kind.OTHER: "lainnya",
}
ATTACHMENT_ORDER = list(ATTACHMENT_NUMBERS)


class _Packer:
    def __init__(self, archive: zipfile.ZipFile, total: int, progress: Callable | None):
        self.archive, self.total, self.progress = archive, total, progress
        self.done = 0
        self.unreadable: list[str] = []

    def step(self) -> None:
        self.done += 1
        if self.progress:
            self.progress(min(self.done, self.total), self.total)

    def stream(self, arcname: str, storage, stored_name: str) -> None:
        """Copy one stored file into the ZIP in chunks."""
        try:
            with storage.open(stored_name, "rb") as source, self.archive.open(arcname, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, CHUNK)
        except OSError:
            self.unreadable.append(arcname)
        self.step()

    def workbook(self, arcname: str, sheets, *, title: str) -> None:
        def written(rows: int) -> None:
            # A workbook of a large region takes a while: the job's page says it is moving.
            if self.progress:
                self.progress(self.done, self.total, _("%(name)s: %(rows)s baris") % {"name": arcname, "rows": rows})

        with tempfile.TemporaryFile() as spool:
            write_workbook(spool, sheets, title=title, progress=written)
            spool.seek(0)
            with self.archive.open(arcname, "w", force_zip64=True) as target:
                shutil.copyfileobj(spool, target, CHUNK)
        self.step()


def pack_name(assessment: Assessment) -> str:
    return f"paket-iga-{assessment.year}-{slugify(assessment.region.name)[:60] or 'pemda'}.zip"


def _attachments(assessment: Assessment) -> dict[int, list[tuple[str, str]]]:
    """Entry id -> [(name in its folder, stored name)] of its innovation's profile attachments."""
    rows = Attachment.objects.filter(innovation__assessment_entries__assessment=assessment).values_list(
        "innovation__assessment_entries__pk", "kind", "title", "original_name", "file"
    )
    found: dict[int, list] = defaultdict(list)
    ordered = sorted(
        rows, key=lambda row: (row[0], ATTACHMENT_ORDER.index(row[1]) if row[1] in ATTACHMENT_ORDER else 9)
    )
    counters: dict[tuple, int] = defaultdict(int)
    for entry_id, kind, title, original, stored in ordered:
        prefix = ATTACHMENT_NUMBERS.get(kind, "lainnya")
        counters[(entry_id, prefix)] += 1
        extension = posixpath.splitext(stored)[1] or posixpath.splitext(original)[1]
        slug = slugify(title or posixpath.splitext(original)[0])[:50] or "lampiran"
        found[entry_id].append((f"profil/{prefix}_{counters[(entry_id, prefix)]}_{slug}{extension}", stored))
    return found


def build_region_pack(assessment: Assessment, target, progress: Callable[..., None] | None = None) -> dict:
    """Write the region's pack into `target` (a binary file); returns what it holds."""
    check = preflight.run(assessment)
    attachments = _attachments(assessment)
    total = 2 + check.packed_files + sum(len(files) for files in attachments.values()) + len(check.entries)
    storage = Document._meta.get_field("file").storage
    attachment_storage = Attachment._meta.get_field("file").storage
    region = assessment.region
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        packer = _Packer(archive, total, progress)
        title = _("Laporan prapengiriman IGA %(year)s — %(region)s") % {"year": assessment.year, "region": region.name}
        packer.workbook(REPORT_NAME, preflight.report_sheets(check), title=title)
        title = _("Isian ulang IGA %(year)s — %(region)s") % {"year": assessment.year, "region": region.name}
        packer.workbook(WORKBOOK_NAME, region_workbook_sheets(assessment, check), title=title)
        for row in check.spd_rows:
            for item in row.evidence:
                if item.packed_name:
                    packer.stream(f"{preflight.SPD_FOLDER}/{item.packed_name}", storage, item.file_name)
        for entry_check in check.entries:
            folder = entry_check.folder
            # Every entered innovation has its folder, even when nothing of it can be packed yet.
            archive.writestr(f"{folder}/", b"")
            for name, stored in attachments.get(entry_check.pk, []):
                packer.stream(f"{folder}/{name}", attachment_storage, stored)
            for row in entry_check.rows:
                for item in row.evidence:
                    if item.packed_name:
                        packer.stream(f"{folder}/eviden/{item.packed_name}", storage, item.file_name)
            packer.step()
        if packer.unreadable:
            archive.writestr(
                _("berkas-tidak-terbaca.txt"),
                _("Berkas ini tidak dapat dibaca dari penyimpanan saat paket dibuat:")
                + "\n"
                + "\n".join(packer.unreadable),
            )
    return {
        "iid": str(check.result.iid),
        "predicate": check.result.predicate,
        "files": check.packed_files - len(packer.unreadable),
        "unreadable": len(packer.unreadable),
        "problems": {str(issue): count for issue, count in check.counts().items()},
    }


ROW_HEADERS = [
    gettext_lazy("No."), gettext_lazy("Indikator"), gettext_lazy("Parameter"), gettext_lazy("Keterangan parameter"),
    gettext_lazy("Nilai terukur"), gettext_lazy("Dasar kemanfaatan"), gettext_lazy("Status verifikasi"),
    gettext_lazy("Dikemas"), gettext_lazy("Berkas di ZIP"), gettext_lazy("Tautan"),
]  # fmt: skip


def _row_values(row, checked: preflight.RowCheck | None, folder: str) -> tuple:
    indicator = row.indicator
    levels = (row.basis or indicator).levels if row.level else ()
    evidence = checked.evidence if checked else []
    packed = checked is not None and checked.packed
    return (
        indicator.code,
        indicator.name,
        row.level or "",
        levels[row.level - 1] if levels else "",
        row.measured_value if row.measured_value is not None else "",
        f"{row.basis.code}. {row.basis.name}" if row.basis else "",
        row.get_status_display(),
        _("ya") if packed and evidence else _("tidak"),
        "\n".join(f"{folder}/{item.packed_name}" for item in evidence if item.packed_name),
        "\n".join(item.link for item in evidence if item.link and packed),
    )


def region_workbook_sheets(assessment: Assessment, check: preflight.Preflight) -> list:
    """The re-key workbook of the whole region: every innovation's profile (the rows of the
    per-innovation pack's workbook, packs.profile_rows), every innovation row and every SPD row,
    each with its folder and the names of its files in the ZIP; rows read in chunks. One workbook
    for the region: a workbook per folder costs more to write than all the evidence to copy."""
    rows_by_pk = {row.pk: row for _entry, row in check.all_rows() if row.scope == "inovasi"}
    spd_by_pk = {row.pk: row for row in check.spd_rows}
    folders = {entry.pk: entry.folder for entry in check.entries}
    names = {entry.pk: entry.name for entry in check.entries}

    def profiles():
        entries = (
            Entry.objects.filter(assessment=assessment)
            .select_related("assessment__region", "innovation__unit", "innovation__main_affair", "innovation__theme")
            .prefetch_related("innovation__related_affairs")
            .order_by("innovation__name", "pk")
        )
        for entry in entries.iterator(chunk_size=200):
            for number, label, value in packs.profile_rows(entry):
                yield (folders[entry.pk], entry.innovation.name, number, label, value)

    def innovation_rows():
        answers = (
            Answer.objects.filter(scoring_assessment=assessment)
            .select_related("indicator", "basis")
            .order_by("entry__innovation__name", "entry_id", "indicator__order")
        )
        for row in answers.iterator(chunk_size=2000):
            folder = folders[row.entry_id]
            yield (folder, names[row.entry_id], *_row_values(row, rows_by_pk.get(row.pk), f"{folder}/eviden"))

    def spd_rows():
        region_rows = RegionAnswer.objects.filter(assessment=assessment).select_related("indicator")
        for row in region_rows.order_by("indicator__order"):
            yield _row_values(row, spd_by_pk.get(row.pk), preflight.SPD_FOLDER)

    headers = [str(header) for header in ROW_HEADERS]
    return [
        (_("Indikator SPD"), headers, spd_rows()),
        (_("Profil inovasi"), [_("Folder"), _("Inovasi"), _("No."), _("Isian"), _("Nilai")], profiles()),
        (_("Indikator inovasi"), [_("Folder"), _("Inovasi"), *headers], innovation_rows()),
    ]


@task()
def region_pack_task(job_id: str, assessment_id: int) -> None:
    with running_job(job_id) as job:
        assessment = Assessment.objects.select_related("framework", "region").get(pk=assessment_id)
        with tempfile.TemporaryFile() as target:
            summary = build_region_pack(assessment, target, progress=job.step)
            target.seek(0)
            job.attach_file(pack_name(assessment), target)
        job.set_result(**summary)


def region_pack_start(*, assessment: Assessment, actor):
    """Queue the region's pack; the job page shows its progress and offers the download."""
    return start_job(
        task=region_pack_task,
        kind="region_pack",
        label=_("Paket portal nasional seluruh pemda %(year)s") % {"year": assessment.year},
        owner=actor,
        region=assessment.region,
        next_url=reverse("assessment:preflight", args=[assessment.pk]),
        # Building the ZIP again from the stored files is harmless: a dead worker's pack is retried once.
        retries=1,
        assessment_id=assessment.pk,
    )
