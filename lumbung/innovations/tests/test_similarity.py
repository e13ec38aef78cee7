"""Names that look alike (pure)."""

from hypothesis import given
from hypothesis import strategies as st

from lumbung.innovations.similarity import similar, similarity, stem, tokens


def test_affixes_are_stripped():
    assert stem("pelayanan") == stem("layanan") == "layan"
    assert stem("penjualan") == stem("jualan") == "jual"
    assert stem("pembayaran") == "bayar"
    assert tokens("Sistem Informasi Harga Kopi") == tokens("informasi harga kopi")


def test_the_closest_names_come_first():
    candidates = [(1, "Sekolah Lapang Kopi"), (2, "Informasi Harga Kopi Petani"), (3, "Posyandu Remaja")]
    assert [m.key for m in similar("Sistem Informasi Harga Kopi", candidates)] == [2]
    assert [m.key for m in similar("Sistem Informasi Harga Kopi", candidates, threshold=0.1)] == [2, 1]
    assert similar("dan yang untuk", candidates) == []


@given(st.text(), st.text())
def test_similarity_is_symmetric_and_bounded(a, b):
    ta, tb = tokens(a), tokens(b)
    assert similarity(ta, tb) == similarity(tb, ta)
    assert 0.0 <= similarity(ta, tb) <= 1.0
    if ta:
        assert similarity(ta, ta) == 1.0
