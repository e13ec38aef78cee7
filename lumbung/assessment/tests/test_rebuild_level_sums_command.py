"""`manage.py rebuild_level_sums`: sums written around the triggers are found by --check (exit
status 1, the assessments named, nothing written) and repaired by the rebuild, figures included;
--assessment limits both to one; a wrong id ends with a message, never a traceback."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lumbung.assessment import scoring
from lumbung.assessment.models import AffairCount, Answer, Assessment, IndicatorLevelSum, RowStatus
from lumbung.assessment.tests.factories import enter, open_assessment
from lumbung.assessment.tests.test_level_sums import counts_kept, maintained

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    """The command's exit status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("rebuild_level_sums", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def two(world, admin):
    """Two regions' assessments with answered rows of eligible innovations."""
    ours = open_assessment(world.region, admin)
    theirs = open_assessment(world.other_region, world.other_admin)
    first = enter(ours, admin, unit=world.unit, name="Layanan Antrean Daring")
    enter(ours, admin, unit=world.unit, name="Gagasan Baru", stage="initiative")
    enter(theirs, world.other_admin, unit=world.other_unit, name="Inovasi Daerah Lain")
    Answer.objects.filter(entry=first).update(level=3, status=RowStatus.ACCEPTED)
    Answer.objects.filter(scoring_assessment=theirs).update(level=2, status=RowStatus.CLAIMED)
    for assessment in (ours, theirs):
        scoring.assessment_recompute(assessment=assessment)
    return ours, theirs


def damage(assessment) -> None:
    """Sums written directly, as a load with the triggers off leaves them: the rows say otherwise."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessment_indicatorlevelsum SET claimed = claimed + 5 WHERE assessment_id = %s", [assessment.pk]
        )


def figures(assessment) -> dict:
    return Assessment.objects.get(pk=assessment.pk).figures


def test_the_check_passes_when_every_sum_equals_its_rows(two):
    code, out, err = run("--check")
    assert code == 0 and not err
    assert "Jumlah tersimpan semua penilaian sama dengan baris jawabannya." in out


def test_a_sum_written_around_the_triggers_is_reported_then_rebuilt(two):
    ours, theirs = two
    right, right_counts, right_figures = maintained(), counts_kept(), figures(ours)
    damage(ours)
    with connection.cursor() as cursor:  # and an affair count of the other region lost
        cursor.execute("DELETE FROM assessment_affaircount WHERE assessment_id = %s", [theirs.pk])
    scoring.assessment_recompute(assessment=ours)  # figures read from the damaged sums
    assert figures(ours)["claimed"] != right_figures["claimed"]
    damaged, damaged_counts = maintained(), counts_kept()

    code, out, err = run("--check")
    assert code == 1 and not out
    assert "Jumlah tersimpan 2 penilaian berbeda dari baris jawabannya:" in err
    assert f"#{ours.pk} Kabupaten Lampung Barat tahun 2026" in err
    assert f"#{theirs.pk} Kabupaten Lampung Selatan tahun 2026" in err
    assert "tanpa --check" in err
    assert (maintained(), counts_kept()) == (damaged, damaged_counts)  # the check wrote nothing

    code, out, err = run()
    assert code == 0 and not err
    assert "Jumlah tersimpan dibangun ulang dari baris jawaban" in out
    assert "angka indeks 2 penilaian dihitung ulang" in out
    assert (maintained(), counts_kept()) == (right, right_counts)
    assert figures(ours) == right_figures | {"revision": figures(ours)["revision"]}
    assert run("--check")[0] == 0


def test_one_assessment_is_checked_and_rebuilt_alone(two):
    ours, theirs = two
    damage(ours)
    damage(theirs)
    code, _, err = run("--check", "--assessment", str(theirs.pk))
    assert code == 1
    assert f"#{theirs.pk} " in err and f"#{ours.pk} " not in err

    code, out, _ = run("--assessment", str(theirs.pk))
    assert code == 0 and "angka indeks 1 penilaian dihitung ulang" in out
    assert scoring.level_sums_differing() == [ours.pk]  # the other one was left as it was
    code, out, _ = run("--check", "--assessment", f" {theirs.pk} ")
    assert code == 0
    assert f"Jumlah tersimpan penilaian #{theirs.pk} Kabupaten Lampung Selatan tahun 2026 sama" in out


def test_rows_of_zeros_left_by_deletions_are_no_difference(two):
    """Deletions subtract from the kept rows without removing them: zeros equal no rows."""
    ours, _theirs = two
    for entry in ours.entries.all():
        entry.delete()
    assert IndicatorLevelSum.objects.filter(assessment=ours, claimed=0).exists()
    assert AffairCount.objects.filter(assessment=ours, main=0).exists()
    assert scoring.level_sums_differing() == []
    assert scoring.level_sums_differing(assessment_ids=[]) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", 'ID penilaian harus berupa bilangan bulat, misalnya --assessment 12; bukan "abc".'),
        ("-3", 'ID penilaian harus berupa bilangan bulat, misalnya --assessment 12; bukan "-3".'),
        ("", 'ID penilaian harus berupa bilangan bulat, misalnya --assessment 12; bukan "".'),
        ("²", 'ID penilaian harus berupa bilangan bulat, misalnya --assessment 12; bukan "²".'),
        ("999999", "Tidak ada penilaian dengan ID 999999."),
        ("9" * 30, f"Tidak ada penilaian dengan ID {'9' * 30}."),
    ],
)
@pytest.mark.parametrize("check", [True, False])
def test_a_wrong_id_ends_with_a_message_and_writes_nothing(two, value, message, check):
    ours, _theirs = two
    damage(ours)
    damaged = maintained()
    with pytest.raises(CommandError) as raised:
        run(*(["--check"] if check else []), "--assessment", value)
    assert str(raised.value) == message
    assert raised.value.returncode == 2
    assert maintained() == damaged
