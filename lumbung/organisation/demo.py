"""Kabupaten Lampung Barat: its real units (names are public facts) and a roster of echelon
officials with invented names, some with a rotation (mutasi) in their history."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from lumbung.core.demo import Demo

from .demo_regions import load_region  # noqa: F401 - the other Lampung regions (load_demo calls it)
from .models import Assignment, Echelon, Official, Unit

WILAYAH_FILE = Path(__file__).parent / "data" / "lampung-barat-wilayah.csv"
K = Unit.Kind

# (short name, name, kind, parent short name or "")
UNITS = [
    ("Setda", "Sekretariat Daerah", K.SECRETARIAT, ""),
    ("Bag. Organisasi", "Bagian Organisasi", K.OTHER, "Setda"),
    ("Bag. Hukum", "Bagian Hukum", K.OTHER, "Setda"),
    ("Bag. Pengadaan", "Bagian Pengadaan Barang dan Jasa", K.OTHER, "Setda"),
    ("Setwan", "Sekretariat DPRD", K.SECRETARIAT, ""),
    ("Inspektorat", "Inspektorat", K.INSPECTORATE, ""),
    ("Disdikbud", "Dinas Pendidikan dan Kebudayaan", K.OFFICE, ""),
    ("Dinkes", "Dinas Kesehatan", K.OFFICE, ""),
    ("Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", K.OFFICE, ""),
    ("Disperkim", "Dinas Perumahan dan Kawasan Permukiman", K.OFFICE, ""),
    ("Satpol PP", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", K.OTHER, ""),
    ("Dinsos", "Dinas Sosial", K.OFFICE, ""),
    ("Disnakertrans", "Dinas Tenaga Kerja dan Transmigrasi", K.OFFICE, ""),
    (
        "DP3AP2KB",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        K.OFFICE,
        "",
    ),
    ("DKP", "Dinas Ketahanan Pangan", K.OFFICE, ""),
    ("DLH", "Dinas Lingkungan Hidup", K.OFFICE, ""),
    ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", K.OFFICE, ""),
    ("DPMP", "Dinas Pemberdayaan Masyarakat dan Pekon", K.OFFICE, ""),
    ("Dishub", "Dinas Perhubungan", K.OFFICE, ""),
    ("Diskominfo", "Dinas Komunikasi, Informatika dan Persandian", K.OFFICE, ""),
    ("Diskoperindag", "Dinas Koperasi, UKM, Perindustrian dan Perdagangan", K.OFFICE, ""),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.OFFICE, ""),
    ("Dispora", "Dinas Pemuda dan Olahraga", K.OFFICE, ""),
    ("Dispusip", "Dinas Perpustakaan dan Kearsipan", K.OFFICE, ""),
    ("Distan", "Dinas Tanaman Pangan dan Hortikultura", K.OFFICE, ""),
    ("Disbunnak", "Dinas Perkebunan dan Peternakan", K.OFFICE, ""),
    ("Diskan", "Dinas Perikanan", K.OFFICE, ""),
    ("Dispar", "Dinas Pariwisata", K.OFFICE, ""),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah", K.AGENCY, ""),
    ("BRIDA", "Badan Riset dan Inovasi Daerah", K.AGENCY, ""),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", K.AGENCY, ""),
    ("Bapenda", "Badan Pendapatan Daerah", K.AGENCY, ""),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", K.AGENCY, ""),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", K.AGENCY, ""),
    ("Kesbangpol", "Badan Kesatuan Bangsa dan Politik", K.AGENCY, ""),
    ("RSUD AU", "RSUD Alimuddin Umar", K.HOSPITAL, "Dinkes"),
    ("PKM Liwa", "Puskesmas Rawat Inap Liwa", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Sekincau", "Puskesmas Sekincau", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Fajar Bulan", "Puskesmas Fajar Bulan", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Sumber Jaya", "Puskesmas Sumber Jaya", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Kenali", "Puskesmas Kenali", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Batu Brak", "Puskesmas Batu Brak", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Buay Nyerupa", "Puskesmas Buay Nyerupa", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Suoh", "Puskesmas Suoh", K.HEALTH_CENTRE, "Dinkes"),
    ("PKM Gedung Surian", "Puskesmas Gedung Surian", K.HEALTH_CENTRE, "Dinkes"),
    ("SMPN 1 Liwa", "SMP Negeri 1 Liwa", K.SCHOOL, "Disdikbud"),
    ("SMPN 1 Way Tenong", "SMP Negeri 1 Way Tenong", K.SCHOOL, "Disdikbud"),
    ("SDN 1 Way Mengaku", "SD Negeri 1 Way Mengaku", K.SCHOOL, "Disdikbud"),
    ("UPTD Damkar", "UPTD Pemadam Kebakaran Wilayah Sumber Jaya", K.TECHNICAL_UNIT, "Satpol PP"),
    ("UPTD Persampahan", "UPTD Pengelolaan Persampahan", K.TECHNICAL_UNIT, "DLH"),
    ("UPTD Benih", "UPTD Balai Benih Induk Hortikultura", K.TECHNICAL_UNIT, "Distan"),
]

# Invented names, by sex so that they agree with the sex digit of each NIP.
FIRST_NAMES = {
    1: [
        "Ahmad", "Agus", "Arif", "Bambang", "Dedi", "Fajar", "Gunawan", "Hendra", "Imam", "Indra", "Irwan", "Joko",
        "Kurniawan", "M. Yusuf", "Made", "Okta", "Rahmat", "Ridwan", "Rudi", "Sapri", "Sugeng", "Suryadi", "Taufik",
        "Wahyu", "Yudi", "Zulkifli", "Hasanudin", "Syamsul", "Edison", "Paisol",
    ],
    2: [
        "Ani", "Dewi", "Eka", "Fitri", "Ika", "Lestari", "Lina", "Maya", "Nanda", "Novi", "Nurhayati", "Putri",
        "Ratna", "Rina", "Sari", "Tri", "Wati", "Yanti", "Herlina", "Mardiana",
    ],
}  # fmt: skip
_SHARED_LAST_NAMES = [
    "Wijaya", "Hidayat", "Fauzi", "Hakim", "Nugroho", "Ramadhan", "Wibowo", "Alamsyah", "Effendi", "Harahap",
    "Ismail", "Marzuki", "Pane", "Siregar", "Sembiring", "Zainal",
]  # fmt: skip
LAST_NAMES = {
    1: [*_SHARED_LAST_NAMES, "Saputra", "Susanto", "Pratama", "Setiawan", "Syahputra"],
    2: [*_SHARED_LAST_NAMES, "Kurniasih", "Rahayu", "Anggraini", "Permata", "Utami", "Yulianti"],
}
TITLES = [
    "S.Sos., M.M.",
    "S.E., M.Si.",
    "S.T., M.T.",
    "S.Pd., M.Pd.",
    "S.H., M.H.",
    "S.KM., M.Kes.",
    "S.P., M.P.",
    "S.Kom.",
]

# Units whose structural posts stay empty in the demo, so the PM Indah gaps show up.
THIN_UNITS = {"Dispora", "Kesbangpol", "UPTD Benih"}


def load(demo: Demo) -> None:
    region = demo.region
    region.is_hosted = True
    region.save(update_fields=["is_hosted"])
    units = _load_units(region)
    demo.shared["units"] = units
    demo.shared["officials"] = _load_roster(demo, units)
    _load_history(units, demo.shared["officials"])


def _load_units(region) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for short, name, kind, parent in UNITS:
        units[short] = Unit.objects.create(
            region=region, name=name, short_name=short, kind=kind, parent=units.get(parent)
        )
    with open(WILAYAH_FILE, encoding="utf-8") as handle:
        district = None
        for row in csv.DictReader(handle):
            if row["level"] == "kecamatan":
                district = Unit.objects.create(
                    region=region,
                    name=f"Kecamatan {row['name']}",
                    short_name=f"Kec. {row['name']}",
                    kind=K.DISTRICT,
                    code=row["code"],
                )
                units[district.short_name] = district
            else:
                # Lampung Barat calls its villages "pekon"; codes 1xxx are kelurahan.
                prefix = "Kelurahan" if row["code"].split(".")[-1].startswith("1") else "Pekon"
                Unit.objects.create(
                    region=region, name=f"{prefix} {row['name']}", kind=K.VILLAGE, code=row["code"], parent=district
                )
    return units


def _person(demo: Demo, index: int, sex: int) -> str:
    rng = demo.random
    first, last = rng.choice(FIRST_NAMES[sex]), rng.choice(LAST_NAMES[sex])
    return f"{first} {last}, {TITLES[index % len(TITLES)]}"


def _nip(demo: Demo, index: int, sex: int) -> str:
    rng = demo.random
    birth = dt.date(rng.randint(1966, 1990), rng.randint(1, 12), rng.randint(1, 28))
    appointed_year = min(birth.year + rng.randint(23, 30), 2015)
    return f"{birth:%Y%m%d}{appointed_year}{rng.randint(1, 12):02d}{sex}{index % 999 + 1:03d}"


def _load_roster(demo: Demo, units: dict[str, Unit]) -> list[Official]:
    """Heads (II.b), secretaries and division heads (III.a/III.b), section heads (IV.a/IV.b)."""
    posts = [("Sekda", "Sekretaris Daerah", Echelon.II_A, units["Setda"])]
    for short, unit in units.items():
        if short in THIN_UNITS:
            continue
        if unit.kind in (K.OFFICE, K.AGENCY, K.INSPECTORATE):
            head = "Inspektur" if unit.kind == K.INSPECTORATE else f"Kepala {unit.name}"
            posts.append((short, head, Echelon.II_B, unit))
            posts.append((short, f"Sekretaris {unit.name}", Echelon.III_A, unit))
            posts.append((short, f"Kepala Bidang Program {unit.short_name}", Echelon.III_B, unit))
            posts.append((short, f"Kepala Subbagian Umum dan Kepegawaian {unit.short_name}", Echelon.IV_A, unit))
        elif unit.kind == K.DISTRICT:
            posts.append((short, f"Camat {unit.name.removeprefix('Kecamatan ')}", Echelon.III_A, unit))
            posts.append((short, f"Sekretaris {unit.name}", Echelon.III_B, unit))
            posts.append((short, f"Kepala Seksi Pemerintahan {unit.name}", Echelon.IV_A, unit))
        elif unit.kind in (K.HOSPITAL,):
            posts.append((short, f"Direktur {unit.name}", Echelon.II_B, unit))
        elif unit.kind in (K.HEALTH_CENTRE, K.TECHNICAL_UNIT):
            posts.append((short, f"Kepala {unit.name}", Echelon.IV_A, unit))
        elif unit.kind == K.SECRETARIAT and short == "Setwan":
            posts.append((short, "Sekretaris DPRD", Echelon.II_B, unit))
        elif unit.kind == K.OTHER and short.startswith("Bag."):
            posts.append((short, f"Kepala {unit.name}", Echelon.III_A, unit))
        elif short == "Satpol PP":
            posts.append((short, f"Kepala {unit.name}", Echelon.II_B, unit))
    officials = []
    movers = {"Diskominfo", "Dinkes", "Kec. Balik Bukit", "BRIDA", "Dinas PUPR"}
    for index, (short, position, echelon, unit) in enumerate(posts, start=1):
        sex = 1 if demo.random.random() < 0.6 else 2
        official = Official.objects.create(
            region=demo.region,
            name=_person(demo, index, sex),
            nip=_nip(demo, index, sex),
            phone=f"08{demo.random.randint(1100000000, 1399999999)}",
        )
        start = dt.date(2021 + index % 4, 1 + index % 12, 1)
        if short in movers and echelon != Echelon.IV_A:
            # A rotation: the earlier post in another unit stays in the history.
            previous = units["Bappeda"] if short != "Bappeda" else units["Setda"]
            Assignment.objects.create(
                official=official,
                unit=previous,
                position=f"Kepala Bidang Perencanaan {previous.short_name}",
                echelon=Echelon.III_B,
                start_date=start.replace(year=start.year - 3),
                end_date=start - dt.timedelta(days=1),
                decree=f"821.2/{index:03d}/II.06/{start.year - 3}",
            )
        Assignment.objects.create(
            official=official,
            unit=unit,
            position=position,
            echelon=echelon,
            start_date=start,
            decree=f"821.2/{100 + index:03d}/II.06/{start.year}",
        )
        officials.append(official)
    return officials


def _load_history(units: dict[str, Unit], officials: list[Official]) -> None:
    """What a real roster carries: an acting head (Plt) where the post is empty, and a unit
    merged away years ago whose last head is still answerable by date."""
    secretary = next(
        o for o in officials if o.assignments.filter(unit=units["Disdikbud"], echelon=Echelon.III_A).exists()
    )
    Assignment.objects.create(
        official=secretary, unit=units["Dispora"], position="Plt. Kepala Dinas Pemuda dan Olahraga",
        echelon=Echelon.II_B, start_date=dt.date(2026, 1, 5), is_acting=True, decree="800.1.3.3/012/II.06/2026",
    )  # fmt: skip
    merged = Unit.objects.create(
        region=units["DPMPTSP"].region, name="Kantor Pelayanan Perizinan Terpadu", short_name="KPPT",
        kind=K.OTHER, is_active=False,
    )  # fmt: skip
    # Someone already a civil servant in 2013 (the NIP says since when).
    head = next(
        o
        for o in officials
        if o.appointed_on <= dt.date(2008, 1, 1) and o.assignments.filter(echelon=Echelon.II_B).exists()
    )
    Assignment.objects.create(
        official=head, unit=merged, position="Kepala Kantor Pelayanan Perizinan Terpadu", echelon=Echelon.III_A,
        start_date=dt.date(2013, 4, 1), end_date=dt.date(2016, 12, 31), decree="821.2/044/II.06/2013",
    )  # fmt: skip
