"""Marking every change written through an API token with that token.

The API calls the same services as the web pages, and those services write the audit rows
(workflow events, model history) themselves. Rather than thread a `token` argument through every
service, the API view sets the token for the duration of a write, and two signal receivers put it
on whatever audit rows the services create meanwhile: `data["api_token"]` on workflow events and
the change reason of django-simple-history rows.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import pre_save
from simple_history.signals import pre_create_historical_record

from lumbung.core.models import WorkflowEvent

_current_token: ContextVar = ContextVar("api_token", default=None)


@contextmanager
def writing_with(token):
    """Within this block, audit rows name `token` (None: a session, nothing to add)."""
    marker = _current_token.set(token)
    try:
        yield
    finally:
        _current_token.reset(marker)


def current_token():
    return _current_token.get()


def _mark_event(sender, instance, **kwargs) -> None:
    token = _current_token.get()
    if token is None or not isinstance(instance, WorkflowEvent) or not instance._state.adding:
        return
    instance.data = {**(instance.data or {}), "api_token": token.pk, "api_token_label": token.audit_label}


def _mark_history(sender, history_instance, **kwargs) -> None:
    token = _current_token.get()
    if token is None:
        return
    reason = history_instance.history_change_reason
    label = token.audit_label
    # The reason column holds 100 characters; the token's number comes first and always fits.
    history_instance.history_change_reason = (f"{label} — {reason}" if reason else label)[:100]


def connect() -> None:
    pre_save.connect(_mark_event, dispatch_uid="api-audit-event")
    pre_create_historical_record.connect(_mark_history, dispatch_uid="api-audit-history")
