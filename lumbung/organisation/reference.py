"""Load all provinces, regencies and cities with their Kemendagri codes (idempotent)."""

import csv
from pathlib import Path

from .models import Region

REGIONS_FILE = Path(__file__).parent / "data" / "regions-kepmendagri-2025.csv"
KINDS = {"provinsi": Region.Kind.PROVINCE, "kabupaten": Region.Kind.REGENCY, "kota": Region.Kind.CITY}


def load() -> str:
    with open(REGIONS_FILE, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    existing = {region.code: region for region in Region.objects.all()}
    provinces = {}
    for row in sorted(rows, key=lambda r: (r["level"] != "provinsi", r["code"])):
        province = provinces.get(row["province_code"]) if row["province_code"] else None
        region = existing.get(row["code"])
        values = {"name": row["name"], "kind": KINDS[row["level"]], "province": province}
        if region is None:
            region = Region.objects.create(code=row["code"], **values)
        elif any(getattr(region, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(region, key, value)
            region.save()
        if region.kind == Region.Kind.PROVINCE:
            provinces[region.code] = region
    counts = {kind: Region.objects.filter(kind=kind).count() for kind in Region.Kind}
    return ", ".join(f"{counts[kind]} {kind.label.lower()}" for kind in Region.Kind)
