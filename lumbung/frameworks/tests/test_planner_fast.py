"""The fast planner against the reference (the planner as it was, reference_planner.py): the same
plan, action for action (kind, gain, score gain, innovation, row, levels, order), and the same
figures around them, on random small regions of every projection; and the engine's table of
weight × level against its checked loop."""

import pickle
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.frameworks.engine import INNOVATION, REGION, ScoreInputError, _checked_aspect_score, aspect_score
from lumbung.frameworks.planner import (
    ActionKind,
    InnovationState,
    Projection,
    RowState,
    RowStatus,
    plan,
    project,
)

from .reference_planner import reference_plan, reference_project
from .specs import BASIC_SERVICES, SID_CODES, SPD_CODES, spec_2026

D = Decimal
AFFAIRS = [*sorted(BASIC_SERVICES), "kominfo", "pariwisata"]

fresh_states = st.builds(
    RowState,
    st.integers(min_value=0, max_value=3),
    st.sampled_from(list(RowStatus)),
    st.one_of(st.none(), st.integers(min_value=0, max_value=3)),
)
specs = st.builds(
    lambda divisor, required, cap, factor: spec_2026(
        min_divisor=divisor, basic_services_required=required, count_cap=cap, count_factor=D(factor)
    ),
    st.integers(min_value=1, max_value=15),
    st.integers(min_value=0, max_value=7),
    st.integers(min_value=1, max_value=30),
    st.sampled_from(["0.38", "0.5", "1", "0.125"]),
)


@st.composite
def regions(draw, ids=None):
    """(spec, SPD rows, innovations): rows in fresh states or shared ones (the assessment app
    hands over one RowState object per distinct answer), innovations with unique ids unless
    `ids` draws them."""
    pool = draw(st.lists(fresh_states, min_size=1, max_size=6))
    states = st.one_of(fresh_states, st.sampled_from(pool))
    spd = draw(st.dictionaries(st.sampled_from(SPD_CODES), states))
    count = draw(st.integers(min_value=0, max_value=20))
    innovations = [
        InnovationState(
            draw(ids) if ids is not None else f"I-{index}",
            draw(st.frozensets(st.sampled_from(AFFAIRS), max_size=3)),
            draw(st.dictionaries(st.sampled_from(SID_CODES), states, max_size=20)),
        )
        for index in range(count)
    ]
    return draw(specs), spd, innovations


def assert_same_plan(spec, spd, innovations, projection):
    fast = plan(spec, region_rows=spd, innovations=innovations, projection=projection)
    reference = reference_plan(spec, region_rows=spd, innovations=innovations, projection=projection)
    assert [vars(action) for action in fast.actions] == [vars(action) for action in reference.actions]
    # The same numbers written the same way (Decimal equality ignores trailing zeros).
    assert [(str(a.gain), str(a.score_gain)) for a in fast.actions] == [
        (str(a.gain), str(a.score_gain)) for a in reference.actions
    ]
    assert fast == reference
    assert project(spec, spd, innovations, projection) == reference_project(spec, spd, innovations, projection)
    return fast, reference


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=regions(), projection=st.sampled_from(list(Projection)))
def test_the_fast_plan_is_the_reference_plan(region, projection):
    assert_same_plan(*region, projection)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=regions(ids=st.sampled_from(["A", "B", "C"])), projection=st.sampled_from(list(Projection)))
def test_repeated_innovation_ids_rank_as_the_reference_does(region, projection):
    assert_same_plan(*region, projection)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=regions(), projection=st.sampled_from(list(Projection)), data=st.data())
def test_the_ranked_actions_read_and_narrow_like_a_tuple(region, projection, data):
    fast, reference = assert_same_plan(*region, projection)
    actions, expected = fast.actions, reference.actions
    assert len(actions) == len(expected) and actions == expected and tuple(actions) == expected
    if expected:
        index = data.draw(st.integers(min_value=-len(expected), max_value=len(expected) - 1))
        assert actions[index] == expected[index]
    start, stop = data.draw(st.integers(-30, 30)), data.draw(st.integers(-30, 30))
    assert actions[start:stop] == expected[start:stop]
    assert actions[::3] == expected[::3]
    kind = data.draw(st.sampled_from(list(ActionKind)))
    rows = set(data.draw(st.lists(st.sampled_from(SID_CODES + SPD_CODES), max_size=10)))
    narrowed = actions.filter(lambda action_kind, innovation, code: action_kind == kind or code in rows)
    assert narrowed == tuple(a for a in expected if a.kind == kind or a.row_code in rows)
    assert pickle.loads(pickle.dumps(actions)) == expected  # noqa: S301 (our own bytes: a cached plan)
    with pytest.raises(IndexError):
        actions[len(expected)]


def test_the_planner_keeps_the_engines_errors():
    spec = spec_2026()
    for rows, problem in (({"99": RowState(1)}, "unknown_row"), ({"1": RowState(1)}, "wrong_aspect")):
        innovations = [InnovationState("X", frozenset(), rows)]
        with pytest.raises(ScoreInputError) as fast:
            plan(spec, region_rows={}, innovations=innovations)
        with pytest.raises(ScoreInputError) as reference:
            reference_plan(spec, region_rows={}, innovations=innovations)
        assert (fast.value.problem, fast.value.where, fast.value.code) == (problem, "X", next(iter(rows)))
        assert str(fast.value) == str(reference.value)


levels_in = st.one_of(
    st.integers(min_value=0, max_value=3),
    st.sampled_from([-1, 4, True, False, 2.0, None, "2"]),
)


@settings(max_examples=300, deadline=None)
@given(
    levels=st.dictionaries(st.sampled_from([*SPD_CODES, *SID_CODES, "99", ""]), levels_in, max_size=25),
    aspect=st.sampled_from([REGION, INNOVATION, "other"]),
)
def test_the_engines_table_scores_as_its_checked_loop(levels, aspect):
    spec = spec_2026()

    def outcome(function):
        try:
            return "ok", function(spec, levels, aspect, where="w")
        except ScoreInputError as error:
            return "error", str(error)

    fast, checked = outcome(aspect_score), outcome(_checked_aspect_score)
    assert fast == checked
    if fast[0] == "ok":
        assert str(fast[1]) == str(checked[1])


def test_each_distinct_row_state_is_weighed_once_and_actions_are_built_when_read(monkeypatch):
    """1,000 innovations × 20 rows in a handful of states: the planner weighs a row state once
    (not once per innovation) and builds only the actions read."""
    from lumbung.frameworks import planner

    spec = spec_2026()
    pool = [RowState(level, status) for level in range(4) for status in RowStatus]
    innovations = [
        InnovationState(
            f"I-{i}",
            frozenset({AFFAIRS[i % len(AFFAIRS)]}),
            {code: pool[(i + j) % len(pool)] for j, code in enumerate(SID_CODES)},
        )  # fmt: skip
        for i in range(1000)
    ]
    weighed, built = [], []
    step, build = planner._innovation_step, planner._built
    monkeypatch.setattr(planner, "_innovation_step", lambda *args: weighed.append(1) or step(*args))
    monkeypatch.setattr(planner, "_built", lambda *args: built.append(1) or build(*args))
    result = plan(spec, region_rows={}, innovations=innovations)
    assert len(weighed) <= len(SID_CODES) * len(pool)
    assert len(result.actions) > 10_000 and not built
    assert len(result.actions[:25]) == 25 and len(built) == 25
