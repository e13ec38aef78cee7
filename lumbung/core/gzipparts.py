"""A gzip body made of pieces compressed once and a few bytes that differ per response (core.pagecache).

Each piece is a deflate stream of its own that ends on a byte boundary (a sync flush), so pieces
can be put one after another; the bytes between them (a CSRF token) go in as a stored, uncompressed
deflate block. The gzip trailer needs the CRC-32 of the whole text, which would mean keeping the
uncompressed pieces and reading all of them on every response. Instead each piece keeps its own
CRC and length, and the CRCs are joined the way zlib's crc32_combine joins them: appending n zero
bytes to a CRC is a linear map over GF(2), a 32 × 32 bit matrix, worked out once per length when
the page is stored. A response then costs a few hundred bit operations, whatever the page's size.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

# gzip member header: magic, deflate, no flags, no time, no extra flags, unknown OS (RFC 1952).
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_CRC32_POLYNOMIAL = 0xEDB88320  # reflected, as zlib


def _times(matrix: tuple[int, ...], vector: int) -> int:
    """matrix × vector over GF(2); column i of the matrix is the image of bit i."""
    total, index = 0, 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _compose(first: tuple[int, ...], then: tuple[int, ...]) -> tuple[int, ...]:
    """The map `then` after `first`."""
    return tuple(_times(then, column) for column in first)


_ONE_ZERO_BIT = (_CRC32_POLYNOMIAL, *(1 << bit for bit in range(31)))
_IDENTITY = tuple(1 << bit for bit in range(32))


def _byte_powers() -> tuple[tuple[int, ...], ...]:
    """The maps of 1, 2, 4, … 2**47 zero bytes."""
    power = _ONE_ZERO_BIT
    for _ in range(3):  # one zero bit, squared three times: one zero byte
        power = _compose(power, power)
    powers = [power]
    for _ in range(47):
        powers.append(_compose(powers[-1], powers[-1]))
    return tuple(powers)


_POWERS = _byte_powers()


def _zero_bytes_operator(count: int) -> tuple[int, ...]:
    """The map that appending `count` zero bytes applies to a CRC-32 (as zlib's crc32_combine)."""
    result, bit = _IDENTITY, 0
    while count:
        if count & 1:
            result = _compose(result, _POWERS[bit])
        count >>= 1
        bit += 1
    return result


def crc32_combine(crc_first: int, crc_second: int, operator: tuple[int, ...]) -> int:
    """CRC-32 of A + B from CRC(A), CRC(B) and the operator of len(B) zero bytes."""
    return _times(operator, crc_first) ^ crc_second


def _deflate(data: bytes, *, last: bool) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH)


def _stored_block(data: bytes) -> bytes:
    """`data` (at most 65,535 bytes) as one uncompressed deflate block that does not end the stream."""
    return b"\x00" + struct.pack("<HH", len(data), len(data) ^ 0xFFFF) + data


@dataclass(frozen=True)
class GzipParts:
    """A text of pieces with the same few bytes (`hole_size` of them) between each two."""

    compressed: tuple[bytes, ...]
    crcs: tuple[int, ...]
    sizes: tuple[int, ...]
    hole_size: int
    # Operators of hole_size zero bytes and of each piece's size (the first piece's is not needed).
    hole_operator: tuple[int, ...] | None
    piece_operators: tuple[tuple[int, ...], ...]

    @classmethod
    def build(cls, pieces: list[bytes], hole_size: int) -> GzipParts:
        last = len(pieces) - 1
        compressed = tuple(_deflate(piece, last=index == last) for index, piece in enumerate(pieces))
        return cls(
            compressed=compressed,
            crcs=tuple(zlib.crc32(piece) for piece in pieces),
            sizes=tuple(len(piece) for piece in pieces),
            hole_size=hole_size,
            hole_operator=_zero_bytes_operator(hole_size) if last else None,
            piece_operators=tuple(_zero_bytes_operator(len(piece)) for piece in pieces[1:]),
        )

    def gzip(self, hole: bytes = b"") -> bytes:
        """The whole text as one gzip member, with `hole` between each two pieces."""
        if len(self.compressed) > 1 and len(hole) != self.hole_size:
            raise ValueError("every hole of a stored page has the same size")
        parts = [GZIP_HEADER, self.compressed[0]]
        crc = self.crcs[0]
        if len(self.compressed) > 1:
            block, hole_crc = _stored_block(hole), zlib.crc32(hole)
            for compressed, piece_crc, operator in zip(
                self.compressed[1:], self.crcs[1:], self.piece_operators, strict=True
            ):
                crc = crc32_combine(crc, hole_crc, self.hole_operator)
                crc = crc32_combine(crc, piece_crc, operator)
                parts += [block, compressed]
        size = sum(self.sizes) + self.hole_size * (len(self.compressed) - 1)
        parts.append(struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF))
        return b"".join(parts)

    def plain(self, hole: bytes = b"") -> bytes:
        """The whole text uncompressed (for the rare client that does not take gzip)."""
        pieces = [zlib.decompressobj(-15).decompress(compressed) for compressed in self.compressed]
        return hole.join(pieces)
