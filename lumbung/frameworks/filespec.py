"""The engine's view of a shipped methodology file (data/<year>.json), without the database.

`manage.py iga_score` scores from these files so that it works on a fresh checkout (before
`migrate` and `load_reference_data`) and never depends on a year edited in the app. The spec is
built exactly as `specs.spec_for` builds it from the rows the same file loads, so both give the
same numbers (a test compares them).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from .datafile import FrameworkDataError, check, decimal_of, parse
from .engine import FrameworkSpec, RowSpec

DATA = Path(__file__).parent / "data"
AFFAIRS = Path(__file__).resolve().parents[1] / "innovations" / "data" / "affairs.csv"
# The status of a year as the command reports it (English, for machines reading the output).
STATUS_WORDS = {"active": "in force", "draft": "draft", "archived": "archived"}
# Constants of a year that the formula reads; an unconfirmed one is reported when used.
SCORING_CONSTANTS = (
    "min_divisor",
    "count_factor",
    "count_cap",
    "basic_services_required",
    "basic_service_affairs",
    "max_total",
    "bands",
)
SCORING_ROW_PARTS = ("row", "weight")


@dataclass(frozen=True)
class FileFramework:
    year: int
    status: str
    spec: FrameworkSpec
    # constant name ("min_divisor", "bands") -> why it is not confirmed
    unconfirmed_constants: dict[str, str]
    # row code -> {part: why}, only the parts that change a score (the whole row, its weight)
    unconfirmed_rows: dict[str, dict[str, str]]

    @property
    def status_word(self) -> str:
        return STATUS_WORDS.get(self.status, self.status)


def available_years() -> list[int]:
    return sorted(int(path.stem) for path in DATA.glob("*.json") if path.stem.isdigit())


def framework_from_file(year: int) -> FileFramework:
    """The shipped methodology of `year`, checked as `load_reference_data` checks it.

    Raises FileNotFoundError for a year without a file and FrameworkDataError for a file that
    would not load."""
    path = DATA / f"{int(year)}.json"
    return _build(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _build(path: Path, _mtime: int) -> FileFramework:
    data = parse(path.read_text(encoding="utf-8"))
    problems = check(data)
    if problems:
        raise FrameworkDataError(problems)
    return framework_from_data(data)


def framework_from_data(data: dict) -> FileFramework:
    """A checked data-file dictionary as the engine's spec (rows in file order, as loaded)."""
    constants = data["constants"]
    rows = tuple(
        RowSpec(code=str(row["code"]), weight=decimal_of(row["weight"]), aspect=row["aspect"],
                mandatory=row["mandatory"], outcome=row.get("outcome", False))
        for row in data["indicators"]
    )  # fmt: skip
    # PredicateBand.min_iid has two decimals; the check refuses any other.
    bands = tuple(
        (str(band["name"]).strip(), decimal_of(band["min_iid"]).quantize(Decimal("0.01")))
        for band in sorted(data["bands"], key=lambda band: decimal_of(band["min_iid"]), reverse=True)
    )
    spec = FrameworkSpec(
        year=data["year"],
        rows=rows,
        min_divisor=constants["min_divisor"],
        # The database keeps four decimals of the factor and two of the total.
        count_factor=decimal_of(constants["count_factor"]).quantize(Decimal("0.0001")),
        count_cap=constants["count_cap"],
        basic_services_required=constants["basic_services_required"],
        basic_service_codes=frozenset(map(str, constants["basic_service_affairs"])),
        max_total=decimal_of(constants["max_total"]).quantize(Decimal("0.01")),
        bands=bands,
    )
    unconfirmed = data.get("unconfirmed") or {}
    return FileFramework(
        year=data["year"],
        status=data.get("status", "draft"),
        spec=spec,
        unconfirmed_constants={name: unconfirmed[name] for name in SCORING_CONSTANTS if name in unconfirmed},
        unconfirmed_rows={
            str(row["code"]): parts
            for row in data["indicators"]
            if (parts := {p: n for p, n in (row.get("unconfirmed") or {}).items() if p in SCORING_ROW_PARTS})
        },
    )


@lru_cache(maxsize=1)
def affair_aliases() -> dict[str, str]:
    """Lower-cased affair code or name (as the app shows it) -> affair code, from the same
    list `load_reference_data` loads."""
    aliases: dict[str, str] = {}
    with open(AFFAIRS, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            aliases[row["code"].strip().casefold()] = row["code"]
            aliases[" ".join(row["name"].split()).casefold()] = row["code"]
    return aliases
