"""The unit and official imports save a batch in a few queries, with the same records and history
rows as saving it one row at a time (`save_row`, the services); rows that cannot be saved are
still refused on their own line, and the region's data version moves once a batch."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.urls import reverse

from lumbung.core.caching import data_version
from lumbung.core.imports import RowResult, import_confirm, import_resume, import_start
from lumbung.core.jobs import JobHandle
from lumbung.core.models import ImportBatch
from lumbung.core.roles import Role
from lumbung.organisation import services
from lumbung.organisation.importers import OfficialImporter, UnitImporter
from lumbung.organisation.models import Assignment, Echelon, Official, Unit

from .factories import AssignmentFactory, OfficialFactory, UnitFactory, make_nip, sheet_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return world.user(Role.ADMIN)


def _parse(importer, sheet: list[dict]) -> list[dict]:
    importer.prepare()
    rows = []
    for number, values in enumerate(sheet, start=2):
        result = RowResult()
        importer.current_row = number
        importer.parse_row(values, result)
        assert result.errors == [], (number, result.errors)
        rows.append(result.cleaned)
    return rows


def _one_by_one(importer, rows) -> None:
    """How the import saved a batch before: each row through the services, in its own savepoint."""
    importer.prepare()
    for cleaned in rows:
        with transaction.atomic():
            importer.save_row(cleaned)


def _all_at_once(importer, rows) -> None:
    importer.prepare()
    with transaction.atomic():
        importer.save_rows(rows)


def _outcome(save, importer, rows, snapshot) -> list:
    """What `save` leaves in the database, then undone so the other way starts from the same state."""
    with transaction.atomic():
        save(importer, rows)
        found = snapshot()
        transaction.set_rollback(True)
    return found


def _bumps(region, since: str) -> int:
    return int(data_version(region.pk).split(".")[1]) - int(since.split(".")[1])


@pytest.fixture
def sqlite_limit(monkeypatch):
    """Django splits an INSERT on SQLite every 999 parameters (the limit of SQLite before 3.32; this
    one takes 32,766): lift it, so the counts below say whether the import asks per row."""
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.features, "max_query_params", 32766)


def _sorted(items) -> list:
    return sorted(items, key=repr)


# Units ----------------------------------------------------------------------------------------

UNIT_SHEET = [
    ("Dinas Pemuda dan Olahraga", "Dispora", "Dinas", ""),
    ("UPTD Gelanggang Olahraga", "", "UPTD", "Dispora"),
    ("Bidang Persandian", "", "Lainnya", "Diskominfo"),  # under a unit already on file
    ("Seksi Sandi", "", "Lainnya", "Bidang Persandian"),
    ("Subseksi Kunci", "SSK", "Lainnya", "Seksi Sandi"),  # four levels below the top
    ("Badan Riset dan Inovasi Daerah", "Brida", "Badan", ""),
    ("UPTD Laboratorium", "", "UPTD", "brida"),
    ("Puskesmas Way Mengaku", "", "Puskesmas", "Dinkes"),
]


def _unit_values(sheet) -> list[dict]:
    return [{"name": n, "short_name": s, "kind": k, "parent": p, "code": ""} for n, s, k, p in sheet]


def _tree(region):
    def snapshot():
        units = {unit.pk: unit for unit in Unit.objects.filter(region=region)}

        def names(pk) -> tuple:
            return (*names(units[pk].parent_id), units[pk].name) if pk else ()

        for unit in units.values():
            parent = units.get(unit.parent_id)
            assert unit.path == f"{parent.path if parent else '/'}{unit.pk}/"
            assert unit.depth == unit.path.count("/") - 2
        records = [(names(pk), u.short_name, u.kind, u.code, u.depth, u.is_active) for pk, u in units.items()]
        history = [
            (h.history_type, (*names(h.parent_id), h.name), h.short_name, h.kind, h.code, h.is_active,
             h.history_user_id, h.history_change_reason)
            for h in Unit.history.filter(region=region, history_id__gt=since)
        ]  # fmt: skip
        return _sorted(records), _sorted(history)

    since = Unit.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    return snapshot


def test_a_unit_batch_gives_the_tree_and_history_of_the_row_by_row_import(world, admin):
    rows = _parse(UnitImporter(world.region, admin), _unit_values(UNIT_SHEET))
    snapshot = _tree(world.region)
    one = _outcome(_one_by_one, UnitImporter(world.region, admin), rows, snapshot)
    bulk = _outcome(_all_at_once, UnitImporter(world.region, admin), rows, snapshot)
    assert bulk == one
    records, history = bulk
    assert len(records) == 2 + len(UNIT_SHEET) and len(history) == len(UNIT_SHEET)
    assert {row[-2] for row in history} == {admin.pk}


def test_units_of_a_later_batch_find_their_parents_in_an_earlier_one(world, admin):
    importer = UnitImporter(world.region, admin)
    rows = _parse(importer, _unit_values(UNIT_SHEET))
    importer.prepare()
    importer.save_rows(rows[:3])
    importer.save_rows(rows[3:])
    assert Unit.objects.get(name="Subseksi Kunci").parent.parent.parent == world.unit
    assert Unit.objects.get(name="UPTD Laboratorium").parent.short_name == "Brida"


def _flat_tree(size: int) -> list[dict]:
    half = size // 2
    tops = [(f"Badan Uji {n}", f"BU{n}", "Badan", "") for n in range(half)]
    children = [(f"UPTD Uji {n}", "", "UPTD", f"BU{n}") for n in range(size - half)]
    return _unit_values(tops + children)


@pytest.mark.parametrize("size", [10, 200])
def test_a_unit_batch_takes_the_same_few_queries_for_10_or_200_rows(
    world, admin, size, django_assert_max_num_queries, sqlite_limit
):
    importer = UnitImporter(world.region, admin)
    rows = _parse(importer, _flat_tree(size))
    importer.prepare()
    # Names taken, then per level of the tree: units, history rows, paths; savepoint; data version.
    with django_assert_max_num_queries(12):
        importer.save_rows(rows)
    assert Unit.objects.filter(region=world.region, name__startswith="UPTD Uji", parent__isnull=False).count() == (
        size - size // 2
    )


UNIT_HEADERS = ["Nama", "Singkatan", "Jenis", "Induk"]


def test_unit_rows_that_cannot_be_saved_are_refused_on_their_line_and_the_rest_saved(world, admin, settings):
    settings.LUMBUNG_IMPORT_BATCH_ROWS = 2
    sheet = [
        ["Badan Arsip", "", "Badan", ""],
        ["UPTD Arsip Statis", "", "UPTD", "Badan Arsip"],
        ["Badan Pangan", "", "Badan", ""],
        ["UPTD Lumbung", "", "UPTD", "Badan Pangan"],
        ["Dinas Pariwisata", "", "Dinas", ""],
    ]
    batch = import_start(kind="units", region=world.region, actor=admin, uploaded=sheet_upload(UNIT_HEADERS, sheet))
    UnitFactory(region=world.region, name="Badan Arsip")  # made by hand meanwhile
    version = data_version(world.region.pk)
    import_confirm(batch=ImportBatch.objects.get(pk=batch.pk), mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
    batch.refresh_from_db()
    errors = {row["row"]: " ".join(row["errors"]) for row in batch.rows}
    assert "Sudah ada perangkat daerah bernama Badan Arsip di bawah induk yang sama." in errors[2]
    assert "Induknya tidak ikut diimpor karena barisnya bermasalah." in errors[3]
    assert errors[4] == errors[5] == errors[6] == ""
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.DONE, 3, 2)
    assert Unit.objects.get(name="UPTD Lumbung").parent.name == "Badan Pangan"
    assert not Unit.objects.filter(name="UPTD Arsip Statis").exists()
    # One bump of the region's data version a batch (three), and the job's own at its end: not one a unit.
    assert _bumps(world.region, version) == 3 + 1


def test_a_resumed_unit_import_finds_the_parents_saved_before_the_worker_died(world, admin, settings, monkeypatch):
    settings.LUMBUNG_IMPORT_BATCH_ROWS = 2
    sheet = [
        ["Badan Arsip", "BA", "Badan", ""], ["Badan Pangan", "", "Badan", ""],
        ["UPTD Arsip Statis", "", "UPTD", "ba"], ["UPTD Lumbung", "", "UPTD", "Badan Pangan"],
    ]  # fmt: skip
    batch = import_start(kind="units", region=world.region, actor=admin, uploaded=sheet_upload(UNIT_HEADERS, sheet))
    real = UnitImporter.save_rows

    def dies_at_the_second_batch(importer, rows):
        if rows[0]["name"] == "UPTD Arsip Statis":
            raise RuntimeError("the worker died")
        real(importer, rows)

    monkeypatch.setattr(UnitImporter, "save_rows", dies_at_the_second_batch)
    import_confirm(batch=ImportBatch.objects.get(pk=batch.pk), mode=ImportBatch.Mode.ALL, actor=admin)  # job fails
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.applied_rows) == (ImportBatch.Status.IMPORTING, 2, 2)
    monkeypatch.setattr(UnitImporter, "save_rows", real)
    import_resume(batch=batch, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.DONE, 4, 0)
    assert Unit.objects.get(name="UPTD Arsip Statis").parent.short_name == "BA"
    assert Unit.objects.get(name="UPTD Lumbung").parent.name == "Badan Pangan"


def test_a_row_whose_parent_was_closed_after_the_preview_is_refused_not_put_at_the_top(world, admin, settings, client):
    """The preview found the parent; it was closed before the import was confirmed. The row (and the
    rows below it) are refused on their lines with the reason; nothing lands at the top of the tree,
    and the upload stays in preview for the rows that can be saved."""
    settings.LUMBUNG_IMPORT_BATCH_ROWS = 2
    fisheries = UnitFactory(region=world.region, name="Dinas Perikanan", short_name="Diskan")
    sheet = [
        ["Badan Pangan", "", "Badan", ""],
        ["UPTD Balai Benih Ikan", "BBI", "UPTD", "Diskan"],
        ["Seksi Induk Ikan", "", "Lainnya", "BBI"],
        ["UPTD Lumbung", "", "UPTD", "Badan Pangan"],
    ]
    batch = import_start(kind="units", region=world.region, actor=admin, uploaded=sheet_upload(UNIT_HEADERS, sheet))
    batch.refresh_from_db()
    assert (batch.status, batch.error_count, batch.valid_count) == (ImportBatch.Status.PREVIEW, 0, 4)
    services.unit_deactivate(unit=fisheries, actor=admin, reason="Digabung ke Dinas Pertanian (Perda 3/2026)")
    refused = "Induk Dinas Perikanan dinonaktifkan sesudah pratinjau, jadi baris ini tidak disimpan."

    # All rows or none: nothing is saved, and the preview comes back with the row's reason.
    import_confirm(batch=ImportBatch.objects.get(pk=batch.pk), mode=ImportBatch.Mode.ALL, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.PREVIEW, 0, 1)
    assert refused in " ".join(batch.rows[1]["errors"])
    assert not Unit.objects.filter(region=world.region, name__in=[row[0] for row in sheet]).exists()
    client.force_login(admin)
    page = client.get(reverse("core:import-detail", args=[batch.pk])).content.decode()
    assert refused in page

    # The valid rows of the same upload: the row below the refused one is refused too.
    import_confirm(batch=ImportBatch.objects.get(pk=batch.pk), mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
    batch.refresh_from_db()
    errors = {row["row"]: " ".join(row["errors"]) for row in batch.rows}
    assert refused in errors[3] and "Induknya tidak ikut diimpor" in errors[4]
    assert errors[2] == errors[5] == ""
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.DONE, 2, 2)
    assert Unit.objects.get(name="UPTD Lumbung").parent.name == "Badan Pangan"
    assert not Unit.objects.filter(name__in=["UPTD Balai Benih Ikan", "Seksi Induk Ikan"]).exists()
    assert not fisheries.children.exists()


def test_a_parent_closed_while_the_import_runs_refuses_the_rows_of_later_batches(world, admin, settings, monkeypatch):
    """Closed between two batches (the job read the units when it started): the later row is
    refused on its line, not saved under the closed unit."""
    settings.LUMBUNG_IMPORT_BATCH_ROWS = 1
    fisheries = UnitFactory(region=world.region, name="Dinas Perikanan", short_name="Diskan")
    sheet = [["Badan Pangan", "", "Badan", ""], ["UPTD Balai Benih Ikan", "", "UPTD", "Diskan"]]
    batch = import_start(kind="units", region=world.region, actor=admin, uploaded=sheet_upload(UNIT_HEADERS, sheet))
    real_step = JobHandle.step

    def another_admin_closes_the_parent(handle, done, total=None, message=""):
        real_step(handle, done, total, message)
        if done == 1:  # after the first batch committed, outside any transaction of the import
            services.unit_deactivate(unit=Unit.objects.get(pk=fisheries.pk), actor=admin, reason="Digabung")

    monkeypatch.setattr(JobHandle, "step", another_admin_closes_the_parent)
    import_confirm(batch=ImportBatch.objects.get(pk=batch.pk), mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
    batch.refresh_from_db()
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.DONE, 1, 1)
    assert "Induk Dinas Perikanan dinonaktifkan sesudah pratinjau" in " ".join(batch.rows[1]["errors"])
    assert Unit.objects.filter(name="Badan Pangan", parent=None).exists()
    assert not Unit.objects.filter(name="UPTD Balai Benih Ikan").exists()


# Officials ------------------------------------------------------------------------------------


def _official_values(nip, name, position, echelon, unit, start, acting="", decree="", phone="", email="") -> dict:
    return {
        "nip": nip, "name": name, "position": position, "echelon": echelon, "unit": unit, "start_date": start,
        "is_acting": acting, "decree": decree, "phone": phone, "email": email,
    }  # fmt: skip


@pytest.fixture
def kasi(world):
    """The head of a section of the Dinkes since 2021, whose post a new official takes in the file."""
    official = OfficialFactory(region=world.region, name="Citra Lestari")
    AssignmentFactory(
        official=official, unit=world.sibling_unit, position="Kepala Seksi", echelon=Echelon.IV_A,
        start_date=dt.date(2021, 3, 1),
    )  # fmt: skip
    return official


def _roster_sheet(world, kasi) -> list[dict]:
    return [
        # New, taking the post world.official holds (who is asked to be ended).
        _official_values(make_nip(901, sex=2), "Andi Wijaya, S.T.", "Kepala Bidang", "III.b", "Diskominfo", "05-01-2026",
                         decree="821/1/2026", phone="081234567890", email="andi@example.go.id"),
        # A rotation of a registered official.
        _official_values(world.sibling_official.nip, world.sibling_official.name, "Sekretaris Dinas", "III.a",
                         "Diskominfo", "01-02-2026"),
        # An acting post beside (what was) the definitive one.
        _official_values(world.official.nip, world.official.name, "Plt. Kepala Dinas", "II.b", "Dinkes",
                         "01-03-2026", acting="Plt"),
        _official_values(make_nip(902, sex=2), "Budi Santoso", "Pelaksana", "JF", "Dinkes", "02-01-2025"),
        # New, taking the section: its holder ends on 31-03-2026 ...
        _official_values(make_nip(903, sex=2), "Dewi Anggraini", "Kepala Seksi", "IV.a", "Dinkes", "01-04-2026"),
        # ... and the holder's own rotation below ends the same position again, earlier.
        _official_values(kasi.nip, kasi.name, "Kepala Seksi Data", "IV.a", "Diskominfo", "15-03-2026"),
    ]  # fmt: skip


def _roster(region):
    def snapshot():
        nip_of = dict(Official.objects.filter(region=region).values_list("pk", "nip"))
        officials = Official.objects.filter(region=region).values_list(
            "nip", "name", "phone", "email", "birth_date", "appointed_on", "sex"
        )
        fields = ("unit_id", "position", "echelon", "start_date", "end_date", "is_acting", "decree")
        positions = [
            (nip_of[official], *rest)
            for official, *rest in Assignment.objects.filter(official__region=region).values_list(
                "official_id", *fields
            )
        ]
        official_history = Official.history.filter(region=region, history_id__gt=since[0]).values_list(
            "history_type", "nip", "name", "phone", "email", "birth_date", "appointed_on", "sex", "history_user_id",
            "history_change_reason",
        )  # fmt: skip
        position_history = [
            (nip_of[official], *rest)
            for official, *rest in Assignment.history.filter(
                history_id__gt=since[1], official_id__in=nip_of
            ).values_list("official_id", "history_type", *fields, "history_user_id", "history_change_reason")
        ]
        return [_sorted(found) for found in (officials, positions, official_history, position_history)]

    since = [
        model.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
        for model in (Official, Assignment)
    ]
    return snapshot


def _roster_importer(world, admin) -> OfficialImporter:
    importer = OfficialImporter(world.region, admin)
    importer.options = {"end_holders": True, "apply_changes": True}
    return importer


def test_an_official_batch_gives_the_roster_and_history_of_the_row_by_row_import(world, admin, kasi):
    rows = _parse(_roster_importer(world, admin), _roster_sheet(world, kasi))
    assert [row["action"] for row in rows] == ["create", "rotate", "start", "create", "create", "rotate"]
    assert rows[0].get("end_holder") and rows[4].get("end_holder")
    snapshot = _roster(world.region)
    one = _outcome(_one_by_one, _roster_importer(world, admin), rows, snapshot)
    bulk = _outcome(_all_at_once, _roster_importer(world, admin), rows, snapshot)
    assert bulk == one
    officials, positions, official_history, position_history = bulk
    assert len(official_history) == 3 and {row[-2] for row in official_history} == {admin.pk}
    reasons = [row[-1] for row in position_history if row[1] == "~"]
    assert sorted(reasons) == sorted(
        ["Diganti pemegang baru lewat impor daftar pejabat.", "Mutasi ke Sekretaris Dinas"]
        + ["Diganti pemegang baru lewat impor daftar pejabat.", "Mutasi ke Kepala Seksi Data"]
    )
    ended = {(nip, position): end for nip, _unit, position, _e, _s, end, *_rest in positions}
    assert ended[(kasi.nip, "Kepala Seksi")] == dt.date(2026, 3, 14)
    assert ended[(world.official.nip, "Kepala Bidang")] == dt.date(2026, 1, 4)


def _roster_of(world, size: int) -> list[dict]:
    """Half new officials, a quarter rotated and a quarter given an acting post."""
    registered = []
    for n in range(size // 2):
        official = OfficialFactory(region=world.region, name=f"Pegawai Lama {n}", nip=make_nip(1000 + n, sex=2))
        AssignmentFactory(official=official, unit=world.unit, position=f"Kepala Seksi {n}", echelon=Echelon.IV_A)
        registered.append(official)
    sheet = [
        _official_values(make_nip(3000 + n, sex=2), f"Pegawai Baru {n}", "Pelaksana", "JF", "Dinkes", "02-01-2025")
        for n in range(size - len(registered))
    ]
    for n, official in enumerate(registered):
        acting = "Plt" if n % 2 else ""
        position = f"Plt. Kepala Bidang {n}" if acting else f"Kepala Seksi Baru {n}"
        sheet.append(_official_values(official.nip, official.name, position, "IV.a", "Dinkes", "01-06-2026", acting))
    return sheet


@pytest.mark.parametrize("size", [10, 200])
def test_an_official_batch_takes_the_same_few_queries_for_10_or_200_rows(
    world, admin, size, django_assert_max_num_queries, sqlite_limit
):
    importer = _roster_importer(world, admin)
    rows = _parse(importer, _roster_of(world, size))
    assert {row["action"] for row in rows} == {"create", "rotate", "start"}
    importer.prepare()
    # Officials, positions, NIPs taken; new officials and their history; ended positions and their
    # history; new positions and their history; data version.
    with django_assert_max_num_queries(12):
        importer.save_rows(rows)
    assert Official.objects.filter(region=world.region, name__startswith="Pegawai").count() == size
    assert Assignment.objects.filter(official__region=world.region, end_date=dt.date(2026, 5, 31)).count() == (
        (size // 2 + 1) // 2
    )


OFFICIAL_HEADERS = ["NIP", "Nama", "Jabatan", "Eselon", "Perangkat Daerah", "TMT Jabatan"]


def test_official_rows_that_cannot_be_saved_are_refused_on_their_line_and_the_rest_saved(world, admin, settings):
    settings.LUMBUNG_IMPORT_BATCH_ROWS = 3
    nips = [make_nip(950 + n, sex=2) for n in range(8)]
    sheet = [[nip, f"Pegawai {n}", "Pelaksana", "JF", "Dinkes", "02-01-2025"] for n, nip in enumerate(nips)]
    upload = sheet_upload(OFFICIAL_HEADERS, sheet, text_columns={"NIP"})
    batch = import_start(kind="officials", region=world.region, actor=admin, uploaded=upload)
    OfficialFactory(region=world.region, nip=nips[4])  # registered by hand meanwhile
    version = data_version(world.region.pk)
    import_confirm(batch=ImportBatch.objects.get(pk=batch.pk), mode=ImportBatch.Mode.VALID_ONLY, actor=admin)
    batch.refresh_from_db()
    errors = {row["row"]: " ".join(row["errors"]) for row in batch.rows}
    assert errors.pop(6) == "NIP ini sudah terdaftar."
    assert set(errors.values()) == {""}
    assert (batch.status, batch.imported_count, batch.error_count) == (ImportBatch.Status.DONE, 7, 1)
    saved = Official.objects.filter(name__startswith="Pegawai ", region=world.region)
    assert saved.count() == 7 and Assignment.objects.filter(official__in=saved).count() == 7
    assert Official.history.filter(nip__in=nips, history_user=admin).count() == 7
    assert _bumps(world.region, version) == 3 + 1
