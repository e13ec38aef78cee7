"""Rows for the Excel/CSV exports and the open data files.

The open-data columns are the public fields of the profile only: no NIP, phone or e-mail of
anyone, and no team list (names of citizens on a team are not published as data).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from lumbung.core.jobs import running_job, start_job
from lumbung.core.models import Job
from lumbung.core.spreadsheets import csv_chunks, write_workbook
from lumbung.core.tasks import task

from .compliance import ComplianceReport
from .models import TeamMember


def _affairs(innovation) -> str:
    return "; ".join(affair.name for affair in innovation.related_affairs.all())


def _leads(innovation) -> str:
    return "; ".join(
        f"{member.display_name} ({member.get_role_display()})"
        for member in innovation.team.all()
        if member.role in (TeamMember.Role.OWNER, TeamMember.Role.INITIATOR)
    )


def innovation_rows(queryset) -> tuple[list[str], Iterator[list]]:
    """The staff export: the profile's classification, dates, state and team leads.

    The rows come as a generator reading the database a chunk at a time (prefetches included),
    so an export of the whole country holds one chunk in memory, not every innovation.
    """
    headers = [
        _("ID"), _("Nama inovasi"), _("Perangkat daerah"), _("Tahapan"), _("Status"), _("Inisiator"),
        _("Nama inisiator"), _("Jenis"), _("Bentuk"), _("Tematik"), _("Urusan utama"), _("Urusan beririsan"),
        _("Waktu uji coba"), _("Waktu penerapan"), _("Waktu pengembangan"), _("Kata rancang bangun"),
        _("Keberlanjutan"), _("Pemilik/inisiator"), _("Didaftarkan"),
    ]  # fmt: skip
    labels = _labels()
    rows = (_innovation_row(innovation, labels) for innovation in queryset.iterator(chunk_size=EXPORT_CHUNK))
    return headers, rows


# Innovations read per query while exporting (with their affairs and team in two more queries).
EXPORT_CHUNK = 1000
EXPORT_RELATIONS = ("related_affairs", "team__official", "team__user")


def _labels() -> dict:
    """The choice labels, translated once per export: get_FOO_display hashes its lazy labels on
    every call, which was most of an export's time."""
    from .models import Innovation

    labels = {
        name: {value: str(label) for value, label in Innovation._meta.get_field(name).flatchoices}
        for name in ("stage", "status", "initiator_kind", "form")
    }
    labels["is_digital"] = {True: _("Digital"), False: _("Non digital")}
    labels["is_running"] = {True: _("Berjalan"), False: _("Berhenti")}
    return labels


def _innovation_row(innovation, labels: dict) -> list:
    def label(name):
        value = getattr(innovation, name)
        return labels[name].get(value, value)

    return [
        innovation.pk,
        innovation.name,
        innovation.unit.name if innovation.unit_id else "",
        label("stage"),
        label("status"),
        label("initiator_kind"),
        innovation.initiator_name,
        labels["is_digital"][bool(innovation.is_digital)],
        label("form"),
        innovation.theme.name if innovation.theme else "",
        innovation.main_affair.name,
        _affairs(innovation),
        innovation.trial_date,
        innovation.implementation_date,
        innovation.development_date,
        innovation.design_word_count,
        labels["is_running"][bool(innovation.is_running)],
        _leads(innovation),
        innovation.created_at.date(),
    ]  # fmt: skip


def innovation_export_start(*, user, region, query: str, fmt: str, filename: str) -> Job:
    """Build a large export in the worker; the user follows its progress and downloads the file."""
    return start_job(
        task=export_innovations,
        retries=1,  # building a file is safe to repeat when the worker died
        kind=f"export_innovations:{fmt}",
        label=_("Ekspor daftar inovasi (%(fmt)s)") % {"fmt": fmt.upper()},
        owner=user,
        region=region,
        user_id=user.pk,
        region_id=region.pk,
        query=query,
        fmt=fmt,
        filename=filename,
    )


@task()
def export_innovations(job_id: str, user_id: int, region_id: int, query: str, fmt: str, filename: str) -> None:
    from lumbung.accounts.models import User
    from lumbung.organisation.models import Region

    from .forms import InnovationFilterForm
    from .models import Innovation
    from .views import filtered_innovations  # the list's own filters, so the file matches the page

    with running_job(job_id) as job:
        user, region = User.objects.get(pk=user_id), Region.objects.get(pk=region_id)
        form = InnovationFilterForm(QueryDict(query) or None, region=region)
        queryset = filtered_innovations(
            Innovation.objects.visible_to(user, region).select_related("unit", "main_affair", "theme"), form
        ).prefetch_related(*EXPORT_RELATIONS)
        total = queryset.count()
        headers, rows = innovation_rows(queryset)
        counted = _counting(rows, job, total)
        with tempfile.TemporaryFile() as handle:
            if fmt == "csv":
                for chunk in csv_chunks(headers, counted):
                    handle.write(chunk.encode("utf-8"))
            else:
                title = _("Daftar inovasi %(region)s") % {"region": region.name}
                write_workbook(handle, [(_("Inovasi"), headers, counted)], title=title)
            handle.seek(0)
            job.attach(filename, handle.read())
        job.step(total, total, _("Selesai: %(n)s inovasi") % {"n": total})


def _counting(rows, job, total: int):
    for done, row in enumerate(rows, start=1):
        if done % 500 == 0:
            job.step(done, total, _("Baris %(n)s") % {"n": done})
        yield row


OPEN_DATA_FIELDS = (
    "id", "nama", "perangkat_daerah", "tahapan", "inisiator", "nama_inisiator", "jenis", "bentuk", "tematik",
    "urusan_utama", "urusan_beririsan", "waktu_uji_coba", "waktu_penerapan", "waktu_pengembangan", "tujuan",
    "manfaat", "hasil", "lintang", "bujur", "masih_berjalan", "tautan",
)  # fmt: skip


def open_data_records(queryset, region) -> list[dict]:
    """Published innovations as plain records (the CSV and JSON files share them)."""
    records = []
    for innovation in queryset:
        link = settings.SITE_URL + reverse("showcase:detail", args=[region.code, innovation.pk])
        values = (
            innovation.pk, innovation.name, innovation.unit.name if innovation.unit_id else "",
            innovation.get_stage_display(), innovation.get_initiator_kind_display(),
            # A citizen's own name is personal data: open data names only a community group.
            innovation.group_name if innovation.is_society else innovation.initiator_name,
            "digital" if innovation.is_digital else "non digital", innovation.get_form_display(),
            innovation.theme.name if innovation.theme else "", innovation.main_affair.name, _affairs(innovation),
            _iso(innovation.trial_date), _iso(innovation.implementation_date), _iso(innovation.development_date),
            innovation.goals, innovation.benefits, innovation.results,
            float(innovation.latitude) if innovation.latitude is not None else None,
            float(innovation.longitude) if innovation.longitude is not None else None,
            innovation.is_running, link,
        )  # fmt: skip
        records.append(dict(zip(OPEN_DATA_FIELDS, values, strict=True)))
    return records


def _iso(day) -> str:
    return day.isoformat() if day else ""


def programme_sheets(report: ComplianceReport) -> list:
    """Two sheets: who meets the quota (and with what), and the monthly trend."""
    unit_quota = report.programme.is_unit_quota
    headers = (
        [_("Perangkat daerah"), _("Jumlah inovasi"), _("Memenuhi"), _("Inovasi")]
        if unit_quota
        else [
            _("Nama"),
            _("Jabatan"),
            _("Eselon"),
            _("Perangkat daerah"),
            _("Jumlah inovasi"),
            _("Memenuhi"),
            _("Inovasi"),
        ]
    )
    rows = []
    for row in report.rows:
        names = "; ".join(innovation["name"] for innovation in row.innovations)
        verdict = _("Ya") if row.compliant else _("Belum")
        if unit_quota:
            rows.append([row.name, row.count, verdict, names])
        else:
            rows.append(
                [row.name, row.position, row.echelon, row.unit.name if row.unit else "", row.count, verdict, names]
            )
    trend_rows = [[day, tally.total, tally.compliant, round(tally.percent, 1)] for day, tally in report.trend]
    trend_headers = [_("Per tanggal"), _("Jumlah sasaran"), _("Memenuhi"), _("Persen")]
    return [(_("Kepatuhan"), headers, rows), (_("Tren bulanan"), trend_headers, trend_rows)]
