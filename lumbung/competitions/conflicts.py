"""Conflict-of-interest rules for judges (pure Python, no Django).

A judge is recused from an entry when:
- the judge is the entrant ("own_entry");
- the judge declared a conflict with the entry ("declared_entry") or with its unit or a unit
  above it ("declared_unit");
- the judge's official held a definitive post in the entry's unit on the round's date
  ("same_unit");
- the judge's official is in the entrant's line of supervision on that date: a post (acting
  posts included, a Plt supervises too) in the entry's unit or a unit above it, with a higher
  echelon tier than the entrant's ("supervision"). An entrant without an echelon (a unit as a whole,
  staff, citizens) is outranked by every echelon post.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

OWN_ENTRY = "own_entry"
DECLARED_ENTRY = "declared_entry"
DECLARED_UNIT = "declared_unit"
SAME_UNIT = "same_unit"
SUPERVISION = "supervision"


@dataclass(frozen=True)
class Post:
    """A position on the roster: the unit's tree path ("/4/17/") and the echelon tier (2, 3, 4
    for echelon II, III, IV; None for non-echelon positions)."""

    unit_path: str
    tier: int | None
    acting: bool = False


@dataclass(frozen=True)
class EntryFacts:
    unit_path: str | None
    entrant_tier: int | None
    entrant_user: str | None = None


@dataclass(frozen=True)
class JudgeFacts:
    user: str
    posts: Sequence[Post] = ()
    declared_unit_paths: Sequence[str] = ()
    declared_entries: frozenset[str] = frozenset()


def outranks(judge_tier: int | None, entrant_tier: int | None) -> bool:
    """Echelon II (tier 2) is above III and IV; a non-echelon judge outranks nobody."""
    return judge_tier is not None and (entrant_tier is None or judge_tier < entrant_tier)


def recusal_reasons(judge: JudgeFacts, entry_id: str, entry: EntryFacts) -> list[str]:
    """Why `judge` may not judge the entry; an empty list means no conflict."""
    reasons = []
    if entry.entrant_user is not None and entry.entrant_user == judge.user:
        reasons.append(OWN_ENTRY)
    if entry_id in judge.declared_entries:
        reasons.append(DECLARED_ENTRY)
    path = entry.unit_path
    if path:
        if any(path.startswith(declared) for declared in judge.declared_unit_paths):
            reasons.append(DECLARED_UNIT)
        if any(post.unit_path == path and not post.acting for post in judge.posts):
            reasons.append(SAME_UNIT)
        if any(path.startswith(post.unit_path) and outranks(post.tier, entry.entrant_tier) for post in judge.posts):
            reasons.append(SUPERVISION)
    return reasons
