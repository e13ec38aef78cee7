"""core.gzipparts: a gzip body joined from pieces compressed once and a per-response hole is a valid
gzip stream of exactly the joined text, and CRCs join as zlib joins them."""

import gzip
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lumbung.core.gzipparts import GzipParts, _zero_bytes_operator, crc32_combine

pieces = st.lists(st.binary(max_size=3000) | st.text(max_size=2000).map(str.encode), min_size=1, max_size=5)
holes = st.binary(min_size=64, max_size=64)


@settings(max_examples=60, deadline=None)
@given(pieces=pieces, hole=holes)
def test_the_joined_body_is_the_joined_text(pieces, hole):
    parts = GzipParts.build(pieces, hole_size=64)
    text = hole.join(pieces)
    assert gzip.decompress(parts.gzip(hole)) == text
    assert zlib.decompress(parts.gzip(hole), wbits=31) == text  # zlib checks the CRC and the length
    assert parts.plain(hole) == text


@settings(max_examples=100, deadline=None)
@given(first=st.binary(max_size=500), second=st.binary(max_size=70_000))
def test_crcs_join_as_zlib_joins_them(first, second):
    joined = crc32_combine(zlib.crc32(first), zlib.crc32(second), _zero_bytes_operator(len(second)))
    assert joined == zlib.crc32(first + second)


def test_a_large_page_and_every_hole_different():
    page = [b"<p>" + b"baris " * 40_000, b"</form><form>" * 3, b"akhir"]
    parts = GzipParts.build(page, hole_size=64)
    first, second = b"a" * 64, b"b" * 64
    assert gzip.decompress(parts.gzip(first)) == first.join(page)
    assert gzip.decompress(parts.gzip(second)) == second.join(page)
    assert len(parts.gzip(first)) < 10_000  # stored compressed


def test_a_hole_of_the_wrong_size_is_refused():
    parts = GzipParts.build([b"a", b"b"], hole_size=64)
    with pytest.raises(ValueError):
        parts.gzip(b"short")
