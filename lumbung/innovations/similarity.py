"""Names that look alike, so two units do not register the same innovation twice.

Works the same on every database: names are cut into words, common Indonesian affixes are
stripped (a light stemmer, "pelayanan" and "layanan" meet), filler words are dropped, and two
names are compared by the share of words they have in common.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Words nearly every innovation name carries; they say nothing about the idea.
STOP_WORDS = frozenset(
    [
        "dan",
        "di",
        "ke",
        "dari",
        "yang",
        "untuk",
        "dengan",
        "bagi",
        "pada",
        "dalam",
        "atau",
        "serta",
        "oleh",
        "kab",
        "kabupaten",
        "kota",
        "lampung",
        "barat",
        "inovasi",
        "program",
        "sistem",
        "aplikasi",
        "layan",
        "gerakan",
        "gerak",
    ]
)
_PREFIXES = (
    "meng",
    "meny",
    "mem",
    "men",
    "me",
    "peng",
    "peny",
    "pem",
    "pen",
    "pe",
    "ber",
    "be",
    "ter",
    "di",
    "ke",
    "se",
)
_SUFFIXES = ("kan", "an", "nya", "i")
_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """Strip one common prefix and one common suffix while at least four letters remain."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            word = word[len(prefix) :]
            break
    return word


def tokens(name: str) -> frozenset[str]:
    words = (stem(word) for word in _WORD.findall((name or "").lower()) if len(word) > 2 or word.isdigit())
    return frozenset(word for word in words if word not in STOP_WORDS)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of common words (Jaccard index), 0..1."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Match:
    key: object
    score: float


def similar(
    name: str, candidates: Iterable[tuple[object, str]], *, threshold: float = 0.3, limit: int = 5
) -> list[Match]:
    """The candidates (key, name) whose names look most like `name`, best first."""
    wanted = tokens(name)
    if not wanted:
        return []
    scored = [Match(key, similarity(wanted, tokens(other))) for key, other in candidates]
    scored = [match for match in scored if match.score >= threshold]
    scored.sort(key=lambda match: -match.score)
    return scored[:limit]
