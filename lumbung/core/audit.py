"""Readable audit trails from django-simple-history: who changed what, when, field by field.

    entries = audit_trail(unit.history.all(), Assignment.history.filter(unit_id=unit.pk))

Each historical row is compared with the previous row of the same object in Python, so a trail
costs one query per history table plus one per kind of related object named in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: dt.datetime
    who: object  # a user, or None for changes made by the system
    kind: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    subject_type: str
    subject: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        # Read after the actor's name: "Admin mengubah perangkat daerah Diskominfo".
        return {"+": _("membuat"), "~": _("mengubah"), "-": _("menghapus")}[self.kind]


def audit_trail(
    *histories, describe: dict | None = None, key_labels: dict | None = None, limit: int = 300
) -> list[AuditEntry]:
    """Entries of the given historical querysets, newest first.

    `describe` maps a model to a function naming one of its historical rows, for models whose
    `__str__` would follow a foreign key (a query per row). A JSON object field is shown key by
    key; `key_labels` names its keys, and fields whose model gives no verbose name."""
    describe = describe or {}
    key_labels = key_labels or {}
    pending = []
    for history in histories:
        records = list(history.select_related("history_user").order_by("history_date", "history_id"))
        pending.extend(_diff_records(records))
    labels = _related_labels(pending)
    entries = []
    for record, fields in pending:
        changes = []
        for f, old, new in fields:
            if isinstance(old, dict) or isinstance(new, dict):
                changes.extend(_object_changes(record.instance_type, f, old or {}, new or {}, key_labels))
            else:
                label = _key_label(record.instance_type, f.name, key_labels)
                changes.append(FieldChange(label, _display(f, old, labels), _display(f, new, labels)))
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing worth showing
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=record.history_user,
                kind=record.history_type,
                subject_type=str(record.instance_type._meta.verbose_name),
                subject=describe.get(record.instance_type, _describe)(record),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _describe(record) -> str:
    return str(record.instance)


def _tracked_fields(record) -> list[models.Field]:
    return [f for f in record.tracked_fields if f.editable and not f.primary_key]


def _diff_records(records) -> list[tuple[object, list[tuple[models.Field, object, object]]]]:
    """(record, [(field, old value, new value)]) for every record, against the object's previous one."""
    previous = {}
    diffs = []
    for record in records:
        fields = _tracked_fields(record)
        before = previous.get(record.instance_type, {}).get(_object_id(record))
        if before is None:
            changed = [
                (f, None, getattr(record, f.attname)) for f in fields if not _is_empty(getattr(record, f.attname))
            ]
        else:
            changed = [
                (f, getattr(before, f.attname), getattr(record, f.attname))
                for f in fields
                if getattr(before, f.attname) != getattr(record, f.attname)
            ]
        previous.setdefault(record.instance_type, {})[_object_id(record)] = record
        diffs.append((record, changed))
    return diffs


def _object_id(record):
    return getattr(record, record.instance_type._meta.pk.attname)


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _related_labels(pending) -> dict[type, dict]:
    """Names of the related objects the trail mentions, fetched once per model."""
    wanted: dict[type, set] = defaultdict(set)
    for _record, fields in pending:
        for f, old, new in fields:
            if f.is_relation:
                wanted[f.related_model].update(v for v in (old, new) if v is not None)
    return {
        model: {obj.pk: str(obj) for obj in model._default_manager.filter(pk__in=ids)} for model, ids in wanted.items()
    }


def _object_changes(model, f: models.Field, old: dict, new: dict, key_labels: dict) -> list[FieldChange]:
    """One row per key that differs, so an edited JSON object does not show as two raw dicts."""
    changes = []
    for key in dict.fromkeys([*old, *new]):
        if old.get(key) != new.get(key):
            label = f"{_key_label(model, f.name, key_labels)} — {_key_label(model, key, key_labels)}"
            changes.append(FieldChange(label, _plain(old.get(key)), _plain(new.get(key))))
    return changes


def _key_label(model, key: str, key_labels: dict) -> str:
    if key in key_labels:
        return str(key_labels[key])
    try:
        return str(model._meta.get_field(key).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return key.replace("_", " ")


def _plain(value) -> str:
    """Nested JSON as text; the keys inside are code names, so only the values are shown."""
    if _is_empty(value):
        return EMPTY
    if isinstance(value, dict):
        return " · ".join(_plain(item) for item in value.values() if not _is_empty(item))
    if isinstance(value, list):
        separator = "; " if any(isinstance(item, dict | list) for item in value) else ", "
        return separator.join(_plain(item) for item in value)
    return str(value)


def _display(f: models.Field, value, labels) -> str:
    if _is_empty(value):
        return EMPTY
    if f.is_relation:
        return labels.get(f.related_model, {}).get(value, _("#%(id)s (sudah dihapus)") % {"id": value})
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, Decimal):
        # As many decimals as the value needs, at least two: 0.5000 reads "0,50", 0.125 "0,125".
        places = max(2, -value.normalize().as_tuple().exponent)
        return formats.number_format(value, decimal_pos=places)
    if isinstance(value, float):
        return formats.localize(value)
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, list | dict):
        return _plain(value)
    return str(value)
