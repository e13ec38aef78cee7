"""The planner on a region's current answers: builds the input of frameworks.planner from the
database, describes its actions in the reader's language, and scores what-if levels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from lumbung.frameworks.engine import IndexResult, InnovationInput, ScoreInputError, compute
from lumbung.frameworks.planner import Action, ActionKind, InnovationState, Plan, Projection, RowState, plan
from lumbung.frameworks.planner import RowStatus as PlanStatus
from lumbung.frameworks.specs import spec_for
from lumbung.innovations.models import GovernmentAffair

from .models import AWAITING_VERDICT, Answer, Assessment, Entry, EvidenceLink, RegionAnswer, RowStatus


def _plan_state(level: int, status: str, has_evidence: bool) -> RowState:
    """Our row states in the planner's terms: a claim without evidence is a gap, not a pending row."""
    if status == RowStatus.ACCEPTED:
        return RowState(level, PlanStatus.ACCEPTED)
    if status == RowStatus.REJECTED:
        return RowState(level, PlanStatus.REJECTED)
    if status in AWAITING_VERDICT and has_evidence:
        return RowState(level, PlanStatus.PENDING)
    return RowState(level, PlanStatus.MISSING)


def entry_affairs(entry: Entry) -> frozenset[str]:
    innovation = entry.innovation
    return frozenset({innovation.main_affair.code, *(affair.code for affair in innovation.related_affairs.all())})


@dataclass
class PlannerInput:
    region_rows: dict[str, RowState]
    innovations: list[InnovationState]
    entries: dict[str, Entry]  # planner id -> eligible entry
    region_answers: dict[str, RegionAnswer]
    answers: dict[tuple[str, str], Answer]  # (planner id, row code) -> answer


def eligible_entries(assessment: Assessment):
    return (
        assessment.entries.filter(is_eligible=True)
        .select_related("innovation__unit", "innovation__main_affair")
        .prefetch_related(Prefetch("innovation__related_affairs", queryset=GovernmentAffair.objects.only("code")))
    )


def planner_input(assessment: Assessment) -> PlannerInput:
    """The region's answers as the planner sees them (five queries whatever the size)."""
    with_evidence = Exists(EvidenceLink.objects.filter(region_answer=OuterRef("pk")))
    region_answers = {
        row.indicator.code: row
        for row in RegionAnswer.objects.filter(assessment=assessment)
        .select_related("indicator", "unit")
        .annotate(has_evidence=with_evidence)
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
    return PlannerInput(
        region_rows={code: _plan_state(r.level, r.status, r.has_evidence) for code, r in region_answers.items()},
        innovations=[InnovationState(key, entry_affairs(entry), rows_by_entry[key]) for key, entry in entries.items()],
        entries=entries,
        region_answers=region_answers,
        answers=answers,
    )


def plan_for(assessment: Assessment, projection: Projection = Projection.VERIFIED) -> tuple[Plan, PlannerInput]:
    data = planner_input(assessment)
    result = plan(
        spec_for(assessment.framework),
        region_rows=data.region_rows,
        innovations=data.innovations,
        projection=projection,
    )
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
    row = data.answers[(action.innovation_id, action.row_code)]
    row.entry = data.entries[action.innovation_id]
    return row


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


def what_if(assessment: Assessment, posted: Mapping[str, str]) -> IndexResult:
    """The index for levels typed on the screen; nothing is read from the answers or saved.

    `posted` holds `spd-<code>` and `inv-<entry id>-<code>` levels and `aff-<entry id>` (the
    entry's affairs, comma separated), as the planner's what-if form sends them.
    """
    spec = spec_for(assessment.framework)
    region: dict[str, int] = {}
    levels: dict[str, dict[str, int]] = {}
    affairs: dict[str, frozenset[str]] = {}
    for key, raw in posted.items():
        if key.startswith("aff-"):
            affairs[key[4:]] = frozenset(code for code in str(raw).split(",") if code)
            continue
        if not key.startswith(("spd-", "inv-")):
            continue
        level = _level(raw, key)
        if key.startswith("spd-"):
            region[key[4:]] = level
        else:
            entry_id, _sep, code = key[4:].partition("-")
            levels.setdefault(entry_id, {})[code] = level
    innovations = [
        InnovationInput(entry_id, affairs.get(entry_id, frozenset()), rows) for entry_id, rows in levels.items()
    ]
    for entry_id in set(affairs) - set(levels):
        innovations.append(InnovationInput(entry_id, affairs[entry_id], {}))
    try:
        return compute(spec, region, innovations)
    except ScoreInputError as error:
        raise WhatIfError(
            _("Isian tidak dikenal: %(where)s %(code)s.") % {"where": error.where, "code": error.code}
        ) from error


def _level(raw, key: str) -> int:
    try:
        level = int(raw)
    except (TypeError, ValueError):
        raise WhatIfError(_("Parameter %(key)s harus angka 0 sampai 3.") % {"key": key}) from None
    if not 0 <= level <= 3:
        raise WhatIfError(_("Parameter %(key)s harus angka 0 sampai 3.") % {"key": key})
    return level
