"""Indonesian number, money and date formats, and the small template helpers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import formats, translation

from lumbung.core.roles import Role
from lumbung.core.templatetags.lumbung import num, percent, progress_bar, rupiah, state_class


@pytest.mark.parametrize(
    ("language", "money", "number", "share"),
    [("id", "Rp1.234.568", "1.234.567,89", "12,5%"), ("en", "Rp1,234,568", "1,234,567.89", "12.5%")],
)
def test_numbers_follow_the_interface_language(language, money, number, share):
    with translation.override(language):
        assert rupiah(Decimal("1234567.5")) == money
        assert num(1234567.891, 2) == number
        assert percent(12.5, 1) == share


def test_values_that_are_not_numbers_render_empty():
    assert rupiah("bukan angka") == "" and num(None) == "" and percent("") == ""


@pytest.mark.parametrize(("language", "text"), [("id", "17 Agustus 2026"), ("en", "17 August 2026")])
def test_dates(language, text):
    with translation.override(language):
        assert formats.date_format(dt.date(2026, 8, 17), "DATE_FORMAT") == text
        assert formats.date_format(dt.date(2026, 8, 17), "SHORT_DATE_FORMAT") == "17-08-2026"


def test_progress_bars_stay_between_0_and_100():
    assert 'aria-valuenow="100"' in progress_bar(7, 5)
    assert 'aria-valuenow="0"' in progress_bar(3, 0)
    assert 'data-bar-width="60"' in progress_bar(3, 5, "Impor")  # sized by app.js: the CSP refuses style=


def test_state_classes():
    assert state_class("documents_verified") == "state state-documents-verified"


def test_role_and_permission_tags_read_the_request(world):
    request = RequestFactory().get("/")
    request.user, request.region = world.user(Role.VERIFIER), world.region
    template = Template(
        '{% load lumbung %}{% has_role "verifier" as v %}{% has_role "admin" as a %}{% can "organisation.change_unit" unit as c %}{{ v }} {{ a }} {{ c }}'
    )
    assert template.render(Context({"request": request, "unit": world.unit})) == "True False False"
