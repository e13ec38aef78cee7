"""The matrix cells and planner input as the one-page implementation computed them (copied from
reports.completeness_matrix and planning.planner_input before the pages were paginated), kept as
the reference the paginated pages are compared with."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from lumbung.assessment.models import AWAITING_VERDICT, Answer, Entry, EvidenceLink, RegionAnswer, RowStatus
from lumbung.frameworks.planner import InnovationState, RowState, plan
from lumbung.frameworks.planner import RowStatus as PlanStatus
from lumbung.frameworks.specs import spec_for

GAP_STATES = (RowStatus.MISSING, RowStatus.REJECTED)


def _is_gap(*, mandatory: bool, status: str, has_evidence: bool) -> bool:
    return mandatory and (status in GAP_STATES or not has_evidence)


def matrix_cells(assessment, entries=None) -> dict[tuple[int, str], tuple]:
    """{(entry id, indicator code): (answer id, status, level, has_evidence, gap)} for every cell."""
    indicators = list(assessment.framework.indicators.filter(aspect="innovation").order_by("order"))
    by_pk = {indicator.pk: indicator for indicator in indicators}
    if entries is None:
        entries = Entry.objects.filter(assessment=assessment)
    entries = list(entries)
    eligible = {entry.pk for entry in entries if entry.is_eligible}
    answers = (
        Answer.objects.filter(entry__in=[entry.pk for entry in entries])
        .annotate(has_evidence=Exists(EvidenceLink.objects.filter(answer=OuterRef("pk"))))
        .values_list("pk", "entry_id", "indicator_id", "status", "level", "has_evidence")
    )
    cells = {}
    for pk, entry_id, indicator_id, status, level, has_evidence in answers:
        if indicator_id in by_pk:
            indicator = by_pk[indicator_id]
            gap = entry_id in eligible and _is_gap(
                mandatory=indicator.is_mandatory, status=status, has_evidence=has_evidence
            )
            cells[(entry_id, indicator.code)] = (pk, status, level, has_evidence, gap)
    return cells


def _plan_state(level: int, status: str, has_evidence: bool) -> RowState:
    if status == RowStatus.ACCEPTED:
        return RowState(level, PlanStatus.ACCEPTED)
    if status == RowStatus.REJECTED:
        return RowState(level, PlanStatus.REJECTED)
    if status in AWAITING_VERDICT and has_evidence:
        return RowState(level, PlanStatus.PENDING)
    return RowState(level, PlanStatus.MISSING)


def plan_of(assessment, projection):
    """The plan the one-page planner computed, from ORM objects as it loaded them."""
    from lumbung.assessment.planning import eligible_entries, entry_affairs

    region_answers = {
        row.indicator.code: row
        for row in RegionAnswer.objects.filter(assessment=assessment)
        .select_related("indicator", "unit")
        .annotate(has_evidence=Exists(EvidenceLink.objects.filter(region_answer=OuterRef("pk"))))
    }
    entries = {str(entry.pk): entry for entry in eligible_entries(assessment)}
    answers = {
        (str(row.entry_id), row.indicator.code): row
        for row in Answer.objects.filter(entry_id__in=[int(key) for key in entries])
        .select_related("indicator")
        .annotate(has_evidence=Exists(EvidenceLink.objects.filter(answer=OuterRef("pk"))))
    }
    rows_by_entry: dict[str, dict[str, RowState]] = {key: {} for key in entries}
    for (entry_id, code), row in answers.items():
        rows_by_entry[entry_id][code] = _plan_state(row.level, row.status, row.has_evidence)
    return plan(
        spec_for(assessment.framework),
        region_rows={code: _plan_state(r.level, r.status, r.has_evidence) for code, r in region_answers.items()},
        innovations=[InnovationState(key, entry_affairs(entry), rows_by_entry[key]) for key, entry in entries.items()],
        projection=projection,
    )


def action_key(action) -> tuple:
    return (action.kind, action.gain, action.score_gain, action.innovation_id, action.row_code,
            action.from_level, action.to_level)  # fmt: skip
