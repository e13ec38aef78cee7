"""The stage dates of an assessment follow each other; a stage without an end date still bounds
the next one by its start."""

import pytest

from lumbung.assessment.forms import StagesForm

pytestmark = pytest.mark.django_db


def _errors(**dates) -> dict:
    form = StagesForm(data=dates)
    form.is_valid()
    return form.errors


def test_stages_in_order_are_accepted():
    assert _errors(
        collection_starts="2026-03-02", collection_ends="2026-05-29",
        validation_starts="2026-06-01", validation_ends="2026-07-31",
        presentation_starts="2026-08-10",
    ) == {}  # fmt: skip


def test_a_stage_may_not_end_before_it_starts():
    assert "collection_ends" in _errors(collection_starts="2026-03-02", collection_ends="2026-03-01")


def test_a_stage_may_not_start_before_the_previous_one_ends():
    errors = _errors(collection_starts="2026-03-02", collection_ends="2026-05-29", validation_starts="2026-05-01")
    assert "tidak boleh mulai sebelum tahap sebelumnya selesai" in str(errors["validation_starts"])


def test_a_stage_without_an_end_still_bounds_the_next_by_its_start():
    errors = _errors(
        collection_starts="2026-03-02", collection_ends="2026-05-29",
        validation_starts="2026-06-01",  # no end date yet
        presentation_starts="2026-05-30",  # before validation even starts
    )  # fmt: skip
    assert list(errors) == ["presentation_starts"]
