"""The index formula against the methodology's worked examples (section 4.3), the band
boundaries, the divisor and count rules, and properties over random answers."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.frameworks.engine import (
    NOT_ASSESSABLE,
    InnovationInput,
    ScoreInputError,
    compute,
    round_half_up,
    summarise,
)

from .specs import BASIC_SERVICES, SID_CODES, SPD_CODES, spec_2026

D = Decimal
SPEC = spec_2026()
ALL_BASIC = sorted(BASIC_SERVICES)

# All SPD rows at level 2 (42 points) except two weight-1 rows at level 1: 40 points.
SPD_40 = {code: 2 for code in SPD_CODES} | {"2a": 1, "2b": 1}
# All SID rows at level 2 (74 points) except four weight-1 rows at level 1: maturity 70.
MATURITY_70 = {code: 2 for code in SID_CODES} | {"20": 1, "22": 1, "23": 1, "24": 1}


def innovations(count, levels=MATURITY_70, affairs=ALL_BASIC):
    """`count` innovations; the affairs are spread one per innovation, round robin."""
    return [
        InnovationInput(f"A-{i + 1}", frozenset({affairs[i % len(affairs)]}) if affairs else frozenset(), levels)
        for i in range(count)
    ]


def test_the_worked_example_with_twenty_innovations():
    result = compute(SPEC, SPD_40, innovations(20))
    assert result.spd_score == D("40")
    assert result.innovation_count == 20
    assert result.divisor == 20
    assert result.sid_average == D("70.00")
    assert result.basic_services_covered == 6
    assert result.count_score == D("7.60")
    assert result.total == D("117.60")
    assert result.iid == D("47.04")
    assert result.predicate == "Inovatif"
    assert set(result.maturities.values()) == {D("70")}


def test_the_worked_example_with_eight_innovations_divides_by_k():
    result = compute(SPEC, SPD_40, innovations(8))
    assert result.divisor == 12
    assert result.sid_average == D("46.67")  # 560 / 12
    assert result.count_score == D("3.04")
    assert result.total == D("89.71")
    assert result.iid == D("35.88")
    assert result.predicate == "Kurang Inovatif"


@pytest.mark.parametrize(
    ("affairs", "covered", "count_score"),
    [
        (ALL_BASIC[:4], 4, D("0")),
        (ALL_BASIC[:4] + ["kominfo", "pertanian"], 4, D("0")),  # other affairs count for nothing
        (ALL_BASIC[:5], 5, D("7.60")),
        (ALL_BASIC, 6, D("7.60")),
    ],
)
def test_the_count_score_needs_five_of_the_six_basic_services(affairs, covered, count_score):
    result = compute(SPEC, SPD_40, innovations(20, affairs=affairs))
    assert result.basic_services_covered == covered
    assert result.count_score == count_score
    assert len(result.basic_services_missing) == 6 - covered


def test_four_basic_services_in_the_worked_example_lose_the_count_score():
    result = compute(SPEC, SPD_40, innovations(20, affairs=ALL_BASIC[:4]))
    assert result.total == D("110.00")
    assert result.iid == D("44.00")


def test_one_innovation_may_cover_several_affairs():
    many = InnovationInput("A-1", frozenset(ALL_BASIC[:5]), MATURITY_70)
    assert compute(SPEC, {}, [many]).count_score == D("0.38")


@pytest.mark.parametrize(("n", "divisor"), [(0, 12), (1, 12), (11, 12), (12, 12), (13, 13), (40, 40)])
def test_the_divisor_is_the_larger_of_k_and_n(n, divisor):
    result = compute(SPEC, {}, innovations(n))
    assert result.divisor == divisor
    assert result.sid_average == round_half_up(Fraction(70 * n, divisor))


def test_below_k_every_innovation_adds_its_maturity_over_k():
    before = compute(SPEC, SPD_40, innovations(10))
    after = compute(SPEC, SPD_40, innovations(11))
    # 70/12 more average and 0.38 more count score: total 102.133… → 108.346…, IID 40.85 → 43.34.
    assert (before.iid, after.iid) == (D("40.85"), D("43.34"))


def test_above_k_a_weak_innovation_lowers_the_average():
    strong = innovations(20)
    weak = InnovationInput("B-1", frozenset(), {"16": 1})
    assert compute(SPEC, SPD_40, [*strong, weak]).iid < compute(SPEC, SPD_40, strong).iid


def test_the_count_score_stops_at_the_cap():
    result = compute(SPEC, SPD_40, innovations(250))
    assert result.innovation_count == 250
    assert result.count_score == D("76.00")
    assert compute(SPEC, SPD_40, innovations(200)).count_score == D("76.00")
    assert compute(SPEC, SPD_40, innovations(199)).count_score == D("75.62")


def test_everything_at_the_top_level_scores_exactly_one_hundred():
    top = {code: 3 for code in SID_CODES}
    result = compute(SPEC, {code: 3 for code in SPD_CODES}, innovations(200, levels=top))
    assert (result.spd_score, result.sid_average, result.count_score) == (D("63"), D("111.00"), D("76.00"))
    assert result.total == D("250.00")
    assert result.iid == D("100.00")
    assert result.predicate == "Sangat Inovatif"


def test_all_zeros_cannot_be_assessed():
    result = compute(SPEC, {}, [])
    assert (result.spd_score, result.total, result.iid) == (D("0"), D("0.00"), D("0.00"))
    assert result.predicate == NOT_ASSESSABLE
    zero_levels = compute(SPEC, dict.fromkeys(SPD_CODES, 0), innovations(3, levels=dict.fromkeys(SID_CODES, 0)))
    assert zero_levels.iid == D("0.00")
    assert zero_levels.maturities == {"A-1": D("0"), "A-2": D("0"), "A-3": D("0")}


@pytest.mark.parametrize(
    ("total", "iid", "predicate"),
    [
        ("0", "0.00", NOT_ASSESSABLE),
        ("0.0124", "0.00", NOT_ASSESSABLE),  # 0.00496 rounds down
        ("0.0125", "0.01", "Kurang Inovatif"),  # 0.005 rounds half-up
        ("0.025", "0.01", "Kurang Inovatif"),
        ("100", "40.00", "Kurang Inovatif"),
        ("100.0124", "40.00", "Kurang Inovatif"),
        ("100.0125", "40.01", "Inovatif"),
        ("100.025", "40.01", "Inovatif"),
        ("162.5", "65.00", "Inovatif"),
        ("162.5124", "65.00", "Inovatif"),
        ("162.5125", "65.01", "Sangat Inovatif"),
        ("162.525", "65.01", "Sangat Inovatif"),
        ("250", "100.00", "Sangat Inovatif"),
    ],
)
def test_every_band_boundary_after_rounding_the_iid(total, iid, predicate):
    summary = summarise(SPEC, spd_score=D(total), maturity_sum=D(0), innovation_count=0, basic_services_covered=0)
    assert summary.iid == D(iid)
    assert summary.predicate == predicate


def test_the_2023_bands_leave_no_gap_after_rounding():
    spec = spec_2026(
        min_divisor=10,
        bands=(("Sangat Inovatif", D("60.01")), ("Inovatif", D("35.00")), ("Kurang Inovatif", D("0.01"))),
    )
    assert spec.predicate_for(D("34.99")) == "Kurang Inovatif"
    assert spec.predicate_for(D("35.00")) == "Inovatif"
    assert spec.predicate_for(D("60.00")) == "Inovatif"
    assert spec.predicate_for(D("60.01")) == "Sangat Inovatif"


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("1.005", "1.01"), ("1.004999", "1.00"), ("-1.005", "-1.01"), ("0", "0.00"), (Fraction(2, 3), "0.67")],
)
def test_round_half_up(value, rounded):
    assert round_half_up(value if isinstance(value, Fraction) else D(value)) == D(rounded)


@pytest.mark.parametrize(
    ("region", "items", "problem", "where", "code"),
    [
        ({"99": 1}, [], ScoreInputError.UNKNOWN_ROW, "spd", "99"),
        ({"16": 1}, [], ScoreInputError.WRONG_ASPECT, "spd", "16"),
        ({"1": 4}, [], ScoreInputError.LEVEL_OUT_OF_RANGE, "spd", "1"),
        ({"1": -1}, [], ScoreInputError.LEVEL_OUT_OF_RANGE, "spd", "1"),
        ({"1": True}, [], ScoreInputError.LEVEL_OUT_OF_RANGE, "spd", "1"),
        ({"1": "2"}, [], ScoreInputError.LEVEL_OUT_OF_RANGE, "spd", "1"),
        ({}, [InnovationInput("X", frozenset(), {"1": 1})], ScoreInputError.WRONG_ASPECT, "X", "1"),
        ({}, [InnovationInput("X", frozenset(), {"36": 1})], ScoreInputError.UNKNOWN_ROW, "X", "36"),
        ({}, [InnovationInput("X", frozenset(), {"16": 2.0})], ScoreInputError.LEVEL_OUT_OF_RANGE, "X", "16"),
        ({}, innovations(1) + innovations(1), ScoreInputError.DUPLICATE_ID, "A-1", ""),
    ],
)
def test_bad_input_names_the_offending_item(region, items, problem, where, code):
    with pytest.raises(ScoreInputError) as raised:
        compute(SPEC, region, items)
    assert (raised.value.problem, raised.value.where, raised.value.code) == (problem, where, code)


# Properties ---------------------------------------------------------------------------------

levels_of = st.integers(min_value=0, max_value=3)
region_levels = st.dictionaries(st.sampled_from(SPD_CODES), levels_of)
affairs = st.frozensets(st.sampled_from([*ALL_BASIC, "kominfo", "pertanian"]), max_size=3)
innovation_levels = st.dictionaries(st.sampled_from(SID_CODES), levels_of)
innovation_lists = st.lists(st.tuples(affairs, innovation_levels), max_size=25).map(
    lambda items: [InnovationInput(f"I-{i}", aff, lev) for i, (aff, lev) in enumerate(items)]
)


@settings(max_examples=150, deadline=None)
@given(region=region_levels, items=innovation_lists)
def test_results_stay_within_the_maxima(region, items):
    result = compute(SPEC, region, items)
    assert D(0) <= result.spd_score <= D(63)
    assert all(D(0) <= value <= D(111) for value in result.maturities.values())
    assert D(0) <= result.sid_average <= D(111)
    assert D(0) <= result.count_score <= D(76)
    assert D(0) <= result.total <= D(250)
    assert D(0) <= result.iid <= D(100)
    assert result.predicate == SPEC.predicate_for(result.iid)


@settings(max_examples=150, deadline=None)
@given(region=region_levels, items=innovation_lists, data=st.data())
def test_raising_any_one_level_never_lowers_the_index(region, items, data):
    before = compute(SPEC, region, items)
    target = data.draw(st.integers(min_value=-1, max_value=len(items) - 1), label="row owner (-1: region)")
    if target < 0:
        code = data.draw(st.sampled_from(SPD_CODES), label="code")
        current = region.get(code, 0)
        raised_region, raised_items = {**region, code: min(current + 1, 3)}, items
    else:
        code = data.draw(st.sampled_from(SID_CODES), label="code")
        chosen = items[target]
        current = chosen.levels.get(code, 0)
        replaced = InnovationInput(chosen.id, chosen.affairs, {**chosen.levels, code: min(current + 1, 3)})
        raised_region, raised_items = region, [*items[:target], replaced, *items[target + 1 :]]
    after = compute(SPEC, raised_region, raised_items)
    assert after.iid >= before.iid
    assert after.total >= before.total
    if current < 3:
        assert after.spd_score + sum(after.maturities.values()) > before.spd_score + sum(before.maturities.values())


@settings(max_examples=300, deadline=None)
@given(
    spd=st.decimals(min_value=0, max_value=63, places=2),
    maturity_sum=st.decimals(min_value=0, max_value=50_000, places=2),
    count=st.integers(min_value=0, max_value=450),
    covered=st.integers(min_value=0, max_value=6),
)
def test_summarise_agrees_with_plain_fractions(spd, maturity_sum, count, covered):
    summary = summarise(
        SPEC, spd_score=spd, maturity_sum=maturity_sum, innovation_count=count, basic_services_covered=covered
    )
    divisor = max(12, count)
    count_score = Fraction(min(count, 200) * 38, 100) if covered >= 5 else Fraction(0)
    total = Fraction(spd) + Fraction(maturity_sum) / divisor + count_score
    assert summary.total_exact == total
    assert summary.sid_average_exact == Fraction(maturity_sum) / divisor
    assert summary.iid == round_half_up(total * 100 / 250)
