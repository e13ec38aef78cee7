"""The eligibility rules are pure: each case by hand, and properties over any dates."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from lumbung.assessment.eligibility import Facts, describe, evaluate

WINDOW = (dt.date(2024, 1, 1), dt.date(2025, 12, 31))


def facts(**changes) -> Facts:
    values = dict(
        stage="implementation", implementation_date=dt.date(2025, 3, 1), development_date=None, is_running=True,
        window_from=WINDOW[0], window_to=WINDOW[1], other_entry_years=(), max_entries=2,
    )  # fmt: skip
    values.update(changes)
    return Facts(**values)


def codes(reasons):
    return [reason["code"] for reason in reasons]


def test_an_implemented_running_innovation_inside_the_window_is_eligible():
    assert evaluate(facts()) == []


def test_the_window_bounds_are_inclusive():
    assert evaluate(facts(implementation_date=WINDOW[0])) == []
    assert evaluate(facts(implementation_date=WINDOW[1])) == []
    assert codes(evaluate(facts(implementation_date=WINDOW[1] + dt.timedelta(days=1)))) == ["too_new"]
    assert codes(evaluate(facts(implementation_date=WINDOW[0] - dt.timedelta(days=1)))) == ["too_old"]


def test_an_older_innovation_developed_inside_the_window_qualifies():
    assert evaluate(facts(implementation_date=dt.date(2021, 5, 1), development_date=dt.date(2024, 8, 1))) == []


def test_stage_date_running_and_entries_each_give_a_reason():
    found = evaluate(facts(stage="trial", implementation_date=None, is_running=False, other_entry_years=(2024, 2025)))
    assert codes(found) == ["stage", "no_date", "stopped", "entries"]
    assert describe(found[3]) == "Sudah diikutkan 2 kali (2024, 2025); batasnya 2 kali."


def test_no_window_means_no_date_rule():
    assert evaluate(facts(window_from=None, window_to=None, implementation_date=None)) == []


def test_reasons_are_written_with_indonesian_dates():
    (reason,) = evaluate(facts(implementation_date=dt.date(2023, 10, 24)))
    assert describe(reason) == (
        "Diterapkan 24 Oktober 2023, sebelum rentang penilaian (mulai 1 Januari 2024), dan tidak ada pengembangan "
        "dalam rentang itu."
    )


@given(
    implemented=st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    developed=st.none() | st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    entries=st.lists(st.integers(2019, 2030), max_size=4, unique=True),
)
def test_window_rule_matches_its_definition(implemented, developed, entries):
    found = codes(evaluate(facts(implementation_date=implemented, development_date=developed,
                                 other_entry_years=tuple(entries))))  # fmt: skip
    inside = any(day and WINDOW[0] <= day <= WINDOW[1] for day in (implemented, developed))
    assert ("too_old" in found or "too_new" in found) is not inside
    assert ("entries" in found) is (len(entries) >= 2)
    assert len(found) == len(set(found))
