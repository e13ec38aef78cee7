"""The innovation import saves a batch in a few queries with the same records, history and search
results as the row-by-row import it replaces; the staff exports stream the rows the old list-based
export wrote, and a large export is built by the worker."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lumbung.core.models import Job
from lumbung.core.roles import Role
from lumbung.core.tests import legacy_exports
from lumbung.innovations.exports import EXPORT_RELATIONS, _affairs, _leads, innovation_rows
from lumbung.innovations.imports import InnovationImporter
from lumbung.innovations.models import GovernmentAffair, Innovation, InnovationEvent, TeamMember
from lumbung.innovations.services import innovation_create
from lumbung.organisation.models import Unit

from .factories import InnovationFactory

pytestmark = pytest.mark.django_db

SHEET = [
    ("Pasar Kopi Daring", "Penerapan", "Digital", "01-02-2024", "17 Agustus 2024", "Petani kopi menjual daring."),
    ("Posyandu Remaja", "Uji coba", "Non digital", "2024-03-01", None, "Remaja sehat di setiap pekon."),
    ("Gerai Perizinan Keliling", "Inisiatif", "Digital", None, None, "Izin usaha dilayani di kecamatan."),
    ("Lumbung Pangan Pekon", "Penerapan", "Non digital", "05-05-2023", "01-01-2024", "Cadangan beras pekon."),
]


def _cleaned(importer, suffix: str) -> list[dict]:
    from lumbung.core.imports import RowResult

    rows = []
    for name, stage, kind, trial, implementation, goals in SHEET:
        result = RowResult()
        values = {
            "name": f"{name} {suffix}", "unit": "Diskominfo", "stage": stage, "initiator_kind": "OPD",
            "is_digital": kind, "form": "Pelayanan publik", "main_affair": "pertanian", "trial_date": trial,
            "implementation_date": implementation, "goals": goals, "benefits": "Lebih cepat.", "results": "",
        }  # fmt: skip
        importer.parse_row(values, result)
        assert result.errors == []
        rows.append(result.cleaned)
    return rows


def _legacy_save_row(importer, cleaned: dict) -> None:
    """How a row was saved before batches (innovations/imports.py at e261c1c)."""
    data = dict(cleaned)
    data["unit"] = Unit.objects.get(pk=data["unit"], region=importer.region)
    data["main_affair"] = GovernmentAffair.objects.get(pk=data["main_affair"])
    for key in ("trial_date", "implementation_date"):
        data[key] = dt.date.fromisoformat(data[key]) if data[key] else None
    innovation_create(region=importer.region, actor=importer.actor, data=data, join_team=False, event_action="import")


IGNORED = {"id", "name", "created_at", "updated_at", "search_vector"}


def _record(innovation: Innovation) -> dict:
    values = model_to_dict(innovation, exclude=["related_affairs"])
    return {key: value for key, value in values.items() if key not in IGNORED}


def _history(innovation: Innovation) -> list[tuple]:
    return [
        (row.history_type, row.status, row.stage, row.unit_id, row.goals, row.trial_date, row.implementation_date)
        for row in innovation.history.all()
    ]


def _events(innovation: Innovation) -> list[tuple]:
    return list(innovation.events.values_list("action", "from_state", "to_state", "actor_id", "data"))


def test_batch_import_gives_the_records_history_and_search_of_row_by_row_import(world, reference_data):
    admin = world.user(Role.ADMIN)
    importer = InnovationImporter(world.region, admin)
    importer.prepare()
    for cleaned in _cleaned(importer, "(satu per satu)"):
        _legacy_save_row(importer, cleaned)
    importer.prepare()
    with CaptureQueriesContext(connection) as queries:
        importer.save_rows(_cleaned(importer, "(sekaligus)"))
    # Units, affairs, innovations, history, events (+ search documents on PostgreSQL) and savepoints.
    assert len(queries) <= 9
    for name, *_rest in SHEET:
        one = Innovation.objects.get(name=f"{name} (satu per satu)")
        bulk = Innovation.objects.get(name=f"{name} (sekaligus)")
        assert _record(bulk) == _record(one)
        assert _history(bulk) == _history(one) and len(_history(bulk)) == 1
        assert _events(bulk) == _events(one)
        # The batch names who imported in the history (row by row in the worker left it empty).
        assert bulk.history.get().history_user == admin
        assert list(bulk.related_affairs.all()) == list(one.related_affairs.all()) == []
        assert not bulk.team.exists()
    for words in ("kopi", "remaja", "perizinan keliling", "beras"):
        found = sorted(Innovation.objects.filter(region=world.region).search(words).values_list("name", flat=True))
        assert len(found) == 2 and found[0].split(" (")[0] == found[1].split(" (")[0], (words, found)
    if connection.vendor == "postgresql":
        assert not Innovation.objects.filter(search_vector__isnull=True).exists()


def test_a_row_whose_unit_disappeared_since_the_preview_is_refused_not_crashed(world, reference_data):
    from django.core.exceptions import ValidationError

    importer = InnovationImporter(world.region, world.user(Role.ADMIN))
    importer.prepare()
    rows = _cleaned(importer, "(x)")
    Innovation.objects.filter(unit_id=rows[0]["unit"]).delete()
    Unit.objects.filter(pk=rows[0]["unit"]).update(region=world.other_region)
    with pytest.raises(ValidationError, match="tidak ada lagi"):
        importer.save_row(rows[0])
    assert not Innovation.objects.filter(name__endswith="(x)").exists()


def _legacy_innovation_rows(queryset) -> tuple[list, list]:
    """The staff export's rows as they were built before streaming (a list of every row)."""
    headers, _generator = innovation_rows(queryset.none())
    rows = [
        [
            i.pk, i.name, i.unit.name, i.get_stage_display(), i.get_status_display(), i.get_initiator_kind_display(),
            i.initiator_name, "Digital" if i.is_digital else "Non digital", i.get_form_display(),
            i.theme.name if i.theme else "", i.main_affair.name, _affairs(i), i.trial_date, i.implementation_date,
            i.development_date, i.design_word_count, "Berjalan" if i.is_running else "Berhenti", _leads(i),
            i.created_at.date(),
        ]
        for i in queryset
    ]  # fmt: skip
    return headers, rows


@pytest.fixture
def listed(world, reference_data):
    for n in range(7):
        innovation = InnovationFactory(
            region=world.region, unit=world.unit, name=f'=HYPERLINK("http://x") {n}' if n == 3 else f"Inovasi {n}"
        )
        innovation.related_affairs.set(GovernmentAffair.objects.all()[: n % 3])
        TeamMember.objects.create(innovation=innovation, name=f"Pemilik {n}", role=TeamMember.Role.OWNER)
    return (
        Innovation.objects.filter(region=world.region)
        .select_related("unit", "main_affair")
        .order_by("-updated_at", "pk")
    )


def test_the_streamed_csv_export_has_the_bytes_of_the_old_one(client, world, listed):
    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("innovations:export-csv"), {"sort": "-updated_at"})
    assert response.streaming
    headers, rows = _legacy_innovation_rows(listed.prefetch_related(*EXPORT_RELATIONS))
    assert b"".join(response.streaming_content) == legacy_exports.csv_bytes(headers, rows)


def test_the_excel_export_has_the_cells_of_the_old_one(client, world, listed):
    client.force_login(world.user(Role.ADMIN))
    response = client.get(reverse("innovations:export-xlsx"), {"sort": "-updated_at"})
    headers, rows = _legacy_innovation_rows(listed.prefetch_related(*EXPORT_RELATIONS))
    title = f"Daftar inovasi {world.region.name}"
    old = legacy_exports.build_workbook([("Inovasi", headers, rows)], title=title)

    def cells(data):
        sheet = load_workbook(io.BytesIO(data)).active
        return [[(cell.value, cell.data_type, cell.number_format) for cell in row] for row in sheet.iter_rows()]

    assert cells(response.content) == cells(old)


def test_a_large_export_is_built_by_the_worker_and_offered_for_download(client, world, listed, settings):
    client.force_login(world.user(Role.ADMIN))
    inline = client.get(reverse("innovations:export-csv"))
    settings.LUMBUNG_EXPORT_INLINE_MAX_ROWS = 3
    response = client.get(reverse("innovations:export-csv"))
    job = Job.objects.get(kind="export_innovations:csv")
    assert response.status_code == 302 and response["Location"] == reverse("core:job-detail", args=[job.pk])
    assert (job.status, job.progress, job.total) == (Job.Status.SUCCEEDED, 7, 7)
    download = client.get(reverse("core:job-download", args=[job.pk]))
    assert b"".join(download.streaming_content) == b"".join(inline.streaming_content)
    client.get(reverse("innovations:export-xlsx"))
    book = Job.objects.get(kind="export_innovations:xlsx")
    assert book.status == Job.Status.SUCCEEDED and book.result_name.endswith(".xlsx")
    # Somebody else cannot fetch the file.
    client.force_login(world.other_admin)
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code in (403, 404)


def test_exports_read_the_database_in_chunks_not_per_innovation(world, listed):
    with CaptureQueriesContext(connection) as queries:
        _headers, rows = innovation_rows(listed.prefetch_related(*EXPORT_RELATIONS))
        assert len(list(rows)) == 7
    assert len(queries) <= 6  # innovations, affairs, team, officials, users (+ a savepoint)


def test_import_event_rows_match_the_innovations(world, reference_data):
    importer = InnovationImporter(world.region, world.user(Role.ADMIN))
    importer.prepare()
    importer.save_rows(_cleaned(importer, "(b)"))
    assert InnovationEvent.objects.filter(action="import").count() == len(SHEET)
