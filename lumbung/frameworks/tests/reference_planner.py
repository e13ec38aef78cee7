"""The planner as it was before the fast one (frameworks/planner.py before issue 10), kept as the
reference of the property tests: every candidate action built as an Action, its gain from the
engine's `summarise` on the changed sums, every row scored through the engine's checked loop,
and the whole list sorted by the full key. Slow (seconds at 1,000 innovations) and plain.

The data types (RowState, Action, Plan ...) and the per-row rules (counted_level, row_action) are
the planner's own: what is compared is the weighing, the ranking and the figures around them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from lumbung.frameworks.engine import (
    INNOVATION,
    MAX_LEVEL,
    REGION,
    InnovationInput,
    _checked_aspect_score,
    covered_basic_services,
    result_of,
    round_half_up,
    summarise,
)
from lumbung.frameworks.planner import (
    KIND_PRIORITY,
    Action,
    ActionKind,
    Dilution,
    OutcomeRow,
    Plan,
    Projection,
    RowState,
    RowStatus,
    counted_level,
    row_action,
)

FOUR_PLACES = Decimal("0.0001")


def reference_project(spec, region_rows, innovations, projection):
    region = {code: counted_level(state, projection) for code, state in region_rows.items()}
    items = [
        InnovationInput(
            item.id, item.affairs, {code: counted_level(state, projection) for code, state in item.rows.items()}
        )
        for item in innovations
    ]
    return region, items


def reference_maturity(spec, levels, *, where=""):
    return _checked_aspect_score(spec, levels, INNOVATION, where=where)


class _Scorer:
    def __init__(self, spec, region, items):
        self.spec = spec
        self.spd = _checked_aspect_score(spec, region, REGION, where="spd")
        self.maturities = {item.id: reference_maturity(spec, item.levels, where=item.id) for item in items}
        self.maturity_sum = sum(self.maturities.values(), Decimal(0))
        self.count = len(items)
        self.covered = covered_basic_services(spec, (item.affairs for item in items))
        self.now = self.summary()

    def summary(self, *, spd=None, maturity_delta=Decimal(0), extra=0, covered=None):
        return summarise(
            self.spec,
            spd_score=self.spd if spd is None else spd,
            maturity_sum=self.maturity_sum + maturity_delta,
            innovation_count=self.count + extra,
            basic_services_covered=len(self.covered) if covered is None else covered,
        )

    def gains(self, after):
        (new, new_den), (old, old_den) = after.total_ratio, self.now.total_ratio
        difference = Decimal(new * old_den - old * new_den) / Decimal(new_den * old_den)
        return after.iid - self.now.iid, difference.quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def reference_plan(spec, *, region_rows, innovations, projection=Projection.VERIFIED) -> Plan:
    region, items = reference_project(spec, region_rows, innovations, projection)
    scorer = _Scorer(spec, region, items)
    actions = [
        *_row_actions(spec, scorer, region_rows, innovations, projection),
        *_coverage_actions(spec, scorer),
        *_add_innovation_actions(spec, scorer, items),
    ]
    order = {item.id: index for index, item in enumerate(innovations)}
    row_order = {row.code: index for index, row in enumerate(spec.rows)}
    actions.sort(
        key=lambda action: (
            -action.gain,
            -action.score_gain,
            KIND_PRIORITY[action.kind],
            order.get(action.innovation_id, -1),
            row_order.get(action.row_code, -1),
        )
    )
    result = result_of(scorer.now, scorer.maturities, missing=tuple(sorted(spec.basic_service_codes - scorer.covered)))
    above = [(name, minimum) for name, minimum in spec.bands if minimum > result.iid]
    next_band = min(above, key=lambda band: band[1]) if above else None
    return Plan(
        projection=projection,
        result=result,
        actions=tuple(actions),
        next_band=next_band[0] if next_band else None,
        distance=next_band[1] - result.iid if next_band else None,
        distance_score=(next_band[1] - result.iid) * spec.max_total / 100 if next_band else None,
        seats_below_divisor=max(spec.min_divisor - len(items), 0),
        dilution=_dilution(spec, scorer),
        outcomes=tuple(_outcome_rows(spec, scorer, region_rows, projection)),
    )


def _outcome_rows(spec, scorer, region_rows, projection):
    for row in spec.rows_of(REGION):
        if row.outcome:
            state = region_rows.get(row.code, RowState())
            now = counted_level(state, projection)
            gain, _score_gain = scorer.gains(scorer.summary(spd=scorer.spd + row.weight * (MAX_LEVEL - now)))
            yield OutcomeRow(row.code, now, state.status, row.mandatory, gain)


def _row_actions(spec, scorer, region_rows, innovations, projection):
    for row in spec.rows_of(REGION):
        if row.outcome:
            continue
        state = region_rows.get(row.code, RowState())
        found = row_action(row, state, projection)
        if found:
            kind, target = found
            now = counted_level(state, projection)
            gains = scorer.gains(scorer.summary(spd=scorer.spd + row.weight * (target - now)))
            yield _action(gains, kind, None, row.code, now, target, row.mandatory, state)
    innovation_rows = [row for row in spec.rows_of(INNOVATION) if not row.outcome]
    for item in innovations:
        for row in innovation_rows:
            state = item.rows.get(row.code, RowState())
            found = row_action(row, state, projection)
            if found:
                kind, target = found
                now = counted_level(state, projection)
                gains = scorer.gains(scorer.summary(maturity_delta=row.weight * (target - now)))
                yield _action(gains, kind, item.id, row.code, now, target, row.mandatory, state)


def _action(gains, kind, innovation_id, code, now, target, mandatory, state):
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


def _coverage_actions(spec, scorer):
    missing = tuple(sorted(spec.basic_service_codes - scorer.covered))
    needed = spec.basic_services_required - len(scorer.covered)
    if needed <= 0 or needed > len(missing) or scorer.count == 0:
        return
    gain, score_gain = scorer.gains(scorer.summary(covered=spec.basic_services_required))
    yield Action(kind=ActionKind.COVER_BASIC_SERVICES, gain=gain, score_gain=score_gain, affairs=missing, needed=needed)


def _add_innovation_actions(spec, scorer, items):
    if items:
        ranked = sorted(items, key=lambda item: scorer.maturities[item.id])
        model = ranked[(len(ranked) - 1) // 2]
        levels, model_id = dict(model.levels), model.id
    else:
        levels, model_id = {row.code: 1 for row in spec.rows_of(INNOVATION)}, None
    added = reference_maturity(spec, levels)
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


def _dilution(spec, scorer):
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
