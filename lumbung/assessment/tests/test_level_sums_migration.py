"""Migration 0010 fills the level sums of the rows already there, and its triggers keep them from
then on; unapplied, it leaves the answer and entry tables writable without the sums table."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from lumbung.assessment.models import Answer, Entry, IndicatorLevelSum, RowStatus
from lumbung.assessment.tests.factories import enter, open_assessment
from lumbung.assessment.tests.test_level_sums import counts_from_scratch, counts_kept, from_scratch, maintained

BEFORE = [("assessment", "0009_answer_awaiting_oldest_index")]
AFTER = [("assessment", "0010_indicator_level_sums")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_sums_and_the_triggers_keep_them(world, admin):
    assessment = open_assessment(world.region, admin)
    kept = enter(assessment, admin, unit=world.unit, name="Layanan Antrean Daring")
    dropped = enter(assessment, admin, unit=world.unit, name="Sistem Arsip Elektronik")
    ineligible = enter(assessment, admin, unit=world.unit, name="Gagasan Baru", stage="initiative")
    migrate(BEFORE)
    try:
        # Written while there are no triggers (an older release): the fill must see all of it.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE assessment_answer SET level = 3, status = 'accepted', accepted_level = 3")
            cursor.execute(
                "UPDATE assessment_answer SET level = 2, status = 'rejected' WHERE entry_id = %s", [dropped.pk]
            )
            cursor.execute("UPDATE assessment_entry SET is_eligible = %s WHERE id = %s", [False, dropped.pk])
    finally:
        migrate(AFTER)
    sums = maintained()
    assert sums == from_scratch()
    assert counts_kept() == counts_from_scratch()
    assert sum(main for main, _related in counts_kept().values()) == 1  # the one eligible entry left
    assert {key[0] for key in sums} == {assessment.pk}
    assert all(value == (3, 3, 3) for value in sums.values())  # only the kept entry's rows count

    Entry.objects.filter(pk=dropped.pk).update(is_eligible=True)
    Answer.objects.filter(entry=ineligible).update(level=1, status=RowStatus.CLAIMED)
    Answer.objects.filter(entry=kept).first().delete()
    assert maintained() == from_scratch()
    assert counts_kept() == counts_from_scratch()
    assert IndicatorLevelSum.objects.filter(assessment=assessment, expected=3).exists()


@pytest.mark.django_db
def test_every_trigger_is_in_place_after_all_migrations():
    """SQLite remakes a table to alter it (copy, drop, rename), and the drop takes the table's
    triggers with it: a later migration that alters the answers, entries, innovations or their
    related affairs must create the triggers again (ADR 0010). This says when one did not."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'index_sums_%%' AND NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'index_sums_%%'")
        names = {row[0] for row in cursor.fetchall()}
    assert len(names) == 10, sorted(names)  # answers 3, entries 3, innovations 1, related affairs 3
    tables = ("answer", "entry", "innovation", "related")
    assert all(any(table in name for name in names) for table in tables)
