"""The region's index under the other reading of each project inference the answers allow
(frameworks/inferences.py): only the main affair for basic-service coverage, measured values
compared without rounding, indicator 33 basis c above 30% at level 3, and innovations of every
stage counted in n. Nothing is saved; the index the app stores follows each year's applied
reading. The SAKIP grades BB, CC and AA cannot be computed: the grade itself is not recorded,
only the level the region picked (`not_computable`).

The inputs are the planner's (planning.planner_input), so every alternative is the same formula
on the same projection with one reading changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef

from lumbung.frameworks import inferences
from lumbung.frameworks.engine import InnovationInput, compute
from lumbung.frameworks.planner import Projection, counted_level, project
from lumbung.frameworks.specs import spec_for
from lumbung.frameworks.thresholds import level_for_value
from lumbung.innovations.models import Innovation

from .models import Answer, Assessment, EvidenceLink, RowStatus
from .planning import PlannerInput, _plan_state, planner_input

BENEFIT_CODE, EFFICIENCY_BASIS, EFFICIENCY_LIMIT = "33", "c", Decimal(30)


@dataclass(frozen=True)
class Alternative:
    name: str
    label: str
    reading: str  # the other option's wording
    iid: Decimal
    now: Decimal


def reading_alternatives(
    assessment: Assessment,
    projection: Projection = Projection.VERIFIED,
    data: PlannerInput | None = None,
    *,
    now: Decimal | None = None,
) -> list[Alternative]:
    """The index now and under each computable other reading whose option the year does not apply
    (a reading that changes nothing for this region is left out). `data`: the planner's input
    when the caller has it already; `now`: the index of that input in `projection` when the
    caller has computed it (the planner's plan).

    The index is computed once for each reading that changes some level, affair or count of this
    region, and once for `now` if it is not given and some reading does: a reading that changes no
    input cannot change the index, so it is not computed at all."""
    spec = spec_for(assessment.framework)
    data = data or planner_input(assessment)
    region, items = project(spec, data.region_rows, data.innovations, projection)
    block = assessment.framework.inferences
    changed = {
        "basic_service_coverage": lambda: _main_affairs_only(assessment, region, items),
        "measured_rounding": lambda: _exact_values(assessment, data, region, items, projection),
        "benefit_c_above_30": lambda: _efficiency_above_30(assessment, data, region, items, projection),
        "stages_in_count": lambda: _all_stages(assessment, region, items, projection),
    }
    found = []
    for name, build in changed.items():
        if inferences.value_of(block, name) != inferences.CATALOGUE[name].default:
            continue  # the year applies the other option already: the stored index is that reading
        other = build()
        if other is None:
            continue
        if now is None:
            now = compute(spec, region, items).iid
        iid = compute(spec, *other).iid
        if iid != now:
            item = inferences.CATALOGUE[name]
            alternative = inferences.alternative_of(block, name)
            found.append(Alternative(name, str(item.label), str(item.options[alternative]), iid, now))
    return found


# Each reading below returns the engine's input under that reading, or None when the reading changes
# nothing in this region's input.


def _main_affairs_only(assessment, region, items):
    main = dict(
        (str(pk), code)
        for pk, code in assessment.entries.filter(is_eligible=True).values_list("pk", "innovation__main_affair__code")
    )
    if all(item.affairs == {main[item.id]} for item in items):
        return None
    return region, [InnovationInput(item.id, frozenset({main[item.id]}), item.levels) for item in items]


def _counts(level_now: int, stored: int) -> bool:
    """The row counts at its stored level in this projection (so a new level would count too)."""
    return level_now == stored and stored > 0


def _exact_values(assessment, data, region, items, projection):
    """Measured rows whose level changes when the value is not rounded to the published decimals."""
    region, changed = dict(region), False
    for code, row in data.region_answers.items():
        if row.measured_value is not None and row.indicator.thresholds:
            exact = level_for_value(row.indicator.thresholds, row.measured_value, exact=True)
            if exact != row.level and _counts(region.get(code, 0), row.level):
                region[code], changed = exact, True
    levels = {item.id: dict(item.levels) for item in items}
    answers = (
        Answer.objects.filter(scoring_assessment=assessment, entry__is_eligible=True, measured_value__isnull=False)
        .select_related("indicator", "basis")
        .only("entry_id", "level", "measured_value", "indicator__code", "indicator__thresholds", "basis__thresholds")
    )
    for row in answers:
        thresholds = row.basis.thresholds if row.basis_id else row.indicator.thresholds
        exact = level_for_value(thresholds, row.measured_value, exact=True)
        key, code = str(row.entry_id), row.indicator.code
        if key in levels and exact != row.level and _counts(levels[key].get(code, 0), row.level):
            levels[key][code], changed = exact, True
    if not changed:
        return None
    return region, [InnovationInput(item.id, item.affairs, levels[item.id]) for item in items]


def _efficiency_above_30(assessment, data, region, items, projection):
    """Indicator 33 on basis c with more than 30% efficiency: level 3 instead of 0. Such a row
    has level 0, so it was never accepted: it counts when claimed or expected, not as verified."""
    if projection == Projection.VERIFIED:
        return None
    levels = {item.id: dict(item.levels) for item in items}
    rows = Answer.objects.filter(
        scoring_assessment=assessment,
        entry__is_eligible=True,
        indicator__code=BENEFIT_CODE,
        basis__code=EFFICIENCY_BASIS,
        measured_value__gt=EFFICIENCY_LIMIT,
        level=0,
    ).exclude(status=RowStatus.REJECTED)
    raised = [str(entry_id) for entry_id in rows.values_list("entry_id", flat=True) if str(entry_id) in levels]
    if all(levels[key].get(BENEFIT_CODE) == 3 for key in raised):
        return None
    for key in raised:
        levels[key][BENEFIT_CODE] = 3
    return region, [InnovationInput(item.id, item.affairs, levels[item.id]) for item in items]


# Reasons that keep an innovation out only because of its stage: not yet implemented, hence no
# implementation date either.
STAGE_REASONS = frozenset({"stage", "no_date"})


def _all_stages(assessment, region, items, projection):
    """Innovations entered at the initiative or trial stage count in n (and their rows in the
    average) when nothing but their stage keeps them out."""
    kept: dict[int, set[str]] = {}
    entry_of: dict[int, int] = {}
    for pk, reasons, innovation_id, main in assessment.entries.filter(is_eligible=False).values_list(
        "pk", "eligibility_reasons", "innovation_id", "innovation__main_affair__code"
    ):
        codes = {reason.get("code") for reason in reasons}
        if "stage" in codes and codes <= STAGE_REASONS:
            kept[pk], entry_of[innovation_id] = {main}, pk
    if not kept:
        return None
    related = Innovation.related_affairs.through.objects.filter(innovation_id__in=entry_of)
    for innovation_id, code in related.values_list("innovation_id", "governmentaffair__code"):
        kept[entry_of[innovation_id]].add(code)
    levels: dict[int, dict[str, int]] = {pk: {} for pk in kept}
    answers = Answer.objects.filter(entry_id__in=kept).annotate(
        has_evidence=Exists(EvidenceLink.objects.filter(answer=OuterRef("pk")))
    )
    for entry_id, code, level, status, has_evidence, accepted in answers.values_list(
        "entry_id", "indicator__code", "level", "status", "has_evidence", "accepted_level"
    ).order_by():
        levels[entry_id][code] = counted_level(_plan_state(level, status, has_evidence, accepted), projection)
    extra = [InnovationInput(str(pk), frozenset(kept[pk]), levels[pk]) for pk in sorted(kept)]
    return region, [*items, *extra]


@dataclass(frozen=True)
class Unavailable:
    label: str
    reading: str  # the other option's wording


def not_computable(assessment: Assessment) -> list[Unavailable]:
    """The year's readings whose other option the app cannot compute from what a region enters
    (said beside the alternatives, so a reader knows the list is not complete)."""
    block = assessment.framework.inferences
    return [
        Unavailable(str(item.label), str(item.options[inferences.alternative_of(block, name)]))
        for name, item in inferences.CATALOGUE.items()
        if not item.computable
    ]
