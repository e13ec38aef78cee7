"""Innovations of the other Lampung regions (organisation.demo_regions), generated from a few
common ideas each region names after itself, in bulk: most implemented and published, some still
in review or draft; the unit's head or secretary owns each one; SOSIS and PM Indah programmes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from lumbung.core.caching import region_writes
from lumbung.core.demo import Demo
from lumbung.organisation.demo_regions import demo_region
from lumbung.organisation.models import Assignment, Unit

from .models import GovernmentAffair, Innovation, Programme, TeamMember, Theme

S = Innovation.Status
STAGE = Innovation.Stage
FORM = Innovation.Form

# (name pattern, unit short name, affair code, digital, form, what it changes, who gains)
IDEAS = [
    ("Layanan Adminduk Keliling {place}", "Disdukcapil", "adminduk", False, FORM.PUBLIC_SERVICE,
     "warga jauh harus berkali-kali ke kantor untuk akta dan KIA", "warga desa terpencil"),
    ("{place} Satu Data", "Diskominfo", "statistik", True, FORM.GOVERNANCE,
     "data sektoral tiap dinas berbeda-beda", "perencana dan masyarakat"),
    ("Perizinan Daring {place}", "DPMPTSP", "penanaman-modal", True, FORM.PUBLIC_SERVICE,
     "izin usaha kecil makan waktu berminggu-minggu", "pelaku usaha"),
    ("Posyandu Lansia Aktif {place}", "Dinkes", "kesehatan", False, FORM.PUBLIC_SERVICE,
     "lansia jarang memeriksakan tekanan darah", "warga lanjut usia"),
    ("Sekolah Ramah Anak {place}", "Disdikbud", "pendidikan", False, FORM.OTHER_AFFAIRS,
     "perundungan di sekolah tidak tercatat", "siswa SD dan SMP"),
    ("E-Musrenbang {place}", "Bappeda", "perencanaan", True, FORM.GOVERNANCE,
     "usulan warga hilang di antara tahapan musrenbang", "warga dan aparatur desa"),
    ("Klinik Inovasi {place}", "BRIDA", "litbang", False, FORM.GOVERNANCE,
     "perangkat daerah sulit menyusun profil inovasi", "operator perangkat daerah"),
    ("Pajak Daerah dalam Genggaman {place}", "Bapenda", "keuangan", True, FORM.GOVERNANCE,
     "wajib pajak harus datang ke kantor untuk membayar", "wajib pajak daerah"),
    ("Bank Sampah Digital {place}", "DLH", "lingkungan-hidup", True, FORM.OTHER_AFFAIRS,
     "sampah plastik dibakar atau dibuang ke sungai", "rumah tangga"),
    ("Lapor Bencana Cepat {place}", "BPBD", "trantibum", True, FORM.PUBLIC_SERVICE,
     "laporan banjir dan longsor terlambat sampai", "warga daerah rawan"),
    ("Bantuan Sosial Tepat Sasaran {place}", "Dinsos", "sosial", True, FORM.PUBLIC_SERVICE,
     "data penerima bantuan tumpang tindih", "keluarga penerima manfaat"),
    ("Presensi Daring ASN {place}", "BKPSDM", "kepegawaian", True, FORM.GOVERNANCE,
     "presensi manual mudah dititipkan", "seluruh ASN"),
    ("Reviu Anggaran Berbasis Risiko {place}", "Inspektorat", "fungsi-lain", False, FORM.GOVERNANCE,
     "temuan pemeriksaan berulang", "perangkat daerah"),
    ("Pasar Tani {place}", "DKP", "pangan", False, FORM.OTHER_AFFAIRS,
     "harga pangan melonjak di musim paceklik", "petani dan konsumen"),
]  # fmt: skip
# Review states, in the order the innovations of a strong region get them (a weak one has fewer).
STATES = [S.PUBLISHED] * 7 + [S.SUBSTANCE_VERIFIED, S.DOCUMENTS_VERIFIED, S.SUBMITTED, S.RETURNED, S.DRAFT]


def load_region(demo: Demo) -> None:
    item = demo_region(demo.region)
    rng, admin = demo.random, demo.users["admin"]
    units: dict[str, Unit] = demo.shared["units"]
    affairs = {affair.code: affair for affair in GovernmentAffair.objects.all()}
    themes = list(Theme.objects.filter(year=timezone.localdate().year)) or list(Theme.objects.all()[:5])
    place = demo.region.name.removeprefix("Kabupaten ").removeprefix("Kota ")
    count = max(6, round(len(IDEAS) * item.strength))
    today = timezone.localdate()
    innovations = []
    for index, (pattern, short, affair, digital, form, problem, gain) in enumerate(IDEAS[:count]):
        unit = units.get(short) or units["BRIDA"]
        status = STATES[index % len(STATES)] if rng.random() < item.strength + 0.2 else rng.choice(STATES[7:])
        stage = STAGE.IMPLEMENTATION if status in (S.PUBLISHED, S.SUBSTANCE_VERIFIED) else STAGE.TRIAL
        implemented = today - dt.timedelta(days=rng.randint(200, 900))
        innovations.append(
            Innovation(
                region=demo.region,
                unit=unit,
                name=pattern.format(place=place),
                stage=stage,
                initiator_kind=Innovation.InitiatorKind.UNIT,
                initiator_name=unit.name,
                is_digital=digital,
                form=form,
                theme=themes[index % len(themes)] if themes else None,
                main_affair=affairs.get(affair),
                trial_date=implemented - dt.timedelta(days=120),
                implementation_date=implemented if stage == STAGE.IMPLEMENTATION else None,
                problem=f"Sebelumnya {problem}.",
                method=f"{unit.name} mengubah cara kerja agar {gain} terlayani lebih cepat.",
                goals=f"Mengatasi keadaan ketika {problem}.",
                benefits=f"Manfaat dirasakan oleh {gain}.",
                results=f"Sejak diterapkan, {rng.randint(150, 4000)} orang terlayani.",
                latitude=Decimal(f"{-4.9 - rng.random() * 0.6:.6f}"),
                longitude=Decimal(f"{104.6 + rng.random() * 0.8:.6f}"),
                status=status,
                created_by=admin,
            )  # fmt: skip
        )
    with region_writes(demo.region.pk):
        innovations = Innovation.objects.bulk_create(innovations)
        TeamMember.objects.bulk_create(_owners(demo, innovations))
        _programmes(demo, admin, today)
    demo.shared["innovations"] = innovations


def _owners(demo: Demo, innovations: list[Innovation]) -> list[TeamMember]:
    """The first official placed in each innovation's unit owns it (PM Indah counts owners)."""
    officials = {official.pk: official for official in demo.shared.get("officials", [])}
    by_unit = {}
    posts = Assignment.objects.filter(official_id__in=officials).order_by("pk").values_list("official_id", "unit_id")
    for official_id, unit_id in posts:
        by_unit.setdefault(unit_id, officials[official_id])
    return [
        TeamMember(innovation=innovation, official=by_unit[innovation.unit_id], role=TeamMember.Role.OWNER)
        for innovation in innovations
        if innovation.unit_id in by_unit
    ]


def _programmes(demo: Demo, admin, today: dt.date) -> None:
    Programme.objects.bulk_create(
        [
            Programme(
                region=demo.region, name="SOSIS (Satu OPD Satu Inovasi)", kind=Programme.Kind.UNIT_QUOTA,
                year=today.year, reference_date=dt.date(today.year, 12, 31), min_count=1, min_stage=STAGE.TRIAL,
                counts_from=Programme.CountsFrom.SUBMITTED,
                unit_kinds=[Unit.Kind.OFFICE, Unit.Kind.AGENCY, Unit.Kind.INSPECTORATE], include_subunits=True,
                created_by=admin,
            ),
            Programme(
                region=demo.region, name="Satu Pejabat Satu Inovasi", kind=Programme.Kind.OFFICIAL_QUOTA,
                year=today.year, reference_date=today, min_count=1, min_stage=STAGE.INITIATIVE,
                counts_from=Programme.CountsFrom.SUBMITTED, echelon_tiers=[2, 3], created_by=admin,
            ),
        ]
    )  # fmt: skip
