"""Rubric weighting, aggregation (mean and z-scores per judge), blending and ranking."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.competitions.scoring import (
    CardValue,
    CriterionSpec,
    Method,
    RankInput,
    aggregate,
    blend,
    card_value,
    normalised_weights,
    rank,
    round2,
)

weights = st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=8)
values_0_100 = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


def specs(ws):
    return [CriterionSpec(str(i), Decimal(w)) for i, w in enumerate(ws)]


# Rubric weighting ------------------------------------------------------------------------------


@given(weights)
def test_normalised_weights_sum_to_one(ws):
    shares = normalised_weights(specs(ws))
    assert abs(sum(shares.values()) - 1) < Decimal("1e-20")
    assert all(share > 0 for share in shares.values())


def test_weights_must_have_a_positive_total():
    with pytest.raises(ValueError):
        normalised_weights([CriterionSpec("a", Decimal(0))])


@given(weights, st.data())
def test_card_value_stays_on_the_0_to_100_scale(ws, data):
    criteria = specs(ws)
    scores = {c.code: data.draw(st.integers(1, 5)) for c in criteria}
    value = card_value(scores, criteria, 1, 5)
    assert 0 <= value <= 100


@given(weights)
def test_all_highest_scores_give_exactly_100_and_lowest_give_0(ws):
    criteria = specs(ws)
    assert card_value(dict.fromkeys((c.code for c in criteria), 5), criteria, 1, 5) == 100
    assert card_value(dict.fromkeys((c.code for c in criteria), 1), criteria, 1, 5) == 0


@given(weights, st.data())
def test_raising_one_score_never_lowers_the_card(ws, data):
    criteria = specs(ws)
    scores = {c.code: data.draw(st.integers(1, 4)) for c in criteria}
    chosen = data.draw(st.sampled_from([c.code for c in criteria]))
    higher = {**scores, chosen: scores[chosen] + 1}
    assert card_value(higher, criteria, 1, 5) > card_value(scores, criteria, 1, 5)


def test_iga_weights_count_as_published():
    # Novelty 30, benefit 25, authority 15, replication 20, mastery 10; only novelty at the top.
    criteria = specs([30, 25, 15, 20, 10])
    assert card_value({"0": 5, "1": 1, "2": 1, "3": 1, "4": 1}, criteria, 1, 5) == 30


def test_a_card_with_a_criterion_left_empty_has_no_value():
    criteria = specs([1, 1])
    assert card_value({"0": 3}, criteria, 1, 5) is None
    assert card_value({"0": 3, "1": None}, criteria, 1, 5) is None


def test_a_score_outside_the_scale_is_refused():
    with pytest.raises(ValueError):
        card_value({"0": 6}, specs([1]), 1, 5)


# Aggregation -----------------------------------------------------------------------------------


def cards(table):
    """{judge: {entry: value}} -> CardValues."""
    return [CardValue(j, e, Decimal(v)) for j, row in table.items() for e, v in row.items()]


panel_scores = st.dictionaries(
    keys=st.sampled_from(["j1", "j2", "j3", "j4"]),
    values=st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), values_0_100, min_size=2),
    min_size=1,
)


def test_mean_is_the_average_of_the_judges():
    result = aggregate(cards({"j1": {"a": 80, "b": 60}, "j2": {"a": 70}}), Method.MEAN)
    assert result.entries["a"].score == 75
    assert result.entries["b"].score == 60
    assert result.entries["a"].spread == 10


@given(panel_scores, st.sampled_from(["j1", "j2", "j3", "j4"]), st.decimals(-30, 30, places=1))
@settings(max_examples=60)
def test_zscores_ignore_a_judge_being_harsh_or_lenient(table, judge, shift):
    """Adding the same amount to every score of one judge changes no z-score."""
    shifted = {j: {e: v + (shift if j == judge else 0) for e, v in row.items()} for j, row in table.items()}
    before = aggregate(cards(table), Method.ZSCORE)
    after = aggregate(cards(shifted), Method.ZSCORE)
    for entry, result in before.entries.items():
        assert abs(result.mean_z - after.entries[entry].mean_z) < Decimal("1e-12")


@given(panel_scores, st.sampled_from(["j1", "j2", "j3", "j4"]), st.decimals("0.2", "5", places=1))
@settings(max_examples=60)
def test_zscores_ignore_a_judge_using_a_wider_or_narrower_range(table, judge, factor):
    stretched = {j: {e: v * (factor if j == judge else 1) for e, v in row.items()} for j, row in table.items()}
    before = aggregate(cards(table), Method.ZSCORE)
    after = aggregate(cards(stretched), Method.ZSCORE)
    for entry, result in before.entries.items():
        assert abs(result.mean_z - after.entries[entry].mean_z) < Decimal("1e-12")


@given(st.dictionaries(st.sampled_from("abcdefg"), values_0_100, min_size=2))
def test_with_a_single_judge_zscores_keep_the_judges_order(row):
    result = aggregate(cards({"j1": row}), Method.ZSCORE)
    by_raw = sorted(row, key=lambda e: (row[e], e))
    by_z = sorted(row, key=lambda e: (result.entries[e].score, e))
    assert [row[e] for e in by_raw] == [row[e] for e in by_z]


@given(st.integers(2, 6), st.integers(1, 4), values_0_100)
def test_when_everyone_scores_the_same_every_entry_ties(entries, judges, value):
    table = {f"j{j}": {f"e{e}": value for e in range(entries)} for j in range(judges)}
    for method in (Method.MEAN, Method.ZSCORE):
        result = aggregate(cards(table), method)
        assert {r.score for r in result.entries.values()} == {value}
        assert all(r.mean_z == 0 for r in result.entries.values())


def test_zscores_undo_a_harsh_judge():
    """Judge j2 is 30 points harsher; on raw means b loses only because j2 scored it."""
    table = {"j1": {"a": 80, "c": 60}, "j2": {"b": 55, "c": 30}}
    mean = aggregate(cards(table), Method.MEAN)
    z = aggregate(cards(table), Method.ZSCORE)
    assert mean.entries["a"].score > mean.entries["b"].score
    assert z.entries["a"].score == z.entries["b"].score  # both the best of their judge


def test_entries_without_cards_have_no_score():
    result = aggregate(cards({"j1": {"a": 50}}), Method.ZSCORE, entries=["a", "b"])
    assert result.entries["b"].score is None
    assert result.entries["b"].judge_count == 0
    assert result.entries["a"].score == 50  # a single card: z = 0, the round's mean


def test_a_judge_cannot_hand_in_two_cards_for_one_entry():
    with pytest.raises(ValueError):
        aggregate([CardValue("j", "a", Decimal(1)), CardValue("j", "a", Decimal(2))], Method.MEAN)


@given(panel_scores)
def test_the_standardised_score_keeps_the_order_of_mean_zscores(table):
    result = aggregate(cards(table), Method.ZSCORE)
    ordered = sorted(result.entries.values(), key=lambda r: r.mean_z)
    assert [r.score for r in ordered] == sorted(r.score for r in ordered)


# Blending and ranking --------------------------------------------------------------------------


def test_blend_weights_the_rounds_the_entry_took_part_in():
    weights_ = {"desk": Decimal(40), "final": Decimal(60)}
    assert blend({"desk": Decimal(50), "final": Decimal(100)}, weights_) == 80
    assert blend({"desk": Decimal(50), "final": None}, weights_) == 50
    assert blend({"desk": None}, weights_) is None
    assert blend({"screen": Decimal(90), "desk": Decimal(50)}, {"screen": Decimal(0), "desk": Decimal(1)}) == 50


rank_items = st.lists(
    st.builds(
        RankInput,
        entry=st.uuids().map(str),
        stage=st.integers(1, 3),
        final=st.one_of(st.none(), values_0_100),
        last_round=st.one_of(st.none(), values_0_100),
        top_criterion=st.one_of(st.none(), st.decimals(1, 5, places=2)),
        submitted=st.floats(0, 1e6, allow_nan=False),
    ),
    max_size=12,
    unique_by=lambda item: item.entry,
)


@given(rank_items, st.randoms())
def test_ranking_is_a_permutation_independent_of_input_order(items, rng):
    ranked = rank(items)
    assert [r.rank for r in ranked] == list(range(1, len(items) + 1))
    assert sorted(r.entry for r in ranked) == sorted(i.entry for i in items)
    shuffled = list(items)
    rng.shuffle(shuffled)
    assert [r.entry for r in rank(shuffled)] == [r.entry for r in ranked]


@given(rank_items)
def test_later_stages_then_higher_final_scores_come_first(items):
    by_id = {i.entry: i for i in items}
    ranked = [by_id[r.entry] for r in rank(items)]
    for upper, lower in zip(ranked, ranked[1:], strict=False):
        assert upper.stage >= lower.stage
        if upper.stage == lower.stage and lower.final is not None:
            assert upper.final is not None and round2(upper.final) >= round2(lower.final)


def item(entry, final, last=None, top=None, submitted=0.0, stage=2):
    d = Decimal
    return RankInput(entry, stage, d(final) if final is not None else None, d(last) if last is not None else None,
                     d(top) if top is not None else None, submitted)  # fmt: skip


def test_ties_are_broken_by_the_last_round_then_the_heaviest_criterion_then_submission():
    ranked = rank([
        item("late", "80.001", "70", "4", submitted=9),
        item("early", "79.995", "70", "4", submitted=1),
        item("last-round", "80", "75", "3"),
        item("criterion", "80", "70", "4.5"),
    ])  # fmt: skip
    assert [r.entry for r in ranked] == ["last-round", "criterion", "early", "late"]
    assert [r.decided_by for r in ranked] == ["", "last_round", "top_criterion", "submitted"]


def test_scores_are_compared_after_rounding_to_two_decimals():
    # 80.004 and 80.001 both show as 80,00: a tie on screen is a tie in the ranking.
    ranked = rank([item("a", "80.001", "60"), item("b", "80.004", "61")])
    assert [r.entry for r in ranked] == ["b", "a"]
    assert ranked[1].decided_by == "last_round"


def test_entries_without_a_score_come_last_within_their_stage():
    ranked = rank([item("none", None), item("low", "10"), item("eliminated", "99", stage=1)])
    assert [r.entry for r in ranked] == ["low", "none", "eliminated"]
    assert ranked[2].decided_by == "stage"
