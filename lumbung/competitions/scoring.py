"""Rubric weighting, aggregation of judges' scores, blending of rounds and ranking.

Pure Python on Decimals (no Django), so every rule here is tested on its own with property
tests. The rules, as the result pages state them:

- A score card's value is the weighted share of the scale reached, 0-100:
  Σ wᵢ·(sᵢ − min) / ((max − min) · Σ wᵢ) × 100. A card with a criterion left empty has no value.
- A round's score of an entry is the mean of its judges' card values ("mean"), or, to remove
  harsh and lenient judging ("zscore"), the mean of the judges' z-scores, z = (s − μⱼ) / σⱼ
  over each judge's own cards in the round (z = 0 when a judge gave everyone the same value),
  put back on the 0-100 scale as μ + z̄ · σ of all cards in the round.
- The final score is the weighted mean of the round scores the entry has (round weights).
- Ranking: entries that reached a later round first; then the final score, then the score of
  the last round, then the mean of the heaviest criterion in the last round, each rounded half
  up to 2 decimals before comparing (so a tie on screen is a tie in the ranking); then the
  earlier submission.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
ZERO = Decimal(0)


def round2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


# Rubric weighting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSpec:
    code: str
    weight: Decimal


def normalised_weights(criteria: Sequence[CriterionSpec]) -> dict[str, Decimal]:
    """Each criterion's share of the total weight (the shares sum to 1)."""
    total = sum((c.weight for c in criteria), ZERO)
    if total <= 0 or any(c.weight < 0 for c in criteria):
        raise ValueError("Rubric weights must be non-negative with a positive total")
    return {c.code: c.weight / total for c in criteria}


def card_value(values: Mapping[str, int | Decimal | None], criteria: Sequence[CriterionSpec], low: int, high: int):
    """The weighted value 0-100 of one judge's card, or None when a criterion is not scored."""
    if high <= low:
        raise ValueError("The scale needs a maximum above its minimum")
    total_weight = sum((c.weight for c in criteria), ZERO)
    if not criteria or total_weight <= 0:
        raise ValueError("Rubric weights must have a positive total")
    reached = ZERO
    for criterion in criteria:
        value = values.get(criterion.code)
        if value is None:
            return None
        value = Decimal(value)
        if not low <= value <= high:
            raise ValueError(f"Score {value} is outside the scale {low}-{high}")
        reached += criterion.weight * (value - low)
    # One division at the end keeps exact results exact (all maxima give exactly 100).
    return reached * HUNDRED / (Decimal(high - low) * total_weight)


# Aggregation of one round ----------------------------------------------------------------------


class Method:
    MEAN = "mean"
    ZSCORE = "zscore"


@dataclass(frozen=True)
class CardValue:
    judge: str
    entry: str
    value: Decimal


@dataclass(frozen=True)
class JudgeStats:
    judge: str
    count: int
    mean: Decimal
    std: Decimal


@dataclass(frozen=True)
class EntryRound:
    entry: str
    # The round score on the 0-100 scale (mean, or standardised mean); None without cards.
    score: Decimal | None
    raw_mean: Decimal | None
    mean_z: Decimal | None
    values: dict[str, Decimal] = field(default_factory=dict)
    z_values: dict[str, Decimal] = field(default_factory=dict)

    @property
    def judge_count(self) -> int:
        return len(self.values)

    @property
    def spread(self) -> Decimal | None:
        """Highest minus lowest card value: how much the judges disagree."""
        return max(self.values.values()) - min(self.values.values()) if self.values else None


@dataclass(frozen=True)
class RoundAggregate:
    method: str
    entries: dict[str, EntryRound]
    judges: dict[str, JudgeStats]
    grand_mean: Decimal | None
    grand_std: Decimal | None


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values)


def population_std(values: Sequence[Decimal]) -> Decimal:
    centre = mean(values)
    return (sum(((v - centre) ** 2 for v in values), ZERO) / len(values)).sqrt()


def aggregate(cards: Sequence[CardValue], method: str, entries: Sequence[str] = ()) -> RoundAggregate:
    """Combine the complete cards of one round into a score per entry.

    `entries` lists entries that must appear even without cards (they get score None).
    """
    if method not in (Method.MEAN, Method.ZSCORE):
        raise ValueError(f"Unknown aggregation method {method!r}")
    by_judge: dict[str, list[Decimal]] = defaultdict(list)
    by_entry: dict[str, dict[str, Decimal]] = {entry: {} for entry in entries}
    for card in cards:
        if card.judge in by_entry.setdefault(card.entry, {}):
            raise ValueError(f"Judge {card.judge} has two cards for entry {card.entry}")
        by_judge[card.judge].append(card.value)
        by_entry[card.entry][card.judge] = card.value
    judges = {
        judge: JudgeStats(judge, len(values), mean(values), population_std(values))
        for judge, values in by_judge.items()
    }
    all_values = [card.value for card in cards]
    grand_mean = mean(all_values) if all_values else None
    grand_std = population_std(all_values) if all_values else None
    results = {}
    for entry, values in by_entry.items():
        if not values:
            results[entry] = EntryRound(entry, None, None, None)
            continue
        raw = mean(list(values.values()))
        z_values = {judge: _z(value, judges[judge]) for judge, value in values.items()}
        mean_z = mean(list(z_values.values()))
        score = raw if method == Method.MEAN else grand_mean + mean_z * grand_std
        results[entry] = EntryRound(entry, score, raw, mean_z, dict(values), z_values)
    return RoundAggregate(method, results, judges, grand_mean, grand_std)


def _z(value: Decimal, stats: JudgeStats) -> Decimal:
    # A judge who gave one card, or the same value to everyone, says nothing about order.
    return ZERO if stats.std == 0 else (value - stats.mean) / stats.std


# Final blend and ranking -----------------------------------------------------------------------


def blend(round_scores: Mapping[str, Decimal | None], weights: Mapping[str, Decimal]) -> Decimal | None:
    """The weighted mean of the round scores an entry has; None when it has none."""
    present = {r: s for r, s in round_scores.items() if s is not None and weights.get(r, ZERO) > 0}
    if not present:
        return None
    total = sum((weights[r] for r in present), ZERO)
    return sum((weights[r] * s for r, s in present.items()), ZERO) / total


@dataclass(frozen=True)
class RankInput:
    entry: str
    # How far the entry got (the order of the last round it took part in).
    stage: int
    final: Decimal | None
    last_round: Decimal | None
    top_criterion: Decimal | None
    # Smaller is earlier: the submission time as a sortable value.
    submitted: float


@dataclass(frozen=True)
class Ranked:
    entry: str
    rank: int
    final: Decimal | None
    # What put this entry below the one above it: "stage", "final", "last_round",
    # "top_criterion" or "submitted" (the tie-break that decided); "" for the first.
    decided_by: str


TIE_BREAK_ORDER = ("stage", "final", "last_round", "top_criterion", "submitted")


def _key(item: RankInput) -> tuple:
    def desc(value):
        rounded = round2(value)
        # None sorts after every number.
        return (1, ZERO) if rounded is None else (0, -rounded)

    return (-item.stage, desc(item.final), desc(item.last_round), desc(item.top_criterion), item.submitted, item.entry)


def rank(items: Sequence[RankInput]) -> list[Ranked]:
    """Order entries by the stated rules; ranks are 1..n with no shared places."""
    ordered = sorted(items, key=_key)
    ranked = []
    previous = None
    for position, item in enumerate(ordered, start=1):
        decided_by = ""
        if previous is not None:
            before, after = _key(previous), _key(item)
            decided_by = next(
                (name for name, a, b in zip(TIE_BREAK_ORDER, before, after, strict=False) if a != b), "submitted"
            )
        ranked.append(Ranked(item.entry, position, round2(item.final), decided_by))
        previous = item
    return ranked
