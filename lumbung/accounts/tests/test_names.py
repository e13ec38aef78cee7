"""The greeting and the header use a short name: titles and degrees are not names."""

import pytest

from lumbung.accounts.models import User


@pytest.mark.parametrize(
    ("full_name", "short"),
    [
        ("Rizal Effendi, S.T.", "Rizal"),
        ("Dr. Hasanudin Siregar", "Hasanudin"),
        ("Hj. Belinda Najmudin", "Belinda"),
        ("Ir. H. Marzuki Effendi, M.T.", "Marzuki"),
        ("M. Yusuf Ismail, S.Kom.", "Yusuf"),
        ("dr. Ratna Sari, Sp.A.", "Ratna"),
        ("Dr.", "Dr."),
        ("", "warga@contoh.go.id"),
    ],
)
def test_short_name_skips_titles_and_degrees(full_name, short):
    assert User(full_name=full_name, email="warga@contoh.go.id").get_short_name() == short
