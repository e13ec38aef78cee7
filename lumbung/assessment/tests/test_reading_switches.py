"""Switching the project's readings in the app: the planner shows the index under each other
reading as soon as it opens (not only after a what-if), innovations of every stage counted in n
move the index as described, the SAKIP grades are named as not computable, and a level typed by
hand on a count, days or months row requires its number and keeps it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lumbung.assessment import services
from lumbung.assessment.readings import not_computable, reading_alternatives
from lumbung.frameworks.models import Indicator
from lumbung.frameworks.planner import Projection
from lumbung.innovations.models import Innovation

from .factories import affair, enter

pytestmark = pytest.mark.django_db
D = Decimal


def _claim(entry, code, level, actor):
    row = entry.answers.select_related("indicator", "entry__assessment").get(indicator__code=code)
    services.answer_set(row=row, level=level, actor=actor)


def test_innovations_of_every_stage_counted_in_n(assessment, entry, admin, world):
    trial = enter(assessment, admin, unit=world.unit, name="Uji Coba Posyandu Digital", stage=Innovation.Stage.TRIAL)
    stopped = enter(
        assessment, admin, unit=world.unit, name="Inisiatif Lama", stage=Innovation.Stage.INITIATIVE, is_running=False
    )
    assert not trial.is_eligible and {reason["code"] for reason in trial.eligibility_reasons} <= {"stage", "no_date"}
    _claim(trial, "16", 3, admin)
    _claim(stopped, "16", 3, admin)
    found = {item.name: item for item in reading_alternatives(assessment, Projection.CLAIMED)}
    stages = found["stages_in_count"]
    # The trial innovation joins n: weight 3 × level 3 = 9 over MAX(12, 2) = 0.75 of 250 → 0.30.
    # The stopped one stays out: being stopped, not its stage, keeps it out.
    assert (stages.now, stages.iid) == (D("0.00"), D("0.30"))
    assert stages.reading == "Semua tahapan (inisiatif, uji coba, penerapan)"
    assert "stages_in_count" not in {item.name for item in reading_alternatives(assessment, Projection.VERIFIED)}


def test_the_planner_shows_the_other_readings_when_it_opens(client, assessment, entry, admin):
    entry.innovation.main_affair = affair("pendidikan")
    entry.innovation.save()
    entry.innovation.related_affairs.set([affair(code) for code in ("kesehatan", "pupr", "perumahan", "trantibum")])
    client.force_login(admin)
    page = client.get(reverse("assessment:planner", args=[assessment.pk])).content.decode()
    assert "bila Hanya urusan utama inovasi yang dihitung: IID 0,00 (sekarang 0,15)" in page
    assert "Indikator 9: nilai SAKIP BB, CC dan AA: bila Menurut hurufnya" in page
    assert "tidak dapat dihitung dari isian" in page


def test_the_sakip_grades_are_named_as_not_computable(assessment):
    assert [item.label for item in not_computable(assessment)] == ["Indikator 9: nilai SAKIP BB, CC dan AA"]


@pytest.fixture
def counted_row(assessment):
    """SPD 2a measured as a count (1 / 2 / 3 or more), as the shipped methodology has it."""
    indicator = Indicator.objects.get(framework=assessment.framework, code="2a")
    indicator.measure = Indicator.Measure.COUNT
    indicator.thresholds = [
        {"level": 1, "min": 1, "max": 1},
        {"level": 2, "min": 2, "max": 2},
        {"level": 3, "min": 3},
    ]
    indicator.save()
    return assessment.region_answers.select_related("indicator", "assessment").get(indicator__code="2a")


@pytest.mark.parametrize("measure", [Indicator.Measure.COUNT, Indicator.Measure.DAYS, Indicator.Measure.MONTHS])
def test_a_level_typed_on_a_counted_row_requires_the_number(counted_row, admin, measure):
    Indicator.objects.filter(pk=counted_row.indicator_id).update(measure=measure)
    counted_row.indicator.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        services.answer_set(row=counted_row, level=2, actor=admin)
    assert "Isi nilai terukurnya" in str(raised.value)
    counted_row.refresh_from_db()
    assert (counted_row.level, counted_row.measured_value) == (0, None)


def test_a_level_typed_on_a_counted_row_keeps_the_number(counted_row, admin):
    services.answer_set(row=counted_row, measured_value=D("3"), actor=admin)
    assert counted_row.level == 3
    services.answer_set(row=counted_row, level=2, measured_value=D("3"), actor=admin)
    counted_row.refresh_from_db()
    assert (counted_row.level, counted_row.measured_value) == (2, D("3"))
    with pytest.raises(ValidationError):
        services.answer_set(row=counted_row, level=1, actor=admin)  # the number may not be dropped
    counted_row.refresh_from_db()
    assert (counted_row.level, counted_row.measured_value) == (2, D("3"))
