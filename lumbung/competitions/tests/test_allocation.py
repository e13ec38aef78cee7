"""Balanced automatic assignment: K judges per entry, never a recused pair, loads even."""

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lumbung.competitions.allocation import allocate

entries_st = st.lists(st.sampled_from([f"e{i}" for i in range(15)]), min_size=1, max_size=15, unique=True)
judges_st = st.lists(st.sampled_from([f"j{i}" for i in range(8)]), min_size=1, max_size=8, unique=True)


@st.composite
def setups(draw):
    entries = draw(entries_st)
    judges = draw(judges_st)
    split = draw(st.integers(0, len(judges)))
    panels = {"p1": judges[:split], "p2": judges[split:]} if 0 < split < len(judges) else {"p1": judges}
    blocked = draw(st.sets(st.tuples(st.sampled_from(entries), st.sampled_from(judges)), max_size=10))
    k = draw(st.integers(1, 4))
    return entries, panels, blocked, k


@given(setups())
def test_every_entry_gets_k_judges_when_enough_are_free_and_never_a_blocked_one(setup):
    entries, panels, blocked, k = setup
    everyone = [j for judges in panels.values() for j in judges]
    result = allocate(entries, panels, k, blocked)
    for entry in entries:
        chosen = [judge for judge, _panel in result.assigned.get(entry, [])]
        free = [j for j in everyone if (entry, j) not in blocked]
        assert len(chosen) == len(set(chosen)) == min(k, len(free))
        assert not any((entry, judge) in blocked for judge in chosen)
        assert result.short.get(entry, 0) == k - len(chosen)


@given(entries_st, judges_st, st.integers(1, 4))
def test_without_conflicts_loads_differ_by_at_most_one(entries, judges, k):
    result = allocate(entries, {"p": judges}, k)
    loads = Counter(judge for pairs in result.assigned.values() for judge, _p in pairs)
    counts = [loads.get(judge, 0) for judge in judges]
    assert max(counts) - min(counts) <= 1


def test_an_entry_stays_within_one_panel_when_that_panel_can_judge_it():
    result = allocate(["a", "b"], {"p1": ["x", "y"], "p2": ["z", "w"]}, 2)
    for pairs in result.assigned.values():
        assert len({panel for _j, panel in pairs}) == 1
    # The two entries go to different panels to balance the work.
    assert {pairs[0][1] for pairs in result.assigned.values()} == {"p1", "p2"}


def test_judges_of_other_panels_fill_in_when_conflicts_empty_a_panel():
    result = allocate(["a"], {"p1": ["x", "y"], "p2": ["z"]}, 2, blocked={("a", "x")})
    assert sorted(j for j, _p in result.assigned["a"]) == ["y", "z"]


def test_hand_made_assignments_count_towards_k_and_the_load():
    result = allocate(["a", "b"], {"p": ["x", "y", "z"]}, 2, existing={"a": ["x", "y"]})
    assert "a" not in result.assigned
    assert sorted(j for j, _p in result.assigned["b"]) == ["x", "z"] or "z" in [j for j, _p in result.assigned["b"]]


def test_an_entry_that_cannot_get_enough_judges_is_reported():
    result = allocate(["a"], {"p": ["x", "y"]}, 3, blocked={("a", "y")})
    assert [j for j, _p in result.assigned["a"]] == ["x"]
    assert result.short == {"a": 2}


def test_k_must_be_positive():
    with pytest.raises(ValueError):
        allocate(["a"], {"p": ["x"]}, 0)
