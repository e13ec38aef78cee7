"""What changes an assessment: entries, answers and verdicts, the planner's actions and official
results (the evidence library is in evidence.py). Every function is keyword-only; state changes go through
the state machines in workflows.py and each one writes an event row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lumbung.actions.models import Action
from lumbung.actions.services import action_create, action_transition
from lumbung.core.caching import region_data_changed
from lumbung.frameworks.models import Indicator
from lumbung.notifications.services import notify

from . import eligibility, scoring
from .concurrency import check_not_stale
from .models import (
    Answer,
    AnswerBase,
    AnswerEvent,
    Assessment,
    AssessmentEvent,
    Entry,
    EvidenceLink,
    OfficialResult,
    RegionAnswer,
    RegionAnswerEvent,
    RejectReason,
    RowStatus,
)
from .workflows import ASSESSMENT, LEVEL_CHANGE_ACTION, row_machine

# Actions after which the index figures change.
SCORING_ACTIONS = frozenset({"claim", "revise", "resubmit", "amend", "withdraw", "accept", "reject", "reopen"})
OWN_WORK = gettext_lazy(
    "Anda yang mengklaim atau terakhir mengubah baris ini (jawaban atau evidennya), sehingga putusan sesuai "
    "atau tidak sesuai harus diberikan verifikator lain."
)


def is_own_work(user, row: AnswerBase) -> bool:
    """A reviewer who may not judge the row only because they claimed or last changed it."""
    return user.has_perm("assessment.verify_row", row) and not user.has_perm("assessment.judge_row", row)


# Assessment ----------------------------------------------------------------------------------


def assessment_create(*, region, year: int, framework, actor, **stage_dates) -> Assessment:
    """Open the region's assessment of `year` with one empty row per SPD indicator."""
    if Assessment.objects.filter(region=region, year=year).exists():
        raise ValidationError(_("Penilaian IGA tahun %(year)s sudah ada.") % {"year": year}, code="exists")
    if framework.year != year:
        # Every assessment of a year uses that year's methodology (scoring.recompute_year relies on it).
        raise ValidationError(
            _("Metodologi %(framework)s bukan untuk tahun %(year)s.") % {"framework": framework, "year": year}
        )
    # The units made responsible for SPD rows last year keep them (rows matched by code).
    previous = Assessment.objects.filter(region=region, year__lt=year).order_by("-year").first()
    units = (
        dict(previous.region_answers.filter(unit__is_active=True).values_list("indicator__code", "unit_id"))
        if previous
        else {}
    )
    with transaction.atomic():
        assessment = Assessment(region=region, year=year, framework=framework, created_by=actor, **stage_dates)
        assessment.full_clean()
        assessment.save()
        indicators = framework.indicators.filter(aspect="region")
        RegionAnswer.objects.bulk_create(
            [
                RegionAnswer(assessment=assessment, indicator=indicator, unit_id=units.get(indicator.code))
                for indicator in indicators
            ]
        )
        AssessmentEvent.objects.create(
            assessment=assessment,
            actor=actor,
            action="create",
            to_state=assessment.status,
            data={"framework": framework.year, "units_from": previous.year if units else None},
        )
        scoring.assessment_recompute(assessment=assessment)
    return assessment


def assessment_update_stages(*, assessment: Assessment, actor, **stage_dates) -> Assessment:
    changed = {name: value for name, value in stage_dates.items() if getattr(assessment, name) != value}
    if not changed:
        return assessment
    with transaction.atomic():
        for name, value in changed.items():
            setattr(assessment, name, value)
        assessment.save(update_fields=[*changed, "updated_at"])
        _assessment_event(
            assessment,
            "stages",
            actor,
            data={name: value.isoformat() if value else None for name, value in changed.items()},
        )
    return assessment


def assessment_transition(*, assessment: Assessment, action: str, actor, note: str = "") -> AssessmentEvent:
    """Lock or unlock the year (after locking nothing in it can change)."""
    return ASSESSMENT.apply(assessment, action, actor=actor, note=note)


def _assessment_event(assessment: Assessment, action: str, actor, *, note: str = "", data: dict) -> None:
    """Record something done within the year that does not change its state."""
    AssessmentEvent.objects.create(
        assessment=assessment, actor=actor, action=action, from_state=assessment.status,
        to_state=assessment.status, note=note, data=data,
    )  # fmt: skip


def _require_open(assessment: Assessment) -> None:
    if not assessment.is_open:
        raise ValidationError(
            _("Penilaian IGA %(year)s sudah dikunci; jawaban dan eviden tidak dapat diubah.")
            % {"year": assessment.year},
            code="locked",
        )


def region_rows_assign(*, assessment: Assessment, units: Mapping[int, object | None], actor) -> int:
    """Make units responsible for SPD rows ({row id: unit, or None to take it back}); their
    operators may then answer the rows and attach evidence. Each change is an event on its row,
    and each unit hears which rows it now answers for. Returns the number of rows changed."""
    _require_open(assessment)
    if any(unit is not None and unit.region_id != assessment.region_id for unit in units.values()):
        raise ValidationError(_("Perangkat daerah harus dari pemda yang sama."), code="region")
    rows = RegionAnswer.objects.filter(assessment=assessment, pk__in=list(units)).select_related("indicator", "unit")
    assigned: dict = {}
    changed = 0
    with transaction.atomic():
        # The plain updates below send no signal: the region's cached figures go stale here.
        region_data_changed(assessment.region_id)
        for row in rows:
            unit = units[row.pk]
            if row.unit_id == getattr(unit, "pk", None):
                continue
            # A plain update: the row's updated_at orders the verification queue by claim time.
            RegionAnswer.objects.filter(pk=row.pk).update(unit=unit)
            _row_event(
                row, "assign_unit", actor, note=unit.display_name if unit else "",
                data={"from": row.unit_id, "to": getattr(unit, "pk", None)},
            )  # fmt: skip
            row.unit = unit
            changed += 1
            if unit is not None:
                assigned.setdefault(unit, []).append(row)
        for unit, unit_rows in assigned.items():
            codes = ", ".join(f"{row.indicator.code} ({row.indicator.name})" for row in unit_rows)
            notify(
                recipients=unit_people(unit),
                title=_("Indikator SPD IGA %(year)s untuk %(unit)s")
                % {"year": assessment.year, "unit": unit.short_name or unit.name},
                body=_("Perangkat daerah Anda kini menjawab indikator %(codes)s beserta evidennya.") % {"codes": codes},
                url=reverse("assessment:region-rows", args=[assessment.pk]),
                region=assessment.region,
            )
    return changed


# Entries -------------------------------------------------------------------------------------


def _eligibility_facts(*, assessment: Assessment, innovation) -> eligibility.Facts:
    framework = assessment.framework
    other_years = (
        Entry.objects.filter(innovation=innovation, is_eligible=True)
        .exclude(assessment=assessment)
        .values_list("assessment__year", flat=True)
    )
    return eligibility.Facts(
        stage=innovation.stage,
        implementation_date=innovation.implementation_date,
        development_date=innovation.development_date,
        is_running=innovation.is_running,
        window_from=framework.implementation_from,
        window_to=framework.implementation_to,
        other_entry_years=tuple(sorted(other_years)),
        max_entries=framework.max_entries_per_innovation,
    )


def entry_add(*, assessment: Assessment, innovation, actor) -> Entry:
    """Enter an innovation in the year; it is checked at once and, when not eligible, kept with
    the reasons (it does not count in the index until it is)."""
    _require_open(assessment)
    if innovation.region_id != assessment.region_id:
        raise ValidationError(_("Inovasi ini bukan milik pemda yang dinilai."), code="region")
    if innovation.unit_id is None:  # a citizens' innovation enters the index once a unit adopts it
        raise ValidationError(
            _("%(name)s adalah inovasi masyarakat yang belum diadopsi perangkat daerah.") % {"name": innovation.name},
            code="unadopted",
        )
    if Entry.objects.filter(assessment=assessment, innovation=innovation).exists():
        raise ValidationError(
            _("%(name)s sudah diikutkan pada penilaian ini.") % {"name": innovation.name}, code="duplicate"
        )
    reasons = eligibility.evaluate(_eligibility_facts(assessment=assessment, innovation=innovation))
    with transaction.atomic():
        entry = Entry.objects.create(
            assessment=assessment,
            innovation=innovation,
            entered_by=actor,
            is_eligible=not reasons,
            eligibility_reasons=reasons,
            checked_at=timezone.now(),
        )
        indicators = assessment.framework.indicators.filter(aspect="innovation")
        Answer.objects.bulk_create(
            [Answer(entry=entry, scoring_assessment=assessment, indicator=indicator) for indicator in indicators]
        )
        _assessment_event(
            assessment,
            "add_entry",
            actor,
            note=innovation.name,
            data={"entry": entry.pk, "innovation": innovation.pk, "eligible": not reasons},
        )
        scoring.assessment_recompute(assessment=assessment)
    return entry


def entry_recheck(*, entry: Entry, actor) -> Entry:
    """Run the eligibility rules again (after the profile was corrected)."""
    _require_open(entry.assessment)
    reasons = eligibility.evaluate(_eligibility_facts(assessment=entry.assessment, innovation=entry.innovation))
    with transaction.atomic():
        was_eligible = entry.is_eligible
        entry.is_eligible, entry.eligibility_reasons, entry.checked_at = not reasons, reasons, timezone.now()
        entry.save(update_fields=["is_eligible", "eligibility_reasons", "checked_at"])
        if was_eligible != entry.is_eligible:
            _assessment_event(
                entry.assessment, "recheck_entry", actor, note=entry.innovation.name,
                data={"entry": entry.pk, "eligible": entry.is_eligible},
            )  # fmt: skip
            scoring.assessment_recompute(assessment=entry.assessment)
    return entry


def entry_remove(*, entry: Entry, actor) -> None:
    """Take an innovation out again; only while none of its rows holds anything."""
    assessment = entry.assessment
    _require_open(assessment)
    worked_on = (
        entry.answers.exclude(status=RowStatus.MISSING).exists()
        or EvidenceLink.objects.filter(answer__entry=entry).exists()
    )
    if worked_on:
        raise ValidationError(
            _("%(name)s tidak dapat dikeluarkan karena sudah ada jawaban atau eviden pada barisnya.")
            % {"name": entry.innovation.name},
            code="in_use",
        )
    with transaction.atomic():
        _assessment_event(
            assessment,
            "remove_entry",
            actor,
            note=entry.innovation.name,
            data={"entry": entry.pk, "innovation": entry.innovation_id},
        )
        entry.delete()
        scoring.assessment_recompute(assessment=assessment)


# Answers and verdicts ------------------------------------------------------------------------

# Measures whose number is a statistic: a level on such a row needs the number it rests on.
STATISTIC_MEASURES = frozenset({Indicator.Measure.PERCENT, Indicator.Measure.NUMBER})
# Measures whose numbers cannot be negative (growth in percent, or an index change, can).
NON_NEGATIVE_MEASURES = frozenset({Indicator.Measure.COUNT, Indicator.Measure.DAYS, Indicator.Measure.MONTHS})


@transaction.atomic
def answer_set(
    *,
    row: AnswerBase,
    actor,
    level: int | None = None,
    measured_value: Decimal | None = None,
    basis=None,
    note: str = "",
    seen: str | None = None,
) -> AnswerBase:
    """Declare a row's level, or its measured value from which the level follows by the
    thresholds (of the chosen basis, for indicator 33).

    The row moves along the state machine (claim, revise, resubmit or amend), the event keeps the
    old and new values, and the region's figures are recomputed at once. With `seen` (the row's
    version when the form was opened) a row changed meanwhile is refused (StaleRowError).
    """
    assessment = row.assessment
    _require_open(assessment)
    if seen is not None:
        check_not_stale(row, seen)
    indicator = row.indicator
    has_bases = isinstance(row, Answer) and indicator.bases.exists()
    if has_bases and basis is None and (level or measured_value is not None):
        raise ValidationError({"basis": _("Pilih dasar pengukuran kemanfaatan.")}, code="basis")
    if basis is not None and basis.indicator_id != indicator.pk:
        raise ValidationError({"basis": _("Dasar pengukuran tidak sesuai indikator.")}, code="basis")
    measure = basis if basis is not None else indicator
    level, measured_value = _level_and_value(row, measure, level, measured_value, basis)
    level = int(level or 0)
    if not 0 <= level <= 3:
        raise ValidationError({"level": _("Parameter harus 0 sampai 3.")}, code="level")
    old = (row.level, row.measured_value, getattr(row, "basis_id", None))
    new = (level, measured_value, basis.pk if basis is not None else None)
    if old == new:
        return row
    if level == 0:
        if row.status == RowStatus.MISSING:
            _save_values(row, level, measured_value, basis, actor)
            return row
        if row.status == RowStatus.ACCEPTED:
            raise ValidationError(
                _(
                    "Baris yang sudah dinyatakan sesuai tidak dapat dikosongkan; minta verifikator membatalkan putusannya."
                ),
                code="accepted",
            )
        action = "withdraw"
    else:
        action = LEVEL_CHANGE_ACTION[RowStatus(row.status)]
    with transaction.atomic():
        _save_values(row, level, measured_value, basis, actor)
        row_machine(row).apply(
            row,
            action,
            actor=actor,
            note=note,
            data={
                "level": [old[0], level],
                "value": None if measured_value is None else str(measured_value),
                "basis": basis.code if basis is not None else None,
            },
        )
        scoring.assessment_recompute(assessment=assessment)
    return row


def _level_and_value(row: AnswerBase, measure, level, measured_value, basis):
    """The level to store and the number kept beside it (see answer_set)."""
    if measured_value is not None:
        if not measure.thresholds:
            raise ValidationError(
                {"measured_value": _("Indikator ini dipilih parameternya, bukan diukur dengan angka.")}, code="value"
            )
        if measured_value < 0 and measure.measure in NON_NEGATIVE_MEASURES:
            # A head count, a number of days or months is never below zero; on "fewer is better"
            # rows (days, months) a negative number would otherwise earn the top level.
            raise ValidationError(
                {"measured_value": _("Nilai terukur (%(measure)s) tidak boleh negatif.")
                 % {"measure": str(Indicator.Measure(measure.measure).label).lower()}},
                code="negative",
            )  # fmt: skip
        if measure.measure == Indicator.Measure.COUNT and measured_value != measured_value.to_integral_value():
            # Regions, people or documents are counted whole; 1,5 would be rounded into a level.
            raise ValidationError({"measured_value": _("Nilai terukur (jumlah) harus bilangan bulat.")}, code="whole")
        follows = measure.level_for(measured_value)
        # The level follows the number, unless the person picked another level on purpose (not
        # the row's current one, which the form sends back unchanged): then both are kept.
        level = follows if level in (None, "", row.level, follows) else level
    elif level and measure.thresholds:
        # A measured row's number (a percentage, an index, a count, days or months) is the figure
        # the level rests on: without it the level cannot be checked, and a level typed by hand
        # must not silently drop it. The level may be chosen by hand, beside its number.
        raise ValidationError(
            {"measured_value": _("Isi nilai terukurnya: parameter baris ini mengikuti angka. Parameter boleh "
                                 "dipilih sendiri, tetapi angkanya tetap wajib dan disimpan.")},
            code="value_required",
        )  # fmt: skip
    return level, measured_value


def _save_values(row: AnswerBase, level: int, measured_value, basis, actor) -> None:
    row.level, row.measured_value, row.updated_by = level, measured_value, actor
    # A raised claim keeps the accepted level counting until it is decided; a lower claim lowers it.
    row.accepted_level = min(row.accepted_level, level)
    fields = ["level", "measured_value", "updated_by", "updated_at", "accepted_level"]
    if isinstance(row, Answer):
        row.basis = basis
        fields.append("basis")
    row.save(update_fields=fields)


def row_transition(*, row: AnswerBase, action: str, actor, note: str = "", reason: str = "") -> AnswerBase:
    """A verdict (accept, reject with a standard reason), a resubmission, a withdrawal or the
    reopening of a verdict."""
    _require_open(row.assessment)
    transition = row_machine(row).get(action)
    if transition.permission is None or not actor.has_perm(transition.permission, row):
        if transition.permission == "assessment.judge_row" and is_own_work(actor, row):
            raise ValidationError(OWN_WORK, code="own_work")
        raise PermissionDenied
    note = (note or "").strip()
    updates = _transition_updates(row, action, actor=actor, note=note, reason=reason)
    with transaction.atomic():
        row_machine(row).apply(row, action, actor=actor, note=note, data={"reason": reason} if reason else None)
        if updates:
            for name, value in updates.items():
                setattr(row, name, value)
            row.save(update_fields=[*updates, "updated_at"])
        if action in SCORING_ACTIONS:
            scoring.assessment_recompute(assessment=row.assessment)
        if action == "reject" and isinstance(row, Answer):
            _tell_the_unit(row, reason=RejectReason(reason).label, note=note)
    return row


def _transition_updates(row: AnswerBase, action: str, *, actor, note: str, reason: str) -> dict:
    """Check what the action needs and return the row fields it sets besides the state."""
    if action == "reject":
        if reason not in RejectReason.values:
            raise ValidationError({"reason": _("Pilih alasan ketidaksesuaian.")}, code="reason")
        if reason == RejectReason.OTHER and not note:
            raise ValidationError({"note": _("Jelaskan alasannya pada catatan.")}, code="note")
    if action == "accept" and not row.evidence_links.exists():
        raise ValidationError(_("Baris tanpa eviden tidak dapat dinyatakan sesuai."), code="no_evidence")
    if action in ("accept", "reject"):
        return {
            "verdict_reason": reason if action == "reject" else "",
            "verdict_note": note,
            "verified_by": actor,
            "verified_at": timezone.now(),
            # What a verifier accepted keeps counting while a raised claim waits (scoring.py).
            "accepted_level": row.level if action == "accept" else 0,
        }
    if action == "reopen":
        return {"accepted_level": 0}
    if action == "withdraw":
        cleared = {"level": 0, "measured_value": None, "updated_by": actor, "accepted_level": 0}
        return {**cleared, "basis": None} if isinstance(row, Answer) else cleared
    return {}


def unit_people(unit) -> list:
    """Operators of `unit` or of a unit above it: the people who act for it."""
    from lumbung.accounts.models import RoleAssignment
    from lumbung.core.roles import Role

    above = [int(part) for part in unit.path.strip("/").split("/") if part]
    assignments = RoleAssignment.objects.filter(
        role=Role.OPERATOR, is_active=True, unit_id__in=above, user__is_active=True
    ).select_related("user")
    return [assignment.user for assignment in assignments]


def _tell_the_unit(row: Answer, *, reason: str, note: str) -> None:
    """The unit's operators and the innovation's team hear at once what to fix."""
    innovation = row.entry.innovation
    team = [member.user for member in innovation.team.select_related("user") if member.user_id]
    notify(
        recipients=[*unit_people(innovation.unit), *team],
        title=_("Indikator %(code)s %(name)s tidak sesuai") % {"code": row.indicator.code, "name": innovation.name},
        body=f"{reason}. {note}".strip(),
        url=reverse("assessment:row-detail", args=[row.scope, row.pk]),
        region=row.assessment.region,
    )


def _row_event(row: AnswerBase, action: str, actor, *, note: str = "", data: dict | None = None):
    """An event that records something done to a row without changing its state."""
    model = AnswerEvent if isinstance(row, Answer) else RegionAnswerEvent
    return model.objects.create(
        answer=row, actor=actor, action=action, from_state=row.status, to_state=row.status, note=note, data=data or {}
    )


def innovation_maturity(*, innovation, year: int, verified: bool = False) -> Decimal | None:
    """The innovation's maturity in `year`'s assessment (claimed, or verified rows only); None
    when it is not entered that year."""
    entry = (
        Entry.objects.select_related("assessment")
        .filter(innovation=innovation, assessment__year=year, assessment__region=innovation.region_id)
        .first()
    )
    if entry is None:
        return None
    return entry.maturities()["verified" if verified else "claimed"]


# Planner actions -----------------------------------------------------------------------------


def planned_action_create(
    *,
    assessment: Assessment,
    actor,
    description: str,
    gain: Decimal,
    kind: str = "",
    innovation=None,
    indicator_code: str = "",
    unit=None,
    due_date: dt.date | None = None,
) -> Action:
    """Hand one step of the planner to a unit (an actions.Action from the planner) and tell it."""
    if unit is not None and unit.region_id != assessment.region_id:
        raise ValidationError({"unit": _("Perangkat daerah harus dari pemda yang sama.")})
    if innovation is not None and innovation.region_id != assessment.region_id:
        raise ValidationError({"innovation": _("Inovasi harus dari pemda yang sama.")})
    with transaction.atomic():
        item = action_create(
            region=assessment.region,
            origin=Action.Origin.PLANNER,
            actor=actor,
            description=description,
            data={"unit": unit.pk if unit else None, "due_date": due_date.isoformat() if due_date else None},
            assessment=assessment,
            gain=gain,
            kind=kind,
            innovation=innovation,
            indicator_code=indicator_code,
            unit=unit,
            due_date=due_date,
        )
        if unit is not None:
            notify(
                recipients=unit_people(unit),
                title=_("Tindakan IGA untuk %(unit)s") % {"unit": unit.short_name or unit.name},
                body=item.description,
                url=reverse("assessment:actions", args=[assessment.pk]),
                region=assessment.region,
            )
    return item


def planned_action_transition(*, item: Action, action: str, actor, note: str = "", system: bool = False):
    return action_transition(item=item, action=action, actor=actor, note=note, system=system)


# Official results ----------------------------------------------------------------------------


def official_result_save(*, region, year: int, actor, **values) -> OfficialResult:
    """Record (or correct) the result the ministry published for `year`; edits keep history."""
    result = OfficialResult.objects.filter(region=region, year=year).first() or OfficialResult(region=region, year=year)
    for name, value in values.items():
        setattr(result, name, value)
    result.entered_by = actor
    result.full_clean()
    result.save()
    return result
