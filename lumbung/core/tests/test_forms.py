"""Valid uploads survive a form that fails on another field (KeepUploadsMixin + SafeFileField)."""

import pytest
from django import forms

from lumbung.core.forms import KeepUploadsMixin, SafeFileField
from lumbung.core.models import StagedUpload
from lumbung.core.roles import Role

from . import uploads


class EvidenceForm(KeepUploadsMixin, forms.Form):
    title = forms.CharField()
    document = SafeFileField(kinds=("pdf",))


@pytest.fixture
def user(world):
    return world.user(Role.OPERATOR)


def _staged_token(form) -> str:
    return str(form.staged["document"].pk)


def test_a_valid_file_is_kept_when_another_field_is_wrong(user):
    form = EvidenceForm({"title": ""}, {"document": uploads.pdf()}, upload_owner=user)
    assert not form.is_valid()
    staged = StagedUpload.objects.get()
    assert (staged.owner, staged.original_name, staged.size) == (user, "sk-inovasi.pdf", len(uploads.PDF))
    assert "sk-inovasi.pdf" in str(form["document"])  # the page says the file is already received
    again = EvidenceForm({"title": "SK Inovasi", "document__staged": _staged_token(form)}, {}, upload_owner=user)
    assert again.is_valid(), again.errors
    assert again.cleaned_data["document"].read() == uploads.PDF


def test_a_new_file_replaces_the_kept_one(user):
    form = EvidenceForm({"title": ""}, {"document": uploads.pdf()}, upload_owner=user)
    form.is_valid()
    replacement = uploads.pdf("sk-baru.pdf")
    again = EvidenceForm(
        {"title": "SK", "document__staged": _staged_token(form)}, {"document": replacement}, upload_owner=user
    )
    assert again.is_valid()
    assert again.cleaned_data["document"].name == "sk-baru.pdf"


def test_a_bad_file_is_not_kept(user):
    form = EvidenceForm({"title": ""}, {"document": uploads.program()}, upload_owner=user)
    assert not form.is_valid()
    assert "document" in form.errors
    assert not StagedUpload.objects.exists()


def test_someone_elses_kept_file_cannot_be_claimed(user, world):
    form = EvidenceForm({"title": ""}, {"document": uploads.pdf()}, upload_owner=user)
    form.is_valid()
    thief = EvidenceForm(
        {"title": "SK", "document__staged": _staged_token(form)}, {}, upload_owner=world.user(Role.VERIFIER)
    )
    assert not thief.is_valid()
    assert "document" in thief.errors


def test_a_forged_token_is_ignored(user):
    form = EvidenceForm({"title": "SK", "document__staged": "bukan-uuid"}, {}, upload_owner=user)
    assert not form.is_valid()
    assert "document" in form.errors


def test_the_field_tells_which_files_are_accepted():
    field = EvidenceForm().fields["document"]
    assert field.widget.attrs["accept"] == ".pdf"
    assert "PDF" in str(field.help_text) and "MB" in str(field.help_text)
