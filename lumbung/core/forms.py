"""Form pieces used across apps: safe file fields that survive a failed submission, date
inputs that speak ISO to the browser, and a base for htmx-friendly forms."""

from __future__ import annotations

import uuid

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from .files import inspect_upload, kinds_label, max_upload_bytes
from .models import StagedUpload


class DateInput(forms.DateInput):
    """A native date picker; it submits YYYY-MM-DD whatever the display language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker; it submits YYYY-MM-DDTHH:MM whatever the display language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class StagedFileInput(forms.ClearableFileInput):
    template_name = "core/widgets/staged_file_input.html"
    staged: StagedUpload | None = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["staged"] = self.staged
        context["widget"]["staged_name"] = f"{name}__staged"
        return context


class SafeFileField(forms.FileField):
    """A file field that checks kind by content, extension and size (core.files)."""

    widget = StagedFileInput

    def __init__(self, *, kinds: tuple[str, ...], max_bytes: int | None = None, **kwargs):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "help_text",
            _("Jenis: %(kinds)s. Ukuran maksimum %(max)s MB.")
            % {"kinds": kinds_label(self.kinds), "max": (max_bytes or max_upload_bytes()) // 1048576},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ",".join(_accept_list(self.kinds)))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            value.upload_info = inspect_upload(value, kinds=self.kinds, max_bytes=self.max_bytes)
        return value


def _accept_list(kinds):
    from .files import FILE_KINDS

    return [ext for kind in kinds for ext in FILE_KINDS[kind].extensions]


class KeepUploadsMixin:
    """Keep valid uploads when another field of the form is wrong, so the user never has to
    pick the file again. Pass `upload_owner=request.user` to the form."""

    def __init__(self, *args, upload_owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_owner = upload_owner
        self.staged: dict[str, StagedUpload] = {}
        if self.is_bound and upload_owner is not None and upload_owner.is_authenticated:
            self._restore_staged()

    def _safe_file_fields(self):
        return [(name, field) for name, field in self.fields.items() if isinstance(field, SafeFileField)]

    def _restore_staged(self) -> None:
        for name, field in self._safe_file_fields():
            key = self.add_prefix(name)
            if self.files.get(key):
                continue
            token = self.data.get(f"{key}__staged", "")
            try:
                staged = StagedUpload.objects.filter(pk=uuid.UUID(token), owner=self.upload_owner).first()
            except ValueError:
                staged = None
            if staged is None:
                continue
            with staged.file.open("rb") as stored:
                restored = SimpleUploadedFile(staged.original_name, stored.read(), staged.content_type)
            self.files = self.files.copy()
            self.files[key] = restored
            self._mark_staged(name, field, staged)

    def _mark_staged(self, name, field, staged) -> None:
        self.staged[name] = staged
        field.widget.staged = staged

    def full_clean(self):
        super().full_clean()
        if not self.errors or self.upload_owner is None or not self.upload_owner.is_authenticated:
            return
        for name, field in self._safe_file_fields():
            value = self.cleaned_data.get(name)
            if name in self.errors or name in self.staged or not isinstance(value, UploadedFile):
                continue
            info = value.upload_info
            value.seek(0)
            staged = StagedUpload(
                owner=self.upload_owner,
                original_name=info.original_name,
                sha256=info.sha256,
                size=info.size,
                content_type=info.content_type,
            )
            staged.file.save(info.original_name, value, save=True)
            value.seek(0)
            self._mark_staged(name, field, staged)


class FormRenderer(TemplatesSetting):
    """Accessible field markup (label, help and errors tied to the input) for every form."""

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"
