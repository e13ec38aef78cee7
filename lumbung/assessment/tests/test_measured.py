"""A measured row: the level follows the number; a level chosen by hand keeps the number (and,
on a percentage or index row, needs it); the form says what the number gives."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lumbung.assessment import services
from lumbung.assessment.forms import AnswerForm

pytestmark = pytest.mark.django_db
D = Decimal


def spd_row(assessment, code):
    return assessment.region_answers.select_related("indicator", "assessment").get(indicator__code=code)


def test_the_level_follows_the_number(assessment, admin):
    row = spd_row(assessment, "3")  # percent: ≤ −50.32 / −50.33..8.16 / ≥ 8.17
    services.answer_set(row=row, measured_value=D("12.41"), actor=admin)
    assert (row.level, row.measured_value) == (3, D("12.41"))
    # The form sends the current level back with a new number: the level follows the number.
    services.answer_set(row=row, level=3, measured_value=D("-60"), actor=admin)
    row.refresh_from_db()
    assert (row.level, row.measured_value) == (1, D("-60"))


def test_a_level_chosen_by_hand_keeps_the_number(assessment, admin):
    row = spd_row(assessment, "3")
    services.answer_set(row=row, measured_value=D("12.41"), actor=admin)
    services.answer_set(row=row, level=2, measured_value=D("12.41"), actor=admin)
    row.refresh_from_db()
    assert (row.level, row.measured_value) == (2, D("12.41"))
    assert "Nilai 12,41 memberi parameter 3; parameter 2 dipilih sendiri." in str(
        AnswerForm(row=row).fields["measured_value"].help_text
    )


def test_a_level_without_its_number_is_refused_and_nothing_changes(assessment, admin):
    row = spd_row(assessment, "3")
    services.answer_set(row=row, measured_value=D("12.41"), actor=admin)
    with pytest.raises(ValidationError) as raised:
        services.answer_set(row=row, level=2, actor=admin)
    assert "Isi nilai terukurnya" in str(raised.value)
    row.refresh_from_db()
    assert (row.level, row.measured_value) == (3, D("12.41"))


def test_the_form_shows_the_level_the_number_gives(assessment, admin):
    row = spd_row(assessment, "3")
    services.answer_set(row=row, measured_value=D("5"), actor=admin)
    assert "Nilai 5 memberi parameter 2." in str(AnswerForm(row=row).fields["measured_value"].help_text)


def test_posting_a_level_without_the_number_shows_the_message(client, assessment, admin):
    row = spd_row(assessment, "3")
    services.answer_set(row=row, measured_value=D("12.41"), actor=admin)
    client.force_login(admin)
    url = reverse("assessment:row-detail", args=["spd", row.pk])
    response = client.post(url, {"level": "2", "measured_value": ""})
    assert response.status_code == 200
    assert "Isi nilai terukurnya" in response.content.decode()
    row.refresh_from_db()
    assert (row.level, row.measured_value) == (3, D("12.41"))
    response = client.post(url, {"level": "2", "measured_value": "12,41"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.level, row.measured_value) == (2, D("12.41"))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.decimals(min_value=-100, max_value=100, places=2))
def test_a_number_alone_always_gives_the_thresholds_level(assessment, admin, value):
    row = spd_row(assessment, "3")
    services.answer_set(row=row, measured_value=value, actor=admin)
    row.refresh_from_db()
    assert row.level == row.indicator.level_for(value)
    assert row.measured_value == value
