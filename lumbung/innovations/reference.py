"""Load the affairs and themes lists from the data files (idempotent)."""

import csv
from pathlib import Path

from .models import GovernmentAffair, Theme

DATA = Path(__file__).parent / "data"


def load() -> str:
    with open(DATA / "affairs.csv", encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            GovernmentAffair.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "kind": row["kind"], "order": order}
            )
    with open(DATA / "themes.csv", encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            Theme.objects.update_or_create(year=int(row["year"]), name=row["name"], defaults={"order": order})
    return f"{GovernmentAffair.objects.count()} urusan, {Theme.objects.count()} tematik"
