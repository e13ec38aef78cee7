"""The figures pipeline (sums aggregated per assessment + the engine's summarise) gives exactly
what the engine's compute gives from the levels, in both projections."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.assessment.models import Answer, RowStatus
from lumbung.assessment.scoring import _collect, _Sums, figures_for
from lumbung.assessment.tests.factories import enter, open_assessment
from lumbung.frameworks.engine import InnovationInput, compute
from lumbung.frameworks.tests.specs import BASIC_SERVICES, SID_2026, SPD_2026, spec_2026

SPEC = spec_2026()
WEIGHTS = {code: Decimal(weight) for code, weight, _mandatory in SPD_2026 + SID_2026}
AFFAIRS = sorted(BASIC_SERVICES) + ["kominfo", "pariwisata"]

row = st.tuples(st.integers(0, 3), st.booleans())  # (level, accepted)
innovation = st.fixed_dictionaries(
    {
        "rows": st.fixed_dictionaries({code: row for code, _w, _m in SID_2026}),
        "affairs": st.frozensets(st.sampled_from(AFFAIRS), min_size=1, max_size=3),
    }
)


@settings(max_examples=60, deadline=None)
@given(
    region=st.fixed_dictionaries({code: row for code, _w, _m in SPD_2026}),
    innovations=st.lists(innovation, max_size=30),
)
def test_sums_and_summarise_equal_compute(region, innovations):
    for projection, counts in (("claimed", lambda level, ok: level), ("verified", lambda level, ok: level * ok)):
        sums = _Sums()
        sums.spd = {projection: sum((WEIGHTS[c] * counts(*v) for c, v in region.items()), Decimal(0))}
        sums.maturity_sum = {
            projection: sum(
                (WEIGHTS[c] * counts(*v) for item in innovations for c, v in item["rows"].items()), Decimal(0)
            )
        }
        sums.count = len(innovations)
        sums.basic_services = set().union(*(item["affairs"] for item in innovations))
        for name in ("claimed", "expected", "verified"):
            sums.spd.setdefault(name, Decimal(0))
            sums.maturity_sum.setdefault(name, Decimal(0))
        figures = figures_for(SPEC, sums)[projection]
        expected = compute(
            SPEC,
            {c: counts(*v) for c, v in region.items()},
            [
                InnovationInput(str(i), item["affairs"], {c: counts(*v) for c, v in item["rows"].items()})
                for i, item in enumerate(innovations)
            ],
        )
        assert Decimal(figures["iid"]) == expected.iid
        assert figures["predicate"] == expected.predicate
        assert Decimal(figures["total"]) == expected.total
        assert Decimal(figures["count_score"]) == expected.count_score
        assert figures["divisor"] == expected.divisor
        assert figures["basic_services_covered"] == expected.basic_services_covered


@pytest.mark.django_db
def test_the_sql_sums_count_eligible_rows_only(world, admin):
    """_collect's maturity sums equal Σ weight × level over the rows of eligible entries, in
    both projections, with an ineligible entry and another region's assessment present."""
    assessment = open_assessment(world.region, admin)
    other = open_assessment(world.other_region, world.other_admin)
    eligible = enter(assessment, admin, unit=world.unit, name="Layanan Antrean Daring")
    ineligible = enter(assessment, admin, unit=world.unit, name="Gagasan Baru", stage="initiative")
    elsewhere = enter(other, world.other_admin, unit=world.other_unit, name="Inovasi Daerah Lain")
    assert eligible.is_eligible and not ineligible.is_eligible
    Answer.objects.filter(entry=elsewhere).update(level=3, status=RowStatus.ACCEPTED)
    rows = list(Answer.objects.filter(entry__in=[eligible, ineligible]).select_related("indicator").order_by("pk"))

    @settings(max_examples=10, deadline=None)
    @given(levels=st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=len(rows), max_size=len(rows)))
    def check(levels):
        for row, (level, accepted) in zip(rows, levels, strict=True):
            row.level, row.status = level, RowStatus.ACCEPTED if accepted else RowStatus.CLAIMED
        Answer.objects.bulk_update(rows, ["level", "status"])

        sums = _collect(assessment_ids=[assessment.pk])[assessment.pk]

        counted = [row for row in rows if row.entry_id == eligible.pk]
        assert sums.maturity_sum["claimed"] == sum((r.indicator.weight * r.level for r in counted), Decimal(0))
        assert sums.maturity_sum["verified"] == sum(
            (r.indicator.weight * r.level for r in counted if r.status == RowStatus.ACCEPTED), Decimal(0)
        )
        assert sums.count == 1

    check()
