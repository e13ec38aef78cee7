"""Automatic, balanced assignment of entries to judges (pure Python, no Django).

Each entry should be seen by `k` judges. Judges work in panels: an entry goes to the least
busy panel that can give it enough judges without a conflict of interest, and inside that
panel to the judges with the fewest entries so far. When no single panel can, judges of all
panels are used; an entry that still lacks judges is reported, never silently left short.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Allocation:
    # entry -> [(judge, panel), ...] newly assigned
    assigned: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # entry -> how many judges it still lacks
    short: dict[str, int] = field(default_factory=dict)


def allocate(
    entries: Sequence[str],
    panels: Mapping[str, Sequence[str]],
    k: int,
    blocked: Set[tuple[str, str]] = frozenset(),
    existing: Mapping[str, Sequence[str]] | None = None,
) -> Allocation:
    """Assign judges so that every entry has `k` of them.

    `blocked` holds (entry, judge) pairs that may not meet (recusals); `existing` the judges
    an entry already has (hand-made assignments), which count towards `k` and towards the
    judges' load.
    """
    if k < 1:
        raise ValueError("Each entry needs at least one judge")
    existing = existing or {}
    panel_of = {judge: panel for panel, judges in panels.items() for judge in judges}
    load = dict.fromkeys(panel_of, 0)
    panel_load = dict.fromkeys(panels, 0)
    for judges in existing.values():
        for judge in judges:
            if judge in load:
                load[judge] += 1
    order = {judge: index for index, judge in enumerate(panel_of)}
    panel_order = {panel: index for index, panel in enumerate(panels)}

    def eligible(entry: str, judges) -> list[str]:
        taken = set(existing.get(entry, ()))
        return [j for j in judges if j not in taken and (entry, j) not in blocked]

    # The most constrained entries choose first, so they are not left with nobody.
    position = {entry: index for index, entry in enumerate(entries)}
    queue = sorted(entries, key=lambda e: (len(eligible(e, panel_of)), position[e]))
    result = Allocation()
    for entry in queue:
        need = k - len(existing.get(entry, ()))
        if need <= 0:
            continue
        fitting = [p for p in panels if len(eligible(entry, panels[p])) >= need]
        if fitting:
            panel = min(fitting, key=lambda p: (panel_load[p], panel_order[p]))
            candidates = eligible(entry, panels[panel])
            panel_load[panel] += 1
        else:
            candidates = eligible(entry, panel_of)
        chosen = sorted(candidates, key=lambda j: (load[j], order[j]))[:need]
        for judge in chosen:
            load[judge] += 1
        if chosen:
            result.assigned[entry] = [(judge, panel_of[judge]) for judge in chosen]
        if len(chosen) < need:
            result.short[entry] = need - len(chosen)
    return result
