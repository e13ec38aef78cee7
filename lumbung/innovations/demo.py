"""Lampung Barat's innovations in every stage and state, teams from the roster, and the SOSIS and
PM Indah programmes with some units and officials deliberately short of their quota (and already
reminded of it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from lumbung.core.demo import Demo
from lumbung.organisation.models import Assignment, Echelon, Unit

from .demo_regions import load_region  # noqa: F401 - the other Lampung regions (load_demo calls it)
from .models import GovernmentAffair, Innovation, InnovationEvent, Programme, TeamMember, Theme
from .services import innovation_create, innovation_update, programme_remind
from .workflows import CONTINUITY, REVIEW, STAGE_ACTION

S = Innovation.Status
STAGE = Innovation.Stage
FORM = Innovation.Form


@dataclass(frozen=True)
class Seed:
    name: str
    unit: str
    affair: str
    digital: bool
    form: str
    status: str
    problem: str  # what was wrong before, in a few words
    method: str  # what the innovation does
    benefit: str  # who gains what
    stage: str = STAGE.IMPLEMENTATION
    related: tuple[str, ...] = ()


SEEDS = [
    Seed("SIHAKO: Sistem Informasi Harga Kopi Robusta", "Disbunnak", "pertanian", True, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "petani kopi menjual panen di bawah harga pasar karena tidak tahu harga harian", "mengirim harga kopi harian dari pengepul dan pasar Liwa lewat SMS dan WhatsApp", "petani kopi di 15 kecamatan", related=("kominfo", "perdagangan")),
    Seed("Sekolah Lapang Kopi Petik Merah", "Disbunnak", "pertanian", False, FORM.OTHER_AFFAIRS, S.PUBLISHED,
         "mutu kopi rendah karena buah dipetik hijau", "melatih kelompok tani memetik buah merah dan mengolah pascapanen di kebun contoh", "kelompok tani kopi"),
    Seed("E-Office Pemerintah Kabupaten Lampung Barat", "Diskominfo", "kominfo", True, FORM.GOVERNANCE, S.PUBLISHED,
         "surat dinas berpindah tangan secara manual dan disposisi sering tertahan berhari-hari", "memindahkan naskah dinas, disposisi dan tanda tangan elektronik ke satu aplikasi", "seluruh perangkat daerah", related=("persandian",)),
    Seed("Lambar Satu Data", "Diskominfo", "statistik", True, FORM.GOVERNANCE, S.SUBSTANCE_VERIFIED,
         "data sektoral tersebar di tiap dinas dengan angka yang berbeda-beda", "menghimpun data sektoral dalam satu portal dengan walidata dan jadwal pemutakhiran", "perencana dan masyarakat", related=("kominfo", "perencanaan")),
    Seed("Wifi Pekon Terhubung", "Diskominfo", "kominfo", True, FORM.PUBLIC_SERVICE, S.RETURNED,
         "kantor pekon di daerah perbukitan tidak mendapat sinyal internet", "memasang titik akses di kantor pekon yang dikelola bersama BUMPekon", "aparatur pekon dan pelajar", stage=STAGE.TRIAL),
    Seed("Posyandu Remaja Pekon", "Dinkes", "kesehatan", False, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "anemia dan pernikahan dini remaja tinggi di pekon", "membentuk posyandu khusus remaja dengan kader sebaya setiap bulan", "remaja usia 10 sampai 18 tahun", related=("ppkb",)),
    Seed("Ambulans Pekon Siaga", "PKM Liwa", "kesehatan", False, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "ibu bersalin terlambat dirujuk karena tidak ada kendaraan di malam hari", "menyiagakan kendaraan warga yang terdaftar sebagai ambulans pekon dengan nomor panggilan tunggal", "ibu hamil dan pasien gawat darurat"),
    Seed("Kelas Ibu Hamil Daring", "PKM Sekincau", "kesehatan", True, FORM.PUBLIC_SERVICE, S.DOCUMENTS_VERIFIED,
         "ibu hamil di kebun jauh dari puskesmas sehingga jarang ikut kelas", "menyelenggarakan kelas ibu hamil lewat grup video dan pesan suara bidan desa", "ibu hamil di wilayah Sekincau"),
    Seed("Rumah Tunggu Kelahiran Suoh", "PKM Suoh", "kesehatan", False, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "jalan ke puskesmas rusak saat hujan sehingga persalinan terjadi di rumah", "menyediakan rumah singgah dekat puskesmas bagi ibu yang mendekati hari persalinan", "ibu hamil dari pekon terpencil"),
    Seed("Skrining Hipertensi Petani Kebun", "PKM Fajar Bulan", "kesehatan", False, FORM.PUBLIC_SERVICE, S.SUBMITTED,
         "banyak petani baru tahu darah tinggi setelah terkena stroke", "memeriksa tekanan darah petani di pondok kebun saat musim panen", "petani usia produktif", stage=STAGE.TRIAL),
    Seed("Gerakan Literasi Sekolah Berbasis Kopi", "SMPN 1 Liwa", "pendidikan", False, FORM.OTHER_AFFAIRS, S.PUBLISHED,
         "minat baca siswa rendah dan bacaan tidak dekat dengan kehidupan mereka", "menulis dan membaca buku cerita tentang kopi dan kebun keluarga siswa", "siswa SMP", related=("kebudayaan",)),
    Seed("Kelas Jauh Anak Kebun", "SDN 1 Way Mengaku", "pendidikan", False, FORM.PUBLIC_SERVICE, S.DRAFT,
         "anak petani yang tinggal di kebun putus sekolah", "mengirim guru kunjung ke pondok kebun dua kali seminggu", "anak usia sekolah dasar", stage=STAGE.INITIATIVE),
    Seed("Jemput Bola Akta Kelahiran di Pekon", "Disdukcapil", "adminduk", False, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "warga pekon jauh harus dua kali ke Liwa untuk mengurus akta", "melayani akta kelahiran dan kartu identitas anak langsung di balai pekon", "orang tua dan anak di pekon terpencil"),
    Seed("Dukcapil Lambar dalam Genggaman", "Disdukcapil", "adminduk", True, FORM.PUBLIC_SERVICE, S.RESUBMITTED,
         "antrean panjang di kantor Disdukcapil setiap Senin", "menerima permohonan dokumen kependudukan lewat aplikasi dan mengirim hasilnya dalam PDF", "seluruh penduduk", related=("kominfo",)),
    Seed("Bank Sampah Pekon", "UPTD Persampahan", "lingkungan-hidup", False, FORM.OTHER_AFFAIRS, S.PUBLISHED,
         "sampah plastik dibakar atau dibuang ke sungai", "menukar sampah terpilah dengan tabungan warga yang dicatat pengurus bank sampah", "rumah tangga di Liwa dan Balik Bukit"),
    Seed("Damkar Cepat Satu Panggilan", "UPTD Damkar", "trantibum", True, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "laporan kebakaran terlambat karena nomor pemadam tidak dikenal warga", "menerima laporan lewat satu nomor WhatsApp dengan titik lokasi dan foto", "warga Sumber Jaya dan sekitarnya"),
    Seed("Siskamling Pekon Terpadu", "Satpol PP", "trantibum", False, FORM.PUBLIC_SERVICE, S.SUBMITTED,
         "pencurian kopi saat panen meningkat", "menjadwalkan ronda bersama linmas dan mencatat kejadian dalam buku piket pekon", "warga dan petani kopi", stage=STAGE.TRIAL),
    Seed("Bedah Rumah Gotong Royong", "Disperkim", "perumahan", False, FORM.OTHER_AFFAIRS, S.PUBLISHED,
         "banyak rumah tidak layak huni tidak tersentuh bantuan karena dana terbatas", "menggabungkan dana bantuan, swadaya warga dan tenaga gotong royong", "keluarga miskin penghuni rumah tidak layak huni", related=("sosial",)),
    Seed("Jalan Usaha Tani Padat Karya", "Dinas PUPR", "pupr", False, FORM.OTHER_AFFAIRS, S.PUBLISHED,
         "hasil kebun sulit diangkut karena jalan tanah licin", "membangun jalan usaha tani dengan tenaga kerja warga setempat", "petani di lereng perbukitan", related=("pertanian",)),
    Seed("Peta Rawan Longsor Partisipatif", "BPBD", "trantibum", True, FORM.OTHER_AFFAIRS, S.DOCUMENTS_VERIFIED,
         "longsor di jalan lintas Liwa sering tak terduga", "memetakan titik retakan tanah bersama warga melalui aplikasi peta", "pengguna jalan dan warga lereng"),
    Seed("Kartu Lambar Sejahtera Terpadu", "Dinsos", "sosial", True, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "data penerima bantuan tumpang tindih antarprogram", "menyatukan data penerima bantuan dalam satu kartu dan satu basis data", "keluarga penerima manfaat", related=("adminduk",)),
    Seed("Lumbung Pangan Pekon", "DKP", "pangan", False, FORM.OTHER_AFFAIRS, S.PUBLISHED,
         "harga beras melonjak di musim paceklik", "mengelola cadangan gabah pekon yang dipinjamkan saat paceklik", "rumah tangga rawan pangan"),
    Seed("Wisata Danau Ranau Terpadu", "Dispar", "pariwisata", True, FORM.PUBLIC_SERVICE, S.RETURNED,
         "wisatawan tidak menemukan informasi penginapan dan jadwal perahu", "menyajikan paket wisata, penginapan warga dan jadwal perahu dalam satu laman", "pelaku wisata Lumbok Seminung"),
    Seed("Gaji Tepat Waktu Tanpa Antre", "BPKAD", "keuangan", True, FORM.GOVERNANCE, S.PUBLISHED,
         "pencairan gaji terlambat karena berkas bendahara dikirim manual", "mengirim daftar gaji dan verifikasi bendahara secara elektronik", "ASN dan bendahara perangkat daerah"),
    Seed("E-Pajak Daerah Lambar", "Bapenda", "keuangan", True, FORM.GOVERNANCE, S.SUBSTANCE_VERIFIED,
         "wajib pajak restoran harus datang ke kantor untuk membayar", "menerima laporan dan pembayaran pajak daerah secara daring", "wajib pajak daerah"),
    Seed("Presensi Wajah ASN", "BKPSDM", "kepegawaian", True, FORM.GOVERNANCE, S.PUBLISHED,
         "presensi manual mudah dititipkan", "mencatat kehadiran dengan pengenalan wajah dan lokasi", "seluruh ASN"),
    Seed("Klinik Inovasi Daerah", "BRIDA", "litbang", False, FORM.GOVERNANCE, S.PUBLISHED,
         "perangkat daerah kesulitan menyusun profil dan eviden inovasi", "membuka jadwal konsultasi dan pendampingan penyusunan inovasi bagi setiap unit", "operator dan inovator perangkat daerah", related=("perencanaan",)),
    Seed("Musrenbang Daring", "Bappeda", "perencanaan", True, FORM.GOVERNANCE, S.PUBLISHED,
         "usulan warga hilang di antara tahapan musrenbang", "mencatat dan menelusuri usulan musrenbang dari pekon sampai kabupaten dalam aplikasi", "warga dan aparatur pekon"),
    Seed("Layanan Administrasi Terpadu Kecamatan", "Kec. Balik Bukit", "adminduk", False, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "warga bolak-balik antarkantor untuk surat keterangan", "melayani surat keterangan dan perizinan ringan di satu meja kecamatan", "warga Kecamatan Balik Bukit"),
    Seed("Pekon Tangguh Bencana Sumber Jaya", "Kec. Sumber Jaya", "trantibum", False, FORM.OTHER_AFFAIRS, S.DRAFT,
         "warga belum tahu jalur evakuasi gempa", "melatih warga dan memasang rambu evakuasi", "warga Sumber Jaya", stage=STAGE.INITIATIVE),
    Seed("Perpustakaan Keliling Pekon", "Dispusip", "perpustakaan", False, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "anak di pekon jauh tidak punya akses buku", "membawa mobil perpustakaan ke sekolah dan balai pekon secara bergilir", "pelajar dan warga pekon"),
    Seed("Kampung KB Sejahtera", "DP3AP2KB", "ppkb", False, FORM.OTHER_AFFAIRS, S.SUBMITTED,
         "angka stunting tinggi di beberapa pekon", "mendampingi keluarga berisiko stunting melalui kader kampung KB", "keluarga dengan balita", related=("kesehatan",)),
    Seed("Bursa Kerja Daring Lambar", "Disnakertrans", "tenaga-kerja", True, FORM.PUBLIC_SERVICE, S.DRAFT,
         "lowongan kerja lokal tidak tersebar", "menyajikan lowongan dan pelatihan kerja dalam satu laman", "pencari kerja muda", stage=STAGE.TRIAL),
    Seed("Sertifikasi Halal UMKM Kopi", "Diskoperindag", "koperasi-ukm", False, FORM.PUBLIC_SERVICE, S.PUBLISHED,
         "UMKM kopi bubuk sulit masuk toko modern tanpa sertifikat halal", "mendampingi UMKM mengurus sertifikat halal secara berkelompok", "pelaku UMKM kopi", related=("perindustrian",)),
    Seed("Reviu Anggaran Berbasis Risiko", "Inspektorat", "fungsi-lain", False, FORM.GOVERNANCE, S.DRAFT,
         "temuan pemeriksaan berulang pada belanja yang sama", "memeriksa rencana anggaran berisiko tinggi sebelum ditetapkan", "perangkat daerah"),
    Seed("JDIH Lampung Barat dalam Genggaman", "Bag. Hukum", "fungsi-lain", True, FORM.GOVERNANCE, S.PUBLISHED,
         "produk hukum daerah sulit dicari", "menerbitkan peraturan daerah dan keputusan bupati dalam aplikasi yang dapat dicari", "ASN dan masyarakat"),
    Seed("Rapor Kinerja Pekon", "DPMP", "pmd", True, FORM.GOVERNANCE, S.DRAFT,
         "kinerja pekon tidak terukur", "menilai pekon setiap triwulan dengan indikator layanan dan keuangan", "aparatur pekon", stage=STAGE.TRIAL),
    Seed("Transportasi Pelajar Pekon", "Dishub", "perhubungan", False, FORM.PUBLIC_SERVICE, S.DRAFT,
         "pelajar pekon berjalan jauh ke sekolah", "menyediakan angkutan pelajar pagi dan siang", "pelajar SMP dan SMA", stage=STAGE.INITIATIVE),
]  # fmt: skip

# Review steps from draft to each state; "returned" comes back after a check of the documents.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.RETURNED: ["submit", "return"],
    S.RESUBMITTED: ["submit", "return", "resubmit"],
    S.DOCUMENTS_VERIFIED: ["submit", "verify_documents"],
    S.SUBSTANCE_VERIFIED: ["submit", "verify_documents", "verify_substance"],
    S.PUBLISHED: ["submit", "verify_documents", "verify_substance", "publish"],
}
RETURN_NOTES = [
    {"problem": "Uraikan permasalahan dengan data sebelum inovasi (angka tahun 2023).", "attachments": "Unggah SK penetapan inovasi."},
    {"results": "Hasil belum terukur; sebutkan jumlah penerima manfaat.", "location": "Koordinat menunjuk ke luar Lampung Barat."},
]  # fmt: skip


def _narrative(seed: Seed, unit: Unit) -> dict[str, str]:
    """Six parts of the design narrative (together well above 300 words) in a unit's voice."""
    return {
        "legal_basis": (
            "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah, Peraturan Pemerintah Nomor 38 Tahun 2017 "
            "tentang Inovasi Daerah, Peraturan Menteri Dalam Negeri Nomor 104 Tahun 2018, serta Peraturan Bupati "
            f"Lampung Barat tentang inovasi daerah dan Keputusan Kepala {unit.name} tentang tim pelaksana "
            f"{seed.name}. Dasar hukum ini memberi kewenangan kepada perangkat daerah untuk menguji coba dan "
            "menerapkan cara kerja baru selama sesuai kewenangan daerah."
        ),
        "problem": (
            f"Sebelum inovasi ini, {seed.problem}. Keadaan tersebut tercatat dalam laporan kinerja dan keluhan "
            "masyarakat yang masuk melalui kanal pengaduan kabupaten. Kondisi geografis Lampung Barat yang berbukit, "
            "jarak pekon yang jauh dari ibu kota kabupaten di Liwa, serta keterbatasan petugas membuat layanan "
            "lama tidak menjangkau semua warga yang membutuhkannya."
        ),
        "strategic_issue": (
            "Isu strategis yang dijawab adalah pemerataan layanan dasar, peningkatan kesejahteraan petani, dan "
            "tata kelola pemerintahan yang efektif sebagaimana tercantum dalam RPJMD Kabupaten Lampung Barat. "
            f"Inovasi ini juga mendukung program prioritas daerah dan target kinerja {unit.name} dalam Renstra "
            "perangkat daerah lima tahun berjalan."
        ),
        "method": (
            f"Metode pembaharuannya adalah {seed.method}. Cara ini menggantikan prosedur lama yang bergantung "
            "pada kedatangan warga ke kantor. Petugas dilatih lebih dulu, prosedur operasional standar disusun, "
            "dan hasilnya dipantau setiap bulan oleh tim pelaksana bersama Badan Riset dan Inovasi Daerah."
        ),
        "novelty": (
            "Keunggulan inovasi ini adalah biayanya rendah, memanfaatkan sumber daya yang sudah ada di pekon, dan "
            "mudah ditiru daerah lain yang memiliki kondisi serupa. Kebaharuannya terletak pada keterlibatan warga "
            "sebagai pelaksana, bukan hanya penerima layanan, serta pencatatan hasil yang terbuka sehingga "
            "pimpinan dapat memantau capaian kapan saja."
        ),
        "workflow": (
            "Cara kerja inovasi: pertama, warga atau petugas menyampaikan kebutuhan melalui kanal yang disediakan; "
            "kedua, petugas memeriksa dan mencatat permintaan; ketiga, layanan diberikan sesuai standar waktu; "
            "keempat, hasil layanan dicatat dan dilaporkan kepada kepala perangkat daerah; kelima, tim pelaksana "
            "mengevaluasi pelaksanaan setiap triwulan dan memperbaiki prosedur bila diperlukan."
        ),
    }


def _current_posts() -> dict[int, list[Assignment]]:
    """Definitive positions held today, by unit (one query)."""
    posts: dict[int, list[Assignment]] = {}
    for assignment in Assignment.objects.current().filter(is_acting=False).select_related("official", "unit"):
        posts.setdefault(assignment.unit_id, []).append(assignment)
    for items in posts.values():
        items.sort(key=lambda a: a.echelon)
    return posts


def _at(demo: Demo, moment: dt.datetime) -> dt.datetime:
    return moment + dt.timedelta(hours=demo.random.randint(8, 15), minutes=demo.random.randint(0, 59))


def load(demo: Demo) -> None:
    units: dict[str, Unit] = demo.shared["units"]
    admin, verifier = demo.users["admin"], demo.users["verifier"]
    affairs = {affair.code: affair for affair in GovernmentAffair.objects.all()}
    themes = list(Theme.objects.filter(year=2026))
    posts = _current_posts()
    now = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    innovations = []
    for index, seed in enumerate(SEEDS):
        unit = units[seed.unit]
        actor = demo.users["operator"] if seed.unit == "Diskominfo" else admin
        created = now - dt.timedelta(days=demo.random.randint(120, 900))
        implemented = created.date() - dt.timedelta(days=demo.random.randint(30, 400))
        data = {
            "unit": unit, "name": seed.name, "stage": seed.stage, "initiator_kind": Innovation.InitiatorKind.UNIT,
            "initiator_name": unit.name, "is_digital": seed.digital, "form": seed.form,
            "theme": themes[index % len(themes)] if themes else None, "main_affair": affairs[seed.affair],
            "trial_date": implemented - dt.timedelta(days=90) if seed.stage != STAGE.INITIATIVE else None,
            "implementation_date": implemented if seed.stage == STAGE.IMPLEMENTATION else None,
            "goals": f"Mengatasi keadaan ketika {seed.problem}.",
            "benefits": f"Manfaat dirasakan oleh {seed.benefit}: layanan lebih cepat, dekat dan murah.",
            "results": f"Sejak diterapkan, {demo.random.randint(150, 4000):_} orang terlayani dan keluhan berkurang.".replace("_", "."),
            "latitude": Decimal(f"{-5.03 - demo.random.random() * 0.25:.6f}"),
            "longitude": Decimal(f"{103.95 + demo.random.random() * 0.45:.6f}"),
            **_narrative(seed, unit),
        }  # fmt: skip
        if seed.status == S.DRAFT and index % 2:
            data["workflow"] = ""  # a draft still short of the 300 words
        # Every fourth implemented innovation was registered at the trial stage and moved on
        # (the history shows the step, the programme trend reads it).
        grew = seed.stage == STAGE.IMPLEMENTATION and index % 4 == 0
        related = [affairs[code] for code in seed.related]
        innovation = innovation_create(
            region=demo.region, actor=actor, related_affairs=related, join_team=False,
            data={**data, "stage": STAGE.TRIAL, "implementation_date": None} if grew else data,
        )  # fmt: skip
        if grew:
            innovation_update(innovation=innovation, actor=actor, data=data, related_affairs=related)
        _team(demo, innovation, posts.get(unit.pk) or posts.get(unit.parent_id) or [])
        _review(
            demo,
            innovation,
            seed.status,
            actor=actor,
            reviewer=verifier,
            created=created,
            notes=RETURN_NOTES[index % 2],
        )
        if grew:
            stage_changed = created + dt.timedelta(days=demo.random.randint(1, 2))
            InnovationEvent.objects.filter(innovation=innovation, action=STAGE_ACTION).update(
                created_at=_at(demo, stage_changed)
            )
        innovations.append(innovation)
    _rotated_credit(demo, units)
    _continuity(demo, innovations)
    _programmes(demo)
    demo.shared["innovations"] = innovations


def _team(demo: Demo, innovation: Innovation, posts: list[Assignment]) -> None:
    """The unit's head owns it, a section head initiated it; a citizen or two join some teams.
    Units whose posts stay empty in the roster (THIN_UNITS) get no official on the team."""
    heads = [a for a in posts if Echelon.tier(a.echelon) in (2, 3)]
    if heads:
        TeamMember.objects.create(innovation=innovation, official=heads[0].official, role=TeamMember.Role.OWNER)
    else:
        TeamMember.objects.create(innovation=innovation, name="Tim Pelaksana Unit", role=TeamMember.Role.OWNER)
    # Every third team credits a section head too, so some echelon IV officials meet PM Indah.
    juniors = [a for a in posts if Echelon.tier(a.echelon) == 4]
    if juniors and innovation.pk % 3 == 0:
        TeamMember.objects.create(innovation=innovation, official=juniors[0].official, role=TeamMember.Role.INITIATOR)
    if demo.random.random() < 0.4:
        citizen = demo.random.choice(["Sapri (petani kopi)", "Ibu Marni (kader posyandu)", "Rudi (pemuda pekon)"])
        TeamMember.objects.create(innovation=innovation, name=citizen, role=TeamMember.Role.MEMBER)


def _review(demo: Demo, innovation: Innovation, status: str, *, actor, reviewer, created, notes) -> None:
    """Walk the review steps with real actors, then spread the history over past weeks."""
    Innovation.objects.filter(pk=innovation.pk).update(created_at=created)
    InnovationEvent.objects.filter(innovation=innovation).update(created_at=_at(demo, created))
    moment = created
    for action in PATHS[status]:
        moment = moment + dt.timedelta(days=demo.random.randint(3, 25))
        by = reviewer if REVIEW.get(action).permission == "innovations.review_innovation" else actor
        note = {"return": "Lengkapi catatan per bagian.", "publish": "Terbit di etalase."}.get(action, "")
        data = {"field_notes": notes} if action == "return" else None
        event = REVIEW.apply(innovation, action, actor=by, note=note, data=data)
        InnovationEvent.objects.filter(pk=event.pk).update(created_at=_at(demo, moment))
    Innovation.objects.filter(pk=innovation.pk).update(updated_at=moment)


def _rotated_credit(demo: Demo, units: dict[str, Unit]) -> None:
    """An official who led an innovation at Bappeda before moving to head another unit keeps
    the PM Indah credit for it (the roster's earlier post is what links them)."""
    moved = (
        Assignment.objects.filter(unit=units["Bappeda"], end_date__isnull=False, official__region=demo.region)
        .select_related("official")
        .order_by("end_date")
        .first()
    )
    if moved is None:
        return
    innovation = Innovation.objects.get(region=demo.region, name="Musrenbang Daring")
    TeamMember.objects.filter(innovation=innovation, role=TeamMember.Role.OWNER).update(
        official=moved.official, name=""
    )
    made = timezone.make_aware(dt.datetime.combine(moved.start_date + dt.timedelta(days=200), dt.time(9)))
    Innovation.objects.filter(pk=innovation.pk).update(created_at=made)
    InnovationEvent.objects.filter(innovation=innovation, action="create").update(created_at=made)


def _continuity(demo: Demo, innovations: list[Innovation]) -> None:
    """Most published innovations were confirmed running this year; two have stopped."""
    year = timezone.localdate().year
    published = [innovation for innovation in innovations if innovation.status == S.PUBLISHED]
    for index, innovation in enumerate(published):
        if index in (3, 8):
            CONTINUITY.apply(
                innovation,
                "report_stopped",
                actor=demo.users["admin"],
                note="Anggaran operasional tidak dilanjutkan pada APBD tahun ini.",
            )
            Innovation.objects.filter(pk=innovation.pk).update(
                running_confirmed_year=year,
                stopped_reason="Anggaran operasional tidak dilanjutkan pada APBD tahun ini.",
            )
        elif index % 4 != 1:
            CONTINUITY.apply(innovation, "confirm_running", actor=demo.users["admin"])
            Innovation.objects.filter(pk=innovation.pk).update(running_confirmed_year=year)


def _programmes(demo: Demo) -> None:
    admin = demo.users["admin"]
    today = timezone.localdate()
    sosis = Programme.objects.create(
        region=demo.region, name="SOSIS (Sai Inovasi Sai OPD)", kind=Programme.Kind.UNIT_QUOTA, year=today.year,
        reference_date=dt.date(today.year, 12, 31), min_count=1, min_stage=STAGE.TRIAL,
        counts_from=Programme.CountsFrom.SUBMITTED, unit_kinds=[Unit.Kind.OFFICE, Unit.Kind.AGENCY, Unit.Kind.INSPECTORATE],
        include_subunits=True, created_by=admin,
        description="Setiap dinas, badan dan inspektorat memiliki sedikitnya satu inovasi tahap uji coba atau penerapan yang sudah diajukan.",
    )  # fmt: skip
    pm_indah = Programme.objects.create(
        region=demo.region, name="PM Indah (Pejabat Memiliki Inovasi Daerah)", kind=Programme.Kind.OFFICIAL_QUOTA,
        year=today.year, reference_date=today, min_count=1, min_stage=STAGE.INITIATIVE,
        counts_from=Programme.CountsFrom.SUBMITTED, echelon_tiers=[2, 3, 4], created_by=admin,
        description="Setiap pejabat eselon II, III dan IV yang menjabat menjadi pemilik atau inisiator sedikitnya satu inovasi.",
    )  # fmt: skip
    # SOSIS laggards were reminded last week (they may be reminded again); PM Indah's yesterday,
    # so a second reminder now asks the admin to confirm.
    for programme, days_ago in ((sosis, 8), (pm_indah, 1)):
        programme_remind(programme=programme, actor=admin)
        sent = timezone.now() - dt.timedelta(days=days_ago, hours=demo.random.randint(0, 5))
        programme.reminders.update(sent_at=sent)
