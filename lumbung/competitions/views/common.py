"""What the competition views share: saving a posted form through a service."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def saved(request, form, save: Callable[[dict], object], message: str, *target):
    """Validate a posted form and hand its data to `save` (a service call). On success, flash
    `message` and redirect to `target`; otherwise return None: the form then carries the
    errors, the service's included, and is shown again with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, message)
    return redirect(*target)
