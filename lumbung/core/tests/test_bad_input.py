"""Ids typed into forms and query strings: whatever arrives, a clear answer and no server error."""

import pytest
from django import forms

from lumbung.accounts.models import User
from lumbung.core.text import parse_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (" 7 ", 7), ("", None), (None, None), ("abc", None), ("-1", None), ("0", None), ("²", None),
     ("١٢", None), ("1\x00", None), (str(10**20), None), (str(2**63 - 1), 2**63 - 1), (2026, 2026)],
)  # fmt: skip
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_an_in_lookup_with_an_id_too_large_for_the_column_matches_nothing(world):
    user = world.user("admin")
    assert list(User.objects.filter(pk__in=[10**20])) == []
    assert list(User.objects.filter(pk__in=[10**20, user.pk])) == [user]
    assert User.objects.exclude(pk__in=[-(10**20)]).filter(pk=user.pk).exists()


def test_a_multiple_choice_of_records_refuses_a_huge_id_in_indonesian(world):
    class Pick(forms.Form):
        users = forms.ModelMultipleChoiceField(queryset=User.objects.all())

    form = Pick({"users": [str(10**20)]})
    assert not form.is_valid()
    assert "bukan salah satu dari pilihan" in form.errors["users"][0]


def test_nul_bytes_are_dropped_from_query_string_values(rf):
    from lumbung.core.middleware import QueryStringMiddleware

    seen = {}

    def view(request):
        seen.update(q=request.GET.get("q"), tags=request.GET.getlist("tag"))
        return None

    QueryStringMiddleware(view)(rf.get("/cari/", {"q": "posyandu\x00 digital", "tag": ["a\x00", "b"]}))
    assert seen == {"q": "posyandu digital", "tags": ["a", "b"]}
