"""Changing the methodology: loading a data file, copying a year, editing it in the app, and
moving it through its life (workflows.LIFECYCLE).

Every change gives the framework a new revision (the key of the engine's spec cache) and goes
through simple-history with the editor and the reason. A year in force must stay consistent after
every edit (datafile.check); a draft may be inconsistent while it is being prepared, but cannot be
put in force until it is not.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from .datafile import CONSTANTS, FrameworkDataError, canonical_thresholds, check, date_of, decimal_of, export
from .models import BenefitBasis, Framework, FrameworkEvent, Indicator, PredicateBand
from .workflows import COPIED, CREATED_FROM_FILE, LIFECYCLE

CREATED, UPDATED, UNCHANGED, KEPT_EDITS = "created", "updated", "unchanged", "kept_edits"


def framework_problems(framework: Framework) -> list[str]:
    return check(export(framework))


# Loading a data file --------------------------------------------------------------------------


def framework_import(*, data: dict, source_file: str = "", checksum: str = "") -> tuple[Framework, str]:
    """Create or update the year of `data` (already parsed). Returns the framework and what
    happened. A year edited in the app keeps its edits: the file no longer overwrites it."""
    problems = check(data)
    if problems:
        raise FrameworkDataError(problems)
    framework = Framework.objects.filter(year=data["year"]).first()
    if framework is not None and checksum and framework.source_checksum == checksum:
        return framework, UNCHANGED
    if framework is not None and framework.edited_in_app:
        return framework, KEPT_EDITS
    reason = _("Dimuat dari berkas %(file)s") % {"file": source_file or "-"}
    with transaction.atomic():
        created = framework is None
        if created:
            framework = Framework(year=data["year"], status=data.get("status", Framework.Status.DRAFT))
        for name, value in _head_values(data).items():
            setattr(framework, name, value)
        framework.source_file, framework.source_checksum = source_file, checksum
        _save(framework, reason)
        _sync(
            {band.name: band for band in framework.bands.all()},
            [(band["name"], {"min_iid": decimal_of(band["min_iid"])}) for band in data["bands"]],
            lambda name: PredicateBand(framework=framework, name=name),
            reason,
        )
        _sync_rows(framework, data["indicators"], reason)
        if created:
            FrameworkEvent.objects.create(
                framework=framework, action=CREATED_FROM_FILE, to_state=framework.status, note=source_file
            )
    return framework, CREATED if created else UPDATED


def _head_values(data: dict) -> dict:
    constants = data["constants"]
    values = {name: constants[name] for name in CONSTANTS}
    values["count_factor"] = decimal_of(values["count_factor"])
    values["max_total"] = decimal_of(values["max_total"])
    for name in ("implementation_from", "implementation_to"):
        values[name] = date_of(values[name])
    return values | {
        "title": data["title"],
        "legal_basis": data.get("legal_basis", ""),
        "notes": data.get("notes", ""),
        "source": data["source"],
        "unconfirmed": data.get("unconfirmed", {}),
        "inferences": data.get("inferences", {}),
    }


def _row_values(row: dict, order: int) -> dict:
    evidence = row["evidence"]
    level_1, level_2, level_3 = row["levels"]
    return {
        "number": row["number"],
        "aspect": row["aspect"],
        "variable": row["variable"],
        "name": row["name"],
        "description": row.get("description", ""),
        "weight": decimal_of(row["weight"]),
        "is_mandatory": row["mandatory"],
        "is_outcome": row.get("outcome", False),
        "level_1": level_1,
        "level_2": level_2,
        "level_3": level_3,
        "measure": row.get("measure", Indicator.Measure.CHOICE),
        "thresholds": canonical_thresholds(row.get("thresholds", [])),
        "higher_is_better": row.get("higher_is_better", True),
        "evidence_rule": evidence.get("rule", ""),
        "evidence_kinds": evidence["kinds"],
        "evidence_allows_link": evidence.get("link", False),
        "evidence_years": evidence["years"],
        "unconfirmed": row.get("unconfirmed", {}),
        "order": order,
    }


def _basis_values(basis: dict, order: int) -> dict:
    level_1, level_2, level_3 = basis["levels"]
    return {
        "name": basis["name"],
        "unit": basis.get("unit", ""),
        "measure": basis.get("measure", Indicator.Measure.COUNT),
        "level_1": level_1,
        "level_2": level_2,
        "level_3": level_3,
        "thresholds": canonical_thresholds(basis["thresholds"]),
        "evidence_rule": basis.get("evidence_rule", ""),
        "unconfirmed": basis.get("unconfirmed", {}),
        "order": order,
    }


def _sync_rows(framework: Framework, rows: list[dict], reason: str) -> None:
    indicators = _sync(
        {row.code: row for row in framework.indicators.all()},
        [(row["code"], _row_values(row, order)) for order, row in enumerate(rows, start=1)],
        lambda code: Indicator(framework=framework, code=code),
        reason,
    )
    for indicator, row in zip(indicators, rows, strict=True):
        _sync(
            {basis.code: basis for basis in indicator.bases.all()},
            [(basis["code"], _basis_values(basis, order)) for order, basis in enumerate(row.get("bases", []), start=1)],
            lambda code, indicator=indicator: BenefitBasis(indicator=indicator, code=code),
            reason,
        )


def _sync(existing: dict, wanted: list[tuple[str, dict]], build: Callable, reason: str, actor=None) -> list:
    """Make the stored objects match `wanted` (key, field values): save only what differs, so
    loading the same file again writes no history; delete what the file no longer has."""
    kept = []
    for key, values in wanted:
        obj = existing.pop(key, None)
        if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
            kept.append(obj)
            continue
        obj = obj or build(key)
        for name, value in values.items():
            setattr(obj, name, value)
        _save(obj, reason, actor)
        kept.append(obj)
    for obj in existing.values():
        try:
            obj.delete()
        except (ProtectedError, RestrictedError):
            raise FrameworkDataError(
                [_("%(item)s tidak ada lagi di berkas, tetapi sudah dipakai dalam penilaian.") % {"item": obj}]
            ) from None
    return kept


def _save(obj, reason: str, actor=None) -> None:
    obj._change_reason = reason[:100]
    if actor is not None:
        obj._history_user = actor
    if isinstance(obj, Framework):
        obj.revision = uuid.uuid4()
    obj.save()


# Editing in the app ---------------------------------------------------------------------------


def _edit(framework: Framework, *, actor, reason: str, change: Callable[[], None]) -> Framework:
    """Apply `change` and refuse it (nothing saved) if it leaves a year in force inconsistent."""
    with transaction.atomic():
        change()
        framework.edited_in_app = True
        _save(framework, reason, actor)
        if framework.status == Framework.Status.ACTIVE:
            problems = framework_problems(framework)
            if problems:
                raise ValidationError(problems)
    return framework


def framework_update(*, framework: Framework, actor, values: dict, reason: str) -> Framework:
    """Change the constants and texts of a year (`values`: field name -> value)."""

    def change():
        for name, value in values.items():
            setattr(framework, name, value)

    return _edit(framework, actor=actor, reason=reason, change=change)


def indicator_update(*, indicator: Indicator, actor, values: dict, reason: str) -> Indicator:
    def change():
        for name, value in values.items():
            setattr(indicator, name, value)
        _save(indicator, reason, actor)

    _edit(indicator.framework, actor=actor, reason=reason, change=change)
    return indicator


def basis_update(*, basis: BenefitBasis, actor, values: dict, reason: str) -> BenefitBasis:
    def change():
        for name, value in values.items():
            setattr(basis, name, value)
        _save(basis, reason, actor)

    _edit(basis.indicator.framework, actor=actor, reason=reason, change=change)
    return basis


def bands_update(
    *, framework: Framework, actor, bands: list[tuple[str, object]], reason: str, unconfirmed: dict | None = None
) -> Framework:
    """Replace the predicate bands by `bands` ((name, minimum IID), any order); `unconfirmed` is
    {"bands": why} when the bands are not confirmed, else empty."""

    def change():
        if unconfirmed is not None:
            framework.unconfirmed = {k: v for k, v in framework.unconfirmed.items() if k != "bands"} | unconfirmed
        _sync(
            {band.name: band for band in framework.bands.all()},
            [(name, {"min_iid": minimum}) for name, minimum in bands],
            lambda name: PredicateBand(framework=framework, name=name),
            reason,
            actor,
        )

    return _edit(framework, actor=actor, reason=reason, change=change)


def framework_copy(*, source: Framework, year: int, title: str, actor) -> Framework:
    """Start a new year as a draft copy of `source`. Every value of the copy is marked
    unconfirmed until it is checked against the new year's guideline."""
    if Framework.objects.filter(year=year).exists():
        raise ValidationError(_("Metodologi tahun %(year)s sudah ada.") % {"year": year}, code="exists")
    note = _("Disalin dari metodologi %(source)s; cocokkan dengan pedoman %(year)s.") % {
        "source": source.year,
        "year": year,
    }
    reason = _("Disalin dari %(year)s") % {"year": source.year}
    data = export(source)
    data.update(year=year, title=title, status=Framework.Status.DRAFT)
    data["unconfirmed"] = dict.fromkeys([*CONSTANTS, "bands"], note)
    for row in data["indicators"]:
        row["unconfirmed"] = {**row["unconfirmed"], "row": note}
    with transaction.atomic():
        framework = Framework(year=year, status=Framework.Status.DRAFT, copied_from=source, edited_in_app=True)
        for name, value in _head_values(data).items():
            setattr(framework, name, value)
        _save(framework, reason, actor)
        for name, minimum in ((band["name"], band["min_iid"]) for band in data["bands"]):
            _save(PredicateBand(framework=framework, name=name, min_iid=minimum), reason, actor)
        _sync_rows(framework, data["indicators"], reason)
        FrameworkEvent.objects.create(
            framework=framework, actor=actor, action=COPIED, from_state="", to_state=framework.status, note=note
        )
    return framework


def framework_transition(*, framework: Framework, action: str, actor, note: str = "") -> FrameworkEvent:
    """Move a year along LIFECYCLE; a year with problems cannot be put in force."""
    if action in ("activate", "restore"):
        problems = framework_problems(framework)
        if problems:
            raise ValidationError(problems)
    return LIFECYCLE.apply(framework, action, actor=actor, note=note)
