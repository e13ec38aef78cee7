"""The national portal pack of one entered innovation: its evidence files renamed and ordered by
indicator, plus a workbook with the profile and the answers in the order of the national form,
so staff can re-key them quickly (the national application has no API)."""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lumbung.core.jobs import running_job, start_job
from lumbung.core.spreadsheets import build_workbook
from lumbung.core.tasks import task

from .models import Answer, Entry, EvidenceLink


def _date(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def profile_rows(entry: Entry) -> list[tuple[str, str, str]]:
    """(number, field, value) in the order of the national profile form."""
    innovation = entry.innovation
    related = ", ".join(affair.name for affair in innovation.related_affairs.all())
    rows = [
        ("1", _("Nama Pemda"), entry.assessment.region.name),
        ("2", _("Nama inovasi"), innovation.name),
        ("3", _("Tahapan inovasi"), innovation.get_stage_display()),
        ("4", _("Inisiator inovasi daerah"), innovation.get_initiator_kind_display()),
        ("5", _("Nama inisiator"), innovation.initiator_name),
        ("6", _("Jenis inovasi"), _("Digital") if innovation.is_digital else _("Non digital")),
        ("7", _("Bentuk inovasi daerah"), innovation.get_form_display()),
        ("8", _("Tematik"), innovation.theme.name if innovation.theme_id else ""),
        ("9", _("Urusan pemerintahan utama"), innovation.main_affair.name),
        ("10", _("Urusan lain yang beririsan"), related),
        ("11", _("Waktu uji coba"), _date(innovation.trial_date)),
        ("12", _("Waktu penerapan"), _date(innovation.implementation_date)),
        ("13", _("Waktu pengembangan"), _date(innovation.development_date)),
    ]
    design = [
        (f"14.{index}", str(innovation._meta.get_field(name).verbose_name).capitalize(), getattr(innovation, name))
        for index, name in enumerate(innovation.DESIGN_FIELDS, start=1)
    ]
    tail = [
        ("15", _("Tujuan inovasi"), innovation.goals),
        ("16", _("Manfaat yang diperoleh"), innovation.benefits),
        ("17", _("Hasil inovasi"), innovation.results),
        ("18", _("Perangkat daerah"), innovation.unit.name),
    ]
    return rows + design + tail


def _file_name(answer: Answer, position: int, link: EvidenceLink) -> str:
    indicator = answer.indicator
    extension = posixpath.splitext(link.document.file.name)[1] or ".pdf"
    title = slugify(link.document.title)[:50] or "eviden"
    return f"{indicator.order:02d}_ind{indicator.code}_{position}_{title}{extension}"


def _answers(entry: Entry):
    links = EvidenceLink.objects.select_related("document").order_by("attached_at", "id")
    return (
        entry.answers.select_related("indicator", "basis")
        .prefetch_related(Prefetch("evidence_links", queryset=links))
        .order_by("indicator__order")
    )


def build_portal_pack(entry: Entry, progress: Callable[[int, int], None] | None = None) -> tuple[str, bytes]:
    """The ZIP (name, bytes). `progress(done, total)` is told after each file."""
    answers = list(_answers(entry))
    files = [(answer, position, link) for answer in answers for position, link in enumerate(
        (item for item in answer.evidence_links.all() if item.document.file), start=1)]  # fmt: skip
    total = len(files) + 1
    buffer = io.BytesIO()
    names: dict[int, list[str]] = {}
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, (answer, position, link) in enumerate(files, start=1):
            name = _file_name(answer, position, link)
            with link.document.file.open("rb") as stored:
                archive.writestr(f"eviden/{name}", stored.read())
            names.setdefault(answer.pk, []).append(name)
            if progress:
                progress(done, total)
        archive.writestr(_("profil-dan-indikator.xlsx"), _workbook(entry, answers, names))
    if progress:
        progress(total, total)
    slug = slugify(entry.innovation.name)[:60] or "inovasi"
    return f"paket-portal-{entry.assessment.year}-{slug}.zip", buffer.getvalue()


def _workbook(entry: Entry, answers: list[Answer], names: dict[int, list[str]]) -> bytes:
    indicator_rows = []
    for answer in answers:
        indicator = answer.indicator
        levels = (answer.basis or indicator).levels if answer.level else ()
        indicator_rows.append(
            (
                indicator.code,
                indicator.name,
                answer.level or "",
                levels[answer.level - 1] if levels else "",
                answer.measured_value if answer.measured_value is not None else "",
                f"{answer.basis.code}. {answer.basis.name}" if answer.basis_id else "",
                answer.get_status_display(),
                "\n".join(names.get(answer.pk, [])),
                "\n".join(link.document.link for link in answer.evidence_links.all() if link.document.link),
            )
        )
    return build_workbook(
        [
            (_("Profil"), [_("No."), _("Isian"), _("Nilai")], profile_rows(entry)),
            (
                _("Indikator"),
                [
                    _("No."),
                    _("Indikator"),
                    _("Parameter"),
                    _("Keterangan parameter"),
                    _("Nilai terukur"),
                    _("Dasar kemanfaatan"),
                    _("Status verifikasi"),
                    _("Berkas di ZIP"),
                    _("Tautan"),
                ],
                indicator_rows,
            ),
        ],  # fmt: skip
        title=f"{entry.innovation.name} — {entry.assessment.region.name} {entry.assessment.year}",
    )


def pack_entry(entry_id: int) -> Entry:
    return (
        Entry.objects.select_related(
            "assessment__region", "innovation__unit", "innovation__main_affair", "innovation__theme"
        )
        .prefetch_related("innovation__related_affairs")
        .get(pk=entry_id)
    )


@task()
def portal_pack_task(job_id: str, entry_id: int) -> None:
    with running_job(job_id) as job:
        name, data = build_portal_pack(pack_entry(entry_id), progress=job.step)
        job.attach(name, data)


def portal_pack_start(*, entry: Entry, actor):
    """Queue the pack; the page follows the job's progress."""
    from django.urls import reverse

    return start_job(
        task=portal_pack_task,
        kind="portal_pack",
        label=_("Paket portal nasional: %(name)s") % {"name": entry.innovation.name},
        owner=actor,
        region=entry.assessment.region,
        next_url=reverse("assessment:entry-detail", args=[entry.pk]),
        # Building the ZIP again from the stored evidence is harmless: a dead worker's pack is retried once.
        retries=1,
        entry_id=entry.pk,
    )
