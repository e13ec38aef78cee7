"""The index under the project's other readings (frameworks/inferences.py), from the saved
answers: only the main affair, values not rounded, indicator 33 basis c above 30%."""

from decimal import Decimal

import pytest
from django.urls import reverse

from lumbung.assessment import services
from lumbung.assessment.readings import reading_alternatives
from lumbung.frameworks.models import BenefitBasis
from lumbung.frameworks.planner import Projection

from .factories import affair

pytestmark = pytest.mark.django_db
D = Decimal


def by_name(assessment, projection=Projection.CLAIMED):
    return {item.name: item for item in reading_alternatives(assessment, projection)}


def test_only_the_main_affair_can_lose_the_count_score(assessment, entry):
    entry.innovation.main_affair = affair("pendidikan")
    entry.innovation.save()
    entry.innovation.related_affairs.set([affair(code) for code in ("kesehatan", "pupr", "perumahan", "trantibum")])
    found = by_name(assessment, Projection.VERIFIED)
    # Five of six covered with related affairs: 1 × 0.38 = 0.38 of 250 → 0.15; main only: 0.
    coverage = found["basic_service_coverage"]
    assert (coverage.now, coverage.iid) == (D("0.15"), D("0.00"))
    assert coverage.reading == "Hanya urusan utama inovasi yang dihitung"


def test_an_unrounded_value_can_fall_in_the_published_gap(assessment, admin):
    row = assessment.region_answers.select_related("indicator", "assessment").get(indicator__code="3")
    services.answer_set(row=row, measured_value=D("8.165"), actor=admin)  # read as 8.17: level 3
    assert row.level == 3
    rounding = by_name(assessment)["measured_rounding"]
    # Not rounded, 8.165 lies between ≤ 8.16 and ≥ 8.17: level 0 (weight 1 × 3 = 1.20 IID lost).
    assert (rounding.now, rounding.iid) == (D("1.20"), D("0.00"))
    assert "measured_rounding" not in by_name(assessment, Projection.VERIFIED), "not accepted: nothing changes"


def test_efficiency_above_30_percent_at_the_top_level(assessment, rows, operator):
    benefit = rows["33"].indicator
    basis = BenefitBasis.objects.create(
        indicator=benefit, code="c", name="Efisiensi belanja", unit="%", measure="percent", level_1="1",
        level_2="2", level_3="3", order=9,
        thresholds=[{"level": 1, "min": "0.01", "max": "10.00"}, {"level": 2, "min": "10.01", "max": "20.00"},
                    {"level": 3, "min": "20.01", "max": "30"}],
    )  # fmt: skip
    services.answer_set(row=rows["33"], basis=basis, measured_value=D("35"), actor=operator)
    rows["33"].refresh_from_db()
    assert rows["33"].level == 0
    efficiency = by_name(assessment)["benefit_c_above_30"]
    # Weight 3 × level 3 = 9 maturity over MAX(12, 1) = 0.75 → 0.30 IID.
    assert (efficiency.now, efficiency.iid) == (D("0.00"), D("0.30"))


def test_a_reading_that_changes_nothing_is_not_listed(assessment, entry):
    assert reading_alternatives(assessment) == []


def test_the_what_if_shows_the_other_readings(client, assessment, entry, admin):
    entry.innovation.main_affair = affair("pendidikan")
    entry.innovation.save()
    entry.innovation.related_affairs.set([affair(code) for code in ("kesehatan", "pupr", "perumahan", "trantibum")])
    client.force_login(admin)
    response = client.post(reverse("assessment:whatif", args=[assessment.pk]), {"proyeksi": "verified"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "bila Hanya urusan utama inovasi yang dihitung: IID 0,00 (sekarang 0,15)" in page


def test_a_past_year_is_recomputed_beside_its_official_result(client, world, admin, verifier):
    """The region opens 2025 under the shipped 2025 methodology, enters what it submitted, and
    reads the recomputed index beside the official one it recorded."""
    from lumbung.assessment.models import OfficialResult
    from lumbung.frameworks import reference
    from lumbung.frameworks.models import Framework

    from .factories import claim_with_evidence

    reference.load()
    past = services.assessment_create(
        region=world.region, year=2025, framework=Framework.objects.get(year=2025), actor=admin
    )
    row = past.region_answers.select_related("indicator", "assessment").get(indicator__code="12")
    claim_with_evidence(row, actor=admin, level=3, title="SK penghargaan inovator", year=2025)
    row.refresh_from_db()
    services.row_transition(row=row, action="accept", actor=verifier)
    OfficialResult.objects.create(region=world.region, year=2025, iid=D("3.00"), predicate="Kurang Inovatif",
                                  entered_by=admin)  # fmt: skip
    client.force_login(admin)
    page = client.get(reverse("assessment:results")).content.decode()
    # Row 12: weight 2 × level 3 = 6 of 250 → 2.40, official 3.00: a difference of −0.60.
    assert "2,40" in page and "selisih -0,60" in page
    assert "Kurang Inovatif" in page
