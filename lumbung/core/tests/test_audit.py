"""Audit trails read from django-simple-history: field by field, names instead of ids, few queries."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lumbung.core.audit import audit_trail
from lumbung.core.roles import Role
from lumbung.organisation import services
from lumbung.organisation.models import Assignment, Echelon, Unit
from tests.factories import UnitFactory


def test_a_new_record_lists_what_was_filled_in_and_who_did_it(world):
    admin = world.user(Role.ADMIN)
    unit = services.unit_create(
        region=world.region, actor=admin, name="UPTD Radio", kind=Unit.Kind.TECHNICAL_UNIT, parent=world.unit
    )
    [entry] = audit_trail(unit.history.all())
    assert (entry.who, entry.kind, entry.kind_label, entry.subject) == (admin, "+", "membuat", "UPTD Radio")
    changes = {change.label: change.new for change in entry.changes}
    assert changes["induk"] == world.unit.name  # a name, not an id
    assert changes["jenis"] == "UPTD"  # the label of the choice
    assert changes["aktif"] == "Ya"
    assert "singkatan" not in changes  # empty fields are left out


def test_a_change_shows_before_and_after_of_the_changed_fields_only(world):
    admin = world.user(Role.ADMIN)
    position = world.official.assignments.get()
    services.assignment_end(assignment=position, actor=admin, end_date=dt.date(2025, 12, 31), reason="Pensiun")
    latest = audit_trail(Assignment.history.filter(id=position.pk))[0]
    assert (latest.kind, latest.reason, latest.who) == ("~", "Pensiun", admin)
    assert [(c.label, c.old, c.new) for c in latest.changes] == [("sampai", "—", "31 Desember 2025")]


def test_saves_that_change_nothing_are_left_out_and_deletions_are_shown(world):
    unit = UnitFactory(region=world.region, name="Kantor Sementara")
    unit.save()
    unit_id = unit.pk
    unit.delete()
    entries = audit_trail(Unit.history.filter(id=unit_id))
    assert [entry.kind for entry in entries] == ["-", "+"]


def test_a_deleted_related_object_is_named_by_its_id(world):
    parent = UnitFactory(region=world.region, name="Induk Lama")
    child = UnitFactory(region=world.region, parent=parent, name="Anak")
    child.parent = None
    child.save()
    parent_id = parent.pk
    parent.delete()
    changed = audit_trail(child.history.all())[0]
    assert [(c.old, c.new) for c in changed.changes if c.label == "induk"] == [(f"#{parent_id} (sudah dihapus)", "—")]


def test_the_trail_costs_a_few_queries_however_long_it_is(world):
    admin = world.user(Role.ADMIN)
    histories = (world.official.history.all(), Assignment.history.filter(official_id=world.official.pk))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            audit_trail(*histories)
        return len(queries)

    few = count()
    for year in range(2021, 2031):
        services.official_rotate(
            official=world.official, actor=admin, unit=world.sibling_unit if year % 2 else world.unit,
            position=f"Jabatan {year}", echelon=Echelon.III_A, start_date=dt.date(year, 1, 2),
        )  # fmt: skip
    assert count() == few


def test_describe_names_rows_without_following_foreign_keys(world):
    entries = audit_trail(world.official.history.all(), describe={world.official.__class__: lambda record: "ASN"})
    assert {entry.subject for entry in entries} == {"ASN"}


def test_a_json_object_shows_the_keys_that_changed_with_their_labels(db):
    from lumbung.frameworks.tests.factories import FrameworkFactory

    framework = FrameworkFactory(rows=False, unconfirmed={"min_divisor": "Perkiraan", "bands": "Belum terbit"})
    framework.unconfirmed = {"min_divisor": "Sesuai tabel prognosis", "bands": "Belum terbit", "custom_part": "X"}
    framework.save()
    changed = audit_trail(framework.history.all(), key_labels={"bands": "Predikat"})[0]
    # Sets: PostgreSQL's jsonb does not keep the order of keys.
    assert {(c.label, c.old, c.new) for c in changed.changes} == {
        ("nilai yang belum terkonfirmasi — pembagi minimum (k)", "Perkiraan", "Sesuai tabel prognosis"),
        ("nilai yang belum terkonfirmasi — custom part", "—", "X"),
    }
    created = audit_trail(framework.history.all())[-1]
    labels = {c.label for c in created.changes if c.label.startswith("nilai yang")}
    assert labels == {"nilai yang belum terkonfirmasi — pembagi minimum (k)", "nilai yang belum terkonfirmasi — bands"}


def test_nested_json_shows_its_values_without_the_code_names(db):
    from lumbung.frameworks.tests.factories import FrameworkFactory

    framework = FrameworkFactory(rows=False, source={})
    framework.source = {"documents": [{"class": "OFF", "title": "Pedoman 2026"}, {"class": "REPO", "title": "Katalog"}]}
    framework.save()
    [change] = audit_trail(framework.history.all(), key_labels={"documents": "dokumen"})[0].changes
    assert (change.label, change.old, change.new) == ("sumber — dokumen", "—", "OFF · Pedoman 2026; REPO · Katalog")


def test_decimals_read_in_the_interface_language(db):
    from lumbung.frameworks.tests.factories import FrameworkFactory

    framework = FrameworkFactory(rows=False, count_factor=Decimal("0.50"))
    framework.count_factor = Decimal("0.38")
    framework.save()
    with translation.override("id"):
        [change] = audit_trail(framework.history.all())[0].changes
    assert (change.old, change.new) == ("0,50", "0,38")


def test_a_field_the_model_leaves_unnamed_can_be_named(db):
    from lumbung.frameworks.tests.factories import FrameworkFactory, IndicatorFactory

    indicator = IndicatorFactory(framework=FrameworkFactory(rows=False))
    created = audit_trail(indicator.history.all(), key_labels={"framework": "metodologi"})[0]
    assert "metodologi" in [change.label for change in created.changes]
    assert "framework" not in [change.label for change in created.changes]
