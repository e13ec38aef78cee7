"""The Indeks Inovasi Daerah (IID) as pure functions: no Django, no database, exact arithmetic.

    SPD   = Σ weight × level over the region rows                          (2026: max 63)
    SID   = Σ maturities / MAX(k, n)  +  count score                        (2026: max 111 + 76)
    count = MIN(n, cap) × factor when ≥ `basic_services_required` of the basic-service affairs
            are covered by the innovations, else 0
    IID   = (SPD + SID) / max total × 100, rounded half-up to 2 decimals, then the predicate

Sums of weights × levels are exact Decimals; the average and the IID are kept as fractions until
the IID is rounded, so a result never depends on a floating-point or 28-digit approximation.

Callers that already hold the sums (the assessment app aggregates them in SQL) use `summarise`;
`compute` is the whole formula from levels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

NOT_ASSESSABLE = "Tidak Dapat Dinilai"
MAX_LEVEL = 3
REGION = "region"
INNOVATION = "innovation"
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class RowSpec:
    """One scoring row of a framework: score = weight × level (0..3)."""

    code: str
    weight: Decimal
    aspect: Literal["region", "innovation"]
    mandatory: bool
    # A statistic of the region (income growth, audit opinion...): no evidence raises it.
    outcome: bool = False


@dataclass(frozen=True)
class FrameworkSpec:
    """The numbers of one assessment year that the formula needs."""

    year: int
    rows: tuple[RowSpec, ...]
    min_divisor: int
    count_factor: Decimal
    count_cap: int
    basic_services_required: int
    basic_service_codes: frozenset[str]
    max_total: Decimal
    # (predicate name, minimum IID), highest band first; an IID below every band is NOT_ASSESSABLE.
    bands: tuple[tuple[str, Decimal], ...]
    _by_code: dict = field(init=False, repr=False, compare=False, hash=False)
    # aspect -> row code -> {level: weight × level}: the products every score adds, made once.
    _scores: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {row.code: row for row in self.rows})
        scores: dict[str, dict[str, dict[int, Decimal]]] = {REGION: {}, INNOVATION: {}}
        for row in self._by_code.values():
            scores.setdefault(row.aspect, {})[row.code] = {level: row.weight * level for level in range(MAX_LEVEL + 1)}
        object.__setattr__(self, "_scores", scores)

    def row(self, code: str) -> RowSpec | None:
        return self._by_code.get(code)

    def rows_of(self, aspect: str) -> tuple[RowSpec, ...]:
        return tuple(row for row in self.rows if row.aspect == aspect)

    @property
    def max_region_score(self) -> Decimal:
        return sum((row.weight * MAX_LEVEL for row in self.rows_of(REGION)), Decimal(0))

    @property
    def max_maturity(self) -> Decimal:
        return sum((row.weight * MAX_LEVEL for row in self.rows_of(INNOVATION)), Decimal(0))

    @property
    def max_count_score(self) -> Decimal:
        return self.count_cap * self.count_factor

    def predicate_for(self, iid: Decimal) -> str:
        for name, minimum in self.bands:
            if iid >= minimum:
                return name
        return NOT_ASSESSABLE


@dataclass(frozen=True)
class InnovationInput:
    id: str
    affairs: frozenset[str]
    # Row code -> level 0..3; an absent row counts as 0.
    levels: Mapping[str, int]


@dataclass(frozen=True)
class Summary:
    """The formula from the sums. The average and the total are kept exact, as integer
    numerator and denominator (cheap to compare, which the planner does thousands of times)."""

    spd_score: Decimal
    innovation_count: int
    divisor: int
    basic_services_covered: int
    count_score: Decimal
    iid: Decimal
    predicate: str
    sid_average_ratio: tuple[int, int]
    total_ratio: tuple[int, int]

    @property
    def sid_average_exact(self) -> Fraction:
        return Fraction(*self.sid_average_ratio)

    @property
    def total_exact(self) -> Fraction:
        return Fraction(*self.total_ratio)


@dataclass(frozen=True)
class IndexResult:
    spd_score: Decimal
    innovation_count: int
    divisor: int
    sid_average: Decimal  # rounded half-up to 2 decimals, for display
    basic_services_covered: int
    count_score: Decimal
    total: Decimal  # rounded half-up to 2 decimals, for display; the IID uses the exact total
    iid: Decimal
    predicate: str
    maturities: dict[str, Decimal]
    basic_services_missing: tuple[str, ...] = ()


class ScoreInputError(ValueError):
    """Input the formula cannot score. `problem` is one of the class constants; `where` names the
    offending item ("spd", or the innovation's id) so callers can write their own message."""

    UNKNOWN_ROW = "unknown_row"
    WRONG_ASPECT = "wrong_aspect"
    LEVEL_OUT_OF_RANGE = "level_out_of_range"
    DUPLICATE_ID = "duplicate_id"

    def __init__(self, problem: str, *, where: str, code: str = "", level: object = None):
        self.problem, self.where, self.code, self.level = problem, where, code, level
        super().__init__(f"{problem}: {where} {code} {level!r}".strip())


def round_half_up(value: Fraction | Decimal) -> Decimal:
    """An exact value to 2 decimals, halves away from zero (half-up for the non-negative IID)."""
    exact = Fraction(value)
    return Decimal(_round_ratio(exact.numerator * 100, exact.denominator)).scaleb(-2).quantize(TWO_PLACES)


def check_level(level: object, *, where: str, code: str) -> int:
    # bool is an int in Python; a level of True is a data error, not 1.
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= MAX_LEVEL:
        raise ScoreInputError(ScoreInputError.LEVEL_OUT_OF_RANGE, where=where, code=code, level=level)
    return level


def aspect_score(spec: FrameworkSpec, levels: Mapping[str, int], aspect: str, *, where: str) -> Decimal:
    """Σ weight × level over the rows of one aspect; rejects codes of the other aspect.

    The products come from the spec's table (a region of 1,000 innovations adds 20,000 of them
    per index); anything the table does not hold (an unknown row, a row of the other aspect, a
    level that is not an int 0..3) goes through the checks below, which raise its error."""
    scores = spec._scores.get(aspect, {})
    total = Decimal(0)
    try:
        for code, level in levels.items():
            if level.__class__ is not int:  # True is an int with a key in the table: checked below
                raise KeyError(code)
            total += scores[code][level]
    except KeyError:
        return _checked_aspect_score(spec, levels, aspect, where=where)
    return total


def _checked_aspect_score(spec: FrameworkSpec, levels: Mapping[str, int], aspect: str, *, where: str) -> Decimal:
    total = Decimal(0)
    for code, level in levels.items():
        row = spec.row(code)
        if row is None:
            raise ScoreInputError(ScoreInputError.UNKNOWN_ROW, where=where, code=code)
        if row.aspect != aspect:
            raise ScoreInputError(ScoreInputError.WRONG_ASPECT, where=where, code=code)
        total += row.weight * check_level(level, where=where, code=code)
    return total


def region_score(spec: FrameworkSpec, levels: Mapping[str, int]) -> Decimal:
    return aspect_score(spec, levels, REGION, where="spd")


def maturity(spec: FrameworkSpec, levels: Mapping[str, int], *, where: str = "") -> Decimal:
    """An innovation's maturity (kematangan): Σ weight × level over the innovation rows."""
    return aspect_score(spec, levels, INNOVATION, where=where)


def covered_basic_services(spec: FrameworkSpec, affairs: Iterable[frozenset[str]]) -> frozenset[str]:
    covered: set[str] = set()
    for codes in affairs:
        covered |= codes & spec.basic_service_codes
    return frozenset(covered)


def summarise(
    spec: FrameworkSpec,
    *,
    spd_score: Decimal,
    maturity_sum: Decimal,
    innovation_count: int,
    basic_services_covered: int,
) -> Summary:
    """The rest of the formula once the SPD score and the sum of maturities are known."""
    divisor = max(spec.min_divisor, innovation_count)
    counts = basic_services_covered >= spec.basic_services_required
    count_score = min(innovation_count, spec.count_cap) * spec.count_factor if counts else Decimal(0)
    # Every term as an integer over one power of ten: total = spd + maturity_sum / divisor + count.
    places = _places(spd_score, maturity_sum, count_score, spec.max_total)
    spd, maturities, count, max_total = (
        int(value.scaleb(places)) for value in (spd_score, maturity_sum, count_score, spec.max_total)
    )
    denominator = divisor * 10**places
    total = (spd + count) * divisor + maturities
    # IID × 100 = total / denominator × 100 / (max_total / 10^places) × 100, rounded half-up
    iid = Decimal(_round_ratio(total * 10_000, divisor * max_total)).scaleb(-2)
    return Summary(
        spd_score=spd_score,
        innovation_count=innovation_count,
        divisor=divisor,
        basic_services_covered=basic_services_covered,
        count_score=count_score,
        iid=iid,
        predicate=spec.predicate_for(iid),
        sid_average_ratio=(maturities, denominator),
        total_ratio=(total, denominator),
    )


def _places(*values: Decimal) -> int:
    """Decimal places enough to write every value as an integer."""
    return max(0, *(-value.as_tuple().exponent for value in values))


def _round_ratio(numerator: int, denominator: int) -> int:
    """numerator / denominator (denominator > 0) to the nearest integer, halves away from zero."""
    whole = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -whole if numerator < 0 else whole


def compute(
    spec: FrameworkSpec, region_levels: Mapping[str, int], innovations: Sequence[InnovationInput]
) -> IndexResult:
    """The whole index from levels. Raises ScoreInputError for unknown rows, rows of the wrong
    aspect, levels outside 0..3 and repeated innovation ids."""
    spd = region_score(spec, region_levels)
    maturities: dict[str, Decimal] = {}
    for innovation in innovations:
        if innovation.id in maturities:
            raise ScoreInputError(ScoreInputError.DUPLICATE_ID, where=innovation.id)
        maturities[innovation.id] = maturity(spec, innovation.levels, where=innovation.id)
    covered = covered_basic_services(spec, (innovation.affairs for innovation in innovations))
    summary = summarise(
        spec,
        spd_score=spd,
        maturity_sum=sum(maturities.values(), Decimal(0)),
        innovation_count=len(maturities),
        basic_services_covered=len(covered),
    )
    return result_of(summary, maturities, missing=tuple(sorted(spec.basic_service_codes - covered)))


def result_of(summary: Summary, maturities: dict[str, Decimal], *, missing: tuple[str, ...] = ()) -> IndexResult:
    return IndexResult(
        spd_score=summary.spd_score,
        innovation_count=summary.innovation_count,
        divisor=summary.divisor,
        sid_average=round_half_up(summary.sid_average_exact),
        basic_services_covered=summary.basic_services_covered,
        count_score=summary.count_score,
        total=round_half_up(summary.total_exact),
        iid=summary.iid,
        predicate=summary.predicate,
        maturities=maturities,
        basic_services_missing=missing,
    )
