"""What raises a region's index most: ranked actions with the exact IID gain of each (pure).

The input is the region's current answers as the verifiers see them: per row a claimed level, a
verification state and the level last accepted. Three projections turn those into levels for the
engine:

- verified (default): the level last accepted. A row raised after it was accepted keeps counting
  at its accepted level until the new claim is decided, so asking for more never lowers the index;
- expected: accepted rows and rows waiting for a decision at their claimed level, rejected rows at
  zero ("what we get if every pending row is accepted and nothing rejected is fixed");
- claimed: every declared level counts.

Outcome rows (statistics of the region such as income growth or the audit opinion) are never
proposed as actions: no evidence raises them. The plan lists them apart with what they would be
worth at the top level.

Each action is a change of that input (a row accepted at a higher level, the missing basic-service
affairs covered, one more innovation), and its gain is the engine's IID after the change minus the
IID now. Only the changed innovation's maturity is recomputed; the rest of the formula is the
engine's own `summarise`, so every gain is exactly what `compute` reports for the changed input.

At 1,000 innovations × 20 rows there are some 15,000 actions, but an action of an innovation's
row depends only on the spec row and the row's state (and the gain only on weight × step): each
distinct (row, state) is weighed once, the actions are ranked by sorting the few dozen groups of
equal (gain, score gain, kind), and `RankedActions` builds an action only when it is read. The
plan is the one the straightforward computation gives (tests/reference_planner.py, compared on
random regions by tests/test_planner_fast.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

from .engine import (
    INNOVATION,
    MAX_LEVEL,
    REGION,
    FrameworkSpec,
    IndexResult,
    InnovationInput,
    Summary,
    covered_basic_services,
    maturity,
    region_score,
    result_of,
    round_half_up,
    summarise,
)

FOUR_PLACES = Decimal("0.0001")


class RowStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PENDING = "pending"
    MISSING = "missing"  # not answered, or answered without evidence


class Projection(StrEnum):
    VERIFIED = "verified"
    EXPECTED = "expected"
    CLAIMED = "claimed"


class ActionKind(StrEnum):
    RAISE_LEVEL = "raise_level"
    FIX_REJECTED = "fix_rejected"
    VERIFY_PENDING = "verify_pending"
    FILL_MANDATORY = "fill_mandatory"
    ADD_EVIDENCE = "add_evidence"
    COVER_BASIC_SERVICES = "cover_basic_services"
    ADD_INNOVATION = "add_innovation"


# Among equal gains, mandatory gaps and rejected rows come first: they also block completeness.
KIND_PRIORITY = {
    ActionKind.FILL_MANDATORY: 0,
    ActionKind.FIX_REJECTED: 1,
    ActionKind.VERIFY_PENDING: 2,
    ActionKind.ADD_EVIDENCE: 3,
    ActionKind.RAISE_LEVEL: 4,
    ActionKind.COVER_BASIC_SERVICES: 5,
    ActionKind.ADD_INNOVATION: 6,
}


@dataclass(frozen=True)
class RowState:
    level: int = 0
    status: RowStatus = RowStatus.MISSING
    # The level a verifier last accepted, which counts in the verified projection while a new
    # claim waits; None: the row's own level when accepted, else 0.
    accepted_level: int | None = None

    @property
    def verified_level(self) -> int:
        if self.accepted_level is not None:
            return min(self.accepted_level, self.level) if self.status != RowStatus.REJECTED else 0
        return self.level if self.status == RowStatus.ACCEPTED else 0


@dataclass(frozen=True)
class InnovationState:
    id: str
    affairs: frozenset[str]
    rows: Mapping[str, RowState]


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    gain: Decimal  # IID points, the difference of two rounded IIDs
    score_gain: Decimal  # total-score points, exact to 4 decimals (orders actions of equal IID gain)
    innovation_id: str | None = None  # None: a region (SPD) row, or an action about all innovations
    row_code: str = ""
    from_level: int = 0  # the level that counts now, in the projection
    to_level: int = 0
    mandatory: bool = False
    # RAISE_LEVEL of an accepted row: the new level needs a verifier's decision, and the accepted
    # level keeps counting until then.
    needs_verification: bool = False
    # COVER_BASIC_SERVICES: the affairs not covered yet, and how many of them are needed.
    affairs: tuple[str, ...] = ()
    needed: int = 0
    # ADD_INNOVATION: the levels of the innovation assumed (a copy of `model_id`, or level 1 everywhere).
    levels: Mapping[str, int] = field(default_factory=dict)
    model_id: str | None = None
    maturity: Decimal | None = None


@dataclass(frozen=True)
class Dilution:
    """Once n ≥ k, a new innovation below `break_even` maturity lowers the index."""

    break_even: Decimal
    example_id: str  # the weakest innovation entered, used as the example
    example_maturity: Decimal
    example_gain: Decimal


@dataclass(frozen=True)
class OutcomeRow:
    """An outcome row, shown apart: its level follows the region's figures."""

    row_code: str
    level: int  # the level that counts now, in the projection
    status: RowStatus
    mandatory: bool
    top_gain: Decimal  # IID points it would add at the top level (what the figures are worth)


@dataclass(frozen=True)
class Plan:
    projection: Projection
    result: IndexResult
    actions: Sequence[Action]  # a RankedActions: each action is built when it is read
    next_band: str | None
    distance: Decimal | None  # IID points to the next band
    distance_score: Decimal | None  # the same in total-score points
    seats_below_divisor: int  # k − n while n < k: each seat is an innovation scored as 0
    dilution: Dilution | None
    outcomes: tuple[OutcomeRow, ...] = ()


def project(
    spec: FrameworkSpec,
    region_rows: Mapping[str, RowState],
    innovations: Sequence[InnovationState],
    projection: Projection = Projection.VERIFIED,
) -> tuple[dict[str, int], list[InnovationInput]]:
    """The engine's input for one projection of the answers."""
    # counted_level of each row state object, worked out once: the assessment app hands over one
    # RowState per distinct answer, so a region's 20,000 rows are a few dozen objects. Keyed by
    # identity (an int hashes at once); the state is kept with its level, so its id is not reused.
    known: dict[int, tuple[RowState, int]] = {}

    def levels_of(rows: Mapping[str, RowState]) -> dict[str, int]:
        levels = {}
        for code, state in rows.items():
            found = known.get(id(state))
            if found is None:
                found = known[id(state)] = (state, counted_level(state, projection))
            levels[code] = found[1]
        return levels

    region = levels_of(region_rows)
    return region, [InnovationInput(item.id, item.affairs, levels_of(item.rows)) for item in innovations]


def counted_level(state: RowState, projection: Projection) -> int:
    if projection == Projection.CLAIMED:
        return state.level
    if projection == Projection.EXPECTED:
        return 0 if state.status == RowStatus.REJECTED else state.level
    return state.verified_level


def _counts_as_declared(state: RowState, projection: Projection) -> bool:
    """The row counts at its declared level in this projection: only raising it is left."""
    if projection == Projection.CLAIMED or state.status == RowStatus.ACCEPTED:
        return True
    return projection == Projection.EXPECTED and state.status != RowStatus.REJECTED


def row_action(spec_row, state: RowState, projection: Projection) -> tuple[ActionKind, int] | None:
    """What to do with one row, and the level it would then count at; None at the top already."""
    now = counted_level(state, projection)
    if _counts_as_declared(state, projection):
        if now >= MAX_LEVEL:
            return None
        if now == 0 and spec_row.mandatory:
            return ActionKind.FILL_MANDATORY, 1
        return ActionKind.RAISE_LEVEL, now + 1
    target = max(state.level, 1)
    if state.status == RowStatus.REJECTED:
        return ActionKind.FIX_REJECTED, target
    if state.status == RowStatus.PENDING:
        return ActionKind.VERIFY_PENDING, target
    return (ActionKind.FILL_MANDATORY if spec_row.mandatory else ActionKind.ADD_EVIDENCE), target


class _Scorer:
    """The current sums, and the engine's verdict on a change of one of them."""

    def __init__(self, spec: FrameworkSpec, region: Mapping[str, int], items: Sequence[InnovationInput]):
        self.spec = spec
        self.spd = region_score(spec, region)
        self.maturities = {item.id: maturity(spec, item.levels, where=item.id) for item in items}
        self.maturity_sum = sum(self.maturities.values(), Decimal(0))
        self.count = len(items)
        self.covered = covered_basic_services(spec, (item.affairs for item in items))
        self.now = self.summary()
        self._by_delta: dict[Decimal, tuple[Decimal, Decimal]] = {}

    def summary(self, *, spd=None, maturity_delta=Decimal(0), extra=0, covered=None) -> Summary:
        return summarise(
            self.spec,
            spd_score=self.spd if spd is None else spd,
            maturity_sum=self.maturity_sum + maturity_delta,
            innovation_count=self.count + extra,
            basic_services_covered=len(self.covered) if covered is None else covered,
        )

    def maturity_gains(self, delta: Decimal) -> tuple[Decimal, Decimal]:
        """gains(summary(maturity_delta=delta)), once per distinct delta: the rows of many
        innovations share a weight × step, so 1,000 innovations need a few dozen summaries."""
        if delta not in self._by_delta:
            self._by_delta[delta] = self.gains(self.summary(maturity_delta=delta))
        return self._by_delta[delta]

    def gains(self, after: Summary) -> tuple[Decimal, Decimal]:
        """(IID gain, total-score gain to 4 decimals) of moving from now to `after`."""
        (new, new_den), (old, old_den) = after.total_ratio, self.now.total_ratio
        difference = Decimal(new * old_den - old * new_den) / Decimal(new_den * old_den)
        return after.iid - self.now.iid, difference.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def plan(
    spec: FrameworkSpec,
    *,
    region_rows: Mapping[str, RowState],
    innovations: Sequence[InnovationState],
    projection: Projection = Projection.VERIFIED,
) -> Plan:
    """Ranked actions (best IID gain first) for the answers as they stand."""
    region, items = project(spec, region_rows, innovations, projection)
    scorer = _Scorer(spec, region, items)
    ranking = _Ranking()
    _region_row_actions(spec, scorer, region_rows, projection, ranking)
    _innovation_row_actions(spec, scorer, innovations, projection, ranking)
    for action in (*_coverage_actions(spec, scorer), *_add_innovation_actions(spec, scorer, items)):
        ranking.add(action)
    actions = ranking.ranked(spec, innovations)
    result = result_of(scorer.now, scorer.maturities, missing=tuple(sorted(spec.basic_service_codes - scorer.covered)))
    next_band = _next_band(spec, result.iid)
    return Plan(
        projection=projection,
        result=result,
        actions=actions,
        next_band=next_band[0] if next_band else None,
        distance=next_band[1] - result.iid if next_band else None,
        distance_score=(next_band[1] - result.iid) * spec.max_total / 100 if next_band else None,
        seats_below_divisor=max(spec.min_divisor - len(items), 0),
        dilution=_dilution(spec, scorer),
        outcomes=tuple(_outcome_rows(spec, scorer, region_rows, projection)),
    )


def _outcome_rows(spec, scorer: _Scorer, region_rows, projection):
    for row in spec.rows_of(REGION):
        if row.outcome:
            state = region_rows.get(row.code, RowState())
            now = counted_level(state, projection)
            gain, _score_gain = scorer.gains(scorer.summary(spd=scorer.spd + row.weight * (MAX_LEVEL - now)))
            yield OutcomeRow(row.code, now, state.status, row.mandatory, gain)


class RankedActions(Sequence):
    """The plan's actions, best first, built when read.

    A region of 1,000 innovations has some 15,000 actions, of which a page shows 25 and the
    briefing 5; most differ only by the innovation of a shared template (the same row in the same
    state). The sequence keeps each action's template and innovation id (None: the template is the
    action) and builds an action on indexing or iterating it; equal to the tuple of its actions."""

    __slots__ = ("_templates", "_ids")

    def __init__(self, templates: list[Action], ids: list[str | None]):
        self._templates, self._ids = templates, ids

    @classmethod
    def of(cls, actions) -> RankedActions:
        actions = list(actions)
        return cls(actions, [None] * len(actions))

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(map(_built, self._templates[index], self._ids[index]))
        return _built(self._templates[index], self._ids[index])

    def __iter__(self):
        return map(_built, self._templates, self._ids)

    def filter(self, keep) -> RankedActions:
        """The actions for which keep(kind, innovation_id, row_code) is true, in their order,
        decided without building them."""
        templates, ids = [], []
        for template, innovation_id in zip(self._templates, self._ids, strict=True):
            if keep(template.kind, innovation_id or template.innovation_id, template.row_code):
                templates.append(template)
                ids.append(innovation_id)
        return RankedActions(templates, ids)

    def __eq__(self, other) -> bool:
        if isinstance(other, RankedActions | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"RankedActions({len(self)} actions)"

    def __reduce__(self):
        return RankedActions.of, (tuple(self),)


def _built(template: Action, innovation_id: str | None) -> Action:
    """`template` about one innovation (None: the template itself). A copy of the frozen
    instance's fields, a third of the time of building an action field by field."""
    if innovation_id is None:
        return template
    action = object.__new__(Action)
    fields = action.__dict__
    fields.update(template.__dict__)
    fields["innovation_id"] = innovation_id
    fields["levels"] = {}  # each action its own, as the field's default_factory gives
    return action


class _Ranking:
    """The actions grouped by (gain, score gain, kind): actions in one group differ only by
    innovation and row, and are added in that order, so ranking is sorting a few dozen groups
    (not 15,000 actions) and joining them. A group keeps templates and innovation ids, as
    RankedActions does."""

    def __init__(self):
        self.groups: dict[tuple, tuple[list[Action], list[str | None]]] = {}

    def group(self, gain: Decimal, score_gain: Decimal, kind: ActionKind) -> tuple[list[Action], list[str | None]]:
        return self.groups.setdefault((gain, score_gain, kind), ([], []))

    def add(self, action: Action) -> None:
        templates, ids = self.group(action.gain, action.score_gain, action.kind)
        templates.append(action)
        ids.append(None)

    def ranked(self, spec: FrameworkSpec, innovations: Sequence[InnovationState]) -> RankedActions:
        """Best gain first; among equal gains the higher score gain, then KIND_PRIORITY, then the
        SPD rows and the innovations in their given order, each in the order of the spec's rows."""
        keys = sorted(self.groups, key=lambda key: (-key[0], -key[1], KIND_PRIORITY[key[2]]))
        templates = [template for key in keys for template in self.groups[key][0]]
        ids = [innovation_id for key in keys for innovation_id in self.groups[key][1]]
        ranked = RankedActions(templates, ids)
        if len({item.id for item in innovations}) < len(innovations) or len(spec._by_code) < len(spec.rows):
            # Repeated ids or codes: the order they were added in is not the order of the ids.
            order = {item.id: index for index, item in enumerate(innovations)}
            row_order = {row.code: index for index, row in enumerate(spec.rows)}
            ranked = RankedActions.of(
                sorted(
                    ranked,
                    key=lambda action: (
                        -action.gain,
                        -action.score_gain,
                        KIND_PRIORITY[action.kind],
                        order.get(action.innovation_id, -1),
                        row_order.get(action.row_code, -1),
                    ),
                )
            )
        return ranked


def _region_row_actions(spec, scorer: _Scorer, region_rows, projection, ranking: _Ranking) -> None:
    for row in spec.rows_of(REGION):
        if row.outcome:  # no evidence raises a statistic; listed apart (Plan.outcomes)
            continue
        state = region_rows.get(row.code, RowState())
        found = row_action(row, state, projection)
        if found:
            kind, target = found
            now = counted_level(state, projection)
            gains = scorer.gains(scorer.summary(spd=scorer.spd + row.weight * (target - now)))
            ranking.add(_action(gains, kind, None, row.code, now, target, row.mandatory, state))


def _innovation_row_actions(spec, scorer: _Scorer, innovations, projection, ranking: _Ranking) -> None:
    """Every row of every innovation (20,000 at 1,000 innovations). What a row asks for and
    what it gains depend only on its spec row and its state, so each distinct (row, state) is
    weighed once; its action is then the same with the innovation's id filled in."""
    absent = RowState()
    # Per row: the step of each state object (by identity, as in `project`, the object kept with
    # it), and of each state value (equal states of different objects).
    steps = [(row.code, row, {}, {}) for row in spec.rows_of(INNOVATION) if not row.outcome]
    for item in innovations:
        rows = item.rows
        for code, row, by_id, by_value in steps:
            state = rows.get(code, absent)
            step = by_id.get(id(state))
            if step is None:
                if state not in by_value:
                    by_value[state] = _innovation_step(scorer, row, state, projection, ranking)
                step = by_id[id(state)] = (state, *by_value[state])
            if len(step) > 1:
                _state, template, templates, ids = step
                templates.append(template)
                ids.append(item.id)


def _innovation_step(scorer: _Scorer, row, state: RowState, projection, ranking: _Ranking):
    """(the action without its innovation, and the templates and ids of the ranking group it
    joins), or () when the row is at the top already."""
    found = row_action(row, state, projection)
    if not found:
        return ()
    kind, target = found
    now = counted_level(state, projection)
    gains = scorer.maturity_gains(row.weight * (target - now))
    action = _action(gains, kind, None, row.code, now, target, row.mandatory, state)
    return (action, *ranking.group(action.gain, action.score_gain, action.kind))


def _action(gains, kind, innovation_id, code, now, target, mandatory, state: RowState) -> Action:
    gain, score_gain = gains
    return Action(
        kind=kind,
        gain=gain,
        score_gain=score_gain,
        innovation_id=innovation_id,
        row_code=code,
        from_level=now,
        to_level=target,
        mandatory=mandatory,
        needs_verification=kind == ActionKind.RAISE_LEVEL and state.status == RowStatus.ACCEPTED,
    )


def _coverage_actions(spec: FrameworkSpec, scorer: _Scorer):
    """Cover the missing basic-service affairs: this switches the count score on."""
    missing = tuple(sorted(spec.basic_service_codes - scorer.covered))
    needed = spec.basic_services_required - len(scorer.covered)
    if needed <= 0 or needed > len(missing) or scorer.count == 0:
        return
    gain, score_gain = scorer.gains(scorer.summary(covered=spec.basic_services_required))
    yield Action(kind=ActionKind.COVER_BASIC_SERVICES, gain=gain, score_gain=score_gain, affairs=missing, needed=needed)


def _add_innovation_actions(spec: FrameworkSpec, scorer: _Scorer, items: Sequence[InnovationInput]):
    """One more innovation, as mature as the median one entered (level 1 everywhere if none).

    While n < k every innovation fills a seat that now counts as 0; afterwards it pays only when
    its maturity and the count score outweigh the dilution of the average."""
    if items:
        ranked = sorted(items, key=lambda item: scorer.maturities[item.id])
        model = ranked[(len(ranked) - 1) // 2]
        levels, model_id = dict(model.levels), model.id
    else:
        levels, model_id = {row.code: 1 for row in spec.rows_of(INNOVATION)}, None
    added = maturity(spec, levels)
    gain, score_gain = scorer.gains(scorer.summary(maturity_delta=added, extra=1))
    if scorer.count < spec.min_divisor or score_gain > 0:
        yield Action(
            kind=ActionKind.ADD_INNOVATION,
            gain=gain,
            score_gain=score_gain,
            levels=levels,
            model_id=model_id,
            maturity=added,
        )


def _dilution(spec: FrameworkSpec, scorer: _Scorer) -> Dilution | None:
    """The maturity below which one more innovation lowers the total, once n ≥ k.

    With n ≥ k the divisor grows with n: (S + m)/(n + 1) + c(n + 1) ≥ S/n + c(n) exactly when
    m ≥ S/n − (n + 1)(c(n + 1) − c(n))."""
    n = scorer.count
    if n == 0 or n < spec.min_divisor:
        return None
    count_step = scorer.summary(extra=1).count_score - scorer.now.count_score
    break_even = max(scorer.now.sid_average_exact - (n + 1) * Fraction(count_step), Fraction(0))
    weakest = min(scorer.maturities, key=lambda key: scorer.maturities[key])
    example = scorer.maturities[weakest]
    gain, _score_gain = scorer.gains(scorer.summary(maturity_delta=example, extra=1))
    return Dilution(
        break_even=round_half_up(break_even), example_id=weakest, example_maturity=example, example_gain=gain
    )


def _next_band(spec: FrameworkSpec, iid: Decimal) -> tuple[str, Decimal] | None:
    above = [(name, minimum) for name, minimum in spec.bands if minimum > iid]
    return min(above, key=lambda band: band[1]) if above else None
