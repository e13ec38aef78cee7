"""The rest of the Lampung province demo: Provinsi Lampung and four of its kabupaten/kota hosted
beside Lampung Barat, with generated but plausible data, so province and national views have
regions to compare. Each app adds its part in `load_region(demo)` (this module: units from the
template of the region's kind, the onboarding event and a roster), in a few bulk inserts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from lumbung.core.caching import region_writes
from lumbung.core.demo import Demo

from .models import Assignment, Echelon, Official, Region, RegionEvent, Unit
from .nip import parse_nip
from .unit_templates import template_rows, units_create


@dataclass(frozen=True)
class DemoRegion:
    code: str
    name: str
    slug: str  # the demo accounts' e-mail domain: admin@<slug>.test
    # How far along the region is (0..1): how many innovations, filled and accepted rows.
    strength: float


PROVINCE_CODE = "18"
# Provinsi Lampung and four of its regions (Lampung Barat, 18.04, is the full demo).
DEMO_REGIONS = [
    DemoRegion(PROVINCE_CODE, "Provinsi Lampung", "lampungprov", 0.75),
    DemoRegion("18.71", "Kota Bandar Lampung", "bandarlampungkota", 0.85),
    DemoRegion("18.72", "Kota Metro", "metrokota", 0.6),
    DemoRegion("18.10", "Kabupaten Pringsewu", "pringsewukab", 0.7),
    DemoRegion("18.13", "Kabupaten Pesisir Barat", "pesisirbaratkab", 0.4),
]

FIRST = {
    1: ["Ahmad", "Budi", "Dedi", "Fauzan", "Hendri", "Irfan", "Joni", "Marwan", "Nasrul", "Rizki", "Syahrial",
        "Teguh", "Yusuf", "Zainal", "Andi", "Heri"],
    2: ["Ayu", "Desi", "Evi", "Fitria", "Hana", "Indah", "Lia", "Mega", "Nurul", "Rosita", "Siti", "Yuli"],
}  # fmt: skip
LAST = ["Saputra", "Wijaya", "Pratama", "Hidayat", "Kurniawan", "Santoso", "Lubis", "Nasution", "Rahman",
        "Susilo", "Utama", "Permana", "Gunawan", "Setiadi"]  # fmt: skip
TITLES = ["S.Sos., M.M.", "S.E., M.Si.", "S.T., M.T.", "S.Pd., M.Pd.", "S.H., M.H.", "S.Kom., M.Kom."]
HEADED = (Unit.Kind.OFFICE, Unit.Kind.AGENCY, Unit.Kind.INSPECTORATE)


def demo_region(region: Region) -> DemoRegion:
    return next(item for item in DEMO_REGIONS if item.code == region.code)


@transaction.atomic
def load_region(demo: Demo) -> None:
    region, actor = demo.region, demo.users["national_admin"]
    units = units_create(region=region, unit_rows=template_rows(region), actor=actor, reason="Demo Provinsi Lampung")
    region.is_hosted = True
    region.save(update_fields=["is_hosted"])
    RegionEvent.objects.create(
        region=region, actor=actor, action="onboard", from_state="not_hosted", to_state="active",
        note="Demo Provinsi Lampung: perangkat daerah dari templat standar.", data={"units": len(units)},
    )  # fmt: skip
    demo.shared["units"] = {unit.short_name: unit for unit in units}
    demo.shared["officials"] = _roster(demo, units)


def _roster(demo: Demo, units: list[Unit]) -> list[Official]:
    """Sekda, heads (some posts left empty), secretaries and a division head of each dinas and
    badan, heads of the bagian/biro: the structural posts PM Indah counts."""
    rng = demo.random
    head_of_setda = "Sekretaris Daerah"
    posts = []
    for unit in units:
        if unit.kind == Unit.Kind.SECRETARIAT and unit.short_name == "Setda":
            posts.append((unit, head_of_setda, Echelon.II_A))
        elif unit.kind in HEADED:
            if rng.random() > 0.12:  # a few heads' posts are vacant (acting heads elsewhere)
                title = "Inspektur" if unit.kind == Unit.Kind.INSPECTORATE else f"Kepala {unit.name}"
                posts.append((unit, title, Echelon.II_B))
            posts.append((unit, f"Sekretaris {unit.name}", Echelon.III_A))
            posts.append((unit, f"Kepala Bidang Program {unit.short_name}", Echelon.III_B))
        elif unit.kind == Unit.Kind.OTHER and unit.parent_id:
            posts.append((unit, f"Kepala {unit.name}", Echelon.III_A))
    taken = set(Official.objects.values_list("nip", flat=True))
    officials, assignments = [], []
    for index, (unit, position, echelon) in enumerate(posts, start=1):
        sex = 1 if rng.random() < 0.6 else 2
        nip = _nip(rng, index, sex, taken)
        info = parse_nip(nip)
        official = Official(
            region=demo.region, nip=info.nip, birth_date=info.birth_date, appointed_on=info.appointed, sex=info.sex,
            name=f"{rng.choice(FIRST[sex])} {rng.choice(LAST)}, {TITLES[index % len(TITLES)]}",
            phone=f"08{rng.randint(1100000000, 1399999999)}",
        )  # fmt: skip
        officials.append(official)
        start = dt.date(2022 + index % 4, 1 + index % 12, 1)
        assignments.append(
            Assignment(
                official=official,
                unit=unit,
                position=position,
                echelon=echelon,
                start_date=start,
                decree=f"821.2/{index:03d}/{start.year}",
            )  # fmt: skip
        )
    with region_writes(demo.region.pk):
        Official.objects.bulk_create(officials, batch_size=500)
        for assignment in assignments:
            assignment.official_id = assignment.official.pk
        Assignment.objects.bulk_create(assignments, batch_size=500)
    return officials


def _nip(rng, index: int, sex: int, taken: set[str]) -> str:
    while True:
        birth = dt.date(rng.randint(1968, 1988), rng.randint(1, 12), rng.randint(1, 28))
        appointed = min(birth.year + rng.randint(23, 29), 2014)
        nip = f"{birth:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{sex}{index % 999 + 1:03d}"
        if nip not in taken:
            taken.add(nip)
            return nip
