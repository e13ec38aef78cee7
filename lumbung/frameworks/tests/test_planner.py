"""The planner: which action it proposes for each kind of row, and properties: every announced
gain is the engine's own difference for that change, and the actions are ranked by gain."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.frameworks.engine import InnovationInput, compute, summarise
from lumbung.frameworks.planner import (
    ActionKind,
    InnovationState,
    Projection,
    RowState,
    RowStatus,
    plan,
    project,
)

from .specs import BASIC_SERVICES, SID_CODES, SPD_CODES, spec_2026

D = Decimal
SPEC = spec_2026()
ALL_BASIC = sorted(BASIC_SERVICES)
ACCEPTED, REJECTED, PENDING, MISSING = RowStatus

SPD_40 = {code: RowState(2, ACCEPTED) for code in SPD_CODES} | {
    "2a": RowState(1, ACCEPTED),
    "2b": RowState(1, ACCEPTED),
}
MATURITY_70 = {code: RowState(2, ACCEPTED) for code in SID_CODES} | {
    code: RowState(1, ACCEPTED) for code in ("20", "22", "23", "24")
}


def entered(count, rows=MATURITY_70, affairs=ALL_BASIC):
    return [InnovationState(f"A-{i + 1}", frozenset({affairs[i % len(affairs)]}), rows) for i in range(count)]


def actions_of(result, kind):
    return [action for action in result.actions if action.kind == kind]


def test_the_worked_example_with_eight_innovations_asks_for_more_innovations():
    result = plan(SPEC, region_rows=SPD_40, innovations=entered(8))
    assert result.result.iid == D("35.88")
    assert result.seats_below_divisor == 4
    assert (result.next_band, result.distance, result.distance_score) == ("Inovatif", D("4.13"), D("10.325"))
    add = actions_of(result, ActionKind.ADD_INNOVATION)[0]
    # One more innovation of maturity 70 below k: +70/12 average and +0.38 count score.
    assert add.maturity == D("70")
    assert add.gain == D("2.49")
    assert result.actions[0] == add, "below k, a whole innovation beats any single row"
    assert result.dilution is None


def test_a_rejected_row_is_fixed_at_its_claimed_level():
    rows = MATURITY_70 | {"31": RowState(2, REJECTED)}
    result = plan(SPEC, region_rows=SPD_40, innovations=[InnovationState("X", frozenset(ALL_BASIC), rows)])
    fix = [a for a in actions_of(result, ActionKind.FIX_REJECTED) if a.row_code == "31"]
    assert len(fix) == 1
    assert (fix[0].innovation_id, fix[0].from_level, fix[0].to_level) == ("X", 0, 2)
    # Claimed: the rejected level already counts, so the only step is the next level.
    claimed = plan(
        SPEC, region_rows=SPD_40, innovations=[InnovationState("X", frozenset(), rows)], projection="claimed"
    )
    row_31 = [a for a in claimed.actions if a.row_code == "31"]
    assert [(a.kind, a.from_level, a.to_level) for a in row_31] == [(ActionKind.RAISE_LEVEL, 2, 3)]


@pytest.mark.parametrize(
    ("code", "state", "kind", "target"),
    [
        ("16", RowState(0, MISSING), ActionKind.FILL_MANDATORY, 1),
        ("16", RowState(3, MISSING), ActionKind.FILL_MANDATORY, 3),  # claimed 3, evidence missing
        ("18", RowState(0, MISSING), ActionKind.ADD_EVIDENCE, 1),
        ("18", RowState(2, MISSING), ActionKind.ADD_EVIDENCE, 2),
        ("18", RowState(2, PENDING), ActionKind.VERIFY_PENDING, 2),
        ("18", RowState(1, REJECTED), ActionKind.FIX_REJECTED, 1),
        ("18", RowState(1, ACCEPTED), ActionKind.RAISE_LEVEL, 2),
        ("18", RowState(3, ACCEPTED), None, None),
    ],
)
def test_the_action_proposed_for_each_row_state(code, state, kind, target):
    rows = {code: state}
    result = plan(SPEC, region_rows={}, innovations=[InnovationState("X", frozenset(), rows)])
    found = [a for a in result.actions if a.row_code == code]
    if kind is None:
        assert found == []
    else:
        assert [(a.kind, a.to_level, a.mandatory) for a in found] == [(kind, target, code == "16")]


def test_region_rows_have_actions_without_an_innovation():
    result = plan(SPEC, region_rows={"1": RowState(1, ACCEPTED)}, innovations=[])
    row_1 = [a for a in result.actions if a.row_code == "1"]
    assert [(a.kind, a.innovation_id, a.from_level, a.to_level) for a in row_1] == [
        (ActionKind.RAISE_LEVEL, None, 1, 2)
    ]
    assert row_1[0].gain == D("0.40")  # weight 1 → 1 total point → 0.4 IID points


def test_covering_the_missing_basic_services_switches_the_count_score_on():
    result = plan(SPEC, region_rows=SPD_40, innovations=entered(20, affairs=ALL_BASIC[:4]))
    cover = actions_of(result, ActionKind.COVER_BASIC_SERVICES)
    assert len(cover) == 1
    assert cover[0].affairs == tuple(sorted(set(ALL_BASIC) - set(ALL_BASIC[:4])))
    assert cover[0].needed == 1
    assert cover[0].score_gain == D("7.6000")  # 20 × 0.38
    assert cover[0].gain == D("3.04")
    assert result.actions[0] == cover[0]


def test_no_coverage_action_when_enough_services_are_covered():
    assert actions_of(plan(SPEC, region_rows={}, innovations=entered(20)), ActionKind.COVER_BASIC_SERVICES) == []


def test_above_k_the_plan_warns_where_a_weak_innovation_dilutes_the_average():
    weak = InnovationState("W", frozenset(), {"16": RowState(1, ACCEPTED)})
    result = plan(SPEC, region_rows=SPD_40, innovations=[*entered(20), weak])
    dilution = result.dilution
    # 21 innovations: S = 1403, average 66.8095…; one more adds 0.38 to the count score.
    assert dilution.break_even == D("58.45")  # 1403/21 − 22 × 0.38
    assert (dilution.example_id, dilution.example_maturity) == ("W", D("3"))
    assert dilution.example_gain < 0
    assert result.seats_below_divisor == 0


def test_the_break_even_maturity_is_exact():
    break_even = plan(SPEC, region_rows=SPD_40, innovations=entered(20)).dilution.break_even
    assert break_even == D("62.02")  # 70 − 21 × 0.38

    def total(added=None):
        extra = [] if added is None else [D(added)]
        return summarise(
            SPEC, spd_score=D(40), maturity_sum=D(1400) + sum(extra, D(0)), innovation_count=20 + len(extra),
            basic_services_covered=6,
        ).total_exact  # fmt: skip

    assert total("62.02") == total()
    assert total("62.01") < total() < total("62.03")


def test_an_empty_region_starts_with_a_level_one_innovation():
    result = plan(SPEC, region_rows={}, innovations=[])
    add = actions_of(result, ActionKind.ADD_INNOVATION)[0]
    assert add.model_id is None
    assert add.maturity == D("37")
    assert result.next_band == "Kurang Inovatif"
    assert result.distance == D("0.01")


def test_at_the_top_band_there_is_no_next_band():
    top_region = {code: RowState(3, ACCEPTED) for code in SPD_CODES}
    top = {code: RowState(3, ACCEPTED) for code in SID_CODES}
    result = plan(SPEC, region_rows=top_region, innovations=entered(200, rows=top))
    assert result.result.iid == D("100.00")
    assert (result.next_band, result.distance) == (None, None)
    assert not [a for a in result.actions if a.kind != ActionKind.ADD_INNOVATION]


# Properties ---------------------------------------------------------------------------------

states = st.builds(RowState, st.integers(min_value=0, max_value=3), st.sampled_from(list(RowStatus)))
region_rows = st.dictionaries(st.sampled_from(SPD_CODES), states)
innovation_states = st.lists(
    st.tuples(
        st.frozensets(st.sampled_from([*ALL_BASIC, "kominfo"]), max_size=2),
        st.dictionaries(st.sampled_from(SID_CODES), states, max_size=12),
    ),
    max_size=14,
).map(lambda items: [InnovationState(f"I-{i}", affairs, rows) for i, (affairs, rows) in enumerate(items)])


def apply_action(action, region, inputs):
    """The change an action announces, written independently of the planner."""
    if action.kind == ActionKind.ADD_INNOVATION:
        return region, [*inputs, InnovationInput("new", frozenset(), action.levels)]
    if action.kind == ActionKind.COVER_BASIC_SERVICES:
        first = inputs[0]
        added = InnovationInput(first.id, first.affairs | set(action.affairs[: action.needed]), first.levels)
        return region, [added, *inputs[1:]]
    if action.innovation_id is None:
        return {**region, action.row_code: action.to_level}, inputs
    return region, [
        InnovationInput(item.id, item.affairs, {**item.levels, action.row_code: action.to_level})
        if item.id == action.innovation_id
        else item
        for item in inputs
    ]


@settings(max_examples=60, deadline=None)
@given(rows=region_rows, items=innovation_states, projection=st.sampled_from(list(Projection)))
def test_every_announced_gain_is_the_engines_difference(rows, items, projection):
    region, inputs = project(SPEC, rows, items, projection)
    before = compute(SPEC, region, inputs)
    result = plan(SPEC, region_rows=rows, innovations=items, projection=projection)
    assert result.result == before
    for action in result.actions:
        if action.row_code:
            owner = (
                region
                if action.innovation_id is None
                else dict(next(i for i in inputs if i.id == action.innovation_id).levels)
            )
            assert action.from_level == owner.get(action.row_code, 0)
            assert action.to_level > action.from_level
            assert action.score_gain > 0
        after = compute(SPEC, *apply_action(action, region, inputs))
        assert after.iid - before.iid == action.gain, action


@settings(max_examples=60, deadline=None)
@given(rows=region_rows, items=innovation_states, projection=st.sampled_from(list(Projection)))
def test_actions_are_ranked_by_gain(rows, items, projection):
    actions = plan(SPEC, region_rows=rows, innovations=items, projection=projection).actions
    keys = [(action.gain, action.score_gain) for action in actions]
    assert keys == sorted(keys, reverse=True)


@settings(max_examples=60, deadline=None)
@given(rows=region_rows, items=innovation_states)
def test_the_verified_projection_never_exceeds_the_claimed_one(rows, items):
    verified = compute(SPEC, *project(SPEC, rows, items, Projection.VERIFIED))
    claimed = compute(SPEC, *project(SPEC, rows, items, Projection.CLAIMED))
    assert verified.iid <= claimed.iid
    assert all(verified.maturities[key] <= claimed.maturities[key] for key in verified.maturities)
