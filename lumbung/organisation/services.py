"""Changes to a region's organisation: units, officials and the dated positions they hold.

Every change is saved through the model (full_clean, then save) so django-simple-history keeps
who changed what; `_history_user` names the actor also when a change runs in a background task
(an Excel import), where no request is around.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from lumbung.core.caching import region_writes
from lumbung.core.spreadsheets import normalise_header

from .models import Assignment, Official, Region, Unit
from .nip import normalise_nip


def _save(obj, *, actor, reason: str = "", update_fields: list[str] | None = None) -> None:
    obj._history_user = actor
    obj._change_reason = reason[:100] if reason else None
    obj.full_clean()
    obj.save(update_fields=update_fields)


def _check_parent(parent: Unit | None) -> None:
    # The model's clean() refuses another region's parent and cycles; inactive is a service rule.
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("Induk %(name)s sudah nonaktif.") % {"name": parent.name}})


def _check_name_free(unit: Unit) -> None:
    # The database constraint cannot see top-level units (NULL parents never collide).
    siblings = Unit.objects.filter(region_id=unit.region_id, parent_id=unit.parent_id, name__iexact=unit.name)
    if siblings.exclude(pk=unit.pk).exists():
        raise ValidationError(
            {"name": _("Sudah ada perangkat daerah bernama %(name)s di bawah induk yang sama.") % {"name": unit.name}}
        )


@transaction.atomic
def unit_create(
    *, region: Region, actor, name: str, kind: str, short_name: str = "", code: str = "", parent: Unit | None = None
) -> Unit:
    _check_parent(parent)
    unit = Unit(
        region=region, name=name.strip(), short_name=short_name.strip(), kind=kind, code=code.strip(), parent=parent
    )
    _check_name_free(unit)
    _save(unit, actor=actor)
    return unit


@transaction.atomic
def units_bulk_create(
    *,
    region: Region,
    actor,
    rows: list[dict],
    existing: dict | None = None,
    named: dict | None = None,
    reason: str = "",
) -> list[Unit]:
    """Create many units in a few queries, level by level (parents before children), with their
    history rows naming `actor`, and one bump of the region's data version; return them in the
    order of `rows`.

    Each row is a checked unit row (name, short_name, kind, code) placed by `parent_id` (a unit in
    `existing`, by id) or by `parent_ref` (the normalised name or short name of a unit made by an
    earlier row, or found in `named`), as the unit import and the region templates write them.
    The checks of `unit_create` are made for the whole batch at once; a ValidationError means some
    row cannot be saved (the import then tries its rows one by one to say which)."""
    existing, named = existing or {}, named or {}
    parents: list[Unit | int | None] = []  # a saved unit, the index of an earlier row, or the top
    latest: dict[str, int] = {}
    for index, row in enumerate(rows):
        ref = row.get("parent_ref") or ""
        if ref:
            parent = latest.get(ref, named.get(ref))
            if parent is None:
                raise ValidationError(_("Induknya tidak ikut diimpor karena barisnya bermasalah."))
        elif row.get("parent_id"):
            parent = existing.get(row["parent_id"])
            if parent is None:  # closed since the rows were checked: row by row, save_row says why
                raise ValidationError(_("Induknya tidak ikut diimpor karena barisnya bermasalah."))
        else:
            parent = None
        if isinstance(parent, Unit):
            _check_parent(parent)
        parents.append(parent)
        for text in (row["name"], row["short_name"]):
            if text:
                latest[normalise_header(text)] = index
    _check_names_free(region, rows, parents)
    units: list[Unit | None] = [None] * len(rows)
    with region_writes(region.pk):
        pending = list(range(len(rows)))
        while pending:
            level = [i for i in pending if not isinstance(parents[i], int) or units[parents[i]] is not None]
            pending = [i for i in pending if isinstance(parents[i], int) and units[parents[i]] is None]
            made = []
            for i in level:
                row, parent = rows[i], parents[i]
                unit = Unit(
                    region=region, parent=units[parent] if isinstance(parent, int) else parent,
                    name=row["name"].strip(), short_name=row["short_name"].strip(), kind=row["kind"],
                    code=row["code"].strip(),
                )  # fmt: skip
                unit.clean_fields(exclude=["region", "parent", "path", "depth"])
                made.append(unit)
            made = bulk_create_with_history(
                made, Unit, batch_size=500, default_user=actor, default_change_reason=reason[:100] or None
            )
            for i, unit in zip(level, made, strict=True):
                unit._set_path()
                units[i] = unit
            Unit.objects.bulk_update(made, ["path", "depth"], batch_size=500)
    return units


def _check_names_free(region: Region, rows: list[dict], parents: list) -> None:
    """`_check_name_free` for many new units in one query: against the saved children of their
    saved parents, and against each other."""
    saved = {parent.pk for parent in parents if isinstance(parent, Unit)}
    siblings = Q(parent_id__in=saved)
    if None in parents:
        siblings |= Q(parent__isnull=True)
    taken = {
        (parent_id, name.lower())
        for parent_id, name in Unit.objects.filter(siblings, region=region).values_list("parent_id", "name")
    }
    for row, parent in zip(rows, parents, strict=True):
        key = (f"row{parent}" if isinstance(parent, int) else parent and parent.pk, row["name"].strip().lower())
        if key in taken:
            raise ValidationError(
                {
                    "name": _("Sudah ada perangkat daerah bernama %(name)s di bawah induk yang sama.")
                    % {"name": row["name"]}
                }
            )
        taken.add(key)


@transaction.atomic
def unit_update(*, unit: Unit, actor, name: str, kind: str, short_name: str = "", code: str = "") -> Unit:
    unit.name, unit.short_name, unit.kind, unit.code = name.strip(), short_name.strip(), kind, code.strip()
    _check_name_free(unit)
    _save(unit, actor=actor)
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, actor, parent: Unit | None, reason: str = "") -> Unit:
    """Place `unit` (with everything below it) under `parent`, or at the top when None."""
    _check_parent(parent)
    unit.parent = parent
    _check_name_free(unit)
    _save(unit, actor=actor, reason=reason)
    return unit


@transaction.atomic
def unit_deactivate(*, unit: Unit, actor, reason: str) -> Unit:
    """Mark a dissolved or merged unit inactive. It stays in the history and in past positions,
    but nobody can be placed in it any more."""
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasannya, misalnya nomor Perda penggabungan.")})
    active_children = unit.children.filter(is_active=True).count()
    if active_children:
        raise ValidationError(
            _("Masih ada %(n)s sub-unit aktif di bawahnya; pindahkan atau nonaktifkan lebih dulu.")
            % {"n": active_children}
        )
    holders = Assignment.objects.current().filter(unit=unit).count()
    if holders:
        raise ValidationError(
            _("Masih ada %(n)s pejabat yang menjabat di sini; mutasikan atau akhiri jabatannya lebih dulu.")
            % {"n": holders}
        )
    unit.is_active = False
    _save(unit, actor=actor, reason=reason.strip())
    return unit


@transaction.atomic
def unit_reactivate(*, unit: Unit, actor) -> Unit:
    if unit.parent_id and not unit.parent.is_active:
        raise ValidationError(
            _("Induknya (%(name)s) nonaktif; aktifkan induknya lebih dulu.") % {"name": unit.parent.name}
        )
    unit.is_active = True
    _save(unit, actor=actor)
    return unit


def _check_unit_open(unit: Unit) -> None:
    # The model's clean() refuses a unit of another region; a closed unit takes nobody new.
    if not unit.is_active:
        raise ValidationError({"unit": _("%(name)s sudah nonaktif.") % {"name": unit.name}})


@transaction.atomic
def official_create(
    *,
    region: Region,
    actor,
    name: str,
    nip: str,
    unit: Unit,
    position: str,
    echelon: str,
    start_date: dt.date,
    is_acting: bool = False,
    decree: str = "",
    phone: str = "",
    email: str = "",
) -> Official:
    """Add an official to the roster together with the position they hold now."""
    official = Official(
        region=region, name=name.strip(), nip=normalise_nip(nip), phone=phone.strip(), email=email.strip()
    )
    _save(official, actor=actor)
    assignment_start(
        official=official,
        actor=actor,
        unit=unit,
        position=position,
        echelon=echelon,
        start_date=start_date,
        is_acting=is_acting,
        decree=decree,
    )
    return official


@transaction.atomic
def official_update(*, official: Official, actor, name: str, nip: str, phone: str = "", email: str = "") -> Official:
    official.name, official.phone, official.email = name.strip(), phone.strip(), email.strip()
    official.nip = normalise_nip(nip)
    _save(official, actor=actor)
    return official


@transaction.atomic
def assignment_start(
    *,
    official: Official,
    actor,
    unit: Unit,
    position: str,
    echelon: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    is_acting: bool = False,
    decree: str = "",
) -> Assignment:
    """Record a position held from `start_date`. Definitive positions of one official never overlap."""
    _check_unit_open(unit)
    assignment = Assignment(
        official=official,
        unit=unit,
        position=position.strip(),
        echelon=echelon,
        start_date=start_date,
        end_date=end_date,
        is_acting=is_acting,
        decree=decree.strip(),
    )
    _save(assignment, actor=actor)
    return assignment


@transaction.atomic
def official_rotate(
    *, official: Official, actor, unit: Unit, position: str, echelon: str, start_date: dt.date, decree: str = ""
) -> Assignment:
    """A rotation (mutasi): the definitive position held on `start_date` ends the day before, and
    the new one starts on `start_date`, so both stay answerable by date."""
    current = (
        Assignment.objects.select_for_update()
        .filter(official=official, is_acting=False)
        .on(start_date)
        .order_by("-start_date")
        .first()
    )
    if current is None:
        raise ValidationError(
            _("Pada %(date)s pejabat ini tidak memegang jabatan definitif; gunakan Catat jabatan.")
            % {"date": start_date.strftime("%d-%m-%Y")}
        )
    if current.start_date >= start_date:
        raise ValidationError(
            {
                "start_date": _("TMT mutasi harus sesudah TMT jabatan sekarang (%(date)s).")
                % {"date": current.start_date.strftime("%d-%m-%Y")}
            }
        )
    assignment_end(
        assignment=current,
        actor=actor,
        end_date=start_date - dt.timedelta(days=1),
        reason=_("Mutasi ke %(position)s") % {"position": position.strip()},
    )
    return assignment_start(
        official=official,
        actor=actor,
        unit=unit,
        position=position,
        echelon=echelon,
        start_date=start_date,
        decree=decree,
    )


@transaction.atomic
def assignment_end(*, assignment: Assignment, actor, end_date: dt.date, reason: str = "") -> Assignment:
    """Close a position on `end_date` (inclusive): retirement, dismissal, end of an acting post."""
    assignment.end_date = end_date
    _save(assignment, actor=actor, reason=reason)
    return assignment
