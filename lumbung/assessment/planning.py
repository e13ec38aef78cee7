"""The planner on a region's current answers: builds the input of frameworks.planner from the
database, describes its actions in the reader's language, and scores what-if levels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from lumbung.frameworks.engine import IndexResult, InnovationInput, ScoreInputError, compute
from lumbung.frameworks.planner import (
    Action,
    ActionKind,
    InnovationState,
    Plan,
    Projection,
    RowState,
    counted_level,
    plan,
    project,
)
from lumbung.frameworks.planner import RowStatus as PlanStatus
from lumbung.frameworks.specs import spec_for
from lumbung.innovations.models import GovernmentAffair, Innovation

from .models import AWAITING_VERDICT, Answer, Assessment, Entry, EvidenceLink, RegionAnswer, RowStatus


@lru_cache(maxsize=1024)
def _plan_state(level: int, status: str, has_evidence: bool, accepted_level: int = 0) -> RowState:
    """Our row states in the planner's terms: a claim without evidence is a gap, not a pending row.
    A raised claim keeps the level accepted before it (scoring.py counts it as verified too).

    One (frozen) RowState per distinct answer: a region's 20,000 rows are a few dozen states, which
    the planner then weighs once each."""
    if status == RowStatus.ACCEPTED:
        return RowState(level, PlanStatus.ACCEPTED)
    if status == RowStatus.REJECTED:
        return RowState(level, PlanStatus.REJECTED, accepted_level=0)
    kept = min(accepted_level, level) if status == RowStatus.CLAIMED else 0
    if status in AWAITING_VERDICT and has_evidence:
        return RowState(level, PlanStatus.PENDING, accepted_level=kept)
    return RowState(level, PlanStatus.MISSING, accepted_level=kept)


def entry_affairs(entry: Entry) -> frozenset[str]:
    innovation = entry.innovation
    return frozenset({innovation.main_affair.code, *(affair.code for affair in innovation.related_affairs.all())})


@dataclass
class PlannerInput:
    """The planner's input as small tuples, and the ORM rows of the actions about to be shown
    (loaded by `prepare`, so a region of 1,000 innovations does not build 20,000 objects)."""

    assessment: Assessment
    region_rows: dict[str, RowState]
    innovations: list[InnovationState]
    region_answers: dict[str, RegionAnswer]
    unit_paths: dict[str, str]  # planner id -> the innovation's unit path (filtering by unit)
    answers: dict[tuple[str, str], Answer] = field(default_factory=dict)  # (planner id, code), prepared
    entries: dict[str, Entry] = field(default_factory=dict)  # planner id -> entry, prepared

    def prepare(self, actions) -> None:
        """Load the rows, entries and units of `actions` in two queries."""
        wanted = {
            (action.innovation_id, action.row_code)
            for action in actions
            if action.innovation_id is not None and (action.innovation_id, action.row_code) not in self.answers
        }
        if not wanted:
            return
        ids = {int(entry_id) for entry_id, _code in wanted}
        rows = (
            Answer.objects.filter(entry_id__in=ids, indicator__code__in={code for _id, code in wanted})
            .select_related("indicator", "entry__innovation__unit")
            .order_by()
        )
        for row in rows:
            key = (str(row.entry_id), row.indicator.code)
            self.entries.setdefault(key[0], row.entry)
            if key in wanted:
                self.answers[key] = row


def eligible_entries(assessment: Assessment):
    return (
        assessment.entries.filter(is_eligible=True)
        .select_related("innovation__unit", "innovation__main_affair")
        .prefetch_related(Prefetch("innovation__related_affairs", queryset=GovernmentAffair.objects.only("code")))
    )


def planner_input(assessment: Assessment) -> PlannerInput:
    """The region's answers as the planner sees them: four queries of small tuples whatever the
    size (rows are read through the indexed scoring_assessment column)."""
    with_evidence = Exists(EvidenceLink.objects.filter(region_answer=OuterRef("pk")))
    region_answers = {
        row.indicator.code: row
        for row in RegionAnswer.objects.filter(assessment=assessment)
        .select_related("indicator", "unit")
        .annotate(has_evidence=with_evidence)
    }
    entries = assessment.entries.filter(is_eligible=True).order_by("innovation__name", "pk")
    affairs: dict[str, set[str]] = {}
    unit_paths: dict[str, str] = {}
    innovation_of: dict[int, str] = {}
    for pk, innovation_id, main_affair, path in entries.values_list(
        "pk", "innovation_id", "innovation__main_affair__code", "innovation__unit__path"
    ):
        key = str(pk)
        affairs[key] = {main_affair}
        unit_paths[key] = path
        innovation_of[innovation_id] = key
    # Joined to the assessment's own entries by its index (an IN over every entry of every
    # assessment made PostgreSQL hash the whole entry table).
    related = Innovation.related_affairs.through.objects.filter(
        innovation__assessment_entries__assessment=assessment, innovation__assessment_entries__is_eligible=True
    )
    for innovation_id, code in related.values_list("innovation_id", "governmentaffair__code"):
        affairs[innovation_of[innovation_id]].add(code)
    rows_by_entry: dict[str, dict[str, RowState]] = {key: {} for key in affairs}
    # The entry's own assessment as well as the copy: the entries are then read by their index,
    # not hashed whole (with the estimate it gives, PostgreSQL also skips compiling the query).
    answers = Answer.objects.filter(
        scoring_assessment=assessment, entry__assessment=assessment, entry__is_eligible=True
    ).annotate(has_evidence=Exists(EvidenceLink.objects.filter(answer=OuterRef("pk"))))
    for entry_id, code, level, status, has_evidence, accepted in answers.values_list(
        "entry_id", "indicator__code", "level", "status", "has_evidence", "accepted_level"
    ).order_by():
        rows_by_entry[str(entry_id)][code] = _plan_state(level, status, has_evidence, accepted)
    return PlannerInput(
        assessment=assessment,
        region_rows={
            code: _plan_state(r.level, r.status, r.has_evidence, r.accepted_level) for code, r in region_answers.items()
        },
        innovations=[InnovationState(key, frozenset(affairs[key]), rows_by_entry[key]) for key in affairs],
        region_answers=region_answers,
        unit_paths=unit_paths,
    )


def plan_for(
    assessment: Assessment, projection: Projection = Projection.VERIFIED, *, prepare: int = 25
) -> tuple[Plan, PlannerInput]:
    """The plan for the whole region, with the rows of its `prepare` best actions loaded."""
    data = planner_input(assessment)
    result = plan(
        spec_for(assessment.framework),
        region_rows=data.region_rows,
        innovations=data.innovations,
        projection=projection,
    )
    data.prepare(result.actions[:prepare])
    return result, data


def affair_names(codes) -> str:
    names = dict(GovernmentAffair.objects.filter(code__in=list(codes)).values_list("code", "name"))
    return ", ".join(names.get(code, code) for code in codes)


def describe(action: Action, data: PlannerInput) -> str:
    """One sentence saying what to do, in the reader's language."""
    kind = action.kind
    if kind == ActionKind.COVER_BASIC_SERVICES:
        return _(
            "Ikutkan inovasi pada %(needed)s urusan pelayanan dasar lagi (belum tercakup: %(affairs)s); skor "
            "jumlah inovasi baru dihitung bila syarat urusan terpenuhi."
        ) % {"needed": action.needed, "affairs": affair_names(action.affairs)}
    if kind == ActionKind.ADD_INNOVATION:
        return _("Ikutkan satu inovasi lagi dengan kematangan sekitar %(maturity)s.") % {
            "maturity": _number(action.maturity or 0)
        }
    row = _row_of(action, data)
    where = row_title(row)
    values = {"row": where, "from": action.from_level, "to": action.to_level}
    if kind == ActionKind.RAISE_LEVEL and action.needs_verification:
        return (
            _(
                "Naikkan %(row)s dari parameter %(from)s ke %(to)s, lengkap dengan evidennya. Parameter baru perlu "
                "diverifikasi ulang; sampai diputuskan, parameter %(from)s yang sudah sesuai tetap dihitung."
            )
            % values
        )
    texts = {
        ActionKind.RAISE_LEVEL: _("Naikkan %(row)s dari parameter %(from)s ke %(to)s, lengkap dengan evidennya."),
        ActionKind.FIX_REJECTED: _(
            "Perbaiki eviden %(row)s yang dinyatakan tidak sesuai, lalu ajukan ulang (parameter %(to)s)."
        ),
        ActionKind.VERIFY_PENDING: _("Verifikasi %(row)s yang sudah diklaim parameter %(to)s."),
        ActionKind.FILL_MANDATORY: _("Lengkapi %(row)s, yang wajib, beserta evidennya (parameter %(to)s)."),
        ActionKind.ADD_EVIDENCE: _("Lengkapi eviden %(row)s agar dapat diverifikasi (parameter %(to)s)."),
    }
    return texts[kind] % values


def outcome_rows(result: Plan, data: PlannerInput) -> list[dict]:
    """The outcome rows, shown apart from the actions: their level follows the region's figures
    (statistics, audit opinion, SAKIP grade), which no evidence raises."""
    status_labels = {
        PlanStatus.ACCEPTED: _("sesuai"),
        PlanStatus.PENDING: _("menunggu verifikasi"),
        PlanStatus.REJECTED: _("eviden tidak sesuai"),
        PlanStatus.MISSING: _("angka atau eviden belum lengkap"),
    }
    shown = []
    for item in result.outcomes:
        row = data.region_answers.get(item.row_code)
        shown.append(
            {
                "code": item.row_code,
                "name": row.indicator.name if row else item.row_code,
                "level": item.level,
                "status": status_labels[item.status],
                "mandatory": item.mandatory,
                "top_gain": item.top_gain,
            }
        )
    return shown


def row_title(row) -> str:
    indicator = row.indicator
    if isinstance(row, Answer):
        return _("indikator %(code)s (%(name)s) pada %(innovation)s") % {
            "code": indicator.code,
            "name": indicator.name,
            "innovation": row.entry.innovation.name,
        }
    return _("indikator SPD %(code)s (%(name)s)") % {"code": indicator.code, "name": indicator.name}


def _row_of(action: Action, data: PlannerInput):
    if action.innovation_id is None:
        return data.region_answers[action.row_code]
    data.prepare([action])  # nothing to load when the action's page was prepared
    return data.answers[(action.innovation_id, action.row_code)]


def _number(value) -> str:
    from lumbung.core.templatetags.lumbung import num

    return num(value, 2)


def action_target(action: Action, data: PlannerInput):
    """(row, innovation, unit) the action is about: an SPD row's unit is the one made responsible
    for it; row None for region-wide actions."""
    if action.kind in (ActionKind.COVER_BASIC_SERVICES, ActionKind.ADD_INNOVATION):
        return None, None, None
    row = _row_of(action, data)
    if isinstance(row, Answer):
        innovation = row.entry.innovation
        return row, innovation, innovation.unit
    return row, None, row.unit


# What-if -------------------------------------------------------------------------------------


class WhatIfError(ValueError):
    pass


def what_if(
    assessment: Assessment,
    posted: Mapping[str, str],
    projection: Projection = Projection.VERIFIED,
    data: PlannerInput | None = None,
) -> IndexResult:
    """The index for levels typed on the screen over the region's current levels; nothing is saved.

    `posted` holds `spd-<code>` and `inv-<entry id>-<code>` levels, as the planner's what-if form
    sends them: the SPD rows, and the rows of each innovation opened in the form. Every row not
    posted keeps the level that counts now in `projection` (four queries of small tuples, unless
    the caller passes the planner's input it has read as `data`).
    """
    spec = spec_for(assessment.framework)
    data = data or planner_input(assessment)
    region, items = project(spec, data.region_rows, data.innovations, projection)
    levels = {item.id: dict(item.levels) for item in items}
    for key, raw in posted.items():
        if not key.startswith(("spd-", "inv-")):
            continue
        level = _level(raw, key)
        if key.startswith("spd-"):
            region[key[4:]] = level
            continue
        entry_id, _sep, code = key[4:].partition("-")
        if entry_id not in levels:
            # Not an eligible innovation of this assessment (removed meanwhile, or typed by hand).
            raise WhatIfError(_("Inovasi %(id)s tidak dihitung dalam penilaian ini.") % {"id": entry_id})
        levels[entry_id][code] = level
    innovations = [InnovationInput(item.id, item.affairs, levels[item.id]) for item in items]
    try:
        return compute(spec, region, innovations)
    except ScoreInputError as error:
        raise WhatIfError(
            _("Isian tidak dikenal: %(where)s %(code)s.") % {"where": error.where, "code": error.code}
        ) from error


def whatif_rows(assessment: Assessment, entry: Entry, projection: Projection) -> list[tuple]:
    """(answer, level that counts now) of one innovation's rows, as its what-if selects start."""
    rows = (
        entry.answers.select_related("indicator")
        .annotate(has_evidence=Exists(EvidenceLink.objects.filter(answer=OuterRef("pk"))))
        .order_by("indicator__order")
    )
    return [
        (row, counted_level(_plan_state(row.level, row.status, row.has_evidence, row.accepted_level), projection))
        for row in rows
    ]


def _level(raw, key: str) -> int:
    try:
        level = int(raw)
    except (TypeError, ValueError):
        raise WhatIfError(_("Parameter %(key)s harus angka 0 sampai 3.") % {"key": key}) from None
    if not 0 <= level <= 3:
        raise WhatIfError(_("Parameter %(key)s harus angka 0 sampai 3.") % {"key": key})
    return level
