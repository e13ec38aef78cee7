"""Planner realism: outcome rows are never actions, a raised accepted row keeps counting as
verified until its new claim is decided, and the expected projection lies between verified and
claimed (pure: the specs are written out by hand, as the other planner tests)."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.frameworks.engine import compute
from lumbung.frameworks.planner import (
    ActionKind,
    InnovationState,
    Projection,
    RowState,
    RowStatus,
    counted_level,
    plan,
    project,
)

from .specs import BASIC_SERVICES, OUTCOME_2026, SID_CODES, SPD_CODES, spec_2026

SPEC = spec_2026()
ACCEPTED, REJECTED, PENDING, MISSING = RowStatus
ALL_BASIC = sorted(BASIC_SERVICES)


def state():
    """A row as the database can hold it: a raised claim may keep an accepted level below it."""
    return st.tuples(st.integers(0, 3), st.sampled_from(list(RowStatus)), st.integers(0, 3)).map(
        lambda t: RowState(t[0], t[1], accepted_level=min(t[2], t[0]) if t[1] in (PENDING, MISSING) else None)
    )


regions = st.dictionaries(st.sampled_from(SPD_CODES), state(), max_size=len(SPD_CODES))
innovations = st.lists(
    st.tuples(st.dictionaries(st.sampled_from(SID_CODES), state(), max_size=8), st.sets(st.sampled_from(ALL_BASIC))),
    max_size=14,
).map(lambda items: [InnovationState(f"I{i}", frozenset(aff), rows) for i, (rows, aff) in enumerate(items)])


@settings(max_examples=150, deadline=None)
@given(region=regions, items=innovations, projection=st.sampled_from(list(Projection)))
def test_no_action_ever_names_an_outcome_row(region, items, projection):
    result = plan(SPEC, region_rows=region, innovations=items, projection=projection)
    assert not {action.row_code for action in result.actions} & OUTCOME_2026
    assert [item.row_code for item in result.outcomes] == [code for code in SPD_CODES if code in OUTCOME_2026]


@settings(max_examples=150, deadline=None)
@given(region=regions, items=innovations)
def test_expected_lies_between_verified_and_claimed(region, items):
    iid = {p: compute(SPEC, *project(SPEC, region, items, p)).iid for p in Projection}
    assert iid[Projection.VERIFIED] <= iid[Projection.EXPECTED] <= iid[Projection.CLAIMED]


@settings(max_examples=100, deadline=None)
@given(region=regions, items=innovations)
def test_the_announced_gain_is_the_real_change_in_every_projection(region, items):
    for projection in Projection:
        result = plan(SPEC, region_rows=region, innovations=items, projection=projection)
        for action in result.actions[:5]:
            if action.row_code and action.innovation_id is None:
                changed = dict(region)
                changed[action.row_code] = RowState(action.to_level, ACCEPTED)
                after = compute(SPEC, *project(SPEC, changed, items, projection))
                assert after.iid - result.result.iid == action.gain


def test_the_expected_projection_at_its_boundaries():
    rows = {code: RowState(2, ACCEPTED) for code in SID_CODES}
    spd = {code: RowState(2, ACCEPTED) for code in SPD_CODES}
    items = [InnovationState(f"A{i}", frozenset({ALL_BASIC[i % 6]}), rows) for i in range(12)]

    def iids(region, innovations):
        return [compute(SPEC, *project(SPEC, region, innovations, p)).iid for p in Projection]

    # All accepted: the three agree.
    verified, expected, claimed = iids(spd, items)
    assert verified == expected == claimed
    # All waiting for a decision: expected is what is claimed, verified counts nothing.
    waiting = {code: RowState(2, PENDING) for code in SPD_CODES}
    assert iids(waiting, [])[1] == iids(waiting, [])[2] > iids(waiting, [])[0] == Decimal(0)
    # All rejected: expected counts nothing either; claimed still does.
    rejected = {code: RowState(2, REJECTED) for code in SPD_CODES}
    assert iids(rejected, [])[:2] == [Decimal(0), Decimal(0)]
    assert iids(rejected, [])[2] > 0


def test_a_raised_accepted_row_keeps_its_accepted_level_as_verified():
    raised = RowState(3, PENDING, accepted_level=2)
    assert [counted_level(raised, p) for p in Projection] == [2, 3, 3]
    # Lowered claim: never above what is claimed now. Rejected: decided, nothing counts.
    assert counted_level(RowState(1, PENDING, accepted_level=1), Projection.VERIFIED) == 1
    assert counted_level(RowState(3, REJECTED, accepted_level=0), Projection.VERIFIED) == 0
    spd = {"12": RowState(2, ACCEPTED)}
    before = plan(SPEC, region_rows=spd, innovations=[]).result.iid
    after = plan(SPEC, region_rows={"12": RowState(3, PENDING, accepted_level=2)}, innovations=[])
    assert after.result.iid == before
    verify = [a for a in after.actions if a.row_code == "12"][0]
    assert (verify.kind, verify.from_level, verify.to_level) == (ActionKind.VERIFY_PENDING, 2, 3)


def test_raising_an_accepted_row_says_it_needs_verification():
    result = plan(SPEC, region_rows={"12": RowState(2, ACCEPTED), "14": RowState(1, PENDING)}, innovations=[])
    raise_12 = [a for a in result.actions if a.row_code == "12"][0]
    assert (raise_12.kind, raise_12.needs_verification) == (ActionKind.RAISE_LEVEL, True)
    assert not [a for a in result.actions if a.row_code == "14"][0].needs_verification


def test_outcome_rows_are_listed_with_what_their_figures_are_worth():
    result = plan(SPEC, region_rows={"4": RowState(1, ACCEPTED), "9": RowState(2, PENDING)}, innovations=[])
    by_code = {item.row_code: item for item in result.outcomes}
    assert (by_code["4"].level, by_code["4"].status, by_code["4"].mandatory) == (1, ACCEPTED, True)
    # Weight 1, from level 1 to 3: 2 points of 250 = 0.80 IID.
    assert by_code["4"].top_gain == Decimal("0.80")
    assert by_code["9"].level == 0 and by_code["9"].top_gain == Decimal("1.20")
