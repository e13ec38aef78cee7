"""Declared state machines: each workflow lists its transitions, who may take each one, and
writes an event row (core.models.WorkflowEvent) for every change.

    REVIEW = StateMachine(
        state_field="status",
        event_model=InnovationEvent,
        event_object_field="innovation",
        transitions=[Transition("submit", {DRAFT}, SUBMITTED, _("Ajukan"), "innovations.submit_innovation")],
    )
    REVIEW.apply(innovation, "submit", actor=request.user, note="...")
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .caching import region_data_changed, region_of


class TransitionNotAllowed(Exception):  # noqa: N818 - reads as the situation it names
    """The object is not in a state from which this action can be taken."""


@dataclass(frozen=True)
class Transition:
    action: str
    source: frozenset[str]
    target: str
    label: str
    # A `rules` permission checked against (actor, object); None for system-only transitions.
    permission: str | None
    note_required: bool = False
    # "primary", "danger" or "secondary": how the button looks.
    style: str = "primary"
    confirm: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", frozenset(str(state) for state in self.source))
        object.__setattr__(self, "target", str(self.target))


@dataclass
class StateMachine:
    state_field: str
    event_model: type
    event_object_field: str
    transitions: list[Transition] = field(default_factory=list)

    def __post_init__(self) -> None:
        actions = [t.action for t in self.transitions]
        if len(actions) != len(set(actions)):
            raise ValueError("Transition actions must be unique within a state machine")
        self._by_action = {t.action: t for t in self.transitions}

    def get(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise TransitionNotAllowed(action) from None

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.state_field))

    def may(self, user, obj, action: str) -> bool:
        """True when `action` is possible from the object's state and `user` may take it."""
        transition = self._by_action.get(action)
        if transition is None or self.state_of(obj) not in transition.source:
            return False
        return transition.permission is not None and user.has_perm(transition.permission, obj)

    def available(self, user, obj) -> list[Transition]:
        return [t for t in self.transitions if self.may(user, obj, t.action)]

    def describe(self, events, extra_labels: dict | None = None) -> list:
        """The event rows with the labels that templates/includes/events.html shows.

        `extra_labels` names actions recorded without a transition (e.g. "create").
        """
        model = self.event_model._meta.get_field(self.event_object_field).related_model
        states = dict(model._meta.get_field(self.state_field).choices or ())
        extra = extra_labels or {}
        described = []
        for event in events:
            transition = self._by_action.get(event.action)
            event.action_label = transition.label if transition else extra.get(event.action, event.action)
            event.from_label = states.get(event.from_state, event.from_state)
            event.to_label = states.get(event.to_state, event.to_state)
            described.append(event)
        return described

    def apply(self, obj, action: str, *, actor, note: str = "", data: dict | None = None, system: bool = False):
        """Move `obj` along `action`, record the event, and return the event row.

        Raises TransitionNotAllowed when the object is not in a source state (also when another
        user changed it a moment ago), PermissionDenied when the actor may not take the action,
        and ValidationError when a required note is missing or holds a NUL byte.
        """
        transition = self.get(action)
        from_state = self.state_of(obj)
        if from_state not in transition.source:
            raise TransitionNotAllowed(action)
        if not system and (transition.permission is None or not actor.has_perm(transition.permission, obj)):
            raise PermissionDenied
        note = (note or "").strip()
        # The note comes straight from the request; PostgreSQL refuses text with NUL bytes.
        ProhibitNullCharactersValidator()(note)
        if transition.note_required and not note:
            raise ValidationError(_("Catatan wajib diisi untuk tindakan ini."), code="note_required")
        with transaction.atomic():
            # A conditional update: if someone else moved the object first, nothing changes.
            updates = {self.state_field: transition.target}
            if hasattr(obj, "updated_at"):
                updates["updated_at"] = timezone.now()
            changed = type(obj).objects.filter(pk=obj.pk, **{self.state_field: from_state}).update(**updates)
            if changed != 1:
                raise TransitionNotAllowed(action)
            # The conditional UPDATE sends no signal: cached figures of the region go stale here.
            region_data_changed(region_of(obj))
            for name, value in updates.items():
                # to_python: a boolean state field ("True"/"False" in transitions) stays a bool.
                setattr(obj, name, obj._meta.get_field(name).to_python(value))
            return self.event_model.objects.create(
                **{self.event_object_field: obj},
                actor=actor if actor is not None and actor.is_authenticated else None,
                action=transition.action,
                from_state=from_state,
                to_state=transition.target,
                note=note,
                data=data or {},
            )
