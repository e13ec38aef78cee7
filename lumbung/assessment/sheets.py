"""The optional modules of the later stages (methodology 1.2 and 7.6): score sheets of the head
of region's presentation, on the aspects and weights kept as data in
data/presentation-aspects.json, and the field-check list of the presented innovations.

Neither is bound by the data lock: both stages come after the answers are locked."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lumbung.core.files import inspect_upload

from .evidence import document_store
from .models import (
    Assessment,
    AssessmentEvent,
    Document,
    Entry,
    FieldCheck,
    FieldCheckEvent,
    PresentationScore,
    PresentationSheet,
    PresentationSheetEvent,
)
from .workflows import FIELD_CHECK

ASPECTS_FILE = Path(__file__).parent / "data" / "presentation-aspects.json"
CENT = Decimal("0.01")
MODULES = ("presentation", "field_check")
PHOTO_KINDS = ("image",)


# Presentation aspects (pure) -----------------------------------------------------------------


class AspectDataError(ValueError):
    """The aspects file breaks its rules; the message names the year and the aspect."""


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    weight: Decimal
    hint: str = ""


@dataclass(frozen=True)
class AspectSet:
    """The aspects announced for `year`; `confirmed` is False when they are carried over to a
    later year that has no announcement of its own."""

    year: int
    source: str
    confirmed: bool
    aspects: tuple[Aspect, ...]


def parse_aspects(data: Mapping) -> dict[int, AspectSet]:
    """Check the file's content (unique codes, positive weights summing to 100) and read it."""
    sets = {}
    for year, item in (data.get("years") or {}).items():
        if not str(year).isdigit():
            raise AspectDataError(f"Tahun “{year}” bukan angka.")
        aspects, codes = [], set()
        for raw in item.get("aspects") or []:
            code = str(raw.get("code", "")).strip()
            if not code or code in codes:
                raise AspectDataError(f"{year}: kode aspek “{code}” kosong atau ganda.")
            try:
                weight = Decimal(str(raw["weight"]))
            except (KeyError, InvalidOperation):
                raise AspectDataError(f"{year}: aspek {code} tanpa bobot angka.") from None
            if weight <= 0 or not str(raw.get("name", "")).strip():
                raise AspectDataError(f"{year}: aspek {code} harus bernama dan berbobot lebih dari 0.")
            codes.add(code)
            aspects.append(Aspect(code, raw["name"].strip(), weight, str(raw.get("hint", "")).strip()))
        if sum(aspect.weight for aspect in aspects) != 100:
            raise AspectDataError(f"{year}: bobot aspek berjumlah {sum(a.weight for a in aspects)}, bukan 100.")
        sets[int(year)] = AspectSet(int(year), str(item.get("source", "")), bool(item.get("confirmed")), tuple(aspects))
    if not sets:
        raise AspectDataError("Tidak ada satu tahun pun.")
    return sets


@cache
def aspect_sets() -> dict[int, AspectSet]:
    return parse_aspects(json.loads(ASPECTS_FILE.read_text(encoding="utf-8")))


def aspects_for(year: int, sets: Mapping[int, AspectSet] | None = None) -> AspectSet:
    """The aspects of `year`; a year without its own announcement takes the latest earlier one
    (or the earliest known), marked unconfirmed."""
    sets = aspect_sets() if sets is None else sets
    known = [known for known in sorted(sets) if known <= year] or [min(sets)]
    chosen = sets[known[-1]]
    if chosen.year == year:
        return chosen
    return AspectSet(chosen.year, chosen.source, False, chosen.aspects)


def weighted_total(scores: Mapping[str, Decimal], weights: Mapping[str, Decimal]) -> Decimal:
    """Σ score × weight / Σ weight over the aspects (scores 0..100), rounded half up to 0.01."""
    total_weight = sum(weights.values())
    if not total_weight:
        return Decimal(0)
    value = sum(Decimal(scores[code]) * weight for code, weight in weights.items()) / total_weight
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# Modules -------------------------------------------------------------------------------------


def assessment_modules_set(*, assessment: Assessment, actor, presentation: bool, field_check: bool) -> Assessment:
    """Turn the presentation and field-check modules on or off; a module that holds records
    stays on (its records would disappear from view)."""
    if not actor.has_perm("assessment.manage_modules", assessment):
        raise PermissionDenied
    wanted = {"presentation": presentation, "field_check": field_check}
    in_use = {
        "presentation": assessment.presentation_sheets.exists(),
        "field_check": FieldCheck.objects.filter(entry__assessment=assessment).exists(),
    }
    labels = {"presentation": _("Lembar nilai presentasi"), "field_check": _("Validasi lapangan")}
    for module in MODULES:
        if in_use[module] and not wanted[module]:
            raise ValidationError(
                _("%(module)s sudah berisi catatan, sehingga tidak dapat dimatikan.") % {"module": labels[module]},
                code="in_use",
            )
    changed = {
        f"{module}_enabled": on for module, on in wanted.items() if getattr(assessment, f"{module}_enabled") != on
    }
    if not changed:
        return assessment
    with transaction.atomic():
        for name, value in changed.items():
            setattr(assessment, name, value)
        assessment.save(update_fields=[*changed, "updated_at"])
        AssessmentEvent.objects.create(
            assessment=assessment, actor=actor, action="modules", from_state=assessment.status,
            to_state=assessment.status, data=changed,
        )  # fmt: skip
    return assessment


def _require_module(assessment: Assessment, module: str) -> None:
    if not getattr(assessment, f"{module}_enabled"):
        raise ValidationError(_("Modul ini belum diaktifkan untuk penilaian ini."), code="module_off")


# Presentation sheets -------------------------------------------------------------------------


def _check_scores(aspects: Iterable, scores: Mapping[str, Decimal]) -> dict[str, Decimal]:
    checked = {}
    for aspect in aspects:
        value = scores.get(aspect.code)
        if value is None or not 0 <= Decimal(value) <= 100:
            raise ValidationError(
                {f"score_{aspect.code}": _("Nilai %(aspect)s harus 0 sampai 100.") % {"aspect": aspect.name}}
            )
        checked[aspect.code] = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return checked


def presentation_sheet_create(
    *, assessment: Assessment, actor, kind: str, held_on: dt.date, scorer: str, scores: Mapping, notes: str = ""
) -> PresentationSheet:
    """Record a score sheet on the year's aspects: the national panel's result (the admin, once
    per year) or a rehearsal (an internal reviewer). The weighted total is computed here."""
    _require_module(assessment, "presentation")
    perm = "assessment.record_panel_result" if kind == PresentationSheet.Kind.OFFICIAL else "assessment.score_rehearsal"
    if kind not in PresentationSheet.Kind.values or not actor.has_perm(perm, assessment):
        raise PermissionDenied
    if kind == PresentationSheet.Kind.OFFICIAL and assessment.presentation_sheets.filter(kind=kind).exists():
        raise ValidationError(_("Hasil panel nasional sudah dicatat; ubah lembar yang ada."), code="exists")
    chosen = aspects_for(assessment.year)
    checked = _check_scores(chosen.aspects, scores)
    total = weighted_total(checked, {aspect.code: aspect.weight for aspect in chosen.aspects})
    sheet = PresentationSheet(
        assessment=assessment, kind=kind, held_on=held_on, scorer=scorer.strip()[:200], notes=notes.strip(),
        aspects_year=chosen.year, aspects_confirmed=chosen.confirmed, total=total, recorded_by=actor,
    )  # fmt: skip
    sheet.full_clean()
    try:
        with transaction.atomic():
            sheet.save()
            PresentationScore.objects.bulk_create(
                PresentationScore(sheet=sheet, code=a.code, name=a.name, weight=a.weight, score=checked[a.code])
                for a in chosen.aspects
            )
            _sheet_event(sheet, "create", actor, data={"scores": _plain(checked), "total": str(total)})
    except IntegrityError:
        # Another admin recorded the panel's result a moment ago.
        raise ValidationError(_("Hasil panel nasional sudah dicatat; ubah lembar yang ada."), code="exists") from None
    return sheet


def presentation_sheet_update(
    *, sheet: PresentationSheet, actor, held_on: dt.date, scorer: str, scores: Mapping, notes: str = ""
) -> PresentationSheet:
    """Correct a sheet; the event keeps the scores before and after."""
    if not actor.has_perm("assessment.change_presentation_sheet", sheet):
        raise PermissionDenied
    rows = list(sheet.scores.all())
    checked = _check_scores(rows, scores)
    before = {row.code: row.score for row in rows}
    if checked == before and (held_on, scorer.strip(), notes.strip()) == (sheet.held_on, sheet.scorer, sheet.notes):
        return sheet
    with transaction.atomic():
        for row in rows:
            if row.score != checked[row.code]:
                row.score = checked[row.code]
                row.save(update_fields=["score"])
        sheet.held_on, sheet.scorer, sheet.notes = held_on, scorer.strip()[:200], notes.strip()
        sheet.total = weighted_total(checked, {row.code: row.weight for row in rows})
        sheet.full_clean()
        sheet.save()
        _sheet_event(
            sheet, "update", actor,
            data={"before": _plain(before), "after": _plain(checked), "total": str(sheet.total)},
        )  # fmt: skip
    return sheet


def _plain(scores: Mapping[str, Decimal]) -> dict[str, str]:
    return {code: str(value) for code, value in scores.items()}


def _sheet_event(sheet: PresentationSheet, action: str, actor, *, data: dict) -> None:
    PresentationSheetEvent.objects.create(sheet=sheet, actor=actor, action=action, note=sheet.notes, data=data)


# Field check ---------------------------------------------------------------------------------


def field_checks_add(*, assessment: Assessment, entries: Iterable[Entry], actor) -> int:
    """Put presented innovations on the field-check list (each once); returns how many."""
    _require_module(assessment, "field_check")
    if not actor.has_perm("assessment.record_field_check", assessment):
        raise PermissionDenied
    added = 0
    with transaction.atomic():
        for entry in entries:
            if entry.assessment_id != assessment.pk or not entry.is_eligible:
                raise ValidationError(
                    _("%(name)s bukan inovasi yang memenuhi syarat pada penilaian ini.")
                    % {"name": entry.innovation.name}
                )
            check, created = FieldCheck.objects.get_or_create(entry=entry)
            if created:
                FieldCheckEvent.objects.create(
                    field_check=check, actor=actor, action="create", to_state=check.status, note=entry.innovation.name
                )
                added += 1
    return added


def field_check_record(*, check: FieldCheck, actor, found: bool, notes: str, checked_on: dt.date) -> FieldCheck:
    """The result of the visit: the innovation is on the ground as presented, or it is not (then
    the notes say what was found instead)."""
    _require_module(check.assessment, "field_check")
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("Tanggal pemeriksaan tidak boleh setelah hari ini.")})
    with transaction.atomic():
        FIELD_CHECK.apply(check, "confirm" if found else "report_missing", actor=actor, note=notes)
        check.notes, check.checked_on, check.checked_by = notes.strip(), checked_on, actor
        check.save(update_fields=["notes", "checked_on", "checked_by", "updated_at"])
    return check


def field_check_transition(*, check: FieldCheck, action: str, actor, note: str = "") -> FieldCheck:
    """Back to "not yet checked" (for a second visit), with the reason."""
    _require_module(check.assessment, "field_check")
    FIELD_CHECK.apply(check, action, actor=actor, note=note)
    return check


def field_check_photo_add(*, check: FieldCheck, actor, title: str, file) -> Document:
    """File a photo of the visit in the evidence library and add it to the check."""
    _require_module(check.assessment, "field_check")
    if not actor.has_perm("assessment.record_field_check", check):
        raise PermissionDenied
    info = getattr(file, "upload_info", None) or inspect_upload(file, kinds=PHOTO_KINDS)
    if info.kind not in PHOTO_KINDS:
        raise ValidationError(_("Foto harus berupa gambar (JPG atau PNG)."), code="kind")
    assessment = check.assessment
    with transaction.atomic():
        document = document_store(
            region=assessment.region, actor=actor, title=title, year=timezone.localdate().year, file=file,
            subject=_("Foto validasi lapangan: %(name)s") % {"name": check.innovation.name}, source="field_check",
        )  # fmt: skip
        check.photos.add(document)
        FieldCheckEvent.objects.create(
            field_check=check, actor=actor, action="photo", from_state=check.status, to_state=check.status,
            note=document.title, data={"document": document.pk},
        )  # fmt: skip
    return document
